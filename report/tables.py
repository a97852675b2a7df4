"""The filtered claims as a table: CSV (UTF-8 with BOM, so Excel opens Chinese) and XLSX.

One row per claim with its citation and permanent source link. CSV headers are the SPEC's
column names (stable for scripts); XLSX headers are Chinese, with column widths, a frozen
header row, a filter, real numbers and dates, and clickable source links.
"""
from __future__ import annotations

import datetime as dt
import io

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from . import source_url
from .figures import display_width, to_date

# (column, Chinese header, XLSX width cap in cells)
COLUMNS: list[tuple[str, str, int]] = [
    ("value", "数值", 18),
    ("unit", "单位", 10),
    ("qualifier", "限定", 8),
    ("kind", "类型", 10),
    ("metric", "指标", 28),
    ("region", "地区", 14),
    ("period_start", "期间起", 12),
    ("period_end", "期间止", 12),
    ("status", "状态", 9),
    ("topic", "主题", 11),
    ("sector", "行业", 14),
    ("sector_code", "行业代码", 10),  # GB/T 4754-2017 class (C34) or grouping id (data/sectors/)
    ("mention", "原文数字", 14),
    ("article_title", "文章标题", 40),
    ("outlet", "媒体", 12),
    ("published", "发布日期", 12),
    ("page", "页码", 6),  # page of a PDF or image input (empty for text files)
    ("sentence", "原句", 80),
    ("source_url", "来源链接", 30),
    ("claim_id", "编号", 18),
]
DATE_COLUMNS = {"period_start", "period_end", "published"}
CSV_MIME = "text/csv"
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def claims_table(df: pd.DataFrame, base_url: str | None = None) -> pd.DataFrame:
    """The export columns of `filtered_claims` rows, with the permanent source link; dates as dates."""
    out = pd.DataFrame(index=df.index)
    for col, _, _ in COLUMNS:
        if col == "source_url":
            out[col] = [source_url(str(c), base_url) for c in df["claim_id"]]
        elif col in DATE_COLUMNS:
            out[col] = [to_date(v) for v in df[col]] if col in df else None
        else:
            out[col] = df[col] if col in df else None
    return out.reset_index(drop=True)


def to_csv(df: pd.DataFrame, base_url: str | None = None) -> bytes:
    """CSV bytes, UTF-8 with BOM, ISO dates, one row per claim."""
    table = claims_table(df, base_url)
    for col in DATE_COLUMNS:
        table[col] = [d.isoformat() if d else "" for d in table[col]]
    return table.to_csv(index=False, lineterminator="\r\n").encode("utf-8-sig")


def to_xlsx(df: pd.DataFrame, base_url: str | None = None, *, title: str | None = None,
            notes: list[str] | None = None) -> bytes:
    """XLSX bytes: sheet 数字 (one row per claim, Chinese headers, links) and sheet 说明 (view, sources)."""
    table = claims_table(df, base_url)
    wb = Workbook()
    ws = wb.active
    ws.title = "数字"
    header_font = Font(bold=True, color="FFFFFF")
    header_fill = PatternFill("solid", fgColor="1F6FB2")
    ws.append([zh for _, zh, _ in COLUMNS])
    for cell in ws[1]:
        cell.font = header_font
        cell.fill = header_fill
        cell.alignment = Alignment(vertical="center")
    link_col = [c for c, _, _ in COLUMNS].index("source_url") + 1
    for row in table.itertuples(index=False):
        ws.append([_cell(v) for v in row])
        r = ws.max_row
        link = ws.cell(row=r, column=link_col)
        if link.value:
            link.hyperlink = link.value
            link.style = "Hyperlink"
    for i, (col, zh, cap) in enumerate(COLUMNS, start=1):
        letter = get_column_letter(i)
        if col in DATE_COLUMNS:
            for cell in ws[letter][1:]:
                cell.number_format = "yyyy-mm-dd"
        elif col == "value":
            for cell in ws[letter][1:]:
                cell.number_format = "#,##0.########"
        widest = max([display_width(zh)] + [display_width(_text(v)) for v in table[col]])
        ws.column_dimensions[letter].width = min(cap, max(6, widest + 2))
    ws.freeze_panes = "A2"
    if len(table):
        ws.auto_filter.ref = ws.dimensions
    info = wb.create_sheet("说明")
    info.append(["蓉数 Rongshu 数字导出"])
    info["A1"].font = Font(bold=True, size=14)
    for line in ([title] if title else []) + (notes or []):
        info.append([line])
    info.append([f"共 {len(table)} 条数字；生成于 {dt.datetime.now():%Y-%m-%d %H:%M}"])
    info.append(["每行一条数字；“来源链接”打开原文并高亮该句。"])
    info.column_dimensions["A"].width = 100
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _cell(v):
    if v is None or (not isinstance(v, str | dt.date) and pd.isna(v)):
        return None
    if isinstance(v, float) and v.is_integer() and abs(v) < 1e15:
        return int(v)
    return v


def _text(v) -> str:
    if v is None or (not isinstance(v, str | dt.date) and pd.isna(v)):
        return ""
    if isinstance(v, float):
        return f"{v:,.4f}".rstrip("0").rstrip(".")
    return str(v)
