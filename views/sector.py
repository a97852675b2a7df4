"""行业 Sectors: one sector's figures across regions and over time, its biggest metrics, and its
figures with their sources.

The sector is the sidebar's sector filter (`?sector=C34`, a code of GB/T 4754-2017 or a grouping,
or a name: `?sector=通用设备制造业`); a sector takes in everything below it (制造业: every 大类 of
C). Without one, the page lists the sectors that hold figures, each a link to its view.
"""
from __future__ import annotations

import urllib.parse

import pandas as pd
import streamlit as st

from etl.store import sectors
from etl.store.queries import (
    count_claims,
    count_facts,
    filtered_claims,
    metric_counts,
    region_counts,
    sector_counts,
    year_counts,
)
from ui import charts, components, filters, i18n
from ui.db import run

ROW_LIMIT = 500
TOP_METRICS = 10

lang = i18n.current_lang()
t = i18n.t
f = filters.current()

st.title(i18n.label("page", "sectors", lang))
counts = run(sector_counts)

if not f.sector:
    st.caption(t("sector_pick"))
    tree = sectors.tree(counts)
    if not tree:
        components.empty_state(f, t("sector_none"))
        st.stop()
    lines = []
    for code, depth in tree:
        node = sectors.nodes()[code]
        kind = node.scheme if node.level == "分组" else f"{node.level} {code}"
        link = "sector?" + urllib.parse.urlencode({"sector": code, "lang": lang})
        lines.append(f"{'  ' * depth}- [{node.name}]({link}) · {kind} · {counts.get(code, 0):,}")
    st.markdown("\n".join(lines))
    st.stop()

code = sectors.resolve(f.sector[0]) or f.sector[0]
trail = sectors.path(code)
st.subheader(" › ".join(n.name for n in trail) or code)
node = sectors.nodes().get(code)
if node is not None:
    st.caption(t("sector_caption", code=code, level=node.scheme or node.level,
                 inside=counts.get(code, 0)))
if len(f.sector) > 1:
    st.caption(t("sector_several", shown=node.name if node else code))
view = filters.with_(f, sector=(code,))

n = run(count_claims, view)
c1, c2, c3 = st.columns(3)
c1.metric(t("claims"), f"{n:,}")
c2.metric(t("facts"), f"{run(count_facts, view):,}", help=t("facts_help"))
if n == 0:
    components.empty_state(view, t("sector_empty"))
    st.stop()
regions = run(region_counts, view)
c3.metric(t("regions"), f"{len(regions):,}")

left, right = st.columns(2)
with left:  # across regions
    top = regions.head(20).sort_values("n")
    fig = charts.count_bars(top["region"], top["n"], t("sector_by_region"), t("facts"))
    st.plotly_chart(fig, width="stretch", key="sector_regions")
with right:  # over time
    years = run(year_counts, view)
    years_fig = charts.count_bars(years["year"], years["n"], t("sector_by_year"), t("claims"), horizontal=False,
                                  colour=1)
    st.plotly_chart(years_fig, width="stretch", key="sector_years")

st.subheader(t("sector_metrics"))
mc = run(metric_counts, view).head(TOP_METRICS)
if not mc.empty:
    table = pd.DataFrame({
        t("metric"): mc["metric"],
        t("kind"): [i18n.label("kind", k, lang) for k in mc["kind"]],
        t("unit"): mc["unit"],
        t("facts"): mc["n"],
        t("link"): ["trends?" + urllib.parse.urlencode({"m": f"{m}:{k}:{u}", "sector": code, "lang": lang})
                    for m, k, u in zip(mc["metric_id"], mc["kind"], mc["unit"], strict=True)],
    })
    st.dataframe(table, hide_index=True, width="stretch", key="sector_metric_table",
                 column_config={t("link"): st.column_config.LinkColumn(t("link"), display_text=t("sector_chart"))})

st.subheader(t("sector_figures"))
df = run(filtered_claims, view, ROW_LIMIT)
if n > ROW_LIMIT:
    st.caption(t("rows_limited", n=ROW_LIMIT))
chosen = components.claims_table(df, key="sector_table", lang=lang, height=420)
if chosen:
    with st.container(border=True):
        components.claim_card(df[df["claim_id"] == chosen].iloc[0], lang)
components.export_panel(view, fig, key="sector")
