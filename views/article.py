"""原文 Source: `?claim=<id>` shows the article with the sentence highlighted and the mention marked."""
from __future__ import annotations

import html
import re

import pandas as pd
import streamlit as st

from etl.store.queries import article_claims, claim_source, fact_citations
from ui import components, filters, i18n, page_image
from ui.db import run
from ui.format import fmt_claim, fmt_date, fmt_period, highlight_html

CLAIM_ID = re.compile(r"^[0-9a-f]{16}$")

lang = i18n.current_lang()
t = i18n.t
components.style()
filters.show_pending_notes()

raw = (st.query_params.get_all("claim") or [""])[-1].strip()
st.title(t("source_title"))


def back() -> None:
    st.page_link(components.EXPLORER_PAGE, label=t("back_explorer"), icon=":material/arrow_back:")


if not raw:
    st.info(t("no_claim_param"))
    back()
    st.stop()
claim_id = raw.lower()
if not CLAIM_ID.match(claim_id):
    st.warning(t("bad_claim", id=raw[:40] + ("…" if len(raw) > 40 else "")))
    back()
    st.stop()
found = run(claim_source, claim_id)
if found is None or found.empty:
    st.warning(t("unknown_claim", id=claim_id))
    back()
    st.stop()
c = found.iloc[0]

title = c["article_title"] or c["document_title"] or ""
st.subheader(title)
meta = [c["outlet"] or "", fmt_date(c["published"], lang)]
if c["url"]:
    meta.append(c["url"])
st.caption(" · ".join(m for m in meta if m))

st.html(components.CSS + components.sentence_html(c["sentence"], c["mention"]))
page_image.show(c, lang)  # PDF and image inputs: the original page with the figure's box
facts = {
    t("value"): fmt_claim(c["value"], c["unit"], c["qualifier"], lang),
    t("mention"): c["mention"],
    t("metric"): c["metric"] or "–",
    t("region"): c["region"] or "–",
    t("period"): fmt_period(c["period_start"], c["period_end"], lang) or "–",
    t("topic"): i18n.label("topic", c["topic"], lang) or "–",
    t("kind"): i18n.label("kind", c["kind"], lang),
    t("status"): i18n.label("status", c["status"], lang),
    t("sector"): f"{c['sector']} · {c['sector_code']}" if c.get("sector_code") else (c["sector"] or "–"),
}
with st.expander(t("claim_facts"), expanded=True):
    cols = st.columns(3)
    for i, (k, v) in enumerate(facts.items()):
        cols[i % 3].markdown(f"**{html.escape(k)}**: {html.escape(str(v))}")
    st.caption(f"{t('permalink')}: `{components.source_url(claim_id)}`")

# The same fact cited elsewhere (another page, a headline, a summary): every other citation.
if c["n_citations"] == c["n_citations"] and c["n_citations"] and int(c["n_citations"]) > 1:
    cites = run(fact_citations, c["fact_id"])
    others_cited = cites[cites["claim_id"] != claim_id] if cites is not None else pd.DataFrame()
    if not others_cited.empty:
        with st.expander(t("also_cited", n=len(others_cited)), expanded=True):
            components.citation_list(others_cited, lang)

st.markdown(f"#### {t('article_text')}")
body = highlight_html(c["article_text"], (int(c["sentence_start"]), int(c["sentence_end"])),
                      (int(c["start"]), int(c["end"])), base=int(c["article_start"]))
st.html(components.CSS + f'<div class="rs-article">{body}</div>')

st.markdown(f"#### {t('other_claims')}")
others = run(article_claims, c["article_id"])
others = others[others["claim_id"] != claim_id] if others is not None else pd.DataFrame()
if others.empty:
    st.caption(t("no_other_claims"))
else:
    picked = components.claims_table(others, key="source_others", lang=lang)
    if picked:
        components.source_link(picked)
back()
