"""Plotly figures of the dashboard: pure functions of data frames and labels (no Streamlit).

Every figure has an explicit template and the CJK font, so the screen (drawn with
`st.plotly_chart(fig, theme=None)`) and static exports look the same. Points carry their
claim id (or region / topic) in `customdata[0]`, which the pages use to open the source.
"""
from __future__ import annotations

import html
import json
from functools import lru_cache
from pathlib import Path

import pandas as pd
import plotly.graph_objects as go

from ui import i18n
from ui.format import period_types

TEMPLATE = "plotly_white"
FONT = "Noto Sans CJK SC"
GREY = "#e3e3e3"
PALETTE = ["#1f6fb2", "#e8702a", "#2a9d8f", "#c0392b", "#8e44ad", "#7f8c8d", "#d4a017", "#16a085",
           "#34495e", "#b5651d"]
GROUP_COLOURS = {"district": "#1f6fb2", "zone": "#e8702a", "city": "#2a9d8f", "other": "#9aa5ad"}
GEOJSON = Path(__file__).resolve().parent.parent / "data" / "geo" / "chengdu_districts.geojson"
# plotly.js loads a base-map topojson for every geo subplot; we serve an empty stub locally
# (static/topojson/, see .streamlit/config.toml) because there is no internet.
TOPOJSON_URL = "/app/static/topojson/"
MAX_PERIOD_TICKS = 6  # trend charts with at most this many dates label them with their periods
WEBGL_POINTS = 500  # a trend chart with more points draws them with WebGL (Scattergl)


def _layout(fig: go.Figure, title: str, height: int = 420) -> go.Figure:
    fig.update_layout(template=TEMPLATE, font_family=FONT, title={"text": title, "x": 0.01, "xanchor": "left"},
                      height=height, margin={"l": 10, "r": 10, "t": 60, "b": 10},
                      hoverlabel={"font_family": FONT, "align": "left"})
    return fig


def wrap(text: str, width: int = 28) -> str:
    """Escaped text with <br> every `width` characters (for hover labels)."""
    text = html.escape(str(text or ""))
    return "<br>".join(text[i:i + width] for i in range(0, len(text), width)) or "–"


def topic_bars(df: pd.DataFrame, title: str, x_title: str = "") -> go.Figure:
    """Horizontal bars of claims per topic; df has topic (id), label and n."""
    df = df.sort_values("n")
    fig = go.Figure(go.Bar(x=df["n"], y=df["label"], orientation="h", marker_color=PALETTE[0],
                           customdata=df[["topic"]].to_numpy(), text=df["n"], textposition="outside",
                           hovertemplate="%{y}: %{x}<extra></extra>"))
    _layout(fig, title, height=max(260, 40 + 28 * len(df)))
    fig.update_layout(xaxis_title=x_title, yaxis_title="", clickmode="event+select")
    return fig


def count_bars(labels, counts, title: str, axis_title: str, horizontal: bool = True, colour: int = 0) -> go.Figure:
    """Bars of a count per label (regions across, years up), the count written on each bar."""
    labels, counts = [str(x) for x in labels], list(counts)
    bar = go.Bar(x=counts, y=labels, orientation="h") if horizontal else go.Bar(x=labels, y=counts)
    fig = go.Figure(bar)
    fig.update_traces(marker_color=PALETTE[colour], text=counts, textposition="outside",
                      hovertemplate="%{y}: %{x}<extra></extra>" if horizontal else "%{x}: %{y}<extra></extra>")
    _layout(fig, title, height=max(280, 60 + 26 * len(labels)) if horizontal else 320)
    fig.update_layout(xaxis_title=axis_title if horizontal else "", yaxis_title="" if horizontal else axis_title)
    return fig


def answer_card(value_text: str, title: str, subtitle: str) -> go.Figure:
    """One answered figure as a card (what the ask view exports when the metric has no series)."""
    fig = go.Figure()
    fig.add_annotation(text=f"<b>{html.escape(value_text)}</b>", x=0.5, y=0.58, xref="paper", yref="paper",
                       showarrow=False, font={"size": 44, "color": PALETTE[0]})
    fig.add_annotation(text=wrap(subtitle, 60), x=0.5, y=0.25, xref="paper",
                       yref="paper", showarrow=False, font={"size": 14, "color": "#555"})
    _layout(fig, title, height=320)
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False)
    return fig


