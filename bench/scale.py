"""`python -m etl.bench --scale [--articles N]`: an archive past one machine's memory (issue 14).

On a synthetic archive of N articles (default 200,000; bench.synth):

1. a full load with `--workers 2` and with `--engine dask` (a local cluster of 2 workers):
   wall time, articles/s per core, peak memory of the whole process tree (the loader, its
   workers, and for Dask the scheduler, nannies and workers), and whether both databases are
   identical;
2. increments on the loaded database, given only the new files as a daily load would be:
   add 1 article, then 1,000, then 1 again, each timed; then given the archive's folder (the
   cron form: only files whose signature changed are opened): an unchanged re-run, 1 article
   added into it and removed again; then articles dropped one at a time
   into a folder a resident loader watches (`python -m etl INBOX --watch`): its load time and
   the time from the file's arrival to the new database; the database and its spare on disk;
3. every dashboard query and page render on the loaded database (p50/p95).

Targets: peak < 2 GiB, add-1 < 2 s (given the new file or the archive's folder), add-1,000 < 5%
of the full load, an unchanged re-run given the folder < 10 s, query p95 < 200 ms.
"""
from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

from bench.harness import GIB, ROOT, Check, Report, RunStats, Scale, db_digest, run_etl, table
from bench.queries import time_queries

SCALE_QUERIES = Scale("scale", reps=1, articles=0, claims=0, query_runs=10, load_budget_s=0, rerun_budget_s=0)
ADD_ONE_BUDGET_S = 2.0
ADD_THOUSAND_SHARE = 0.05
MEMORY_BUDGET = 2 * GIB


def _archive(work: Path, name: str, n: int, seed: int) -> tuple[Path, float]:
    """A synthetic archive of `n` files under `work` (kept between runs of the same size)."""
    from bench import synth

    arch = work / name
    done = arch / ".complete"
    if done.exists() and done.read_text() == f"{n} {seed}":
        return arch, 0.0
    t0 = time.perf_counter()
    synth.write_archive(arch, n, seed=seed)
    done.write_text(f"{n} {seed}")
    return arch, time.perf_counter() - t0


def _remove(db: Path) -> None:
    """A database with its spare, lock, temporary files and Parquet parts (left by a killed run)."""
    for p in [*db.parent.glob(f"{db.name}*"), *db.parent.glob(f".{db.name}*")]:
        if p.is_dir():
            shutil.rmtree(p)
        else:
            p.unlink()


def _counts(db: Path) -> dict[str, int]:
    import duckdb

    con = duckdb.connect(str(db), read_only=True)
    try:
        return {t: con.execute(f"SELECT count(*) FROM {t}").fetchall()[0][0]
                for t in ("documents", "articles", "sentences", "claims", "facts", "checks")}
    finally:
        con.close()


RESCAN_BUDGET_S = 10.0  # an unchanged archive of 1M files, given its folder (issue 25)
RESCAN_UNCHANGED = "re-run of the unchanged archive, given its folder"
RESCAN_ADD = "add 1 article, given the archive's folder"
RESCAN_REMOVE = "remove it again, given the archive's folder"


def folder_rescans(arch: Path, db: Path, work: Path) -> dict[str, RunStats]:
    """The daily cron form, `python -m etl ARCHIVE/`: an unchanged re-run, one article added
    into the archive, then removed again (the archive is left as it was)."""
    out = {RESCAN_UNCHANGED: run_etl([str(arch), "--db", str(db)], sample_s=0.05)}
    new, _ = _archive(work, "scale-new-105", 1, seed=105)
    added = arch / "zz-added"
    shutil.rmtree(added, ignore_errors=True)
    shutil.copytree(new, added, ignore=shutil.ignore_patterns(".complete"))
    try:
        out[RESCAN_ADD] = run_etl([str(arch), "--db", str(db)], sample_s=0.05)
    finally:
        shutil.rmtree(added, ignore_errors=True)
    out[RESCAN_REMOVE] = run_etl([str(arch), "--db", str(db)], sample_s=0.05)
    return out


WATCH_INTERVAL_S = 0.5
WATCH_ADDS = 3


