"""Score 问数 on a question file: top-1 right in value and unit, no-answer precision and recall, latency.

A question file is JSON lines (eval/ask/README.md): `q`, `set`, `expect` (null when the texts
cannot answer) and `accept` (other citations of the same figure), each with `value` and `unit`.
An answer is right when its value and unit equal those of `expect` or of one of `accept`.
"""
from __future__ import annotations

import json
import math
import statistics
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import duckdb

from .answer import ask


@dataclass(frozen=True)
class Outcome:
    id: str
    question: str
    expected: dict | None
    answer: dict | None
    right: bool
    ms: float


def read(path: Path, sets: Iterable[str] = ()) -> list[dict]:
    """The questions of a file (of the named sets only, when given)."""
    wanted = set(sets)
    with open(path, encoding="utf-8") as f:
        rows = [json.loads(line) for line in f if line.strip()]
    return [r for r in rows if not wanted or r.get("set") in wanted]


def is_right(q: dict, answer: dict | None) -> bool:
    """No answer where none is expected; else the answer's value and unit are an expected one's."""
    if not q.get("expect"):
        return answer is None
    if answer is None or answer.get("value") is None:
        return False
    return any(answer.get("unit") == e["unit"] and math.isclose(float(answer["value"]), float(e["value"]),
                                                                 rel_tol=1e-6, abs_tol=1e-9)
               for e in [q["expect"], *q.get("accept", [])])


WARM_UP = ("2023年成都新设经营主体多少户？", "How many market entities did Chengdu have in 2023?")


def warm_up(con: duckdb.DuckDBPyConnection) -> float:
    """Ask once in Chinese and once in English (jieba's dictionary, the pinyin of the gazetteer's
    places, the lexicons: what the first question of a process pays); the time in ms."""
    t = time.perf_counter()
    for q in WARM_UP:
        ask(con, q)
    return (time.perf_counter() - t) * 1000


def run(con: duckdb.DuckDBPyConnection, questions: list[dict]) -> list[Outcome]:
    """Every question asked (after a warm-up), with its answer, whether it is right, and its time."""
    warm_up(con)
    out = []
    for q in questions:
        t = time.perf_counter()
        res = ask(con, q["q"])
        ms = (time.perf_counter() - t) * 1000
        out.append(Outcome(q.get("id", ""), q["q"], q.get("expect"), res["answer"], is_right(q, res["answer"]), ms))
    return out


def summary(outcomes: list[Outcome]) -> dict:
    """Top-1 accuracy (answerable), no-answer precision and recall, all right, latency (ms)."""
    answerable = [o for o in outcomes if o.expected]
    none = [o for o in outcomes if not o.expected]
    silent = [o for o in outcomes if o.answer is None]
    ms = sorted(o.ms for o in outcomes)

    def share(a: int, b: int) -> float | None:
        return round(a / b, 4) if b else None

    return {
        "questions": len(outcomes),
        "right": share(sum(o.right for o in outcomes), len(outcomes)),
        "top1": share(sum(o.right for o in answerable), len(answerable)),
        "answered_wrong": sum(1 for o in answerable if o.answer is not None and not o.right),
        "missed": sum(1 for o in answerable if o.answer is None),
        "no_answer_precision": share(sum(1 for o in silent if not o.expected), len(silent)),
        "no_answer_recall": share(sum(1 for o in none if o.answer is None), len(none)),
        "ms_p50": round(statistics.median(ms), 1) if ms else None,
        "ms_p95": round(ms[min(len(ms) - 1, math.ceil(0.95 * len(ms)) - 1)], 1) if ms else None,
        "ms_max": round(ms[-1], 1) if ms else None,
    }
