"""Facts over the whole database: metric ids, duplicate merging, series and fact checks.

`derive(con)` runs inside the ETL's write transaction, after the rows are inserted:

1. `claims.metric_id`: the catalog id of the claim's metric phrase (etl/store/catalog.py), else an id
   derived from its text. Within an article, a figure repeated with a vaguer phrase (a headline's
   "总量达389.12万户" beside "经营主体总量达389.12万户") takes the id of the fuller phrase.
2. `claims.fact_id`: claims stating the same fact (same metric_id, region, kind, unit, status,
   value within the rounding of the printed digits, and period) share one fact id, the id of the
   representative claim (earliest published, then with a stated period, then first in the text).
   A claim whose period is only its publication month joins a fact of its own document whose
   period is stated. Every claim has a fact id; a lone claim's is its own claim id.
   `claims.n_citations` is the number of claims sharing the claim's fact id (1 for most).
3. Tables `metrics` (catalog plus derived ids), `facts` (one row per fact with all its citations),
   view `series` (metric_id + region with facts at two or more periods), `metric_counts`,
   `metric_lines`, `metric_phrases`, `metric_headline` (what the dashboard shows without
   filters, precomputed) and `checks`.

Grouping runs in SQL; only the candidates of each check (articles with a list cue, sentences
with a share, series with a growth rate, catalog metrics with two facts for one period) come
to Python, and pairwise work stays within a sentence, a document or a series.
"""
from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterable, Iterator

import duckdb
import pyarrow as pa

from etl.store import checks as ck
from etl.store.catalog import catalog, first_place_word, normalize
from etl.store.queries import MAX_INDEX_KEYS, headline_picks_sql, in_params, metric_counts_of_lines_sql

# Unit of the last printed digit, in the value's base unit (1e8 for 1140亿元, 0.1 for 71.3%).
_STEP = r"""(CASE WHEN num IS NULL OR num = 0
     THEN (CASE WHEN abs(value) >= 100 THEN pow(10, floor(log10(abs(value)))) ELSE 1 END)
     ELSE abs(value) / num * pow(10, -decimals) END)"""
_NUM = r"""TRY_CAST(regexp_extract(mention, '(\d+)(?:\.(\d+))?', 0) AS DOUBLE) AS num,
           length(regexp_extract(mention, '(\d+)(?:\.(\d+))?', 2)) AS decimals"""
# The period is unknown or only the publication month (no period stated in the text).
_FALLBACK = """(period_end IS NULL OR period_start IS NULL
     OR coalesce(period_start = period_end AND period_end = last_day(published), false))"""

_SCHEMA = """
CREATE TABLE IF NOT EXISTS metrics (
    metric_id VARCHAR PRIMARY KEY, name_zh VARCHAR, name_en VARCHAR, unit VARCHAR, topic VARCHAR,
    synonyms VARCHAR[], source VARCHAR, n_claims INTEGER);
CREATE TABLE IF NOT EXISTS checks (
    check_id VARCHAR, kind VARCHAR, status VARCHAR, detail VARCHAR, claim_ids VARCHAR[],
    fact_ids VARCHAR[]);
-- Every check as one group of claims found it (a sum per article, a share per document, growth
-- and conflicts per metric): `checks` merges them per check_id. An increment recomputes only
-- the groups it touches and re-merges their check ids.
CREATE TABLE IF NOT EXISTS check_parts (
    kind VARCHAR, key VARCHAR, doc_id VARCHAR, check_id VARCHAR, check_kind VARCHAR, status VARCHAR,
    detail VARCHAR, claim_ids VARCHAR[]);
-- The metric of the whole each document's shares are of: a new figure of that metric may be
-- the total a share is checked against.
CREATE TABLE IF NOT EXISTS share_wholes (
    doc_id VARCHAR, metric_id VARCHAR, region VARCHAR, period_start DATE, period_end DATE);
"""
# Tables `derive` rebuilds from nothing in a full pass (`metrics`, `checks`, `check_parts`,
# `share_wholes` are emptied, the rest recreated).
_DERIVED = ("metrics", "checks", "check_parts", "share_wholes", "facts", "metric_counts", "metric_headline",
            "metric_lines", "metric_phrases")
# A claim's line: claims share a fact only within one (metric id, region, kind, unit, status);
# claims without a metric id only within their article. (SQL expression, column name.)
_LINE_PARTS = (("coalesce({a}metric_id, '∅' || {a}article_id)", "mid"), ("coalesce({a}region, '∅')", "region"),
               ("coalesce({a}kind, '')", "kind"), ("coalesce({a}unit, '')", "unit"),
               ("coalesce({a}status, '')", "status"))
_LINE = ", ".join(f"{e.format(a='')} AS {n}" for e, n in _LINE_PARTS)
_LINE_JOIN = " AND ".join(f"{e.format(a='c.')} = l.{n}" for e, n in _LINE_PARTS)

# The claims of the lines in `_lines` (first narrowed to their partitions, a cheap column filter).
_IN_LINES = f"""(SELECT c.* FROM (
    SELECT * FROM claims WHERE metric_id IN (SELECT mid FROM _lines)
    UNION ALL
    SELECT * FROM claims WHERE metric_id IS NULL AND article_id IN (SELECT substr(mid, 2) FROM _lines)) c
    SEMI JOIN _lines l ON {_LINE_JOIN})"""

# Value groups: a line's claims sorted by value, cut where two neighbours differ by more than
# half the larger rounding step. Claims share a fact only within a value group, and a group
# changes only next to a changed claim, so an increment re-groups only the groups of its
# claims' neighbours (`_SCOPE_SQL`). `claims.value_group` is the group's first claim id.
_FACT_IDS_SQL = """
CREATE OR REPLACE TEMP TABLE _fact_ids AS
WITH b AS (
    SELECT claim_id, doc_id, "start", published, value, {line},
           {fallback} AS fallback,
           coalesce(strftime(period_start, '%Y-%m-%d'), '?') || '/' || coalesce(strftime(period_end, '%Y-%m-%d'), '?')
               AS pk,
           {step} AS step
    FROM (SELECT c.*, {num} FROM {source} c WHERE c.value IS NOT NULL)),
l AS (
    SELECT *, lag(value) OVER w AS prev_value, lag(step) OVER w AS prev_step
    FROM b WINDOW w AS (PARTITION BY mid, region, kind, unit, status ORDER BY value, claim_id)),
v AS (
    SELECT *, sum(CASE WHEN prev_value IS NOT NULL AND value - prev_value <= greatest(step, prev_step) / 2 * (1 + 1e-9)
                       THEN 0 ELSE 1 END)
                  OVER (PARTITION BY mid, region, kind, unit, status ORDER BY value, claim_id ROWS UNBOUNDED PRECEDING)
                  AS vc
    FROM l),
st AS (
    SELECT doc_id, mid, region, kind, unit, status, vc, any_value(pk) AS doc_pk
    FROM v WHERE NOT fallback GROUP BY ALL HAVING count(DISTINCT pk) = 1),
p AS (
    SELECT v.*, CASE WHEN v.fallback AND st.doc_pk IS NOT NULL THEN st.doc_pk
                     WHEN v.fallback THEN 'fb:' || v.pk ELSE v.pk END AS pk2
    FROM v LEFT JOIN st USING (doc_id, mid, region, kind, unit, status, vc))
SELECT claim_id, first_value(claim_id) OVER (
    PARTITION BY mid, region, kind, unit, status, vc, pk2
    ORDER BY published NULLS LAST, fallback, doc_id, "start", claim_id) AS fact_id,
    count(*) OVER (PARTITION BY mid, region, kind, unit, status, vc, pk2) AS n_citations,
    first_value(claim_id) OVER (PARTITION BY mid, region, kind, unit, status, vc ORDER BY value, claim_id)
        AS value_group
FROM p
"""


