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


# Column list of a claim row with its citation (article, outlet, date, sentence), then its
# fact (etl/facts.py): metric id, fact id and the number of places citing that fact.
_BASE_COLUMNS = """
    c.claim_id, c.value, c.unit, c.qualifier, c.kind, c.metric, c.region,
    c.period_start, c.period_end, c.status, c.topic, c.sector, c.mention,
    a.title AS article_title, d.outlet, d.published, s.text AS sentence,
    c.doc_id, c.article_id, c.sentence_id, c."start", c."end"
"""
CLAIM_COLUMNS = _BASE_COLUMNS.rstrip() + ",\n    c.metric_id, c.fact_id, fa.n_claims AS n_citations\n"
_FROM = """
    FROM claims c
    JOIN sentences s ON s.sentence_id = c.sentence_id
    JOIN articles a ON a.article_id = c.article_id
    JOIN documents d ON d.doc_id = c.doc_id
"""
# Filters touch only `claims` (which carries the publication date); the citation tables are
# joined to the claims that pass, so aggregates never join and row queries join few rows.
# `facts` gives each claim the number of places its fact is cited (`n_citations`).
_BASE_JOIN = """
    JOIN sentences s ON s.sentence_id = c.sentence_id
    JOIN articles a ON a.article_id = c.article_id
    JOIN documents d ON d.doc_id = c.doc_id
"""
_JOIN = _BASE_JOIN + "    LEFT JOIN facts fa ON fa.fact_id = c.fact_id\n"


def has_facts(con: duckdb.DuckDBPyConnection) -> bool:
    """Whether the database has the fact layer (a database with only the SPEC's minimum tables,
    as other tools may write, still exports its claims)."""
    return bool(con.execute("SELECT count(*) FROM duckdb_tables() WHERE table_name = 'facts'").fetchone()[0])


def _claims(w: str) -> str:
    """FROM clause of the claims matching WHERE clause `w`, joined to their citations."""
    return f"FROM (SELECT * FROM claims c {w}) c {_JOIN}"


def _facts_of(w: str) -> str:
    """Condition on `c`: it is the representative claim of a fact cited by a claim matching `w`.

    One fact repeated in several places is one point / one count; a filter that matches any
    of its citations (a search word, a document) selects it.
    """
    return f"c.claim_id IN (SELECT c.fact_id FROM claims c {w})"


# The date a claim is plotted at: the end of its reference period, else the publication date.
CLAIM_DATE = "coalesce(c.period_end, c.published)"


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
        parts.append("(c.sentence_id IN (SELECT sentence_id FROM sentences WHERE contains(text, ?))"
                     " OR contains(coalesce(c.metric, ''), ?))")
        params += [term, term]
    return (" WHERE " + " AND ".join(parts)) if parts else "", params


def filtered_claims(con: duckdb.DuckDBPyConnection, f: Filters, limit: int | None = None) -> pd.DataFrame:
    """One row per claim matching `f`, with its citation (and its fact's `n_citations`), newest first."""
    w, params = where(f)
    cols, join = (CLAIM_COLUMNS, _JOIN) if has_facts(con) else (_BASE_COLUMNS, _BASE_JOIN)
    order = 'ORDER BY c.published DESC NULLS LAST, c.doc_id, c."start"'
    if limit:  # the first rows by their sort keys alone, then their columns and citations
        keys = f'SELECT c.claim_id FROM claims c {w} {order} LIMIT ?'
        params.append(int(limit))
        sql = f"SELECT {cols} FROM ({keys}) k JOIN claims c ON c.claim_id = k.claim_id {join} {order}"
    else:
        sql = f"SELECT {cols} FROM (SELECT * FROM claims c {w}) c {join} {order}"
    return con.execute(sql, params).df()


def count_claims(con: duckdb.DuckDBPyConnection, f: Filters) -> int:
    w, params = where(f)
    return int(con.execute(f"SELECT count(*) FROM claims c {w}", params).fetchone()[0])


def count_facts(con: duckdb.DuckDBPyConnection, f: Filters) -> int:
    """Distinct facts among the claims matching `f` (a figure repeated in several places counts once)."""
    w, params = where(f)
    return int(con.execute(f"SELECT count(DISTINCT c.fact_id) FROM claims c {w}", params).fetchone()[0])


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
    """Facts per topic under `f` (topic, n), largest first: a figure repeated in several places
    counts once, under its representative claim's topic (else its first matching citation's)."""
    w, params = where(f)
    return con.execute(f"""SELECT topic, count(*) AS n FROM (
                               SELECT c.fact_id, first(coalesce(c.topic, '') ORDER BY (c.claim_id = c.fact_id) DESC,
                                                       c.claim_id) AS topic
                               FROM claims c {w} GROUP BY c.fact_id)
                           GROUP BY 1 ORDER BY n DESC, topic""", params).df()


