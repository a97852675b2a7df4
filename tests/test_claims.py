"""Claim extraction on hand-made articles (built with a tiny harness, no pipeline needed)."""
from __future__ import annotations

import datetime as dt
import re

import pytest

from etl.extract.claims import extract_article
from etl.extract.model import Article, Document, Sentence


def make(text: str, published=dt.date(2023, 12, 14), outlet="成都日报", title=None):
    """Document + one article; paragraphs are separated by blank lines, sentences end at 。；!?
    and line breaks inside a sentence are removed (offsets kept), like the pipeline does."""
    doc = Document("d", "d.txt", "0", "utf-8", text, published, "manifest", outlet)
    sents = []
    for para in re.finditer(r"[^\n]+(?:\n(?!\n)[^\n]+)*|(?<=\n\n)[^\n]+", text):
        chars = [(i, ch) for i, ch in enumerate(para.group(), para.start()) if ch != "\n"]
        buf: list[tuple[int, str]] = []
        for i, ch in chars + [(-1, "")]:
            if ch:
                buf.append((i, ch))
            if (ch in "。；;！？" or not ch) and buf:
                k = len(sents)
                sents.append(Sentence(f"s{k}", "d", "a", buf[0][0], buf[-1][0] + 1, "".join(c for _, c in buf),
                                      tuple(i for i, _ in buf), role="headline" if (k == 0 and title is None) else "body"))
                buf = []
    art = Article("a", "d", title or sents[0].text, 0, len(text), tuple(sents))
    return extract_article(art, doc), doc


def by_mention(claims):
    return {c.mention: c for c in claims}


TRADE = """今年前11月成都实现外贸进出口6834.7亿元

今年前11月,四川实现一般贸易进
出口3384.9亿元,同比增长20%,占同期四川进出口总值的39.2%,比重较去年同期提升8.2个百分点。其中,对澳大利亚进出口456.5 亿元,同比增长47.6%;对非洲进出口366.3亿元,同比下降5%。"""


def test_trade_article():
    claims, doc = make(TRADE)
    c = by_mention(claims)
    for claim in claims:
        assert doc.text[claim.start:claim.end] == claim.mention
    assert c["6834.7亿元"].value == 683470000000 and c["6834.7亿元"].unit == "元"
    assert c["6834.7亿元"].region == "成都市" and c["6834.7亿元"].topic == "trade"
    a = c["3384.9亿元"]
    assert (a.kind, a.region, a.metric) == ("amount", "四川省", "一般贸易进出口")
    assert (a.period_start, a.period_end) == (dt.date(2023, 1, 1), dt.date(2023, 11, 30))
    assert c["20%"].kind == "growth" and c["20%"].metric == "一般贸易进出口"
    assert c["39.2%"].kind == "share"
    assert c["8.2个百分点"].kind == "change_pp"
    assert c["456.5 亿元"].metric == "对澳大利亚进出口"
    assert c["456.5 亿元"].period_end == dt.date(2023, 11, 30)  # 其中 continues the period
    assert c["5%"].value == -5 and c["5%"].metric == "对非洲进出口"


def test_number_split_across_lines_keeps_document_offsets():
    claims, doc = make("成都\n\n要闻\n\n其中包含成都供需信息240\n条、德阳供需信息95条。")
    c = by_mention(claims)
    assert "240\n条" in c and c["240\n条"].value == 240
    assert c["240\n条"].region == "成都市" and c["95条"].region == "德阳市"


def test_enumeration_of_cities_is_the_metro_area():
    claims, _ = make("标题\n\n其中包含成都供需信息240条、德阳供需信息95条、眉山供需信息168条、资阳供需信息68条,涉及总投资473亿元。")
    assert by_mention(claims)["473亿元"].region == "成都都市圈"