def _fact_ids_sql(source: str) -> str:
    """_FACT_IDS_SQL over the claims `source` (a table expression) selects."""
    return _FACT_IDS_SQL.format(line=_LINE, fallback=_FALLBACK, step=_STEP, num=_NUM, source=source)


# The claims an increment forms value groups and fact ids for again (temp table `_scoped`, the
# columns both steps read): the changed documents' claims, and the old groups of the touched
# lines that hold the nearest neighbours by value (below and above) of a new claim, or a
# deleted claim. Every other group keeps its members: inserting a claim only narrows the gaps
# beside it, deleting one only widens them. Neighbours are found among the groups' lowest
# values (the group at or below a new value, and the next one up).
_SCOPED_COLUMNS = ", ".join(f"c.{k}" for k in ("claim_id", "doc_id", "article_id", '"start"', "published", "value",
                                                 "mention", "metric_id", "region", "kind", "unit", "status",
                                                 "period_start", "period_end", "fact_id", "n_citations", "value_group"))
_SAME_LINE = " AND ".join(f"i.l_{n} = g.l_{n}" for _, n in _LINE_PARTS)
_SCOPE_SQL = f"""
CREATE OR REPLACE TEMP TABLE _scoped AS
WITH lc AS MATERIALIZED (  -- the columns both steps read, in one scan: the lines' claims are scattered
    SELECT {_SCOPED_COLUMNS}, c.doc_id IN (SELECT doc_id FROM _changed_docs) AS new,
           {", ".join(f"{e.format(a='c.')} AS l_{n}" for e, n in _LINE_PARTS)}
    FROM {_IN_LINES} c),
ins AS (SELECT l_mid, l_region, l_kind, l_unit, l_status, value FROM lc WHERE new AND value IS NOT NULL),
lows AS (SELECT l_mid, l_region, l_kind, l_unit, l_status, value_group, min(value) AS low FROM lc
         WHERE NOT new AND value IS NOT NULL GROUP BY ALL),
near AS (
    SELECT g.value_group FROM ins i ASOF JOIN lows g ON {_SAME_LINE} AND i.value >= g.low
    UNION
    SELECT g.value_group FROM ins i ASOF JOIN lows g ON {_SAME_LINE} AND i.value < g.low
    UNION
    SELECT value_group FROM _old_claims)
SELECT {_SCOPED_COLUMNS} FROM lc c WHERE new OR value_group IN (SELECT value_group FROM near)
"""

# Claims as check records: `pre` (text since the previous claim of the sentence, whitespace
# removed: claims.pre_text), `sent_no`, `fallback`, `step`. Restricted to the claim ids of temp table _sel.
_RECORDS_SQL = f"""
WITH sel AS {{sel}},
sn AS (
    SELECT s.sentence_id, row_number() OVER (PARTITION BY s.article_id ORDER BY s."start") AS sent_no
    FROM sentences s SEMI JOIN (SELECT DISTINCT article_id FROM sel) a USING (article_id)),
c AS (SELECT sel.*, sn.sent_no, {_NUM} FROM sel LEFT JOIN sn USING (sentence_id))
SELECT c.claim_id, c.fact_id, c.metric_id, c.doc_id, c.article_id, c.sentence_id, c.sent_no, c."start",
       c."end", c.mention, c.value, c.unit, c.qualifier, c.kind, c.metric, c.region, c.period_start,
       c.period_end, c.status, c.published,
       coalesce(c.pre_text, '') AS pre, {_FALLBACK} AS fallback, {_STEP} AS step
FROM c
ORDER BY c.doc_id, c.article_id, c.sent_no, c."start"
"""


_FACTS_SQL = f"""
INSERT INTO facts
WITH agg AS (
    SELECT fact_id, count(*) AS n_claims, count(DISTINCT doc_id) AS n_docs,
           count(DISTINCT article_id) AS n_articles,
           list(claim_id ORDER BY published NULLS LAST, doc_id, "start") AS claim_ids
    FROM claims WHERE fact_id IN (SELECT fact_id FROM _facts_redo) GROUP BY fact_id)
SELECT agg.fact_id, c.metric_id, c.metric, c.region, c.kind, c.unit, c.status, c.value, c.qualifier,
       c.period_start, c.period_end, {_FALLBACK.replace('period_', 'c.period_').replace('published', 'c.published')}
           AS period_is_publication, period_type(c.period_start, c.period_end) AS period_type,
       c.topic, c.sector, c.published, c.doc_id, c.article_id,
       agg.n_claims, agg.n_docs, agg.n_articles, agg.claim_ids
FROM agg JOIN (SELECT * FROM claims WHERE claim_id IN (SELECT fact_id FROM _facts_redo)) c ON c.claim_id = agg.fact_id
ORDER BY agg.n_claims = 1, agg.fact_id  -- facts cited more than once first: the dashboard reads only those
"""
_SERIES_SQL = """
CREATE OR REPLACE VIEW series AS
SELECT metric_id, region, kind, unit, period_type, count(*) AS n_facts,
       count(DISTINCT (period_start, period_end)) AS n_periods, count(DISTINCT doc_id) AS n_docs,
       min(period_end) AS first_period, max(period_end) AS last_period
FROM facts
WHERE status = 'actual' AND metric_id IS NOT NULL AND kind IN ('amount', 'count', 'rank')
GROUP BY ALL
HAVING count(DISTINCT (period_start, period_end)) >= 2
"""