def headline_claims(con: duckdb.DuckDBPyConnection, f: Filters, n: int = 6) -> pd.DataFrame:
    """The latest actual figure of the most cited metrics: amounts and counts for the city first.

    One row per metric id (its newest fact by reference date, as its representative claim),
    ranked by: region 成都市, kind amount > count > share/growth, how many facts of the metric
    are cited (`cited`), then the value. `metric_name` is the catalog name.
    """
    w, params = where(f)
    order = """ORDER BY (c.region = '成都市') DESC, CASE c.kind WHEN 'amount' THEN 0 WHEN 'count' THEN 1 ELSE 2 END,
                 t.cited DESC, c.value DESC"""
    sql = f"""
        WITH m AS (
            SELECT c.claim_id, c.metric_id, c.region, c.kind, c.value, {CLAIM_DATE} AS claim_date,
                   count(*) OVER (PARTITION BY c.metric_id) AS cited,
                   row_number() OVER (PARTITION BY c.metric_id ORDER BY {CLAIM_DATE} DESC NULLS LAST,
                                      (c.region = '成都市') DESC, c.value DESC, c.claim_id) AS rn
            FROM claims c WHERE {_facts_of(w)} AND c.metric_id IS NOT NULL AND c.value IS NOT NULL
              AND c.status = 'actual' AND c.kind IN ('amount', 'count', 'share', 'growth')),
        top AS (SELECT * FROM m c WHERE rn = 1 {order.replace("t.cited", "c.cited")} LIMIT ?)
        SELECT {CLAIM_COLUMNS}, t.claim_date, t.cited, coalesce(mt.name_zh, c.metric) AS metric_name,
               mt.name_en AS metric_name_en
        FROM top t JOIN claims c ON c.claim_id = t.claim_id {_JOIN}
        LEFT JOIN metrics mt ON mt.metric_id = c.metric_id {order}"""
    return con.execute(sql, [*params, int(n)]).df()


def latest_articles(con: duckdb.DuckDBPyConnection, f: Filters, n: int = 10) -> pd.DataFrame:
    """The newest articles with claims matching `f`, with their first matching claim id."""
    w, params = where(f)
    sql = f"""
        WITH t AS (
            SELECT c.article_id, any_value(c.doc_id) AS doc_id, any_value(c.published) AS published,
                   count(*) AS n_claims, arg_min(c.claim_id, c."start") AS first_claim
            FROM claims c {w}
            GROUP BY c.article_id ORDER BY published DESC NULLS LAST, c.article_id LIMIT ?)
        SELECT t.article_id, a.title, d.outlet, d.published, t.n_claims, t.first_claim
        FROM t JOIN articles a ON a.article_id = t.article_id JOIN documents d ON d.doc_id = t.doc_id
        ORDER BY d.published DESC NULLS LAST, t.article_id"""
    return con.execute(sql, [*params, int(n)]).df()


def metric_counts(con: duckdb.DuckDBPyConnection, f: Filters) -> pd.DataFrame:
    """The series that can be charted under `f`: one row per metric id, unit and kind.

    Columns: metric_id, metric (catalog name, else the most frequent phrase), name_en, unit,
    kind, n (distinct facts), n_claims (citations), series_docs / series_periods (the most
    documents / periods of one region's line, documents counted only for lines with two or
    more periods), phrases (the metric phrases cited). Most facts first.
    """
    w, params = where(f)
    extra = " AND " if w else " WHERE "
    sql = f"""
        WITH x AS (
            SELECT c.metric_id, coalesce(c.unit, '') AS unit, c.kind, c.metric, c.fact_id
            FROM claims c {w}{extra} c.metric_id IS NOT NULL AND c.value IS NOT NULL),
        line AS (
            SELECT x.metric_id, x.unit, x.kind, count(DISTINCT fa.doc_id) AS docs,
                   count(DISTINCT (fa.period_start, fa.period_end)) AS periods
            FROM (SELECT DISTINCT metric_id, unit, kind, fact_id FROM x) x JOIN facts fa ON fa.fact_id = x.fact_id
            GROUP BY x.metric_id, x.unit, x.kind, fa.region, fa.status),
        best AS (
            SELECT metric_id, unit, kind, coalesce(max(docs) FILTER (WHERE periods >= 2), 0) AS series_docs,
                   max(periods) AS series_periods
            FROM line GROUP BY ALL),
        agg AS (
            SELECT metric_id, unit, kind, count(DISTINCT fact_id) AS n, count(*) AS n_claims,
                   mode(metric) AS phrase, list_sort(list(DISTINCT metric)) AS phrases
            FROM x GROUP BY ALL)
        SELECT agg.metric_id, coalesce(m.name_zh, agg.phrase) AS metric, m.name_en, agg.unit, agg.kind, agg.n,
               agg.n_claims, best.series_docs, best.series_periods, agg.phrases
        FROM agg JOIN best USING (metric_id, unit, kind) LEFT JOIN metrics m ON m.metric_id = agg.metric_id
        ORDER BY agg.n DESC, agg.n_claims DESC, metric, agg.unit, agg.kind"""
    return con.execute(sql, params).df()


