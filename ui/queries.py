"""The dashboard's and the exports' SQL: parameterised queries over the claims tables.

Pure functions of a DuckDB connection and a `Filters` value; no Streamlit here, so the
export command line and the benchmarks run exactly the queries the pages run.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, fields

import duckdb
import pandas as pd


@dataclass(frozen=True)
class Filters:
    """The analyst's current view. Empty tuples / None mean 'no restriction'."""

    topic: tuple[str, ...] = ()
    sector: tuple[str, ...] = ()
    region: tuple[str, ...] = ()
    kind: tuple[str, ...] = ()
    status: tuple[str, ...] = ()
    unit: tuple[str, ...] = ()
    metric: tuple[str, ...] = ()
    since: dt.date | None = None
    until: dt.date | None = None
    q: str = ""  # full-text search over sentences; whitespace-separated terms must all occur
    doc: tuple[str, ...] = field(default=())

    def is_empty(self) -> bool:
        return all(not getattr(self, f.name) for f in fields(self))


# Column list of a claim row with its citation (article, outlet, date, sentence).
CLAIM_COLUMNS = """
    c.claim_id, c.value, c.unit, c.qualifier, c.kind, c.metric, c.region,
    c.period_start, c.period_end, c.status, c.topic, c.sector, c.mention,
    a.title AS article_title, d.outlet, d.published, s.text AS sentence,
    c.doc_id, c.article_id, c.sentence_id, c."start", c."end"
"""
_FROM = """
    FROM claims c
    JOIN sentences s ON s.sentence_id = c.sentence_id
    JOIN articles a ON a.article_id = c.article_id
    JOIN documents d ON d.doc_id = c.doc_id
"""
# The date a claim is plotted at: the end of its reference period, else the publication date.
CLAIM_DATE = "coalesce(c.period_end, d.published)"


def where(f: Filters) -> tuple[str, list]:
    """SQL WHERE clause and parameters for a Filters value."""
    parts: list[str] = []
    params: list = []
    for name, col in (("topic", "c.topic"), ("sector", "c.sector"), ("region", "c.region"), ("kind", "c.kind"),
                      ("status", "c.status"), ("unit", "c.unit"), ("metric", "c.metric"), ("doc", "c.doc_id")):
        values = getattr(f, name)
        if values:
            parts.append(f"{col} IN (SELECT unnest(?::VARCHAR[]))")
            params.append(list(values))
    if f.since:
        parts.append(f"{CLAIM_DATE} >= ?")
        params.append(f.since)
    if f.until:
        parts.append(f"{CLAIM_DATE} <= ?")
        params.append(f.until)
    for term in f.q.split():
        parts.append("(contains(s.text, ?) OR contains(coalesce(c.metric, ''), ?))")
        params += [term, term]
    return (" WHERE " + " AND ".join(parts)) if parts else "", params


def filtered_claims(con: duckdb.DuckDBPyConnection, f: Filters, limit: int | None = None) -> pd.DataFrame:
    """One row per claim matching `f`, with its citation, newest first."""
    w, params = where(f)
    sql = f"SELECT {CLAIM_COLUMNS} {_FROM} {w} ORDER BY d.published DESC NULLS LAST, c.doc_id, c.\"start\""
    if limit:
        sql += " LIMIT ?"
        params.append(int(limit))
    return con.execute(sql, params).df()


def count_claims(con: duckdb.DuckDBPyConnection, f: Filters) -> int:
    w, params = where(f)
    return int(con.execute(f"SELECT count(*) {_FROM} {w}", params).fetchone()[0])


# ---------------------------------------------------------------------------------------------
# Dashboard queries (pages call these through ui.db.run, which caches per database version).

VOCAB_COLUMNS = ("topic", "sector", "region", "kind", "status", "unit", "metric")


def vocabulary(con: duckdb.DuckDBPyConnection) -> dict[str, tuple[str, ...]]:
    """Distinct non-null values of the filterable columns, most frequent first."""
    out: dict[str, tuple[str, ...]] = {}
    for col in VOCAB_COLUMNS:
        rows = con.execute(f"SELECT {col} FROM claims WHERE {col} IS NOT NULL AND {col} <> '' "
                           f"GROUP BY 1 ORDER BY count(*) DESC, 1").fetchall()
        out[col] = tuple(r[0] for r in rows)
    return out


