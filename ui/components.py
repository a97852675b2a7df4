"""Small Streamlit building blocks shared by the pages: empty states, claim tables, source links."""
from __future__ import annotations

import html
from typing import Any

import pandas as pd
import streamlit as st

from etl.store.queries import Filters
from ui import filters, i18n
from ui.format import fmt_claim, fmt_date, fmt_period

SOURCE_PAGE = "views/article.py"  # served at /source
EXPLORER_PAGE = "views/browse.py"  # served at /explorer

CSS = """
<style>
mark.claim-sentence { background: #fff1a8; padding: 0.05em 0.1em; border-radius: 2px; }
strong.claim-mention { background: #ffcf5c; color: #7a2e00; padding: 0 0.15em; border-radius: 2px; }
.rs-quote { font-size: 1.08rem; line-height: 1.8; border-left: 4px solid #f0b400; padding: 0.4em 0.9em;
            background: #fffdf3; }
.rs-article { font-size: 1rem; line-height: 1.9; max-width: 52em; }
.rs-meta { color: #666; font-size: 0.9rem; }
</style>
"""


def style() -> None:
    """Highlight styles for <mark> sentences and mentions."""
    st.html(CSS)


def source_url(claim_id: str) -> str:
    """The permanent link of a claim, relative to the app root."""
    return f"source?claim={claim_id}"


def source_link(claim_id: str, label: str | None = None, key: str | None = None) -> None:
    """A link to the source page of a claim (same tab)."""
    st.page_link(SOURCE_PAGE, label=label or i18n.t("open_source"), icon=":material/format_quote:",
                 query_params={"claim": claim_id})


def empty_state(f: Filters, message: str | None = None) -> None:
    """A friendly 'nothing here' with the active filters and how to widen them."""
    lang = i18n.current_lang()
    with st.container(border=True):
        st.markdown(f"**{message or i18n.t('empty')}**")
        chips = filters.describe(f, lang)
        if chips:
            st.caption(i18n.t("active_filters") + ": " + " · ".join(chips))
            st.caption(i18n.t("empty_hint"))


def sentence_html(sentence: str, mention: str | None) -> str:
    """The sentence escaped, in a <mark>, with the first occurrence of the mention in <strong>."""
    sentence = sentence or ""
    i = sentence.find(mention) if mention else -1
    if i < 0:
        inner = html.escape(sentence)
    else:
        j = i + len(mention)
        inner = (html.escape(sentence[:i]) + f'<strong class="claim-mention">{html.escape(mention)}</strong>'
                 + html.escape(sentence[j:]))
    return f'<div class="rs-quote"><mark class="claim-sentence">{inner}</mark></div>'


def claim_card(row: Any, lang: str) -> None:
    """The sentence behind a figure with its citation and a link to the full source."""
    st.html(CSS + sentence_html(row["sentence"], row["mention"]))
    meta = [fmt_claim(row["value"], row["unit"], row["qualifier"], lang), row.get("metric") or "",
            row.get("region") or "", fmt_period(row.get("period_start"), row.get("period_end"), lang),
            f"{row.get('outlet') or ''} {fmt_date(row.get('published'), lang)}", row.get("article_title") or ""]
    n = row.get("n_citations")
    if n is not None and n == n and int(n) > 1:
        meta.append(i18n.t("cited_n", lang, n=int(n)))
    st.caption(" · ".join(html.escape(str(m)) for m in meta if m))
    source_link(row["claim_id"])


def citation_list(cites: pd.DataFrame, lang: str, limit: int = 50) -> None:
    """Every citation of a fact: the sentence (mention marked), article, outlet, date and a link
    to its source page (same tab)."""
    for r in cites.head(limit).itertuples():
        with st.container(border=True):
            st.html(CSS + sentence_html(r.sentence, r.mention))
            meta = [r.article_title or "", f"{r.outlet or ''} {fmt_date(r.published, lang)}".strip()]
            st.caption(" · ".join(html.escape(str(m)) for m in meta if m))
            source_link(r.claim_id)


