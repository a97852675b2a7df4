"""What every field of a claim reads: the article context carried from sentence to sentence,
clause bounds, enumerations (X、Y分别...) and the generic place words (全市, 全省...)."""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from etl.extract.numbers import NumberMention, find_numbers
from etl.extract.periods import (
    Period,
)
from etl.extract.places import (
    Place,
)

CLAUSE_BREAKS = "，,；;。！？!?：:、"


CJK = re.compile(r"[\u4e00-\u9fff]")


GENERIC_PLACE_WORDS = ("全市", "全省", "全区", "全县", "本市", "我市", "全球", "全国")


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
    sentence_places: list = field(default_factory=list)  # every place named in the sentence, organisations' too
    rate_metric: str | None = None  # metric of the latest percentage figure (for 提高N个百分点)
    rate_kind: str | None = None  # and its kind (growth: 增速高于全省)  # places inside organisation names of the sentence
    reported: Period | None = None  # the reporting period of the article's statistics so far
    reported_metrics: set = field(default_factory=set)  # metrics reported for that period
    lead: bool = False  # the reporting period was announced by a lead without figures


# The last clause break of a span (searched with endpos), and the next one.
_LAST_BREAK = re.compile(f"[{re.escape(CLAUSE_BREAKS)}][^{re.escape(CLAUSE_BREAKS)}]*\\Z")


NEXT_BREAK = re.compile(f"[{re.escape(CLAUSE_BREAKS)}]")


def clause_start(text: str, i: int, floor: int = 0, headline: bool = False) -> int:
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


def list_start(text: str, i: int) -> int:
    """Start of the clause containing text[i] when 、 does not end clauses (a listed figure's cue)."""
    m = _HARD_BREAK.search(text, max(0, i - 80), i)
    return m.start() + 1 if m else max(0, i - 80)


def clause_end(text: str, j: int) -> int:
    """Position of the first clause break at or after j (the end of the text if none)."""
    m = NEXT_BREAK.search(text, j)
    return m.start() if m else max(j, len(text))


RESPECTIVELY = "分别"


SUB_ITEMS = "其中"


ENUM_JOINS = re.compile(r"^(?:[、和与及]|以及)$")


FIGURE_JOINS = re.compile(r"[、和与及，,]")


def listed_after(text: str, k: int, n: NumberMention, numbers: list[NumberMention]) -> list[NumberMention]:
    """The run of figures of n's unit listed after text[k] (分别为N1、N2和N3), joined by 、 和 ，."""
    listed = [m for m in numbers if m.start > k and m.unit == n.unit]
    run = listed[:1]
    for a, b in zip(listed, listed[1:], strict=False):
        if not FIGURE_JOINS.fullmatch(text[a.end:b.start].strip() or "、"):
            break
        run.append(b)
    return run


def figures_between(text: str, a: int, b: int) -> list:
    """Numbers in text[a:b] (the figures listed before this one after 分别)."""

    return find_numbers(text[a:b])
