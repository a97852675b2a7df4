"""`python -m etl.bench [--quick|--full] [--out DIR]`: Rongshu's speed, measured against its targets.

Part 1  extraction throughput per stage on the seeds, side by side with JioNLP's
        `ner.extract_money` on the same text (benchmark-only dependency: requirements-bench.txt).
Part 2  a synthetic archive (etl.synth) loaded by `python -m etl` with --workers 1 and 2:
        wall time, peak memory of the process tree, then an incremental re-run of it unchanged.
Part 3  dashboard queries on a synthetic claims database: every public function of ui.queries
        and every SQL statement the pages run (recorded while rendering them with AppTest),
        p50 / p95; time to first render of each page.
Part 4  linear cost: 100 pages as files, as one file, and a 200,000-character line without
        punctuation, loaded by `python -m etl` (etl/bench_linear.py).
Part 5  readers (etl/bench_readers.py): pages/min of PDF text extraction and of OCR, the
        share of OCR'd claims flagged low-confidence, PDF and OCR scores on the printed seeds.
--viewers N  instead of the parts: N concurrent browser sessions open the dashboard's pages
        (etl/bench_viewers.py); p50 / p95 time to ready and errors; exit 1 on any error.
--scale [--articles N]  instead of the parts: an archive of N (200,000) synthetic articles
        loaded with --workers 2 and with --engine dask, then increments of 1 and 1,000
        articles, and the dashboard queries on the result (etl/bench_scale.py); exit 1 on a
        missed target.

Full mode checks the issue-7 targets and exits 1 when one is missed (or cannot be measured).
Quick mode (CI) runs the same code at a small scale against proportionally scaled budgets; its
verdict is informative and it exits 0 unless something crashes.
"""
from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import glob
import inspect
import io
import json
import os
import platform
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import traceback
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
GIB = 1024 ** 3


@dataclass(frozen=True)
class Scale:
    """Sizes and budgets of one mode."""

    name: str
    reps: int  # passes over the seeds per stage (part 1)
    articles: int  # synthetic archive size (part 2)
    claims: int  # synthetic claims (part 3)
    query_runs: int  # timed runs per query (part 3)
    load_budget_s: float
    rerun_budget_s: float
    memory_budget: int = 2 * GIB
    query_p95_ms: float = 200.0
    min_ratio: float = 1.0


FULL = Scale("full", reps=15, articles=10_000, claims=1_000_000, query_runs=20,
             load_budget_s=300.0, rerun_budget_s=20.0)
# Quick: 1/20 of the archive against 1/20 of the time budget (plus 1 s for the interpreter and
# DuckDB start-up, which do not shrink with the archive); the query target is not scaled.
QUICK = Scale("quick", reps=4, articles=500, claims=50_000, query_runs=10,
              load_budget_s=300.0 / 20 + 1, rerun_budget_s=20.0 / 20 + 1)


@dataclass
class Check:
    """One target of the verdict."""

    name: str
    measured: str
    target: str
    ok: bool | None  # None: could not be measured
    note: str = ""

    @property
    def word(self) -> str:
        return {True: "PASS", False: "FAIL", None: "SKIP"}[self.ok]


@dataclass
class Report:
    mode: str
    machine: dict
    started: str
    parts: dict = field(default_factory=dict)
    checks: list[Check] = field(default_factory=list)


# ---------------------------------------------------------------------------------------------
# Measuring helpers


def machine() -> dict:
    from . import compiled

    mem = None
    with contextlib.suppress(OSError, ValueError):
        mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    return {"cores": os.cpu_count(), "memory_gib": round(mem / GIB, 1) if mem else None,
            "python": platform.python_version(), "platform": platform.platform(),
            "cpu": _cpu_name(), "extractor": compiled.STATE}


def _cpu_name() -> str:
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    return platform.processor() or "unknown"


def _busy_jiffies() -> float | None:
    """System-wide busy CPU time in seconds (Linux), or None."""
    try:
        parts = Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]
    except OSError:
        return None
    v = [int(x) for x in parts]
    busy = sum(v) - v[3] - (v[4] if len(v) > 4 else 0)  # minus idle and iowait
    return busy / os.sysconf("SC_CLK_TCK")


