"""Benchmark part 4: the cost of a load grows linearly with its input, whatever its shape.

Loads (`etl.load.run`, extraction and store, one core) of 100 ordinary pages as separate files
and as one file, and of one line of 200,000 characters without any punctuation (a flattened
table, a bad PDF conversion) next to the same amount of ordinary pages as separate files (a
load has a fixed cost, so sizes are matched). Each should run within 3x of the chars/s of its
ordinary pages.
"""
from __future__ import annotations

import io
import shutil
import tempfile
import time
from pathlib import Path

from bench.harness import Check, Report, Scale, load_watch, table

LINE_CHARS = 200_000
PAGES = 100
MAX_SLOWDOWN = 3.0


def inputs(work: Path, pages: int = PAGES, line_chars: int = LINE_CHARS) -> list[tuple[str, Path, int, str]]:
    """(name, folder, characters, name of the ordinary input to compare with): seed pages as
    files (as many as the line has characters), the long line, `pages` pages as files and as
    one file."""
    from bench.synth import SEEDS, unpunctuated_line

    seeds = [p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))]

    def folder(name: str, files: dict[str, str]) -> tuple[Path, int]:
        d = work / name
        d.mkdir(parents=True)
        for f, t in files.items():
            (d / f).write_text(t, encoding="utf-8")
        return d, sum(map(len, files.values()))

    n_line = max(1, round(line_chars / (sum(map(len, seeds)) / len(seeds))))
    texts = [seeds[i % len(seeds)] for i in range(max(pages, n_line))]
    small = f"{n_line} pages, {n_line} files"
    many = f"{pages} pages, {pages} files"
    return [
        (small, *folder("small", {f"page{i:03d}.txt": t for i, t in enumerate(texts[:n_line])}), small),
        (f"{line_chars:,}-char line, no punctuation", *folder("line", {"line.txt": unpunctuated_line(line_chars)}),
         small),
        (many, *folder("pages", {f"page{i:03d}.txt": t for i, t in enumerate(texts[:pages])}), many),
        (f"{pages} pages, one file", *folder("one", {"issue.txt": "\n\n".join(texts[:pages])}), many),
    ]


def load_s(folder: Path, db: Path) -> float:
    """Seconds of `python -m etl FOLDER --db DB` (in this process, a fresh database)."""
    from etl.load import run

    db.unlink(missing_ok=True)
    t0 = time.perf_counter()
    rc = run([str(folder)], str(db), progress=False, out=io.StringIO(), err=io.StringIO())
    if rc != 0:
        raise RuntimeError(f"the load of {folder} failed ({rc})")
    return time.perf_counter() - t0


def part_linear(scale: Scale, report: Report, md: list[str]) -> None:
    reps = 3 if scale.name == "full" else 2
    work = Path(tempfile.mkdtemp(prefix="rongshu-bench-linear-"))
    info: dict = {"reps": reps}
    try:
        cases = inputs(work)
        load_s(cases[0][1], work / "warm.duckdb")  # imports, lexicons, jieba
        speeds: dict[str, float] = {}
        with load_watch(info):
            for name, folder, chars, _ in cases:
                best = min(load_s(folder, work / "db.duckdb") for _ in range(reps))
                speeds[name] = chars / best
                print(f"linear: {name}: {chars:,} chars in {best:.2f} s = {speeds[name]:,.0f} chars/s", flush=True)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    rows = [[name, chars, chars / speeds[name], speeds[name], speeds[ref] / speeds[name]]
            for name, _, chars, ref in cases]
    md.append(table(f"Part 4: linear cost (python -m etl, extraction and store, best of {reps}; slowdown against "
                    "ordinary pages of the same size as separate files)",
                    ["input", "chars", "s", "chars/s", "slowdown"], rows))
    info["chars_per_s"] = speeds
    report.parts["linear"] = info
    for name, _, _, ref in cases:
        if name == ref:
            continue
        slow = speeds[ref] / speeds[name]
        report.checks.append(Check(f"load of {name} vs {ref}", f"{slow:.2f}x slower", f"<= {MAX_SLOWDOWN:.0f}x",
                                   slow <= MAX_SLOWDOWN, f"{speeds[name]:,.0f} vs {speeds[ref]:,.0f} chars/s"))
