"""Rongshu dashboard entry point: `streamlit run app.py` (database from RONGSHU_DB)."""
from __future__ import annotations

import streamlit as st

st.set_page_config(page_title="蓉数 Rongshu", layout="wide")

pages = [
    st.Page("pages/overview.py", title="首页", icon=":material/home:", default=True),
]
st.navigation(pages).run()
