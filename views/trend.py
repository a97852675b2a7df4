"""趋势 Trends: one series (metric id, unit, kind) over its reference periods, one point per fact,
one line per region; click a point for every sentence that cites it."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from etl.store.queries import fact_citations, metric_counts, metric_series, series_claims
from ui import charts, components, downsample, filters, i18n
from ui.db import run
from ui.format import fmt_claim, fmt_period, scale_for

TABLE_LIMIT = 500  # the newest facts of the series listed with their sentences below the chart

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


def series_key(metric_id: str, kind: str, unit: str) -> str:
    """The URL value of a series (?m=new_market_entities:count:户)."""
    return f"{metric_id}:{kind}:{unit}"


# Series that span several documents and periods first (the first one is the default), then
# the others by number of facts.
metrics = metrics.assign(key=[series_key(m, k, u) for m, k, u in zip(metrics["metric_id"], metrics["kind"],
                                                                       metrics["unit"], strict=True)])
metrics = metrics.sort_values(["series_docs", "series_periods", "n"], ascending=False, kind="stable")
rows = metrics.set_index("key")


def legacy(value: str) -> str | None:
    """The series a bare metric id or an old metric phrase (?m=新增经营主体&u=户) stands for."""
    hits = rows[rows["metric_id"] == value]
    if hits.empty:
        hits = rows[[value == name or value in list(p) for name, p in zip(rows["metric"], rows["phrases"], strict=True)]]
    unit = st.query_params.get("u")
    if unit is not None and (hits["unit"] == unit).any():
        hits = hits[hits["unit"] == unit]
    return hits.index[0] if len(hits) else None


wanted = st.query_params.get_all("m")[-1] if "m" in st.query_params else None
if wanted and wanted not in rows.index and (found := legacy(wanted)):
    st.query_params["m"] = found
if "u" in st.query_params:  # the old unit parameter: now part of the series key
    del st.query_params["u"]


def name_of(key: str) -> str:
    """The metric's catalog name (English when chosen and known), else its most cited phrase."""
    r = rows.loc[key]
    return r["name_en"] if lang == "en" and isinstance(r["name_en"], str) and r["name_en"] else r["metric"]


def _labels() -> dict[str, str]:
    """The picker's text of every series, built column-wise once (a series list may hold
    thousands: one `rows.loc` per option cost 0.3-0.6 s of the page's first render)."""
    kinds = {k: i18n.label("kind", k, lang) for k in rows["kind"].unique()}
    names = rows["metric"].tolist()
    if lang == "en":
        names = [e if isinstance(e, str) and e else m for e, m in zip(rows["name_en"], names, strict=True)]
    out = {}
    for key, name, unit, kind, n, docs in zip(rows.index, names, rows["unit"], rows["kind"], rows["n"],
                                              rows["series_docs"], strict=True):
        text = t("series_option", metric=name, unit=unit or "–", kind=kinds[kind], n=n)
        out[key] = text + (" " + t("series_docs", d=int(docs)) if docs >= 2 else "")
    return out


labels = _labels()


c0, c1 = st.columns([1, 3])
c0.selectbox(t("pick_topic"), ["", *topics], key="w_trend_topic", on_change=_pick_topic,
             format_func=lambda x: i18n.label("topic", x, lang) if x else t("all"))
key = filters.url_select("m", t("pick_metric"), list(rows.index), where=c1, format_func=labels.__getitem__)
filters.show_pending_notes()  # e.g. an unknown series in the URL (the sidebar is already drawn)
series = rows.loc[key]
metric_id, kind, unit = series["metric_id"], series["kind"], series["unit"]
# The export: every citation of the series (all its phrases, this unit and kind).
view = filters.with_(f, metric=tuple(series["phrases"]), unit=(unit,) if unit else (), kind=(kind,))

df = run(metric_series, f, metric_id, unit, kind)
if df.empty:
    components.empty_state(view)
    st.stop()
