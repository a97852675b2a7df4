"""趋势 Trends: one metric of a topic over its reference period; click a point for its sentence."""
from __future__ import annotations

import streamlit as st

from ui import charts, components, filters, i18n
from ui.db import run
from ui.format import fmt_claim, fmt_period, scale_for
from ui.queries import metric_counts, metric_series

lang = i18n.current_lang()
t = i18n.t
f = filters.current()

st.title(i18n.label("page", "trends", lang))
metrics = run(metric_counts, f)
if metrics.empty:
    components.empty_state(f, t("trend_none"))
    st.stop()

# The topic picker mirrors the sidebar's topic filter (its callback runs before the sidebar
# is drawn on the next run, so both stay in sync and in the URL).
topics = i18n.keys("topic")
st.session_state["w_trend_topic"] = f.topic[0] if len(f.topic) == 1 else ""


def _pick_topic() -> None:
    value = st.session_state["w_trend_topic"]
    st.session_state["w_topic"] = [value] if value else []


# Metrics with the number of figures, most cited first; a metric may come in several units.
counts = metrics.groupby("metric", sort=False)["n"].sum().sort_values(ascending=False, kind="stable")
c0, c1, c2 = st.columns([1, 2, 1])
c0.selectbox(t("pick_topic"), ["", *topics], key="w_trend_topic", on_change=_pick_topic,
             format_func=lambda x: i18n.label("topic", x, lang) if x else t("all"))
metric = filters.url_select("m", t("pick_metric"), list(counts.index), where=c1,
                            format_func=lambda m: f"{m}（{counts[m]}）")
units = list(metrics.loc[metrics["metric"] == metric, "unit"])
unit = filters.url_select("u", t("pick_unit"), units, where=c2, format_func=lambda u: u or "–")
view = filters.with_(f, metric=(metric,), unit=(unit,))

df = run(metric_series, f, metric, unit)
if df.empty:
    components.empty_state(view)
    st.stop()
divisor, axis_unit = scale_for(list(df["value"]), unit, lang)
df["value_text"] = [fmt_claim(v, u, q, lang) for v, u, q in zip(df["value"], df["unit"], df["qualifier"], strict=True)]
df["qualifier_text"] = [i18n.label("qualifier", q, lang) for q in df["qualifier"]]
df["period_text"] = [fmt_period(s, e, lang) or f"{t('published')} {p:%Y-%m-%d}"
                     for s, e, p in zip(df["period_start"], df["period_end"], df["published"], strict=True)]
df["region"] = df["region"].astype("object").where(df["region"].notna(), t("region_none"))
fig = charts.trend_chart(df, t("trend_title", metric=metric, unit=axis_unit or "–"), axis_unit,
                         divisor=divisor, hover_labels={"qualifier": t("kind"), "period": t("period")})
event = st.plotly_chart(fig, theme=None, on_select="rerun", selection_mode="points", key="trend_chart")
st.caption(t("trend_help"))

claim_id = components.custom0(components.selected_point(event))
with st.container(border=True):
    st.markdown(f"**{t('selected_point')}**")
    picked = df[df["claim_id"] == claim_id]
    if picked.empty:
        st.caption(t("click_point"))
    else:
        components.claim_card(picked.iloc[0], lang)

components.export_panel(view, fig, key="trends")

st.subheader(t("claims_of_metric"))
chosen = components.claims_table(df, key="trend_table", lang=lang)
if chosen:
    components.source_link(chosen)