# etl.extract.periods.period_type in SQL (a test checks that both agree): a series is one metric,
# region, kind, unit and period length.
PERIOD_TYPE_MACRO = """
CREATE OR REPLACE MACRO period_type(s, e) AS CASE
    WHEN s IS NULL OR e IS NULL THEN NULL
    WHEN s = e THEN 'stock'
    WHEN year(s) <> year(e) OR day(s) <> 1 OR e <> last_day(e) THEN 'span'
    WHEN month(s) = month(e) THEN 'month'
    WHEN month(s) = 1 AND month(e) = 12 THEN 'year'
    WHEN month(s) = 1 THEN 'ytd'
    WHEN month(e) - month(s) = 2 AND month(s) IN (4, 7, 10) THEN 'quarter'
    ELSE 'span' END"""

# Claims, facts and tables keyed by metric in the partitions being derived (temp table _mids).
_METRIC_IN_MIDS = "metric_id IN (SELECT mid FROM _mids)"


def derive(con: duckdb.DuckDBPyConnection, changed: bool = False) -> None:
    """Fill claims.metric_id, fact_id and n_citations; build metrics, facts, series,
    metric_counts and checks.

    `changed=False` derives everything. With `changed=True` only what the changed documents
    touch is derived again: temp table `_changed_docs(doc_id)` names the documents whose rows
    were deleted or inserted, `_old_claims` (the columns of `claims`) the deleted claims.
    Every derived value depends only on the claims of its partition (facts, metrics and series
    on one metric id; sums on one article; shares on one document and the metrics of their
    wholes), so re-deriving the touched partitions gives what a full pass gives.
    """
    for col, typ in (("metric_id", "VARCHAR"), ("fact_id", "VARCHAR"), ("n_citations", "INTEGER")):
        con.execute(f"ALTER TABLE claims ADD COLUMN IF NOT EXISTS {col} {typ}")
    con.execute(PERIOD_TYPE_MACRO)
    changed = changed and _has_table(con, "facts")
    if not changed:
        for t in _DERIVED:
            con.execute(f"DROP TABLE IF EXISTS {t}")
        con.execute("CREATE OR REPLACE TEMP TABLE _changed_docs AS SELECT doc_id FROM documents")
        con.execute("CREATE OR REPLACE TEMP TABLE _old_claims AS SELECT * FROM claims LIMIT 0")
    con.execute(_SCHEMA)
    in_docs = "doc_id IN (SELECT doc_id FROM _changed_docs)"
    assign_metric_ids(con, in_docs)
    resolve_in_article(con, in_docs)
    con.execute(f"""CREATE OR REPLACE TEMP TABLE _lines AS
                    SELECT DISTINCT {_LINE} FROM _old_claims
                    UNION SELECT DISTINCT {_LINE} FROM claims WHERE {in_docs}""")
    con.execute("CREATE OR REPLACE TEMP TABLE _mids AS SELECT DISTINCT mid FROM _lines")  # the touched metric ids
    if changed:
        con.execute(_SCOPE_SQL)
        scope = "_scoped"
    else:
        scope = "claims"
    con.execute(_fact_ids_sql(scope))
    # The claims whose fact id, citation count or value group changes (claims without a value
    # are their own fact), updated in one statement: only these rows are rewritten.
    con.execute(f"""CREATE OR REPLACE TEMP TABLE _new_ids AS
        SELECT c.claim_id, c.doc_id, c.article_id, c.fact_id AS old_fact_id,
               coalesce(f.fact_id, c.claim_id) AS fact_id, coalesce(f.n_citations, 1) AS n_citations,
               f.value_group
        FROM {scope} c LEFT JOIN _fact_ids f USING (claim_id)
        WHERE (c.fact_id IS DISTINCT FROM coalesce(f.fact_id, c.claim_id)
               OR c.n_citations IS DISTINCT FROM coalesce(f.n_citations, 1)
               OR c.value_group IS DISTINCT FROM f.value_group
               OR c.doc_id IN (SELECT doc_id FROM _changed_docs))""")
    if changed:  # the claims of the changed documents and those whose fact id changes, with their old fact id
        con.execute("""CREATE OR REPLACE TEMP TABLE _moved AS
            SELECT claim_id, doc_id, article_id, old_fact_id AS fact_id FROM _new_ids
            WHERE old_fact_id IS DISTINCT FROM fact_id OR doc_id IN (SELECT doc_id FROM _changed_docs)""")
    _update_fact_ids(con)
    # Facts whose citations or representative changed.
    con.execute("""CREATE OR REPLACE TEMP TABLE _facts_redo AS
                   SELECT fact_id FROM _new_ids UNION SELECT old_fact_id FROM _new_ids WHERE old_fact_id IS NOT NULL
                   UNION SELECT fact_id FROM _old_claims WHERE fact_id IS NOT NULL""")
    con.execute("DROP TABLE _new_ids")
    con.execute("DROP TABLE _fact_ids")
    con.execute("CREATE OR REPLACE TEMP TABLE _names AS SELECT metric_id, name_zh FROM metrics "
                "WHERE metric_id IN (SELECT mid FROM _mids)")
    _write_metrics(con)
    # Metrics whose name changed: every metric_counts row of theirs shows the name.
    con.execute("""CREATE OR REPLACE TEMP TABLE _renamed AS
                   SELECT metric_id FROM (SELECT metric_id, name_zh FROM _names EXCEPT
                                          SELECT metric_id, name_zh FROM metrics WHERE metric_id IN (SELECT mid FROM _mids))
                   UNION SELECT metric_id FROM (SELECT metric_id, name_zh FROM metrics WHERE metric_id IN (SELECT mid FROM _mids)
                                                EXCEPT SELECT metric_id, name_zh FROM _names)""")
    if changed:
        con.execute("DELETE FROM facts WHERE fact_id IN (SELECT fact_id FROM _facts_redo)")
        con.execute(_FACTS_SQL)
    else:
        con.execute(_FACTS_SQL.replace("INSERT INTO facts", "CREATE TABLE facts AS", 1))
    con.execute(_SERIES_SQL)
    write_aggregates(con, changed)
    write_checks(con, changed)
    for t in ("_mids", "_moved", "_lines", "_facts_redo", "_names", "_renamed", "_scoped"):
        con.execute(f"DROP TABLE IF EXISTS {t}")


def _update_fact_ids(con: duckdb.DuckDBPyConnection) -> None:
    """Write `_new_ids` into claims.

    An increment's few rows are found in the primary-key index and written again, deleted and
    inserted in one transaction: an UPDATE of rows scattered over the table costs ~1 ms a row
    and makes the checkpoint rewrite the updated columns of every row group it touched (326
    rows at 1.5M claims: 430 ms + a 1.2 s checkpoint, against 106 + 52 ms). A full pass updates.
    """
    ids = _few_ids(con, "SELECT claim_id FROM _new_ids")
    if ids is None:
        con.execute("""UPDATE claims SET fact_id = n.fact_id, n_citations = n.n_citations, value_group = n.value_group
                       FROM _new_ids n WHERE claims.claim_id = n.claim_id""")
        return
    if not ids:
        return
    in_ids = in_params("claim_id", len(ids))
    con.execute("BEGIN TRANSACTION")
    try:
        con.execute(f"""CREATE OR REPLACE TEMP TABLE _rewrite AS
            SELECT c.* REPLACE (n.fact_id AS fact_id, n.n_citations AS n_citations, n.value_group AS value_group)
            FROM (SELECT * FROM claims WHERE {in_ids}) c JOIN _new_ids n USING (claim_id)""", ids)
        con.execute(f"DELETE FROM claims WHERE {in_ids}", ids)
        con.execute("INSERT INTO claims SELECT * FROM _rewrite")
        con.execute("DROP TABLE _rewrite")
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise


