"""Period expressions resolved against the publication date."""
from __future__ import annotations

import datetime as dt

import pytest

from etl.extract.periods import _combined, _matches, find_periods

PUB = dt.date(2023, 12, 14)


def months(text, pub=PUB):
    ps = [p for p in find_periods(text, pub) if p.period]
    assert ps, text
    p = ps[-1].period
    return (p.start.year, p.start.month), (p.end.year, p.end.month), p.asof


@pytest.mark.parametrize("text,start,end", [
    ("1-8月", (2023, 1), (2023, 8)),
    ("1-8 月,全市", (2023, 1), (2023, 8)),
    ("1-9月", (2023, 1), (2023, 9)),
    ("前11月", (2023, 1), (2023, 11)),
    ("今年前11月", (2023, 1), (2023, 11)),
    ("前三季度", (2023, 1), (2023, 9)),
    ("今年", (2023, 1), (2023, 12)),
    ("去年", (2022, 1), (2022, 12)),
    ("明年", (2024, 1), (2024, 12)),
    ("2022年", (2022, 1), (2022, 12)),
    ("11月份", (2023, 11), (2023, 11)),
    ("自2019年以来", (2019, 1), (2023, 12)),
    ("今年以来", (2023, 1), (2023, 12)),
    ("未来5年", (2023, 1), (2027, 12)),
    ("连续三年", (2021, 1), (2023, 12)),
    ("上半年", (2023, 1), (2023, 6)),
])
def test_spans(text, start, end):
    s, e, asof = months(text)
    assert (s, e, asof) == (start, end, False)


@pytest.mark.parametrize("text,month", [
    ("去年末", (2022, 12)), ("去年底", (2022, 12)), ("截至2020年底", (2020, 12)),
    ("截至目前", (2023, 12)), ("目前", (2023, 12)),
])
def test_as_of(text, month):
    s, e, asof = months(text)
    assert asof and s == e == month


def test_as_of_month_keeps_year_to_date():
    p = find_periods("截至今年8月", PUB)[0].period
    assert p.asof and p.ytd and (p.start, p.end) == (dt.date(2023, 1, 1), dt.date(2023, 8, 31))
    p = find_periods("截至2023年11月", PUB)[0].period
    assert p.end == dt.date(2023, 11, 30)


def test_month_span_ends_on_last_day():
    p = find_periods("1-2月", dt.date(2024, 3, 5))[0].period
    assert p.end == dt.date(2024, 2, 29)


def test_year_less_month_after_publication_is_last_year():
    s, e, _ = months("1-11月", dt.date(2024, 1, 25))
    assert s == (2023, 1) and e == (2023, 11)


def test_comparison_base_and_dates_are_not_periods():
    ps = find_periods("去年净增3489家,较2021年增长95%", PUB)
    assert [p.text for p in ps if p.period] == ["去年"]
    assert [p.text for p in ps if p.period is None] == ["2021年"]
    assert find_periods("12月13日,海关发布", PUB) == []


def test_unknown_publication_date():
    assert find_periods("今年前11月", None)[0].period is None


def test_as_of_now_then_this_year_is_year_to_date():
    ps = [p for p in find_periods("截至目前，今年全市引进各类人才约4.2万名", dt.date(2015, 9, 16)) if p.period]
    assert (ps[0].period.start, ps[0].period.end) == (dt.date(2015, 1, 1), dt.date(2015, 9, 30))


def test_project_before_months_is_not_now():
    ps = [p for p in find_periods("重大项目前10月完成投资", PUB) if p.period]
    assert [p.name for p in ps] == ["first_months"]
    assert ps[0].period.end == dt.date(2023, 10, 31)


def test_multiple_of_an_earlier_year_is_a_comparison_base():
    ps = find_periods("是2019年的2.5倍", PUB)
    assert ps and ps[0].period is None


@pytest.mark.parametrize("text", [
    "预计到2025年，全市地区生产总值达到3万亿元", "预计到 　2025 　年底", "二十一 - 二十二 月", "十一-十二月份",
    "前 十二 个 月", "自 2019 年以来", "截至目前，今年", "今年截至  现在", "项目前期", "过去 五 年里和未来 三 年",
    "全年实现增长", "这一年来", "上半年和第三季度", "1-10月，规模以上工业增加值", "2023年11月", "年",
])
def test_anchored_search_finds_what_the_full_scan_finds(text):
    # _matches searches the combined pattern only shortly before each anchor word.
    full = [(m.span(), m.lastgroup, m.groups()) for m in _combined().finditer(text)]
    assert [(m.span(), m.lastgroup, m.groups()) for m in _matches(text)] == full
