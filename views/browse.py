"""数据浏览 Explorer: every claim matching the sidebar filters, with a link to its source.

One row per claim (a claims browser); the 引用数 column says in how many places its fact is
cited, and the header counts the distinct facts too."""
from __future__ import annotations

import streamlit as st

from etl.store.queries import count_claims, count_facts, filtered_claims, totals
from ui import components, filters, i18n
from ui.db import run

ROW_LIMIT = 2000

lang = i18n.current_lang()
t = i18n.t
f = filters.current()

st.title(i18n.label("page", "explorer", lang))
n = run(count_claims, f)
total = run(totals)["claims"]
m = run(count_facts, f)
c1, c2, c3 = st.columns([1, 1, 3])
c1.metric(t("claims"), f"{n:,}", help=t("of_total", total=f"{total:,}"))
c2.metric(t("facts"), f"{m:,}", help=t("facts_help"))
chips = filters.describe(f, lang)
c3.caption(t("claims_facts", n=f"{n:,}", m=f"{m:,}"))
c3.caption(t("active_filters") + ": " + (" · ".join(chips) if chips else t("all")))
if n == 0:
    components.empty_state(f)
    st.stop()

df = run(filtered_claims, f, ROW_LIMIT)
if n > ROW_LIMIT:
    st.caption(t("rows_limited", n=ROW_LIMIT))
st.caption(t("explorer_help"))
chosen = components.claims_table(df, key="explorer_table", lang=lang, height=520)
if chosen:
    with st.container(border=True):
        st.markdown(f"**{t('selected_row')}**")
        components.claim_card(df[df["claim_id"] == chosen].iloc[0], lang)
components.export_panel(f, None, key="explorer")
