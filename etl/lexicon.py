"""Read-only lexicon tables from `data/` (CSV with a header; lines starting with '#' are comments)."""
from __future__ import annotations

import csv
import functools
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent.parent / "data"


@functools.cache
def table(name: str) -> tuple[dict[str, str], ...]:
    """Rows of `data/<name>` as dicts (cached; do not mutate)."""
    with open(DATA_DIR / name, encoding="utf-8", newline="") as f:
        lines = [ln for ln in f if ln.strip() and not ln.lstrip().startswith("#")]
    return tuple({k: (v or "").strip() for k, v in row.items()} for row in csv.DictReader(lines))


@functools.cache
def words(name: str, column: str = "word") -> tuple[str, ...]:
    """One column of a table, longest first (handy for regex alternations)."""
    return tuple(sorted({r[column] for r in table(name) if r[column]}, key=lambda w: (-len(w), w)))


def alternation(items) -> str:
    """A regex alternation of literal strings, longest first."""
    import re

    return "|".join(re.escape(w) for w in sorted(set(items), key=lambda w: (-len(w), w)))
