"""etl.extract.fields.period: the period a figure refers to."""
from __future__ import annotations

import datetime as dt

from fieldkit import PUBLISHED, context, figure, periods

from etl.extract.fields.period import as_of_if_stock, figure_period, opening_year, reference_periods, since_year_start
from etl.extract.model import Article, Sentence
from etl.extract.periods import Period


def _period(text: str, mention: str, kind: str = "amount", **ctx) -> tuple | None:
    n = figure(text, mention)
    ref = reference_periods(periods(text), text)
    p = figure_period(ref, text, n, kind, context(**ctx), None, 0)
    return (p.start, p.end, p.asof) if p else None


def test_the_nearest_period_before_the_figure():
    assert _period("2023年,全市实现营业收入90亿元", "90亿元")[:2] == (dt.date(2023, 1, 1), dt.date(2023, 12, 31))
    assert _period("1-2月,出口额45亿元", "45亿元")[:2] == (dt.date(2024, 1, 1), dt.date(2024, 2, 29))


def test_a_comparison_base_is_not_the_figures_period():
    p = _period("今年一季度,实现进出口150亿元,比上年同期增长12%", "12%", "growth")
    assert p[:2] == (dt.date(2024, 1, 1), dt.date(2024, 3, 31))


def test_a_sentence_without_period_inherits_a_continued_one():
    ctx_period = Period(dt.date(2024, 1, 1), dt.date(2024, 2, 29))
    assert _period("其中出口30亿元", "30亿元", period=ctx_period, continued=True)[:2] == (ctx_period.start, ctx_period.end)
    assert _period("出口30亿元", "30亿元") is None


def test_a_stock_over_a_span_is_measured_at_its_end_and_since_year_start_is_a_flow():
    span = Period(dt.date(2024, 1, 1), dt.date(2024, 6, 30))
    stock = as_of_if_stock(span, "实有市场主体总量")
    assert (stock.start, stock.end, stock.asof) == (dt.date(2024, 6, 30), dt.date(2024, 6, 30), True)
    month_end = Period(dt.date(2024, 2, 29), dt.date(2024, 2, 29), asof=True)
    text = "2月末贷款余额比年初增加300亿元"
    flow = since_year_start(month_end, text, 0, text.index("300"))
    assert (flow.start, flow.end) == (dt.date(2024, 1, 1), dt.date(2024, 2, 29))


def test_a_review_of_a_past_year_opens_with_it():
    texts = ["2022年全区经济运行情况", "全年实现地区生产总值500亿元"]
    sents = tuple(Sentence(f"s{i}", "d", "a", 0, len(t), t, (), role="headline" if i == 0 else "body")
                  for i, t in enumerate(texts))
    p = opening_year(Article("a", "d", texts[0], 0, 1, sents), PUBLISHED)
    assert (p.start, p.end) == (dt.date(2022, 1, 1), dt.date(2022, 12, 31))