def _own_cpu() -> float:
    s, c = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return s.ru_utime + s.ru_stime + c.ru_utime + c.ru_stime


@contextlib.contextmanager
def load_watch(into: dict) -> Iterator[None]:
    """Record the load average and the CPU other processes used (in cores) while timing."""
    into["loadavg_before"] = round(os.getloadavg()[0], 2)
    b0, o0, t0 = _busy_jiffies(), _own_cpu(), time.perf_counter()
    try:
        yield
    finally:
        wall = time.perf_counter() - t0
        b1, o1 = _busy_jiffies(), _own_cpu()
        into["loadavg_after"] = round(os.getloadavg()[0], 2)
        if b0 is not None and b1 is not None and wall > 0:
            into["foreign_cpu_cores"] = round(max(0.0, (b1 - b0) - (o1 - o0)) / wall, 2)


def disturbed(info: dict) -> bool:
    """Other processes used more than a third of a core while we timed."""
    return info.get("foreign_cpu_cores", 0.0) > 0.33


def pct(values: list[float], p: float) -> float:
    """Linear-interpolated percentile (p in 0..100)."""
    s = sorted(values)
    if len(s) == 1:
        return s[0]
    k = (len(s) - 1) * p / 100
    lo = int(k)
    hi = min(lo + 1, len(s) - 1)
    return s[lo] + (s[hi] - s[lo]) * (k - lo)


def table(title: str, header: list[str], rows: list[list], out=sys.stdout) -> str:
    """Print (and return as Markdown) an aligned table."""
    cells = [[str(c) for c in header]] + [[_fmt(c) for c in r] for r in rows]
    width = [max(_w(r[i]) for r in cells) for i in range(len(header))]
    lines = [f"\n{title}"]
    for k, r in enumerate(cells):
        lines.append("  ".join(c + " " * (width[i] - _w(c)) for i, c in enumerate(r)).rstrip())
        if k == 0:
            lines.append("  ".join("-" * w for w in width))
    print("\n".join(lines), file=out, flush=True)
    md = [f"| {' | '.join(cells[0])} |", "|" + "---|" * len(header)] + [f"| {' | '.join(r)} |" for r in cells[1:]]
    return f"**{title}**\n\n" + "\n".join(md) + "\n"


def _w(s: str) -> int:
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in s)


def _fmt(v) -> str:
    if isinstance(v, float):
        return f"{v:,.0f}" if abs(v) >= 100 else f"{v:.2f}" if abs(v) >= 1 else f"{v:.3f}"
    if isinstance(v, int):
        return f"{v:,}"
    return "" if v is None else str(v)


# ---------------------------------------------------------------------------------------------
# Part 1: extraction throughput per stage


def _timed(fn: Callable[[], object], reps: int) -> tuple[float, object]:
    """Median seconds of `reps` calls after one warm-up call, and the last result."""
    result = fn()
    times = []
    for _ in range(reps):
        t0 = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), result


def seed_files() -> list:
    """The seed pages, read (not decoded), and the first of them reprinted in Traditional script
    (OpenCC s2t), so that the timings include the script normalisation real reprints need."""
    import hashlib

    import opencc

    from .sources import RawFile, read_file

    raws = [read_file(Path(p)) for p in sorted(glob.glob(str(SEEDS / "*.txt")))]
    if raws:
        first = raws[0]
        data = opencc.OpenCC("s2t").convert(first.data.decode("utf-8")).encode("utf-8")
        raws.append(RawFile(f"{first.path} (Traditional)", f"{first.doc_id}-trad", data,
                            hashlib.sha256(data).hexdigest(), dict(first.meta)))
    return raws


def full_pass_s(raws: list, reps: int) -> float:
    """Median seconds of `pipeline.process` over `raws` (full extraction, 1 core)."""
    from .pipeline import process

    return _timed(lambda: [process(r) for r in raws], reps)[0]


def _pure_python_pass_s(reps: int) -> float | None:
    """full_pass_s on the seeds by the pure-Python extractor (a child process with RONGSHU_PURE)."""
    code = f"from etl.bench import full_pass_s, seed_files; print(full_pass_s(seed_files(), {reps}))"
    env = {**os.environ, "RONGSHU_PURE": "1"}
    try:
        out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True,
                             timeout=600, check=True)
        return float(out.stdout.strip().splitlines()[-1])
    except (subprocess.SubprocessError, ValueError, IndexError):
        return None


