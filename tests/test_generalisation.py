"""Forms that real articles from other outlets use and the seeds do not (issue: extraction that
holds on articles it was never tuned on). Every sentence here is written for the test."""
from __future__ import annotations

import datetime as dt
import hashlib

import pytest

from etl import pipeline
from etl.extract import script
from etl.extract.claims import is_metric_fragment
from etl.ingest.sources import RawFile


def run(text: str, published: str = "2022-04-20", outlet: str | None = None):
    data = text.encode("utf-8")
    meta = {"published": published}
    if outlet:
        meta["outlet"] = outlet
    res = pipeline.process(RawFile("t.txt", "t", data, hashlib.sha256(data).hexdigest(), meta))
    assert res.error is None
    return res


def claims(text: str, **kw) -> dict:
    return {c.mention: c for c in run(text, **kw).claims}


def period(c) -> tuple[str, str]:
    return str(c.period_start), str(c.period_end)


# ---------------------------------------------------------------- 1. script

TRADITIONAL = ("重慶外貿前兩月增長\n據海關統計，今年前兩個月，重慶貨物貿易進出口總值1234.5億元，同比增長12.3%，"
               "佔全國的3.4%；糧食播種面積8.6萬畝，產量2.1萬噸，比重提高1.2個百分點。\n")


def test_traditional_script_is_read_and_offsets_point_into_the_original():
    res = run(TRADITIONAL)
    c = {x.mention: x for x in res.claims}
    assert set(c) >= {"1234.5億元", "12.3%", "3.4%", "8.6萬畝", "2.1萬噸", "1.2個百分點"}
    for x in res.claims:
        assert res.document.text[x.start:x.end] == x.mention
    amount = c["1234.5億元"]
    assert (amount.value, amount.unit, amount.kind) == (123450000000, "元", "amount")
    assert amount.metric == "货物贸易进出口总值" and amount.region == "重庆市"
    assert period(amount) == ("2022-01-01", "2022-02-28")
    assert c["12.3%"].kind == "growth" and c["3.4%"].kind == "share"
    assert c["8.6萬畝"].unit == "亩" and c["2.1萬噸"].unit == "吨"
    assert c["1.2個百分點"].kind == "change_pp"
    # Stored sentences and titles keep the original script.
    texts = [s.text for a in res.articles for s in a.sentences]
    assert any("進出口總值1234.5億元" in t for t in texts)
    assert res.articles[0].title == "重慶外貿前兩月增長"


PINYIN = ("據(jù)統(tǒng)計,今年全市企業(yè)科技人員達(dá)9.3萬(wàn)人,"
          "研發(fā)投入52.6億元,同比增長8.1%。\n")


def test_pinyin_glosses_are_skipped_but_kept_in_mentions():
    res = run(PINYIN)
    c = {x.mention: x for x in res.claims}
    assert set(c) == {"9.3萬(wàn)人", "52.6億元", "8.1%"}
    people = c["9.3萬(wàn)人"]
    assert (people.value, people.unit, people.kind) == (93000, "人", "count")
    assert people.metric == "企业科技人员"
    assert c["8.1%"].metric == "研发投入"
    for x in res.claims:
        assert res.document.text[x.start:x.end] == x.mention


def test_analysis_text_keeps_length_and_leaves_simplified_pages_alone():
    simplified = "今年前11个月，四川进出口总值9370.2亿元。乾隆年间著名的"
    assert script.for_analysis(simplified) is simplified
    assert not script.is_traditional(simplified)
    for text in (TRADITIONAL, PINYIN):
        out = script.for_analysis(text)
        assert len(out) == len(text)
    assert "(jù)" not in script.for_analysis(PINYIN)
    assert script.hide_glosses("增长(约)5%") == "增长(约)5%"  # one bracketed word is no reprint


# ---------------------------------------------------------------- 2. periods