def test_region_inherits_from_previous_sentences_and_former_names():
    claims, _ = make("锂电池基膜生产线\n\n在位于郫县的四川卓勤新材料科技有限公司,产线满负荷。目前4条基膜产线已全部处在满负荷生产状态。")
    assert by_mention(claims)["4条"].region == "郫都区"


def test_generic_area_words():
    claims, _ = make("标题\n\n全市新增普惠托位1980个。全省签约电量20.8亿千瓦时。")
    c = by_mention(claims)
    assert c["1980个"].region == "成都市"
    assert c["20.8亿千瓦时"].region == "四川省" and c["20.8亿千瓦时"].topic == "energy"


def test_default_region_from_outlet():
    claims, _ = make("标题\n\n天府实验室开展80余项研发项目攻关。", outlet="成都日报")
    assert by_mention(claims)["80余项"].region == "成都市"


def test_rank_and_growth_bind_to_previous_metric():
    claims, _ = make("标题\n\n2022年,成都新设经营主体57.94万户,居副省级城市第一。去年净增高新技术企业达3489家,较2021年增长95%。")
    c = by_mention(claims)
    assert c["第一"].kind == "rank" and c["第一"].unit == "位" and c["第一"].value == 1
    assert c["57.94万户"].metric == "新设经营主体"
    assert c["第一"].metric == "新设经营主体副省级城市排名"  # the ranked figure's metric and its group
    assert c["95%"].kind == "growth" and c["95%"].metric == "净增高新技术企业"
    assert (c["95%"].period_start.year, c["95%"].period_end.year) == (2022, 2022)


def test_bare_ordinal_without_rank_context_is_not_a_claim():
    claims, _ = make("标题\n\n这是第一项任务,也是第三十五期培训。")
    assert claims == []


def test_share_and_decline():
    claims, _ = make("标题\n\n儿童友好社区覆盖率超50%。今年同学们的近视增长率降低了11.37%。")
    c = by_mention(claims)
    assert (c["50%"].kind, c["50%"].qualifier) == ("share", "over")
    assert (c["11.37%"].kind, c["11.37%"].value) == ("growth", -11.37)
    assert c["11.37%"].metric == "同学们近视增长率" or "近视增长率" in c["11.37%"].metric


def test_multiple_and_other_kinds():
    claims, _ = make("标题\n\n其占地面积约是一期项目的2倍,设计时速250公里,线路全长约130公里。")
    c = by_mention(claims)
    assert (c["2倍"].kind, c["2倍"].qualifier, c["2倍"].metric) == ("multiple", "approx", "占地面积")
    assert c["250公里"].kind == "other" and c["130公里"].kind == "amount"


@pytest.mark.parametrize("sentence,status", [
    ("国家高新技术企业预计突破1.3万家。", "forecast"),
    ("力争全年举办活动40场以上。", "target"),
    ("计划产值约5亿元。", "target"),
    ("已培育国家高新技术企业7家。", "actual"),
    ("二期明年陆续投产,新增18亿平方米产能。", "forecast"),
])
def test_status(sentence, status):
    claims, _ = make("标题\n\n" + sentence)
    assert claims[-1].status == status


def test_periods_in_claims():
    claims, _ = make("标题\n\n截至目前,注册企业超60万家。未来5年将设立50亿元中试基金。自2019年以来,发布机会信息共计2827条。")
    c = by_mention(claims)
    assert c["60万家"].period_start == c["60万家"].period_end == dt.date(2023, 12, 31)
    assert (c["50亿元"].period_start, c["50亿元"].period_end) == (dt.date(2023, 1, 1), dt.date(2027, 12, 31))
    assert c["50亿元"].status == "target"
    assert c["2827条"].period_start == dt.date(2019, 1, 1)


def test_no_publication_date():
    claims, _ = make("标题\n\n今年前11月,外贸进出口6834.7亿元。", published=None)
    assert claims[0].period_start is None and claims[0].value == 683470000000


