"""The dashboard's and the exports' SQL: parameterised queries over the claims tables.

Pure functions of a DuckDB connection and a `Filters` value; no Streamlit here, so the
export command line and the benchmarks run exactly the queries the pages run.
"""
from __future__ import annotations

import datetime as dt
import os
import re
import uuid
from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field, fields
from functools import cache
from typing import TYPE_CHECKING

import duckdb
import pyarrow as pa

from etl.store import sectors

if TYPE_CHECKING:  # pandas only in annotations: a one-file load need not import it (0.2 s)
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
# fact (etl/store/facts.py): metric id, fact id and the number of places citing that fact (a column
# of `claims`, so rows need no join with `facts`).
_BASE_COLUMNS = """
    c.claim_id, c.value, c.unit, c.qualifier, c.kind, c.metric, c.region,
    c.period_start, c.period_end, c.status, c.topic, c.sector, c.sector_code, c.mention,
    a.title AS article_title, d.outlet, d.published, s.text AS sentence,
    c.doc_id, c.article_id, c.sentence_id, c."start", c."end", c.page, c.confidence
"""
CLAIM_COLUMNS = _BASE_COLUMNS.rstrip() + ",\n    c.metric_id, c.fact_id, c.n_citations\n"
_FROM = """
    FROM claims c
    JOIN sentences s ON s.sentence_id = c.sentence_id
    JOIN articles a ON a.article_id = c.article_id
    JOIN documents d ON d.doc_id = c.doc_id
"""


def _join(sentences: str = "sentences") -> str:
    """The citation tables joined to claims `c` as `s`, `a`, `d`; `sentences` names the table
    or relation the sentences come from (their rows already fetched by key)."""
    return f"""
    JOIN {sentences} s ON s.sentence_id = c.sentence_id
    JOIN articles a ON a.article_id = c.article_id
    JOIN documents d ON d.doc_id = c.doc_id
"""


# Filters touch only `claims` (which carries the publication date); the citation tables are
# joined to the claims that pass, so aggregates never join and row queries join few rows.
_JOIN = _join()


def has_facts(con: duckdb.DuckDBPyConnection) -> bool:
    """Whether the database has the fact layer (a database with only the SPEC's minimum tables,
    as other tools may write, still exports its claims)."""
    return bool(con.execute("SELECT count(*) FROM duckdb_columns() WHERE table_name = 'claims' "
                            "AND column_name = 'n_citations'").fetchone()[0])


def _has_table(con: duckdb.DuckDBPyConnection, name: str) -> bool:
    return bool(con.execute("SELECT count(*) FROM duckdb_tables() WHERE table_name = ?", [name]).fetchall()[0][0])


def _claims(w: str) -> str:
    """FROM clause of the claims matching WHERE clause `w`, joined to their citations."""
    return f"FROM (SELECT * FROM claims c {w}) c {_JOIN}"


# Counting facts, not claims. `claims.n_citations` (etl/store/facts.py) is the number of claims citing
# a claim's fact: most facts are cited once, so their claims are their facts and count as rows;
# only the claims of facts cited in several places are told apart by fact id. `_FACT_KEY` is
# NULL for the former and the fact id for the latter, so grouping by it is cheap (one group
# per repeated fact) where count(DISTINCT fact_id) hashes every claim.
_FACT_KEY = "CASE WHEN c.n_citations > 1 THEN c.fact_id END"
_FACTS_IN_GROUP = "CASE WHEN fk IS NULL THEN n ELSE 1 END"


def _and(w: str) -> str:
    return " AND " if w else " WHERE "


def _selected_facts(w: str, cond: str, cols: dict[str, str], materialize: bool = True) -> str:
    """The representative claims of the facts cited by a claim matching `w` and `cond`: a query
    with the columns `cols` ({name: expression over claims `c`}, e.g. `c.rowid` to fetch the
    rows afterwards).

    `cond` may only test what all citations of a fact share (metric id, region, kind, unit,
    status, whether there is a value). A fact repeated in several places is one row; a filter
    that matches any of its citations (a search word, a document, a date) selects it. Claims of
    facts cited once are their own representatives and come straight from the filtered scan;
    the representatives of the others are read from `facts` (or, for row ids, from the claims
    cited more than once). The matching claims are read once (`materialize`, for costly filters
    such as a search) or the scan is repeated (cheaper than storing most claims when the filter
    is light).
    """
    own = ", ".join(f"{e} AS {n}" for n, e in cols.items())
    if "c.rowid" in cols.values():  # row ids only from claims
        reps = f"SELECT {own} FROM claims c WHERE c.n_citations > 1 AND c.claim_id IN (SELECT _f FROM m WHERE _n > 1)"
    else:  # `facts` holds each fact's representative; those cited more than once come first (few blocks)
        on_facts = ", ".join(f"{e.replace('c.claim_id', 'c.fact_id').replace('c.n_citations', 'c.n_claims')} AS {n}"
                             for n, e in cols.items())
        reps = f"SELECT {on_facts} FROM facts c WHERE c.n_claims > 1 AND c.fact_id IN (SELECT _f FROM m WHERE _n > 1)"
    return f"""
        WITH m AS {'' if materialize else 'NOT '}MATERIALIZED (
            SELECT {own}, c.n_citations AS _n, c.fact_id AS _f FROM claims c {w}{_and(w)}{cond})
        SELECT * EXCLUDE (_n, _f) FROM m WHERE _n = 1
        UNION ALL
        {reps}"""


