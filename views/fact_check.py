"""核查 Fact check: sums, shares, growth rates and conflicting reports, with their arithmetic
and a link to every sentence involved (served at /checks)."""
from __future__ import annotations

import html

import streamlit as st

from etl.store.queries import check_citations
from ui import components, filters, i18n
from ui import fact_queries as fq
from ui.db import q, run
from ui.format import fmt_date

lang = i18n.current_lang()
t = i18n.t
# Badge colour and icon per status; the labels are in data/labels.csv (check_status, check_kind).
STYLE = {"consistent": ("green", ":material/check_circle:"), "inconsistent": ("red", ":material/error:"),
         "undetermined": ("gray", ":material/help:")}


def status_label(s: str) -> str:
    return i18n.label("check_status", s, lang)


def kind_label(k: str) -> str:
    return i18n.label("check_kind", k, lang)


st.title(i18n.label("page", "checks", lang))
filters.show_pending_notes()  # no filter sidebar here: say what in the URL was ignored
if q(fq.HAS_CHECKS_SQL).iloc[0]["n"] == 0:
    st.info(t("checks_none"))
    st.stop()

st.caption(t("checks_help"))
counts = q(fq.COUNTS_SQL)
cols = st.columns(3)
for col, status in zip(cols, fq.STATUSES, strict=True):
    col.metric(status_label(status), int(counts.loc[counts["status"] == status, "n"].sum()))

c1, c2 = st.columns(2)
statuses = c1.multiselect(t("status"), fq.STATUSES, default=list(fq.STATUSES), format_func=status_label,
                          key="w_check_status")
kinds = c2.multiselect(t("kind"), fq.KINDS, default=list(fq.KINDS), format_func=kind_label, key="w_check_kind")
rows = q(fq.CHECKS_SQL, list(statuses), list(kinds), 500)
if rows.empty:
    st.info(t("checks_empty"))
    st.stop()
cites = run(check_citations, tuple(rows["check_id"]))
by_check = {k: g for k, g in cites.groupby("check_id", sort=False)}

for r in rows.itertuples():
    color, icon = STYLE.get(r.status, ("gray", None))
    with st.container(border=True):
        st.badge(status_label(r.status), icon=icon, color=color)
        st.markdown(f"**{kind_label(r.kind)}**")
        st.text(r.detail)
        g = by_check.get(r.check_id)
        if g is None:
            continue
        for c in g.itertuples():
            left, right = st.columns([5, 1])
            left.html(components.CSS + components.sentence_html(c.sentence, c.mention))
            meta = [c.article_title or "", f"{c.outlet or ''} {fmt_date(c.published, lang)}".strip()]
            left.caption(" · ".join(html.escape(str(m)) for m in meta if m))
            with right:
                components.source_link(c.claim_id)
