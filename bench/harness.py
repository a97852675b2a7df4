"""The benchmarks' shared harness: scales, checks and the report, machine and load watching,
timers, tables, runs of `python -m etl` with their memory, database digests."""
from __future__ import annotations

import contextlib
import glob
import os
import platform
import resource
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
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
    from etl import compiled

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

    from etl.ingest.sources import RawFile, read_file

    raws = [read_file(Path(p)) for p in sorted(glob.glob(str(SEEDS / "*.txt")))]
    if raws:
        first = raws[0]
        data = opencc.OpenCC("s2t").convert(first.data.decode("utf-8")).encode("utf-8")
        raws.append(RawFile(f"{first.path} (Traditional)", f"{first.doc_id}-trad", data,
                            hashlib.sha256(data).hexdigest(), dict(first.meta)))
    return raws


def full_pass_s(raws: list, reps: int) -> float:
    """Median seconds of `pipeline.process` over `raws` (full extraction, 1 core)."""
    from etl.pipeline import process

    return _timed(lambda: [process(r) for r in raws], reps)[0]


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