def _jionlp():
    """jionlp.ner.extract_money, or None when JioNLP is not installed (its banner is muted)."""
    try:
        with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
            import jionlp
            jionlp.ner.extract_money("今年1-8月成都实现营业收入9473亿元。")
        return jionlp.ner.extract_money
    except Exception:  # noqa: BLE001 - any import problem means: not available
        return None


def part_throughput(scale: Scale, report: Report, md: list[str]) -> None:
    from . import articles, compiled, layout, pipeline, sources, store

    raws = seed_files()
    decoded = [sources.decode(r.data)[0] for r in raws]
    n_chars = sum(len(t) for t in decoded)
    reps = scale.reps
    info: dict = {"files": len(raws), "chars": n_chars, "reps": reps}
    stages: dict[str, float | None] = {}
    notes: dict[str, str] = {}
    money = _jionlp()
    with load_watch(info):
        stages["decode"], _ = _timed(lambda: [sources.decode(r.data) for r in raws], reps)
        stages["layout repair"], _ = _timed(lambda: [layout.paragraphs(t) for t in decoded], reps)
        seg, arts = _timed(lambda: [articles.split_articles(r.doc_id, t) for r, t in zip(raws, decoded, strict=True)],
                           reps)
        stages["segmentation"] = max(0.0, seg - stages["layout repair"])
        notes["segmentation"] = "split_articles minus layout repair"
        docs = [pipeline.build_document(r, t, "utf-8") for r, t in zip(raws, decoded, strict=True)]
        sents = [s.text for a_list in arts for a in a_list for s in a.sentences]
        try:
            from .numbers import find_numbers

            stages["numbers"], _ = _timed(lambda: [find_numbers(s) for s in sents], reps)
        except Exception as exc:  # noqa: BLE001 - the extractor is a moving target
            stages["numbers"], notes["numbers"] = None, f"n/a: {exc!r}"[:80]
        claims_s, claims = _timed(lambda: [pipeline.extract_claims(d, tuple(a))
                                           for d, a in zip(docs, arts, strict=True)], reps)
        n_claims = sum(len(c) for c in claims)
        stages["metric/region/period/topic"] = max(0.0, claims_s - (stages["numbers"] or 0.0))
        notes["metric/region/period/topic"] = "extract_claims minus numbers"
        for name, t in _components(sents, docs, claims, reps).items():
            stages[f"  of which {name}"] = t
        out_dir = Path(tempfile.mkdtemp(prefix="rongshu-bench-store-"))
        results = [pipeline.process(r) for r in raws]
        k = iter(range(10**9))
        try:
            stages["store"], _ = _timed(lambda: store.write(out_dir / f"s{next(k)}.duckdb", results, set(), "bench",
                                                            False), max(2, reps // 3))
        finally:
            shutil.rmtree(out_dir, ignore_errors=True)
        full_s = full_pass_s(raws, reps)
        pure_s = _pure_python_pass_s(reps) if compiled.ACTIVE else None
        money_s = None
        if money is not None:
            money_s, _ = _timed(lambda: [money(t) for t in decoded], reps)
    rows = []
    for name, t in stages.items():
        rows.append([name, t * 1000 if t is not None else None, (n_chars / t) if t else None,
                     notes.get(name, "")])
    rows.append(["full extraction (pipeline.process)", full_s * 1000, n_chars / full_s,
                 f"decode + layout + segmentation + claims; {'compiled' if compiled.ACTIVE else 'pure Python'}"])
    if pure_s:
        rows.append(["  the same, pure Python", pure_s * 1000, n_chars / pure_s,
                     "RONGSHU_PURE=1 (no compiled build): same claims"])
    rows.append(["full + store", (full_s + stages["store"]) * 1000, n_chars / (full_s + stages["store"]), ""])
    if money_s:
        rows.append(["JioNLP ner.extract_money", money_s * 1000, n_chars / money_s, "same text, money only"])
    md.append(table(f"Part 1: extraction throughput on the seeds ({len(raws)} files, {n_chars:,} chars, "
                    f"{n_claims} claims; median of {reps} passes, 1 core)",
                    ["stage", "ms/pass", "chars/s", "note"], rows))
    info.update(stages_ms={k: (v * 1000 if v is not None else None) for k, v in stages.items()},
                full_chars_per_s=n_chars / full_s, claims=n_claims, extractor=compiled.STATE,
                pure_python_chars_per_s=(n_chars / pure_s) if pure_s else None,
                jionlp_chars_per_s=(n_chars / money_s) if money_s else None)
    ratio = (money_s / full_s) if money_s else None
    info["ratio"] = ratio
    report.parts["throughput"] = info
    if ratio is None:
        print("JioNLP is not installed: ratio skipped (pip install -r requirements-bench.txt)", flush=True)
        report.checks.append(Check("extraction vs JioNLP money, per core", "n/a", f">= {scale.min_ratio:.1f}x",
                                   None, "JioNLP not installed"))
    else:
        print(f"ratio: full extraction / JioNLP money = {ratio:.2f}x  (load {info['loadavg_before']}, "
              f"other processes {info.get('foreign_cpu_cores', '?')} cores)", flush=True)
        report.checks.append(Check("extraction vs JioNLP money, per core", f"{ratio:.2f}x",
                                   f">= {scale.min_ratio:.1f}x", ratio >= scale.min_ratio,
                                   f"{n_chars / full_s:,.0f} vs {n_chars / money_s:,.0f} chars/s"))


def _components(sents: list[str], docs, claims, reps: int) -> dict[str, float | None]:
    """Informative timings of the extractor's public finders (each alone, over every sentence)."""
    out: dict[str, float | None] = {}
    published = docs[0].published if docs else None
    calls: list[tuple[str, str, str, Callable]] = [
        ("places", "etl.places", "find_places", lambda f: [f(s) for s in sents]),
        ("periods", "etl.periods", "find_periods", lambda f: [f(s, published) for s in sents]),
        ("topics", "etl.topics", "topic_of",
         lambda f: [f(c.metric, "", "", c.unit) for cs in claims for c in cs]),
    ]
    for name, module, fn_name, run in calls:
        try:
            fn = getattr(__import__(module, fromlist=[fn_name]), fn_name)
            out[name], _ = _timed(lambda fn=fn, run=run: run(fn), reps)
        except Exception:  # noqa: BLE001 - informative only
            out[name] = None
    return out


# ---------------------------------------------------------------------------------------------
# Part 2: loading a synthetic archive


@dataclass
class RunStats:
    wall_s: float
    peak_rss: int  # bytes: sum over the process tree of each process's peak RSS (VmHWM), an upper bound
    peak_rss_sampled: int  # bytes: largest sum of the tree's current RSS seen by sampling, a lower bound
    max_rss_one: int  # bytes: largest peak RSS of a single process
    status: int
    summary: str
    load: dict


def _tree(pid: int) -> list[int]:
    """pid and its descendants (Linux /proc)."""
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        with contextlib.suppress(OSError, ValueError):
            for task in os.listdir(f"/proc/{p}/task"):
                todo += [int(c) for c in Path(f"/proc/{p}/task/{task}/children").read_text().split()]
    return out


def _mem(pid: int) -> tuple[int, int]:
    """(current RSS, peak RSS) of a process in bytes, from /proc/PID/status; (0, 0) if gone."""
    rss = hwm = 0
    with contextlib.suppress(OSError):
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                rss = int(line.split()[1]) * 1024
            elif line.startswith("VmHWM:"):
                hwm = int(line.split()[1]) * 1024
    return rss, hwm


def run_etl(args: list[str], sample_s: float = 0.02) -> RunStats:
    """Run `python -m etl ARGS`; measure wall time and peak memory of its process tree (workers
    included) by sampling /proc every `sample_s` seconds."""
    load: dict = {}
    hwm: dict[int, int] = {}
    sampled = 0
    with load_watch(load):
        t0 = time.perf_counter()
        proc = subprocess.Popen([sys.executable, "-m", "etl", *args], cwd=ROOT, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True)
        stop = threading.Event()

        def sample() -> None:
            nonlocal sampled
            while not stop.is_set():
                total = 0
                for p in _tree(proc.pid):
                    rss, peak = _mem(p)
                    total += rss
                    if peak:
                        hwm[p] = max(hwm.get(p, 0), peak)
                sampled = max(sampled, total)
                stop.wait(sample_s)

        th = threading.Thread(target=sample, daemon=True)
        th.start()
        out, err = proc.communicate()
        wall = time.perf_counter() - t0
        stop.set()
        th.join()
    if proc.returncode != 0:
        sys.stderr.write(err[-4000:])
    summary = (out.strip().splitlines() or [""])[-1]
    return RunStats(wall, sum(hwm.values()), sampled, max(hwm.values(), default=0), proc.returncode, summary, load)


def db_digest(path: Path) -> dict[str, str]:
    """Order-independent digest of every table of a database (rows, ids included)."""
    import duckdb

    con = duckdb.connect(str(path), read_only=True)
    try:
        tables = [r[0] for r in con.execute("SELECT table_name FROM information_schema.tables "
                                            "WHERE table_schema = 'main' ORDER BY 1").fetchall()]
        return {t: str(con.execute(f'SELECT count(*), bit_xor(hash(t)) FROM "{t}" AS t').fetchone())
                for t in tables}
    finally:
        con.close()


def part_load(scale: Scale, report: Report, md: list[str], work: Path) -> None:
    from . import synth

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


SAMPLE_ARGS = {"limit": 1000, "n": 10, "k": 10, "top": 10, "q": "进出口", "text": "进出口", "region": "成都市",
               "topic": "trade"}


def _filter_scenarios(con) -> dict[str, object]:
    from ui.queries import Filters

    metric = con.execute("SELECT metric, count(*) n FROM claims WHERE metric IS NOT NULL "
                         "GROUP BY 1 ORDER BY 2 DESC LIMIT 1").fetchone()
    return {
        "no filter": Filters(),
        "topic": Filters(topic=("trade",)),
        "region+since": Filters(region=("成都市",), since=dt.date(2023, 1, 1)),
        "metric": Filters(metric=(metric[0],) if metric else ()),
        "search": Filters(q="进出口"),
        "combined": Filters(topic=("industry", "innovation"), region=("成都市", "郫都区"), kind=("amount", "growth"),
                            since=dt.date(2021, 1, 1), until=dt.date(2024, 12, 31), q="增长"),
    }


def _samples(con) -> dict[str, object]:
    row = con.execute("SELECT claim_id, doc_id, article_id, sentence_id, metric FROM claims "
                      "USING SAMPLE 1 ROWS (reservoir, 42)").fetchone()
    top_metric = con.execute("SELECT metric, coalesce(unit, '') FROM claims WHERE metric IS NOT NULL GROUP BY ALL "
                             "ORDER BY count(*) DESC, 1, 2 LIMIT 1").fetchone()
    out = dict(SAMPLE_ARGS)
    if row:
        out.update(claim_id=row[0], doc_id=row[1], article_id=row[2], sentence_id=row[3], doc=row[1])
    if top_metric:  # the most cited metric and its unit (the trends page's default series)
        out["metric"], out["unit"] = top_metric
    cols = {r[0] for r in con.execute("DESCRIBE claims").fetchall()}
    if {"metric_id", "fact_id"} <= cols:  # the metric catalog / fact layer
        # The most cited series (metric id, unit, kind: what the trends page charts and the
        # districts page maps), and its most cited fact (a clicked point).
        row = con.execute("""
            SELECT metric_id, coalesce(unit, '') AS unit, kind FROM claims
            WHERE metric_id IS NOT NULL AND value IS NOT NULL AND kind IS NOT NULL
            GROUP BY ALL ORDER BY count(*) DESC, 1, 2, 3 LIMIT 1""").fetchone()
        if row:
            out["metric_id"], out["unit"], out["kind"] = row
            out["fact_id"] = con.execute("""
                SELECT fact_id FROM claims WHERE metric_id = ? AND coalesce(unit, '') = ? AND kind = ?
                GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1""", list(row)).fetchone()[0]
    return out


def query_functions() -> dict[str, Callable]:
    """Public functions of ui.queries that take a connection first (cache wrappers unwrapped)."""
    import ui.queries as qm

    out = {}
    for name, fn in inspect.getmembers(qm, inspect.isfunction):
        if name.startswith("_") or fn.__module__ != qm.__name__:
            continue
        fn = inspect.unwrap(fn)
        params = list(inspect.signature(fn).parameters.values())
        if params and (params[0].name in ("con", "conn", "cur", "connection") or "DuckDB" in str(params[0].annotation)):
            out[name] = fn
    return out


def _bind(fn: Callable, con, flt, samples: dict) -> tuple[list, dict] | str:
    """Arguments for `fn`, or a string saying why it cannot be called generically."""
    params = list(inspect.signature(fn).parameters.values())[1:]
    kwargs: dict = {}
    for p in params:
        ann = str(p.annotation)
        if "Filters" in ann or p.name in ("f", "filters", "flt"):
            kwargs[p.name] = flt
        elif p.name in samples and (p.default is inspect.Parameter.empty or p.name in ("limit", "kind")):
            kwargs[p.name] = samples[p.name]
        elif p.default is inspect.Parameter.empty and p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD):
            return f"needs {p.name}"
    return [con], kwargs


def _takes_filters(fn: Callable) -> bool:
    return any("Filters" in str(p.annotation) or p.name in ("f", "filters", "flt")
               for p in inspect.signature(fn).parameters.values())


def time_call(call: Callable[[], object], runs: int) -> dict:
    """Cold (first) time and p50/p95 of `runs` warm calls, in ms; rows returned."""
    t0 = time.perf_counter()
    result = call()
    cold = (time.perf_counter() - t0) * 1000
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        result = call()
        times.append((time.perf_counter() - t0) * 1000)
    n = len(result) if hasattr(result, "__len__") else 1
    return {"cold_ms": cold, "p50_ms": pct(times, 50), "p95_ms": pct(times, 95), "rows": n}


class RecordingCursor:
    """A DuckDB cursor that records the SQL run through it (and who ran it)."""

    def __init__(self, cur, log: list[dict], page: str) -> None:
        self._cur, self._log, self._page = cur, log, page
        self._relations: dict[str, object] = {}

    def _record(self, sql: str, params, **extra) -> None:
        # Relations registered by the caller (ui.queries hands rows back as Arrow tables) go
        # with the statements naming them, so that the replay registers them too.
        rel = {n: o for n, o in self._relations.items() if n in sql}
        self._log.append({"page": self._page, "where": _caller(), "sql": sql, "params": params,
                          **({"relations": rel} if rel else {}), **extra})

    def execute(self, sql: str, params=None):
        self._record(sql, params)
        return self._cur.execute(sql, params) if params is not None else self._cur.execute(sql)

    def sql(self, sql: str, params=None, **kwargs):
        self._record(sql, params, via="sql")
        return self._cur.sql(sql, params=params, **kwargs)

    def cursor(self):
        """A cursor of its own (ui.queries splits long key lookups over several), recorded too."""
        return RecordingCursor(self._cur.cursor(), self._log, self._page)

    def register(self, name: str, obj):
        self._relations[name] = obj
        return self._cur.register(name, obj)

    def unregister(self, name: str):
        self._relations.pop(name, None)
        return self._cur.unregister(name)

    def __getattr__(self, name: str):
        return getattr(self._cur, name)


def _caller() -> str:
    """file:function (or file:line) of the page script or ui.queries function running a query."""
    for fr in inspect.stack()[2:14]:
        f = Path(fr.filename).resolve()
        if f.parent.name in PAGE_DIRS or (f.parent.name == "ui" and f.name == "queries.py") or f == ROOT / "app.py":
            where = f.relative_to(ROOT).as_posix() if f.is_relative_to(ROOT) else f.name
            return f"{where}:{fr.function if fr.function != '<module>' else fr.lineno}"
    return "?"


PAGE_DIRS = ("views", "pages")


def page_scripts() -> list[str]:
    """The page scripts app.py registers (st.Page("views/x.py", ...)), else those in views/ or pages/."""
    app = ROOT / "app.py"
    found = re.findall(r"[\"']([\w./-]+\.py)[\"']", app.read_text(encoding="utf-8")) if app.exists() else []
    found = [p for p in dict.fromkeys(found) if (ROOT / p).is_file()]
    if not found:
        found = sorted(p.relative_to(ROOT).as_posix() for d in PAGE_DIRS for p in (ROOT / d).glob("*.py"))
    return found


def render_pages(db: Path, samples: dict, timeout: float) -> tuple[list[list], list[dict]]:
    """Time the first render of each page (cold caches) with AppTest; record the SQL they run."""
    from streamlit.testing.v1 import AppTest

    import ui.db

    os.environ["RONGSHU_DB"] = str(db)
    log: list[dict] = []
    real = ui.db.cursor
    page = {"name": ""}

    @contextlib.contextmanager
    def recording():
        with real() as cur:
            yield cur if cur is None or not page["name"] else RecordingCursor(cur, log, page["name"])

    rows = []
    pages = page_scripts()
    ui.db.cursor = recording
    try:
        for rel in pages:
            import streamlit as st

            at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=timeout)
            page["name"] = ""  # the default page's warm-up render is not recorded
            t0 = time.perf_counter()
            at.run()
            start_s = time.perf_counter() - t0
            st.cache_data.clear()
            st.cache_resource.clear()
            page["name"] = rel
            if "source" in Path(rel).stem and samples.get("claim_id"):
                at.query_params["claim"] = samples["claim_id"]
            err = ""
            try:
                at.switch_page(rel)
                t0 = time.perf_counter()
                at.run()
                first = time.perf_counter() - t0
                if at.exception:
                    err = str(at.exception[0].message)[:100]
            except Exception as exc:  # noqa: BLE001 - a page that fails is reported, not fatal
                first, err = None, f"{type(exc).__name__}: {exc}"[:100]
            rows.append([rel, first * 1000 if first is not None else None, start_s * 1000, err])
    finally:
        ui.db.cursor = real
    return rows, log


