"""etl.extract.fields.sector: a figure's sector from the GB/T 4754-2017 taxonomy in data/sectors/."""
from __future__ import annotations

import pytest

from etl.extract.fields.sector import figure_sector, sector_in, sector_of


@pytest.mark.parametrize("text,code,label", [
    ("通用设备制造业增加值", "C34", "通用设备制造业"),  # a 大类 by its full name
    ("电气机械和器材制造业增加值", "C38", "电气机械和器材制造业"),
    ("汽车产量", "C36", "汽车制造业"),  # a newspaper's short name
    ("批发和零售业销售额", "F", "批发和零售业"),  # a 门类
    ("房地产开发投资", "K701", "房地产开发经营"),  # the most specific class named
    ("软件和信息技术服务业营业收入", "I65", "软件和信息技术服务业"),
    ("锂电池隔膜产能", "CD-LIB", "锂电"),  # a chain of the city's industries
    ("高技术制造业增加值", "HTM", "高技术制造业"),  # a statistical grouping
    ("战略性新兴产业增加值", "SEI", "战略性新兴产业"),
    ("数字经济核心产业增加值", "DEC", "数字经济核心产业"),
])
def test_an_industry_named_in_the_words_is_found(text, code, label):
    s = sector_in(text)
    assert s is not None and (s.code, s.label) == (code, label)


def test_broad_sectors_are_found_and_rank_below_specific_ones():
    broad = sector_in("规模以上工业增加值")
    assert broad.code == "STAT-IND" and broad.rank == 0
    assert sector_in("规模以上工业中汽车制造业增加值").code == "C36"  # the specific one wins


@pytest.mark.parametrize("text", [
    "地区生产总值",  # names no single industry
    "外贸进出口总值",
    "金融机构人民币贷款余额",  # 金融 inside 金融机构 is any lender
    "新建建筑面积",  # 建筑 inside a measure's word
    "研发投入强度",  # an activity, not an industry (data/sectors/not_sectors.csv)
    "国家高新技术企业数量",  # a certification
    "三甲医院数量",
])
def test_words_that_name_no_industry_give_none(text):
    assert sector_in(text) is None


def test_a_name_joined_to_an_industry_word_still_counts():
    assert sector_in("化工行业产值").code == "C26"


def test_the_metric_first_then_the_clause_then_the_sentence_before_the_figure():
    assert figure_sector("光伏组件产量", "锂电池产量") .label == "光伏"
    assert figure_sector("产量", "其中锂电池") .label == "锂电"
    assert figure_sector("营业收入", "", "全市白酒产业实现").label == "白酒"
    # examples before 等 are not the sector of what is counted
    assert figure_sector("国家级平台", "", "新增航天技术中心等") is None


def test_the_title_names_the_sector_only_of_what_a_plant_produces():
    title = "锂电池隔膜项目二期开工"
    assert figure_sector("年产值", "", "", title).label == "锂电"
    assert figure_sector("外贸进出口", "", "", title) is None  # the region's statistics
    assert figure_sector("年产值", "", "", "规模以上工业稳步增长") is None  # only a specific sector


def test_sector_of_takes_the_first_text_naming_one():
    assert sector_of("", "通威太阳能光伏电池项目").label == "光伏"
    assert sector_of("", "") is None