def write_aggregates(con: duckdb.DuckDBPyConnection, changed: bool = False) -> None:
    """Small tables the dashboard reads instead of aggregating every claim (etl/store/queries.py),
    for the metric ids of `_mids`:

    - `metric_counts`: etl.store.queries.metric_counts without filters (one row per metric id, unit and
      kind: facts, citations, the best line's documents and periods, phrases);
    - `metric_headline`: per metric id its newest actual fact and number of facts, the
      candidates of the home page's headline figures without filters;
    - `metric_lines`: per line (metric id, unit, kind, region, status) its facts, documents and
      reference periods; `metric_phrases`: its claims per metric phrase. All citations of a
      fact share these keys, so metric_counts under filters on region, kind, status and unit
      sums whole lines.
    """

    # What each table's rows depend on: metric_counts a metric id, unit and kind (and the
    # metric's name); metric_lines and metric_phrases a line; metric_headline a metric id.
    # Each led by a cheap column filter on the partitions (the row comparisons scan every row).
    triple = (f"c.{_METRIC_IN_MIDS} AND (c.metric_id, coalesce(c.unit, ''), coalesce(c.kind, '')) IN "
              "(SELECT (mid, unit, kind) FROM _lines UNION SELECT (metric_id, unit, coalesce(kind, '')) "
              "FROM metric_counts WHERE metric_id IN (SELECT metric_id FROM _renamed))")
    line = (f"c.{_METRIC_IN_MIDS} AND "
            "(c.metric_id, coalesce(c.unit, ''), coalesce(c.kind, ''), coalesce(c.region, '∅'), coalesce(c.status, '')) "
            "IN (SELECT (mid, unit, kind, region, status) FROM _lines)")
    scopes = {"metric_counts": triple, "metric_headline": f"c.{_METRIC_IN_MIDS}", "metric_lines": line,
              "metric_phrases": line}
    if not changed:
        scopes = dict.fromkeys(scopes, "TRUE")
    # metric_counts sums the lines and phrases of its metric id, unit and kind: written after them.
    queries = {
        "metric_headline": f"{headline_picks_sql('WHERE ' + scopes['metric_headline'])} ORDER BY metric_id",
        "metric_lines": f"""
            SELECT metric_id, coalesce(unit, '') AS unit, kind, region, status, count(*) AS n_facts,
                   count(DISTINCT doc_id) AS docs, count(DISTINCT (period_start, period_end)) AS periods
            FROM facts c WHERE metric_id IS NOT NULL AND value IS NOT NULL AND {scopes['metric_lines']}
            GROUP BY ALL ORDER BY ALL""",
        "metric_phrases": f"""
            SELECT metric_id, coalesce(unit, '') AS unit, kind, region, status, metric, count(*) AS n_claims
            FROM claims c WHERE metric_id IS NOT NULL AND value IS NOT NULL AND {scopes['metric_phrases']}
            GROUP BY ALL ORDER BY ALL""",
        "metric_counts": metric_counts_of_lines_sql(f"WHERE {scopes['metric_counts']}"),
    }
    for table, sql in queries.items():
        if changed:
            con.execute(f"DELETE FROM {table} c WHERE {scopes[table]}")
            con.execute(f"INSERT INTO {table} {sql}")
        else:
            con.execute(f"CREATE TABLE {table} AS {sql}")


def _has_table(con: duckdb.DuckDBPyConnection, name: str) -> bool:
    return bool(con.execute("SELECT count(*) FROM duckdb_tables() WHERE table_name = ? AND database_name = "
                            "current_database() AND schema_name = 'main'", [name]).fetchall()[0][0])


# ---------------------------------------------------------------- metric ids

def _register(con: duckdb.DuckDBPyConnection, name: str, rows: Iterable[tuple], names: list[str]) -> None:
    """Rows (tuples in `names` order) as an Arrow relation `name` (types inferred from the values)."""
    rows = list(rows)
    con.register(name, pa.table({n: [r[i] for r in rows] for i, n in enumerate(names)}))


def assign_metric_ids(con: duckdb.DuckDBPyConnection, where: str = "TRUE") -> None:
    """claims.metric_id from the catalog (once per distinct phrase), for the claims `where` selects."""
    cat = catalog()
    phrases = [r[0] for r in con.execute(
        f"SELECT DISTINCT metric FROM claims WHERE metric IS NOT NULL AND {where}").fetchall()]
    _register(con, "_metric_ids", ((m, cat.metric_id(m)) for m in phrases), ["metric", "metric_id"])
    try:
        con.execute(f"""UPDATE claims SET metric_id = m.metric_id FROM _metric_ids m
                        WHERE claims.metric = m.metric AND claims.{where}""")
        con.execute(f"UPDATE claims SET metric_id = NULL WHERE metric IS NULL AND {where}")
    finally:
        con.unregister("_metric_ids")


def resolve_in_article(con: duckdb.DuckDBPyConnection, where: str = "TRUE") -> None:
    """A figure repeated in one article with a vaguer phrase takes the fuller phrase's metric id.

    In a group (same article, value, unit, kind, region) a member whose normalised phrase is
    empty or contained in another member's takes that member's id, preferring catalog ids,
    then longer phrases. Only the articles of the claims `where` selects are looked at.
    """
    groups = con.execute(f"""
        WITH c AS (SELECT claim_id, article_id, value, unit, kind, region, metric, metric_id FROM claims
                   WHERE value IS NOT NULL AND {where})
        SELECT claim_id, article_id, value, unit, kind, coalesce(region, '') AS region, metric, metric_id
        FROM c WHERE (article_id, value, unit, kind, coalesce(region, '')) IN (
            SELECT (article_id, value, unit, kind, coalesce(region, '')) FROM c
            GROUP BY ALL HAVING count(*) > 1 AND count(DISTINCT coalesce(metric_id, '')) > 1)
        ORDER BY article_id, claim_id""").df()
    if groups.empty:
        return
    cat = catalog()
    changes: list[tuple[str, str]] = []
    for _, g in groups.groupby(["article_id", "value", "unit", "kind", "region"], sort=False):
        members = [(cid, normalize(m) if isinstance(m, str) else "", mid if isinstance(mid, str) else None)
                   for cid, m, mid in zip(g["claim_id"], g["metric"], g["metric_id"], strict=True)]
        anchors = sorted((x for x in members if x[2]), key=lambda x: (x[2] not in cat.metrics, -len(x[1])))
        for cid, text, mid in members:
            for _, atext, aid in anchors:
                if aid != mid and (not text or (text in atext and len(atext) > len(text))):
                    changes.append((cid, aid))
                    break
    if changes:
        _register(con, "_metric_fix", changes, ["claim_id", "metric_id"])
        try:
            con.execute("UPDATE claims SET metric_id = f.metric_id FROM _metric_fix f WHERE claims.claim_id = f.claim_id")
        finally:
            con.unregister("_metric_fix")