def test_first_two_months_month_end_and_months_listed_after_respectively():
    c = claims("今年前两月，全市出口56.7亿元。\n前2个月进口12.5亿元。\n今年1-2月，全市新登记企业3400户。\n"
               "3月末，全市本外币贷款余额2.1万亿元。\n截至3月末，住户存款余额1.2万亿元。\n"
               "1-3月，全市制造业采购经理指数分别为50.1%、52.3%、49.8%。\n", published="2022-04-20")
    for m in ("56.7亿元", "12.5亿元", "3400户"):
        assert period(c[m]) == ("2022-01-01", "2022-02-28"), m
    assert period(c["2.1万亿元"]) == ("2022-03-31", "2022-03-31")
    assert period(c["1.2万亿元"]) == ("2022-03-31", "2022-03-31")  # a stock (余额) as of the month
    assert [period(c[m]) for m in ("50.1%", "52.3%", "49.8%")] == [
        ("2022-01-01", "2022-01-31"), ("2022-02-01", "2022-02-28"), ("2022-03-01", "2022-03-31")]


def test_listed_subjects_are_not_months():
    c = claims("1-3月，出口、进口分别增长5.1%、6.2%、7.3%。\n", published="2022-04-20")
    assert period(c["6.2%"]) == ("2022-01-01", "2022-03-31")


def test_a_review_of_a_past_year_dates_its_figures_by_that_year():
    c = claims("2019年新都县国民经济和社会发展统计公报\n2019年，全区实现地区生产总值612.3亿元，比上年增长7.9%。\n"
               "全年粮食产量12.6万吨。\n其中稻谷产量7.1万吨。\n", published="2020-03-30")
    for m in ("612.3亿元", "7.9%", "12.6万吨", "7.1万吨"):
        assert period(c[m]) == ("2019-01-01", "2019-12-31"), m
    assert c["612.3亿元"].region == "新都区"  # 全区 in a district's bulletin; old county name


# ---------------------------------------------------------------- 3. regions

def test_economic_regions_zones_and_other_provinces():
    c = claims("川南经济区实现地区生产总值8812亿元。\n攀西经济区增长6.1%。\n"
               "成都高新综保区实现进出口总额501亿元。\n", published="2022-04-20", outlet="成都日报")
    assert c["8812亿元"].region == "川南经济区"
    assert c["6.1%"].region == "攀西经济区"
    assert c["501亿元"].region == "成都高新区"


def test_an_article_about_another_province_keeps_its_figures_there():
    c = claims("湖北企业数量突破百万户\n湖北省市场监管局发布消息，全省新登记市场主体42.5万户，同比增长18.2%。\n"
               "其中，武汉市新登记企业8.6万户。\n全省实有企业163.4万户。\n", published="2021-12-16")
    assert c["42.5万户"].region == "湖北省"
    assert c["8.6万户"].region == "武汉市"
    assert c["163.4万户"].region == "湖北省"


def test_a_report_from_another_provinces_bank_reads_wo_sheng_as_that_province():
    c = claims("记者从人民银行贵阳中心支行获悉，3月末，我省金融机构各项存款余额2.1万亿元，同比增长9.5%。\n",
               published="2016-04-20")
    assert c["2.1万亿元"].region == "贵州省"


def test_a_place_in_a_remote_clause_does_not_take_the_figure():
    c = claims("目前，郫都区产业园已构建以宁德时代核心供应商为链主引领，集聚锂电企业12家。\n", published="2023-11-23",
               outlet="成都日报")
    assert c["12家"].region == "郫都区"


def test_gazetteer_is_built_from_the_division_package():
    from etl.extract.places import by_name, gazetteer

    g = gazetteer()
    assert g["新津县"].name == "新津区" and g["襄樊"].name == "襄阳市"
    assert by_name()["光明区"].parent == "深圳市" and by_name()["大庆市"].parent == "黑龙江省"
    assert sum(1 for p in by_name().values() if p.level == "province") == 34
    assert sum(1 for p in by_name().values() if p.level == "city") > 300
    assert "锦屏" not in g and "屏山" not in g  # bare short county names are not read as places
    assert "白银" not in g and by_name()["白银市"].level == "city"  # ordinary words are not places


