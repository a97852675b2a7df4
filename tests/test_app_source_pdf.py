"""AppTest: the source page and the explorer for claims read from a PDF (issue 12): the original
page with the claim's box, the page column, and the ⚠ mark of a low OCR confidence."""
from __future__ import annotations

from pathlib import Path

import duckdb
import pytest
from conftest import build_db
from conftest import query as sql
from readerinputs import chromium_or_skip, seed_pdfs
from test_app_pages import html_bodies, open_page

STEM = "002_649b130caa943bb7"


@pytest.fixture(scope="module")
def pdf_db(tmp_path_factory) -> Path:
    chromium_or_skip()
    folder = seed_pdfs(tmp_path_factory.mktemp("apppdf"), [STEM])
    db = tmp_path_factory.mktemp("apppdf_db") / "rongshu.duckdb"
    rc, _, err = build_db([folder], db)
    assert rc == 0, err
    # One claim as OCR would leave a doubtful digit: confidence below the 0.90 threshold.
    con = duckdb.connect(str(db))
    con.execute("""UPDATE claims SET confidence = 0.5
                   WHERE claim_id = (SELECT min(claim_id) FROM claims WHERE value IS NOT NULL)""")
    con.close()
    return db


@pytest.fixture(autouse=True)
def _use_pdf_db(pdf_db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RONGSHU_DB", str(pdf_db))


def test_source_page_shows_the_original_page_and_flags_low_confidence(pdf_db: Path) -> None:
    (cid, mention, page), = sql(pdf_db, "SELECT claim_id, mention, page FROM claims WHERE confidence < 1")
    at = open_page("views/article.py", claim=cid)
    assert not at.exception, [e.value for e in at.exception]
    body = html_bodies(at)
    assert f'data-page="{page}"' in body and 'class="rs-box"' in body and "data:image/jpeg;base64," in body
    assert f'data-mention="{mention}"' in body
    assert any("第" in m.value and "页" in m.value for m in at.markdown)
    assert any("0.50" in w.value and "OCR" in w.value for w in at.warning)
    assert len(at.get("image")) == 1  # the region around the figure


def test_source_page_of_a_pdf_claim_without_ocr_has_no_warning(pdf_db: Path) -> None:
    (cid,), = sql(pdf_db, "SELECT claim_id FROM claims WHERE confidence = 1 ORDER BY claim_id LIMIT 1")
    at = open_page("views/article.py", claim=cid)
    assert not at.exception
    assert 'class="rs-box"' in html_bodies(at) and not at.warning


def test_explorer_lists_page_and_marks_low_confidence(pdf_db: Path) -> None:
    at = open_page("views/browse.py")
    assert not at.exception
    df = at.dataframe[0].value
    assert "页" in df.columns and "OCR 置信度" in df.columns
    assert set(df["页"].dropna()) <= {1, 2} and df["页"].notna().all()
    assert (df["OCR 置信度"] == "⚠ 0.50").sum() == 1 and (df["OCR 置信度"] == "").sum() == len(df) - 1
