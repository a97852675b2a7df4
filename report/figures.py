"""Plotly figures for export, built from `etl.store.queries.filtered_claims` rows, with sources cited.

Pure functions of a DataFrame: no Streamlit, no rendering. Every figure has an explicit template
and the "Noto Sans CJK SC" font (importing Streamlit changes plotly's default template), a fixed
16:9 size and a caption annotation under the chart naming the sources (outlet, date).
"""
from __future__ import annotations

import copy
import datetime as dt
import math
import unicodedata
from dataclasses import dataclass

import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio

from etl.store import sectors
from ui import i18n
from ui.charts import split_by_period_type
from ui.format import period_types

FONT_FAMILY = "Noto Sans CJK SC"
FONT_STACK = f"{FONT_FAMILY}, Noto Sans SC, Source Han Sans SC, sans-serif"
WIDTH, HEIGHT = 1200, 675  # layout pixels (16:9, fills a slide); PNG exports are 2x
COLORWAY = ["#1f6fb2", "#d9534f", "#2ca02c", "#ff7f0e", "#7b4fa0", "#17becf", "#8c564b", "#e377c2"]
CAPTION_NAME = "rongshu-sources"  # name of the caption annotation (not added twice)

_NO_SCALE_UNITS = {"%", "个百分点", "位", "倍", "‰"}


def _template() -> go.layout.Template:
    t = go.layout.Template(pio.templates["plotly_white"])
    t.layout.font = {"family": FONT_STACK, "size": 15, "color": "#222"}
    t.layout.colorway = COLORWAY
    t.layout.title = {"font": {"size": 22}, "x": 0.02, "xanchor": "left"}
    return t


TEMPLATE = _template()


@dataclass
class Chart:
    """A figure with what a slide needs: its title, a one-line takeaway and the claims drawn."""

    figure: go.Figure
    title: str
    takeaway: str
    claims: pd.DataFrame


