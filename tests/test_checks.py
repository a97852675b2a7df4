"""Fact checks on constructed claims: sums, shares, growth rates, conflicts, rounding tolerance."""
from __future__ import annotations

import datetime as dt
import itertools

from etl.store import checks as ck

_ids = itertools.count()
Y2023 = (dt.date(2023, 1, 1), dt.date(2023, 12, 31))
Y2022 = (dt.date(2022, 1, 1), dt.date(2022, 12, 31))


def claim(mention: str, value: float, unit: str, kind: str = "count", pre: str = "", sentence: int = 1,
          period: tuple[dt.date, dt.date] | None = Y2023, **kw) -> dict:
    """A claim record as the checks receive it (offsets grow with creation order)."""
    n = next(_ids)
    rec = {"claim_id": f"c{n:04d}", "doc_id": "d1", "article_id": "d1-a01", "sentence_id": f"d1-a01-s{sentence:03d}",
           "sent_no": sentence, "start": n * 10, "mention": mention, "value": value, "unit": unit,
           "qualifier": "exact", "kind": kind, "metric": "指标", "metric_id": "m_x", "region": "成都市",
           "period_start": period[0] if period else None, "period_end": period[1] if period else None,
           "status": "actual", "pre": pre, "fallback": period is None}
    rec.update(kw)
    return rec


# ---------------------------------------------------------------- precision

def test_step_is_one_unit_of_the_last_printed_digit() -> None:
    assert abs(ck.step(claim("71.3%", 71.3, "%", "share")) - 0.1) < 1e-12
    assert abs(ck.step(claim("1140亿元", 1.14e11, "元", "amount")) - 1e8) < 1
    assert abs(ck.step(claim("60.18万户", 601800, "户")) - 100) < 1e-6
    assert ck.step(claim("四大", 4, "")) == 1


# ---------------------------------------------------------------- sum

def test_list_then_total_consistent() -> None:
    parts = [claim("10家", 10, "家", pre="甲类"), claim("20家", 20, "家", pre="、乙类"), claim("30家", 30, "家", pre="、丙类")]
    total = claim("60家", 60, "家", pre="，合计")
    [c] = ck.sum_checks(parts + [total])
    assert c.kind == "sum" and c.status == ck.CONSISTENT
    assert "10 + 20 + 30 = 60家" in c.detail and "✓" in c.detail
    assert set(c.claim_ids) == {p["claim_id"] for p in parts + [total]}


def test_list_then_total_inconsistent() -> None:
    parts = [claim("10家", 10, "家", pre="甲类"), claim("20家", 20, "家", pre="、乙类"), claim("30家", 30, "家", pre="、丙类")]
    total = claim("70家", 70, "家", pre="，合计")
    [c] = ck.sum_checks(parts + [total])
    assert c.status == ck.INCONSISTENT and "✗" in c.detail


def test_sum_rounding_tolerance() -> None:
    # 1.3万 + 3.4万 = 4.7万, printed total 4.8万: true parts 1.34 + 3.44 = 4.78 round to 4.8.
    parts = [claim("1.3万人", 13000, "人", pre="甲地"), claim("3.4万人", 34000, "人", pre="、乙地")]
    total = claim("4.8万人", 48000, "人", pre="，总人数达")
    [c] = ck.sum_checks(parts + [total])
    assert c.status == ck.CONSISTENT and "按印刷精度" in c.detail
    # "5万" stands for 4.5万..5.5万 and still fits; "5.0万" does not.
    assert ck.sum_checks(parts + [claim("5万人", 50000, "人", pre="，总人数达")])[0].status == ck.CONSISTENT
    [c] = ck.sum_checks(parts + [claim("5.0万人", 50000, "人", pre="，合计")])
    assert c.status == ck.INCONSISTENT
    # After a weaker cue (总人数) the list may be partial: short of the total is undetermined.
    [c] = ck.sum_checks(parts + [claim("5.0万人", 50000, "人", pre="，总人数达")])
    assert c.status == ck.UNDETERMINED


