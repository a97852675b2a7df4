"""问数, judging one claim against a question (etl.ask.rank): our own sentences, no database."""
from __future__ import annotations

import dataclasses
import datetime as dt

from etl.ask.question import parse
from etl.ask.rank import fit, kind_fits, narrows, period_fit, region_fit

TODAY = dt.date(2024, 3, 1)
D = dt.date


Y2023 = (D(2023, 1, 1), D(2023, 12, 31))
PUBLISHED = D(2024, 1, 20)


def row(metric: str, sentence: str, mention: str, region: str = "成都市", start: dt.date = Y2023[0],
        end: dt.date = Y2023[1], kind: str = "amount", unit: str = "元", status: str = "actual",
        published: dt.date = PUBLISHED) -> dict:
    return {"metric": metric, "sentence": sentence, "mention": mention, "region": region, "period_start": start,
            "period_end": end, "kind": kind, "unit": unit, "status": status, "published": published,
            "article_title": ""}


def test_the_claim_that_says_what_is_asked_fits() -> None:
    q = parse("2023年成都新设经营主体多少户？", TODAY)
    f = fit(q, row("新增经营主体", "2023年，成都新增经营主体58万户。", "58万户", kind="count", unit="户"))
    assert f.ok and f.metric == 1.0 and f.region == 1.0 and f.period == 1.0


def test_kind_and_unit_must_be_those_asked() -> None:
    q = parse("2023年成都新设经营主体多少户？", TODAY)
    assert kind_fits(q, "count", "户") and not kind_fits(q, "count", "条") and not kind_fits(q, "share", "%")
    stations = parse("绵泸高铁内自泸段共设几座车站？", TODAY)
    assert kind_fits(stations, "count", "个")  # 几座 asked, 7个车站 written: the same count
    area = parse("二期项目占地面积多少亩？", TODAY)
    assert not kind_fits(area, "multiple", "倍") and not kind_fits(area, "amount", "元")
    money = parse("研究院承担的横向科研项目经费有多少？", TODAY)
    assert kind_fits(money, "amount", "元") and not kind_fits(money, "count", "项")
    g = parse("2023年成都外贸进出口同比增长多少？", TODAY)
    assert kind_fits(g, "growth", "%") and not kind_fits(g, "change_pp", "个百分点")


def test_another_place_or_period_is_no_answer() -> None:
    q = parse("2023年德阳新设经营主体多少户？", TODAY)
    r = row("新增经营主体", "2023年，成都新增经营主体58万户，德阳新增9万户。", "58万户", kind="count", unit="户")
    assert region_fit(q, "成都市", r["sentence"]) == 0  # a sibling named beside it is still another place
    assert not fit(q, r).ok
    q22 = parse("2022年成都新设经营主体多少户？", TODAY)
    assert period_fit(q22, D(2023, 1, 1), D(2023, 12, 31)) == 0


def test_a_part_is_not_the_whole_nor_the_whole_a_part() -> None:
    # 四川 asked, a 成都 figure found (a part), and the other way round.
    q = parse("2023年四川外贸进出口总值是多少？", TODAY)
    assert region_fit(q, "成都市", "四川省会成都外贸进出口7000亿元") == 0
    q2 = parse("2023年成都外贸进出口总值是多少？", TODAY)
    assert region_fit(q2, "四川省", "成都所在的四川外贸进出口9000亿元") == 0


def test_a_figure_whose_clause_names_the_place_asked_keeps_it() -> None:
    # The extractor gave the figure another city; its sentence names only the one asked, before it.
    q = parse("2021年上半年成都地区生产总值同比增长多少？", TODAY)
    s = "数据显示，成都上半年实现地区生产总值9600亿元，同比增长13%。"
    assert region_fit(q, "厦门市", s, before=s[:s.find("13%")], sentence=s) > 0