# The date a claim is plotted at: the end of its reference period, else the publication date.
CLAIM_DATE = "coalesce(c.period_end, c.published)"


# What a search scans: tables `search_sentences` (the sentences cited by a claim, a quarter of
# `sentences` at 1.5M claims, sorted by text) and `search_metrics` (the claims' distinct metric
# phrases), written by etl/store/search_index.py. A database without them scans `sentences` and
# every claim's phrase; both give the same claims.
SEARCH_TABLES = ("search_sentences", "search_metrics")


def has_search_index(con: duckdb.DuckDBPyConnection) -> bool:
    return con.execute("SELECT count(*) FROM duckdb_tables() WHERE table_name IN (SELECT unnest(?::VARCHAR[]))",
                       [list(SEARCH_TABLES)]).fetchall()[0][0] == len(SEARCH_TABLES)


def _search_term(indexed: bool) -> str:
    """The test of one search word (two parameters: the word twice) on claim `c`."""
    if indexed:  # the phrase among the matching phrases: as true or false as `contains` (no NULL phrase)
        return ("(c.sentence_key IN (SELECT sentence_key FROM search_sentences WHERE contains(text, ?))"
                " OR coalesce(c.metric, '') IN (SELECT metric FROM search_metrics WHERE contains(metric, ?)))")
    return ("(c.sentence_key IN (SELECT sentence_key FROM sentences WHERE contains(text, ?))"
            " OR contains(coalesce(c.metric, ''), ?))")


def where(f: Filters, indexed: bool = False) -> tuple[str, list]:
    """SQL WHERE clause and parameters for a Filters value; a search scans the search tables
    when `indexed` (see SEARCH_TABLES), else `sentences` (the same claims)."""
    parts: list[str] = []
    params: list = []
    for name, col in (("topic", "c.topic"), ("region", "c.region"), ("kind", "c.kind"),
                      ("status", "c.status"), ("unit", "c.unit"), ("metric", "c.metric"), ("doc", "c.doc_id")):
        values = getattr(f, name)
        if values:
            parts.append(f"{col} IN (SELECT unnest(?::VARCHAR[]))")
            params.append(list(values))
    if f.sector:
        # A sector by code or name takes in all below it (etl/store/sectors.py); a claim without
        # a code (a database written before codes) is matched by its label.
        codes, _ = sectors.filter_codes(f.sector)
        parts.append("(c.sector_code IN (SELECT unnest(?::VARCHAR[]))"
                     " OR (c.sector_code IS NULL AND c.sector IN (SELECT unnest(?::VARCHAR[]))))")
        params += [codes, list(f.sector)]
    if f.since:
        parts.append(f"{CLAIM_DATE} >= ?")
        params.append(f.since)
    if f.until:
        parts.append(f"{CLAIM_DATE} <= ?")
        params.append(f.until)
    for term in f.q.split():
        parts.append(_search_term(indexed))
        params += [term, term]
    return (" WHERE " + " AND ".join(parts)) if parts else "", params


def _where(con: duckdb.DuckDBPyConnection, f: Filters) -> tuple[str, list]:
    """where(f) for the database of `con` (a search scans its search tables when it has them)."""
    return where(f, bool(f.q.split()) and has_search_index(con))


# A constant IN list of at most this many keys is looked up in the primary-key index (DuckDB's
# default index_scan_max_count) rather than scanned for.
MAX_INDEX_KEYS = 2048


def in_params(col: str, n: int) -> str:
    """`col IN (?, ?, ...)` with n parameters (IN (NULL), matching nothing, for none)."""
    return f"{col} IN ({', '.join(['?'] * n) or 'NULL'})"


# DuckDB looks up an IN list in an index on one thread. A long list is split over cursors of
# their own, one per core up to 4, each part at least _KEYS_PER_PART keys: 1,000 claims by id
# at 1M claims took 80-100 ms on one thread, 45-60 ms on two.
_LOOKUP_THREADS = max(1, min(4, os.cpu_count() or 1))
_KEYS_PER_PART = 256


@cache
def _lookup_pool() -> ThreadPoolExecutor:
    return ThreadPoolExecutor(max_workers=max(1, _LOOKUP_THREADS - 1), thread_name_prefix="rongshu-lookup")


