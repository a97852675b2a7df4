"""Real browser (issue 12): the source page of a claim read from a PDF shows the rendered page
with the claim's box over the right figure: the box lies inside the page image, and the text
PDFium finds under it in the original PDF is the claim's mention."""
from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import build_db, query
from readerinputs import chromium_or_skip, seed_pdfs
from test_browser import ARTIFACTS, CHROMIUM, wait_ready

from ui.server import serve

pytestmark = pytest.mark.slow
ROOT = Path(__file__).resolve().parent.parent
STEM = "001_b40aec71d9749aff"


@pytest.fixture(scope="module")
def pdf_server(tmp_path_factory) -> Iterator[tuple[str, Path, Path]]:
    chromium_or_skip()
    folder = seed_pdfs(tmp_path_factory.mktemp("srcpdf"), [STEM])
    db = tmp_path_factory.mktemp("srcpdf_db") / "rongshu.duckdb"
    rc, _, err = build_db([folder], db)
    assert rc == 0, err
    try:
        with serve(db, tmp_path_factory.getbasetemp() / "streamlit_source.log") as base:
            yield base, db, folder / f"{STEM}.pdf"
    except RuntimeError as exc:
        pytest.fail(str(exc))


def test_source_page_shows_the_pdf_page_with_the_box_over_the_figure(pdf_server) -> None:
    if not Path(CHROMIUM).exists():
        pytest.skip("Debian chromium is not installed")
    import pypdfium2 as pdfium
    from playwright.sync_api import sync_playwright

    base, db, pdf_path = pdf_server
    # A figure on the second page, in the right-hand column.
    (claim_id, mention, page_no), = query(db, """
        SELECT claim_id, mention, page FROM claims
        WHERE page = 2 AND bbox[1] > 0.5 AND mention NOT LIKE '%' || chr(10) || '%' AND length(mention) >= 4
        ORDER BY "start" LIMIT 1""")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
        try:
            page = browser.new_page(viewport={"width": 1440, "height": 1600})
            page.goto(f"{base}source?claim={claim_id}")
            wait_ready(page)
            img = page.locator("img.rs-page-img").first
            img.wait_for(timeout=30_000)
            page.wait_for_function("() => { const i = document.querySelector('img.rs-page-img');"
                                   " return i && i.complete && i.naturalWidth > 0; }", timeout=30_000)
            box = page.locator("div.rs-box").first
            box.scroll_into_view_if_needed()
            ARTIFACTS.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(ARTIFACTS / "source_pdf_page.png"), full_page=True)
            assert page.locator("[data-testid='stException']").count() == 0
            assert box.get_attribute("data-mention") == mention
            ib, bb = img.bounding_box(), box.bounding_box()
        finally:
            browser.close()
    assert ib and bb and ib["width"] > 200
    assert ib["x"] <= bb["x"] and bb["x"] + bb["width"] <= ib["x"] + ib["width"] + 0.5
    assert ib["y"] <= bb["y"] and bb["y"] + bb["height"] <= ib["y"] + ib["height"] + 0.5
    # Where the box sits on the displayed image, as page fractions -> PDF points -> the text there.
    fx0, fx1 = (bb["x"] - ib["x"]) / ib["width"], (bb["x"] + bb["width"] - ib["x"]) / ib["width"]
    fy0, fy1 = (bb["y"] - ib["y"]) / ib["height"], (bb["y"] + bb["height"] - ib["y"]) / ib["height"]
    doc = pdfium.PdfDocument(str(pdf_path))
    try:
        pg = doc[page_no - 1]
        w, h = pg.get_size()
        text = pg.get_textpage().get_text_bounded(fx0 * w + 1, h - fy1 * h + 2, fx1 * w - 1, h - fy0 * h - 2)
    finally:
        doc.close()
    assert "".join(text.split()) == "".join(mention.split())
