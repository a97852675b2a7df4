"""Real browser: `streamlit run` on 127.0.0.1 driven by Debian's chromium through playwright.

Opens every page, asserts no exception box, saves screenshots under tests/artifacts/, and
clicks from the explorer to a source page to see the highlighted sentence.
"""
from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest
from appdb import build_seed_db

from ui.server import serve

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "tests" / "artifacts"
CHROMIUM = "/usr/bin/chromium"
PAGES = {"overview": "", "trends": "trends", "districts": "districts", "explorer": "explorer", "sectors": "sector",
         "checks": "checks"}


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    db = build_seed_db(tmp_path_factory.mktemp("browser") / "rongshu.duckdb")
    try:
        with serve(db, tmp_path_factory.getbasetemp() / "streamlit.log") as base:
            yield base, db
    except RuntimeError as exc:
        pytest.fail(str(exc))


@pytest.fixture(scope="module")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.skip("Debian chromium is not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM,
                              args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"])
        yield b
        b.close()


def wait_ready(page) -> None:
    """Wait until the app has finished its run (no running indicator, sidebar drawn)."""
    page.wait_for_selector("[data-testid='stSidebar']", timeout=30_000)
    page.wait_for_selector("[data-testid='stMain'] h1", timeout=30_000)
    page.wait_for_function("() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=30_000)
    page.wait_for_timeout(1200)  # charts and grids paint after the run


def open_first_source(page, grid) -> None:
    """Select the first row of a claims table and follow its 查看原文 link to the source page.
    The grid is a canvas: the row is selected through its checkbox column; the link appears
    under the table (same tab)."""
    grid.wait_for(timeout=20_000)
    grid.scroll_into_view_if_needed()
    box = grid.bounding_box()
    assert box
    page.mouse.move(box["x"] + 100, box["y"] + 60)
    page.mouse.click(box["x"] + 18, box["y"] + 54)
    link = page.locator("[data-testid='stPageLink'] a", has_text="查看原文").first
    link.wait_for(timeout=20_000)
    link.click()
    page.wait_for_url("**/source?claim=*", timeout=20_000)
    wait_ready(page)


def test_every_page_renders_without_exception(server: tuple[str, Path], browser) -> None:
    server, _ = server
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page = browser.new_page(viewport={"width": 1440, "height": 2000})
    for name, path in PAGES.items():
        page.goto(server + path)
        wait_ready(page)
        page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
        assert page.locator("[data-testid='stException']").count() == 0, name
        assert page.get_by_text("Page not found").count() == 0, name
        assert page.locator("[data-testid='stMain'] h1").first.inner_text().strip(), name
    # Charts drew something: the default series' points on the trends page (a series across
    # pages: two or more points), district shapes on the map.
    page.goto(server + "trends")
    wait_ready(page)
    page.wait_for_selector(".js-plotly-plot .scatterlayer .point", timeout=20_000)
    assert page.locator(".js-plotly-plot .scatterlayer .point").count() >= 2
    main = page.locator("[data-testid='stMain']").inner_text()  # the default series: 2022 and 2023
    assert ("新设经营主体" in main or "经营主体总量" in main) and "2022年" in main and "2023年" in main
    page.goto(server + "districts")
    wait_ready(page)
    page.wait_for_selector(".js-plotly-plot .choroplethlocation", timeout=20_000)
    assert page.locator(".js-plotly-plot .choroplethlocation").count() >= 20
    # The English toggle.
    page.goto(server + "explorer?lang=en&topic=trade")
    wait_ready(page)
    page.screenshot(path=str(ARTIFACTS / "explorer_en.png"), full_page=True)
    assert "Explorer" in page.locator("[data-testid='stMain'] h1").first.inner_text()
    assert page.locator("[data-testid='stException']").count() == 0
    page.close()


def test_explorer_to_source_shows_highlighted_sentence(server: tuple[str, Path], browser) -> None:
    server, db = server
    page = browser.new_page(viewport={"width": 1440, "height": 1400})
    page.goto(server + "explorer")
    wait_ready(page)
    open_first_source(page, page.locator("[data-testid='stDataFrame']").first)
    mark = page.locator("mark.claim-sentence").first
    mark.wait_for(timeout=20_000)
    assert mark.locator("strong.claim-mention").count() >= 1
    claim_id = page.url.split("claim=", 1)[1][:16]
    con = duckdb.connect(str(db), read_only=True)
    try:
        sentence, mention = con.execute("""SELECT s.text, c.mention FROM claims c JOIN sentences s USING (sentence_id)
                                           WHERE c.claim_id = ?""", [claim_id]).fetchone()
    finally:
        con.close()
    squash = lambda x: "".join(x.split())  # noqa: E731
    assert squash(sentence) in squash(mark.inner_text())
    assert squash(mention) == squash(mark.locator("strong.claim-mention").first.inner_text())
    page.screenshot(path=str(ARTIFACTS / "source.png"), full_page=True)
    assert page.locator("[data-testid='stException']").count() == 0
    # The permanent link opened directly (a new visitor, a bookmark) lands on the page without
    # Streamlit's "Page not found" dialog.
    fresh = browser.new_page(viewport={"width": 1440, "height": 1400})
    fresh.goto(f"{server}source?claim={claim_id}")
    fresh.locator("mark.claim-sentence").first.wait_for(timeout=30_000)
    fresh.wait_for_timeout(1500)
    assert fresh.get_by_text("Page not found").count() == 0
    fresh.close()
    # A bad id is handled with a friendly message.
    page.goto(server + "source?claim=<script>")
    wait_ready(page)
    assert page.locator("[data-testid='stException']").count() == 0
    assert page.get_by_text("无法识别").count() >= 1
    page.close()
