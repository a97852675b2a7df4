"""问数 Ask: a question in plain Chinese or English, the cited figure that answers it (or a plain "none").

`/ask?q=2021年上半年成都地区生产总值是多少？` opens with the question asked. The card shows the
value, unit, qualifier, period, region, metric, outlet and date with the highlighted sentence and
查看原文; other articles' different readings of the same figure; the metric's series where the
archive has one; and exports like the other views (the series' figures, the chart or the card).
"""
from __future__ import annotations

import html
import urllib.parse

import pandas as pd
import streamlit as st

from etl.ask.answer import ask
from etl.store.queries import Filters, metric_series
from ui import charts, components, filters, i18n
from ui.db import run
from ui.format import fmt_claim, fmt_date, fmt_period, fmt_value, scale_for

MAX_QUESTION = 200  # characters read of a question (a question is a sentence, not a page)
EXAMPLES = ("2023年成都新设经营主体多少户？", "2023年1-11月四川外贸进出口总值是多少？", "Chengdu GDP first half of 2021")

lang = i18n.current_lang()
t = i18n.t
filters.current()  # the sidebar's state stays in the URL; an answer is not filtered

st.title(i18n.label("page", "ask", lang))
st.caption(t("ask_help"))
filters.show_pending_notes()  # parameters of the URL this page ignored (it has no filter sidebar)
asked = st.query_params.get("q", "")
if len(asked) > MAX_QUESTION:
    st.caption(":material/info: " + t("ask_too_long", n=MAX_QUESTION))
    asked = asked[:MAX_QUESTION]


def _submit() -> None:
    st.query_params["q"] = st.session_state["w_ask"].strip()


st.session_state.setdefault("w_ask", asked)
st.text_input(t("ask_button"), key="w_ask", placeholder=t("ask_box"), on_change=_submit, label_visibility="collapsed")
if not asked:
    st.caption(t("ask_examples") + "：" + " · ".join(
        f"[{html.escape(x)}](ask?{urllib.parse.urlencode({'q': x, 'lang': lang})})" for x in EXAMPLES))
    st.stop()

res = run(ask, asked)
parsed = res.get("parsed") or {}
reading = [x for x in (" / ".join(parsed.get("places") or []), parsed.get("period"), parsed.get("metric"),
                       i18n.label("kind", parsed.get("kind"), lang) if parsed.get("kind") not in (None, "value") else "")
           if x]
if reading:
    st.caption(f"{t('ask_read_as')}：" + " · ".join(reading))

a = res["answer"]
if a is None:
    with st.container(border=True):
        st.markdown(f"**{t('ask_none')}**")
        st.write(res["why"])
        st.caption(t("ask_none_help"))
    st.stop()

with st.container(border=True):
    st.caption(t("ask_answer"))
    st.metric(a["metric"] or t("ask_answer"), fmt_value(a["value"], a["unit"], lang))
    meta = [fmt_claim(a["value"], a["unit"], a["qualifier"], lang), a["region"] or "",
            fmt_period(a["period_start"], a["period_end"], lang),
            f"{a['outlet'] or ''} {fmt_date(a['published'], lang)}", a.get("article_title") or ""]
    if a.get("n_citations", 1) > 1:
        meta.append(t("cited_n", n=a["n_citations"]))
    st.caption(" · ".join(html.escape(str(m)) for m in meta if m))
    st.html(components.CSS + components.sentence_html(a["sentence"], a["mention"]))
    components.source_link(a["claim_id"])
    st.caption(res["why"])

if res["alternatives"]:
    st.subheader(t("ask_alternatives"), help=t("ask_alternatives_help"))
    alt = pd.DataFrame({
        t("metric"): [x["metric"] for x in res["alternatives"]],
        t("ask_answer"): [fmt_claim(x["value"], x["unit"], x["qualifier"], lang) for x in res["alternatives"]],
        t("outlet"): [x["outlet"] for x in res["alternatives"]],
        t("published"): [x["published"] for x in res["alternatives"]],
        t("link"): [components.source_url(x["claim_id"]) for x in res["alternatives"]],
    })
    st.dataframe(alt, hide_index=True, width="stretch", key="ask_alternatives",
                 column_config={t("link"): st.column_config.LinkColumn(display_text=t("open_source"))})

# The metric's series in the answer's region: the chart, and what the export carries.
metric_id, kind = a.get("metric_id"), a.get("kind")
view = Filters(metric=(a["metric"],) if a["metric"] else (), region=(a["region"],) if a["region"] else (),
               unit=(a["unit"],) if a["unit"] else (), kind=(kind,) if kind else ())
fig = None
series = run(metric_series, Filters(region=(a["region"],) if a["region"] else ()), metric_id, a["unit"] or "",
             kind) if metric_id else None
if series is not None and len(series) >= 2:
    st.subheader(t("ask_series"))
    divisor, axis_unit = scale_for(list(series["value"]), a["unit"], lang)
    series = series.assign(
        value_text=[fmt_claim(v, u, q, lang) for v, u, q in zip(series["value"], series["unit"], series["qualifier"],
                                                                 strict=True)],
        qualifier_text=[i18n.label("qualifier", q, lang) for q in series["qualifier"]],
        period_text=[fmt_period(s, e, lang) or fmt_date(p, lang) for s, e, p in
                     zip(series["period_start"], series["period_end"], series["published"], strict=True)],
        sentence=series["metric"])
    fig = charts.trend_chart(series, f"{a['metric']} · {a['region'] or ''}", axis_unit, divisor=divisor, lang=lang,
                             hover_labels={"qualifier": t("qualifier"), "period": t("period")})
    st.plotly_chart(fig, theme=None, key="ask_series")
    link = "trends?" + urllib.parse.urlencode({"m": f"{metric_id}:{kind}:{a['unit'] or ''}", "lang": lang,
                                               **({"region": a["region"]} if a["region"] else {})})
    st.markdown(f"[{t('ask_series_link')}]({link})")
if fig is None:
    fig = charts.answer_card(fmt_value(a["value"], a["unit"], lang), t("ask_card_title", q=asked),
                             " · ".join(str(m) for m in meta if m))
components.export_panel(view, fig, key="ask")
