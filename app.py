"""Rongshu dashboard entry point: `streamlit run app.py` (database from RONGSHU_DB).

Declares the navigation (one list, PAGES) and the shared state: language and filters, both
kept in the URL query string (see ui/filters.py), so every view can be bookmarked.
"""
from __future__ import annotations

import streamlit as st

from etl.store.queries import sector_counts, vocabulary
from ui import filters, i18n
from ui.db import db_path, run

st.set_page_config(page_title="蓉数 Rongshu", layout="wide")

# (script, label key in data/labels.csv, icon, url_path, visible in the sidebar).
# To add a page, append one row here. The scripts live in views/, not pages/: a folder named
# pages/ switches Streamlit into its legacy multipage mode, where a deep link with a query
# string (source?claim=...) pops up a "Page not found" dialog before the page renders.
PAGES: list[tuple[str, str, str, str, bool]] = [
    ("views/home.py", "overview", ":material/home:", "overview", True),
    ("views/ask.py", "ask", ":material/question_answer:", "ask", True),
    ("views/trend.py", "trends", ":material/show_chart:", "trends", True),
    ("views/district_map.py", "districts", ":material/map:", "districts", True),
    ("views/browse.py", "explorer", ":material/table_rows:", "explorer", True),
    ("views/sector.py", "sectors", ":material/factory:", "sector", True),
    ("views/fact_check.py", "checks", ":material/fact_check:", "checks", True),
    ("views/article.py", "source", ":material/article:", "source", False),
]
FILTERLESS = {"source", "checks", "ask"}  # pages that show no filter sidebar

filters.begin_run()
lang = filters.language_toggle()
pages = [st.Page(script, title=i18n.label("page", key, lang), icon=icon, url_path=path,
                 default=(i == 0), visibility="visible" if visible else "hidden")
         for i, (script, key, icon, path, visible) in enumerate(PAGES)]
page = st.navigation(pages)

if not db_path().exists():
    st.title(i18n.t("app_title"))
    st.warning(i18n.t("no_db", path=str(db_path())))
    st.stop()

if page.url_path not in FILTERLESS:
    filters.sidebar(run(vocabulary) or {}, run(sector_counts) or {})
page.run()
