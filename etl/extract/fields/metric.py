"""A figure's metric: the words of its clause that name what is measured (data/metric_words.csv
strips cue and function words; data/metric_synonyms.csv gives one label per written form), the
subject of a share, the base of a change in points, the k-th subject of a list."""
from __future__ import annotations

import functools
import re

from etl.extract.fields.context import (
    CJK,
    CLAUSE_BREAKS,
    ENUM_JOINS,
    GENERIC_PLACE_WORDS,
    RESPECTIVELY,
    Context,
    clause_end,
    list_start,
    listed_after,
)
from etl.extract.fields.kind import RATE_KINDS, cue_re, is_rank_context
from etl.extract.lexicon import alternation, grouped, table
from etl.extract.model import Claim
from etl.extract.numbers import NumberMention
from etl.extract.places import (
    PlaceMention,
    names_matcher,
    strip_place_names,
)
from etl.extract.wordseg import segment

MAX_LEFT, MAX_RIGHT = 14, 10


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


_PUNCT = re.compile(r"[\s“”\"'‘’《》「」【】—…·•\-]")


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


def figure_metric(text: str, n: NumberMention, kind: str, lo: int, ctx: Context, prev_metric: str | None,
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
        against = _compared_with_place(text[list_start(text, n.start):n.start])
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
        ranked_group = kind == "rank" and is_rank_context(left_raw)  # 居副省级城市第一: a group, not a metric
        if kind == "share" and "占" in left_raw:
            return _share_metric(left_raw, prev_metric) or prev_metric or left or None
        if _is_generic(left) or (ranked_group and prev_metric):
            return prev_metric or left or None
        return left
    right = ""
    if kind == "count" or (kind in ("amount", "other") and len(left) <= 2):
        tail = text[n.end:clause_end(text, n.end)].replace(" ", "")
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


@functools.lru_cache(maxsize=1)
def _synonyms() -> tuple[re.Pattern, dict[str, str]]:
    rows = {r["word"]: r["canonical"] for r in table("metric_synonyms.csv")}
    return re.compile(alternation(rows)), rows


@functools.lru_cache(maxsize=8192)
def canonical_metric(metric: str | None) -> str | None:
    """GDP总量 -> 地区生产总值: one label for the written forms of a metric (data/metric_synonyms.csv)."""
    if not metric:
        return metric
    pattern, rows = _synonyms()
    return pattern.sub(lambda m: rows[m.group()], metric) if pattern.search(metric) else metric


_LIST_SPLIT = re.compile("、")


_SHARED_PREFIX = ("对", "向", "从", "经")


def listed_metric(text: str, n: NumberMention, kind: str, numbers: list[NumberMention],
                   places: list[PlaceMention]) -> str | None:
    """A、B、C分别(为/进口/增长)N1、N2、N3: the k-th figure measures the k-th subject (一、二、三产业
    增加值分别为... -> 二产业增加值; 对欧盟、美国分别进出口... -> 对美国进出口). None when the sentence
    is not of that form, or its subjects are places (their figures share one metric)."""
    k = text.rfind(RESPECTIVELY, 0, n.start)
    if k < 0 or any(ch in "。；;" for ch in text[k:n.start]):
        return None
    start = list_start(text, k)
    subject = text[start:k].strip()
    items = [x.strip() for x in _LIST_SPLIT.split(subject)]
    if len(items) < 2 or not all(items):
        return None
    if any(p.start >= start and p.end <= k for p in places) and all(
            any(p.start >= start and p.end <= k and p.text in item for p in places) for item in items[1:]):
        return None  # 成都、德阳分别...: places, handled by the region
    run = listed_after(text, k, n, numbers)
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


_GROUP_TAIL = re.compile(r"\s|第+$")


def compared_metric(text: str, n: NumberMention, kind: str, lo: int, claims: list[Claim]) -> str | None:
    """The metric of a figure that places the one before it: a benchmark (增长11.5%,高于全省平均
    水平(10.5%): the same metric) or a rank (固定资产投资增长21.6%,居全省第2位 -> 固定资产投资增速
    全省排名). None when the sentence has no figure before it to refer to."""
    before = claims[-1]
    if not before.metric or is_metric_fragment(before.metric):
        return None
    if kind != "rank":
        return before.metric if before.unit == n.unit else None
    cues = list(cue_re(("rank",)).finditer(text, lo, n.start))  # lo: after the figure before
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
