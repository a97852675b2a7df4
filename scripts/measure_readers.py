"""Measure the candidate libraries for the HTML and PDF readers on pages made from the seeds.

    .venv/bin/python -m pip install -r requirements-bench.txt
    .venv/bin/python scripts/measure_readers.py

HTML: trafilatura vs readability-lxml on each seed as a news page with navigation, an ad,
related links and a footer: share of the seed's lines recovered verbatim, boilerplate strings
leaked into the text, metadata found, ms per page. PDF: pypdfium2 vs pdfplumber (pdfminer.six)
on each seed printed as a two-column A3 PDF by Chromium, both through the same reading-order
code: share of seed lines recovered verbatim, pages per minute. Figures go to docs/readers.md.
"""
from __future__ import annotations

import re
import sys
import tempfile
import time
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.printed import article_page, seed_pdf  # noqa: E402
from etl.ingest.readers.order import Glyph, compose, lines_from_glyphs  # noqa: E402

SEEDS = sorted((ROOT / "seeds").glob("*.txt"))
NOISE = ("首页", "天府银行", "相关新闻", "热点排行", "版权所有", "ICP", "关于我们", "分享到", "搜索")


def _lines(text: str) -> list[str]:
    return [re.sub(r"\s+", "", ln) for ln in text.splitlines() if len(ln.strip()) >= 4]


def recovered(seed: str, got: str) -> float:
    flat = re.sub(r"\s+", "", got)
    lines = _lines(seed)
    return sum(1 for ln in lines if ln in flat) / max(1, len(lines))


def html_candidates():
    def trafilatura_read(page: str) -> tuple[str, dict]:
        import trafilatura

        d = trafilatura.bare_extraction(page, with_metadata=True)
        return (d.text if d else ""), {"title": d.title, "date": d.date, "site": d.sitename, "url": d.url} if d else {}

    def readability_read(page: str) -> tuple[str, dict]:
        import lxml.html
        from readability import Document

        d = Document(page)
        text = lxml.html.fromstring(d.summary()).text_content()
        return text, {"title": d.short_title()}

    return {"trafilatura": trafilatura_read, "readability-lxml": readability_read}


def pdf_candidates():
    def pdfium_read(path: Path) -> tuple[str, int]:
        from etl.ingest.readers.pdf import read

        r = read(path.read_bytes())
        return r.text, len(r.pages)

    def plumber_read(path: Path) -> tuple[str, int]:
        import pdfplumber

        pages = []
        with pdfplumber.open(path) as pdf:
            for n, page in enumerate(pdf.pages, 1):
                # NFKC: pdfminer maps some of Chromium's CJK glyphs to Kangxi radicals (⾼ for 高)
                glyphs = [Glyph(unicodedata.normalize("NFKC", c["text"]), c["x0"], c["top"], c["x1"], c["bottom"])
                          for c in page.chars]
                pages.append((n, page.width, page.height, lines_from_glyphs(glyphs)))
        return compose(pages).text, len(pages)

    return {"pypdfium2": pdfium_read, "pdfplumber": plumber_read}


def main() -> None:
    import logging

    logging.getLogger("pdfminer").setLevel(logging.ERROR)  # Chromium fonts lack a FontBBox: one warning per char
    print("HTML readers (5 seed articles as news pages)")
    print(f"{'library':<18}{'lines recovered':>16}{'boilerplate leaked':>20}{'metadata':>10}{'ms/page':>9}")
    for name, fn in html_candidates().items():
        rec, leaked, meta, secs = [], 0, 0, 0.0
        for s in SEEDS:
            text = s.read_text(encoding="utf-8")
            page = article_page(text, f"{s.stem} 标题", "成都日报", "2023-12-14")
            t0 = time.perf_counter()
            got, md = fn(page)
            secs += time.perf_counter() - t0
            rec.append(recovered(text, got))
            leaked += sum(1 for n in NOISE if n in got and n not in text)  # not words of the article itself
            meta += sum(1 for v in md.values() if v)
        print(f"{name:<18}{sum(rec) / len(rec):>16.3f}{leaked:>20}{meta:>10}{secs / len(SEEDS) * 1000:>9.0f}")
    print("\nPDF readers (5 seeds printed as two-column A3 PDFs)")
    print(f"{'library':<18}{'lines recovered':>16}{'pages':>7}{'pages/min':>11}")
    with tempfile.TemporaryDirectory() as tmp:
        pdfs = [seed_pdf(s, Path(tmp) / f"{s.stem}.pdf") for s in SEEDS]
        for name, fn in pdf_candidates().items():
            rec, pages, secs = [], 0, 0.0
            for s, p in zip(SEEDS, pdfs, strict=True):
                t0 = time.perf_counter()
                got, n = fn(p)
                secs += time.perf_counter() - t0
                pages += n
                rec.append(recovered(s.read_text(encoding="utf-8"), got))
            print(f"{name:<18}{sum(rec) / len(rec):>16.3f}{pages:>7}{pages / secs * 60:>11.0f}")


if __name__ == "__main__":
    main()
