"""Fuzzing (issue 13): hostile files never make `pipeline.process` raise or hang, and hostile
query strings never give a page a traceback, only a polite note."""
from __future__ import annotations

import contextlib
import hashlib
import random
import signal
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bench.synth import unpunctuated_line
from etl.ingest.sources import RawFile
from etl.pipeline import DocResult, process

# Hypothesis' deadline only judges an example after it ends; the alarm stops one that hangs.
BUDGET_S = 20


@contextlib.contextmanager
def time_budget(seconds: int) -> Iterator[None]:
    def hang(signum, frame):
        raise TimeoutError(f"over the per-example budget of {seconds} s")

    old = signal.signal(signal.SIGALRM, hang)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)


def check(data: bytes, budget: int = BUDGET_S) -> DocResult:
    """process() on `data`: returns a result (an error for unreadable bytes), never raises, and
    every claim it finds is an exact span of the decoded text."""
    raw = RawFile("fuzz.txt", "fuzz", data, hashlib.sha256(data).hexdigest(), {})
    with time_budget(budget):
        r = process(raw)
    assert isinstance(r, DocResult)
    if r.error is None:
        text = r.document.text
        for c in r.claims:
            assert 0 <= c.start < c.end <= len(text) and text[c.start:c.end] == c.mention
        for a in r.articles:
            for s in a.sentences:
                assert 0 <= s.start <= s.end <= len(text)
    else:
        assert r.error.strip()
    return r


FUZZ = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                         HealthCheck.data_too_large])
# Newspaper-ish material: CJK, digits, units, punctuation, quotes and brackets left open,
# line breaks and the odd control character.
PIECES = ["成都", "增长", "亿元", "万", "%", "个百分点", "家", "同比", "2023年", "1-8月", "12", "3.5", "〇", "十三",
          "。", "，", "；", "、", "：", "“", "”", "《", "》", "（", "）", "\n", "\r\n", "\n\n", " ", "\u3000",
          "\x00", "\ufeff", "本报讯", "记者", "预计", "目标", "约", "超过", "第", "位", "郫县", "四川省"]


@FUZZ
@given(st.binary(max_size=4000))
def test_random_bytes(data: bytes) -> None:
    check(data)


@FUZZ
@given(st.text(max_size=3000))
def test_random_unicode(text: str) -> None:
    for encoding in ("utf-8", "utf-16", "gb18030"):
        with contextlib.suppress(UnicodeEncodeError):
            check(text.encode(encoding))


@FUZZ
@given(st.lists(st.sampled_from(PIECES), max_size=800))
def test_random_newspaper_material(pieces: list[str]) -> None:
    check("".join(pieces).encode())


@FUZZ
@given(st.text(alphabet=st.characters(min_codepoint=0xD800, max_codepoint=0xDFFF), min_size=1, max_size=20),
       st.text(max_size=200))
def test_lone_surrogates(surrogates: str, text: str) -> None:
    mixed = text[: len(text) // 2] + surrogates + text[len(text) // 2:]
    for encoding in ("utf-8", "utf-16-le", "utf-16"):
        check(mixed.encode(encoding, "surrogatepass"))


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(50_000, 250_000), st.sampled_from(["", "，", " ", "“", "《", "1", "\r"]), st.integers(0, 9))
def test_very_long_lines(n: int, sprinkle: str, seed: int) -> None:
    line = list(unpunctuated_line(n, seed=seed))
    rng = random.Random(seed)
    for _ in range(n // 500 if sprinkle else 0):
        line.insert(rng.randrange(len(line)), sprinkle)
    r = check("".join(line).encode())
    assert r.error is None and len(r.claims) > n // 1000


@pytest.mark.slow
def test_a_10_mb_single_file() -> None:
    """One 10 MB file: flattened lines, ordinary pages and binary noise, processed in bounded time."""
    rng = random.Random(13)
    seeds = [p.read_text(encoding="utf-8") for p in sorted((Path(__file__).parents[1] / "seeds").glob("*.txt"))]
    parts: list[str] = []
    size = 0
    while size < 10_000_000:
        kind = rng.random()
        if kind < 0.4:
            part = unpunctuated_line(rng.randrange(20_000, 200_000), seed=rng.randrange(100))
        elif kind < 0.9:
            part = rng.choice(seeds)
        else:
            part = bytes(rng.randrange(1, 256) for _ in range(5000)).decode("latin-1")  # no NUL: still text
        parts.append(part)
        size += len(part.encode())
    r = check("\n".join(parts).encode(), budget=300)
    assert r.error is None and len(r.claims) > 10_000
