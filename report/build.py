"""One entry point for every export format, shared by the dashboard panel and the command line."""
from __future__ import annotations

import datetime as dt
import re

import pandas as pd
import plotly.graph_objects as go

from ui import i18n

from .figures import Chart, chart_from_figure, default_charts, describe_filters, sources
from .tables import CSV_MIME, XLSX_MIME, to_csv, to_xlsx

FORMATS = ("png", "svg", "pdf", "csv", "xlsx", "pptx")
IMAGE_FORMATS = ("png", "svg", "pdf")
MIME = {"png": "image/png", "svg": "image/svg+xml", "pdf": "application/pdf", "csv": CSV_MIME,
        "xlsx": XLSX_MIME, "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation"}


def view_title(filters) -> str:
    """'蓉数 · 外贸 · 成都市' for a Filters value (topics, regions, metrics named)."""
    parts = ["蓉数"]
    if filters is not None:
        parts += [i18n.label("topic", t) for t in filters.topic[:2]]
        parts += list(filters.region[:2]) + list(filters.metric[:2])
    return " · ".join(parts) + ("" if len(parts) > 1 else " · 数字简报")


def charts_for(df: pd.DataFrame, filters=None, figure: go.Figure | None = None, max_charts: int = 3) -> list[Chart]:
    """The charts of a view: the given (dashboard) figure, else the default charts of the claims."""
    if figure is not None:
        return [chart_from_figure(figure, df)]
    return default_charts(df, subtitle=describe_filters(filters), max_charts=max_charts)


def source_notes(df: pd.DataFrame) -> list[str]:
    """Lines for a title slide / info sheet: what was filtered and where the numbers come from."""
    srcs = sources(df)
    outlets = "、".join(o for o, _ in srcs[:6]) + ("等" if len(srcs) > 6 else "")
    return [f"{len(df)} 条数字，来自 {df['article_title'].nunique()} 篇文章（{outlets}）"]


def export_bytes(fmt: str, df: pd.DataFrame, filters=None, figure: go.Figure | None = None,
                 base_url: str | None = None) -> bytes:
    """The file of format `fmt` for the claims `df` of the view `filters`.

    png/svg/pdf: the chart (`figure`, or the first default chart); csv/xlsx: the claims table;
    pptx: a deck of `figure` or of the default charts. Images need Chromium
    (raises report.images.ImageExportUnavailable with how to enable it).
    """
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; expected one of {', '.join(FORMATS)}")
    if fmt == "csv":
        return to_csv(df, base_url)
    if fmt == "xlsx":
        return to_xlsx(df, base_url, title=describe_filters(filters), notes=source_notes(df) if len(df) else None)
    charts = charts_for(df, filters, figure)
    if not charts:
        raise ValueError("nothing to chart: the view has no claims")
    if fmt in IMAGE_FORMATS:
        from .images import render

        return render(charts[0].figure, fmt)
    from .deck import render_deck

    return render_deck(charts, title=view_title(filters), subtitle=describe_filters(filters),
                       notes=source_notes(df), base_url=base_url)


def file_name(fmt: str, filters=None, stem: str | None = None) -> str:
    """'rongshu_trade_成都市_20250211.xlsx': ASCII-safe where possible, dated."""
    parts = ["rongshu"]
    if stem:
        parts.append(stem)
    if filters is not None:
        parts += list(filters.topic[:2]) + list(filters.region[:2]) + list(filters.metric[:1])
    name = "_".join(re.sub(r"[^\w\-]+", "", p) for p in parts if p)
    return f"{name}_{dt.date.today():%Y%m%d}.{fmt}"