def test_committed_gazetteer_is_what_the_build_script_makes():
    pytest.importorskip("jionlp")
    import importlib.util
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    spec = importlib.util.spec_from_file_location("build_gazetteer", root / "scripts" / "build_gazetteer.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    rows = mod.build()
    from etl.extract.lexicon import table

    assert [dict(r) for r in table("gazetteer.csv")] == rows


# ---------------------------------------------------------------- 4. metrics

def test_a_rate_takes_the_metric_of_the_amount_in_its_clause():
    c = claims("2021年，全区实现地区生产总值444.5亿元，比上年增长8.6%。\n"
               "今年前两个月，全市外贸进出口总值867.2亿元，同比(下同)增长13.1%。\n", published="2022-03-30")
    assert c["8.6%"].metric == "地区生产总值"
    assert c["13.1%"].metric == "外贸进出口总值"


@pytest.mark.parametrize("metric, fragment", [
    ("增长", True), ("比增长", True), ("较", True), ("下同", True), ("达", True), ("分别", True),
    (")产权", True), ("", True), (None, True), ("地区生产总值", False), ("对东盟进出口", False),
])
def test_metric_fragments(metric, fragment):
    assert is_metric_fragment(metric) is fragment


# ---------------------------------------------------------------- 5. kinds

def test_levels_indexes_and_listed_rates():
    c = claims("机电产品进出口首次突破300亿美元，同比增长58.6%，占比提高到65%。\n"
               "3月，全市金融业商务活动指数为67.9%。\n"
               "对越南、以色列进出口较去年同期分别增长10.2%、2.5%。\n"
               "水果、肉类分别进口29.8亿元、16.2亿元，分别增长2.1倍、44.5%。\n"
               "比重从去年同期的81.7%上升至87.8%。\n", published="2022-04-20")
    assert c["58.6%"].kind == "growth"
    assert c["65%"].kind == "share"
    assert c["67.9%"].kind == "other"
    assert c["10.2%"].kind == "growth" and c["2.5%"].kind == "growth"
    assert c["44.5%"].kind == "growth"
    assert c["87.8%"].kind == "share"


def test_three_industries_is_not_a_count():
    c = claims("三次产业结构为4.4:42.5:53.1，三次产业对经济增长的贡献率分别为2.3%、44.3%和53.4%。\n")
    assert "三次" not in c and {"2.3%", "44.3%", "53.4%"} <= set(c)


def test_published_date_is_used_for_relative_quarter():
    c = claims("据海关统计，2017年一季度四川货物贸易进出口总值为965.7亿元，较去年同期增长57.1%。\n",
               published="2017-04-26")
    assert period(c["965.7亿元"]) == ("2017-01-01", "2017-03-31")
    assert period(c["57.1%"]) == ("2017-01-01", "2017-03-31")
    assert c["965.7亿元"].period_start == dt.date(2017, 1, 1)


def test_a_lead_period_dates_the_report_and_since_year_start_is_a_flow():
    c = claims("记者从市统计局获悉，今年1-2月，我市多项主要经济指标增速位居全省前列。\n"
               "从生产端看，规上工业增加值增长11.6%。\n固定资产投资增长21.6%。\n", published="2022-03-22")
    assert period(c["11.6%"]) == ("2022-01-01", "2022-02-28")
    assert period(c["21.6%"]) == ("2022-01-01", "2022-02-28")
    c = claims("截至2月末，全省金融机构本外币各项存款余额达4.3万亿元，比年初增加1876.1亿元。\n",
               published="2013-03-18")
    assert period(c["4.3万亿元"]) == ("2013-02-28", "2013-02-28")
    assert period(c["1876.1亿元"]) == ("2013-01-01", "2013-02-28")


def test_benchmarks_shares_of_a_whole_and_municipalities():
    c = claims("一季度全省货物贸易进出口总值965.7亿元，增长57.1%，远高于同期全国21.8%的整体进出口增幅。\n"
               "全市社会消费品零售总额389.4亿元，同比增长11.5%，增速高于全省平均水平(10.5%)。\n",
               published="2017-04-26", outlet="成都日报")
    assert (c["21.8%"].region, c["21.8%"].kind) == ("全国", "growth")
    assert (c["10.5%"].region, c["10.5%"].kind) == ("四川省", "growth")
    assert c["11.5%"].region == "成都市"
    c = claims("据重庆海关统计，前三季度我市对东盟进出口835.9亿元，增长6%，占同期重庆外贸总值的18.1%。\n",
               published="2020-10-23")
    assert c["18.1%"].region == "重庆市" and c["835.9亿元"].region == "重庆市"
    c = claims("成都高新综保区拉动同期四川外贸增长34个百分点。\n", published="2017-04-26", outlet="成都日报")
    assert c["34个百分点"].region == "成都高新区"


def test_a_list_written_with_magnitudes_takes_the_last_figures_unit():
    c = claims("同期，水果、肉类、药品分别进口29.8亿、16.2亿、12.9亿元。\n", published="2020-10-23")
    assert [(c[m].unit, c[m].kind, c[m].value) for m in ("29.8亿", "16.2亿", "12.9亿元")] == [
        ("元", "amount", 2980000000), ("元", "amount", 1620000000), ("元", "amount", 1290000000)]
    assert [c[m].metric for m in ("29.8亿", "16.2亿", "12.9亿元")] == ["水果进口", "肉类进口", "药品进口"]


def test_share_metrics_name_the_whole_and_notes_in_brackets_are_dropped():
    c = claims("今年前两月，全省加工贸易进出口637.5亿元，占同期全省进出口总值的65.2%。\n"
               "全市实现地区生产总值(GDP)1924.3亿元，同比(下同)增长6.1%。\n"
               "全市共有村(社区)级林长4270人。\n", published="2020-03-10", outlet="成都日报")
    assert c["65.2%"].metric == "加工贸易进出口占进出口总值比重"
    assert c["1924.3亿元"].metric == "地区生产总值" and c["6.1%"].metric == "地区生产总值"
    assert c["4270人"].metric == "村(社区)级林长"


def test_a_figure_repeated_in_another_article_of_the_page_takes_its_stated_period():
    from etl.extract.claims import same_figure_on_page
    from etl.extract.model import Claim

    def claim(article, mention, value, start):
        return Claim("d", article, f"{article}-s1", start, start + len(mention), mention, value, "元",
                     kind="amount", period_start=dt.date(2023, 12, 31), period_end=dt.date(2023, 12, 31))

    stated = claim("a1", "6834.7亿元", 683470000000, 10)
    stated.period_start, stated.period_end = dt.date(2023, 1, 1), dt.date(2023, 11, 30)
    moved = claim("a2", "6834.7亿元", 683470000000, 500)  # 同期,成都实现外贸进出口6834.7亿元 under another headline
    rough = claim("a2", "5亿元", 500000000, 600)
    rough_src = claim("a1", "5亿元", 500000000, 20)
    rough_src.period_start, rough_src.period_end = dt.date(2023, 1, 1), dt.date(2023, 12, 31)
    same_figure_on_page([(stated, True, False, True), (rough_src, True, False, False),
                         (moved, False, False, False), (rough, False, False, False)])
    assert (moved.period_start, moved.period_end) == (dt.date(2023, 1, 1), dt.date(2023, 11, 30))
    assert rough.period_end == dt.date(2023, 12, 31) and rough.period_start == dt.date(2023, 12, 31)


# ---------------------------------------------------------------- 6. series

@pytest.mark.parametrize("start, end, kind", [
    ("2023-11-01", "2023-11-30", "month"), ("2023-01-01", "2023-11-30", "ytd"), ("2023-01-01", "2023-03-31", "ytd"),
    ("2023-04-01", "2023-06-30", "quarter"), ("2023-01-01", "2023-12-31", "year"), ("2023-11-30", "2023-11-30", "stock"),
    ("2021-01-01", "2023-12-31", "span"), ("2023-02-01", "2023-05-31", "span"),
])
def test_period_types_in_python_and_sql_agree(start, end, kind):
    import duckdb

    from etl.extract.periods import period_type
    from etl.store.facts import PERIOD_TYPE_MACRO

    s, e = dt.date.fromisoformat(start), dt.date.fromisoformat(end)
    assert period_type(s, e) == kind
    con = duckdb.connect()
    con.execute(PERIOD_TYPE_MACRO)
    assert con.execute("SELECT period_type(?::DATE, ?::DATE)", [start, end]).fetchone()[0] == kind


def test_a_chart_and_a_takeaway_never_mix_period_lengths():
    import pandas as pd

    from report.figures import takeaway
    from ui.charts import trend_chart

    rows = pd.DataFrame({
        "x_date": pd.to_datetime(["2023-10-31", "2023-11-30", "2023-11-30"]),
        "value": [6000e8, 6834.7e8, 938.1e8], "region": ["成都市"] * 3, "claim_id": ["a", "b", "c"],
        "value_text": ["6000亿元", "6834.7亿元", "938.1亿元"], "qualifier_text": [""] * 3,
        "period_text": ["1-10月", "1-11月", "11月"], "sentence": ["s"] * 3,
        "period_start": pd.to_datetime(["2023-01-01", "2023-01-01", "2023-11-01"]),
        "period_end": pd.to_datetime(["2023-10-31", "2023-11-30", "2023-11-30"]),
    })
    fig = trend_chart(rows, "外贸进出口", "亿元")
    assert sorted(t.name for t in fig.data) == ["成都市 · 年初至今累计", "成都市 · 月度"]
    export = rows.assign(metric="外贸进出口总值", unit="元", kind="amount", status="actual",
                         published=pd.to_datetime(["2023-11-20", "2023-12-14", "2023-12-14"]),
                         article_title="t", outlet="成都日报", mention=rows["value_text"])
    line = takeaway(export.iloc[[0, 2, 1]])
    assert "1-10月" in line or "2023年1-10月" in line  # 1-11月 compared with 1-10月, never with 11月
    assert "持平" not in line


def test_database_offsets_point_into_the_original_traditional_and_pinyin_text(tmp_path):
    import io

    import duckdb

    from etl.load import run

    (tmp_path / "pages").mkdir()
    (tmp_path / "pages" / "trad.txt").write_text(TRADITIONAL, encoding="utf-8")
    (tmp_path / "pages" / "pinyin.txt").write_text(PINYIN, encoding="utf-8")
    db = tmp_path / "t.duckdb"
    assert run([str(tmp_path / "pages")], str(db), progress=False, out=io.StringIO(), err=io.StringIO()) == 0
    con = duckdb.connect(str(db), read_only=True)
    rows = con.execute("""SELECT c.mention, substring(d.text, c."start" + 1, c."end" - c."start"),
                                 s.text, replace(replace(substring(d.text, s."start" + 1, s."end" - s."start"),
                                                         chr(13), ''), chr(10), '')
                          FROM claims c JOIN documents d USING (doc_id) JOIN sentences s USING (sentence_id)""").fetchall()
    assert len(rows) >= 9
    for mention, span, sentence, original in rows:
        assert mention == span and sentence == original
    assert any("萬(wàn)人" in m for m, *_ in rows) and any("億元" in m for m, *_ in rows)


def test_a_change_in_points_against_a_place_says_so_in_its_metric():
    c = claims("一季度，全市规模以上工业增加值增长23.9%，比全省(22%)高1.9个百分点。\n"
               "本外币贷款余额4.3万亿元，同比增长13.7%，增幅高于全国1.4个百分点。\n"
               "占比较去年同期提升8.2个百分点。\n", published="2021-04-20", outlet="成都日报")
    assert c["1.9个百分点"].metric == "规模以上工业增加值增速高于全省"
    assert c["1.4个百分点"].metric == "本外币贷款余额增速高于全国"
    assert "高于" not in (c["8.2个百分点"].metric or "")


def test_same_period_last_year_dates_its_own_figure_only():
    c = claims("2017年一季度，全省货物贸易进出口总值965.7亿元，较去年同期增长57.1%。\n"
               "其中，成都实现外贸进出口值848亿元，在全省外贸中的比重从去年同期的81.7%上升至87.8%。\n"
               "成都高新综保区拉动同期四川外贸增长34个百分点，其中出口230亿元。\n",
               published="2017-04-26", outlet="成都日报")
    q1, q1_before = ("2017-01-01", "2017-03-31"), ("2016-01-01", "2016-03-31")
    assert period(c["57.1%"]) == q1 and period(c["848亿元"]) == q1
    assert period(c["81.7%"]) == q1_before
    assert period(c["87.8%"]) == q1 and period(c["34个百分点"]) == q1 and period(c["230亿元"]) == q1


def test_the_reported_period_is_the_first_figures_and_since_a_month_is_not_one():
    c = claims("据海关统计，全省前10个月的进出口总额达132.2亿美元，接近去年全年133.7亿美元。\n"
               "与去年同期相比，贸易额增长20.8%。\n其中，出口80.7亿美元。\n", published="2011-11-28")
    for m in ("132.2亿美元", "20.8%", "80.7亿美元"):
        assert period(c[m]) == ("2011-01-01", "2011-10-31"), m
    assert period(c["133.7亿美元"]) == ("2010-01-01", "2010-12-31")
    c = claims("今年1—11月，全省进出口总值183.2亿美元，增长40.7%。\n其中进口增速自今年8月起已连续4个月保持全国第一。\n"
               "西安出口加工区进出口总值91.3亿美元，增长1.2倍。\n", published="2013-12-23")
    assert period(c["91.3亿美元"]) == ("2013-01-01", "2013-11-30")


def test_a_lead_stating_a_month_end_dates_the_stocks_after_it():
    c = claims("人民银行消息，截至3月末，全省金融运行总体平稳。\n各项存款余额5.1万亿元。\n",
               published="2015-04-16")
    assert period(c["5.1万亿元"]) == ("2015-03-31", "2015-03-31")


def test_comparison_bases_are_not_reporting_periods():
    from etl.extract.periods import find_periods

    found = find_periods("一季度增长23.9%,分别比一月和二月回落2.9个百分点和5.3个百分点", dt.date(2011, 4, 20))
    assert [(p.text, p.period is None) for p in found] == [("一季度", False), ("一月", True), ("二月", True)]
    c = claims("据海关统计，全省前10个月贸易额达49.3亿美元，超过去年总额，同比增长38.4%。\n", published="2011-11-28")
    assert period(c["49.3亿美元"]) == ("2011-01-01", "2011-10-31")
    assert period(c["38.4%"]) == ("2011-01-01", "2011-10-31")


def test_topics_of_labour_real_estate_and_passengers():
    c = claims("上半年，全市城镇新增就业2.3万人。\n商品房销售面积156.2万平方米。\n"
               "海关监管进出境旅客12.5万人次。\n", published="2019-07-18", outlet="成都日报")
    assert c["2.3万人"].topic == "livelihood"
    assert c["156.2万平方米"].topic == "investment"
    assert c["12.5万人次"].topic == "transport"


def test_ranks_and_benchmarks_take_the_metric_of_the_figure_they_place():
    c = claims("固定资产投资增长21.6%，居全省第2位。\n"
               "全市社会消费品零售总额389.4亿元，同比增长11.5%，增速高于全省平均水平(10.5%)。\n"
               "去年进口和进出口增速分别位居副省级城市第一和第二位。\n", published="2022-03-22", outlet="成都日报")
    assert c["第2位"].metric == "固定资产投资增速全省排名"
    assert c["10.5%"].metric == "社会消费品零售总额"
    assert c["第一"].kind == "rank"