def display_claims(df: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Claims as a readable table: formatted value, labels, citation and the source link."""
    t = i18n.t
    out = pd.DataFrame({
        t("link", lang): [source_url(c) for c in df["claim_id"]],
        t("value", lang): [fmt_claim(v, u, q, lang) for v, u, q in zip(df["value"], df["unit"], df["qualifier"],
                                                                         strict=True)],
        t("metric", lang): df["metric"].astype("object").where(df["metric"].notna(), ""),
        t("region", lang): df["region"].astype("object").where(df["region"].notna(), ""),
        t("period", lang): [fmt_period(s, e, lang) for s, e in zip(df["period_start"], df["period_end"], strict=True)],
        t("sentence", lang): df["sentence"],
        t("topic", lang): [i18n.label("topic", x, lang) for x in df["topic"]],
        t("kind", lang): [i18n.label("kind", x, lang) for x in df["kind"]],
        t("status", lang): [i18n.label("status", x, lang) for x in df["status"]],
        t("outlet", lang): df["outlet"],
        t("published", lang): pd.to_datetime(df["published"]).dt.date,
    })
    if "n_citations" in df:  # places citing the same fact (1 for a figure stated once)
        out.insert(2, t("citations", lang), pd.array(df["n_citations"].fillna(1), dtype="Int64"))
    # PDF and image inputs: the page, and for OCR the confidence (⚠ when low: check the original)
    if "page" in df and df["page"].notna().any():
        out[t("page", lang)] = pd.array(df["page"], dtype="Int64")
    if "confidence" in df and (df["confidence"] < 1.0).any():
        out[t("ocr_conf", lang)] = [fmt_confidence(x) for x in df["confidence"]]
    return out


def fmt_confidence(conf: Any) -> str:
    """'0.99', '⚠ 0.62' below the low-confidence threshold, '' when not OCR'd (1.0 or missing)."""
    from etl.ingest.readers.ocr import LOW_CONFIDENCE

    if conf is None or pd.isna(conf) or conf >= 1.0:
        return ""
    return f"⚠ {conf:.2f}" if conf < LOW_CONFIDENCE else f"{conf:.2f}"


def claims_table(df: pd.DataFrame, key: str, lang: str, height: int | str = "auto") -> str | None:
    """A table of claims with a link column; returns the claim id of the selected row, if any."""
    t = i18n.t
    shown = display_claims(df, lang)
    event = st.dataframe(
        shown, hide_index=True, width="stretch", height=height, key=key, on_select="rerun",
        selection_mode="single-row",
        column_config={
            t("link", lang): st.column_config.LinkColumn(t("link", lang), display_text=t("open", lang),
                                                         width="small"),
            t("sentence", lang): st.column_config.TextColumn(width="large"),
            t("metric", lang): st.column_config.TextColumn(width="medium"),
            t("published", lang): st.column_config.DateColumn(format="YYYY-MM-DD"),
            t("citations", lang): st.column_config.NumberColumn(width="small", help=t("facts_help", lang)),
        })
    rows = getattr(getattr(event, "selection", None), "rows", None) or []
    if rows and rows[0] < len(df):
        return str(df.iloc[rows[0]]["claim_id"])
    return None


def export_panel(f: Filters, fig: Any, key: str) -> None:
    """The export engineer's download buttons, when ui/export_panel.py exists."""
    try:
        from ui.export_panel import export_buttons
    except ImportError:
        export_buttons = None
    if export_buttons:
        export_buttons(f, fig, key=key)


def selected_point(event: Any) -> dict | None:
    """The first selected point of a plotly chart event (or None)."""
    sel = getattr(event, "selection", None)
    if sel is None and isinstance(event, dict):
        sel = event.get("selection")
    if not sel:
        return None
    points = sel.get("points") if isinstance(sel, dict) else getattr(sel, "points", None)
    return points[0] if points else None


def custom0(point: dict | None) -> str | None:
    """customdata[0] of a selected point ({"0": v} or [v, ...]); for maps, the location."""
    if not point:
        return None
    cd = point.get("customdata")
    if isinstance(cd, dict):
        v = cd.get("0", cd.get(0))
    elif isinstance(cd, list | tuple) and cd:
        v = cd[0]
    else:
        v = cd
    if v is None:
        v = point.get("location")
    return None if v is None else str(v)
