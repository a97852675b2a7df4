"""Reference periods of figures: find period expressions in a sentence and resolve them.

Relative expressions (今年, 去年末, 前11月, 截至目前, 未来5年) are resolved against the publication
date. A period is a (start, end) pair of dates: a month span starts on the 1st and ends on the
last day of its last month; an as-of figure (截至2023年11月, 去年末, 目前) has start = end.
"""
from __future__ import annotations

import calendar
import datetime as dt
import functools
import re
from collections.abc import Iterator
from dataclasses import dataclass

from etl.extract.lexicon import table

SP = r"[ \u3000]*"
CN_SMALL = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9,
            "十": 10, "十一": 11, "十二": 12}
RELATIVE_YEARS = {"今年": 0, "本年": 0, "当年": 0, "全年": 0, "去年": -1, "上年": -1, "明年": 1,
                  "前年": -2, "后年": 2}
YEAR = rf"(?:(?P<y>(?:19|20)\d\d){SP}年|(?P<rel>今年|本年|去年|上年|明年|前年|后年))"
NUM = r"(?:\d{1,2}|[一二两三四五六七八九十]{1,3})"


@dataclass(frozen=True)
class Period:
    """A reference period; `asof` marks a stock figure measured at `end`."""

    start: dt.date
    end: dt.date
    asof: bool = False
    ytd: bool = False  # 截至 a month: year-to-date for flows, as-of for stocks


@dataclass(frozen=True, init=False)
class PeriodMention:
    start: int
    end: int
    text: str
    period: Period | None  # None: a comparison base or unresolvable
    name: str = ""  # which pattern matched (recent_years, month_span, ...)

    def __init__(self, start: int, end: int, text: str, period: Period | None, name: str = "") -> None:
        # Filling __dict__ is 2x faster than the generated frozen __init__ (an object.__setattr__
        # call per field). Fields are still read-only.
        d = self.__dict__
        d["start"], d["end"], d["text"], d["period"], d["name"] = start, end, text, period, name

    @property
    def clause_scoped(self) -> bool:
        """连续三年 / 近五年 qualify only their own clause."""
        return self.name in ("recent_years", "future_years", "same_last_year")


@functools.lru_cache(maxsize=4096)
def month_end(y: int, m: int) -> dt.date:
    return dt.date(y, m, calendar.monthrange(y, m)[1])


@functools.lru_cache(maxsize=4096)
def span(y1: int, m1: int, y2: int, m2: int) -> Period:
    """Months m1 of y1 to m2 of y2 (cached, like `asof`: periods are immutable and recur)."""
    return Period(dt.date(y1, m1, 1), month_end(y2, m2))


@functools.lru_cache(maxsize=4096)
def asof(y: int, m: int) -> Period:
    d = month_end(y, m)
    return Period(d, d, asof=True)


def _n(s: str | None) -> int | None:
    if not s:
        return None
    if s.isdigit():
        return int(s)
    return CN_SMALL.get(s)


