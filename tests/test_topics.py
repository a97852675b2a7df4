"""Topic lexicons (etl.extract.fields.topic); sectors are tests/test_field_sector.py."""
from __future__ import annotations

import pytest

from etl.extract.fields.topic import TOPICS, topic_of
from etl.extract.lexicon import table
from etl.extract.wordseg import segment


def test_lexicon_uses_exactly_the_spec_topics():
    assert {r["topic"] for r in table("topics.csv")} <= set(TOPICS)
    assert len(TOPICS) == 12


def test_keyword_weights_are_small_integers():
    # topic_of adds a figure's metric score to the sentence's and headline's cached scores:
    # with integer weights every sum is exact, so the order of addition cannot change a topic.
    assert all(float(r["weight"] or 1).is_integer() and 0 <= float(r["weight"] or 1) <= 1000
               for r in table("topics.csv"))


@pytest.mark.parametrize("metric,topic", [
    ("外贸进出口总值", "trade"), ("新设经营主体", "enterprise"), ("信用贷款规模", "finance"),
    ("项目总投资", "investment"), ("有效发明专利拥有量", "innovation"), ("隔膜年产能", "industry"),
    ("高层次人才", "talent"), ("新增普惠托位", "livelihood"), ("绿电交易签约电量", "energy"),
    ("线路全长", "transport"), ("音乐演出场次", "culture"), ("改革重点任务", "governance"),
])
def test_metric_topic(metric, topic):
    assert topic_of(metric, "") == topic


def test_metric_words_dominate_sentence_words():
    sentence = "为全市中小微企业高质量发展注入源头活水,累计促成线上融资5万余笔"
    assert topic_of("线上融资笔数", sentence, "成都60万家企业注册平台") == "finance"


def test_fallback_by_unit():
    assert topic_of(None, "", "", "千瓦时") == "energy"


def test_user_dictionary_keeps_metric_words_whole():
    assert "营业收入" in segment("高新技术产业营业收入")


@pytest.mark.parametrize("metric,sentence,topic", [
    ("社会消费品零售总额", "前三季度，全市实现社会消费品零售总额7436.1亿元，同比增长9.8%。", "livelihood"),
    ("重点商贸企业销售额", "假期全市重点商贸企业实现销售额98.7亿元。", "livelihood"),
    ("地区生产总值", "全市实现地区生产总值16023.5亿元。", "industry"),
    ("发电量", "全省发电量达5032.6亿千瓦时。", "energy"),
    ("旅客吞吐量", "机场完成旅客吞吐量3250万人次。", "transport"),
])
def test_general_economy_topics(metric, sentence, topic):
    assert topic_of(metric, sentence, "", "元") == topic
