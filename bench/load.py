"""Part 2 of the benchmark: a synthetic archive loaded by `python -m etl` with 1 and 2 workers,
then an unchanged re-run."""
from __future__ import annotations

import re
import shutil
import time
from dataclasses import asdict
from pathlib import Path

from bench.harness import Check, Report, RunStats, Scale, db_digest, run_etl, table


def part_load(scale: Scale, report: Report, md: list[str], work: Path) -> None:
    from bench import synth

    arch = work / f"archive-{scale.articles}"
    t0 = time.perf_counter()
    if arch.exists():
        shutil.rmtree(arch)
    synth.write_archive(arch, scale.articles, seed=7)
    gen_s = time.perf_counter() - t0
    n_chars = sum(len(p.read_bytes().decode("utf-8", "replace")) for p in arch.rglob("*.txt"))
    print(f"\nsynthetic archive: {scale.articles:,} files, {n_chars:,} chars, generated in {gen_s:.1f} s -> {arch}",
          flush=True)
    runs: dict[str, RunStats] = {}
    dbs = {}
    for workers in (1, 2):
        db = work / f"load-w{workers}.duckdb"
        db.unlink(missing_ok=True)
        dbs[workers] = db
        runs[f"--workers {workers} (fresh)"] = run_etl([str(arch), "--db", str(db), "--workers", str(workers)])
    runs["--workers 2 (re-run, unchanged)"] = run_etl([str(arch), "--db", str(dbs[2]), "--workers", "2"])
    rows = [[k, r.wall_s, scale.articles / r.wall_s, n_chars / r.wall_s, r.peak_rss / 2**20,
             r.peak_rss_sampled / 2**20, r.max_rss_one / 2**20, r.status, r.load.get("foreign_cpu_cores"),
             r.summary[:90]] for k, r in runs.items()]
    md.append(table(f"Part 2: python -m etl on {scale.articles:,} synthetic articles ({n_chars:,} chars)",
                    ["run", "wall s", "articles/s", "chars/s", "peak MiB (tree, HWM sum)", "peak MiB (tree, sampled)",
                     "max MiB (1 proc)", "exit",
                     "other CPU", "summary"], rows))
    d1, d2 = db_digest(dbs[1]), db_digest(dbs[2])
    same = d1 == d2
    code_changed = d1.get("meta") != d2.get("meta")  # extractor_version: etl/ was edited mid-run
    print(f"databases of --workers 1 and --workers 2 identical: {same}"
          + (" (the extractor code changed between the runs)" if code_changed else ""), flush=True)
    report.parts["load"] = {"articles": scale.articles, "chars": n_chars, "generate_s": gen_s, "identical": same,
                            "runs": {k: asdict(r) for k, r in runs.items()}}
    fresh2 = runs["--workers 2 (fresh)"]
    fresh1 = runs["--workers 1 (fresh)"]
    rerun = runs["--workers 2 (re-run, unchanged)"]
    m = re.search(r"\((\d+) loaded", rerun.summary)
    reloaded = bool(m and int(m.group(1)))  # the extractor version changed: etl/ was edited mid-run
    ok_status = all(r.status == 0 for r in runs.values())
    note = "" if ok_status else "an ETL run exited non-zero"
    report.checks.append(Check(f"load {scale.articles:,} articles, 2 workers", f"{fresh2.wall_s:.1f} s",
                               f"< {scale.load_budget_s:.0f} s", fresh2.wall_s < scale.load_budget_s and ok_status,
                               f"--workers 1: {fresh1.wall_s:.1f} s" + (f"; {note}" if note else "")))
    peak = max(fresh1.peak_rss, fresh2.peak_rss)
    report.checks.append(Check("peak memory of the load", f"{peak / 2**20:,.0f} MiB",
                               f"< {scale.memory_budget / 2**20:,.0f} MiB", peak < scale.memory_budget,
                               "sum of the peak RSS of the ETL process and each worker (upper bound)"))
    report.checks.append(Check("re-run of the unchanged archive", f"{rerun.wall_s:.1f} s",
                               f"< {scale.rerun_budget_s:.0f} s",
                               None if reloaded else rerun.wall_s < scale.rerun_budget_s and ok_status,
                               "etl/ changed during the run, so everything was re-extracted: re-run"
                               if reloaded else ""))
    report.checks.append(Check("--workers 2 database identical to --workers 1", str(same), "True",
                               None if code_changed else same,
                               "etl/ changed between the runs: re-run" if code_changed else ""))


# ---------------------------------------------------------------------------------------------
# Part 3: dashboard queries
