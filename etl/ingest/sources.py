"""Files -> documents: find article files, decode them, read manifests.

I/O lives here; everything after this module is pure.
"""
from __future__ import annotations

import csv
import datetime as dt
import hashlib
from dataclasses import dataclass
from pathlib import Path

from charset_normalizer import from_bytes

# Readable formats (etl/ingest/readers): text, web pages, PDFs, page images, Word files.
SUFFIXES = (".txt", ".html", ".htm", ".pdf", ".png", ".jpg", ".jpeg", ".tif", ".tiff", ".docx")
MANIFEST = "manifest.csv"
# Chinese newspaper text in a legacy code page is GB18030 (a superset of GBK / GB2312).
_LEGACY = ("gb18030", "big5")


class SourceError(Exception):
    """A file that cannot be read as an article; the message says why."""


@dataclass(frozen=True)
class RawFile:
    """An article file found on disk, with its manifest metadata (if any)."""

    path: str
    doc_id: str
    data: bytes
    sha256: str
    meta: dict


def read_manifests(files: list[Path]) -> dict[Path, dict]:
    """Per-file metadata from `manifest.csv` files beside the articles."""
    meta: dict[Path, dict] = {}
    for folder in sorted({f.parent for f in files}):
        m = folder / MANIFEST
        if not m.is_file():
            continue
        with open(m, encoding="utf-8-sig", newline="") as fh:
            for row in csv.DictReader(fh):
                name = (row.get("file") or "").strip()
                if name:
                    meta[(folder / name).resolve()] = {k: (v or "").strip() for k, v in row.items()}
    return meta


def read_file(path: Path, meta: dict | None = None, doc_id: str | None = None) -> RawFile:
    """Read one file's bytes (doc_id defaults to the file name without extension);
    raises SourceError when it cannot be read."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise SourceError(f"cannot be read: {exc.strerror or exc}") from exc
    return RawFile(str(path), doc_id or path.stem, data, hashlib.sha256(data).hexdigest(), meta or {})


def decode(data: bytes) -> tuple[str, str]:
    """Decode article bytes; returns (text, encoding name). Raises SourceError."""
    if not data.strip():
        raise SourceError("is empty")
    if data.startswith(b"\xef\xbb\xbf"):
        return _strict(data[3:], "utf-8"), "utf-8-sig"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        score, text, _ = _utf16_reading(data, "utf-16")
        if score > 0.9:
            return text, "utf-16"
        raise SourceError("starts with a UTF-16 byte-order mark but is not valid UTF-16 text (invalid bytes)")
    if b"\x00" in data:
        # UTF-16 without BOM has NULs (in ASCII, newlines); real binary fails both readings.
        best = max((_utf16_reading(data, enc) for enc in ("utf-16-le", "utf-16-be")), key=lambda r: r[0])
        if best[0] > 0.9:
            return best[1], best[2]
        raise SourceError("is binary (contains NUL bytes), not text")
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    for enc in _LEGACY:
        try:
            text = data.decode(enc)
        except UnicodeDecodeError:
            continue
        if _mostly_text(text):
            return text, enc
    best = from_bytes(data).best()
    if best is not None and _mostly_text(str(best)):
        return str(best), best.encoding
    raise SourceError("is not valid text in UTF-8, UTF-16 or GB18030 (invalid byte sequences)")


def _strict(data: bytes, enc: str) -> str:
    try:
        return data.decode(enc)
    except UnicodeDecodeError as exc:
        raise SourceError(f"has invalid {enc} bytes at position {exc.start}") from exc


def _utf16_reading(data: bytes, enc: str) -> tuple[float, str, str]:
    """(plausibility, text, encoding): share of CJK, ASCII-printable and CJK-punctuation chars."""
    if len(data) % 2:
        return 0.0, "", enc
    try:
        text = data.decode(enc)
    except UnicodeDecodeError:
        return 0.0, "", enc
    ok = sum(1 for c in text if c in "\n\r\t" or 32 <= ord(c) < 127 or 0x3000 <= ord(c) <= 0x9FFF
             or 0xFF00 <= ord(c) <= 0xFFEF or 0x2000 <= ord(c) <= 0x206F)
    return ok / max(1, len(text)), text, enc


def _mostly_text(text: str) -> bool:
    """True when the decoded text is mostly letters, CJK, digits, punctuation and spaces."""
    if not text:
        return False
    bad = sum(1 for c in text if (ord(c) < 32 and c not in "\n\r\t") or 0xE000 <= ord(c) <= 0xF8FF)
    return bad / len(text) < 0.01


def parse_date(value: str | None) -> dt.date | None:
    """A manifest date (YYYY-MM-DD, YYYY/MM/DD or YYYY年M月D日) or None."""
    if not value:
        return None
    v = value.strip().replace("/", "-").replace("年", "-").replace("月", "-").rstrip("日")
    try:
        y, m, d = (int(x) for x in v.split("-")[:3])
        return dt.date(y, m, d)
    except (ValueError, TypeError):
        return None
