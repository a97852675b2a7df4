"""Word files (.docx): paragraphs in order, and tables as sentences (python-docx).

A table cell holding a figure becomes a sentence built from its row header (the metric) and
column header (usually the period), with the unit taken from a header such as "地区生产总值
（亿元）" or a "单位：亿元" note when the cell has none: "2023年，地区生产总值为22074.7亿元。"
The claim extractor then reads metric, period and unit from it as from any printed sentence.
"""
from __future__ import annotations

import io
import re

from etl.ingest.readers import Reading
from etl.ingest.sources import SourceError

_UNIT_IN_HEADER = re.compile(r"\s*[（(]\s*(?:单位[:：]\s*)?([^()（）]{1,6})\s*[)）]\s*$")
_UNIT_NOTE = re.compile(r"单位\s*[:：]\s*([^\s，,。；;)）]{1,6})")
_PERIOD = re.compile(r"\d{4}\s*年|\d{1,2}\s*月|季度|上半年|下半年|前\d+月|\d{4}$")
_FIGURE = re.compile(r"\d")
_HAS_UNIT = re.compile(r"[\d.]\s*[^\d.\s,，]")


def read(data: bytes) -> Reading:
    try:
        import docx

        document = docx.Document(io.BytesIO(data))
    except Exception as exc:  # noqa: BLE001 - zipfile, python-docx's PackageNotFoundError, lxml: all mean unreadable
        raise SourceError(f"is not a readable Word .docx file ({type(exc).__name__}: {exc})") from exc
    from docx.table import Table

    parts: list[str] = []
    note_unit = None
    for block in document.iter_inner_content():
        if isinstance(block, Table):
            parts.extend(table_sentences([[c.text for c in row.cells] for row in block.rows], note_unit))
            continue
        text = block.text.strip()
        if text:
            parts.append(text)
            m = _UNIT_NOTE.search(text)
            note_unit = m.group(1) if m else None
    text = "\n\n".join(parts)
    if not text.strip():
        raise SourceError("is a Word file without text")
    meta = {"title": (document.core_properties.title or "").strip()}
    return Reading(text, "docx", "docx", {k: v for k, v in meta.items() if v})


def _split_unit(header: str) -> tuple[str, str | None]:
    m = _UNIT_IN_HEADER.search(header)
    return (header[:m.start()].strip(), m.group(1).strip()) if m else (header.strip(), None)


def table_sentences(rows: list[list[str]], note_unit: str | None = None) -> list[str]:
    """One sentence per figure of a table: first row = column headers, first column = row
    headers; a table without headers is read row by row as text."""
    rows = [[" ".join(c.split()) for c in r] for r in rows if any(c.strip() for c in r)]
    if len(rows) < 2 or len(rows[0]) < 2:
        return ["，".join(c for c in r if c) + "。" for r in rows]
    heads = [_split_unit(h) for h in rows[0]]
    out: list[str] = []
    for r in rows[1:]:
        metric, row_unit = _split_unit(r[0])
        cells = []
        for k, cell in enumerate(r[1:], 1):
            if not cell or k >= len(heads):
                continue
            col, col_unit = heads[k]
            if not _FIGURE.search(cell):
                cells.append(f"{col}{cell}" if col else cell)
                continue
            unit = "" if _HAS_UNIT.search(cell) else (row_unit or col_unit or note_unit or "")
            if _PERIOD.search(col):
                cells.append(f"{col}，{metric}为{cell}{unit}")
            else:
                cells.append(f"{metric}{col}为{cell}{unit}")
        if cells:
            out.append("".join(c + "。" for c in cells))  # a paragraph per row, a sentence per cell
    return out
