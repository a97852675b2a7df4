"""A small, known database for the export tests (built with the store schema), and its checks.

Other test_export_* modules import `make_db` and the expected values from here. The claims are
hand-made so that assertions can be exact whatever the extractor currently yields.
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb

from etl.store.database import SCHEMA
from etl.store.queries import Filters, filtered_claims

TITLE = "今年前11月成都实现外贸进出口6834.7亿元"
SENTENCE_2023 = "今年前11月，成都实现外贸进出口6834.7亿元，同比下降2.4%。"
SENTENCE_2022 = "2022年前11月，成都实现外贸进出口7000亿元。"
SENTENCE_HT = "截至2023年底，郫都区有国家高新技术企业420家，武侯区有国家高新技术企业380家。"

# (doc_id, outlet, published, article title, [(sentence, [(mention, value, unit, kind, metric, region,
#   period_start, period_end, status, topic)])])
DOCS = [
    ("d2023", "成都日报", dt.date(2023, 12, 14), TITLE, [
        (SENTENCE_2023, [
            ("6834.7亿元", 6834.7e8, "元", "amount", "外贸进出口总额", "成都市",
             dt.date(2023, 1, 1), dt.date(2023, 11, 30), "actual", "trade"),
            ("2.4%", -2.4, "%", "growth", "外贸进出口总额", "成都市",
             dt.date(2023, 1, 1), dt.date(2023, 11, 30), "actual", "trade"),
        ]),
    ]),
    ("d2022", "成都日报", dt.date(2022, 12, 15), "成都外贸进出口7000亿元", [
        (SENTENCE_2022, [
            ("7000亿元", 7000e8, "元", "amount", "外贸进出口总额", "成都市",
             dt.date(2022, 1, 1), dt.date(2022, 11, 30), "actual", "trade"),
        ]),
    ]),
    ("d2024", "四川科技报", dt.date(2024, 1, 25), "高新技术企业数量再创新高", [
        (SENTENCE_HT, [
            ("420家", 420, "家", "count", "国家高新技术企业", "郫都区",
             dt.date(2023, 12, 31), dt.date(2023, 12, 31), "actual", "innovation"),
            ("380家", 380, "家", "count", "国家高新技术企业", "武侯区",
             dt.date(2023, 12, 31), dt.date(2023, 12, 31), "actual", "innovation"),
        ]),
    ]),
]
N_CLAIMS = sum(len(c) for _, _, _, _, sents in DOCS for _, c in sents)
N_TRADE = 3


def make_db(path: Path) -> Path:
    """Write the small database to `path` (store schema; offsets exact into documents.text)."""
    con = duckdb.connect(str(path))
    con.execute(SCHEMA)
    for doc_id, outlet, published, title, sentences in DOCS:
        text = title + "\n" + "".join(s for s, _ in sentences)
        con.execute("INSERT INTO documents (doc_id, path, sha256, encoding, text, published, published_source, "
                    "outlet, title) VALUES (?, ?, 'x', 'utf-8', ?, ?, 'manifest', ?, ?)",
                    [doc_id, f"{doc_id}.txt", text, published, outlet, title])
        art = f"{doc_id}-a01"
        con.execute('INSERT INTO articles (article_id, doc_id, title, "start", "end") VALUES (?, ?, ?, 0, ?)',
                    [art, doc_id, title, len(text)])
        pos = len(title) + 1
        for i, (sentence, claims) in enumerate(sentences, start=1):
            sid = f"{art}-s{i:03d}"
            con.execute('INSERT INTO sentences (sentence_id, doc_id, article_id, "start", "end", text) '
                        "VALUES (?, ?, ?, ?, ?, ?)", [sid, doc_id, art, pos, pos + len(sentence), sentence])
            for j, (mention, value, unit, kind, metric, region, p0, p1, status, topic) in enumerate(claims):
                start = pos + sentence.index(mention)
                con.execute(
                    'INSERT INTO claims (claim_id, doc_id, article_id, sentence_id, "start", "end", mention, value, '
                    "unit, qualifier, kind, metric, region, period_start, period_end, status, topic, sector, "
                    "published) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'exact', ?, ?, ?, ?, ?, ?, ?, NULL, ?)",
                    [f"{doc_id}c{j}", doc_id, art, sid, start, start + len(mention), mention, value, unit, kind,
                     metric, region, p0, p1, status, topic, published])
            pos += len(sentence)
    con.close()
    return path


def small_claims(path: Path):
    """The small database written to `path`, read back as the filtered claims frame."""
    con = duckdb.connect(str(make_db(path)), read_only=True)
    try:
        return filtered_claims(con, Filters())
    finally:
        con.close()


def test_small_db_is_consistent(tmp_path):
    db = make_db(tmp_path / "small.duckdb")
    con = duckdb.connect(str(db), read_only=True)
    try:
        df = filtered_claims(con, Filters())
        assert len(df) == N_CLAIMS
        assert len(filtered_claims(con, Filters(topic=("trade",)))) == N_TRADE
        for doc_id, start, end, mention in con.execute('SELECT doc_id, "start", "end", mention FROM claims').fetchall():
            text = con.execute("SELECT text FROM documents WHERE doc_id = ?", [doc_id]).fetchone()[0]
            assert text[start:end] == mention
    finally:
        con.close()
