"""Readers: one module per input format behind one interface.

    read(data: bytes, suffix: str) -> Reading

bytes in; text in reading order, metadata found in the file, a box per character (PDF and
image inputs) and the rendered pages out. Every reader raises `SourceError` with the reason
when a file cannot be read; the pipeline after a reader is the same for every format.
"""
from __future__ import annotations

import importlib
import io
from dataclasses import dataclass, field

from etl.ingest.readers.order import Box
from etl.ingest.sources import SourceError

# suffix -> reader module (imported on first use: OCR and PDF libraries load only when needed)
READERS = {
    ".txt": "text",
    ".html": "html", ".htm": "html",
    ".pdf": "pdf",
    ".png": "image", ".jpg": "image", ".jpeg": "image", ".tif": "image", ".tiff": "image",
    ".docx": "docx",
}
SUFFIXES = tuple(READERS)
# Pages are kept as JPEG at this width (pixels) for the source view: enough to read a figure.
PAGE_WIDTH = 1240


@dataclass(frozen=True)
class Page:
    """A rendered page of a PDF or image input, for showing the original beside the text."""

    number: int  # 1-based
    width: int  # pixels of `image`
    height: int
    image: bytes  # JPEG
    ocr: bool = False  # text of this page came from OCR


@dataclass
class Reading:
    """What a reader found in a file."""

    text: str
    kind: str  # documents.source_kind (SPEC): txt | html | pdf | scan | image | docx
    encoding: str
    meta: dict = field(default_factory=dict)  # title, published, outlet, url (when the file says)
    boxes: list[Box | None] | None = None  # per character of `text`; None for formats without
    conf: list[float] | None = None  # per character recognition confidence (OCR only)
    pages: tuple[Page, ...] = ()


def read(data: bytes, suffix: str) -> Reading:
    """Read one file's bytes with the reader for its suffix; raises SourceError."""
    name = READERS.get(suffix.lower())
    if name is None:
        raise SourceError(f"has an unsupported file type {suffix or '(none)'}; readable: {', '.join(SUFFIXES)}")
    module = importlib.import_module(f"{__name__}.{name}")
    return module.read(data)


def page_jpeg(img, number: int, ocr: bool = False) -> Page:
    """A PIL image scaled to PAGE_WIDTH and stored as JPEG."""
    img = img if img.mode in ("L", "RGB") else img.convert("RGB")
    if img.width > PAGE_WIDTH:
        img = img.resize((PAGE_WIDTH, max(1, round(img.height * PAGE_WIDTH / img.width))))
    buf = io.BytesIO()
    img.save(buf, format="JPEG", quality=80, optimize=True)
    return Page(number, img.width, img.height, buf.getvalue(), ocr)
