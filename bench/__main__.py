"""`python -m bench [--quick|--full] [--out DIR]` (also `python -m etl.bench`): Rongshu's speed, measured against its targets.

Part 1  extraction throughput per stage on the seeds, side by side with JioNLP's
        `ner.extract_money` on the same text (benchmark-only dependency: requirements-bench.txt).
Part 2  a synthetic archive (bench.synth) loaded by `python -m etl` with --workers 1 and 2:
        wall time, peak memory of the process tree, then an incremental re-run of it unchanged.
Part 3  dashboard queries on a synthetic claims database: every public function of etl.store.queries
        and every SQL statement the pages run (recorded while rendering them with AppTest),
        p50 / p95; time to first render of each page; 问数 (etl.ask) p50 / p95 over the
        questions of eval/ask (bench/ask.py).
Part 4  linear cost: 100 pages as files, as one file, and a 200,000-character line without
        punctuation, loaded by `python -m etl` (bench/linear.py).
Part 5  readers (bench/readers.py): pages/min of PDF text extraction and of OCR, the
        share of OCR'd claims flagged low-confidence, PDF and OCR scores on the printed seeds.
--viewers N  instead of the parts: N concurrent browser sessions open the dashboard's pages
        (bench/viewers.py); p50 / p95 time to ready and errors; exit 1 on any error.
--scale [--articles N] [--no-dask]  instead of the parts: an archive of N (200,000) synthetic
        articles loaded with --workers 2 and (unless --no-dask) with --engine dask, then
        increments of 1 and 1,000 articles, re-runs given the archive's folder, and the
        dashboard queries on the result (bench/scale.py); exit 1 on a missed target.

Full mode checks the issue-7 targets and exits 1 when one is missed (or cannot be measured).
Quick mode (CI) runs the same code at a small scale against proportionally scaled budgets; its
verdict is informative and it exits 0 unless something crashes.
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import shutil
import sys
import tempfile
import time
import traceback
from dataclasses import asdict
from pathlib import Path

from bench.harness import FULL, QUICK, Check, Report, disturbed, machine, table
from bench.load import part_load
from bench.queries import part_queries
from bench.throughput import part_throughput


def verdict(report: Report, md: list[str]) -> None:
    rows = [[c.word, c.name, c.measured, c.target, c.note] for c in report.checks]
    md.append(table(f"Verdict ({report.mode} mode)", ["", "target", "measured", "budget", "note"], rows))
    for c in report.checks:
        print(f"VERDICT {c.word} {c.name}: {c.measured} (target {c.target})", flush=True)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench", description=__doc__.split("\n\n")[0])
    g = ap.add_mutually_exclusive_group()
    g.add_argument("--quick", action="store_true", help="small scale for CI (default); exits 0 unless it crashes")
    g.add_argument("--full", action="store_true", help="issue-7 scale; exits 1 when a target is missed")
    ap.add_argument("--out", type=Path, help="keep the synthetic data here and write bench.json / bench.md")
    ap.add_argument("--parts", default="1,2,3,4,5", help="parts to run (default 1,2,3,4,5)")
    ap.add_argument("--viewers", type=int, metavar="N", help="load test: N concurrent dashboard sessions (no parts)")
    ap.add_argument("--db", type=Path, help="database the viewers open (default: the seeds, loaded by the ETL)")
    ap.add_argument("--scale", action="store_true",
                    help="large archive (no parts): full loads with workers and Dask, increments, queries")
    ap.add_argument("--articles", type=int, default=200_000, metavar="N", help="--scale archive size (default 200000)")
    ap.add_argument("--no-dask", action="store_true",
                    help="--scale without the second full load on --engine dask (at 1M articles it doubles the run)")
    a = ap.parse_args(argv)
    if a.articles < 1000:
        ap.error("--articles must be at least 1000")
    if a.viewers is not None and a.viewers < 1:
        ap.error("--viewers must be at least 1")
    scale = FULL if a.full else QUICK
    parts = {p.strip() for p in a.parts.split(",")}
    work = a.out or Path(tempfile.mkdtemp(prefix="rongshu-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    mode = "scale" if a.scale else "viewers" if a.viewers else scale.name
    report = Report(mode, machine(), dt.datetime.now().isoformat(timespec="seconds"))
    m = report.machine
    print(f"Rongshu benchmark, {mode} mode: {m['cores']} cores, {m['memory_gib']} GiB, {m['cpu']}, "
          f"Python {m['python']}; load average {os.getloadavg()[0]:.2f}; extractor: {m['extractor']}", flush=True)
    md: list[str] = []
    t0 = time.perf_counter()
    crashed = False
    try:
        from bench.linear import part_linear
        from bench.readers import part_readers
        from bench.viewers import part_viewers

        if a.scale:
            from bench.scale import part_scale

            parts = set()
            try:
                part_scale(a.articles, report, md, work, engine=not a.no_dask)
            except Exception:  # noqa: BLE001 - report the crash like a part's
                crashed = True
                traceback.print_exc()
                report.checks.append(Check("scale", "crashed", "runs", False))
        if a.viewers:
            parts = set()
            try:
                part_viewers(a.viewers, a.db, report, md)
            except Exception:  # noqa: BLE001 - report the crash like a part's
                crashed = True
                traceback.print_exc()
                report.checks.append(Check("viewers", "crashed", "runs", False))
        for key, fn in (("1", part_throughput), ("2", part_load), ("3", part_queries), ("4", part_linear),
                        ("5", part_readers)):
            if key not in parts:
                continue
            try:
                if key in ("1", "4"):
                    fn(scale, report, md)
                else:
                    fn(scale, report, md, work)
            except Exception:  # noqa: BLE001 - finish the other parts, then report the crash
                crashed = True
                traceback.print_exc()
                report.checks.append(Check(f"part {key}", "crashed", "runs", False))
        report.parts["total_s"] = time.perf_counter() - t0
        verdict(report, md)
        for k, v in report.parts.items():
            if isinstance(v, dict) and "loadavg_before" in v:
                print(f"load during {k}: load average {v['loadavg_before']} -> {v['loadavg_after']}, "
                      f"other processes {v.get('foreign_cpu_cores', '?')} cores", flush=True)
        disturbed_parts = [k for k, v in report.parts.items() if isinstance(v, dict) and disturbed(v)]
        if disturbed_parts:
            print(f"NOTE other processes used CPU during: {', '.join(disturbed_parts)} -- re-run for clean figures",
                  flush=True)
        print(f"total {report.parts['total_s']:.0f} s", flush=True)
        if a.out:
            header = (f"Rongshu benchmark ({mode} mode), {report.started}: {m['cores']} cores, "
                      f"{m['memory_gib']} GiB, {m['cpu']}, Python {m['python']}; extractor: {m['extractor']}\n\n")
            (work / "bench.md").write_text(header + "\n".join(md))
            (work / "bench.json").write_text(json.dumps(asdict(report), indent=1, default=str, ensure_ascii=False))
    finally:
        if a.out is None:
            shutil.rmtree(work, ignore_errors=True)
    if crashed:
        return 2
    if (scale is FULL or a.viewers or a.scale) and any(c.ok is not True for c in report.checks):
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())



if __name__ == "__main__":
    sys.exit(main())
