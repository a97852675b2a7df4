"""Download buttons for the current view: chart images, the claims table and a slide deck.

`export_buttons(filters, figure, key)` draws one compact popover ("导出"): two clicks to any file.
Files are built only when their button is clicked (`data=callable`, `on_click="ignore"`, so no
rerun). Without Chromium the image and deck buttons are replaced by a note on how to enable
them; CSV and XLSX always work.
"""
from __future__ import annotations

from collections.abc import Callable

import plotly.graph_objects as go
import streamlit as st

from etl.store.queries import Filters, count_claims, filtered_claims
from report import build, images

LABELS = {
    "zh": {"export": "导出", "chart": "图表", "data": "数据", "deck": "幻灯片", "none": "没有可导出的数字。",
           "claims": "{n} 条数字", "png": "PNG 图片（2倍）", "svg": "SVG 矢量图", "pdf": "PDF",
           "csv": "CSV（Excel 可直接打开）", "xlsx": "Excel 表格 XLSX", "pptx": "PPT 幻灯片 PPTX",
           "no_images": "图片导出未启用", "sources": "每个文件都附有来源（媒体、日期、原句、永久链接）。"},
    "en": {"export": "Export", "chart": "Chart", "data": "Data", "deck": "Slides", "none": "Nothing to export.",
           "claims": "{n} claims", "png": "PNG image (2x)", "svg": "SVG vector", "pdf": "PDF",
           "csv": "CSV (opens in Excel)", "xlsx": "Excel XLSX", "pptx": "PowerPoint PPTX",
           "no_images": "Image export is not enabled", "sources": "Every file cites its sources "
           "(outlet, date, sentence, permanent link)."},
}
ICONS = {"png": ":material/image:", "svg": ":material/polyline:", "pdf": ":material/picture_as_pdf:",
         "csv": ":material/table_view:", "xlsx": ":material/table_chart:", "pptx": ":material/slideshow:"}


def _lang() -> str:
    try:
        from ui.i18n import current_lang

        return current_lang()
    except Exception:  # noqa: BLE001 - labels are optional
        return "zh"


def _claims(filters: Filters):
    """The filtered claims, on a fresh cursor (called from the download request's thread)."""
    from ui.db import cursor

    with cursor() as con:
        if con is None:
            raise RuntimeError("database not found")
        return filtered_claims(con, filters)


def file_maker(fmt: str, filters: Filters, figure: go.Figure | None) -> Callable[[], bytes]:
    """The callable a download button runs: query the view's claims, build the file."""
    fig = go.Figure(figure) if figure is not None else None

    def make() -> bytes:
        return build.export_bytes(fmt, _claims(filters), filters, fig)

    return make


def _count(filters: Filters) -> int:
    from ui.db import cursor

    with cursor() as con:
        return 0 if con is None else count_claims(con, filters)


def _button(fmt: str, label: str, filters: Filters, figure: go.Figure | None, key: str) -> None:
    st.download_button(label, data=file_maker(fmt, filters, figure), file_name=build.file_name(fmt, filters, key),
                       mime=build.MIME[fmt], on_click="ignore", key=f"export_{key}_{fmt}", icon=ICONS[fmt],
                       width="stretch")


def export_buttons(filters: Filters, figure, key: str) -> None:
    """PNG/SVG/PDF of `figure` (if given), CSV/XLSX of the filtered claims, PPTX of the view."""
    lab = LABELS.get(_lang(), LABELS["zh"])
    n = _count(filters)
    with st.popover(lab["export"], icon=":material/download:"):
        if n == 0:
            st.caption(lab["none"])
            return
        st.caption(f"{lab['claims'].format(n=n)} · {lab['sources']}")
        reason = images.unavailable_reason()
        if figure is not None:
            st.markdown(f"**{lab['chart']}**")
            if reason:
                st.info(f"{lab['no_images']}: {reason}", icon=":material/info:")
            else:
                for fmt in ("png", "svg", "pdf"):
                    _button(fmt, lab[fmt], filters, figure, key)
        st.markdown(f"**{lab['data']}**")
        for fmt in ("csv", "xlsx"):
            _button(fmt, lab[fmt], filters, None, key)
        st.markdown(f"**{lab['deck']}**")
        if reason:
            if figure is None:
                st.info(f"{lab['no_images']}: {reason}", icon=":material/info:")
            else:
                st.caption(lab["no_images"])
        else:
            _button("pptx", lab["pptx"], filters, figure, key)
