"""The dashboard follows the database file: a load that renames a new file into place shows on
the next run, without a restart (issue 13, "stale dashboard")."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import SEEDS, build_db
from conftest import query as sql
from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parent.parent
APP = str(ROOT / "app.py")


def overview_counts(at: AppTest) -> tuple[int, int]:
    """(documents, claims) shown by the overview's metric cards."""
    values = [int(m.value.replace(",", "")) for m in at.metric[:4]]
    return values[0], values[3]


def app_on_seeds(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, n: int) -> tuple[Path, list[Path], Path, AppTest]:
    """(folder, seed files, database, app): the first `n` seed pages loaded and the app run on them."""
    pages = tmp_path / "pages"
    pages.mkdir()
    files = sorted(SEEDS.glob("*.txt"))
    for f in files[:n]:
        shutil.copy(f, pages)
    db = tmp_path / "rongshu.duckdb"
    assert build_db([pages], db)[0] == 0
    monkeypatch.setenv("RONGSHU_DB", str(db))
    at = AppTest.from_file(APP, default_timeout=60).run()
    assert not at.exception
    return pages, files, db, at


def test_overview_shows_a_load_made_while_it_runs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # What the overview must show after the second load (counted in a database of its own:
    # this process's DuckDB keeps an instance per open path, the bug this test is about).
    every = tmp_path / "every.duckdb"
    assert build_db([SEEDS], every)[0] == 0
    after = (5, sql(every, "SELECT count(*) FROM claims")[0][0])
    first, files, db, at = app_on_seeds(tmp_path, monkeypatch, 4)
    before = overview_counts(at)
    assert before == (4, sql(db, "SELECT count(*) FROM claims")[0][0])
    # A load adds the fifth page (a new file renamed over the old one) while the app runs.
    shutil.copy(files[4], first)
    assert build_db([first], db)[0] == 0
    assert after[1] > before[1]
    at.run()  # the next rerun (a browser reload) of the same server
    assert not at.exception
    assert overview_counts(at) == after


def test_the_dashboard_lets_go_of_the_replaced_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # A load writes the next generation into the file the previous load replaced (the spare),
    # which it can only do when no reader holds it: once the dashboard has moved to the new
    # file, it must close the old one.
    from etl.store.database import spare_path

    pages, files, db, at = app_on_seeds(tmp_path, monkeypatch, 3)
    first_inode = db.stat().st_ino
    assert overview_counts(at)[0] == 3
    # Loads in another process, as in production (a process's own file locks never conflict).
    def load() -> None:
        subprocess.run([sys.executable, "-m", "etl", str(pages), "--db", str(db)], cwd=ROOT, check=True,
                       capture_output=True, env={**os.environ, "PYTHONPATH": str(ROOT)}, timeout=300)

    shutil.copy(files[3], pages)
    load()
    assert spare_path(db).stat().st_ino == first_inode
    at.run()
    assert not at.exception and overview_counts(at)[0] == 4
    shutil.copy(files[4], pages)
    load()
    assert db.stat().st_ino == first_inode, "the dashboard still held the replaced file: the load had to copy"
    at.run()
    assert not at.exception and overview_counts(at)[0] == 5


@pytest.mark.slow
def test_browser_reload_shows_a_new_load(tmp_path: Path) -> None:
    """`streamlit run` on a database, a page open in chromium, a load adding a page with
    `python -m etl`, a reload: the overview counts the new page (no restart)."""
    import subprocess
    import sys

    from test_browser import CHROMIUM, wait_ready

    from ui.server import serve

    if not Path(CHROMIUM).exists():
        pytest.skip("Debian chromium is not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    files = sorted(SEEDS.glob("*.txt"))
    first = tmp_path / "pages"
    first.mkdir()
    for f in files[:4]:
        shutil.copy(f, first)
    db = tmp_path / "rongshu.duckdb"
    etl = [sys.executable, "-m", "etl", str(first), "--db", str(db)]
    subprocess.run(etl, cwd=ROOT, check=True, capture_output=True)

    def cards(page) -> list[str]:
        # The overview's count cards render after the page reports ready on a busy machine: wait for them.
        page.wait_for_selector("[data-testid='stMetricValue']", timeout=60_000)
        return [v.strip() for v in page.locator("[data-testid='stMetricValue']").all_inner_texts()]

    with serve(db, tmp_path / "streamlit.log") as base:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
            page = browser.new_page(viewport={"width": 1440, "height": 1200})
            page.goto(base)
            wait_ready(page)
            before = cards(page)
            assert before[0] == "4", before
            shutil.copy(files[4], first)  # the next day's page arrives; the scheduled load runs
            out = subprocess.run(etl, cwd=ROOT, check=True, capture_output=True, text=True).stdout
            assert "database: 5 documents" in out, out
            page.reload()
            wait_ready(page)
            after = cards(page)
            browser.close()
        assert after[0] == "5", after
        assert int(after[3].replace(",", "")) > int(before[3].replace(",", ""))