def test_total_then_qizhong_in_the_next_sentence() -> None:
    total = claim("571条", 571, "条", pre="发布", sentence=1)
    parts = [claim("240条", 240, "条", pre="其中包含甲市", sentence=2),
             claim("95条", 95, "条", pre="、乙市", sentence=2),
             claim("168条", 168, "条", pre="、丙市", sentence=2),
             claim("68条", 68, "条", pre="、丁市", sentence=2),
             claim("473亿元", 4.73e10, "元", "amount", pre="，涉及总投资", sentence=2)]
    [c] = ck.sum_checks([total, *parts])
    assert c.status == ck.CONSISTENT and c.detail.startswith("240 + 95 + 168 + 68 = 571条")


def test_qizhong_partial_list_is_undetermined_and_excess_inconsistent() -> None:
    total = claim("100家", 100, "家")
    short = [claim("30家", 30, "家", pre="，其中甲类"), claim("40家", 40, "家", pre="、乙类")]
    [c] = ck.sum_checks([total, *short])
    assert c.status == ck.UNDETERMINED
    total = claim("100家", 100, "家")
    excess = [claim("60家", 60, "家", pre="，其中甲类"), claim("50家", 50, "家", pre="、乙类")]
    [c] = ck.sum_checks([total, *excess])
    assert c.status == ck.INCONSISTENT


def test_sum_with_approximate_figures_is_undetermined() -> None:
    parts = [claim("10家", 10, "家"), claim("20家", 20, "家", pre="、", qualifier="over")]
    total = claim("30家", 30, "家", pre="，共计")
    [c] = ck.sum_checks(parts + [total])
    assert c.status == ck.UNDETERMINED


def test_list_without_total_cue_or_with_other_periods_is_not_checked() -> None:
    assert ck.sum_checks([claim("10家", 10, "家"), claim("20家", 20, "家", pre="、"),
                          claim("30家", 30, "家", pre="，新增")]) == []
    parts = [claim("10家", 10, "家", period=Y2022), claim("20家", 20, "家", pre="、")]
    assert ck.sum_checks(parts + [claim("30家", 30, "家", pre="，合计")]) == []


# ---------------------------------------------------------------- share

def _credit(share: str, value: float, qualifier: str = "exact") -> list[dict]:
    return [claim("1600亿元", 1.6e11, "元", "amount", pre="融资规模达"),
            claim("1140亿元", 1.14e11, "元", "amount", pre="，其中信用贷款规模"),
            claim(share, value, "%", "share", pre="，占比达", qualifier=qualifier)]


def test_share_within_rounding_is_consistent() -> None:
    # 1140 / 1600 = 71.25, printed 71.3: consistent at one decimal.
    [c] = ck.share_checks(_credit("71.3%", 71.3))
    assert c.kind == "share" and c.status == ck.CONSISTENT
    assert "71.25%" in c.detail and "71.3%" in c.detail


def test_share_inconsistent_when_tied_by_the_sentence() -> None:
    [c] = ck.share_checks(_credit("75%", 75))
    assert c.status == ck.INCONSISTENT


def test_share_approximate_is_undetermined() -> None:
    [c] = ck.share_checks(_credit("70%", 70, qualifier="over"))
    assert c.status == ck.UNDETERMINED


def test_share_of_a_whole_stated_elsewhere() -> None:
    whole = claim("8630.4亿元", 8.6304e11, "元", "amount", sentence=1, region="四川省", metric_id="trade_total")
    part = claim("6834.7亿元", 6.8347e11, "元", "amount", sentence=5, pre="成都实现外贸进出口")
    share = claim("79.2%", 79.2, "%", "share", sentence=5, pre="，占四川外贸进出口总值的")
    ok = ck.share_checks([whole, part, share], same_doc=lambda case, c: c.get("region") == "四川省")
    assert [c.status for c in ok] == [ck.CONSISTENT]
    assert ck.find_shares([whole, part, share])[0].phrase == "四川外贸进出口总值"
    # A whole guessed from elsewhere that does not fit: cannot tell, never inconsistent.
    wrong = dict(share, value=44.9, mention="44.9%")
    [c] = ck.share_checks([whole, part, wrong], same_doc=lambda case, c: c.get("region") == "四川省")
    assert c.status == ck.UNDETERMINED
    # No whole at all.
    [c] = ck.share_checks([part, share])
    assert c.status == ck.UNDETERMINED and "未给出总数" in c.detail


