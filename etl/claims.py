"""Claim extraction: the numeric claims of an article, with kind, metric, region, period,
status, topic and sector.

    extract_article(article, doc) -> list[Claim]

Numbers come from `etl.numbers`, places from `etl.places`, periods from `etl.periods`, topics
from `etl.topics`; every cue word list is a table in `data/`. Context flows through the
article: a sentence without a place or period inherits the article's (headline first), then
the page's default (the outlet's city).
"""
from __future__ import annotations

import datetime as dt
import functools
import re
from dataclasses import dataclass, field

from etl.lexicon import alternation, grouped, table
from etl.model import Article, Claim, Document, Sentence
from etl.numbers import NumberMention, find_numbers
from etl.periods import (
    Period,
    PeriodMention,
    comparison_words,
    find_periods,
    publication_month,
    span,
    year_before,
)
from etl.places import (
    Place,
    PlaceMention,
    by_name,
    common_area,
    find_places,
    gazetteer,
    generic_kind,
    is_sichuan,
    names_matcher,
    outlet_region,
    places_of,
    resolve_generic,
    strip_place_names,
)
from etl.topics import figure_sector, segment, topic_of

SKIPPED_ROLES = ("byline", "meta")
CLAUSE_BREAKS = "，,；;。！？!?：:、"
RATE_KINDS = ("growth", "share", "change_pp", "rank", "multiple")
MAX_LEFT, MAX_RIGHT = 14, 10
APPROX_COPULA = re.compile(r"约(?:是|为|占|相当于)")
CJK = re.compile(r"[\u4e00-\u9fff]")
_NUMERAL = re.compile(r"[\d０-９零〇一二两三四五六七八九十百千万亿]")


# --------------------------------------------------------------------------- lexicons

@functools.lru_cache(maxsize=1)
def _metric_words() -> dict[str, tuple[str, ...]]:
    return {k: tuple(sorted(v, key=len, reverse=True)) for k, v in grouped("metric_words.csv", "role", "word").items()}


@functools.cache
def _role_re(role: str, anchor: str) -> re.Pattern:
    alt = alternation(_metric_words().get(role, ()))
    if anchor == "lead":
        return re.compile(rf"^(?:{alt})+")
    if anchor == "trail":
        # (?:w)(?:w)* is (?:w)+, but starting with the words lets sre skip to their first characters.
        return re.compile(rf"(?:{alt})(?:{alt})*$")
    return re.compile(alt)


@functools.lru_cache(maxsize=1)
def _kind_cues() -> dict[str, tuple[str, int]]:
    return {r["cue"]: (r["kind"], int(r["sign"] or 1)) for r in table("kind_cues.csv")}


@functools.cache
def _cue_re(kinds: tuple[str, ...]) -> re.Pattern:
    return re.compile(alternation(c for c, (k, _) in _kind_cues().items() if k in kinds))


@functools.lru_cache(maxsize=1)
def _status_cues() -> dict[str, str]:
    return {r["word"]: r["status"] for r in table("status_words.csv") if r["status"] in ("forecast", "target")}


@functools.cache
def _status_role_re(role: str) -> re.Pattern:
    return re.compile(alternation(r["word"] for r in table("status_words.csv") if r["status"] == role))


PLAN_ARTICLE_SHARE = 0.4


def is_plan_article(article: Article) -> bool:
    """Most sentences speak of plans (将, 要, 力争, 加快...): unmarked figures are targets."""
    body = [s for s in article.sentences if not s.is_headline]
    if len(body) < 3:
        return False
    pattern = _status_role_re("plan_style")
    return sum(1 for s in body if pattern.search(s.text)) / len(body) >= PLAN_ARTICLE_SHARE


@functools.lru_cache(maxsize=1)
def _status_re() -> re.Pattern:
    return re.compile(alternation(_status_cues()))


GENERIC_PLACE_WORDS = ("全市", "全省", "全区", "全县", "本市", "我市", "全球", "全国")


@functools.lru_cache(maxsize=1)
def _continuation_re() -> re.Pattern:
    words = [r["word"] for r in table("period_words.csv") if r["role"] in ("same_period", "continuation")]
    return re.compile(rf"^\s*(?:{alternation(words)})")


@functools.lru_cache(maxsize=1)
def _same_period_re() -> re.Pattern:
    return re.compile(alternation(r["word"] for r in table("period_words.csv") if r["role"] == "same_period"))


# --------------------------------------------------------------------------- context

@dataclass
class Context:
    """What an article has established so far (carried from sentence to sentence)."""

    published: dt.date | None
    default_region: Place | None
    region: Place | None = None
    period: Period | None = None
    metric: str | None = None
    continued: bool = False  # this sentence continues the previous one (其中, 同期, after ；)
    plan_year: Period | None = None  # the latest year the article talks about (for targets)
    plan: bool = False  # a plan article: unmarked figures are targets
    article_region: Place | None = None  # the place the article is mostly about
    home: Place | None = None  # its province: places there set the context of what follows
    article_year: Period | None = None  # a past year the article opens with (2017年,全市... / 2021年...统计公报)
    title: str = ""
    seen: list = field(default_factory=list)
    new_paragraph: bool = True  # this sentence opens a paragraph (or a headline)
    headline: bool = False  # this sentence is a headline
    sub_items: bool = False  # the sentence lists parts of a whole (其中...), continued after ；
    org_places: list = field(default_factory=list)
    rate_metric: str | None = None  # metric of the latest percentage figure (for 提高N个百分点)
    rate_kind: str | None = None  # and its kind (growth: 增速高于全省)  # places inside organisation names of the sentence
    reported: Period | None = None  # the reporting period of the article's statistics so far
    reported_metrics: set = field(default_factory=set)  # metrics reported for that period
    lead: bool = False  # the reporting period was announced by a lead without figures


# The last clause break of a span (searched with endpos), and the next one.
_LAST_BREAK = re.compile(f"[{re.escape(CLAUSE_BREAKS)}][^{re.escape(CLAUSE_BREAKS)}]*\\Z")
_NEXT_BREAK = re.compile(f"[{re.escape(CLAUSE_BREAKS)}]")


def _clause_start(text: str, i: int, floor: int = 0, headline: bool = False) -> int:
    """Start of the clause containing text[i] (after the last clause break before i), not before `floor`."""
    if not headline:
        m = _LAST_BREAK.search(text, floor, i)
        return m.start() + 1 if m else floor
    j = i - 1
    while j >= floor:
        ch = text[j]
        if ch in CLAUSE_BREAKS:
            break
        if ch == " " and 0 < j < len(text) - 1 and CJK.match(text[j - 1] or "") and CJK.match(text[j + 1]):
            break  # headlines separate their clauses with spaces
        j -= 1
    return max(j + 1, floor)