def test_chinese_numeral_count():
    claims, _ = make("标题\n\n市校双方共同推动中子应用科学设施四大创新平台建设落地。")
    c = by_mention(claims)["四大"]
    assert (c.value, c.unit, c.kind) == (4, "", "count")
    assert "创新平台" in c.metric


def test_line_break_between_digits_separates_numbers():
    """'12月13\\n627.9亿元': a column artefact, not the number 13627.9."""
    import datetime as dt

    from etl.extract.articles import split_articles
    from etl.extract.claims import extract_article
    from etl.extract.model import Document

    text = "标题\n\n本报讯 日前，海关发布数据。12月13\n627.9亿元,同比增长2.3%。全市融资规模达到1600\n亿元。\n"
    doc = Document("d", "p", "s", "utf-8", text, dt.date(2023, 12, 14), "manifest", "成都日报")
    claims = [c for a in split_articles("d", text) for c in extract_article(a, doc)]
    assert [(c.mention, c.value) for c in claims] == [("627.9亿元", 62790000000.0), ("2.3%", 2.3),
                                                      ("1600\n亿元", 160000000000.0)]
    assert all(text[c.start:c.end] == c.mention for c in claims)


# --------------------------------------------------------------------------- general rules (held-out work)

def period_of(c):
    return (c.period_start, c.period_end)


Q3 = (dt.date(2023, 1, 1), dt.date(2023, 9, 30))


def test_reporting_period_carries_to_following_sentences_of_changes():
    claims, _ = make("""全市经济运行稳中有进

前三季度，全市规模以上工业增加值同比增长4.8%。电子信息产品制造业增长7.6%，汽车制造业下降2.3%。

分产业看，第一产业增加值428.6亿元，增长3.2%。""", published=dt.date(2023, 10, 28))
    c = by_mention(claims)
    for m in ("4.8%", "7.6%", "2.3%", "428.6亿元", "3.2%"):
        assert period_of(c[m]) == Q3, m
    assert c["2.3%"].value == -2.3


def test_reporting_period_does_not_carry_to_stock_counts_or_forecasts():
    claims, _ = make("""全市经济运行

前三季度，全市规模以上工业增加值同比增长4.8%。全市共有银行业金融机构146家。预计全年增长5%左右。""",
                     published=dt.date(2023, 10, 28))
    c = by_mention(claims)
    assert period_of(c["146家"]) == (dt.date(2023, 10, 31), dt.date(2023, 10, 31))  # publication month
    assert c["5%"].status == "forecast" and c["5%"].period_end == dt.date(2023, 12, 31)


def test_forecast_sentence_does_not_move_the_period_of_the_details():
    claims, _ = make("""重大项目

今年1-10月，重大项目累计完成投资4128.6亿元。预计全年完成投资将突破4800亿元。其中，德阳市完成投资612.4亿元；眉山市完成投资503.7亿元。""",
                     published=dt.date(2023, 12, 8))
    c = by_mention(claims)
    assert period_of(c["612.4亿元"]) == (dt.date(2023, 1, 1), dt.date(2023, 10, 31))
    assert period_of(c["503.7亿元"]) == (dt.date(2023, 1, 1), dt.date(2023, 10, 31))


def test_whole_year_means_the_year_in_context():
    claims, _ = make("""外贸

2023年，四川省货物贸易进出口总值9574.8亿元。从产品看，机电产品仍是出口主力。全年出口机电产品4712.9亿元。""",
                     published=dt.date(2024, 1, 19), outlet="四川日报")
    c = by_mention(claims)
    assert period_of(c["4712.9亿元"]) == (dt.date(2023, 1, 1), dt.date(2023, 12, 31))


def test_headline_figure_takes_period_of_the_same_figure_in_the_body():
    claims, _ = make("""规模居全国第8位

本报讯 2023年，四川省货物贸易进出口总值9574.8亿元，规模居全国第8位。""",
                     published=dt.date(2024, 1, 19), outlet="四川日报")
    head = [c for c in claims if c.mention == "第8位"]
    assert len(head) == 2
    assert all(period_of(c) == (dt.date(2023, 1, 1), dt.date(2023, 12, 31)) for c in head)