def test_share_of_another_subject_is_not_checked() -> None:
    cs = [claim("60.18万户", 601800, "户", pre="新设经营主体"), claim("48%", 48, "%", "share", pre="，新设企业占比达")]
    assert ck.share_checks(cs) == []


def test_check_ids_are_stable_and_follow_facts() -> None:
    first, again = ck.share_checks(_credit("71.3%", 71.3)), ck.share_checks(_credit("71.3%", 71.3))
    assert first[0].check_id != again[0].check_id  # different claims ...
    facts = [dict(c, fact_id=f"f{i}") for i, c in enumerate(_credit("71.3%", 71.3))]
    repeat = [dict(c, fact_id=f"f{i}") for i, c in enumerate(_credit("71.3%", 71.3))]
    # ... but claims stating the same facts (a repeated paragraph) give one check id.
    assert ck.share_checks(facts)[0].check_id == ck.share_checks(repeat)[0].check_id
    assert ck.check_id("sum", facts) == ck.check_id("sum", list(reversed(facts)))


# ---------------------------------------------------------------- growth

def test_growth_against_the_previous_year() -> None:
    prev = claim("1.04万家", 10400, "家", period=Y2022, sentence=1)
    cur = claim("1.15万家", 11500, "家", sentence=2)
    rate = claim("10.6%", 10.6, "%", "growth", pre="，同比增长", sentence=2)
    [c] = ck.growth_checks([prev, cur, rate])
    assert c.kind == "growth" and c.status == ck.CONSISTENT  # 11500 / 10400 - 1 = 10.58%
    bad = dict(rate, value=15.0, mention="15%", claim_id="bad")
    [c] = ck.growth_checks([prev, cur, bad])
    assert c.status == ck.INCONSISTENT
    approx = dict(rate, qualifier="approx", claim_id="approx")
    [c] = ck.growth_checks([prev, cur, approx])
    assert c.status == ck.UNDETERMINED


def test_growth_month_on_month_and_missing_previous() -> None:
    oct_, nov = (dt.date(2023, 10, 1), dt.date(2023, 10, 31)), (dt.date(2023, 11, 1), dt.date(2023, 11, 30))
    prev = claim("879.2亿元", 8.792e10, "元", "amount", period=oct_, sentence=1)
    cur = claim("938.1亿元", 9.381e10, "元", "amount", period=nov, sentence=2)
    rate = claim("6.7%", 6.7, "%", "growth", pre="，环比增长", period=nov, sentence=2)
    [c] = ck.growth_checks([prev, cur, rate])
    assert c.status == ck.CONSISTENT
    assert ck.growth_checks([cur, rate]) == []


# ---------------------------------------------------------------- conflict

def test_conflict_between_facts_of_one_period() -> None:
    a = claim("100家", 100, "家", doc_id="d1")
    b = claim("120家", 120, "家", doc_id="d2")
    [c] = ck.conflict_checks([a, b])
    assert c.kind == "conflict" and c.status == ck.INCONSISTENT
    over = dict(a, qualifier="over", mention="100余家")
    [c] = ck.conflict_checks([over, b])
    assert c.status == ck.UNDETERMINED
    assert ck.conflict_checks([a, claim("100家", 100, "家")]) == []
    assert ck.conflict_checks([claim("100家", 100, "家", period=None), claim("120家", 120, "家", period=None)]) == []
