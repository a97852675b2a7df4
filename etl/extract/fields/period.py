"""A figure's period: the nearest period expression before it (etl.extract.periods), one later
in its clause, or the period carried over from the sentences before (同期, 其中, the reporting
period of the article's statistics); stocks are measured at the end of a span."""
from __future__ import annotations

import datetime as dt
import functools
import re

from etl.extract.fields.context import RESPECTIVELY, Context, clause_end, listed_after
from etl.extract.fields.kind import cue_re
from etl.extract.fields.status import status_free
from etl.extract.lexicon import alternation, table
from etl.extract.model import Article
from etl.extract.numbers import NumberMention
from etl.extract.periods import (
    Period,
    PeriodMention,
    comparison_words,
    find_periods,
    span,
    year_before,
)


@functools.lru_cache(maxsize=1)
def continuation_re() -> re.Pattern:
    words = [r["word"] for r in table("period_words.csv") if r["role"] in ("same_period", "continuation")]
    return re.compile(rf"^\s*(?:{alternation(words)})")


@functools.lru_cache(maxsize=1)
def _same_period_re() -> re.Pattern:
    return re.compile(alternation(r["word"] for r in table("period_words.csv") if r["role"] == "same_period"))


def month_of_list(period: Period, text: str, n: NumberMention, numbers: list[NumberMention]) -> Period:
    """1-3月,...指数分别为67.9%、58.3%、71.3%: as many figures listed after 分别 as the span has
    months, one per month in order."""
    if period.asof or period.start.year != period.end.year or period.start.month >= period.end.month:
        return period
    k = text.rfind(RESPECTIVELY, 0, n.start)
    if k < 0 or re.search("[、和与及]", text[:text.find(RESPECTIVELY)]):
        return period  # 出口、进口分别...: the figures are the listed subjects', not the months'
    run = listed_after(text, k, n, numbers)
    months = period.end.month - period.start.month + 1
    if len(run) != months or n not in run:
        return period
    m = period.start.month + run.index(n)
    return span(period.start.year, m, period.start.year, m)


@functools.cache
def _period_words(role: str) -> tuple[str, ...]:
    return tuple(r["word"] for r in table("period_words.csv") if r["role"] == role)


def _reports_like_before(text: str, metric: str | None, ctx: Context) -> bool:
    """A sentence without a period of its own continues the statistics of the article's
    reporting period when it reports changes (增长, 下降, 同比) or the same metric, and has no
    forecast/target cue."""
    if not status_free(text):
        return False
    if ctx.lead or cue_re(("growth",)).search(text):
        return True
    return bool(metric) and any(metric in m or m in metric for m in ctx.reported_metrics if len(m) >= 2)


def figure_period(reference: list[PeriodMention], text: str, n: NumberMention, kind: str, ctx: Context,
            metric: str | None, lo: int) -> Period | None:
    """The nearest period before the figure in its sentence, else one later in its clause,
    else the period carried over from a continued sentence (同期, 其中, after a semicolon) or
    from the statistics of the previous sentences (a sentence reporting 同比 changes).
    `reference` is `reference_periods` of the sentence's periods; `lo` the start of the
    figure's clause."""
    usable = [p for p in reference if not (p.start < lo and is_local(p, text))] if reference else []
    before = [p for p in usable if p.end <= n.start] if usable else []
    while before and before[-1].name == "same_last_year" and not _OWN_LAST_YEAR.match(text[before[-1].end:n.start]):
        before = before[:-1]
    if not before and ctx.period and _same_period_re().search(text[: n.start]):
        return ctx.period
    if before:
        p = _in_context_year(before[-1], before[:-1], ctx)
    else:
        if usable:
            stop = clause_end(text, n.end)
            after = [p for p in usable if n.end <= p.start < stop]
        else:
            after = []
        if after:
            p = after[0].period
        else:
            p = ctx.period if (ctx.continued or "同比" in text) else None
            if p is None and ctx.reported is not None and not usable and not ctx.headline \
                    and _reports_like_before(text, metric, ctx):
                p = ctx.reported  # the period of the article's statistics so far (前三季度, ... 。X增长7.6%)
        if p is None:
            return None
    if p.ytd:
        flow = kind == "growth" or "同比" in text[lo:clause_end(text, clause_end(text, n.end) + 1)]
        return Period(p.start, p.end) if flow else Period(p.end, p.end, asof=True)
    return p


