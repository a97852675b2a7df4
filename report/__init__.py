"""Exports for presenters: chart images, claim tables and slide decks, with sources cited.

One module per job: `figures` (plotly figures for export, with a sources caption), `images`
(server-side rendering with kaleido + Chromium), `tables` (CSV / XLSX), `deck` (PPTX).
No Streamlit here: the dashboard panel (ui/export_panel.py) and the command line
(`python -m etl.export`) both call these functions.
"""
from __future__ import annotations

import os

DEFAULT_BASE_URL = "http://localhost:8501"


def source_url(claim_id: str, base: str | None = None) -> str:
    """The permanent link of a claim: `{base}/source?claim=<claim_id>` (base from RONGSHU_BASE_URL)."""
    base = (base or os.environ.get("RONGSHU_BASE_URL") or DEFAULT_BASE_URL).rstrip("/")
    return f"{base}/source?claim={claim_id}"