def test_change_in_points_gets_the_metric_of_its_rate():
    claims, _ = make("""融资成本

6月，全市新发放企业贷款加权平均利率为3.96%，较上年同期下降0.38个百分点。绿色贷款余额突破6000亿元，增速比上年提高1.8个百分点。""",
                     published=dt.date(2023, 8, 16))
    c = by_mention(claims)
    assert c["0.38个百分点"].metric == "新发放企业贷款加权平均利率"
    assert c["0.38个百分点"].value == -0.38
    assert c["1.8个百分点"].metric != "比" and "比" not in (c["1.8个百分点"].metric or "")


def test_respectively_pairs_places_and_figures():
    claims, _ = make("""外贸

2023年，绵阳、宜宾分别实现进出口352.6亿元和298.4亿元。""", published=dt.date(2024, 1, 19), outlet="四川日报")
    c = by_mention(claims)
    assert c["352.6亿元"].region == "绵阳市" and c["298.4亿元"].region == "宜宾市"
    assert c["298.4亿元"].metric == c["352.6亿元"].metric


def test_parts_listed_after_qizhong_do_not_become_the_context_region():
    claims, _ = make("""都市圈项目

今年1-10月，成德眉资纳入都市圈建设的重大项目共计326个。其中，德阳市实施项目58个；资阳市完成投资386.2亿元。

在产业协作方面，联合招引项目超过120个。""", published=dt.date(2023, 12, 8), outlet="四川科技报")
    c = by_mention(claims)
    assert c["58个"].region == "德阳市" and c["386.2亿元"].region == "资阳市"
    assert c["120个"].region == "成都都市圈"


def test_generic_area_word_resets_the_context_region():
    claims, _ = make("""经济运行

东部新区规模以上工业增加值增长21.5%。前三季度，全市实现社会消费品零售总额7436.1亿元。限额以上单位商品零售额1250.3亿元。""",
                     published=dt.date(2023, 10, 28))
    c = by_mention(claims)
    assert c["21.5%"].region == "成都东部新区"
    assert c["1250.3亿元"].region == "成都市"
    assert c["7436.1亿元"].topic == "livelihood"


def test_place_inside_an_organisation_name_is_only_a_fallback():
    claims, _ = make("""交通运输保持增长

作为全国先进制造业基地，德阳装备产业实现营业收入1080亿元。双流国际机场完成旅客吞吐量4120.6万人次。""",
                     published=dt.date(2025, 3, 5), outlet="四川日报")
    c = by_mention(claims)
    assert c["1080亿元"].region == "德阳市"
    assert c["4120.6万人次"].region == "双流区"


def test_a_city_before_a_frame_of_the_province_is_the_subject():
    claims, _ = make("""外贸

成都作为全省外贸主引擎，2023年实现进出口7489.8亿元。""", published=dt.date(2024, 1, 19), outlet="四川日报")
    assert by_mention(claims)["7489.8亿元"].region == "成都市"


def test_sentence_numbers_reads_digits_split_by_a_line_break_apart():
    from etl.extract.claims import sentence_numbers

    plain = Sentence("s", "d", "a", 0, 9, "签约项目24个。", tuple(range(9)))
    assert [(n.text, n.value) for n in sentence_numbers(plain)] == [("24个", 24)]
    # "13\n627.9亿元": a column artefact, so the line break separates two figures
    split = Sentence("s", "d", "a", 0, 11, "13627.9亿元", (0, 1, 3, 4, 5, 6, 7, 8, 9, 10, 11))
    assert [n.text for n in sentence_numbers(split)] == ["627.9亿元"]
    assert sentence_numbers(Sentence("s", "d", "a", 0, 5, "进一步推进", tuple(range(5)))) == []
