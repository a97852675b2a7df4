"""首页 Overview: headline figures, claims by topic, latest articles."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from etl.store.queries import count_claims, count_facts, headline_claims, latest_articles, topic_counts, totals
from ui import charts, components, filters, i18n
from ui.db import run
from ui.format import fmt_claim, fmt_date, fmt_period, fmt_value

lang = i18n.current_lang()
t = i18n.t
f = filters.current()

st.title(t("app_title"))


def _ask() -> None:
    q = st.session_state.get("w_home_ask", "").strip()
    if q:
        st.session_state["w_home_ask"] = ""
        st.session_state.pop("w_ask", None)  # the ask page starts from the URL's question
        st.session_state["ask_goto"] = q


st.text_input(t("ask_button"), key="w_home_ask", placeholder=t("ask_box"), on_change=_ask,
              label_visibility="collapsed", help=t("ask_help"))
if goto := st.session_state.pop("ask_goto", None):
    st.switch_page("views/ask.py", query_params={"q": goto, "lang": lang})
tot = run(totals)
if not tot["claims"]:
    st.info(t("no_claims"))
n = run(count_claims, f)
cols = st.columns(5)
for col, key in zip(cols[:4], ("documents", "articles", "sentences", "claims"), strict=True):
    value = n if key == "claims" and not f.is_empty() else tot[key]
    col.metric(t(key), f"{value:,}", help=t("of_total", total=f"{tot[key]:,}") if key == "claims" else None)
cols[4].metric(t("facts"), f"{run(count_facts, f):,}", help=t("facts_help"))

if n == 0:
    components.empty_state(f)
    st.stop()

st.subheader(t("kpi_header"), help=t("kpi_help"))
kpis = run(headline_claims, f, 6)
grid = st.columns(3)
for i, (_, row) in enumerate(kpis.iterrows()):
    with grid[i % 3].container(border=True, height="stretch"):
        region = "" if row["region"] == "成都市" else f"（{row['region']}）" if row["region"] else ""
        name = row["metric_name_en"] if lang == "en" and isinstance(row["metric_name_en"], str) else None
        st.metric(f"{name or row['metric_name'] or row['metric']}{region}", fmt_value(row["value"], row["unit"], lang),
                  help=row["sentence"])
        period = fmt_period(row["period_start"], row["period_end"], lang) or t("unknown")
        qual = fmt_claim(row["value"], row["unit"], row["qualifier"], lang)
        cited = int(row["n_citations"]) if row["n_citations"] == row["n_citations"] else 1
        st.caption(f"{t('period')}: {period} · {row['outlet'] or ''} {fmt_date(row['published'], lang)}"
                   + (f" · {qual}" if row["qualifier"] != "exact" else "")
                   + (f" · {t('cited_n', n=cited)}" if cited > 1 else ""))
        components.source_link(row["claim_id"])

left, right = st.columns([2, 3])
with left:
    tc = run(topic_counts, f)
    tc["label"] = [i18n.label("topic", x, lang) or t("unknown") for x in tc["topic"]]
    fig = charts.topic_bars(tc, t("by_topic"), t("claims"))
    event = st.plotly_chart(fig, theme=None, on_select="rerun", selection_mode="points", key="topic_bars")
    st.caption(t("by_topic_help"))
    topic = components.custom0(components.selected_point(event))
    if topic:
        st.switch_page(components.EXPLORER_PAGE, query_params={"topic": topic})
with right:
    st.subheader(t("latest_articles"))
    arts = run(latest_articles, f, 12)
    shown = pd.DataFrame({
        t("title"): arts["title"], t("outlet"): arts["outlet"],
        t("published"): pd.to_datetime(arts["published"]).dt.date, t("n_claims"): arts["n_claims"],
        t("link"): [components.source_url(c) for c in arts["first_claim"]],
    })
    st.dataframe(shown, hide_index=True, width="stretch",
                 column_config={t("published"): st.column_config.DateColumn(format="YYYY-MM-DD"),
                                t("link"): st.column_config.LinkColumn(display_text=t("open_source"))})
