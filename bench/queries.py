"""Part 3 of the benchmark: the dashboard's queries (etl.store.queries) and every SQL statement
the pages run, p50 / p95, and each page's first render."""
from __future__ import annotations

import contextlib
import datetime as dt
import inspect
import os
import re
import time
from collections.abc import Callable
from pathlib import Path

from bench.ask import time_ask
from bench.harness import ROOT, Check, Report, Scale, load_watch, pct, table

SAMPLE_ARGS = {"limit": 1000, "n": 10, "k": 10, "top": 10, "q": "进出口", "text": "进出口", "region": "成都市",
               "topic": "trade"}


def _filter_scenarios(con) -> dict[str, object]:
    from etl.store.queries import Filters

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
    """Public functions of etl.store.queries that take a connection first (cache wrappers unwrapped)."""
    import etl.store.queries as qm

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
        # Relations registered by the caller (etl.store.queries hands rows back as Arrow tables) go
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
        """A cursor of its own (etl.store.queries splits long key lookups over several), recorded too."""
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
    """file:function (or file:line) of the page script or etl.store.queries function running a query."""
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
    from bench import synth

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
        time_ask(con, counts["claims"], report, md, info)
        md.append(table(f"Part 3a: etl.store.queries functions on {counts['claims']:,} claims "
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
                    if via == "sql":  # a relation fetched through Arrow (etl.store.queries._arrow_frame)
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