# ---------------------------------------------------------------- text helpers
def display_width(s: str) -> int:
    """Width in half-width cells (CJK and full-width characters count 2)."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in s)


def wrap(text: str, width: int) -> list[str]:
    """Split `text` into lines of at most `width` display cells (no word boundaries in Chinese)."""
    lines, cur, w = [], "", 0
    for ch in text:
        cw = display_width(ch)
        if w + cw > width and cur:
            lines.append(cur)
            cur, w = "", 0
        cur += ch
        w += cw
    if cur:
        lines.append(cur)
    return lines


def truncate(text: str, width: int) -> str:
    """`text` cut to `width` display cells, with an ellipsis when cut."""
    if display_width(text) <= width:
        return text
    return wrap(text, width - 2)[0] + "…"


def to_date(x) -> dt.date | None:
    """A date from a date, datetime, pandas Timestamp or None/NaT."""
    if x is None or (not isinstance(x, str) and pd.isna(x)):
        return None
    if isinstance(x, pd.Timestamp | dt.datetime):
        return x.date()
    if isinstance(x, dt.date):
        return x
    return pd.Timestamp(x).date()


def fmt_date(x) -> str:
    d = to_date(x)
    return d.isoformat() if d else ""


def fmt_number(v: float, digits: int = 4) -> str:
    """A readable number: thousands separators, at most `digits` significant decimals, no trailing zeros."""
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return ""
    if float(v).is_integer():
        return f"{int(v):,}"
    s = f"{v:,.{digits}f}".rstrip("0").rstrip(".")
    return s


def magnitude(values: pd.Series, unit: str | None) -> tuple[float, str]:
    """(divisor, label) to show `values` in 亿/万 when large: 947300000000 元 -> (1e8, '亿元')."""
    unit = unit or ""
    if unit in _NO_SCALE_UNITS or values.empty:
        return 1.0, unit
    top = float(values.abs().max())
    if top >= 1e8:
        return 1e8, "亿" + unit
    if top >= 1e5:
        return 1e4, "万" + unit
    return 1.0, unit


def period_label(start, end) -> str:
    """'2023年1-11月', '2023年', '截至2023-11-30' or 'a 至 b' for a reference period."""
    s, e = to_date(start), to_date(end)
    if not s and not e:
        return ""
    if not s or s == e:
        return f"截至{(e or s).isoformat()}"
    if not e:
        return f"{s.isoformat()}起"
    month_end = (pd.Timestamp(e) + pd.offsets.MonthEnd(0)).date() == e
    if s.year == e.year and s.day == 1 and month_end:
        if s.month == 1 and e.month == 12:
            return f"{s.year}年"
        if s.month == e.month:
            return f"{s.year}年{s.month}月"
        return f"{s.year}年{s.month}-{e.month}月"
    return f"{s.isoformat()} 至 {e.isoformat()}"


def describe_filters(filters) -> str:
    """One line naming a `etl.store.queries.Filters` view, e.g. '主题：外贸 · 地区：成都市'."""
    if filters is None or filters.is_empty():
        return "全部数字"
    parts = []
    for name, label in (("topic", "主题"), ("region", "地区"), ("metric", "指标"), ("sector", "行业"),
                        ("kind", "类型"), ("status", "状态"), ("unit", "单位")):
        values = getattr(filters, name)
        if values:
            shown = [i18n.label(name, v) if name in ("topic", "status") else
                     sectors.name(v) if name == "sector" else v for v in values]
            parts.append(f"{label}：{'、'.join(shown)}")
    if filters.since or filters.until:
        parts.append(f"时间：{fmt_date(filters.since) or '…'} 至 {fmt_date(filters.until) or '…'}")
    if filters.q:
        parts.append(f"检索：{filters.q}")
    if filters.doc:
        parts.append(f"版面：{len(filters.doc)} 个")
    return " · ".join(parts)


# ---------------------------------------------------------------- sources
def sources(df: pd.DataFrame) -> list[tuple[str, list[str]]]:
    """[(outlet, [dates newest first])], outlets ordered by their newest date."""
    if df.empty:
        return []
    pairs = df[["outlet", "published"]].copy()
    pairs["outlet"] = pairs["outlet"].astype("object").where(pairs["outlet"].notna(), "来源不详")
    pairs["date"] = pairs["published"].map(fmt_date)
    by: dict[str, set[str]] = {}
    for outlet, date in zip(pairs["outlet"], pairs["date"], strict=True):
        by.setdefault(str(outlet), set()).add(date)
    ordered = sorted(by.items(), key=lambda kv: max(kv[1]), reverse=True)
    return [(o, sorted(ds, reverse=True)) for o, ds in ordered]


def sources_caption(df: pd.DataFrame, max_dates: int = 6) -> str:
    """'来源：成都日报（2023-12-14、2023-11-23）；四川科技报（2021-05-14）'."""
    items = []
    for outlet, dates in sources(df):
        shown = [d or "日期不详" for d in dates[:max_dates]]
        more = f"等{len(dates)}期" if len(dates) > max_dates else ""
        items.append(f"{outlet}（{'、'.join(shown)}{more}）")
    return "来源：" + ("；".join(items) if items else "无")


# ---------------------------------------------------------------- figure finishing
def prepare_for_export(fig: go.Figure, caption: str | None = None, *, width: int = WIDTH,
                       height: int = HEIGHT) -> go.Figure:
    """A copy of `fig` ready for a file: explicit template and CJK font, fixed size, sources caption.

    Works on the dashboard's figures too: a figure built under Streamlit's default template
    (no colour cycle) gets the export template instead.
    """
    out = go.Figure(fig)
    tmpl = out.layout.template
    if tmpl is None or not tmpl.layout.colorway or ("streamlit" in pio.templates
                                                     and tmpl == pio.templates["streamlit"]):
        out.update_layout(template=TEMPLATE)
    out.update_layout(font_family=FONT_STACK, width=out.layout.width or width,
                      height=out.layout.height or height)
    if caption and not any(a.name == CAPTION_NAME for a in out.layout.annotations):
        _add_caption(out, caption)
    return out


def _add_caption(fig: go.Figure, caption: str, size: int = 12) -> None:
    """Put `caption` under the plot area, left-aligned, wrapped to the figure width."""
    w = fig.layout.width or WIDTH
    h = fig.layout.height or HEIGHT
    per_line = max(20, int((w - 60) / (size * 0.55)))  # half-width cells per line
    lines = wrap(caption, per_line)[:3]
    m = fig.layout.margin
    top = m.t if m.t is not None else 90
    left = m.l if m.l is not None else 80
    right = m.r if m.r is not None else 40
    bottom = max(m.b if m.b is not None else 0, 60 + 18 * len(lines))
    fig.update_layout(margin={"t": top, "l": left, "r": right, "b": bottom})
    plot_h = max(1, h - top - bottom)
    fig.add_annotation(
        name=CAPTION_NAME, text="<br>".join(lines), showarrow=False, align="left",
        xref="paper", yref="paper", x=-left / max(1, w - left - right) + 0.01, xanchor="left",
        y=-(bottom - 8) / plot_h, yanchor="bottom", font={"size": size, "color": "#555"},
    )


def _fit_labels(fig: go.Figure, labels) -> None:
    """Left margin wide enough for horizontal-bar labels (plotly's automargin would shift the caption)."""
    widest = max((display_width(str(x)) for x in labels), default=4)
    fig.update_layout(margin_l=min(520, 30 + int(widest * 8.5)))


def _title(title: str, subtitle: str | None) -> str:
    return f"{title}<br><sup>{subtitle}</sup>" if subtitle else title


def _base_figure(title: str, subtitle: str | None) -> go.Figure:
    fig = go.Figure()
    fig.update_layout(template=TEMPLATE, font_family=FONT_STACK, width=WIDTH, height=HEIGHT,
                      title_text=_title(title, subtitle), margin={"t": 100, "l": 90, "r": 40, "b": 60},
                      legend={"orientation": "h", "yanchor": "bottom", "y": 1.0, "xanchor": "right", "x": 1.0})
    return fig


# ---------------------------------------------------------------- chart builders
def claim_dates(df: pd.DataFrame) -> pd.Series:
    """The date a claim is plotted at: the end of its reference period, else the publication date."""
    return pd.to_datetime(df["period_end"]).fillna(pd.to_datetime(df["published"]))


def _series(df: pd.DataFrame, metric: str | None, unit: str | None) -> tuple[pd.DataFrame, str | None, str | None]:
    """The rows of one metric in one unit (the most frequent ones when not given), dated."""
    rows = df[df["metric"].notna()] if metric is None else df[df["metric"] == metric]
    if rows.empty:
        return rows, metric, unit
    if metric is None:
        metric = str(rows["metric"].value_counts().index[0])
        rows = rows[rows["metric"] == metric]
    if unit is None:
        units = rows["unit"].dropna()
        unit = str(units.value_counts().index[0]) if not units.empty else None
    if unit is not None:
        rows = rows[rows["unit"] == unit]
    kinds = rows["kind"].dropna()
    if kinds.nunique() > 1:  # a share and a growth rate are both '%': keep one kind of number
        rows = rows[rows["kind"] == kinds.value_counts().index[0]]
    rows = rows.assign(date=claim_dates(rows)).dropna(subset=["date", "value"])
    return rows.sort_values(["date", "published"]), metric, unit


def takeaway(df: pd.DataFrame, metric: str | None = None, unit: str | None = None) -> str:
    """One line from the data: the latest value of the metric and its change from the previous one."""
    rows, metric, unit = _series(df, metric, unit)
    if rows.empty:
        n = len(df)
        if not n:
            return "没有符合条件的数字。"
        top = df["metric"].dropna().value_counts()
        lead = f"，最常见的指标是“{top.index[0]}”（{int(top.iloc[0])} 条）" if not top.empty else ""
        return f"共 {n} 条数字，来自 {df['article_title'].nunique()} 篇文章{lead}。"
    actual = rows[rows["status"].fillna("actual") == "actual"]
    series = actual if not actual.empty else rows
    last = series.iloc[-1]
    region = last["region"] if pd.notna(last["region"]) else ""
    # Compared only with a figure of the same period length (11月 with 10月, 1-11月 with 1-10月).
    kind_of_period = period_types(series["period_start"], series["period_end"])
    last_type = kind_of_period[-1]
    same = series[(series["region"].fillna("") == region) & (series["date"] < last["date"])
                  & pd.Series([k == last_type for k in kind_of_period], index=series.index)]
    div, label = magnitude(rows["value"], unit)
    when = period_label(last["period_start"], last["period_end"]) or fmt_date(last["published"])
    status = "" if last["status"] in (None, "actual") or pd.isna(last["status"]) else i18n.label("status", last["status"])
    text = f"{region}{metric}{status}：{fmt_number(last['value'] / div)}{label}（{when}）"
    if not same.empty:
        prev = same.iloc[-1]
        prev_when = period_label(prev["period_start"], prev["period_end"]) or fmt_date(prev["published"])
        before = f"，比{prev_when}的{fmt_number(prev['value'] / div)}{label}"
        if math.isclose(last["value"], prev["value"], rel_tol=1e-9):
            text += f"，与{prev_when}持平"
        elif unit in ("%", "个百分点"):
            delta = last["value"] - prev["value"]
            text += f"{before}{'提高' if delta > 0 else '下降'}{fmt_number(abs(delta), 2)}个百分点"
        elif prev["value"]:
            pct = (last["value"] / prev["value"] - 1) * 100
            text += f"{before}{'增长' if pct > 0 else '下降'}{fmt_number(abs(pct), 1)}%"
    elif len(rows["region"].dropna().unique()) > 1:
        text += f"；共 {rows['region'].nunique()} 个地区有此指标"
    return text + "。"


def trend_chart(df: pd.DataFrame, metric: str | None = None, unit: str | None = None,
                title: str | None = None, subtitle: str | None = None, max_regions: int = 8) -> Chart | None:
    """Values of one metric over time (period end, else publication date), one line per region."""
    rows, metric, unit = _series(df, metric, unit)
    if rows.empty:
        return None
    div, label = magnitude(rows["value"], unit)
    rows = rows.assign(region=rows["region"].fillna("未注明地区"))
    rows, by = split_by_period_type(rows, "region")
    regions = rows[by].value_counts().index[:max_regions]
    title = title or f"{metric}"
    fig = _base_figure(title, subtitle)
    for region in regions:
        r = rows[rows[by] == region]
        planned = r["status"].isin(["forecast", "target"])
        hover = [f"{truncate(str(s), 60)}<br>{o or ''} {fmt_date(p)}"
                 for s, o, p in zip(r["sentence"], r["outlet"], r["published"], strict=True)]
        fig.add_trace(go.Scatter(
            x=r["date"], y=r["value"] / div, name=str(region), mode="lines+markers",
            marker={"size": 9, "symbol": ["circle-open" if p else "circle" for p in planned]},
            hovertext=hover, hoverinfo="x+y+text"))
    fig.update_layout(showlegend=len(regions) > 1 or bool(rows["region"].notna().any()))
    dates = sorted(rows["date"].unique())
    if len(dates) <= 8:  # few dates: tick exactly those
        fig.update_xaxes(tickvals=dates, ticktext=[pd.Timestamp(d).strftime("%Y-%m-%d") for d in dates])
    else:
        fig.update_xaxes(tickformat="%Y-%m")
    fig.update_xaxes(title_text=None)
    fig.update_yaxes(title_text=label or None, rangemode="tozero" if (rows["value"] >= 0).all() else "normal")
    chart_rows = rows.drop(columns="date")
    fig = prepare_for_export(fig, sources_caption(chart_rows))
    return Chart(fig, title, takeaway(chart_rows, metric, unit), chart_rows)


def region_chart(df: pd.DataFrame, metric: str | None = None, unit: str | None = None,
                 title: str | None = None, subtitle: str | None = None, top: int = 15) -> Chart | None:
    """The latest value of one metric per region, as horizontal bars (districts compared)."""
    rows, metric, unit = _series(df, metric, unit)
    rows = rows[rows["region"].notna()]
    if rows.empty:
        return None
    latest = rows.sort_values("date").groupby("region", sort=False).tail(1)
    latest = latest.sort_values("value", ascending=False).head(top).iloc[::-1]
    div, label = magnitude(latest["value"], unit)
    title = title or f"{metric}：各地区比较"
    fig = _base_figure(title, subtitle)
    fig.add_trace(go.Bar(
        x=latest["value"] / div, y=latest["region"], orientation="h", marker_color=COLORWAY[0],
        text=[fmt_number(v / div, 2) for v in latest["value"]], textposition="outside", cliponaxis=False,
        hovertext=[f"{period_label(s, e)} {o or ''} {fmt_date(p)}" for s, e, o, p in
                   zip(latest["period_start"], latest["period_end"], latest["outlet"], latest["published"],
                       strict=True)]))
    fig.update_layout(showlegend=False)
    fig.update_xaxes(title_text=label or None)
    _fit_labels(fig, latest["region"])
    chart_rows = latest.drop(columns="date").iloc[::-1]
    fig = prepare_for_export(fig, sources_caption(chart_rows))
    return Chart(fig, title, _region_takeaway(chart_rows, metric, label, div), chart_rows)


def _region_takeaway(rows: pd.DataFrame, metric: str | None, label: str, div: float) -> str:
    """'郫都区国家高新技术企业最多：420家（截至2023-12-31）；最少的武侯区380家，共2个地区。'"""
    top, low = rows.iloc[0], rows.iloc[-1]
    when = period_label(top["period_start"], top["period_end"]) or fmt_date(top["published"])
    text = f"{top['region']}{metric}最多：{fmt_number(top['value'] / div)}{label}（{when}）"
    if len(rows) > 1:
        text += f"；最少的{low['region']}{fmt_number(low['value'] / div)}{label}，共 {len(rows)} 个地区"
    return text + "。"


def count_chart(df: pd.DataFrame, by: str = "metric", title: str | None = None, subtitle: str | None = None,
                top: int = 12) -> Chart | None:
    """How many claims each metric (or topic, region ...) has: the overview of a view."""
    if df.empty:
        return None
    labels = df[by].dropna()
    if by == "topic":
        labels = labels.map(lambda t: i18n.label("topic", t))
    counts = labels.value_counts().head(top).iloc[::-1]
    if counts.empty:
        return None
    names = {"metric": "指标", "topic": "主题", "region": "地区", "kind": "类型", "outlet": "媒体"}
    title = title or f"数字条数：按{names.get(by, by)}"
    fig = _base_figure(title, subtitle)
    fig.add_trace(go.Bar(x=counts.values, y=counts.index.astype(str), orientation="h", marker_color=COLORWAY[0],
                         text=counts.values, textposition="outside", cliponaxis=False))
    fig.update_layout(showlegend=False)
    fig.update_xaxes(title_text="数字条数", tickformat=",d", dtick=1 if counts.max() <= 10 else None)
    _fit_labels(fig, counts.index)
    fig = prepare_for_export(fig, sources_caption(df))
    lead = counts.index[-1]
    text = f"共 {len(df)} 条数字，来自 {df['article_title'].nunique()} 篇文章；最多的{names.get(by, by)}是“{lead}”" \
           f"（{int(counts.iloc[-1])} 条）。"
    return Chart(fig, title, text, df)


def default_charts(df: pd.DataFrame, subtitle: str | None = None, max_charts: int = 3) -> list[Chart]:
    """The charts of a view: a trend (or a regional comparison) for each of the most cited metrics,
    else an overview of claim counts. Never empty for a non-empty `df`."""
    charts: list[Chart] = []
    named = df[df["metric"].notna()]
    for metric in named["metric"].value_counts().index:
        if len(charts) >= max_charts:
            break
        rows, _, unit = _series(df, str(metric), None)
        if rows.empty:
            continue
        if rows["date"].nunique() >= 2:
            chart = trend_chart(df, str(metric), unit, subtitle=subtitle)
        elif rows["region"].nunique() >= 2:
            chart = region_chart(df, str(metric), unit, subtitle=subtitle)
        else:
            continue
        if chart:
            charts.append(chart)
    if not charts and not df.empty:
        by = "metric" if named["metric"].nunique() >= 2 else "topic" if df["topic"].nunique() >= 2 else "kind"
        chart = count_chart(df, by, subtitle=subtitle) or trend_chart(df, subtitle=subtitle)
        if chart:
            charts.append(chart)
    return charts


def chart_from_figure(fig: go.Figure, df: pd.DataFrame, title: str | None = None) -> Chart:
    """Wrap a dashboard figure for export: sources caption and takeaway from the claims it shows."""
    text = title or _plain_title(fig) or "图表"
    out = copy.deepcopy(fig)
    # Screen figures size themselves to the page: give the file the export size and room for
    # the caption; a legend under the plot would collide with the caption, so it goes on top.
    out.update_layout(width=WIDTH, height=HEIGHT)
    if out.layout.legend.y is not None and out.layout.legend.y < 0:
        out.update_layout(legend={"y": 1.0, "yanchor": "bottom", "x": 1.0, "xanchor": "right"})
    is_map = any(t.type in ("choropleth", "scattergeo", "choroplethmap", "scattermap") for t in out.data)
    m = out.layout.margin
    if not is_map:
        out.update_layout(margin={"t": max(m.t or 0, 90), "l": max(m.l or 0, 80), "r": max(m.r or 0, 40)})
    one_series = df["metric"].nunique() == 1 and df["unit"].nunique() <= 1
    return Chart(prepare_for_export(out, sources_caption(df)), text,
                 takeaway(df) if one_series else summary_takeaway(df), df)


def summary_takeaway(df: pd.DataFrame) -> str:
    """'共 40 条数字，来自 4 篇文章；涉及最多的地区是成都市（12 条）。' for a view of many metrics."""
    if df.empty:
        return "没有符合条件的数字。"
    text = f"共 {len(df)} 条数字，来自 {df['article_title'].nunique()} 篇文章"
    for col, name in (("region", "地区"), ("metric", "指标")):
        counts = df[col].dropna().value_counts()
        if len(counts) > 1:
            return text + f"；涉及最多的{name}是{counts.index[0]}（{int(counts.iloc[0])} 条）。"
    return text + "。"


def for_slide(fig: go.Figure, width: int = 880, height: int = 495) -> go.Figure:
    """A copy of an export figure for a slide: no title (the slide has it), larger type for its size."""
    out = go.Figure(fig)
    top = 50 if out.layout.showlegend is not False else 20
    out.update_layout(title_text=None, width=width, height=height, font_size=16, margin_t=top)
    for a in out.layout.annotations:
        if a.name == CAPTION_NAME:
            out.layout.annotations = [x for x in out.layout.annotations if x.name != CAPTION_NAME]
            _add_caption(out, a.text.replace("<br>", ""), size=13)
            break
    return out


def _plain_title(fig: go.Figure) -> str:
    t = fig.layout.title.text or ""
    return t.split("<br>")[0].strip()
