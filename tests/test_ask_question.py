"""问数, reading a question: places, period, kind, unit and metric words (etl.ask.question, etl.ask.english)."""
from __future__ import annotations

import datetime as dt

import pytest

from etl.ask.english import is_english, to_chinese, unread
from etl.ask.question import asked_on, parse

TODAY = dt.date(2024, 3, 1)


def _period(q):
    return (q.period.start, q.period.end) if q.period else None


def test_a_chinese_question_gives_its_place_period_kind_unit_and_metric_words() -> None:
    q = parse("2022年成都新设经营主体多少户？", TODAY)
    assert [p.name for p in q.places] == ["成都市"]
    assert _period(q) == (dt.date(2022, 1, 1), dt.date(2022, 12, 31))
    assert (q.kind, q.unit) == ("value", "户")
    assert q.terms == ("新设", "经营主体")
    assert "新增" in q.alternatives["新设"]  # what a paper also writes for it


@pytest.mark.parametrize(("text", "kind"), [
    ("2023年1-11月四川外贸进出口同比增长多少？", "growth"),
    ("2023年成都外贸进出口占四川的比重是多少？", "share"),
    ("2023年四川外贸规模在全国排第几？", "rank"),
    ("成都GDP增速比上年提高了多少个百分点？", "change_pp"),
    ("成都有多少家上市公司？", "value"),
])
def test_the_kind_asked_for(text: str, kind: str) -> None:
    assert parse(text, TODAY).kind == kind


def test_asking_words_count_only_as_whole_words() -> None:
    # 占 of 占地 and 居 of 居民 are no share or rank; 个体工商户 keeps its 个.
    q = parse("2023年成都居民人均可支配收入是多少？", TODAY)
    assert q.kind == "value" and "居民" in "".join(q.terms)
    assert parse("截至2023年9月四川个体工商户有多少户？", TODAY).terms == ("个体工商户",)


@pytest.mark.parametrize(("text", "period", "asof"), [
    ("截至2023年底，成都经营主体总量达到多少户？", (dt.date(2023, 12, 31), dt.date(2023, 12, 31)), True),
    ("2023年前三季度成都吸纳技术合同成交额是多少？", (dt.date(2023, 1, 1), dt.date(2023, 9, 30)), False),
    ("2021年上半年成都地区生产总值是多少？", (dt.date(2021, 1, 1), dt.date(2021, 6, 30)), False),
    ("2023年11月当月四川外贸进出口额是多少？", (dt.date(2023, 11, 1), dt.date(2023, 11, 30)), False),
])
def test_periods_are_read_by_the_extractor(text: str, period: tuple, asof: bool) -> None:
    q = parse(text, TODAY)
    assert _period(q) == period and q.period.asof == asof


def test_a_whole_year_is_strict_and_a_year_alone_is_not() -> None:
    assert parse("2023年全年四川外贸进出口总值是多少？", TODAY).strict
    q = parse("2023年四川外贸进出口总值是多少？", TODAY)
    assert not q.strict and _period(q) == (dt.date(2023, 1, 1), dt.date(2023, 12, 31))


def test_a_question_dated_in_its_text_counts_last_year_from_that_date() -> None:
    text = "（提问日期：2024年1月25日）去年成都新设经营主体多少户？"
    assert asked_on(text) == dt.date(2024, 1, 25)
    q = parse(text, dt.date(2026, 6, 1))
    assert _period(q) == (dt.date(2023, 1, 1), dt.date(2023, 12, 31)) and not q.relative
    assert parse("去年成都新设经营主体多少户？", TODAY).relative  # no date: each article's year


def test_a_place_inside_another_named_later_is_the_subject() -> None:
    # 四川某公司（郫县）: the county is asked about; 成都外贸占四川: the city stays first.
    assert parse("四川蜀新材料（郫县）二期项目总投资多少？", TODAY).places[0].name == "郫都区"
    assert parse("成都外贸进出口占四川的比重是多少？", TODAY).places[0].name == "成都市"


def test_the_city_of_a_market_is_not_cut_from_its_market() -> None:
    q = parse("2022年末成都市场主体总量是多少？", TODAY)
    assert [p.name for p in q.places] == ["成都市"] and q.terms[0] == "市场主体"


def test_quoted_names_stay_whole() -> None:
    q = parse("2025年成都“春暖蓉城”消费券总额是多少？", TODAY)
    assert "春暖蓉城" in q.terms and "春暖蓉城" in q.names


def test_traditional_script_is_read_as_simplified() -> None:
    q = parse("2023年成都新設經營主體多少戶？", TODAY)
    assert q.terms == ("新设", "经营主体") and q.unit == "户"


@pytest.mark.parametrize(("text", "period"), [
    ("Chengdu GDP first half of 2021", (dt.date(2021, 1, 1), dt.date(2021, 6, 30))),
    ("Sichuan total foreign trade, January to November 2023", (dt.date(2023, 1, 1), dt.date(2023, 11, 30))),
    ("Exports of Chengdu in Q1 2017", (dt.date(2017, 1, 1), dt.date(2017, 3, 31))),
    ("How many market entities did Chengdu have at the end of 2023?", (dt.date(2023, 12, 31), dt.date(2023, 12, 31))),
    ("Chengdu's loan balance at the end of March 2021", (dt.date(2021, 3, 31), dt.date(2021, 3, 31))),
])
def test_english_questions_are_read_into_chinese(text: str, period: tuple) -> None:
    assert is_english(text)
    q = parse(text, TODAY)
    assert q.lang == "en" and _period(q) == period and q.places


def test_english_places_come_from_the_pinyin_of_the_gazetteer() -> None:
    # No hand list: any county of the gazetteer is read (Xinjin, Pidu, Deyang).
    for name, zh in (("Xinjin", "新津区"), ("Deyang", "德阳市"), ("Neijiang", "内江市")):
        assert zh in to_chinese(f"How much grain did {name} produce in 2021?")


def test_english_words_nothing_reads_are_counted_as_asked() -> None:
    assert unread("How many zorblats did Chengdu build in 2023?") == ["zorblats", "build"]
    assert unread("Chengdu GDP first half of 2021") == []
    # a gloss in brackets explains a name: its words are not asked for
    assert unread("Sichuan exports of the 'new three' (EVs, solar cells) in 2023") == []
    assert unread("Sichuan exports of the 'new three' EVs solar cells in 2023") == ["evs", "solar", "cells"]


def test_how_many_asks_for_a_count() -> None:
    assert parse("How many elderly residents in Chengdu received the allowance in 2023?", TODAY).count
    assert not parse("How much did Chengdu export in 2023?", TODAY).count


def test_a_place_must_start_a_word() -> None:
    # 融资中信用贷款: 资中 (a county) starts inside 融资
    assert parse("交子信易贷融资中信用贷款占比多少？", TODAY).places == ()


def test_a_year_given_after_the_period_is_its_year() -> None:
    q = parse("前11个月四川一般贸易占进出口总值比重（2023年）", TODAY)
    assert _period(q) == (dt.date(2023, 1, 1), dt.date(2023, 11, 30))
