"""A figure's kind (amount, count, growth, share, change_pp, rank, multiple, other) and the
sign of its value, from its unit and the cue words before it (data/kind_cues.csv)."""
from __future__ import annotations

import functools
import re

from etl.extract.fields.context import clause_end
from etl.extract.lexicon import alternation, table
from etl.extract.model import Claim
from etl.extract.numbers import NumberMention

RATE_KINDS = ("growth", "share", "change_pp", "rank", "multiple")


@functools.lru_cache(maxsize=1)
def _kind_cues() -> dict[str, tuple[str, int]]:
    return {r["cue"]: (r["kind"], int(r["sign"] or 1)) for r in table("kind_cues.csv")}


@functools.cache
def cue_re(kinds: tuple[str, ...]) -> re.Pattern:
    return re.compile(alternation(c for c, (k, _) in _kind_cues().items() if k in kinds))


def figure_kind(n: NumberMention, left: str) -> tuple[str, int]:
    """Kind of a figure and the sign of its value (a decline is negative)."""
    left = left.replace(" ", "")
    if n.ordinal:
        return "rank", 1
    if n.unit == "%":
        cues = list(cue_re(("growth", "share", "level", "index")).finditer(left))
        if cues:
            kind, sign = _kind_cues()[cues[-1].group()]
            if kind == "level":  # 占比提高到65%: the level reached, not a change
                return ("growth" if RATE_NOUNS.search(left, 0, cues[-1].start()) else "share"), 1
            if kind == "index":
                return "other", 1
            return kind, sign if kind == "growth" else 1
        return "share", 1
    if n.unit_kind == "change_pp":
        cues = list(cue_re(("growth",)).finditer(left))
        return "change_pp", (_kind_cues()[cues[-1].group()][1] if cues else 1)
    if n.unit_kind == "amount" and n.unit != "元" and cue_re(("other",)).search(left):
        return "other", 1
    return n.unit_kind, 1


RATE_NOUNS = re.compile("增速|增幅|增长率|增长速度")


def is_rank_context(left: str) -> bool:
    return bool(cue_re(("rank",)).search(left.replace(" ", "")))


def benchmark_kind(text: str, n: NumberMention, claims: list[Claim]) -> str:
    """A benchmark is the rate it is compared with: 全国2.8%的整体进出口增幅 is a growth rate, and
    增长11.5%,高于全省平均水平(10.5%) one too."""
    if cue_re(("growth",)).search(text, n.end, clause_end(text, n.end)):
        return "growth"
    like = next((c for c in reversed(claims) if c.unit == n.unit), None)
    return like.kind if like is not None else "share"
