"""首页 Overview: what the database holds."""
from __future__ import annotations

import streamlit as st

from ui.db import db_path, q

st.title("蓉数 · 报纸数字数据库")
if not db_path().exists():
    st.warning(f"数据库 {db_path()} 不存在。请先运行 `python -m etl seeds` 构建数据库。")
    st.stop()

counts = q("""SELECT (SELECT count(*) FROM documents) AS documents, (SELECT count(*) FROM articles) AS articles,
                     (SELECT count(*) FROM sentences) AS sentences, (SELECT count(*) FROM claims) AS claims""")
c = counts.iloc[0]
cols = st.columns(4)
for col, (label, key) in zip(cols, [("版面 Documents", "documents"), ("文章 Articles", "articles"),
                                    ("句子 Sentences", "sentences"), ("数字 Claims", "claims")], strict=True):
    col.metric(label, f"{int(c[key]):,}")

st.subheader("文章 Articles")
arts = q("""SELECT a.title AS 标题, d.outlet AS 媒体, d.published AS 日期, a.n_sentences AS 句数,
                   (SELECT count(*) FROM claims c WHERE c.article_id = a.article_id) AS 数字数
            FROM articles a JOIN documents d USING (doc_id)
            ORDER BY d.published DESC NULLS LAST, a.article_id""")
st.dataframe(arts, hide_index=True, width="stretch",
             column_config={"日期": st.column_config.DateColumn(format="YYYY-MM-DD")})