def _write_metrics(con: duckdb.DuckDBPyConnection) -> None:
    """Catalog metrics, then one row per derived id (its most frequent phrase, unit and topic);
    rows of the metric ids in `_mids` are written again."""
    if con.execute("SELECT count(*) FROM metrics").fetchall()[0][0] == 0:
        cat = catalog()
        _register(con, "_catalog", cat.rows(), ["metric_id", "name_zh", "name_en", "unit", "topic", "synonyms"])
        try:
            con.execute("""
                INSERT INTO metrics
                SELECT k.metric_id, k.name_zh, k.name_en, k.unit, k.topic, k.synonyms, 'catalog', 0 FROM _catalog k""")
        finally:
            con.unregister("_catalog")
        con.execute("CREATE OR REPLACE TEMP TABLE _mids AS SELECT mid FROM _mids UNION SELECT metric_id FROM metrics")
    con.execute(f"""
        UPDATE metrics SET n_claims = coalesce(n.k, 0)
        FROM (SELECT m.metric_id, n.k FROM metrics m LEFT JOIN (
                SELECT metric_id, count(*) AS k FROM claims WHERE {_METRIC_IN_MIDS} GROUP BY ALL) n USING (metric_id)
              WHERE m.source = 'catalog' AND m.{_METRIC_IN_MIDS}) n
        WHERE metrics.metric_id = n.metric_id""")
    con.execute(f"DELETE FROM metrics WHERE source = 'derived' AND {_METRIC_IN_MIDS}")
    # The most frequent name, unit and topic of each derived metric; ties go to the smallest
    # value, so the table is the same on every run (mode() picks among ties arbitrarily).
    con.execute(f"""
        INSERT INTO metrics
        WITH base AS (
            SELECT metric_id, metric, unit, topic FROM claims
            WHERE {_METRIC_IN_MIDS} AND metric_id NOT IN (SELECT metric_id FROM metrics)),
        names AS (SELECT metric_id, metric AS v, count(*) AS n FROM base GROUP BY ALL),
        units AS (SELECT metric_id, unit AS v, count(*) AS n FROM base GROUP BY ALL),
        topics AS (SELECT metric_id, topic AS v, count(*) AS n FROM base GROUP BY ALL),
        pick AS (
            SELECT 'name' AS f, metric_id, arg_max(v, (n, -rank)) AS v FROM (
                SELECT *, rank() OVER (PARTITION BY metric_id ORDER BY v NULLS LAST) AS rank FROM names)
            GROUP BY ALL
            UNION ALL
            SELECT 'unit', metric_id, arg_max(v, (n, -rank)) FROM (
                SELECT *, rank() OVER (PARTITION BY metric_id ORDER BY v NULLS LAST) AS rank FROM units)
            GROUP BY ALL
            UNION ALL
            SELECT 'topic', metric_id, arg_max(v, (n, -rank)) FROM (
                SELECT *, rank() OVER (PARTITION BY metric_id ORDER BY v NULLS LAST) AS rank FROM topics)
            GROUP BY ALL)
        SELECT b.metric_id,
               any_value(p1.v), NULL, any_value(p2.v), any_value(p3.v),
               list_sort(list_distinct(list(b.metric)))[1:20], 'derived', count(*)
        FROM base b
        LEFT JOIN pick p1 ON p1.metric_id = b.metric_id AND p1.f = 'name'
        LEFT JOIN pick p2 ON p2.metric_id = b.metric_id AND p2.f = 'unit'
        LEFT JOIN pick p3 ON p3.metric_id = b.metric_id AND p3.f = 'topic'
        GROUP BY b.metric_id
        ORDER BY b.metric_id""")


# ---------------------------------------------------------------- checks

def _records(con: duckdb.DuckDBPyConnection, selection_sql: str) -> list[dict]:
    """Check records for the claim ids chosen by `selection_sql` (SELECT claim_id ...), in text order."""
    con.execute(f"CREATE OR REPLACE TEMP TABLE _sel AS {selection_sql}")
    try:
        ids = _few_ids(con, "SELECT claim_id FROM _sel")
        if ids == []:
            return []
        # An increment's few claims are scattered over the table: looked up in the primary-key
        # index, reading those rows only (joined, every block of claims' columns is read).
        sql, params = _claims_sql(ids, "SELECT claim_id FROM _sel", "*")
        sel = f"{'MATERIALIZED ' if ids is not None else ''}({sql})"
        return con.sql(_RECORDS_SQL.replace("{sel}", sel), params=params).to_arrow_table().to_pylist()
    finally:
        con.execute("DROP TABLE IF EXISTS _sel")


# Groups whose records are in memory at once (bounds a full pass's memory): few claims of a
# metric, region and period conflict, so their groups are taken many at a time.
GROUPS_PER_BATCH = {"sum": 2500, "share": 2500, "growth": 2500, "conflict": 50_000}


def _batches(con: duckdb.DuckDBPyConnection, keys_sql: str, size: int) -> Iterator[None]:
    """For each batch of the group keys `keys_sql` selects (sorted), temp table `_batch(key)`
    holds the batch while the caller reads its records."""
    keys = [r[0] for r in con.execute(f"SELECT DISTINCT key FROM ({keys_sql}) WHERE key IS NOT NULL ORDER BY 1").fetchall()]
    try:
        for i in range(0, len(keys), size):
            con.execute("CREATE OR REPLACE TEMP TABLE _batch AS SELECT unnest(?::VARCHAR[]) AS key", [keys[i:i + size]])
            yield
    finally:
        con.execute("DROP TABLE IF EXISTS _batch")


def group(records: Iterable[dict], *keys: str) -> dict[tuple, list[dict]]:
    """Records grouped by the values of `keys`, keeping their order."""
    out: dict[tuple, list[dict]] = {}
    for r in records:
        out.setdefault(tuple(r[k] for k in keys), []).append(r)
    return out


