"""A figure's industry sector from the lexicon data/sectors.csv (keyword, sector): the most
specific sector its metric names, else its sentence's, else its headline's."""
from __future__ import annotations

import functools
import re

from etl.extract.lexicon import alternation, table


@functools.lru_cache(maxsize=1)
def _sector_rank() -> dict[str, tuple[int, str]]:
    return {r["keyword"]: (i, r["sector"]) for i, r in enumerate(table("sectors.csv"))}


@functools.lru_cache(maxsize=1)
def _sector_re() -> re.Pattern:
    return re.compile(alternation(_sector_rank()))


def sector_of(*texts: str) -> str | None:
    """The sector of the first text (metric, sentence, headline...) naming one; the most
    specific sector (earliest in data/sectors.csv) wins within a text."""
    for text in texts:
        sector = _sector_in(text or "")
        if sector is not None:
            return sector
    return None


def figure_sector(metric: str | None, sentence: str, title: str) -> str | None:
    """`sector_of(metric or "", sentence, title)` without its loop (asked for every figure)."""
    sector = _sector_in(metric) if metric else None
    if sector is None:
        sector = _sector_in(sentence)
        if sector is None and title:
            sector = _sector_in(title)
    return sector


@functools.lru_cache(maxsize=4096)
def _sector_in(text: str) -> str | None:
    """The most specific sector a text names (cached: every figure of a sentence asks)."""
    ranks = _sector_rank()
    found = [ranks[m.group()] for m in _sector_re().finditer(text)]
    return min(found)[1] if found else None
