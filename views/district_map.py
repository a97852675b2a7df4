"""区县 Districts: a map of Chengdu's 20 districts, bars for every region, claims of a clicked one."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from etl.store.queries import filtered_claims, metric_counts, region_counts, region_latest
from ui import charts, components, filters, i18n
from ui.db import run
from ui.format import fmt_value, scale_for

ZONES = ("成都高新区", "四川天府新区", "成都东部新区")
MAP_CONFIG = {"topojsonURL": charts.TOPOJSON_URL, "displaylogo": False}

lang = i18n.current_lang()
t = i18n.t
f = filters.current()
districts = set(charts.district_names())


def group_of(region: str) -> str:
    if region in districts:
        return "district"
    if region in ZONES:
        return "zone"
    return "city" if region == "成都市" else "other"


st.title(i18n.label("page", "districts", lang))
counts = run(region_counts, f)
if counts.empty:
    components.empty_state(f)
    st.stop()

# What the map shows: the number of facts, or the latest value of a series (metric id, kind,
# unit) with facts for 2+ districts.
mc = run(metric_counts, filters.with_(f, region=tuple(districts)))
mc = mc[mc["n"] >= 2]
mc.index = pd.Index([f"{m}:{k}:{u}" for m, k, u in zip(mc["metric_id"], mc["kind"], mc["unit"], strict=True)])


def _choice(c: str) -> str:
    if not c:
        return t("map_count")
    r = mc.loc[c]
    return f"{r['metric']}（{r['unit'] or '–'}，{i18n.label('kind', r['kind'], lang)}）"


shown = filters.url_select("show", t("map_show"), ["", *mc.index], format_func=_choice)
if shown:
    r = mc.loc[shown]
    metric, unit, kind = r["metric"], r["unit"], r["kind"]
    latest = run(region_latest, f, r["metric_id"], unit, kind)
    divisor, axis_unit = scale_for(list(latest["value"]), unit, lang)
    data = pd.DataFrame({"region": latest["region"], "z": latest["value"] / divisor,
                         "z_text": [fmt_value(v, unit, lang) for v in latest["value"]]})
    title, bar_title = t("map_metric_title", metric=metric, unit=axis_unit), axis_unit
    view = filters.with_(f, metric=tuple(r["phrases"]), unit=(unit,) if unit else (), kind=(kind,))
else:
    data = pd.DataFrame({"region": counts["region"], "z": counts["n"], "z_text": counts["n"].astype(str)})
    title, bar_title, view = t("map_title"), t("claims"), f

left, right = st.columns([1, 1])
with left:
    fig = charts.district_map(data, title, bar_title, hover_missing=t("unknown"))
    map_event = st.plotly_chart(fig, theme=None, on_select="rerun", selection_mode="points", key="district_map",
                                config=MAP_CONFIG)
    st.caption(t("map_help"))
with right:
    counts["group"] = [group_of(r) for r in counts["region"]]
    labels = {g: t(f"group_{g}") for g in ("district", "zone", "city", "other")}
    bars = charts.region_bars(counts, t("bars_title"), t("claims"), labels)
    bar_event = st.plotly_chart(bars, theme=None, on_select="rerun", selection_mode="points", key="region_bars")

# The clicked region (map or bars), remembered in the URL as ?d=<region>.
clicked = components.custom0(components.selected_point(map_event)) or components.custom0(
    components.selected_point(bar_event))
regions = [""] + list(counts["region"])
if clicked in regions and clicked != st.session_state.get("_district_clicked"):
    st.session_state["_district_clicked"] = clicked
    st.session_state["w_d"] = clicked
region = filters.url_select("d", t("pick_region"), regions, format_func=lambda r: r or "–")
components.export_panel(view, fig, key="districts")
if not region:
    st.info(t("click_region"))
    st.stop()
st.subheader(t("claims_of_region", region=region))
rows = run(filtered_claims, filters.with_(f, region=(region,)), 2000)
if rows.empty:
    components.empty_state(filters.with_(f, region=(region,)))
else:
    chosen = components.claims_table(rows, key="district_table", lang=lang)
    if chosen:
        components.source_link(chosen)