@functools.lru_cache(maxsize=4096)
def whole(phrase: str, region: str | None) -> tuple[str | None, str | None]:
    """(region, metric_id) of the whole a share is of: 四川外贸进出口总值 -> (四川省, trade_total).

    A generic word (全省, 全市) resolves against the part's region; no place word means the
    part's own region.
    """
    from etl.extract.places import by_name, gazetteer

    found = first_place_word(phrase)
    where = region
    if found:
        generic = {"全国": "country", "全省": "province", "全川": "province", "我省": "province", "本省": "province",
                   "全市": "city", "我市": "city", "本市": "city"}
        if found in generic:
            level, place = generic[found], by_name().get(region or "")
            while place is not None and place.level != level and place.parent:
                place = by_name().get(place.parent)
            where = place.name if place is not None and place.level == level else (
                "全国" if level == "country" else None)
        elif found in gazetteer():
            where = gazetteer()[found].name
    mid = catalog().metric_id(phrase) if normalize(phrase) else None
    return where, mid




_PRIORITY_SQL = "CASE status WHEN 'consistent' THEN 0 WHEN 'inconsistent' THEN 1 ELSE 2 END"
_QTY = "c.kind IN ('amount', 'count')"
# The growth rates checks are found for (checks.growth_checks reads percentages of a stated period).
_RATE = f"""c.kind = 'growth' AND c.unit = '%' AND c.status = 'actual' AND c.metric_id IS NOT NULL
    AND c.region IS NOT NULL AND NOT {_FALLBACK}"""
_PERIOD_KEY = "metric_id || '|' || region || '|' || CAST(period_start AS VARCHAR) || '|' || CAST(period_end AS VARCHAR)"


def _redo_groups(con: duckdb.DuckDBPyConnection, changed: bool) -> None:
    """Temp table `_groups(kind, key)`: the groups whose checks are found again.

    A group's checks depend on its claims and their fact ids (and, for shares, the figures of
    the whole's metric, region and period). With `changed`: the groups of the claims whose
    fact id changed (`_moved`, new claims included), of the changed documents, and the share
    documents whose whole has a new or changed figure; otherwise every group.
    """
    if not changed:
        con.execute(f"""CREATE OR REPLACE TEMP TABLE _groups AS
            SELECT DISTINCT 'sum' AS kind, article_id AS key FROM claims
            UNION SELECT DISTINCT 'share', doc_id FROM claims
            UNION SELECT DISTINCT 'growth', {_PERIOD_KEY} FROM claims c WHERE {_RATE}
            UNION SELECT DISTINCT 'conflict', {_PERIOD_KEY} FROM claims
                  WHERE metric_id IS NOT NULL AND region IS NOT NULL AND period_start IS NOT NULL
                    AND period_end IS NOT NULL""")
        return
    # The moved claims as they are now (their new fact id, their series and period): read once,
    # by primary key when few, for the groups here, the growth groups and the checks citing them.
    sql, params = _claims_by_id(con, "SELECT claim_id FROM _moved",
                                "claim_id, fact_id, metric_id, region, period_start, period_end")
    con.execute(f"CREATE OR REPLACE TEMP TABLE _moved_now AS {sql}", params)
    con.execute(f"""CREATE OR REPLACE TEMP TABLE _groups AS
        WITH keys AS (
            SELECT metric_id, region, period_start, period_end FROM _moved_now
            UNION SELECT metric_id, region, period_start, period_end FROM _old_claims)
        SELECT 'sum' AS kind, article_id AS key FROM _moved
        UNION SELECT 'share', doc_id FROM _moved
        UNION SELECT 'share', doc_id FROM share_wholes SEMI JOIN keys USING (metric_id, region, period_start, period_end)
        UNION SELECT 'conflict', {_PERIOD_KEY} FROM keys
              WHERE metric_id IS NOT NULL AND region IS NOT NULL AND period_start IS NOT NULL AND period_end IS NOT NULL
        UNION SELECT kind, key FROM check_parts WHERE doc_id IN (SELECT doc_id FROM _changed_docs)
        UNION SELECT 'sum', article_id FROM articles WHERE doc_id IN (SELECT doc_id FROM _changed_docs)
        UNION SELECT 'share', doc_id FROM _changed_docs""")
    _redo_growth_groups(con)


def _redo_growth_groups(con: duckdb.DuckDBPyConnection) -> None:
    """Add to `_groups` the growth groups (metric id | region | rate period) an increment touches.

    A rate at period p is checked against the series' figures at p, a year before p and the
    period of p's length before p (`_rate_periods`), so a figure changed at q touches the rates
    whose periods depend on q: found from the series' rate periods with the checks' own
    period arithmetic, not by inverting it (month ends and leap days do not invert).
    """
    touched = con.execute("""
        SELECT DISTINCT * FROM (
            SELECT metric_id, region, period_start, period_end FROM _moved_now
            UNION ALL SELECT metric_id, region, period_start, period_end FROM _old_claims)
        WHERE metric_id IS NOT NULL AND region IS NOT NULL AND period_start IS NOT NULL AND period_end IS NOT NULL
        """).fetchall()
    if not touched:
        return
    _register(con, "_touched_series", sorted({(m, r) for m, r, _, _ in touched}), ["metric_id", "region"])
    try:
        rates = con.execute(f"""SELECT DISTINCT metric_id, region, period_start, period_end FROM claims c
                               SEMI JOIN _touched_series USING (metric_id, region) WHERE {_RATE}""").fetchall()
    finally:
        con.unregister("_touched_series")
    at = {(m, r, (ps, pe)) for m, r, ps, pe in touched}
    keys = at | {(m, r, (ps, pe)) for m, r, ps, pe in rates  # at: a removed rate's old parts go too
                 if any((m, r, q) in at for q in _rate_periods((ps, pe)))}
    con.execute("INSERT INTO _groups SELECT 'growth', unnest(?::VARCHAR[])",
                [sorted(_period_key(m, r, p) for m, r, p in keys)])


def _period_key(metric_id: str, region: str, p: tuple) -> str:
    """`_PERIOD_KEY` of a metric id, region and period (start, end)."""
    return f"{metric_id}|{region}|{p[0]}|{p[1]}"


def _rate_periods(p: tuple) -> set[tuple]:
    """The periods whose figures a growth rate at period `p` is checked with (checks.growth_checks):
    p itself, a year before (同比) and the period of the same length before (环比)."""
    return {p, ck.shift_period(p, 12), ck.shift_period(p, ck.period_months(p))}