divisor, axis_unit = scale_for(list(df["value"]), unit, lang)
n_facts = len(df)
df["region"] = df["region"].astype("object").where(df["region"].notna(), t("region_none"))
# One line per region; forecasts and targets get lines of their own.
status_text = {s: "" if s == "actual" else f"（{i18n.label('status', s, lang)}）" for s in df["status"].unique()}
df["line"] = df["region"] + df["status"].map(status_text)
# One line never mixes period lengths (11月, 1-11月, 余额 at a month's end): split before aggregating.
df, line_col = charts.split_by_period_type(df, "line", lang)
df["line"] = df[line_col]
# A long series is drawn as its MAX_LINES largest lines of at most MAX_POINTS points (bucket
# medians), built and formatted here on the server: 71,124 facts on 92 lines took 6-7 s to
# format, send and draw. The table below and the export keep every fact.
df, lines_left_out = downsample.top_lines(df, "line")
df, bucket = downsample.aggregate(df, "line")
# Labels per distinct value (a series may have tens of thousands of points, few distinct periods).
df["value_text"] = [fmt_claim(v, u, q, lang) for v, u, q in zip(df["value"], df["unit"], df["qualifier"], strict=True)]
qualifiers = {q: i18n.label("qualifier", q, lang) for q in df["qualifier"].unique()}
df["qualifier_text"] = [qualifiers[q] for q in df["qualifier"]]
published = t("published")
periods: dict[tuple, str] = {}
df["period_text"] = [periods.get(k) or periods.setdefault(k, fmt_period(k[0], k[1], lang) or f"{published} {k[2]:%Y-%m-%d}")
                     for k in zip(df["period_start"], df["period_end"], df["published"], strict=True)]
cited = {n: t("cited_n", n=int(n)) if n == n else "1" for n in df["n_citations"].unique()}
df["citations_text"] = [cited[n] for n in df["n_citations"]]
note = None
if bucket:
    width = t(f"bucket_{bucket}")
    df["value_text"] = [v if n == 1 else t("aggregated_point", v=v, n=int(n), lo=fmt_claim(a, unit, None, lang),
                                            hi=fmt_claim(b, unit, None, lang))
                        for v, n, a, b in zip(df["value_text"], df["n_points"], df["value_min"], df["value_max"],
                                              strict=True)]
    if bucket != "D":
        df["period_text"] = [f"{x:%Y-%m}" + ("" if bucket == "M" else f" ({width})") for x in df["x_date"]]
    note = t("points_aggregated", shown=f"{len(df):,}", n=f"{df['n_points'].sum():,}", bucket=width)
if lines_left_out:
    note = (note + ("；" if lang == "zh" else "; ") if note else "") + t("lines_left_out", k=downsample.MAX_LINES, n=lines_left_out,
                                             facts=f"{n_facts:,}")
# Points carry no sentence (a series may have thousands of facts): the hover names the cited
# phrase; a click loads every citation of the point.
df["sentence"] = df["metric"]
title = t("trend_title", metric=f"{name_of(key)} · {i18n.label('kind', kind, lang)}", unit=axis_unit or "–")
fig = charts.trend_chart(df, title, axis_unit, divisor=divisor, note=note, lang=lang, split_periods=False,
                         hover_labels={"qualifier": t("qualifier"), "period": t("period"), "citations": t("citations")})
event = st.plotly_chart(fig, theme=None, on_select="rerun", selection_mode="points", key="trend_chart")
if note:
    st.caption(":material/info: " + note)
st.caption(t("series_help"))

claim_id = components.custom0(components.selected_point(event))
with st.container(border=True):
    st.markdown(f"**{t('selected_point')}**")
    picked = df[df["claim_id"] == claim_id]
    if picked.empty:
        st.caption(t("click_point"))
    else:
        p = picked.iloc[0]
        st.markdown(f"**{p['value_text']}** · {p['region']} · {p['period_text']}")
        cites = run(fact_citations, p["fact_id"] if isinstance(p["fact_id"], str) else p["claim_id"])
        if cites is None:
            cites = pd.DataFrame()
        st.caption(t("citations_of_point", n=len(cites)))
        if not cites.empty:
            components.citation_list(cites, lang)

components.export_panel(view, fig, key="trends")

st.subheader(t("facts_of_series"))
table = run(series_claims, f, metric_id, unit, kind, TABLE_LIMIT)
if n_facts > TABLE_LIMIT:
    st.caption(t("rows_limited", n=TABLE_LIMIT))
chosen = components.claims_table(table, key="trend_table", lang=lang)
if chosen:
    components.source_link(chosen)