def split_by_period_type(df: pd.DataFrame, by: str, lang: str = "zh") -> tuple[pd.DataFrame, str]:
    """One series never mixes period lengths: when the points of `df` are of several (a month,
    year to date, a quarter, a year, a stock), each line is split by it and named with it
    (成都市 · 年初至今累计). Returns the frame and the column to group lines by."""
    if "period_start" not in df or "period_end" not in df or df.empty:
        return df, by
    types = period_types(df["period_start"], df["period_end"])
    if len({t for t in types if t}) <= 1:
        return df, by
    names = [f"{n if n == n else '–'} · {i18n.label('period_type', t, lang) if t else '–'}"
             for n, t in zip(df[by], types, strict=True)]
    return df.assign(series_line=names), "series_line"


def trend_chart(df: pd.DataFrame, title: str, y_title: str, divisor: float = 1.0,
                hover_labels: dict[str, str] | None = None, note: str | None = None, lang: str = "zh",
                split_periods: bool = True) -> go.Figure:
    """Values over time, one line per region (or per `line` when df has that column).

    df columns: x_date, value, region, claim_id, value_text (formatted value with unit),
    qualifier_text, sentence, period_text; optionally citations_text (how many places cite
    the fact). Hover shows value, unit, qualifier, period, citations and the sentence;
    customdata[0] is the claim id (for a fact, its representative claim).
    Aggregated points (ui.downsample: `value_min`, `value_max`) get a bar from minimum to
    maximum and `note` says, in the chart, that points were aggregated. Over WEBGL_POINTS
    points the traces are drawn with WebGL.
    """
    hl = {"value": "数值", "qualifier": "限定", "period": "统计期", "sentence": "句子", "citations": "引用",
          **(hover_labels or {})}
    by = "line" if "line" in df else "region"
    if split_periods:  # (views/trend.py splits before it aggregates points)
        df, by = split_by_period_type(df, by, lang)
    fig = go.Figure()
    many = len(df) > WEBGL_POINTS
    trace = go.Scattergl if many else go.Scatter
    for i, (name, g) in enumerate(df.groupby(by, sort=False, dropna=False)):
        g = g.sort_values("x_date")
        cites = g["citations_text"] if "citations_text" in g else [""] * len(g)
        custom = list(zip(g["claim_id"], g["value_text"], g["qualifier_text"], g["period_text"],
                          [wrap(s) for s in g["sentence"]], cites, strict=True))
        label = html.escape(str(name)) if name == name else "–"
        cite_line = f"<br>{hl['citations']}: %{{customdata[5]}}" if "citations_text" in g else ""
        bars = None
        if "value_min" in g:
            bars = {"type": "data", "symmetric": False, "array": (g["value_max"] - g["value"]) / divisor,
                    "arrayminus": (g["value"] - g["value_min"]) / divisor, "thickness": 1, "width": 0,
                    "color": PALETTE[i % len(PALETTE)]}
        fig.add_trace(trace(
            x=g["x_date"], y=g["value"] / divisor, name=str(name) if name == name else "–",
            mode="lines+markers", marker={"size": 6 if many else 11, "color": PALETTE[i % len(PALETTE)]},
            line={"width": 1 if many else 2, "color": PALETTE[i % len(PALETTE)]}, customdata=custom, error_y=bars,
            hovertemplate=(f"<b>%{{customdata[1]}}</b> ({label})<br>{hl['qualifier']}: %{{customdata[2]}}"
                           f"<br>{hl['period']}: %{{customdata[3]}}{cite_line}"
                           f"<br>%{{customdata[4]}}<extra></extra>")))
    _layout(fig, title, height=440)
    fig.update_layout(yaxis_title=y_title, xaxis_title="", clickmode="event+select", hovermode="closest",
                      legend={"orientation": "h", "y": -0.12})
    if note:
        fig.add_annotation(text=html.escape(note), xref="paper", yref="paper", x=0, y=1.0, xanchor="left",
                           yanchor="bottom", showarrow=False, font={"size": 11, "color": "#666"})
    dates = pd.to_datetime(df["x_date"]).dropna()
    if len(dates) and (dates.max() - dates.min()).days < 120:  # a few points: show the months around them
        mid = dates.min() + (dates.max() - dates.min()) / 2
        fig.update_xaxes(range=[mid - pd.Timedelta(days=75), mid + pd.Timedelta(days=75)], dtick="M1")
    fig.update_xaxes(tickformat="%Y-%m")
    # A few dates (yearly figures, stocks at year end): tick each point with its period
    # ("2022年", "截至2023年12月31日") rather than the month after it ends.
    ticks = df.dropna(subset=["x_date"]).drop_duplicates("x_date").sort_values("x_date")
    if 0 < len(ticks) <= MAX_PERIOD_TICKS and "period_text" in ticks:
        fig.update_xaxes(tickvals=list(ticks["x_date"]), ticktext=[str(x) for x in ticks["period_text"]])
    return fig