def write_checks(con: duckdb.DuckDBPyConnection, changed: bool = False) -> None:
    """Find the checks of the groups to redo (`_redo_groups`) into `check_parts` and merge
    the parts of their check ids, and of the checks citing a fact that gained or lost a
    citation, into `checks`: per check id the part with the best verdict, its claim ids
    followed by every other citation of the facts it compares."""
    _redo_groups(con, changed)
    con.execute("""CREATE OR REPLACE TEMP TABLE _redo AS
        SELECT check_id FROM check_parts SEMI JOIN _groups USING (kind, key)""")
    con.execute("DELETE FROM check_parts WHERE (kind, key) IN (SELECT (kind, key) FROM _groups)")
    con.execute("DELETE FROM share_wholes WHERE doc_id IN (SELECT key FROM _groups WHERE kind = 'share')")
    for kind, find in (("sum", _sum_parts), ("share", _share_parts), ("growth", _growth_parts),
                       ("conflict", _conflict_parts)):
        for _ in _batches(con, f"SELECT key FROM _groups WHERE kind = '{kind}'", GROUPS_PER_BATCH[kind]):
            parts = find(con)
            if parts:
                _register(con, "_parts_in",
                          ((kind, k, d, c.check_id, c.kind, c.status, c.detail, list(c.claim_ids)) for k, d, c in parts),
                          ["kind", "key", "doc_id", "check_id", "check_kind", "status", "detail", "claim_ids"])
                try:
                    con.execute("""INSERT INTO check_parts SELECT kind, key, doc_id, check_id, check_kind, status,
                                   detail, claim_ids FROM _parts_in""")
                    con.execute("INSERT INTO _redo SELECT DISTINCT check_id FROM _parts_in")
                finally:
                    con.unregister("_parts_in")
    if changed:  # the checks citing a fact that gained or lost a citation
        con.execute("""INSERT INTO _redo SELECT DISTINCT check_id FROM (
                SELECT check_id, unnest(fact_ids) AS fact_id FROM checks)
            WHERE fact_id IN (SELECT fact_id FROM _moved_now UNION SELECT fact_id FROM _moved
                              UNION SELECT fact_id FROM _old_claims)""")
    con.execute("DELETE FROM checks WHERE check_id IN (SELECT check_id FROM _redo)")
    con.execute(f"""CREATE OR REPLACE TEMP TABLE _best AS
        SELECT check_id, check_kind AS kind, status, detail, claim_ids AS involved FROM check_parts
        WHERE check_id IN (SELECT check_id FROM _redo)
        QUALIFY row_number() OVER (PARTITION BY check_id ORDER BY {_PRIORITY_SQL}, kind, key, detail, claim_ids) = 1""")
    # The claims compared and every citation of their facts (an increment's few by primary key).
    involved = _claims_by_id(con, "SELECT DISTINCT unnest(involved) FROM _best", "claim_id, fact_id")
    cited = _claims_by_id(con, f"""SELECT claim_id FROM claims WHERE fact_id IN (
                                   SELECT fact_id FROM ({involved[0]}))""", 'claim_id, fact_id, published, doc_id, "start"',
                          involved[1])
    con.execute(f"""
        INSERT INTO checks
        WITH best AS (SELECT * FROM _best),
        x AS (
            SELECT check_id, unnest(involved) AS claim_id, generate_subscripts(involved, 1) AS pos FROM best),
        inv AS MATERIALIZED ({involved[0]}),
        f AS (SELECT x.*, c.fact_id FROM x JOIN inv c USING (claim_id)),
        cited AS MATERIALIZED ({cited[0]}),  -- every citation of the facts compared
        allc AS (
            SELECT check_id, claim_id, pos * 2 AS k FROM f
            UNION ALL
            SELECT f.check_id, c2.claim_id, f.pos * 2 + 1 FROM f JOIN cited c2 ON c2.fact_id = f.fact_id),
        ranked AS (SELECT check_id, claim_id, min(k) AS k FROM allc GROUP BY ALL),
        lists AS (
            SELECT r.check_id, list(r.claim_id ORDER BY r.k, c.published NULLS LAST, c.doc_id, c."start")
                AS claim_ids
            FROM ranked r JOIN cited c USING (claim_id) GROUP BY r.check_id),
        fl AS (SELECT check_id, list_sort(list_distinct(list(fact_id))) AS fact_ids FROM f GROUP BY check_id)
        SELECT b.check_id, b.kind, b.status, b.detail, l.claim_ids, fl.fact_ids
        FROM best b JOIN lists l USING (check_id) JOIN fl USING (check_id)
        ORDER BY b.kind, b.check_id""", [*involved[1], *cited[1]])
    for t in ("_groups", "_redo", "_periods", "_best", "_moved_now"):
        con.execute(f"DROP TABLE IF EXISTS {t}")


def _claims_by_id(con: duckdb.DuckDBPyConnection, ids_sql: str, cols: str, params: list | None = None
                  ) -> tuple[str, list]:
    """A query (and its parameters) of columns `cols` of the claims whose ids `ids_sql` selects:
    a few (an increment's) looked up in the primary-key index, reading those rows only, as a
    constant list (a materialized CTE of the caller's), else a semi join (a scan of claims)."""
    return _claims_sql(_few_ids(con, ids_sql, params), ids_sql, cols, params)


def _claims_sql(ids: list | None, ids_sql: str, cols: str, params: list | None = None) -> tuple[str, list]:
    """_claims_by_id given `_few_ids`' answer `ids`."""
    if ids is None:
        return f"SELECT {cols} FROM claims WHERE claim_id IN ({ids_sql})", list(params or [])
    return f"SELECT {cols} FROM claims WHERE {in_params('claim_id', len(ids))}", ids


def _few_ids(con: duckdb.DuckDBPyConnection, ids_sql: str, params: list | None = None) -> list | None:
    """The claim ids `ids_sql` selects when few enough to be looked up in the primary-key index
    as a constant list (an increment's), else None (a full pass: joined or scanned instead)."""
    ids = [r[0] for r in con.execute(f"SELECT * FROM ({ids_sql}) LIMIT {MAX_INDEX_KEYS + 1}", params or []).fetchall()]
    return None if len(ids) > MAX_INDEX_KEYS else ids


Part = tuple[str, str | None, ck.Check]  # (group key, document, check)


def _sum_parts(con: duckdb.DuckDBPyConnection) -> list[Part]:
    """Sums of the articles in `_batch` with a sentence holding a list cue and two figures of one unit."""
    recs = _records(con, f"""
        WITH c AS (SELECT article_id, sentence_id, unit FROM claims c
                   WHERE article_id IN (SELECT key FROM _batch) AND {_QTY}),
        s AS (SELECT sentence_id FROM sentences WHERE article_id IN (SELECT key FROM _batch) AND list_cue)
        SELECT claim_id FROM claims WHERE article_id IN (
            SELECT c.article_id FROM c SEMI JOIN s USING (sentence_id)
            GROUP BY c.article_id, c.sentence_id, c.unit HAVING count(*) >= 2)""")
    return [(a, g[0]["doc_id"], c) for (a,), g in group(recs, "article_id").items() for c in ck.sum_checks(g)]