_HARD_BREAK = re.compile("[，,；;。！？!?：:][^，,；;。！？!?：:]*\\Z")


def _list_start(text: str, i: int) -> int:
    """Start of the clause containing text[i] when 、 does not end clauses (a listed figure's cue)."""
    m = _HARD_BREAK.search(text, max(0, i - 80), i)
    return m.start() + 1 if m else max(0, i - 80)


def _clause_end(text: str, j: int) -> int:
    """Position of the first clause break at or after j (the end of the text if none)."""
    m = _NEXT_BREAK.search(text, j)
    return m.start() if m else max(j, len(text))


# --------------------------------------------------------------------------- fields

def _kind(n: NumberMention, left: str) -> tuple[str, int]:
    """Kind of a figure and the sign of its value (a decline is negative)."""
    left = left.replace(" ", "")
    if n.ordinal:
        return "rank", 1
    if n.unit == "%":
        cues = list(_cue_re(("growth", "share", "level", "index")).finditer(left))
        if cues:
            kind, sign = _kind_cues()[cues[-1].group()]
            if kind == "level":  # 占比提高到65%: the level reached, not a change
                return ("growth" if RATE_NOUNS.search(left, 0, cues[-1].start()) else "share"), 1
            if kind == "index":
                return "other", 1
            return kind, sign if kind == "growth" else 1
        return "share", 1
    if n.unit_kind == "change_pp":
        cues = list(_cue_re(("growth",)).finditer(left))
        return "change_pp", (_kind_cues()[cues[-1].group()][1] if cues else 1)
    if n.unit_kind == "amount" and n.unit != "元" and _cue_re(("other",)).search(left):
        return "other", 1
    return n.unit_kind, 1


RATE_NOUNS = re.compile("增速|增幅|增长率|增长速度")


def _is_rank_context(left: str) -> bool:
    return bool(_cue_re(("rank",)).search(left.replace(" ", "")))


_PUNCT = re.compile(r"[\s“”\"'‘’《》「」【】—…·•\-]")
# [0-9]+ written as [0-9][0-9]*: a pattern that starts with a character class is searched fast.
_DATE_PART = re.compile(r"[0-9０-９][0-9０-９]*\s*[年月日号]")
_FIGURES = re.compile(r"[0-9０-９.%][0-9０-９.%]*")


# A bracketed note, closed or cut at the clause's end: (GDP), (下同), (以下简称...), (不含...); not
# the brackets of a name (区(市)县, 村(社区)级).
_GLOSS = re.compile(r"[(（](?:[A-Za-z]+|下同|以下简称[^()（）]*|不?含[^()（）]*)(?:[)）]|$)|[(（][^()（）]*$")


@functools.lru_cache(maxsize=8192)
def _clean_metric(s: str, kind: str) -> str:
    """The metric words of a clause fragment: names, dates, figures and cue words removed
    (cached: a pure function of short fragments that recur, like 同比增长 before a rate)."""
    s = _GLOSS.sub("", s)
    s = _PUNCT.sub("", s)
    s = strip_place_names(s, GENERIC_PLACE_WORDS)
    s = _role_re("strip", "any").sub("", s)
    s = _DATE_PART.sub("", s)
    s = _FIGURES.sub("", s)
    if kind in RATE_KINDS:
        s = _role_re("kind_cue", "trail").sub("", s)
    lead, trail = _role_re("lead", "lead"), _role_re("trail", "trail")
    for _ in range(3):
        before = s
        s = trail.sub("", lead.sub("", s))
        if s == before:
            break  # a fixed point: further rounds change nothing
    return s.strip("()（）的")


@functools.lru_cache(maxsize=1)
def _comparison_re() -> re.Pattern:
    return re.compile(alternation(r["word"] for r in table("period_words.csv") if r["role"] == "comparison"))


def _is_generic(s: str) -> bool:
    return not s or not _role_re("generic", "any").sub("", s)


# A metric starting or ending with one of these was cut at the wrong place (")产权", "比增长").
_FRAGMENT_EDGES = ")）(（的比较和与及、，,"


@functools.lru_cache(maxsize=8192)
def is_metric_fragment(metric: str | None) -> bool:
    """A metric that names nothing: empty, one character, only function / cue words (增长, 下同,
    分别, 较), or cut at a bracket or function word (X占比 ends a share's name, not a cut)."""
    if not metric or len(metric) < 2 or metric[0] in _FRAGMENT_EDGES:
        return True
    if metric[-1] in _FRAGMENT_EDGES and not metric.endswith("占比"):
        return True
    rest = _role_re("kind_cue", "any").sub("", _role_re("generic", "any").sub("", metric))
    return not _role_re("lead", "any").sub("", _role_re("trail", "any").sub("", rest))


def _metric(text: str, n: NumberMention, kind: str, lo: int, ctx: Context, prev_metric: str | None,
            masks: list[tuple[int, int]]) -> str | None:
    left_raw = text[lo:n.start]
    for a, b in masks:  # period expressions inside the clause
        if b > lo and a < n.start:
            a2, b2 = max(a, lo) - lo, min(b, n.start) - lo
            left_raw = left_raw[:a2] + " " * (b2 - a2) + left_raw[b2:]
    if prev_metric and ENUM_JOINS.match(left_raw.strip()):
        return prev_metric  # 分别实现进出口352.6亿元和298.4亿元: the second figure of a pair
    if kind == "multiple" and "是" in left_raw:
        left_raw = left_raw[: left_raw.rindex("是")]
    if "等" in left_raw and kind not in RATE_KINDS:
        left_raw = left_raw[left_raw.rindex("等") + 1:]  # X、Y等N个Z: the examples are not the metric
    if kind == "change_pp":
        against = _compared_with_place(text[_list_start(text, n.start):n.start])
        base = ctx.rate_metric or prev_metric
        if against and base:  # 增速高于全省1.9个百分点 -> 规模以上工业增加值增速高于全省
            rate = "增速" if ctx.rate_kind == "growth" and not base.endswith(("增速", "增幅", "增长")) else ""
            return f"{base}{rate}{against}"
        cut = _comparison_re().search(left_raw)
        if cut:
            left_raw = left_raw[:cut.start()]  # 增速比上半年提高 -> 增速; 较上年同期下降 -> ''
        if ctx.rate_metric and _is_generic(_clean_metric(left_raw, kind)):
            return ctx.rate_metric  # the rate or share this change refers to
    left = _tail_words(_clean_metric(left_raw, kind), MAX_LEFT)
    if kind in RATE_KINDS:
        ranked_group = kind == "rank" and _is_rank_context(left_raw)  # 居副省级城市第一: a group, not a metric
        if kind == "share" and "占" in left_raw:
            return _share_metric(left_raw, prev_metric) or prev_metric or left or None
        if _is_generic(left) or (ranked_group and prev_metric):
            return prev_metric or left or None
        return left
    right = ""
    if kind == "count" or (kind in ("amount", "other") and len(left) <= 2):
        tail = text[n.end:_clause_end(text, n.end)].replace(" ", "")
        stop = _role_re("right_stop", "any").search(tail)
        tail = tail[: stop.start()] if stop else tail
        if tail and CJK.match(tail[0]):
            right = _clean_metric(tail[:MAX_RIGHT], kind)
    return (left + right) or None


