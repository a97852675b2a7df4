"""`python -m etl.bench --viewers N [--db FILE]`: N people open the dashboard at once.

A `streamlit run` server on 127.0.0.1 and N concurrent sessions of Debian's chromium (one
playwright browser, a context each: separate cookies, separate Streamlit sessions), each
opening the pages officials use in turn: overview, trends, districts, explorer. Time to ready
is from navigation to the end of the app's run (no running indicator, title drawn, charts and
tables attached); an error is an exception box, a "Page not found" dialog or a timeout.
"""
from __future__ import annotations

import asyncio
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.harness import Check, Report, load_watch, pct, table
from ui.server import serve as server

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
PAGES = {"overview": "", "trends": "trends", "districts": "districts", "explorer": "explorer"}
READY_TIMEOUT_S = 120.0


async def _ready(page, timeout_ms: float) -> None:
    """The app's run has ended: sidebar and title drawn, no running indicator."""
    await page.wait_for_selector("[data-testid='stSidebar']", timeout=timeout_ms)
    await page.wait_for_selector("[data-testid='stMain'] h1", timeout=timeout_ms)
    await page.wait_for_function("() => !document.querySelector('[data-testid=\"stStatusWidget\"]')",
                                 timeout=timeout_ms)


async def _viewer(browser, base: str, k: int, start: asyncio.Event, timeout_s: float) -> list[dict]:
    """One person: a context of its own, the pages in turn (rotated, so not all on one page)."""
    context = await browser.new_context(viewport={"width": 1280, "height": 900})
    page = await context.new_page()
    names = list(PAGES)
    names = names[k % len(names):] + names[:k % len(names)]
    out = []
    await start.wait()
    try:
        for name in names:
            t0 = time.perf_counter()
            error = ""
            try:
                await page.goto(base + PAGES[name], timeout=timeout_s * 1000)
                await _ready(page, timeout_s * 1000)
                if await page.locator("[data-testid='stException']").count():
                    error = "exception"
                elif await page.get_by_text("Page not found").count():
                    error = "page not found"
            except Exception as exc:  # noqa: BLE001 - a timeout or a crash is this viewer's error
                error = type(exc).__name__
            out.append({"viewer": k, "page": name, "s": time.perf_counter() - t0, "error": error})
    finally:
        await context.close()
    return out


async def _all(base: str, n: int, timeout_s: float) -> list[dict]:
    from playwright.async_api import async_playwright

    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=CHROMIUM,
                                          args=["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                                                "--disable-background-networking"])
        try:
            start = asyncio.Event()
            tasks = [asyncio.create_task(_viewer(browser, base, k, start, timeout_s)) for k in range(n)]
            await asyncio.sleep(0.5)  # every context open: they navigate together
            start.set()
            return [r for rs in await asyncio.gather(*tasks) for r in rs]
        finally:
            await browser.close()


def seed_db(work: Path) -> Path:
    """The seeds' database, built by the ETL in `work`."""
    db = work / "rongshu.duckdb"
    subprocess.run([sys.executable, "-m", "etl", str(ROOT / "seeds"), "--db", str(db)], cwd=ROOT, check=True,
                   capture_output=True)
    return db


def measure(n: int, db: Path | None, work: Path, timeout_s: float = READY_TIMEOUT_S) -> list[dict]:
    """Every page open of `n` concurrent viewers: viewer, page, seconds to ready, error ('' if none)."""
    db = db or seed_db(work)
    with server(db, work / "streamlit.log") as base:
        asyncio.run(_all(base, 1, timeout_s))  # warm-up: imports and first queries of the server
        return asyncio.run(_all(base, n, timeout_s))


def part_viewers(n: int, db: Path | None, report: Report, md: list[str]) -> None:
    if not Path(CHROMIUM).exists():
        report.checks.append(Check(f"{n} concurrent viewers", "n/a", "no errors", None, "no chromium"))
        return
    info: dict = {"viewers": n, "db": str(db) if db else "seeds"}
    with tempfile.TemporaryDirectory(prefix="rongshu-bench-viewers-") as tmp, load_watch(info):
        t0 = time.perf_counter()
        opens = measure(n, db, Path(tmp))
        info["wall_s"] = time.perf_counter() - t0
    rows = []
    for name in [*PAGES, "all"]:
        sel = [o for o in opens if name in ("all", o["page"])]
        ok = [o["s"] for o in sel if not o["error"]]
        rows.append([name, len(sel), pct(ok, 50) if ok else None, pct(ok, 95) if ok else None,
                     max(ok) if ok else None, sum(1 for o in sel if o["error"])])
    errors = [o for o in opens if o["error"]]
    md.append(table(f"Viewers: {n} concurrent browser sessions, each opening {len(PAGES)} pages "
                    f"(database: {info['db']}); seconds to ready",
                    ["page", "opens", "p50 s", "p95 s", "max s", "errors"], rows))
    info.update(opens=opens, errors=len(errors))
    report.parts["viewers"] = info
    times = [o["s"] for o in opens if not o["error"]]
    measured = (f"p50 {pct(times, 50):.1f} s, p95 {pct(times, 95):.1f} s, {len(errors)} errors" if times
                else f"{len(errors)} errors")
    report.checks.append(Check(f"{n} concurrent viewers render every page", measured, "no errors", not errors,
                               "; ".join(sorted({f"{o['page']}: {o['error']}" for o in errors}))[:200]))
