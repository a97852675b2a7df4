"""核查 Fact check: sums, shares, growth rates and conflicting reports, with their arithmetic
and a link to every sentence involved (served at /checks)."""
from __future__ import annotations

import streamlit as st

from ui import fact_queries as fq
from ui import i18n
from ui.db import q

lang = i18n.current_lang()
zh = lang != "en"
STATUS = {"consistent": ("一致", "Consistent", "green", ":material/check_circle:"),
          "inconsistent": ("不一致", "Inconsistent", "red", ":material/error:"),
          "undetermined": ("无法判断", "Cannot tell", "gray", ":material/help:")}
KIND = {"sum": ("分项之和", "Parts add up"), "share": ("占比", "Share"), "growth": ("增长率", "Growth rate"),
        "conflict": ("数值冲突", "Conflicting values")}


def _name(table: dict, key: str) -> str:
    v = table.get(key, (key, key))
    return v[0] if zh else v[1]


st.title(i18n.label("page", "checks", lang))
if q(fq.HAS_CHECKS_SQL).iloc[0]["n"] == 0:
    st.info("数据库中还没有核查结果，请重新运行 ETL。" if zh else "No checks yet: re-run the ETL.")
    st.stop()

st.caption("按印刷精度核对：一个印刷为 71.3 的数代表 71.25–71.35，计算两侧都计入舍入。"
           if zh else "Checked within the rounding of the printed digits, on both sides of the arithmetic.")
counts = q(fq.COUNTS_SQL)
cols = st.columns(3)
for col, status in zip(cols, fq.STATUSES, strict=True):
    col.metric(_name(STATUS, status), int(counts.loc[counts["status"] == status, "n"].sum()))

c1, c2 = st.columns(2)
statuses = c1.multiselect("状态" if zh else "Status", fq.STATUSES, default=list(fq.STATUSES),
                          format_func=lambda s: _name(STATUS, s), key="w_check_status")
kinds = c2.multiselect("类型" if zh else "Kind", fq.KINDS, default=list(fq.KINDS),
                       format_func=lambda k: _name(KIND, k), key="w_check_kind")
rows = q(fq.CHECKS_SQL, list(statuses), list(kinds), 500)
if rows.empty:
    st.info("没有符合条件的核查。" if zh else "No check matches.")
    st.stop()
cites = q(fq.CITATIONS_SQL, list(rows["check_id"]))
by_check = {k: g for k, g in cites.groupby("check_id", sort=False)}

for r in rows.itertuples():
    label, _, color, icon = STATUS.get(r.status, (r.status, r.status, "gray", None))
    with st.container(border=True):
        st.badge(_name(STATUS, r.status), icon=icon, color=color)
        st.markdown(f"**{_name(KIND, r.kind)}**")
        st.text(r.detail)
        g = by_check.get(r.check_id)
        if g is None:
            continue
        for c in g.itertuples():
            left, right = st.columns([5, 1])
            date = f"{c.published:%Y-%m-%d}" if c.published == c.published and c.published is not None else ""
            left.text(f"「{c.mention}」 {c.sentence}")
            left.caption(f"{c.article_title or ''} · {c.outlet or ''} {date}")
            right.markdown(f"[{'原文' if zh else 'Source'} ↗](source?claim={c.claim_id})")