_SHARE_TAIL = re.compile("(?:的)?(?:比重|比例|份额|占比)?(?:的|为|达|达到|超过|超|近|约)*$")


def _share_metric(left_raw: str, subject: str | None) -> str | None:
    """X ... 占(同期)四川进出口总值的39.2% -> X占进出口总值比重 (X: the figure's subject, the metric
    before it or the words before 占); X占比 when the whole is not named."""
    k = left_raw.rindex("占")
    if not subject or _is_generic(subject):
        subject = _tail_words(_clean_metric(left_raw[:k], "amount"), MAX_LEFT)
    if not subject:
        return None
    whole = "" if left_raw.startswith("比", k + 1) else \
        _SHARE_TAIL.sub("", _clean_metric(_SHARE_TAIL.sub("", left_raw[k + 1:]), "amount"))  # 占比达48%
    if not whole or whole in subject or subject in whole or _clean_metric(whole, "growth") in subject:
        return f"{subject}占比"  # 民营企业进出口占进出口总值的45.3%: the whole repeats the subject
    return f"{subject}占{whole}比重"


_AGAINST = re.compile("(高于|低于|快于|慢于|超过|超出|比)(?:同期)?")
_AFTER_PLACE = re.compile(r"^(?:平均水平|平均|水平|整体|同期)*(?:[(（][^()（）]*[)）])?(?:水平)?(高|低|快|慢)?")
_DIRECTION = {"高于": "高于", "快于": "高于", "超过": "高于", "超出": "高于", "低于": "低于", "慢于": "低于",
              "高": "高于", "快": "高于", "低": "低于", "慢": "低于"}


def _compared_with_place(left: str) -> str | None:
    """高于全省 / 比全国(22%)高 / 低于全市平均水平 before a change in points: the comparison with
    a place, as a metric says it (高于全省), else None (a change over time: 较上年提高)."""
    find, names = names_matcher(GENERIC_PLACE_WORDS)
    for m in reversed(list(_AGAINST.finditer(left))):
        rest = left[m.end():]
        spans = find(rest)
        if not spans or spans[0][1] != 0:
            continue
        k, _, b = spans[0]
        word = names[k]
        tail = _AFTER_PLACE.match(rest[b:])
        direction = _DIRECTION.get(m.group(1)) if m.group(1) != "比" else _DIRECTION.get(tail.group(1) or "")
        if direction:
            return direction + word
    return None


def _tail_words(s: str, limit: int) -> str:
    """The last jieba words of `s` that fit in `limit` characters."""
    if len(s) <= limit:
        return s
    out = ""
    for w in reversed(segment(s)):
        if len(out) + len(w) > limit:
            break
        out = w + out
    return out or s[-limit:]


def _status(text: str, n: NumberMention, period: Period | None, ctx: Context, clause: int,
            cued: bool, achieved: bool) -> str:
    """An explicit cue in the figure's clause or the one before wins, unless an achievement
    marker (已, 累计) follows it; a future period means forecast; a plan article means target.
    `clause` is the start of the figure's clause; `cued` / `achieved` say whether the sentence
    has a status cue / an achievement marker anywhere (when not, no part of it has one)."""
    if cued or achieved:
        lo = _clause_start(text, max(0, clause - 1))
        before = text[lo: n.start]
        cues = list(_status_re().finditer(before)) if cued else []
        done = list(_status_role_re("achieved").finditer(before)) if achieved else []
        if cues and not (done and done[-1].start() > cues[-1].start()):
            return _status_cues()[cues[-1].group()]
        if done:
            return "actual"
    published = ctx.published
    if period and published and (period.start.year, period.start.month) > (published.year, published.month):
        return "forecast"
    if ctx.plan and not achieved:
        return "target"
    return "actual"


def _resolve(pm: PlaceMention, ctx: Context) -> Place | None:
    if pm.place is not None:
        return pm.place
    return _generic(pm.generic, ctx)


def _generic(kind: str, ctx: Context) -> Place | None:
    """全市 / 全省 / 全区 in context: the current place's, else the article's (全区 in a district's
    bulletin is that district even where the sentence before named its city)."""
    for context in (ctx.region, ctx.article_region, ctx.home):
        if context is not None:
            q = resolve_generic(kind, context, None, False)
            if q is not None:
                return q  # 我省 in a report from another province is that province
    return resolve_generic(kind, None, ctx.default_region)


def _usable_places(places: list[PlaceMention], text: str, n: NumberMention, kind: str,
                   cs: int, home: Place | None) -> list[PlaceMention]:
    """Places before the figure that can be its region: not examples of a list (X、Y等8家),
    not a share's denominator (在全省...中占比), not a remote province outside the clause
    (which starts at `cs`)."""
    out = []
    first_clause = _NEXT_BREAK.search(text)
    first_clause = first_clause.start() if first_clause else len(text)
    for p in places:
        if p.end > n.start:
            break
        between = text[p.end:n.start]
        if "等" in between and not any(ch in "，,；;。" for ch in between):
            continue
        if kind == "share" and "占" in between and text[max(0, p.start - 1):p.start] == "在":
            continue
        if p.place is not None and cs > p.start >= first_clause and not _at_home(p.place, home):
            continue  # 以宁德时代...为链主: a remote place outside the figure's clause and not the subject
        out.append(p)
    return out


def _area(pms: list[PlaceMention], ctx: Context, min_distinct: int) -> Place | None:
    """One place, or the common area of an enumeration of places of one level."""
    if len(pms) == 1:  # most figures: one place, no enumeration (min_distinct is at least 2)
        return _resolve(pms[0], ctx)
    return _area_of([q for q in (_resolve(p, ctx) for p in pms) if q is not None], min_distinct)


