"""OCR (issue 12): seed pages printed, rasterised at 150 dpi like a scan, read back by RapidOCR.

Slow (about 20 s per A3 page on 2 cores), so a few pages only: seed 000 as a two-page scanned
PDF must reach detection F1 >= 0.90 and value+unit >= 0.97 against its gold; one page image
(PNG) goes through the image reader. The five seeds' figures are in docs/readers.md
(`python -m etl.bench --parts 5`)."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import build_db, query
from readerinputs import GOLD, chromium_or_skip, scans, seed_pdfs

from bench.printed import pdf_to_pngs
from etl.evaluate.scoring import score
from etl.ingest.readers.ocr import LOW_CONFIDENCE

pytestmark = pytest.mark.slow
STEM = "000_dee86277aac3db40"


@pytest.fixture(scope="module")
def printed(tmp_path_factory) -> Path:
    chromium_or_skip()
    return seed_pdfs(tmp_path_factory.mktemp("print"), [STEM, "002_649b130caa943bb7"])


def test_scanned_seed_scores_above_the_ocr_targets(printed, tmp_path) -> None:
    folder = scans(printed, tmp_path / "scan", [STEM])
    db = tmp_path / "ocr.duckdb"
    rc, _, err = build_db([folder / f"{STEM}.pdf"], db)
    assert rc == 0, err
    gold = tmp_path / "gold.jsonl"
    gold.write_text("".join(ln + "\n" for ln in GOLD.read_text(encoding="utf-8").splitlines()
                            if json.loads(ln)["doc"] == STEM), encoding="utf-8")
    r = score(str(db), str(gold))
    assert r["f1"] >= 0.90 and r["value_unit"] >= 0.97, (r["f1"], r["value_unit"])
    assert query(db, "SELECT source_kind, pages FROM documents") == [("scan", 2)]
    assert query(db, "SELECT bool_and(ocr), count(*) FROM page_images") == [(True, 2)]
    conf = query(db, "SELECT count(*), count(confidence), min(confidence), max(confidence), count(bbox) FROM claims")[0]
    assert conf[0] == conf[1] == conf[4] > 50 and 0 < conf[2] <= conf[3] < 1


def test_page_image_is_read_by_ocr_with_boxes_and_confidence(printed, tmp_path) -> None:
    png = pdf_to_pngs(printed / "002_649b130caa943bb7.pdf", tmp_path, dpi=150)[-1]  # the short last page
    db = tmp_path / "png.duckdb"
    rc, _, err = build_db([png], db)
    assert rc == 0, err
    (kind, text), = query(db, "SELECT source_kind, text FROM documents")
    assert kind == "image" and len(text) > 100
    rows = query(db, "SELECT mention, page, bbox, confidence FROM claims")
    assert rows
    for mention, page, bbox, conf in rows:
        assert page == 1 and 0 <= bbox[0] < bbox[2] <= 1 and 0 <= bbox[1] < bbox[3] <= 1 and 0 < conf < 1
        assert mention in text
    low = query(db, "SELECT count(*) FROM claims WHERE confidence < ?", LOW_CONFIDENCE)[0][0]
    assert 0 <= low <= len(rows)
