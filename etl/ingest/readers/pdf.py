"""PDF (.pdf): the text layer of each page in reading order, a box for every character.

pypdfium2 (PDFium, Apache-2.0/BSD) gives each character with its box; `order` rebuilds lines,
columns and paragraphs from the boxes, so two- and three-column pages are not interleaved.
A page without a text layer (a scan) is rendered and read by OCR (`ocr`).
Chosen by measurement over pdfplumber: docs/readers.md.
"""
from __future__ import annotations

import re

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from etl.ingest.readers import PAGE_WIDTH, Reading, page_jpeg
from etl.ingest.readers.order import Glyph, Line, compose, lines_from_glyphs
from etl.ingest.sources import SourceError

# A page with fewer printable characters than this has no usable text layer: it is a scan.
MIN_TEXT = 20
# Scanned pages are rendered at this resolution for OCR.
OCR_DPI = 150
# PDFium's error code after a failed load can be stale (left by an earlier document), so the
# reason is read from the file: an /Encrypt entry, or a page tree that counts no pages.
_ENCRYPT = re.compile(rb"/Encrypt\s*(?:\d+\s+\d+\s+R|<<)")
_NO_PAGES = re.compile(rb"/Type\s*/Pages\b[^>]*?/Count\s+0\b|/Count\s+0\b[^>]*?/Type\s*/Pages\b")


def open_pdf(data: bytes) -> pdfium.PdfDocument:
    """The document, or SourceError naming why it cannot be opened."""
    if not data:
        raise SourceError("is empty (0 bytes)")
    try:
        doc = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        if _ENCRYPT.search(data):
            raise SourceError("is an encrypted PDF (a password is needed to open it)") from exc
        if _NO_PAGES.search(data):
            raise SourceError("is a PDF with no pages") from exc
        raise SourceError("is not a readable PDF (damaged, truncated or not a PDF)") from exc
    if len(doc) == 0:
        doc.close()
        raise SourceError("is a PDF with no pages")
    return doc


def page_glyphs(page: pdfium.PdfPage) -> list[Glyph]:
    """Characters of a page's text layer in content order, boxes with a top-left origin."""
    height = page.get_height()
    tp = page.get_textpage()
    try:
        out = []
        for i in range(tp.count_chars()):
            code = pdfium_c.FPDFText_GetUnicode(tp, i)
            ch = chr(code) if code else ""
            if not ch or ch in "\r\n" or (ord(ch) < 32 and ch != "\t") or ch == "\ufffe":
                continue
            left, bottom, right, top = tp.get_charbox(i, loose=True)
            out.append(Glyph(" " if ch.isspace() else ch, left, height - top, right, height - bottom))
        return out
    finally:
        tp.close()


def read(data: bytes) -> Reading:
    doc = open_pdf(data)
    try:
        pages, shots, ocr_pages = [], [], 0
        for n in range(len(doc)):
            page = doc[n]
            width, height = page.get_size()
            glyphs = page_glyphs(page)
            if sum(1 for g in glyphs if not g.char.isspace()) >= MIN_TEXT:
                lines: list[Line] = lines_from_glyphs(glyphs)
                img = page.render(scale=min(4.0, PAGE_WIDTH / max(width, 1))).to_pil()
                shots.append(page_jpeg(img, n + 1))
            else:
                from etl.ingest.readers import ocr

                img = page.render(scale=OCR_DPI / 72, grayscale=True).to_pil()
                lines = ocr.image_lines(img)
                width, height = img.size
                shots.append(page_jpeg(img, n + 1, ocr=True))
                ocr_pages += 1
            pages.append((n + 1, width, height, lines))
            page.close()
    finally:
        doc.close()
    composed = compose(pages)
    if not composed.text.strip():
        raise SourceError("is a PDF without text (no text layer, and OCR found none)")
    kind = "scan" if ocr_pages == len(pages) else "pdf"  # SPEC: a PDF without text layer is a scan
    conf = composed.conf if ocr_pages else None
    return Reading(composed.text, kind, "pdf", {}, composed.boxes, conf, tuple(shots))