@lru_cache(maxsize=1)
def districts_geojson() -> dict:
    """The 20 Chengdu districts/counties (data/geo/chengdu_districts.geojson)."""
    return json.loads(GEOJSON.read_text(encoding="utf-8"))


def district_names() -> tuple[str, ...]:
    return tuple(f["properties"]["name"] for f in districts_geojson()["features"])


def district_map(df: pd.DataFrame, title: str, colorbar_title: str, hover_missing: str = "无数据") -> go.Figure:
    """Choropleth of Chengdu's districts; df has region, z (number) and z_text (label).

    Districts without a row are drawn grey underneath; customdata[0] is the region name.
    """
    gj = districts_geojson()
    names = list(district_names())
    df = df[df["region"].isin(names)]
    fig = go.Figure()
    fig.add_trace(go.Choropleth(
        geojson=gj, featureidkey="properties.name", locations=names, z=[0] * len(names),
        colorscale=[[0, GREY], [1, GREY]], showscale=False, marker_line_color="white", marker_line_width=1,
        customdata=[[n] for n in names], hovertemplate=f"%{{location}}: {hover_missing}<extra></extra>",
        name="base"))
    if len(df):
        fig.add_trace(go.Choropleth(
            geojson=gj, featureidkey="properties.name", locations=df["region"], z=df["z"],
            colorscale="Blues", marker_line_color="white", marker_line_width=1,
            colorbar={"title": {"text": colorbar_title}, "thickness": 14},
            customdata=df[["region", "z_text"]].to_numpy(),
            hovertemplate="%{location}: %{customdata[1]}<extra></extra>", name="data"))
    labels = [(f["properties"]["name"], f["properties"]["lon"], f["properties"]["lat"]) for f in gj["features"]]
    fig.add_trace(go.Scattergeo(lon=[x[1] for x in labels], lat=[x[2] for x in labels], text=[x[0] for x in labels],
                                mode="text", textfont={"size": 10, "color": "#333", "family": FONT},
                                hoverinfo="skip", showlegend=False))
    fig.update_geos(fitbounds="locations", visible=False, projection_type="mercator", bgcolor="rgba(0,0,0,0)")
    _layout(fig, title, height=560)
    fig.update_layout(clickmode="event+select", margin={"l": 0, "r": 0, "t": 50, "b": 0})
    return fig


def region_bars(df: pd.DataFrame, title: str, x_title: str, group_labels: dict[str, str]) -> go.Figure:
    """Horizontal bars per region coloured by group (district, zone, city, other).

    df has region, n and group; customdata[0] is the region.
    """
    df = df.sort_values("n")
    fig = go.Figure()
    for group, colour in GROUP_COLOURS.items():
        g = df[df["group"] == group]
        if g.empty:
            continue
        fig.add_trace(go.Bar(x=g["n"], y=g["region"], orientation="h", name=group_labels.get(group, group),
                             marker_color=colour, customdata=g[["region"]].to_numpy(), text=g["n"],
                             textposition="outside", hovertemplate="%{y}: %{x}<extra></extra>"))
    _layout(fig, title, height=max(320, 110 + 24 * len(df)))
    fig.update_layout(xaxis_title=x_title, yaxis_title="", barmode="overlay", clickmode="event+select",
                      yaxis={"categoryorder": "array", "categoryarray": list(df["region"])},
                      legend={"orientation": "h", "y": 1.0, "yanchor": "bottom", "x": 0},
                      margin={"l": 10, "r": 30, "t": 90, "b": 10})
    fig.update_traces(cliponaxis=False)
    return fig