def totals(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    """Row counts of the main tables."""
    row = con.execute("""SELECT (SELECT count(*) FROM documents), (SELECT count(*) FROM articles),
                                (SELECT count(*) FROM sentences), (SELECT count(*) FROM claims)""").fetchone()
    return dict(zip(("documents", "articles", "sentences", "claims"), map(int, row), strict=True))


def topic_counts(con: duckdb.DuckDBPyConnection, f: Filters) -> pd.DataFrame:
    """Claims per topic under `f` (topic, n), largest first."""
    w, params = where(f)
    return con.execute(f"SELECT coalesce(c.topic, '') AS topic, count(*) AS n {_FROM} {w} "
                       f"GROUP BY 1 ORDER BY n DESC, topic", params).df()


def headline_claims(con: duckdb.DuckDBPyConnection, f: Filters, n: int = 6) -> pd.DataFrame:
    """The latest actual figure of the most cited metrics: amounts and counts for the city first.

    One row per metric (its newest claim by reference date), ranked by: region 成都市, kind
    amount > count > share/growth, how often the metric is cited, then the value.
    """
    w, params = where(f)
    extra = " AND " if w else " WHERE "
    sql = f"""
        WITH m AS (
            SELECT {CLAIM_COLUMNS}, {CLAIM_DATE} AS claim_date,
                   count(*) OVER (PARTITION BY c.metric) AS cited,
                   row_number() OVER (PARTITION BY c.metric ORDER BY {CLAIM_DATE} DESC NULLS LAST,
                                      (c.region = '成都市') DESC, c.value DESC) AS rn
            {_FROM} {w}{extra} c.metric IS NOT NULL AND c.value IS NOT NULL AND c.status = 'actual'
              AND c.kind IN ('amount', 'count', 'share', 'growth'))
        SELECT * EXCLUDE (rn) FROM m WHERE rn = 1
        ORDER BY (region = '成都市') DESC,
                 CASE kind WHEN 'amount' THEN 0 WHEN 'count' THEN 1 ELSE 2 END,
                 cited DESC, value DESC
        LIMIT ?"""
    return con.execute(sql, [*params, int(n)]).df()


def latest_articles(con: duckdb.DuckDBPyConnection, f: Filters, n: int = 10) -> pd.DataFrame:
    """The newest articles with claims matching `f`, with their first matching claim id."""
    w, params = where(f)
    sql = f"""
        SELECT a.article_id, a.title, d.outlet, d.published, count(*) AS n_claims,
               arg_min(c.claim_id, c."start") AS first_claim
        {_FROM} {w}
        GROUP BY a.article_id, a.title, d.outlet, d.published
        ORDER BY d.published DESC NULLS LAST, a.article_id LIMIT ?"""
    return con.execute(sql, [*params, int(n)]).df()


def metric_counts(con: duckdb.DuckDBPyConnection, f: Filters) -> pd.DataFrame:
    """Metrics with their units under `f` (metric, unit, n), most cited first."""
    w, params = where(f)
    extra = " AND " if w else " WHERE "
    return con.execute(f"""SELECT c.metric, coalesce(c.unit, '') AS unit, count(*) AS n {_FROM} {w}{extra}
                           c.metric IS NOT NULL AND c.value IS NOT NULL
                           GROUP BY 1, 2 ORDER BY n DESC, c.metric, unit""", params).df()


def metric_series(con: duckdb.DuckDBPyConnection, f: Filters, metric: str, unit: str) -> pd.DataFrame:
    """Claims of one metric and unit under `f`, with the date they are plotted at (`x_date`).

    `x_date` is the end of the reference period, else the publication date (`date_basis` says which).
    """
    w, params = where(f)
    extra = " AND " if w else " WHERE "
    sql = f"""SELECT {CLAIM_COLUMNS}, CAST({CLAIM_DATE} AS DATE) AS x_date,
                     CASE WHEN c.period_end IS NULL THEN 'published' ELSE 'period' END AS date_basis
              {_FROM} {w}{extra} c.metric = ? AND coalesce(c.unit, '') = ? AND c.value IS NOT NULL
              ORDER BY x_date NULLS LAST, c.region, c.claim_id"""
    return con.execute(sql, [*params, metric, unit]).df()


def region_counts(con: duckdb.DuckDBPyConnection, f: Filters) -> pd.DataFrame:
    """Claims per region under `f` (region, n); claims without a region are left out."""
    w, params = where(f)
    extra = " AND " if w else " WHERE "
    return con.execute(f"SELECT c.region, count(*) AS n {_FROM} {w}{extra} c.region IS NOT NULL "
                       f"GROUP BY 1 ORDER BY n DESC, c.region", params).df()


def region_latest(con: duckdb.DuckDBPyConnection, f: Filters, metric: str, unit: str) -> pd.DataFrame:
    """Per region, the latest claim of one metric and unit under `f` (one row per region)."""
    w, params = where(f)
    extra = " AND " if w else " WHERE "
    sql = f"""SELECT * EXCLUDE (rn) FROM (
                SELECT {CLAIM_COLUMNS}, row_number() OVER (PARTITION BY c.region
                       ORDER BY {CLAIM_DATE} DESC NULLS LAST, c.claim_id) AS rn
                {_FROM} {w}{extra} c.metric = ? AND coalesce(c.unit, '') = ? AND c.region IS NOT NULL
                  AND c.value IS NOT NULL)
              WHERE rn = 1 ORDER BY value DESC"""
    return con.execute(sql, [*params, metric, unit]).df()


def claim_source(con: duckdb.DuckDBPyConnection, claim_id: str) -> pd.DataFrame:
    """One claim with what its source page needs: the article text and the sentence's offsets."""
    sql = f"""SELECT {CLAIM_COLUMNS}, s."start" AS sentence_start, s."end" AS sentence_end,
                     a."start" AS article_start, a."end" AS article_end, d.title AS document_title,
                     d.url, d.published_source,
                     substr(d.text, a."start" + 1, a."end" - a."start") AS article_text
              {_FROM} WHERE c.claim_id = ?"""
    return con.execute(sql, [claim_id]).df()


def article_claims(con: duckdb.DuckDBPyConnection, article_id: str) -> pd.DataFrame:
    """All claims of an article in reading order."""
    return con.execute(f"SELECT {CLAIM_COLUMNS} {_FROM} WHERE c.article_id = ? ORDER BY c.\"start\"",
                       [article_id]).df()