def part_queries(scale: Scale, report: Report, md: list[str], work: Path) -> None:
    from . import synth

    db = work / f"claims-{scale.claims}.duckdb"
    t0 = time.perf_counter()
    counts = synth.build_claims_db(db, scale.claims, seed=7)
    build_s = time.perf_counter() - t0
    print(f"\nsynthetic claims database: {', '.join(f'{v:,} {k}' for k, v in counts.items())}; "
          f"built in {build_s:.1f} s ({db.stat().st_size / 2**20:,.0f} MiB)", flush=True)
    time_queries(db, {"counts": counts, "build_s": build_s}, scale, report, md)


def time_queries(db: Path, info: dict, scale: Scale, report: Report, md: list[str], part: str = "queries") -> None:
    """Time every dashboard query and page render on `db` (info["counts"]: its row counts);
    the figures go to report.parts[part]."""
    import duckdb

    counts = info["counts"]
    info["runs"] = scale.query_runs
    con = duckdb.connect(str(db), read_only=True)
    rows: list[list] = []
    results: list[dict] = []
    try:
        samples = _samples(con)
        scenarios = _filter_scenarios(con)
        with load_watch(info):
            for name, fn in query_functions().items():
                cases = scenarios if _takes_filters(fn) else {"-": None}
                for label, flt in cases.items():
                    bound = _bind(fn, con, flt, samples)
                    if isinstance(bound, str):
                        rows.append([f"queries.{name}", label, None, None, None, None, f"skipped: {bound}"])
                        continue
                    args, kwargs = bound
                    try:
                        r = time_call(lambda fn=fn, args=args, kwargs=kwargs: fn(*args, **kwargs), scale.query_runs)
                    except Exception as exc:  # noqa: BLE001 - report and continue
                        rows.append([f"queries.{name}", label, None, None, None, None, f"error: {exc}"[:100]])
                        results.append({"query": f"queries.{name}", "case": label, "error": str(exc)})
                        continue
                    note = f"limit={kwargs['limit']}" if "limit" in kwargs else ""
                    rows.append([f"queries.{name}", label, r["cold_ms"], r["p50_ms"], r["p95_ms"], r["rows"], note])
                    results.append({"query": f"queries.{name}", "case": label, **r})
        md.append(table(f"Part 3a: ui.queries functions on {counts['claims']:,} claims "
                        f"(ms; p50/p95 of {scale.query_runs} warm runs)",
                        ["function", "filters", "cold", "p50", "p95", "rows", "note"], rows))
        render_rows, log = render_pages(db, samples, timeout=120.0)
        page_rows: list[list] = []
        seen: set[str] = set()
        for entry in log:
            key = entry["sql"] + repr(entry["params"])
            if key in seen or entry["sql"].lstrip().upper().startswith("USE "):
                continue  # run already, or a cursor's catalog set (the replay's is the database's)
            seen.add(key)
            sql, params, via, relations = entry["sql"], entry["params"], entry.get("via"), entry.get("relations", {})

            def call(sql=sql, params=params, via=via, relations=relations):
                cur = con.cursor()
                for name, obj in relations.items():  # as the page registered them
                    cur.register(name, obj)
                try:
                    if via == "sql":  # a relation fetched through Arrow (ui.queries._arrow_frame)
                        return cur.sql(sql, params=params).to_arrow_table().to_pandas(date_as_object=False)
                    return cur.execute(sql, params).df() if params is not None else cur.execute(sql).df()
                finally:
                    cur.close()

            label = " ".join(sql.split())[:60]
            try:
                r = time_call(call, scale.query_runs)
            except Exception as exc:  # noqa: BLE001
                page_rows.append([entry["page"], entry["where"], label, None, None, None, f"error: {exc}"[:80]])
                results.append({"query": f"{entry['page']} {entry['where']}", "sql": sql, "error": str(exc)})
                continue
            page_rows.append([entry["page"], entry["where"], label, r["cold_ms"], r["p50_ms"], r["p95_ms"], r["rows"]])
            results.append({"query": f"{entry['page']} {entry['where']}", "sql": sql, **r})
        md.append(table("Part 3b: SQL the pages run while rendering (replayed; ms)",
                        ["page", "caller", "sql", "cold", "p50", "p95", "rows"], page_rows))
        md.append(table("Part 3c: time to first render of each page (AppTest, cold caches; ms)",
                        ["page", "first render", "app start", "error"], render_rows))
    finally:
        con.close()
    info.update(queries=results, renders=render_rows)
    report.parts[part] = info
    timed = [r for r in results if "p95_ms" in r]
    errors = [r for r in results if "error" in r]
    render_errors = [r for r in render_rows if r[3]]
    if timed:
        worst = max(timed, key=lambda r: r["p95_ms"])
        slow = sorted({r["query"] for r in timed if r["p95_ms"] >= scale.query_p95_ms})
        ok = not slow and not errors
        note = (f"worst: {worst['query']} ({worst.get('case', 'page')})" + (f"; over: {', '.join(slow)}" if slow else "")
                + (f"; {len(errors)} failed" if errors else ""))
        report.checks.append(Check(f"every dashboard query p95 at {counts['claims']:,} claims",
                                   f"max {worst['p95_ms']:.0f} ms", f"< {scale.query_p95_ms:.0f} ms", ok, note))
    else:
        report.checks.append(Check("every dashboard query p95", "n/a", f"< {scale.query_p95_ms:.0f} ms", None,
                                   "no query could be timed"))
    report.checks.append(Check("every page renders", f"{len(render_rows) - len(render_errors)}/{len(render_rows)}",
                               "all", (not render_errors) if render_rows else None,
                               "; ".join(f"{r[0]}: {r[3]}" for r in render_errors)[:200]))


# ---------------------------------------------------------------------------------------------


def verdict(report: Report, md: list[str]) -> None:
    rows = [[c.word, c.name, c.measured, c.target, c.note] for c in report.checks]
    md.append(table(f"Verdict ({report.mode} mode)", ["", "target", "measured", "budget", "note"], rows))
    for c in report.checks:
        print(f"VERDICT {c.word} {c.name}: {c.measured} (target {c.target})", flush=True)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m etl.bench", description=__doc__.split("\n\n")[0])
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
        from .bench_linear import part_linear
        from .bench_readers import part_readers
        from .bench_viewers import part_viewers

        if a.scale:
            from .bench_scale import part_scale

            parts = set()
            try:
                part_scale(a.articles, report, md, work)
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