def _by_key(con: duckdb.DuckDBPyConnection, table: str, columns: Sequence[str], key: str,
            keys: list) -> pa.Table:
    """The rows (`columns`) of `table` whose primary key `key` is one of `keys` (at most
    MAX_INDEX_KEYS), read through the index, as one Arrow table in no particular order."""
    def sql(k: int) -> str:
        return f"SELECT {', '.join(columns)} FROM {table} WHERE {in_params(key, k)}"

    n = min(_LOOKUP_THREADS, len(keys) // _KEYS_PER_PART)
    if n <= 1:
        return con.sql(sql(len(keys)), params=keys).to_arrow_table()
    size = -(-len(keys) // n)
    parts = [keys[i:i + size] for i in range(0, len(keys), size)]
    catalog = con.execute("SELECT current_database()").fetchall()[0][0].replace('"', '""')

    def fetch(part: list) -> pa.Table:
        cur = con.cursor()  # a connection of its own: one connection runs one query at a time
        try:
            cur.execute(f'USE "{catalog}"')  # a cursor of the dashboard's starts in the in-memory catalog
            return cur.sql(sql(len(part)), params=part).to_arrow_table()
        finally:
            cur.close()

    others = [_lookup_pool().submit(fetch, part) for part in parts[1:]]
    first = con.sql(sql(len(parts[0])), params=parts[0]).to_arrow_table()
    return pa.concat_tables([first, *(f.result() for f in others)])


@contextmanager
def _cited_relations(con: duckdb.DuckDBPyConnection, claim_ids: list[str],
                     columns: Sequence[str]) -> Iterator[tuple[str, str]]:
    """The claims with these ids (at most MAX_INDEX_KEYS; `columns`, sentence_id among them)
    and their sentences (sentence_id, text), each fetched by primary key and registered on
    `con` as an Arrow relation: their names, under names of this call's own (threads may
    share a connection), unregistered on exit."""
    rows = _by_key(con, "claims", columns, "claim_id", claim_ids)
    sids = list(dict.fromkeys(rows.column("sentence_id").to_pylist()))
    sents = _by_key(con, "sentences", ("sentence_id", "text"), "sentence_id", sids)
    names = (f"_cited_{uuid.uuid4().hex}", f"_sents_{uuid.uuid4().hex}")
    for name, table in zip(names, (rows, sents), strict=True):
        con.register(name, table)
    try:
        yield names
    finally:
        for name in names:
            con.unregister(name)


# The claim columns of a cited row: those of CLAIM_COLUMNS and the claim's date (CLAIM_DATE).
_CITED_COLUMNS = tuple(dict.fromkeys([*re.findall(r'\bc\.("?\w+"?)', CLAIM_COLUMNS), "period_end", "published"]))


def _cited_frame(con: duckdb.DuckDBPyConnection, claim_ids: list[str], select: str, order: str) -> pd.DataFrame:
    """`SELECT {select} ... ORDER BY {order}` over the claims `c` with these ids (the columns of
    CLAIM_COLUMNS and CLAIM_DATE) joined to their citations `s`, `a`, `d` as _JOIN joins them.

    The claims a page lists (a series' newest facts, a district's latest) are scattered over
    the table: joining them by row id or id decompresses nearly every block of claims and of
    the sentences' text (210 + 320 ms of CPU for 1,000 rows at 1.5M claims). A constant list
    of ids is looked up in the primary-key index, reading those rows only: the claims' columns
    shown (80 ms for 1,000 rows at 1M claims; every column, 125 ms), then their sentences by id,
    both handed to the citation query as Arrow tables rather than looked up twice.
    """
    ids = list(dict.fromkeys(claim_ids))
    if not ids or len(ids) > MAX_INDEX_KEYS:
        c = "SELECT * FROM claims WHERE claim_id IN (SELECT unnest(?::VARCHAR[]))"
        return con.execute(f"WITH c AS ({c}) SELECT {select} FROM c {_JOIN} ORDER BY {order}", [ids]).df()
    with _cited_relations(con, ids, _CITED_COLUMNS) as (c, s):
        return con.execute(f"SELECT {select} FROM {c} c {_join(s)} ORDER BY {order}").df()


def cited_claims(con: duckdb.DuckDBPyConnection, claim_ids: list[str]) -> pd.DataFrame:
    """The claims with these ids with their citations (CLAIM_COLUMNS and the document's url), in
    no particular order: what a question's answer is chosen from (etl.ask)."""
    return _cited_frame(con, claim_ids, CLAIM_COLUMNS.rstrip() + ", d.url\n", "c.claim_id")


def article_texts(con: duckdb.DuckDBPyConnection, article_ids: list[str]) -> dict[str, str]:
    """The text of each article, its sentences joined in order (title aside): the sentences are
    read for these articles only, where slicing the documents' text would read whole pages
    (19 ms for 30 articles at 1M claims, 70 ms through `documents`)."""
    ids = list(dict.fromkeys(article_ids))
    if not ids:
        return {}
    rows = con.execute("""SELECT article_id, string_agg(text, '' ORDER BY "start") FROM sentences
                          WHERE article_id IN (SELECT unnest(?::VARCHAR[])) GROUP BY 1""", [ids]).fetchall()
    return dict(rows)


def filtered_claims(con: duckdb.DuckDBPyConnection, f: Filters, limit: int | None = None) -> pd.DataFrame:
    """One row per claim matching `f`, with its citation (and its fact's `n_citations`), newest first."""
    w, params = _where(con, f)
    cols = CLAIM_COLUMNS if has_facts(con) else _BASE_COLUMNS
    order = 'ORDER BY c.published DESC NULLS LAST, c.doc_id, c."start"'
    if not limit:
        sql = f"SELECT {cols} FROM (SELECT * FROM claims c {w}) c {_JOIN} {order}"
        return con.execute(sql, params).df()
    # The first rows by their sort keys alone, then those rows (joined by row id: a page of the
    # newest rows is often a few blocks) and their sentences by primary key (the sentences'
    # text, joined, was most of the time: 310 ms of CPU for 1,000 rows at 1.5M claims). Row ids
    # are stable while the database is open read-only, as the dashboard opens it.
    keys = con.execute(f"SELECT c.rowid, c.sentence_id FROM claims c {w} {order} LIMIT ?",
                       [*params, int(limit)]).fetchall()
    sids = list(dict.fromkeys(k[1] for k in keys))
    rows = [[k[0] for k in keys]]

    def sql(join: str) -> str:
        return f"SELECT {cols} FROM (SELECT unnest(?::BIGINT[]) AS r) k JOIN claims c ON c.rowid = k.r {join} {order}"

    if not 0 < len(sids) <= MAX_INDEX_KEYS:
        return con.execute(sql(_JOIN), rows).df()
    # The sentences in a materialized CTE of the same query: 30 ms faster than fetched apart (_by_key).
    return con.execute(f"WITH s AS MATERIALIZED (SELECT sentence_id, text FROM sentences WHERE "
                       f"{in_params('sentence_id', len(sids))}) " + sql(_join("s")), [*sids, *rows]).df()


def count_claims(con: duckdb.DuckDBPyConnection, f: Filters) -> int:
    w, params = _where(con, f)
    return int(con.execute(f"SELECT count(*) FROM claims c {w}", params).fetchone()[0])


def _all_facts(con: duckdb.DuckDBPyConnection, f: Filters) -> bool:
    """Whether `f` selects every claim of a database with table `facts` (one row per fact, with
    its representative claim's columns): counting its rows then counts every fact, without
    grouping 1.5M claims by fact id (50-150 ms)."""
    return f.is_empty() and _has_table(con, "facts")


def count_facts(con: duckdb.DuckDBPyConnection, f: Filters) -> int:
    """Distinct facts among the claims matching `f` (a figure repeated in several places counts once)."""
    if _all_facts(con, f):
        return int(con.execute("SELECT count(*) FROM facts").fetchall()[0][0])
    w, params = _where(con, f)
    sql = f"""SELECT coalesce(sum({_FACTS_IN_GROUP}), 0) FROM (
                  SELECT {_FACT_KEY} AS fk, count(*) AS n FROM claims c {w} GROUP BY 1)"""
    return int(con.execute(sql, params).fetchone()[0])


# ---------------------------------------------------------------------------------------------
# Dashboard queries (pages call these through ui.db.run, which caches per database version).

VOCAB_COLUMNS = ("topic", "sector", "region", "kind", "status", "unit", "metric")


def vocabulary(con: duckdb.DuckDBPyConnection) -> dict[str, tuple[str, ...]]:
    """Distinct non-null values of the filterable columns, most frequent first (for `sector`: the
    sector codes of the taxonomy that hold claims, in the tree's order)."""
    out: dict[str, tuple[str, ...]] = {}
    for col in VOCAB_COLUMNS:
        if col == "sector":
            out[col] = tuple(code for code, _ in sectors.tree(sector_counts(con)))
            continue
        rows = con.execute(f"SELECT {col} FROM claims WHERE {col} IS NOT NULL AND {col} <> '' "
                           f"GROUP BY 1 ORDER BY count(*) DESC, 1").fetchall()
        out[col] = tuple(r[0] for r in rows)
    return out


def sector_counts(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    """Claims under each sector of the taxonomy (a sector counts the claims of all below it),
    for the sectors that hold any."""
    rows = con.execute("SELECT sector_code, count(*) FROM claims WHERE sector_code IS NOT NULL GROUP BY 1").fetchall()
    return sectors.rollup(dict(rows))


def totals(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    """Row counts of the main tables."""
    row = con.execute("""SELECT (SELECT count(*) FROM documents), (SELECT count(*) FROM articles),
                                (SELECT count(*) FROM sentences), (SELECT count(*) FROM claims)""").fetchone()
    return dict(zip(("documents", "articles", "sentences", "claims"), map(int, row), strict=True))


def topic_counts(con: duckdb.DuckDBPyConnection, f: Filters) -> pd.DataFrame:
    """Facts per topic under `f` (topic, n), largest first: a figure repeated in several places
    counts once, under its representative claim's topic (else its first matching citation's)."""
    if _all_facts(con, f):
        return con.execute("SELECT coalesce(topic, '') AS topic, count(*)::BIGINT AS n FROM facts "
                           "GROUP BY 1 ORDER BY n DESC, topic").df()
    w, params = _where(con, f)
    return con.execute(f"""
        WITH g AS (
            SELECT coalesce(c.topic, '') AS topic, {_FACT_KEY} AS fk, count(*) AS n,
                   bool_or(c.claim_id = c.fact_id) AS has_rep, min(c.claim_id) AS first_claim
            FROM claims c {w} GROUP BY 1, 2)
        SELECT topic, sum(n)::BIGINT AS n FROM (
            SELECT topic, n FROM g WHERE fk IS NULL
            UNION ALL
            SELECT first(topic ORDER BY has_rep DESC, first_claim), 1 FROM g WHERE fk IS NOT NULL GROUP BY fk)
        GROUP BY 1 ORDER BY n DESC, topic""", params).df()


def headline_picks_sql(w: str = "", materialize: bool = False) -> str:
    """Per metric id, the newest actual fact among those cited by a claim matching WHERE clause
    `w` (its representative claim_id, region, kind, value, claim_date) and `cited`, its number
    of such facts. etl/store/facts.py stores it for the whole database in table `metric_headline`.

    Per metric: its number of facts and newest date, then among its facts of that date the
    city's first, the largest value, the smallest claim id (no window over every claim).
    """
    cond = ("c.metric_id IS NOT NULL AND c.value IS NOT NULL AND c.status = 'actual' "
            "AND c.kind IN ('amount', 'count', 'share', 'growth')")
    facts = _selected_facts(w, cond, {"claim_id": "c.claim_id", "metric_id": "c.metric_id",
                                      "region": "c.region", "kind": "c.kind", "value": "c.value",
                                      "d": f"coalesce({CLAIM_DATE}, DATE '0001-01-01')"}, materialize=materialize)
    return f"""
        WITH sel AS ({facts}),
        per AS (SELECT metric_id, count(*) AS cited, max(d) AS d FROM sel GROUP BY 1)
        SELECT s.metric_id, s.claim_id, s.region, s.kind, s.value, p.cited,
               CAST(nullif(s.d, DATE '0001-01-01') AS DATE) AS claim_date
        FROM sel s JOIN per p ON p.metric_id = s.metric_id AND p.d = s.d
        QUALIFY row_number() OVER (PARTITION BY s.metric_id ORDER BY (s.region = '成都市') DESC, s.value DESC,
                                   s.claim_id) = 1"""


def headline_claims(con: duckdb.DuckDBPyConnection, f: Filters, n: int = 6) -> pd.DataFrame:
    """The latest actual figure of the most cited metrics: amounts and counts for the city first.

    One row per metric id (its newest fact by reference date, as its representative claim),
    ranked by: region 成都市, kind amount > count > share/growth, how many facts of the metric
    are cited (`cited`), then the value. `metric_name` is the catalog name. Without filters
    the candidates are table `metric_headline`, computed by the ETL.
    """
    if f.is_empty() and _has_table(con, "metric_headline"):
        picks, params = "SELECT * FROM metric_headline", []
    else:
        w, params = _where(con, f)
        picks = headline_picks_sql(w, materialize=bool(f.q))
    order = """ORDER BY (c.region = '成都市') DESC, CASE c.kind WHEN 'amount' THEN 0 WHEN 'count' THEN 1 ELSE 2 END,
                 t.cited DESC, c.value DESC, c.claim_id"""
    sql = f"""
        WITH top AS (SELECT * FROM ({picks}) c {order.replace("t.cited", "c.cited")} LIMIT ?)
        SELECT {CLAIM_COLUMNS}, t.claim_date, t.cited, coalesce(mt.name_zh, c.metric) AS metric_name,
               mt.name_en AS metric_name_en
        FROM top t JOIN claims c ON c.claim_id = t.claim_id {_JOIN}
        LEFT JOIN metrics mt ON mt.metric_id = c.metric_id {order}"""
    return con.execute(sql, [*params, int(n)]).df()


def latest_articles(con: duckdb.DuckDBPyConnection, f: Filters, n: int = 10) -> pd.DataFrame:
    """The newest articles with claims matching `f`, with their first matching claim id.

    An article's claims share its publication date, so the `n` newest articles were published
    on one of the `n` latest dates with a matching claim: only the claims of those dates are
    grouped by article (undated articles come last, when fewer than `n` are dated).
    """
    w, params = _where(con, f)
    sql = f"""
        WITH m AS {'' if f.q else 'NOT '}MATERIALIZED (
            SELECT c.article_id, c.doc_id, c.published, c.claim_id, c."start" FROM claims c {w}),
        days AS (SELECT DISTINCT published FROM m ORDER BY published DESC NULLS LAST LIMIT ?),
        t AS (
            SELECT m.article_id, any_value(m.doc_id) AS doc_id, any_value(m.published) AS published,
                   count(*) AS n_claims, arg_min(m.claim_id, m."start") AS first_claim
            FROM m WHERE m.published >= (SELECT min(published) FROM days)
                      OR (m.published IS NULL AND (SELECT count(*) FILTER (WHERE published IS NULL) FROM days) > 0)
            GROUP BY m.article_id ORDER BY published DESC NULLS LAST, m.article_id LIMIT ?)
        SELECT t.article_id, a.title, d.outlet, d.published, t.n_claims, t.first_claim
        FROM t JOIN articles a ON a.article_id = t.article_id JOIN documents d ON d.doc_id = t.doc_id
        ORDER BY d.published DESC NULLS LAST, t.article_id"""
    return con.execute(sql, [*params, int(n), int(n)]).df()


# A reference period as one number (a missing bound is -1), cheaper to count distinct than a pair.
_PERIOD_KEY = ("coalesce(period_start - DATE '0001-01-01', -1) * 1000000"
               " + coalesce(period_end - DATE '0001-01-01', -1)")


def metric_counts_sql(w: str = "", materialize: bool = False) -> str:
    """SQL of `metric_counts` for WHERE clause `w` over claims `c` (etl/store/facts.py stores its
    result for the whole database in table `metric_counts`); `materialize` the matching claims
    when the filter is costly (a search)."""
    return f"""
        WITH x AS {'' if materialize else 'NOT '}MATERIALIZED (
            SELECT c.metric_id, coalesce(c.unit, '') AS unit, c.kind, c.region, c.status, c.metric, c.doc_id,
                   c.period_start, c.period_end, c.n_citations, c.fact_id
            FROM claims c {w}{_and(w)} c.metric_id IS NOT NULL AND c.value IS NOT NULL),
        fx AS (  -- one row per fact: its line (region, status), document and period
            SELECT metric_id, unit, kind, region, status, doc_id, period_start, period_end FROM x WHERE n_citations = 1
            UNION ALL
            SELECT metric_id, coalesce(unit, ''), kind, region, status, doc_id, period_start, period_end FROM facts
            WHERE n_claims > 1 AND fact_id IN (SELECT fact_id FROM x WHERE n_citations > 1)),
        line AS (
            -- list_unique(list(x)) = count(DISTINCT x), 1.3x faster for these many small groups
            SELECT metric_id, unit, kind, count(*) AS n, list_unique(list(doc_id)) AS docs,
                   list_unique(list({_PERIOD_KEY})) AS periods
            FROM fx GROUP BY metric_id, unit, kind, region, status),
        best AS (
            SELECT metric_id, unit, kind, sum(n) AS n, coalesce(max(docs) FILTER (WHERE periods >= 2), 0) AS series_docs,
                   max(periods) AS series_periods
            FROM line GROUP BY ALL),
        ph AS (SELECT metric_id, unit, kind, metric, count(*) AS k FROM x GROUP BY ALL),
        {_PHRASES_AGG}"""


# The end of metric_counts: from `best` (n, series_docs, series_periods per metric id, unit,
# kind) and `ph` (k claims per phrase), the most frequent phrase (ties: the first) and the list.
_PHRASES_AGG = """agg AS (
            SELECT metric_id, unit, kind, sum(k) AS n_claims,
                   arg_max(metric, (k, -rank)) FILTER (WHERE metric IS NOT NULL) AS phrase, list_sort(list(metric)) AS phrases
            FROM (SELECT *, rank() OVER (PARTITION BY metric_id, unit, kind ORDER BY metric NULLS LAST) AS rank FROM ph)
            GROUP BY ALL)
        SELECT agg.metric_id, coalesce(m.name_zh, agg.phrase) AS metric, m.name_en, agg.unit, agg.kind,
               best.n::BIGINT AS n, agg.n_claims::BIGINT AS n_claims, best.series_docs::BIGINT AS series_docs,
               best.series_periods::BIGINT AS series_periods, agg.phrases
        FROM agg JOIN best USING (metric_id, unit, kind) LEFT JOIN metrics m ON m.metric_id = agg.metric_id
        ORDER BY n DESC, n_claims DESC, metric, agg.unit, agg.kind"""


def metric_counts(con: duckdb.DuckDBPyConnection, f: Filters) -> pd.DataFrame:
    """The series that can be charted under `f`: one row per metric id, unit and kind.

    Columns: metric_id, metric (catalog name, else the most frequent phrase), name_en, unit,
    kind, n (distinct facts), n_claims (citations), series_docs / series_periods (the most
    documents / periods of one region's line, documents counted only for lines with two or
    more periods), phrases (the metric phrases cited). Most facts first. Without filters this
    is table `metric_counts`, computed by the ETL.
    """
    if f.is_empty() and _has_table(con, "metric_counts"):
        return con.execute("SELECT * FROM metric_counts ORDER BY n DESC, n_claims DESC, metric, unit, kind").df()
    if _line_filters_only(f) and _has_table(con, "metric_lines"):
        return _metric_counts_of_lines(con, f)
    w, params = _where(con, f)
    return con.execute(metric_counts_sql(w, materialize=bool(f.q)), params).df()


# Filters on what all citations of a fact share: they select whole lines (metric id, unit, kind,
# region, status) of the tables `metric_lines` / `metric_phrases` (etl/store/facts.py).
_LINE_FILTERS = ("region", "kind", "status", "unit")


def _line_filters_only(f: Filters) -> bool:
    return (not f.is_empty() and "" not in f.unit
            and all(not getattr(f, x.name) for x in fields(f) if x.name not in _LINE_FILTERS))


def _metric_counts_of_lines(con: duckdb.DuckDBPyConnection, f: Filters) -> pd.DataFrame:
    """metric_counts for filters on region, kind, status and unit only, from the per-line tables."""
    parts, params = [], []
    for name in _LINE_FILTERS:
        if getattr(f, name):
            parts.append(f"{name} IN (SELECT unnest(?::VARCHAR[]))")
            params.append(list(getattr(f, name)))
    return con.execute(metric_counts_of_lines_sql(" WHERE " + " AND ".join(parts)), params + params).df()


def metric_counts_of_lines_sql(w: str) -> str:
    """SQL of metric_counts from the per-line tables (`c`), for WHERE clause `w` selecting whole
    lines (its parameters are needed twice); etl/store/facts.py stores it without a filter."""
    return f"""
        WITH best AS (
            SELECT metric_id, unit, kind, sum(n_facts) AS n,
                   coalesce(max(docs) FILTER (WHERE periods >= 2), 0) AS series_docs, max(periods) AS series_periods
            FROM metric_lines c {w} GROUP BY ALL),
        ph AS (SELECT metric_id, unit, kind, metric, sum(n_claims) AS k FROM metric_phrases c {w} GROUP BY ALL),
        {_PHRASES_AGG}"""


def _series_cond(region: bool = False, kind: str | None = None) -> str:
    return (f"c.metric_id = ? AND coalesce(c.unit, '') = ? AND c.value IS NOT NULL"
            f"{' AND c.region IS NOT NULL' if region else ''}{' AND c.kind = ?' if kind else ''}")


# What a chart point carries: the fact's representative claim (no citation text; the page loads
# the sentences of a clicked point with fact_citations).
SERIES_COLUMNS = {
    "claim_id": "c.claim_id", "fact_id": "c.fact_id", "value": "c.value", "unit": "c.unit", "qualifier": "c.qualifier",
    "kind": "c.kind", "metric": "c.metric", "region": "c.region", "period_start": "c.period_start",
    "period_end": "c.period_end", "status": "c.status", "published": "c.published", "doc_id": "c.doc_id",
    "n_citations": "c.n_citations",
}


def metric_series(con: duckdb.DuckDBPyConnection, f: Filters, metric_id: str, unit: str,
                  kind: str | None = None) -> pd.DataFrame:
    """One point per fact of one metric id, unit (and kind) under `f`, with its plotting date.

    Each row is the fact's representative claim: the columns of SERIES_COLUMNS (no sentence:
    fact_citations lists a point's citations), `n_citations` and `n_docs` (the places and
    documents citing it). `x_date` is the end of the reference period, else the publication
    date (`date_basis` says which).
    """
    w, params = _where(con, f)
    facts = _selected_facts(w, _series_cond(kind=kind), SERIES_COLUMNS)
    sql = f"""SELECT p.*, coalesce(fa.n_docs, 1) AS n_docs, CAST(coalesce(p.period_end, p.published) AS DATE) AS x_date,
                     CASE WHEN p.period_end IS NULL THEN 'published' ELSE 'period' END AS date_basis
              FROM ({facts}) p LEFT JOIN (SELECT fact_id, n_docs FROM facts WHERE n_claims > 1) fa
                   ON fa.fact_id = p.fact_id
              ORDER BY x_date NULLS LAST, p.region, p.claim_id"""
    return _arrow_frame(con, sql, [*params, metric_id, unit, *([kind] if kind else [])])


def _arrow_frame(con: duckdb.DuckDBPyConnection, sql: str, params: list) -> pd.DataFrame:
    """A large result as a DataFrame through Arrow (about twice as fast as `.df()` for tens of
    thousands of rows with text; dates become datetime64 as with `.df()`)."""
    return con.sql(sql, params=params).to_arrow_table().to_pandas(date_as_object=False)


def series_claims(con: duckdb.DuckDBPyConnection, f: Filters, metric_id: str, unit: str,
                  kind: str | None = None, limit: int = 500) -> pd.DataFrame:
    """The newest `limit` points of metric_series (by x_date) with their citation: claim rows
    of the fact's representatives (CLAIM_COLUMNS) and `x_date`."""
    w, params = _where(con, f)
    # The representatives of facts cited several times from `facts` (their columns are those of
    # the representative claim), not by scanning the claims for their ids.
    facts = _selected_facts(w, _series_cond(kind=kind), {"claim_id": "c.claim_id", "d": CLAIM_DATE,
                                                         "region": "c.region"})
    ids = con.execute(f"SELECT claim_id FROM ({facts}) c ORDER BY d DESC NULLS LAST, region, claim_id LIMIT ?",
                      [*params, metric_id, unit, *([kind] if kind else []), int(limit)]).fetchall()
    # A representative's date is its own: x_date is that of the claim row.
    return _cited_frame(con, [r[0] for r in ids], f"{CLAIM_COLUMNS}, CAST({CLAIM_DATE} AS DATE) AS x_date",
                        "x_date DESC NULLS LAST, c.region, c.claim_id")


def check_citations(con: duckdb.DuckDBPyConnection, check_ids: tuple[str, ...]) -> pd.DataFrame:
    """Every claim of the given checks (the rows of ui.fact_queries.CITATIONS_SQL: check_id, pos,
    claim_id, fact_id, mention, metric, region, sentence, article_title, outlet, published), in
    the checks' order.

    The checks' claim ids, then those claims, then their sentences, each by primary key (see
    _cited): the query joining them scanned claims and the sentences' text (206 ms at 1.5M
    claims, 1,040 citations of 500 checks).
    """
    x = con.execute("""SELECT check_id, unnest(claim_ids) AS claim_id, generate_subscripts(claim_ids, 1) AS pos
                       FROM checks WHERE check_id IN (SELECT unnest(?::VARCHAR[]))""", [list(check_ids)]).fetchall()
    ids = list(dict.fromkeys(r[1] for r in x))
    xs = [list(v) for v in zip(*x, strict=True)] if x else [[], [], []]
    names = ("claim_id", "fact_id", "mention", "metric", "region", "sentence_id", "article_id", "doc_id")

    def sql(c: str, s: str) -> str:
        return f"""WITH c AS ({c}), s AS ({s}),
                   x AS (SELECT unnest(?::VARCHAR[]) AS check_id, unnest(?::VARCHAR[]) AS claim_id,
                                unnest(?::BIGINT[]) AS pos)
              SELECT x.check_id, x.pos, c.claim_id, c.fact_id, c.mention, c.metric, c.region, s.text AS sentence,
                     a.title AS article_title, d.outlet, d.published
              FROM x JOIN c ON c.claim_id = x.claim_id {_join("s")}
              ORDER BY x.check_id, x.pos"""

    if not 0 < len(ids) <= MAX_INDEX_KEYS:
        c = f"SELECT {', '.join(names)} FROM claims WHERE claim_id IN (SELECT unnest(?::VARCHAR[]))"
        return con.execute(sql(c, "SELECT sentence_id, text FROM sentences"), [ids, *xs]).df()
    with _cited_relations(con, ids, names) as (c, s):
        return con.execute(sql(f"SELECT * FROM {c}", f"SELECT * FROM {s}"), xs).df()


def fact_citations(con: duckdb.DuckDBPyConnection, fact_id: str) -> pd.DataFrame:
    """Every claim citing one fact (the fact id is its representative's claim id), earliest first."""
    order = 'ORDER BY c.published NULLS LAST, c.doc_id, c."start"'
    # Its claim ids from `facts`, then each claim by primary key: an index lookup per claim, and
    # the planner knows that the citation tables are joined to a handful of rows.
    row = con.execute("SELECT claim_ids FROM facts WHERE fact_id = ?", [fact_id]).fetchone()
    ids = list(row[0]) if row and row[0] else []
    if not 0 < len(ids) <= _MAX_LOOKUPS:
        return con.execute(f"SELECT {CLAIM_COLUMNS} {_claims('WHERE c.fact_id = ?')} {order}", [fact_id]).df()
    return con.execute(f"SELECT {CLAIM_COLUMNS} FROM ({_by_ids(len(ids))}) c {_JOIN} {order}", ids).df()


_MAX_LOOKUPS = 64


def _by_ids(n: int) -> str:
    """Claims with `n` given claim ids (parameters), one primary-key lookup each."""
    return " UNION ALL ".join(["SELECT * FROM claims WHERE claim_id = ?"] * n)


def year_counts(con: duckdb.DuckDBPyConnection, f: Filters) -> pd.DataFrame:
    """Claims per year of their period's end (the publication date when the period is unknown)
    under `f` (year, n), earliest first."""
    w, params = _where(con, f)
    return con.execute(f"SELECT year({CLAIM_DATE})::INTEGER AS year, count(*)::BIGINT AS n FROM claims c {w}"
                       f"{_and(w)} {CLAIM_DATE} IS NOT NULL GROUP BY 1 ORDER BY 1", params).df()


def region_counts(con: duckdb.DuckDBPyConnection, f: Filters) -> pd.DataFrame:
    """Facts per region under `f` (region, n); claims without a region are left out (all the
    citations of a fact share its region)."""
    if _all_facts(con, f):
        return con.execute("SELECT region, count(*)::BIGINT AS n FROM facts WHERE region IS NOT NULL "
                           "GROUP BY 1 ORDER BY n DESC, region").df()
    w, params = _where(con, f)
    return con.execute(f"""
        SELECT region, sum({_FACTS_IN_GROUP})::BIGINT AS n FROM (
            SELECT c.region, {_FACT_KEY} AS fk, count(*) AS n FROM claims c {w}{_and(w)} c.region IS NOT NULL GROUP BY 1, 2)
        GROUP BY 1 ORDER BY n DESC, region""", params).df()


def region_latest(con: duckdb.DuckDBPyConnection, f: Filters, metric_id: str, unit: str,
                  kind: str | None = None) -> pd.DataFrame:
    """Per region, the latest fact of one metric id, unit (and kind) under `f` (one row per region),
    actual figures before forecasts and targets."""
    w, params = _where(con, f)
    facts = _selected_facts(w, _series_cond(region=True, kind=kind), {"claim_id": "c.claim_id", "region": "c.region",
                                                                      "status": "c.status", "d": CLAIM_DATE})
    picks = con.execute(f"""SELECT claim_id FROM ({facts})
                            QUALIFY row_number() OVER (PARTITION BY region ORDER BY (status = 'actual') DESC,
                                                       d DESC NULLS LAST, claim_id) = 1""",
                        [*params, metric_id, unit, *([kind] if kind else [])]).fetchall()
    return _cited_frame(con, [r[0] for r in picks], CLAIM_COLUMNS, "c.value DESC, c.region")


def claim_source(con: duckdb.DuckDBPyConnection, claim_id: str) -> pd.DataFrame:
    """One claim with what its source page needs: the article text and the sentence's offsets."""
    sql = f"""SELECT {CLAIM_COLUMNS}, s."start" AS sentence_start, s."end" AS sentence_end,
                     a."start" AS article_start, a."end" AS article_end, d.title AS document_title,
                     d.url, d.published_source, c.bbox, d.source_kind, d.source, d.pages AS n_pages,
                     substr(d.text, a."start" + 1, a."end" - a."start") AS article_text
              {_claims("WHERE c.claim_id = ?")}"""
    return con.execute(sql, [claim_id]).df()


def page_image(con: duckdb.DuckDBPyConnection, doc_id: str, page: int) -> bytes | None:
    """The rendered page (JPEG) of a PDF or image input, or None."""
    row = con.execute("SELECT image FROM page_images WHERE doc_id = ? AND page = ?", [doc_id, int(page)]).fetchone()
    return bytes(row[0]) if row else None


def article_claims(con: duckdb.DuckDBPyConnection, article_id: str) -> pd.DataFrame:
    """All claims of an article in reading order."""
    return con.execute(f"SELECT {CLAIM_COLUMNS} {_claims('WHERE c.article_id = ?')} ORDER BY c.\"start\"",
                       [article_id]).df()