def _area_of(resolved: list[Place], min_distinct: int) -> Place | None:
    """The last place, or the area covering an enumeration of at least `min_distinct` places
    of one level; counties listed among cities count as their cities (自贡、富顺、泸县、泸州 ->
    自贡市、泸州市 -> 四川省)."""
    if not resolved:
        return None
    distinct = {q.name: q for q in resolved}
    if len(distinct) >= min_distinct:
        levels = {q.level for q in distinct.values()}
        if len(levels) > 1 and levels <= COUNTY_LEVELS | {"city"}:
            distinct = {c.name: c for c in (_city_of(q) for q in distinct.values()) if c is not None}
            levels = {"city"} if len(distinct) > 1 else levels
        if len(levels) == 1:
            return common_area(list(distinct.values())) or resolved[-1]
    return resolved[-1]


COUNTY_LEVELS = frozenset(("county", "district"))


def _city_of(p: Place) -> Place | None:
    """The city of a county-level place (the place itself for a city)."""
    return by_name().get(p.parent) if p.level in COUNTY_LEVELS else p


RESPECTIVELY = "分别"
SUB_ITEMS = "其中"
ENUM_JOINS = re.compile(r"^(?:[、和与及]|以及)$")
FIGURE_JOINS = re.compile(r"[、和与及，,]")


def _respectively(usable: list[PlaceMention], text: str, n: NumberMention) -> PlaceMention | None:
    """X、Y分别...N1和N2: the k-th figure after 分别 belongs to the k-th place of the list."""
    k = text.rfind(RESPECTIVELY, 0, n.start)
    if k < 0 or any(ch in "。；;" for ch in text[k:n.start]):
        return None
    listed = [p for p in usable if p.end <= k]
    if len(listed) < 2:
        return None
    group = [listed[-1]]
    for p in reversed(listed[:-1]):
        if not ENUM_JOINS.match(text[p.end:group[0].start]):
            break
        group.insert(0, p)
    if len(group) < 2:
        return None
    if text[group[-1].end:k].strip(" ，,"):
        # 成都平原经济区、川南、攀西和川东北科技型中小企业...比重分别为52%、21%、15%和10%: words
        # between the list and 分别, but as many figures after it as places in the list.
        stop = min((i for i in (text.find(ch, k) for ch in "。；;") if i >= 0), default=len(text))
        if any(ch in "。；;" for ch in text[group[-1].end:k]) or len(_figures_between(text, k, stop)) != len(group):
            return None
    order = len(_figures_between(text, k, n.start))
    return group[order] if order < len(group) else None


def _listed_after(text: str, k: int, n: NumberMention, numbers: list[NumberMention]) -> list[NumberMention]:
    """The run of figures of n's unit listed after text[k] (分别为N1、N2和N3), joined by 、 和 ，."""
    listed = [m for m in numbers if m.start > k and m.unit == n.unit]
    run = listed[:1]
    for a, b in zip(listed, listed[1:], strict=False):
        if not FIGURE_JOINS.fullmatch(text[a.end:b.start].strip() or "、"):
            break
        run.append(b)
    return run


def _month_of_list(period: Period, text: str, n: NumberMention, numbers: list[NumberMention]) -> Period:
    """1-3月,...指数分别为67.9%、58.3%、71.3%: as many figures listed after 分别 as the span has
    months, one per month in order."""
    if period.asof or period.start.year != period.end.year or period.start.month >= period.end.month:
        return period
    k = text.rfind(RESPECTIVELY, 0, n.start)
    if k < 0 or re.search("[、和与及]", text[:text.find(RESPECTIVELY)]):
        return period  # 出口、进口分别...: the figures are the listed subjects', not the months'
    run = _listed_after(text, k, n, numbers)
    months = period.end.month - period.start.month + 1
    if len(run) != months or n not in run:
        return period
    m = period.start.month + run.index(n)
    return span(period.start.year, m, period.start.year, m)


@functools.lru_cache(maxsize=1)
def _synonyms() -> tuple[re.Pattern, dict[str, str]]:
    rows = {r["word"]: r["canonical"] for r in table("metric_synonyms.csv")}
    return re.compile(alternation(rows)), rows


@functools.lru_cache(maxsize=8192)
def _canonical_metric(metric: str | None) -> str | None:
    """GDP总量 -> 地区生产总值: one label for the written forms of a metric (data/metric_synonyms.csv)."""
    if not metric:
        return metric
    pattern, rows = _synonyms()
    return pattern.sub(lambda m: rows[m.group()], metric) if pattern.search(metric) else metric


_LIST_SPLIT = re.compile("、")
_SHARED_PREFIX = ("对", "向", "从", "经")


def _listed_metric(text: str, n: NumberMention, kind: str, numbers: list[NumberMention],
                   places: list[PlaceMention]) -> str | None:
    """A、B、C分别(为/进口/增长)N1、N2、N3: the k-th figure measures the k-th subject (一、二、三产业
    增加值分别为... -> 二产业增加值; 对欧盟、美国分别进出口... -> 对美国进出口). None when the sentence
    is not of that form, or its subjects are places (their figures share one metric)."""
    k = text.rfind(RESPECTIVELY, 0, n.start)
    if k < 0 or any(ch in "。；;" for ch in text[k:n.start]):
        return None
    start = _list_start(text, k)
    subject = text[start:k].strip()
    items = [x.strip() for x in _LIST_SPLIT.split(subject)]
    if len(items) < 2 or not all(items):
        return None
    if any(p.start >= start and p.end <= k for p in places) and all(
            any(p.start >= start and p.end <= k and p.text in item for p in places) for item in items[1:]):
        return None  # 成都、德阳分别...: places, handled by the region
    run = _listed_after(text, k, n, numbers)
    if n not in run or len(run) != len(items):
        return None
    # 一、二、三产业增加值: the last subject carries the words the list shares.
    short = max(len(x) for x in items[:-1])
    last = items[-1]
    suffix = last[short:] if len(last) > short + 1 and all(len(x) <= 2 for x in items[:-1]) else ""
    if suffix:
        items[-1] = last[:short]
    prefix = next((p for p in _SHARED_PREFIX if items[0].startswith(p)), "")
    item = items[run.index(n)]
    if prefix and not item.startswith(prefix):
        item = prefix + item
    verb = _clean_metric(text[k + len(RESPECTIVELY):run[0].start], kind)
    label = _clean_metric(item + suffix, "amount") + (verb if kind not in RATE_KINDS else "")
    return label or None


_MAGNITUDE_END = ("亿", "万", "千")


