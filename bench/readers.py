"""Part 5 of `python -m etl.bench`: the readers of issue 12 on the seeds printed as pages.

The seeds are printed as two-column A3 PDFs by headless Chromium (bench.printed) and rasterised
at 150 dpi as scans. Reported: pages per minute of PDF text extraction (etl.ingest.readers.pdf) and of
OCR (etl.ingest.readers.ocr via scanned PDFs), the share of OCR'd claims flagged low-confidence, and
the extraction scores against the seeds' gold: PDF detection F1 and value+unit within 0.01 of
the .txt seeds; OCR detection F1 >= 0.90 and value+unit >= 0.97. Quick mode OCRs one page
(speed only); full mode OCRs every page and checks the OCR targets.
"""
from __future__ import annotations

import io
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
GOLD = ROOT / "tests" / "gold" / "seeds.jsonl"


def _load(paths: list[Path], db: Path) -> float:
    from etl.load import run

    t0 = time.perf_counter()
    rc = run([str(p) for p in paths], str(db), progress=False, out=io.StringIO(), err=io.StringIO())
    if rc != 0:
        raise RuntimeError(f"loading {paths} failed")
    return time.perf_counter() - t0


def part_readers(scale, report, md: list[str], work: Path) -> None:
    from bench.harness import Check, table
    from bench.printed import CHROMIUM, pdf_to_pngs, scanned_pdf, seed_pdf
    from etl.evaluate.scoring import score
    from etl.ingest.readers import read
    from etl.ingest.readers.ocr import LOW_CONFIDENCE

    if not Path(CHROMIUM).exists():
        report.checks.append(Check("readers (part 5)", "n/a", "reported", None, "chromium is not installed"))
        return
    full = scale.name == "full"
    folder = work / "readers"
    (folder / "pdf").mkdir(parents=True, exist_ok=True)
    seeds = sorted(SEEDS.glob("*.txt"))
    manifest = (SEEDS / "manifest.csv").read_text(encoding="utf-8").replace(".txt,", ".pdf,")
    pdfs = [seed_pdf(s, folder / "pdf" / f"{s.stem}.pdf") for s in seeds]
    (folder / "pdf" / "manifest.csv").write_text(manifest, encoding="utf-8")

    # PDF text layer: reading only (pages/min), then the whole pipeline scored against the gold.
    reps = 3 if full else 1
    t0 = time.perf_counter()
    n_pages = 0
    for _ in range(reps):
        for p in pdfs:
            n_pages += len(read(p.read_bytes(), ".pdf").pages)
    pdf_rate = n_pages / (time.perf_counter() - t0) * 60
    _load([SEEDS], folder / "txt.duckdb")
    _load([folder / "pdf"], folder / "pdf.duckdb")
    txt, pdf = score(str(folder / "txt.duckdb"), str(GOLD)), score(str(folder / "pdf.duckdb"), str(GOLD))
    rows = [["PDF text layer (pypdfium2)", n_pages // reps, pdf_rate, pdf["f1"], pdf["value_unit"], "", ""],
            [".txt seeds (reference)", "", "", txt["f1"], txt["value_unit"], "", ""]]

    # OCR: scans at 150 dpi; quick mode one short page, full mode every page of every seed.
    (folder / "scan").mkdir(exist_ok=True)
    if full:
        for p in pdfs:
            scanned_pdf(pdf_to_pngs(p, folder / "png"), folder / "scan" / p.name)
        (folder / "scan" / "manifest.csv").write_text(manifest, encoding="utf-8")
        inputs = [folder / "scan"]
    else:
        inputs = [pdf_to_pngs(pdfs[2], folder / "png")[-1]]
    from etl.ingest.readers.ocr import engine

    engine()  # model loading is not page time
    t0 = time.perf_counter()
    _load(inputs, folder / "ocr.duckdb")
    ocr_s = time.perf_counter() - t0
    import duckdb

    con = duckdb.connect(str(folder / "ocr.duckdb"), read_only=True)
    try:
        ocr_pages = con.execute("SELECT count(*) FROM page_images WHERE ocr").fetchone()[0]
        n_claims, n_low = con.execute("SELECT count(*), count(*) FILTER (WHERE confidence < ?) FROM claims "
                                      "JOIN documents USING (doc_id) WHERE source_kind IN ('scan', 'image')",
                                      [LOW_CONFIDENCE]).fetchone()
    finally:
        con.close()
    ocr_rate = ocr_pages / ocr_s * 60
    low_share = n_low / n_claims if n_claims else 0.0
    ocr = score(str(folder / "ocr.duckdb"), str(GOLD)) if full else None
    rows.append([f"OCR, 150 dpi scans (RapidOCR){'' if full else ', 1 page'}", ocr_pages, ocr_rate,
                 ocr["f1"] if ocr else None, ocr["value_unit"] if ocr else None, n_claims, low_share])
    md.append(table("Part 5: readers on the seeds printed as two-column A3 pages",
                    ["input", "pages", "pages/min", "detection F1", "value+unit", "claims", "low-confidence share"],
                    rows))
    report.parts["readers"] = {"pdf_pages_per_min": pdf_rate, "ocr_pages_per_min": ocr_rate, "pdf_f1": pdf["f1"],
                               "txt_f1": txt["f1"], "pdf_value_unit": pdf["value_unit"],
                               "txt_value_unit": txt["value_unit"], "ocr_claims": n_claims,
                               "ocr_low_confidence_share": low_share,
                               "ocr_f1": ocr["f1"] if ocr else None,
                               "ocr_value_unit": ocr["value_unit"] if ocr else None}
    report.checks.append(Check("PDF text extraction speed", f"{pdf_rate:.0f} pages/min", "reported", True))
    report.checks.append(Check("OCR speed", f"{ocr_rate:.1f} pages/min", "reported", True,
                               f"low-confidence claims {low_share:.1%} of {n_claims}"))
    ok = pdf["f1"] >= txt["f1"] - 0.01 and pdf["value_unit"] >= txt["value_unit"] - 0.01
    report.checks.append(Check("seed PDFs score like the .txt seeds",
                               f"F1 {pdf['f1']:.3f}, value+unit {pdf['value_unit']:.3f}",
                               f">= {txt['f1'] - 0.01:.3f}, >= {txt['value_unit'] - 0.01:.3f}", ok))
    if ocr:
        report.checks.append(Check("OCR of 150 dpi seed scans", f"F1 {ocr['f1']:.3f}, value+unit {ocr['value_unit']:.3f}",
                                   ">= 0.90, >= 0.97", ocr["f1"] >= 0.90 and ocr["value_unit"] >= 0.97))