def _in_context_year(pm: PeriodMention, earlier: list[PeriodMention], ctx: Context) -> Period:
    """全年/当年 means the year being talked about (2024年，...全年; a January report on 去年),
    not always the publication year."""
    p = pm.period
    if pm.name != "this_year" or p is None:
        return p
    for q in [e.period for e in reversed(earlier)] + [ctx.period, ctx.reported]:
        if q is not None and q.start.year == q.end.year:
            return Period(dt.date(q.start.year, 1, 1), dt.date(q.start.year, 12, 31))
    return p


def is_local(p: PeriodMention, text: str) -> bool:
    """连续三年 and event times (于2022年底) qualify only their own clause."""
    prev = text[p.start - 1] if p.start else ""
    return p.clause_scoped or bool(prev and prev in _period_words("event"))


def reference_periods(periods: list[PeriodMention], text: str) -> list[PeriodMention]:
    """Resolved periods that can be a figure's period (not a year inside a name: 主办的2023年...)."""
    attribute = _period_words("attribute")
    out = []
    for p in periods:
        prev = text[p.start - 1] if p.start else ""
        if p.period is None or (prev and prev in attribute and p.name == "year"):
            continue
        out.append(p)
    return out


def recent_part_of_year(p: Period, published: dt.date | None) -> bool:
    """A span of months shorter than a year, or a month's end, that ended in the half year before
    publication: what a statistics report's lead announces (1-2月, 一季度, 3月末), unlike 2020年 or
    自2012年."""
    if published is None or (p.start.month == 1 and p.end.month == 12 and not p.asof) or p.start.year != p.end.year:
        return False
    return dt.timedelta(0) <= published - p.end <= dt.timedelta(days=183)


_SINCE_YEAR_START = re.compile("(?:比|较|比上|较上)年(?:初|末|底)")


def since_year_start(period: Period | None, text: str, clause: int, at: int) -> Period | None:
    """比年初增加 at a month's end is the flow since January (截至2月末...比年初增加 -> Jan-Feb)."""
    if period is None or not period.asof or not _SINCE_YEAR_START.search(text, clause, at):
        return period
    return span(period.end.year, 1, period.end.year, period.end.month)


def as_of_if_stock(period: Period | None, metric: str | None) -> Period | None:
    """A stock (总量, 实有, 拥有量) over a span is measured at the span's end."""
    if period and metric and not period.asof and _is_stock(metric):
        return Period(period.end, period.end, asof=True)
    return period


@functools.lru_cache(maxsize=4096)
def _is_stock(metric: str) -> bool:
    return any(w in metric for w in _period_words("stock"))


def opening_year(article: Article, published: dt.date) -> Period | None:
    """The past year an annual review or bulletin is about: a whole year before the publication
    year that is the first period of its headline or of its first body sentence."""
    for sent in article.sentences[:LEAD_SENTENCES]:
        periods = find_periods(sent.text, published)
        if periods:
            p = periods[0].period
            if periods[0].name == "year" and p is not None and p.start.year < published.year \
                    and periods[0].start <= OPENING_SPAN:
                return p
            if not sent.is_headline:
                return None
        elif not sent.is_headline:
            return None
    return None


def in_context(periods: list[PeriodMention], ctx: Context, text: str = "") -> list[PeriodMention]:
    """全年 / 年内 in a review of a past year mean that year, not the publication year; 去年同期
    (not after 较 / 比) is the period in context a year earlier."""
    if not periods:
        return periods
    y = ctx.article_year
    base = ctx.period or ctx.reported
    out = []
    for p in periods:
        if p.name == "this_year" and y is not None:
            p = PeriodMention(p.start, p.end, p.text, y, p.name)
        elif p.name == "same_last_year" and base is not None and not text.endswith(comparison_words(), 0, p.start):
            p = PeriodMention(p.start, p.end, p.text, year_before(base), p.name)
        out.append(p)
    return out


# Between 去年同期 and the figure it dates (去年同期的81.7%, 去年同期为38亿元); a figure further on
# (比重从去年同期的81.7%上升至87.8%) is of the current period.
_OWN_LAST_YEAR = re.compile(r"^\s*(?:的|为|是|仅为|仅|达|有)?\s*$")


OPENING_SPAN = 12  # the year opens the sentence or title (2017年, ... / 成都市新津县2021年...)


LEAD_SENTENCES = 3  # headline and lead: where a report names its source (人民银行贵阳中心支行)