def metric_series(con: duckdb.DuckDBPyConnection, f: Filters, metric_id: str, unit: str,
                  kind: str | None = None) -> pd.DataFrame:
    """One point per fact of one metric id, unit (and kind) under `f`, with its plotting date.

    Each row is the fact's representative claim with its citation, `n_citations`, `claim_ids`
    (every claim citing the fact) and `n_docs`. `x_date` is the end of the reference period,
    else the publication date (`date_basis` says which).
    """
    w, params = where(f)
    extra = " AND " if w else " WHERE "
    cond = f"c.metric_id = ? AND coalesce(c.unit, '') = ? AND c.value IS NOT NULL{' AND c.kind = ?' if kind else ''}"
    sql = f"""SELECT {CLAIM_COLUMNS}, fa.claim_ids, fa.n_docs, CAST({CLAIM_DATE} AS DATE) AS x_date,
                     CASE WHEN c.period_end IS NULL THEN 'published' ELSE 'period' END AS date_basis
              FROM (SELECT * FROM claims c WHERE {_facts_of(w + extra + cond)}) c {_JOIN}
              ORDER BY x_date NULLS LAST, c.region, c.claim_id"""
    return con.execute(sql, [*params, metric_id, unit, *([kind] if kind else [])]).df()


def fact_citations(con: duckdb.DuckDBPyConnection, fact_id: str) -> pd.DataFrame:
    """Every claim citing one fact (the fact id is its representative's claim id), earliest first."""
    order = 'ORDER BY c.published NULLS LAST, c.doc_id, c."start"'
    return con.execute(f"SELECT {CLAIM_COLUMNS} {_claims('WHERE c.fact_id = ?')} {order}", [fact_id]).df()


def region_counts(con: duckdb.DuckDBPyConnection, f: Filters) -> pd.DataFrame:
    """Facts per region under `f` (region, n); claims without a region are left out."""
    w, params = where(f)
    extra = " AND " if w else " WHERE "
    return con.execute(f"SELECT c.region, count(DISTINCT c.fact_id) AS n FROM claims c {w}{extra} c.region IS NOT NULL "
                       f"GROUP BY 1 ORDER BY n DESC, c.region", params).df()


def region_latest(con: duckdb.DuckDBPyConnection, f: Filters, metric_id: str, unit: str,
                  kind: str | None = None) -> pd.DataFrame:
    """Per region, the latest fact of one metric id, unit (and kind) under `f` (one row per region),
    actual figures before forecasts and targets."""
    w, params = where(f)
    extra = " AND " if w else " WHERE "
    cond = (f"c.metric_id = ? AND coalesce(c.unit, '') = ? AND c.region IS NOT NULL AND c.value IS NOT NULL"
            f"{' AND c.kind = ?' if kind else ''}")
    sql = f"""SELECT {CLAIM_COLUMNS} FROM (
                SELECT c.claim_id FROM claims c WHERE {_facts_of(w + extra + cond)}
                QUALIFY row_number() OVER (PARTITION BY c.region ORDER BY (c.status = 'actual') DESC,
                                           {CLAIM_DATE} DESC NULLS LAST, c.claim_id) = 1
              ) k JOIN claims c ON c.claim_id = k.claim_id {_JOIN} ORDER BY c.value DESC, c.region"""
    return con.execute(sql, [*params, metric_id, unit, *([kind] if kind else [])]).df()


def claim_source(con: duckdb.DuckDBPyConnection, claim_id: str) -> pd.DataFrame:
    """One claim with what its source page needs: the article text and the sentence's offsets."""
    sql = f"""SELECT {CLAIM_COLUMNS}, s."start" AS sentence_start, s."end" AS sentence_end,
                     a."start" AS article_start, a."end" AS article_end, d.title AS document_title,
                     d.url, d.published_source,
                     substr(d.text, a."start" + 1, a."end" - a."start") AS article_text
              {_claims("WHERE c.claim_id = ?")}"""
    return con.execute(sql, [claim_id]).df()


def article_claims(con: duckdb.DuckDBPyConnection, article_id: str) -> pd.DataFrame:
    """All claims of an article in reading order."""
    return con.execute(f"SELECT {CLAIM_COLUMNS} {_claims('WHERE c.article_id = ?')} ORDER BY c.\"start\"",
                       [article_id]).df()