def _list_units(numbers: list[NumberMention], text: str) -> list[NumberMention]:
    """29.8亿、16.2亿、12.9亿元: figures of a list written with a magnitude only take the unit of the
    list's last figure."""
    if len(numbers) < 2 or not any(not m.unit and m.text.endswith(_MAGNITUDE_END) for m in numbers):
        return numbers
    out = list(numbers)
    for i in range(len(out) - 2, -1, -1):
        m, nxt = out[i], out[i + 1]
        if m.unit or not m.text.endswith(_MAGNITUDE_END) or not nxt.unit:
            continue
        if FIGURE_JOINS.fullmatch(text[m.end:nxt.start].strip() or "x") and nxt.text.rstrip(nxt.unit).endswith(
                m.text[-1]):
            out[i] = NumberMention(m.start, m.end, m.text, m.value, nxt.unit, nxt.unit_kind, m.qualifier,
                                   m.ordinal, m.chinese)
    return out


def _figures_between(text: str, a: int, b: int) -> list:
    """Numbers in text[a:b] (the figures listed before this one after 分别)."""
    from etl.numbers import find_numbers

    return find_numbers(text[a:b])


def _subject_place(area: Place | None, candidates: list[PlaceMention], usable: list[PlaceMention]) -> Place | None:
    """成都作为全省...、成都占全省...: a generic word after a place inside it is a frame, not the subject."""
    if area is None or not candidates or candidates[-1].place is not None:
        return area
    for p in reversed(usable):
        if p.place is not None and p.start < candidates[-1].start and _inside(p.place, area):
            return p.place
    return area


def _inside(p: Place, area: Place) -> bool:
    seen: set[str] = set()
    q: Place | None = by_name().get(p.parent)
    while q is not None and q.name not in seen:
        if q.name == area.name:
            return True
        seen.add(q.name)
        q = by_name().get(q.parent)
    return False


_BENCHMARK_WINDOW = 12
_BENCHMARK_BRACKET = re.compile(r"(?:平均)?(?:水平|增速|增幅)?[(（]$")


def benchmark_word(text: str, n: NumberMention) -> str | None:
    """The place word a figure is the own figure of when quoted as a benchmark: 高于同期全国2.8%的
    增幅 (the place right before the figure, which is followed by 的), 高于全省平均水平(10.5%) (the
    figure in brackets after the place). None for any other figure."""
    after = text[n.end:n.end + 1]
    if after not in ("的", ")", "）"):
        return None
    window = text[max(0, n.start - _BENCHMARK_WINDOW):n.start]
    find, names = names_matcher(GENERIC_PLACE_WORDS)
    spans = find(window)
    if not spans:
        return None
    k, _, b = spans[-1]
    rest = window[b:]
    if (not rest and after == "的") or (_BENCHMARK_BRACKET.match(rest) and after != "的"):
        return names[k]
    return None


_GROUP_TAIL = re.compile(r"\s|第+$")


def _compared_metric(text: str, n: NumberMention, kind: str, lo: int, claims: list[Claim]) -> str | None:
    """The metric of a figure that places the one before it: a benchmark (增长11.5%,高于全省平均
    水平(10.5%): the same metric) or a rank (固定资产投资增长21.6%,居全省第2位 -> 固定资产投资增速
    全省排名). None when the sentence has no figure before it to refer to."""
    before = claims[-1]
    if not before.metric or is_metric_fragment(before.metric):
        return None
    if kind != "rank":
        return before.metric if before.unit == n.unit else None
    cues = list(_cue_re(("rank",)).finditer(text, lo, n.start))  # lo: after the figure before
    if not cues:
        return None
    group = _GROUP_TAIL.sub("", text[cues[-1].end():n.start])
    if len(group) > 8 or any(ch in CLAUSE_BREAKS for ch in group):
        return None
    base = before.metric
    if before.kind == "rank":
        return base  # 第一和第二位: the second rank of the same list
    rate = "增速" if before.kind == "growth" and not base.endswith(("增速", "增幅")) else ""
    return f"{base}{rate}{group}排名"


def _benchmark_kind(text: str, n: NumberMention, claims: list[Claim]) -> str:
    """A benchmark is the rate it is compared with: 全国2.8%的整体进出口增幅 is a growth rate, and
    增长11.5%,高于全省平均水平(10.5%) one too."""
    if _cue_re(("growth",)).search(text, n.end, _clause_end(text, n.end)):
        return "growth"
    like = next((c for c in reversed(claims) if c.unit == n.unit), None)
    return like.kind if like is not None else "share"


def _benchmark_place(text: str, n: NumberMention, ctx: Context) -> Place | None:
    """The place of a figure quoted as a benchmark (see benchmark_word)."""
    word = benchmark_word(text, n)
    if word is None:
        return None
    place = gazetteer().get(word)
    if place is not None:
        return place
    kind = generic_kind(word)
    return _generic(kind, ctx) if kind else None


def _region(places: list[PlaceMention], text: str, n: NumberMention, kind: str, prev_end: int,
            ctx: Context, headline: bool, clause: int) -> Place | None:
    """The region of a figure (`clause`: the start of its clause)."""
    follower = text[n.end:n.end + 3].lstrip(" (（")
    if follower[:1] in ("区", "县") or follower.startswith(("市(", "市（", "城市", "市州")):
        # a count of districts or cities: the region is the area that contains them
        area = "city" if follower[:1] in ("区", "县") else "province"
        return resolve_generic(area, ctx.region or ctx.article_region, ctx.default_region)
    benchmark = _benchmark_place(text, n, ctx)
    if benchmark is not None:
        return benchmark
    usable = _usable_places(places, text, n, kind, clause, ctx.home) if places else []
    if usable:
        paired = _respectively(usable, text, n)
        if paired is not None:
            return _resolve(paired, ctx)
        segment = [p for p in usable if p.start >= prev_end]
        if segment:
            return _subject_place(_area(segment, ctx, 2), segment, usable)
        return _subject_place(_area(usable, ctx, 3), usable, usable)
    orgs = [p for p in ctx.org_places if p.end <= n.start] if ctx.org_places else []
    if orgs:
        return orgs[-1].place  # 双流国际机场完成旅客吞吐量...: the organisation's place
    if headline:
        return ctx.article_region or ctx.default_region
    return ctx.region or ctx.article_region or ctx.default_region


@functools.cache
def _period_words(role: str) -> tuple[str, ...]:
    return tuple(r["word"] for r in table("period_words.csv") if r["role"] == role)


def _reports_like_before(text: str, metric: str | None, ctx: Context) -> bool:
    """A sentence without a period of its own continues the statistics of the article's
    reporting period when it reports changes (增长, 下降, 同比) or the same metric, and has no
    forecast/target cue."""
    if not status_free(text):
        return False
    if ctx.lead or _cue_re(("growth",)).search(text):
        return True
    return bool(metric) and any(metric in m or m in metric for m in ctx.reported_metrics if len(m) >= 2)