def _growth_parts(con: duckdb.DuckDBPyConnection) -> list[Part]:
    """Growth rates of the groups (metric id | region | rate period) in `_batch`, each checked
    with the series' figures at the periods it depends on (`_rate_periods`)."""
    deps: dict[tuple, set[tuple]] = {}
    for (key,) in con.execute("SELECT key FROM _batch").fetchall():
        m, r, ps, pe = key.rsplit("|", 3)
        p = (dt.date.fromisoformat(ps), dt.date.fromisoformat(pe))
        deps[(m, r, p)] = _rate_periods(p)
    _register(con, "_need", sorted({(m, r, *q) for (m, r, _), qs in deps.items() for q in qs}),
              ["metric_id", "region", "period_start", "period_end"])
    try:
        recs = _records(con, f"""
            SELECT claim_id FROM claims c SEMI JOIN _need USING (metric_id, region, period_start, period_end)
            WHERE c.metric_id IN (SELECT metric_id FROM _need)  -- a cheap column filter first
              AND c.kind IN ('growth', 'amount', 'count') AND c.status = 'actual' AND NOT {_FALLBACK}""")
    finally:
        con.unregister("_need")
    # Records in text order by series and period; a group takes its rates and the figures of
    # the periods it depends on, still in text order (growth_checks picks the first figure).
    rates: dict[tuple, list[tuple[int, dict]]] = {}
    figures: dict[tuple, list[tuple[int, dict]]] = {}
    for i, rec in enumerate(recs):
        k = (rec["metric_id"], rec["region"], (rec["period_start"], rec["period_end"]))
        (rates if rec["kind"] == "growth" else figures).setdefault(k, []).append((i, rec))
    out: list[Part] = []
    for (m, r, p), qs in deps.items():
        mine = rates.get((m, r, p))
        if not mine:
            continue
        g = sorted([*mine, *(x for q in qs for x in figures.get((m, r, q), ()))], key=lambda x: x[0])
        out += [(_period_key(m, r, p), None, c) for c in ck.growth_checks([rec for _, rec in g])]
    return out


def _conflict_parts(con: duckdb.DuckDBPyConnection) -> list[Part]:
    """Conflicts in `_batch` (metric id | region | period): catalog metrics with two facts for
    one region, stated period, kind, unit and status."""
    con.execute("""CREATE OR REPLACE TEMP TABLE _periods AS
                   SELECT split_part(key, '|', 1) AS metric_id, split_part(key, '|', 2) AS region,
                          CAST(split_part(key, '|', 3) AS DATE) AS period_start,
                          CAST(split_part(key, '|', 4) AS DATE) AS period_end FROM _batch""")
    conflicts = _records(con, f"""
        WITH f AS (
            SELECT * FROM claims c SEMI JOIN _periods USING (metric_id, region, period_start, period_end)
            WHERE c.metric_id IN (SELECT metric_id FROM _periods)  -- a cheap column filter first
              AND claim_id = fact_id AND metric_id IN (SELECT metric_id FROM metrics WHERE source = 'catalog')
              AND NOT {_FALLBACK})
        SELECT claim_id FROM f WHERE (metric_id, region, kind, unit, status, period_start, period_end) IN (
            SELECT (metric_id, region, kind, unit, status, period_start, period_end) FROM f
            GROUP BY ALL HAVING count(*) > 1)""")
    keys = ["metric_id", "region", "kind", "unit", "status", "period_start", "period_end"]
    return [(f"{k[0]}|{k[1]}|{k[5]}|{k[6]}", None, c) for k, g in group(conflicts, *keys).items()
            for c in ck.conflict_checks(g)]


def _share_parts(con: duckdb.DuckDBPyConnection) -> list[Part]:
    """Shares of the documents in `_batch`: the claims of share sentences and the sentence
    before them, plus the figures of catalog metrics in the same document (where a share's
    whole may be stated); wholes stated elsewhere are looked up in every document. The
    whole each share is of is kept in `share_wholes`."""
    recs = _records(con, """
        WITH sn AS (
            SELECT sentence_id, article_id, share_word, row_number() OVER (PARTITION BY article_id ORDER BY "start") AS k
            FROM sentences WHERE doc_id IN (SELECT key FROM _batch)),
        sh AS (
            SELECT DISTINCT sn.article_id, sn.k
            FROM (SELECT sentence_id FROM claims WHERE doc_id IN (SELECT key FROM _batch) AND kind = 'share') c
            JOIN (SELECT sentence_id FROM sn WHERE share_word) s USING (sentence_id)
            JOIN sn USING (sentence_id)),
        near AS (SELECT sn.sentence_id FROM sn JOIN sh ON sn.article_id = sh.article_id AND sn.k IN (sh.k, sh.k - 1))
        SELECT claim_id FROM claims SEMI JOIN near USING (sentence_id)
        UNION
        SELECT claim_id FROM claims c
        WHERE c.kind IN ('amount', 'count') AND c.doc_id IN (
                SELECT DISTINCT doc_id FROM claims WHERE kind = 'share' AND doc_id IN (SELECT key FROM _batch))
          AND c.metric_id IN (SELECT metric_id FROM metrics WHERE source = 'catalog')""")
    if not recs:
        return []
    docs = group(recs, "doc_id")

    def key(case: ck.ShareCase) -> tuple | None:
        region, mid = whole(case.phrase, case.part.get("region"))
        p = ck.period(case.share) or ck.period(case.part)
        if not case.phrase or mid is None or region is None or p is None:
            return None
        return (mid, region, p[0], p[1])

    wanted = {(d, k) for (d,), g in docs.items() for k in map(key, ck.find_shares(g)) if k is not None}
    index: dict[tuple, list[dict]] = {}
    if wanted:
        _register(con, "_wholes", [(d, *k) for d, k in sorted(wanted, key=str)],
                  ["doc_id", "metric_id", "region", "period_start", "period_end"])
        try:
            con.execute("INSERT INTO share_wholes SELECT DISTINCT * FROM _wholes")
            found = _records(con, f"""
                SELECT claim_id FROM claims c SEMI JOIN _wholes w USING (metric_id, region, period_start, period_end)
                WHERE c.claim_id = c.fact_id AND {_QTY} AND NOT {_FALLBACK}""")
        finally:
            con.unregister("_wholes")
        index = group(found, "metric_id", "region", "period_start", "period_end")

    def same_doc(case: ck.ShareCase, c: dict) -> bool:
        region, mid = whole(case.phrase, case.part.get("region"))
        return bool(case.phrase) and mid is not None and c.get("metric_id") == mid and c.get("region") == region

    def lookup(case: ck.ShareCase) -> list[dict]:
        k = key(case)
        return index.get(k, []) if k else []

    return [(d, d, c) for (d,), g in docs.items() for c in ck.share_checks(g, lookup=lookup, same_doc=same_doc)]