def watch_adds(db: Path, work: Path, n: int = WATCH_ADDS) -> list[tuple[float, float]]:
    """Drop `n` synthetic articles one at a time into a folder watched by `python -m etl INBOX
    --watch --db DB`; per article (the load's own seconds as it reports them, seconds from the
    file's arrival to the summary line: two polls, then the load)."""
    from bench import synth

    inbox = work / "scale-inbox"
    shutil.rmtree(inbox, ignore_errors=True)
    inbox.mkdir()
    source = synth.write_archive(work / "scale-watch-src", n, seed=401)
    proc = subprocess.Popen([sys.executable, "-m", "etl", str(inbox), "--db", str(db), "--watch",
                             "--interval", str(WATCH_INTERVAL_S)], cwd=ROOT, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    lines: list[tuple[float, str]] = []
    seen = threading.Condition()

    def read() -> None:
        for line in proc.stdout:
            with seen:
                lines.append((time.perf_counter(), line))
                seen.notify_all()

    threading.Thread(target=read, daemon=True).start()

    def wait_line(k: int, timeout: float = 600.0) -> tuple[float, str]:
        with seen:
            if not seen.wait_for(lambda: len(lines) >= k or proc.poll() is not None, timeout) or len(lines) < k:
                raise RuntimeError(f"the watcher printed nothing (exit {proc.poll()}): {proc.stderr.read()[-500:]}")
            return lines[k - 1]

    out: list[tuple[float, float]] = []
    try:
        wait_line(1)  # the first load, of the empty inbox
        for i, f in enumerate(source[:n], start=2):
            tmp = inbox / f".{f.name}.part"
            shutil.copy(f, tmp)
            t0 = time.perf_counter()
            os.replace(tmp, inbox / f.name)  # arrives whole, as a mail drop or rsync would leave it
            t1, line = wait_line(i)
            m = re.search(r"; ([\d.]+) s ->", line)
            out.append((float(m.group(1)) if m else float("nan"), t1 - t0))
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(60)
        except subprocess.TimeoutExpired:
            proc.kill()
    return out


def part_scale(articles: int, report: Report, md: list[str], work: Path, engine: bool = True) -> None:
    arch, gen_s = _archive(work, f"scale-archive-{articles}", articles, seed=7)
    print(f"\nscale: synthetic archive of {articles:,} files ({gen_s:.0f} s to generate) -> {arch}", flush=True)
    cores = 2
    runs: dict[str, RunStats] = {}
    db = work / f"scale-{articles}.duckdb"
    _remove(db)
    runs["full load, --workers 2"] = run_etl([str(arch), "--db", str(db), "--workers", str(cores)], sample_s=0.1)
    print(f"  {runs['full load, --workers 2'].summary}", flush=True)
    same = None
    if engine:
        db_dask = work / f"scale-{articles}-dask.duckdb"
        _remove(db_dask)
        runs["full load, --engine dask (local cluster, 2 workers)"] = run_etl(
            [str(arch), "--db", str(db_dask), "--engine", "dask", "--workers", str(cores)], sample_s=0.1)
        print(f"  {runs['full load, --engine dask (local cluster, 2 workers)'].summary}", flush=True)
        d1, d2 = db_digest(db), db_digest(db_dask)
        same = d1 == d2
        if not same:
            print(f"  databases differ in: {', '.join(t for t in sorted(set(d1) | set(d2)) if d1.get(t) != d2.get(t))}",
                  flush=True)
        _remove(db_dask)
    adds: dict[str, RunStats] = {}
    # Each load also brings the spare up to date with the load before it: the first add-1
    # pays for the full load's spare copy being one load behind (nothing), the second for the
    # 1,000, the third is the steady state of a daily load.
    steps = (("add 1 article", 1, 101), ("add 1,000 articles", 1000, 102), ("add 1 article after the 1,000", 1, 103),
             ("add 1 article again", 1, 104))
    for label, n, seed in steps:
        new, _ = _archive(work, f"scale-new-{seed}", n, seed=seed)
        adds[label] = run_etl([str(new), "--db", str(db), "--workers", str(cores)], sample_s=0.05)
        print(f"  {label}: {adds[label].wall_s:.2f} s; {adds[label].summary}", flush=True)
    rescans = folder_rescans(arch, db, work)
    for label, r in rescans.items():
        print(f"  {label}: {r.wall_s:.2f} s; {r.summary}", flush=True)
    watched = watch_adds(db, work)
    for k, (load_s, arrival_s) in enumerate(watched, start=1):
        print(f"  resident loader, article {k}: load {load_s:.2f} s; arrival to new database {arrival_s:.2f} s "
              f"(polls every {WATCH_INTERVAL_S} s)", flush=True)
    counts = _counts(db)
    spare = db.parent / f".{db.name}.spare"
    size = {"database": db.stat().st_size, "spare": spare.stat().st_size if spare.exists() else 0,
            "archive": sum(p.stat().st_size for p in arch.rglob("*.txt"))}
    full = runs["full load, --workers 2"]
    rows = [[k, r.wall_s, articles / r.wall_s / cores, r.peak_rss / 2**20, r.peak_rss_sampled / 2**20,
             r.max_rss_one / 2**20, r.status] for k, r in runs.items()]
    rows += [[k, r.wall_s, None, r.peak_rss / 2**20, r.peak_rss_sampled / 2**20, r.max_rss_one / 2**20, r.status]
             for k, r in {**adds, **rescans}.items()]
    md.append(table(f"Scale: {articles:,} synthetic articles -> {counts['claims']:,} claims "
                    f"({size['database'] / 2**20:,.0f} MiB database, {size['spare'] / 2**20:,.0f} MiB spare, "
                    f"{size['archive'] / 2**20:,.0f} MiB of text)",
                    ["run", "wall s", "articles/s per core", "peak MiB (tree, HWM sum)", "peak MiB (tree, sampled)",
                     "max MiB (1 proc)", "exit"], rows))
    md.append(table(f"Resident loader (python -m etl INBOX --watch --interval {WATCH_INTERVAL_S}): "
                    "articles dropped one at a time",
                    ["article", "load s (as reported)", "arrival to new database s"],
                    [[k, a, b] for k, (a, b) in enumerate(watched, start=1)]))
    per = {"database per article": size["database"] / articles, "database per claim": size["database"] / counts["claims"],
           "database and spare per article": (size["database"] + size["spare"]) / articles,
           "text per article": size["archive"] / articles}
    md.append(table("Disk use (bytes)", ["what", "bytes"], [[k, v] for k, v in per.items()]))
    report.parts["scale"] = {"articles": articles, "counts": counts, "bytes": size, "bytes_per": per, "identical": same,
                             "runs": {k: vars(r) for k, r in {**runs, **adds, **rescans}.items()},
                             "watch": [{"load_s": a, "arrival_s": b} for a, b in watched]}
    ok = all(r.status == 0 for r in [*runs.values(), *adds.values(), *rescans.values()])
    for k, r in runs.items():
        report.checks.append(Check(f"{k}: peak memory", f"{r.peak_rss / 2**20:,.0f} MiB",
                                   f"< {MEMORY_BUDGET / 2**20:,.0f} MiB", r.peak_rss < MEMORY_BUDGET and r.status == 0,
                                   f"{r.wall_s:.0f} s, {articles / r.wall_s / cores:.0f} articles/s per core; "
                                   "sum of each process's peak RSS (upper bound)"))
    if same is not None:
        report.checks.append(Check("--engine dask database identical to --workers 2", str(same), "True", same))
    one = adds["add 1 article again"]
    report.checks.append(Check(f"add 1 article to {articles:,} (python -m etl, a process started for it)",
                               f"{one.wall_s:.2f} s", f"< {ADD_ONE_BUDGET_S:.0f} s",
                               one.wall_s < ADD_ONE_BUDGET_S and ok,
                               f"first add: {adds['add 1 article'].wall_s:.2f} s; right after the 1,000: "
                               f"{adds['add 1 article after the 1,000'].wall_s:.2f} s (it catches the spare up)"))
    steady = max(a for a, _ in watched[1:] or watched)
    report.checks.append(Check(f"add 1 article to {articles:,} (resident loader --watch: the load)",
                               f"{steady:.2f} s", f"< {ADD_ONE_BUDGET_S:.0f} s", steady < ADD_ONE_BUDGET_S,
                               "loads after the first: " + ", ".join(f"{a:.2f}" for a, _ in watched[1:]) +
                               " s; arrival to new database: " + ", ".join(f"{b:.2f}" for _, b in watched) +
                               f" s (two polls {WATCH_INTERVAL_S} s apart, then the load)"))
    unchanged, added = rescans[RESCAN_UNCHANGED], rescans[RESCAN_ADD]
    report.checks.append(Check(f"re-run of the unchanged archive of {articles:,} given its folder", f"{unchanged.wall_s:.2f} s",
                               f"< {RESCAN_BUDGET_S:.0f} s", unchanged.wall_s < RESCAN_BUDGET_S and ok,
                               "no file opened: signatures against file_stats; "
                               f"{unchanged.summary}"))
    report.checks.append(Check(f"add 1 article to {articles:,} given the archive's folder", f"{added.wall_s:.2f} s",
                               f"< {ADD_ONE_BUDGET_S:.0f} s", added.wall_s < ADD_ONE_BUDGET_S and ok,
                               f"the daily cron form (python -m etl ARCHIVE/); removing it again: "
                               f"{rescans[RESCAN_REMOVE].wall_s:.2f} s"))
    thousand = adds["add 1,000 articles"]
    share = thousand.wall_s / full.wall_s
    report.checks.append(Check(f"add 1,000 articles to {articles:,}", f"{thousand.wall_s:.1f} s ({share:.1%})",
                               f"< {ADD_THOUSAND_SHARE:.0%} of the full load ({full.wall_s:.0f} s)",
                               share < ADD_THOUSAND_SHARE and ok))
    time_queries(db, {"counts": counts}, SCALE_QUERIES, report, md, part="scale_queries")