def _period(reference: list[PeriodMention], text: str, n: NumberMention, kind: str, ctx: Context,
            metric: str | None, lo: int) -> Period | None:
    """The nearest period before the figure in its sentence, else one later in its clause,
    else the period carried over from a continued sentence (同期, 其中, after a semicolon) or
    from the statistics of the previous sentences (a sentence reporting 同比 changes).
    `reference` is `_reference_periods` of the sentence's periods; `lo` the start of the
    figure's clause."""
    usable = [p for p in reference if not (p.start < lo and _is_local(p, text))] if reference else []
    before = [p for p in usable if p.end <= n.start] if usable else []
    while before and before[-1].name == "same_last_year" and not _OWN_LAST_YEAR.match(text[before[-1].end:n.start]):
        before = before[:-1]
    if not before and ctx.period and _same_period_re().search(text[: n.start]):
        return ctx.period
    if before:
        p = _in_context_year(before[-1], before[:-1], ctx)
    else:
        if usable:
            stop = _clause_end(text, n.end)
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
        flow = kind == "growth" or "同比" in text[lo:_clause_end(text, _clause_end(text, n.end) + 1)]
        return Period(p.start, p.end) if flow else Period(p.end, p.end, asof=True)
    return p


def status_free(text: str) -> bool:
    """No forecast/target cue in the sentence: it reports results like the ones before it."""
    return not _status_re().search(text)


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


def _is_local(p: PeriodMention, text: str) -> bool:
    """连续三年 and event times (于2022年底) qualify only their own clause."""
    prev = text[p.start - 1] if p.start else ""
    return p.clause_scoped or bool(prev and prev in _period_words("event"))


def _reference_periods(periods: list[PeriodMention], text: str) -> list[PeriodMention]:
    """Resolved periods that can be a figure's period (not a year inside a name: 主办的2023年...)."""
    attribute = _period_words("attribute")
    out = []
    for p in periods:
        prev = text[p.start - 1] if p.start else ""
        if p.period is None or (prev and prev in attribute and p.name == "year"):
            continue
        out.append(p)
    return out


def _recent_part_of_year(p: Period, published: dt.date | None) -> bool:
    """A span of months shorter than a year, or a month's end, that ended in the half year before
    publication: what a statistics report's lead announces (1-2月, 一季度, 3月末), unlike 2020年 or
    自2012年."""
    if published is None or (p.start.month == 1 and p.end.month == 12 and not p.asof) or p.start.year != p.end.year:
        return False
    return dt.timedelta(0) <= published - p.end <= dt.timedelta(days=183)


_SINCE_YEAR_START = re.compile("(?:比|较|比上|较上)年(?:初|末|底)")


def _since_year_start(period: Period | None, text: str, clause: int, at: int) -> Period | None:
    """比年初增加 at a month's end is the flow since January (截至2月末...比年初增加 -> Jan-Feb)."""
    if period is None or not period.asof or not _SINCE_YEAR_START.search(text, clause, at):
        return period
    return span(period.end.year, 1, period.end.year, period.end.month)


def _as_of_if_stock(period: Period | None, metric: str | None) -> Period | None:
    """A stock (总量, 实有, 拥有量) over a span is measured at the span's end."""
    if period and metric and not period.asof and _is_stock(metric):
        return Period(period.end, period.end, asof=True)
    return period


@functools.lru_cache(maxsize=4096)
def _is_stock(metric: str) -> bool:
    return any(w in metric for w in _period_words("stock"))


# --------------------------------------------------------------------------- extraction

def digit_breaks(sent: Sentence) -> tuple[int, ...]:
    """Positions of the sentence text where a source line break fell between two digits."""
    text, offs = sent.text, sent.offsets
    if not offs or offs[-1] - offs[0] + 1 == len(text):
        return ()  # the sentence had no line break inside
    return tuple(i for i in range(1, len(text))
                 if offs[i] - offs[i - 1] > 1 and text[i - 1].isdigit() and text[i].isdigit())


def sentence_numbers(sent: Sentence) -> list[NumberMention]:
    """Figures of a sentence (independent of the article context)."""
    text = sent.text
    if not _NUMERAL.search(text):
        return []  # no numeral at all (a C scan): most sentences
    return find_numbers(text, digit_breaks(sent)) if sent.offsets else find_numbers(text)