@functools.lru_cache(maxsize=1)
def _patterns() -> list[tuple[str, re.Pattern]]:
    y_opt = rf"(?:{YEAR}{SP})?"
    defs = [
        ("ytd_now", rf"(?:今年|本年){SP}(?:截[至止](?:到)?{SP}(?:目前|当前|现在)|以来)|截[至止](?:到)?{SP}(?:目前|当前|现在)[，,]?{SP}(?:今年|本年)"),
        ("asof_now", rf"截[至止](?:到)?{SP}(?:目前|当前|现在|发稿时|今天|日前)"),
        ("since", rf"(?:自|从)?{SP}{YEAR}{SP}(?:以来|至今)"),
        ("asof_month", rf"截[至止](?:到)?{SP}{y_opt}(?P<m>\d{{1,2}}|[一二三四五六七八九十]{{1,3}}){SP}月(?:份)?(?:底|末)?(?!{SP}\d{{1,2}}{SP}日)"),
        ("year_end", rf"(?:截[至止](?:到)?{SP})?{YEAR}{SP}(?:底|末|年底|年末)"),
        ("month_span", rf"{y_opt}(?P<m1>\d{{1,2}}|[一二三四五六七八九十]{{1,3}}){SP}(?:月{SP})?(?:[-—–~～至到]|－){SP}(?P<m2>\d{{1,2}}|[一二三四五六七八九十]{{1,3}}){SP}月(?!{SP}\d{{1,2}}{SP}日)"),
        ("first_months", rf"{y_opt}前{SP}(?P<m>\d{{1,2}}|[一二两三四五六七八九十]{{1,3}}){SP}(?:个)?月"),
        ("month_end", rf"{y_opt}(?P<m>\d{{1,2}}|十一|十二|[一二三四五六七八九十]){SP}月(?:份)?(?:末|底)"),
        ("quarters", rf"{y_opt}(?P<q>前三季度|前两季度|一季度|第一季度|二季度|第二季度|三季度|第三季度|四季度|第四季度|上半年|下半年)"),
        ("future_years", rf"未来{SP}(?P<n>{NUM}){SP}年"),
        ("recent_years", rf"(?:连续|近|过去){SP}(?P<n>{NUM}){SP}年"),
        ("by_year", rf"(?:到|至|力争到|预计到){SP}(?P<y>(?:19|20)\d\d){SP}年(?:底|末)?"),
        ("month", rf"{y_opt}(?P<m>\d{{1,2}}|十一|十二|[一二三四五六七八九十]){SP}月(?:份|(?!{SP}(?:\d|[一二三四五六七八九十])))(?!{SP}日)"),
        ("same_last_year", rf"(?:去年|上年){SP}同期"),
        ("this_year", r"这一年来|这一年|一年来|年内|全年"),
        ("year", YEAR),
        ("now", r"(?<!项)目前|当前|眼下|如今|至今|现已"),
    ]
    return [(name, re.compile(p)) for name, p in defs]


# Characters a match of each pattern can start with (YEAR: a year digit or a relative year).
_YEAR_FIRST = "12今本去上明前后"
_MONTH_FIRST = _YEAR_FIRST + r"\d一二三四五六七八九十"
_FIRST_CHARS = {
    "ytd_now": "今本截", "asof_now": "截", "since": "自从 　" + _YEAR_FIRST, "asof_month": "截",
    "year_end": "截" + _YEAR_FIRST, "month_span": _MONTH_FIRST, "first_months": _YEAR_FIRST + "前",
    "quarters": _YEAR_FIRST + "前一二三四第上下", "month_end": _MONTH_FIRST, "future_years": "未", "recent_years": "连近过",
    "by_year": "到至力预", "month": _MONTH_FIRST, "this_year": "这一年全", "year": _YEAR_FIRST,
    "now": "目当眼如至现", "same_last_year": "去上",
}


# Every pattern's match contains one of 年 月 季度 截至 截止 目前 当前 现在 现已 眼下 如今 至今:
# a sentence without any has no period. (Words, not single characters: 前 and 现 alone are in
# most sentences, 实现 and 前进 included.) Written as a character class, then the word's other
# character, so that sre scans for the class in its fast loop. Keep in step with `_patterns`.
_ANCHOR = re.compile("[年月季截目当现眼如至](?:(?<=[年月])|(?<=季)度|(?<=截)[至止]|(?<=[目当])前|(?<=现)[在已]"
                     "|(?<=眼)下|(?<=[如至])今)")


@functools.lru_cache(maxsize=1)
def _combined() -> re.Pattern:
    parts = []
    for i, (name, p) in enumerate(_patterns()):
        # rename groups so the alternation compiles: y -> y_i etc.
        src = re.sub(r"\(\?P<(\w+)>", lambda m, i=i: f"(?P<{m.group(1)}_{i}>", p.pattern)
        # The lookahead rejects a position in one step instead of trying the whole pattern.
        parts.append(f"(?=[{_FIRST_CHARS[name]}])(?P<k{i}>{src})")
    # Every pattern starts with one of these characters: a cheap lookahead skips the other
    # positions before the alternation is tried (3x faster on newspaper text).
    first = r"(?=[\d 　一二两三四五六七八九十今本去上下明前后截自从到至力预未连近过这年全目当眼如现第])"
    # Characters common on their own (年, 全, 现, 目, 上, spaces...) start a match only as part
    # of these words (年内, 全年, 现已, 目前, 上年/上半年, spaces before a year: 自 2023年以来):
    # a second lookahead, tried only where the first succeeded, spares them the alternation.
    first += (r"(?=[\d一二两三四五六七八九十前第截自从到至预未连近过]|[ 　]+(?:\d|[今本去上明前后]年)"
              r"|[今本去上明后]年|[上下]半|年内|全年|这一|目前|当前|眼下|如今|现已|力争)")
    return re.compile(first + "(?:" + "|".join(parts) + ")")