def test_a_narrower_metric_is_no_answer() -> None:
    q = parse("2023年四川外贸进出口总值是多少？", TODAY)
    assert narrows(q, "民营企业进出口")  # a modifier of the catalog
    assert narrows(q, "对东盟进出口")  # a trade partner
    assert not narrows(q, "外贸进出口")
    q2 = parse("2023年四川外贸进口总额是多少？", TODAY)
    assert narrows(q2, "消费品进口")  # a total asked, a part named before the words asked


def test_a_modifier_asked_must_be_the_figures_own() -> None:
    q = parse("2023年前11月四川民营企业进出口额是多少？", TODAY)
    whole = row("外贸进出口", "前11月，四川外贸进出口8000亿元，其中民营企业表现亮眼。", "8000亿元",
                region="四川省", start=D(2023, 1, 1), end=D(2023, 11, 30))
    part = row("民营企业进出口", "前11月，四川民营企业进出口3900亿元。", "3900亿元",
               region="四川省", start=D(2023, 1, 1), end=D(2023, 11, 30))
    q = dataclasses.replace(q, modifiers=frozenset({"民营企业"}))
    assert not fit(q, whole).ok and fit(q, part).ok


def test_a_stock_and_new_registrations_are_different_figures() -> None:
    q = parse("2023年成都新增科创平台多少个？", TODAY)
    stock = row("科创平台总数", "成都科创平台总数达到150个。", "150个", kind="count", unit="个")
    assert fit(q, stock).metric < fit(q, row("新增科创平台", "成都新增科创平台9个。", "9个",
                                               kind="count", unit="个")).metric


def test_a_period_read_wrongly_is_rescued_by_the_sentence_only_when_it_had_none() -> None:
    q = parse("2023年1-11月四川外贸进出口总值是多少？", TODAY)
    from etl.extract.periods import Period
    said = [Period(D(2023, 1, 1), D(2023, 11, 30))]
    # the publication month stood in for the period: the sentence's words decide
    assert period_fit(q, D(2023, 12, 31), D(2023, 12, 31), said, published=D(2023, 12, 20)) > 0
    # a period of its own that differs stays different
    assert period_fit(q, D(2023, 11, 1), D(2023, 11, 30), said, published=D(2023, 12, 20)) == 0


def test_a_stock_asked_at_a_date_prefers_the_balance_on_that_day() -> None:
    q = parse("截至2013年2月末四川本外币贷款余额是多少？", TODAY)
    on_the_day = period_fit(q, D(2013, 2, 28), D(2013, 2, 28))
    flow_to_it = period_fit(q, D(2013, 1, 1), D(2013, 2, 28))
    assert on_the_day > flow_to_it > 0


def test_the_phase_asked_must_be_the_figures() -> None:
    s = "记者了解到，蓉新材料二期年产18亿平方米基膜项目，总投资60亿元，其占地面积约是一期项目的2倍。"
    r = row("总投资", s, "60亿元", region="郫都区", start=D(2023, 11, 30), end=D(2023, 11, 30))
    assert fit(parse("郫都区蓉新材料二期项目总投资多少？", TODAY), r).ok
    assert not fit(parse("郫都区蓉新材料一期项目总投资多少？", TODAY), r).ok


def test_a_phrase_said_of_another_figure_is_not_this_ones() -> None:
    # 新设企业 is the subject of the 48% in the same sentence, not of the 60万户
    q = parse("2023年成都新设企业多少户？", TODAY)
    s = "成都经营主体质量齐升，新设经营主体60万户，新设企业占比达48%。"
    r = row("新设经营主体", s, "60万户", kind="count", unit="户")
    assert not fit(q, r).ok


def test_a_plan_is_preferred_when_a_plan_is_asked() -> None:
    q = parse("2025年成都计划举办多少场音乐演出？", TODAY)
    plan = row("举办音乐演出", "2025年成都将举办4000场音乐演出。", "4000场", start=D(2025, 1, 1), end=D(2025, 12, 31),
               kind="count", unit="场", status="target")
    done = {**plan, "status": "actual"}
    assert fit(q, plan).score > fit(q, done).score