def extract_sentence(sent: Sentence, doc: Document, ctx: Context, numbers: list[NumberMention] | None = None,
                     places: list[PlaceMention] | None = None) -> list[Claim]:
    """Claims of one sentence; updates the article context `ctx`. `numbers` (sentence_numbers)
    and `places` (find_places with orgs) may be passed when already computed."""
    text = sent.text
    ctx.continued = ctx.continued or bool(_continuation_re().match(text))
    if numbers is None:
        numbers = sentence_numbers(sent)
    if places is None:
        places = find_places(text, with_orgs=bool(numbers))
    if not numbers:  # most sentences: they only carry the context on
        ctx.org_places = []
        periods = _in_context(find_periods(text, doc.published), ctx, text)
        reference = _reference_periods(periods, text) if periods else []
        carried = _without_orgs(places) if places else places
        spans = [p for p in reference if not _is_local(p, text)] if reference else []
        stripped = text.rstrip()
        if carried or spans:
            _update_context(ctx, carried, spans, ctx.metric, text=text)
        else:  # _update_context without places or periods, inlined (most of these sentences)
            listing = ctx.continued and ctx.sub_items
            ctx.sub_items = (listing or text.find(SUB_ITEMS) >= 0) and not stripped.endswith(("。", "！", "？"))
            if not ctx.continued:
                ctx.period = None
        ctx.continued = stripped.endswith((";", "；", ",", "，"))
        return []
    if any(p.org for p in places):
        ctx.org_places = [p for p in places if p.org and _at_home(p.place, ctx.home) and p.place.level != "province"]
    else:
        ctx.org_places = []
    places = _without_orgs(places) if places else places
    periods = _in_context(find_periods(text, doc.published), ctx, text)
    has_period = bool(periods) and any(q.period is not None for q in periods)
    # Asked for every figure: whether the sentence has a status cue / an achievement marker at all.
    cue = _status_re().search(text)
    achieved = _status_role_re("achieved").search(text) is not None
    headline = sent.role == "headline"  # sent.is_headline
    offsets = sent.offsets  # sent.span(), read in place (see below)
    base = sent.start if not offsets and sent.end - sent.start == len(text) else None
    title = ctx.title
    claims: list[Claim] = []
    prev_end = 0
    prev_metric = ctx.metric
    masks = [(p.start, p.end) for p in periods] if periods else []
    reference = _reference_periods(periods, text) if periods else []
    numbers = _list_units(numbers, text)
    listed = RESPECTIVELY in text  # (asked for every figure: 分别 lists are rare)
    for n in numbers:
        clause = _clause_start(text, n.start)
        # The clause from the previous figure on (for headlines, spaces between words separate clauses).
        lo = _clause_start(text, n.start, prev_end, True) if headline else max(clause, prev_end)
        left = text[lo:n.start]
        if n.ordinal and n.unit == "位" and not n.text.endswith(("位", "名")) and not _is_rank_context(text[clause:n.start]):
            continue
        kind, sign = _kind(n, left)
        if ENUM_JOINS.match(left.strip() or text[max(0, lo - 1):lo]):
            like = next((c for c in reversed(claims) if c.unit == n.unit), None)
            if like is not None:  # 分别增长10%、2.5%: the kind of the list's first figure
                kind, sign = like.kind, (-1 if (like.value or 0) < 0 else 1)
            else:  # 分别增长2.1倍、44.5%: the cue before the list
                kind, sign = _kind(n, text[_list_start(text, n.start):n.start])
        benchmark = n.unit == "%" and benchmark_word(text, n) is not None
        if benchmark and kind == "share":
            kind = _benchmark_kind(text, n, claims)
        region = _region(places, text, n, kind, prev_end, ctx, headline, clause)
        metric = (listed and _listed_metric(text, n, kind, numbers, places)) or \
            _metric(text, n, kind, lo, ctx, prev_metric, masks)
        if claims and (benchmark or kind == "rank"):
            metric = _compared_metric(text, n, kind, lo, claims) or metric
        if prev_metric and kind not in RATE_KINDS and is_metric_fragment(metric) and claims \
                and claims[-1].unit == n.unit:
            metric = prev_metric  # 突破百万大关,达100.56万户: the figure the clause goes on about
        metric = _canonical_metric(metric)
        period = _period(reference, text, n, kind, ctx, metric, clause)
        if period is not None and listed:
            period = _month_of_list(period, text, n, numbers)
        status = _status(text, n, period, ctx, clause, cue is not None, achieved)
        if period is None:
            period = (ctx.article_year or publication_month(doc.published)) if status == "actual" else ctx.plan_year
        period = _since_year_start(_as_of_if_stock(period, metric), text, clause, n.start)
        qualifier = n.qualifier
        if qualifier == "exact" and "约" in left and APPROX_COPULA.search(left):
            qualifier = "approx"  # 约是一期的2倍, 约为
        if base is not None:
            start, end = base + n.start, base + n.end
        else:
            start, end = sent.span(n.start, n.end)
        ctx.seen.append((len(claims), has_period, bool(cue and cue.start() < n.start), headline))
        claims.append(Claim(  # positional: one per figure, 3x cheaper than keywords
            sent.doc_id, sent.article_id, sent.sentence_id, start, end, doc.text[start:end], sign * n.value,
            n.unit, qualifier, kind, metric, region.name if region else None,
            period.start if period else None, period.end if period else None, status,
            topic_of(metric, text, title, n.unit), figure_sector(metric, text, title),
        ))
        if n.unit == "%" and metric:
            ctx.rate_metric, ctx.rate_kind = metric, kind
        if metric and kind not in RATE_KINDS:
            prev_metric = metric
        elif metric:
            prev_metric = prev_metric or metric
        prev_end = n.end
    spans = [p for p in reference if not _is_local(p, text)] if reference else []
    if len(spans) > 1 and claims:
        # 前10个月...132.2亿美元,接近去年全年133.7亿美元: the sentence reports the period of its first
        # figure that states one, not the last period it names.
        own = {(p.period.start, p.period.end): p for p in spans}
        first = next((own[k] for c in claims if (k := (c.period_start, c.period_end)) in own), None)
        if first is not None:
            spans = [q for q in spans if q is not first] + [first]
    _update_context(ctx, places, spans, prev_metric,
                    reporting=bool(claims) and cue is None, metrics=tuple(c.metric for c in claims if c.metric) if claims else (), text=text)
    ctx.continued = text.rstrip().endswith((";", "；", ",", "，"))
    return claims


def _update_context(ctx: Context, places: list[PlaceMention], periods: list[PeriodMention], metric: str | None,
                    reporting: bool = False, metrics: tuple[str, ...] = (), text: str | None = None) -> None:
    sub = text.find(SUB_ITEMS) if text is not None else -1
    listing = ctx.continued and ctx.sub_items  # 其中，A...；B...；C...: the whole enumeration lists parts
    ctx.sub_items = (listing or sub >= 0) and not (text or "").rstrip().endswith(("。", "！", "？"))
    carried = []
    for p in places:
        if listing or 0 <= sub < p.start:
            break  # 其中 X...: a part of the whole, not the subject of what follows
        q = p.place if p.place is not None else _generic(p.generic, ctx)
        if q is not None and _at_home(q, ctx.home):
            carried.append(q)
    if carried:
        ctx.region = _area_of(carried, 3) if len(carried) >= 3 else carried[0]
    resolved = [p.period for p in periods if p.period is not None and not p.clause_scoped] if periods else []
    if resolved:
        if reporting or not ctx.reported:  # a forecast (预计全年...) does not move the reporting period
            ctx.period = resolved[-1]
    elif not ctx.continued:
        ctx.period = None
    if resolved and reporting:
        ctx.reported, ctx.lead = resolved[-1], False
        ctx.reported_metrics = set()
    elif resolved and ctx.reported is None and _recent_part_of_year(resolved[-1], ctx.published):
        # a lead without figures (今年1-2月,我市...指标增速位居...; 截至3月末,全省金融运行平稳) dates
        # the statistics that follow until a sentence reports another period
        ctx.reported, ctx.lead = resolved[-1], True
        ctx.reported_metrics = set()
    if reporting and ctx.reported is not None:
        ctx.reported_metrics |= set(metrics)
    years = [p for p in resolved if p.start.month == 1 and p.end.month == 12 and p.start.year == p.end.year] \
        if resolved else []
    if years and ctx.published and years[-1].start.year >= ctx.published.year:
        ctx.plan_year = years[-1]
    ctx.metric = metric


def _without_orgs(places: list[PlaceMention]) -> list[PlaceMention]:
    """find_places(text) from find_places(text, with_orgs=True)."""
    for p in places:
        if p.org:
            return [q for q in places if not q.org]
    return places