@functools.lru_cache(maxsize=1)
def _groups() -> tuple[tuple[str, tuple[tuple[str, str], ...]], ...]:
    """Per pattern of `_combined()`: its name and its groups as (own name, name in the alternation)."""
    return tuple((name, tuple((g, f"{g}_{i}") for g in p.groupindex)) for i, (name, p) in enumerate(_patterns()))


def _year(g: dict[str, str | None], pub: dt.date | None) -> int | None:
    if g.get("y"):
        return int(g["y"])
    if g.get("rel"):
        return pub.year + RELATIVE_YEARS[g["rel"]] if pub else None
    return None


def _month_year(month: int, pub: dt.date | None) -> int | None:
    """Year of a year-less month: the latest such month not after the publication month."""
    if not pub:
        return None
    return pub.year if month <= pub.month else pub.year - 1


def _resolve(name: str, g: dict[str, str | None], pub: dt.date | None) -> Period | None:
    if name == "same_last_year":
        return None  # the period a year before the one in context (see year_before)
    y = _year(g, pub)
    if name in ("asof_now", "now"):
        return asof(pub.year, pub.month) if pub else None
    if name == "ytd_now":
        return span(pub.year, 1, pub.year, pub.month) if pub else None
    if name == "since":
        return span(y, 1, pub.year, pub.month) if (y and pub) else None
    if name == "asof_month":
        m = _n(g.get("m"))
        if not m or m > 12:
            return None
        y = y or _month_year(m, pub)
        return Period(dt.date(y, 1, 1), month_end(y, m), asof=True, ytd=True) if y else None
    if name == "month_end":  # 3月末: a stock at the end of that month
        m = _n(g.get("m"))
        if not m or m > 12:
            return None
        y = y or _month_year(m, pub)
        return asof(y, m) if y else None
    if name == "year_end":
        return asof(y, 12) if y else None
    if name == "month_span":
        m1, m2 = _n(g.get("m1")), _n(g.get("m2"))
        if not m1 or not m2 or not (1 <= m1 <= m2 <= 12):
            return None
        y = y or _month_year(m2, pub)
        return span(y, m1, y, m2) if y else None
    if name == "first_months":
        m = _n(g.get("m"))
        if not m or m > 12:
            return None
        y = y or _month_year(m, pub)
        return span(y, 1, y, m) if y else None
    if name == "quarters":
        q = g["q"].replace("第", "")
        m1, m2 = {"前三季度": (1, 9), "前两季度": (1, 6), "一季度": (1, 3), "二季度": (4, 6),
                  "三季度": (7, 9), "四季度": (10, 12), "上半年": (1, 6), "下半年": (7, 12)}[q]
        y = y or (_month_year(m2, pub) if pub and m2 < pub.month else (pub.year if pub else None))
        return span(y, m1, y, m2) if y else None
    if name == "future_years":
        n = _n(g.get("n"))
        return span(pub.year, 1, pub.year + n - 1, 12) if (pub and n) else None
    if name == "recent_years":
        n = _n(g.get("n"))
        return span(pub.year - n + 1, 1, pub.year, 12) if (pub and n) else None
    if name == "by_year":
        return span(y, 1, y, 12) if y else None
    if name == "month":
        m = _n(g.get("m"))
        if not m or m > 12:
            return None
        y = y or _month_year(m, pub)
        return span(y, m, y, m) if y else None
    if name == "this_year":
        return span(pub.year, 1, pub.year, 12) if pub else None
    if name == "year":
        return span(y, 1, y, 12) if y else None
    return None


@functools.lru_cache(maxsize=1)
def comparison_words() -> tuple[str, ...]:
    """Words that make the following period a comparison base (较2021年, 比去年同期)."""
    return tuple(r["word"] for r in table("period_words.csv") if r["role"] == "comparison")


_JOINS = frozenset(("和", "与", "、", "及", "以及", "或"))