def article_region(article: Article, default: Place | None,
                   places: list[list[PlaceMention]] | None = None) -> Place | None:
    """The place named most often in the article (headlines count double), if named twice.
    `places` may give find_places of each sentence (org mentions are ignored)."""
    counts: dict[str, float] = {}
    first: dict[str, int] = {}
    for k, sent in enumerate(article.sentences):
        found = find_places(sent.text) if places is None else places[k]
        for i, p in enumerate(found):
            if p.org:
                continue
            # A generic word (全市) votes for the outlet's area only: without one it names nothing yet.
            q = p.place or (resolve_generic(p.generic, None, default) if default else None)
            if q is None or q.level == "country" or _names_its_part(p, found[i + 1:]):
                continue
            counts[q.name] = counts.get(q.name, 0) + (2 if sent.is_headline else 1)
            first.setdefault(q.name, k)
    if not counts:
        return default
    best = max(counts, key=lambda name: (counts[name], -first[name]))
    return by_name()[best] if counts[best] >= 2 else default


HOME_PROVINCE = "四川省"  # the papers' own province, for articles that name no place


@functools.lru_cache(maxsize=4096)
def _at_home(q: Place | None, home: Place | None) -> bool:
    """Whether a place lies in the article's province (cached: asked for every place mention)."""
    if q is None:
        return False
    if home is None:
        return is_sichuan(q)
    return q.name == home.name or _inside(q, home)


def province_of(p: Place | None) -> Place | None:
    """The province (or municipality) of a place; None above that level."""
    seen: set[str] = set()
    while p is not None and p.level not in ("province", "country") and p.name not in seen:
        seen.add(p.name)
        p = by_name().get(p.parent)
    return p if p is not None and p.level == "province" else None


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


def _in_context(periods: list[PeriodMention], ctx: Context, text: str = "") -> list[PeriodMention]:
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


def _first_place(places: list[list[PlaceMention]]) -> Place | None:
    """The first place named below the country level (organisations' places included)."""
    for found in places:
        for p in found:
            if p.place is not None and p.place.level != "country":
                return p.place
    return None


def _names_its_part(p: PlaceMention, after: list[PlaceMention]) -> bool:
    """成都市新津县: a place written right before one of its parts only locates that part."""
    nxt = after[0] if after else None
    return (nxt is not None and nxt.start == p.end and p.place is not None and nxt.place is not None
            and _inside(nxt.place, p.place))


def extract_article(article: Article, doc: Document, page: list | None = None) -> list[Claim]:
    """All numeric claims of an article, in text order. `page` collects the article's evidence
    of repeated figures for `same_figure_on_page`."""
    # Figures do not depend on the context: find them first. Sentences after the last one
    # with a figure only update the context, which nothing reads any more: skip them.
    numbers = [sentence_numbers(s) if s.role not in SKIPPED_ROLES else [] for s in article.sentences]
    last = max((k for k, ns in enumerate(numbers) if ns), default=-1)
    if last < 0:
        return []
    places = places_of([s.text for s in article.sentences], with_orgs=True)
    ctx = Context(published=doc.published, default_region=outlet_region(doc.outlet), title=article.title or "",
                  plan=is_plan_article(article))
    ctx.article_region = article_region(article, ctx.default_region, places)
    ctx.home = province_of(ctx.article_region or _first_place(places[:LEAD_SENTENCES]) or ctx.default_region) \
        or by_name().get(HOME_PROVINCE)
    if doc.published:
        ctx.plan_year = Period(dt.date(doc.published.year, 1, 1), dt.date(doc.published.year, 12, 31))
        ctx.article_year = opening_year(article, doc.published)
    out: list[Claim] = []
    evidence: list[tuple[Claim, bool, bool, bool]] = []
    prev_end = None
    text = doc.text
    for i, sent in enumerate(article.sentences[:last + 1]):
        if sent.role in SKIPPED_ROLES:
            continue  # bylines, page furniture
        headline = sent.role == "headline"  # sent.is_headline, read once
        ctx.new_paragraph = prev_end is None or headline or text.find("\n", prev_end, sent.start) >= 0
        if headline and ctx.headline:
            ctx.continued = True  # a headline group (main title and subtitle) shares its context
        ctx.headline = headline
        prev_end = sent.end
        ctx.seen.clear()
        claims = extract_sentence(sent, doc, ctx, numbers[i], places[i])
        if claims:
            evidence.extend((claims[k], own_p, own_s, head) for k, own_p, own_s, head in ctx.seen)
            out.extend(claims)
    _same_figure(evidence)
    if page is not None:
        page.extend(evidence)
    return out


def _distinctive(value: float | None) -> bool:
    """A value unlikely to repeat by chance in one article (3083.1, 16000), unlike 14 or 5."""
    return value is not None and (value != int(value) or abs(value) >= 1000)


def _precise(mention: str) -> bool:
    """A figure written with four or more significant digits (6834.7亿元; not 5亿元 or 26.1%),
    which two articles of a page hardly state for different things."""
    digits = "".join(ch for ch in mention if ch.isdigit()).strip("0")
    return len(digits) >= 4


def same_figure_on_page(evidence: list[tuple[Claim, bool, bool, bool]]) -> None:
    """A distinctive figure repeated in another article of the page (a paragraph the column
    layout put under the wrong headline: 同期,成都实现外贸进出口6834.7亿元 after 前11月...6834.7亿元)
    takes the period of the mention that states one, when its own article states none."""
    stated: dict[tuple, Claim] = {}
    own_articles: set[tuple] = set()
    for c, own_p, _, _ in evidence:
        if own_p:
            stated.setdefault((c.value, c.unit, c.kind), c)
            own_articles.add((c.article_id, c.value, c.unit, c.kind))
    for c, own_p, _, _ in evidence:
        key = (c.value, c.unit, c.kind)
        src = stated.get(key)
        if own_p or src is None or c.kind not in ("amount", "count") or not _precise(c.mention) \
                or (c.article_id, *key) in own_articles:
            continue
        c.period_start, c.period_end = src.period_start, src.period_end


def _same_figure(evidence: list[tuple[Claim, bool, bool, bool]]) -> None:
    """One figure repeated in an article (headline and body, summary and detail) is one
    claim: a mention without a period of its own takes the period of a mention that states
    one, and its status when that one has an explicit cue (预计突破); a headline figure takes
    the region established in the body."""
    stated = {}
    for c, own_p, own_s, head in evidence:
        if own_p and not head:
            stated.setdefault((c.value, c.unit, c.kind), (c, own_s))
    for c, own_p, own_s, head in evidence:
        ref = stated.get((c.value, c.unit, c.kind))
        if ref is None or ref[0] is c:
            continue
        src, src_cue = ref
        if not (head or _distinctive(c.value)):
            continue  # 14个 in two sentences may be two different things
        if not own_p:
            c.period_start, c.period_end = src.period_start, src.period_end
            if src_cue and not own_s:
                c.status = src.status
        if head:
            c.region = src.region