def find_periods(text: str, published: dt.date | None) -> list[PeriodMention]:
    """Period expressions of a sentence, in order, resolved against `published`."""
    out: list[PeriodMention] = []
    a = _ANCHOR.search(text)
    if a is None:
        return out  # most sentences: no word a period needs, no scan of every position
    comp = comparison_words()
    readers = _readers()
    base_end = -1  # end of the last comparison base
    for m in _matches(text, a):
        # The pattern's own group k<i> encloses its other groups, so it is the last one closed.
        i, name, fulls = readers[m.lastgroup]
        s = m.start()
        if text.endswith(comp, max(0, s - 3), s) or (base_end >= 0 and text[base_end:s] in _JOINS):
            period = None  # a comparison base: 较2021年, 比去年同期, 比一月和二月
            base_end = m.end()
        else:
            # m.group(*fulls): the values of the pattern's groups (a tuple only for two or more)
            values = m.group(*fulls) if len(fulls) > 1 else (m.group(fulls[0]),) if fulls else ()
            period = _resolved(i, values, published)
        out.append(PeriodMention(s, m.end(), m.group(), period, name))
    return out


# At most this many characters other than spaces ([ \u3000], which SP repeats without bound)
# precede the first anchor word (`_ANCHOR`) of a match: 预计到2023年, 二十一-二十二月 (7).
_ANCHOR_LEAD = 8


def _matches(text: str, first: re.Match | None = None) -> Iterator[re.Match]:
    """`_combined().finditer(text)`, fast: every match contains an anchor word, at most
    `_ANCHOR_LEAD` characters (spaces aside) after its start, so the pattern is only tried from
    shortly before the next anchor on, not at every position of the sentence. (The pattern's
    lookbehinds still see the text before a search's start position.) `first`: the first
    anchor of the text, when already searched."""
    search = _combined().search
    anchor = _ANCHOR.search
    spaced = " " in text or "\u3000" in text
    pos = 0
    while True:
        a = first or anchor(text, pos)
        first = None
        if a is None:
            return
        start = a.start()
        if spaced:  # back over _ANCHOR_LEAD characters, spaces not counted
            lead = 0
            while start > pos:
                c = text[start - 1]
                if c != " " and c != "\u3000":
                    if lead == _ANCHOR_LEAD:
                        break
                    lead += 1
                start -= 1
        else:
            start = max(pos, start - _ANCHOR_LEAD)
        m = search(text, start)
        if m is None:
            return
        yield m
        pos = m.end()


@functools.lru_cache(maxsize=1)
def _readers() -> dict[str, tuple[int, str, tuple[str, ...]]]:
    """Group k<i> of `_combined()` -> i, the pattern's name, its groups' names in the alternation."""
    return {f"k{i}": (i, name, tuple(full for _, full in names)) for i, (name, names) in enumerate(_groups())}


@functools.lru_cache(maxsize=4096)
def _resolved(i: int, values: tuple[str | None, ...], published: dt.date | None) -> Period | None:
    """`_resolve` of pattern i of `_combined()` with these group values (cached: 今年, 前三季度
    and 1-10月 recur on every page, with one publication date)."""
    name, names = _groups()[i]
    return _resolve(name, {own: v for (own, _), v in zip(names, values, strict=True)}, published)


@functools.lru_cache(maxsize=256)
def publication_month(published: dt.date | None) -> Period | None:
    """The as-of period of a figure with no stated period: the publication month."""
    return asof(published.year, published.month) if published else None


PERIOD_TYPES = ("month", "quarter", "ytd", "year", "stock", "span")


def period_type(start: dt.date | None, end: dt.date | None) -> str | None:
    """The length class of a reference period, which a series never mixes: a month (11月), a
    quarter (二季度), year to date (1-11月, 前三季度, 一季度), a calendar year, a stock at a date
    (余额 at 3月末, 截至...), or another span. None without a period."""
    if start is None or end is None:
        return None
    if start == end:
        return "stock"
    if start.year != end.year or start.day != 1 or end != month_end(end.year, end.month):
        return "span"
    if start.month == end.month:
        return "month"
    if start.month == 1:
        return "year" if end.month == 12 else "ytd"
    if end.month - start.month == 2 and start.month in (4, 7, 10):
        return "quarter"
    return "span"


def year_before(p: Period) -> Period:
    """The same period a year earlier (去年同期 of 2017年一季度 is 2016年一季度)."""
    if p.asof:
        return asof(p.end.year - 1, p.end.month)
    return span(p.start.year - 1, p.start.month, p.end.year - 1, p.end.month)
