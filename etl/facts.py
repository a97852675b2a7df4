"""Facts over the whole database: metric ids, duplicate merging, series and fact checks.

`derive(con)` runs inside the ETL's write transaction, after the rows are inserted:

1. `claims.metric_id`: the catalog id of the claim's metric phrase (etl/catalog.py), else an id
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

import functools
import re
from collections.abc import Iterable

import duckdb
import pandas as pd
import pyarrow as pa

from etl import checks as ck
from etl.catalog import catalog, first_place_word, normalize

# Unit of the last printed digit, in the value's base unit (1e8 for 1140亿元, 0.1 for 71.3%).
_STEP = r"""(CASE WHEN num IS NULL OR num = 0
     THEN (CASE WHEN abs(value) >= 100 THEN pow(10, floor(log10(abs(value)))) ELSE 1 END)
     ELSE abs(value) / num * pow(10, -decimals) END)"""
_NUM = r"""TRY_CAST(regexp_extract(mention, '(\d+)(?:\.(\d+))?', 0) AS DOUBLE) AS num,
           length(regexp_extract(mention, '(\d+)(?:\.(\d+))?', 2)) AS decimals"""
# The period is unknown or only the publication month (no period stated in the text).
_FALLBACK = """(period_end IS NULL OR period_start IS NULL
     OR coalesce(period_start = period_end AND period_end = last_day(published), false))"""
_CUE = "其中|共计|合计|总计|总共|一共|总和|共有|总"

_SCHEMA = """
CREATE OR REPLACE TABLE metrics (
    metric_id VARCHAR PRIMARY KEY, name_zh VARCHAR, name_en VARCHAR, unit VARCHAR, topic VARCHAR,
    synonyms VARCHAR[], source VARCHAR, n_claims INTEGER);
CREATE OR REPLACE TABLE checks (
    check_id VARCHAR PRIMARY KEY, kind VARCHAR, status VARCHAR, detail VARCHAR, claim_ids VARCHAR[],
    fact_ids VARCHAR[]);
"""

_FACT_IDS_SQL = f"""
CREATE OR REPLACE TEMP TABLE _fact_ids AS
WITH b AS (
    SELECT claim_id, doc_id, "start", published, value,
           coalesce(metric_id, '∅' || article_id) AS mid, coalesce(region, '∅') AS region,
           coalesce(kind, '') AS kind, coalesce(unit, '') AS unit, coalesce(status, '') AS status,
           {_FALLBACK} AS fallback,
           coalesce(strftime(period_start, '%Y-%m-%d'), '?') || '/' || coalesce(strftime(period_end, '%Y-%m-%d'), '?')
               AS pk,
           {_STEP} AS step
    FROM (SELECT *, {_NUM} FROM claims WHERE value IS NOT NULL)),
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
    count(*) OVER (PARTITION BY mid, region, kind, unit, status, vc, pk2) AS n_citations
FROM p
"""

# Claims as check records: `pre` (text since the previous claim of the sentence, whitespace
# removed), `sent_no`, `fallback`, `step`. Restricted to the claim ids of temp table _sel.
_SPACES = re.compile("[\t\n\f\r ]+")  # what the SQL `\s` (RE2) matched before
_RECORDS_SQL = f"""
WITH sel AS (SELECT c.* FROM claims c SEMI JOIN _sel USING (claim_id)),
sn AS (
    SELECT s.sentence_id, s."start" AS s_start,
           row_number() OVER (PARTITION BY s.article_id ORDER BY s."start") AS sent_no
    FROM sentences s SEMI JOIN (SELECT DISTINCT article_id FROM sel) a USING (article_id)),
prev AS (
    SELECT c.claim_id, lag(c."end") OVER (PARTITION BY c.sentence_id ORDER BY c."start") AS prev_end
    FROM claims c SEMI JOIN (SELECT DISTINCT sentence_id FROM sel) x USING (sentence_id)),
c AS (
    SELECT sel.*, sn.sent_no, coalesce(prev.prev_end, sn.s_start, sel."start") AS pre_from, {_NUM}
    FROM sel LEFT JOIN sn USING (sentence_id) LEFT JOIN prev USING (claim_id))
SELECT c.claim_id, c.fact_id, c.metric_id, c.doc_id, c.article_id, c.sentence_id, c.sent_no, c."start",
       c."end", c.mention, c.value, c.unit, c.qualifier, c.kind, c.metric, c.region, c.period_start,
       c.period_end, c.status, c.published,
       c.pre_from, {_FALLBACK} AS fallback, {_STEP} AS step
FROM c
ORDER BY c.doc_id, c.article_id, c.sent_no, c."start"
"""

_FACTS_SQL = f"""
CREATE OR REPLACE TABLE facts AS
WITH agg AS (
    SELECT fact_id, count(*) AS n_claims, count(DISTINCT doc_id) AS n_docs,
           count(DISTINCT article_id) AS n_articles,
           list(claim_id ORDER BY published NULLS LAST, doc_id, "start") AS claim_ids
    FROM claims GROUP BY fact_id)
SELECT agg.fact_id, c.metric_id, c.metric, c.region, c.kind, c.unit, c.status, c.value, c.qualifier,
       c.period_start, c.period_end, {_FALLBACK.replace('period_', 'c.period_').replace('published', 'c.published')}
           AS period_is_publication, period_type(c.period_start, c.period_end) AS period_type,
       c.topic, c.sector, c.published, c.doc_id, c.article_id,
       agg.n_claims, agg.n_docs, agg.n_articles, agg.claim_ids
FROM agg JOIN claims c ON c.claim_id = agg.fact_id
ORDER BY agg.n_claims = 1, agg.fact_id;  -- facts cited more than once first: the dashboard reads only those
CREATE OR REPLACE VIEW series AS
SELECT metric_id, region, kind, unit, period_type, count(*) AS n_facts,
       count(DISTINCT (period_start, period_end)) AS n_periods, count(DISTINCT doc_id) AS n_docs,
       min(period_end) AS first_period, max(period_end) AS last_period
FROM facts
WHERE status = 'actual' AND metric_id IS NOT NULL AND kind IN ('amount', 'count', 'rank')
GROUP BY ALL
HAVING count(DISTINCT (period_start, period_end)) >= 2;
"""


# etl.periods.period_type in SQL (a test checks that both agree): a series is one metric,
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


def derive(con: duckdb.DuckDBPyConnection) -> None:
    """Fill claims.metric_id, fact_id and n_citations; (re)build metrics, facts, series,
    metric_counts and checks."""
    for col, typ in (("metric_id", "VARCHAR"), ("fact_id", "VARCHAR"), ("n_citations", "INTEGER")):
        con.execute(f"ALTER TABLE claims ADD COLUMN IF NOT EXISTS {col} {typ}")
    con.execute(_SCHEMA)
    assign_metric_ids(con)
    resolve_in_article(con)
    con.execute(_FACT_IDS_SQL)
    con.execute("""UPDATE claims SET fact_id = f.fact_id, n_citations = f.n_citations FROM _fact_ids f
                   WHERE claims.claim_id = f.claim_id""")
    con.execute("UPDATE claims SET fact_id = claim_id, n_citations = 1 WHERE fact_id IS NULL OR n_citations IS NULL")
    con.execute("DROP TABLE _fact_ids")
    _write_metrics(con)
    con.execute(PERIOD_TYPE_MACRO)
    con.execute(_FACTS_SQL)
    write_aggregates(con)
    _write_checks(con, find_checks(con))


def write_aggregates(con: duckdb.DuckDBPyConnection) -> None:
    """Small tables the dashboard reads instead of aggregating every claim (ui/queries.py):

    - `metric_counts`: ui.queries.metric_counts without filters (one row per metric id, unit and
      kind: facts, citations, the best line's documents and periods, phrases);
    - `metric_headline`: per metric id its newest actual fact and number of facts, the
      candidates of the home page's headline figures without filters;
    - `metric_lines`: per line (metric id, unit, kind, region, status) its facts, documents and
      reference periods; `metric_phrases`: its claims per metric phrase. All citations of a
      fact share these keys, so metric_counts under filters on region, kind, status and unit
      sums whole lines.
    """
    from ui.queries import headline_picks_sql, metric_counts_sql

    con.execute(f"CREATE OR REPLACE TABLE metric_counts AS {metric_counts_sql()}")
    con.execute(f"CREATE OR REPLACE TABLE metric_headline AS {headline_picks_sql()} ORDER BY metric_id")
    con.execute("""
        CREATE OR REPLACE TABLE metric_lines AS
        SELECT metric_id, coalesce(unit, '') AS unit, kind, region, status, count(*) AS n_facts,
               count(DISTINCT doc_id) AS docs, count(DISTINCT (period_start, period_end)) AS periods
        FROM facts WHERE metric_id IS NOT NULL AND value IS NOT NULL GROUP BY ALL ORDER BY ALL""")
    con.execute("""
        CREATE OR REPLACE TABLE metric_phrases AS
        SELECT metric_id, coalesce(unit, '') AS unit, kind, region, status, metric, count(*) AS n_claims
        FROM claims WHERE metric_id IS NOT NULL AND value IS NOT NULL GROUP BY ALL ORDER BY ALL""")


# ---------------------------------------------------------------- metric ids

def _register(con: duckdb.DuckDBPyConnection, name: str, frame: pd.DataFrame) -> None:
    con.register(name, pa.Table.from_pandas(frame, preserve_index=False))


def assign_metric_ids(con: duckdb.DuckDBPyConnection) -> None:
    """claims.metric_id from the catalog (once per distinct phrase)."""
    cat = catalog()
    phrases = [r[0] for r in con.execute("SELECT DISTINCT metric FROM claims WHERE metric IS NOT NULL").fetchall()]
    ids = pd.DataFrame({"metric": phrases, "metric_id": [cat.metric_id(m) for m in phrases]}, dtype=object)
    _register(con, "_metric_ids", ids)
    try:
        con.execute("""UPDATE claims SET metric_id = m.metric_id FROM _metric_ids m
                       WHERE claims.metric = m.metric""")
        con.execute("UPDATE claims SET metric_id = NULL WHERE metric IS NULL")
    finally:
        con.unregister("_metric_ids")


def resolve_in_article(con: duckdb.DuckDBPyConnection) -> None:
    """A figure repeated in one article with a vaguer phrase takes the fuller phrase's metric id.

    In a group (same article, value, unit, kind, region) a member whose normalised phrase is
    empty or contained in another member's takes that member's id, preferring catalog ids,
    then longer phrases.
    """
    groups = con.execute("""
        SELECT claim_id, article_id, value, unit, kind, coalesce(region, '') AS region, metric, metric_id
        FROM claims WHERE value IS NOT NULL AND (article_id, value, unit, kind, coalesce(region, '')) IN (
            SELECT (article_id, value, unit, kind, coalesce(region, '')) FROM claims WHERE value IS NOT NULL
            GROUP BY ALL HAVING count(*) > 1 AND count(DISTINCT coalesce(metric_id, '')) > 1)""").df()
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
        _register(con, "_metric_fix", pd.DataFrame(changes, columns=["claim_id", "metric_id"]))
        try:
            con.execute("UPDATE claims SET metric_id = f.metric_id FROM _metric_fix f WHERE claims.claim_id = f.claim_id")
        finally:
            con.unregister("_metric_fix")


def _write_metrics(con: duckdb.DuckDBPyConnection) -> None:
    """Catalog metrics, then one row per derived id (its most frequent phrase, unit and topic)."""
    cat = catalog()
    rows = pd.DataFrame(cat.rows(), columns=["metric_id", "name_zh", "name_en", "unit", "topic", "synonyms"])
    _register(con, "_catalog", rows)
    try:
        con.execute("""
            INSERT INTO metrics
            SELECT k.metric_id, k.name_zh, k.name_en, k.unit, k.topic, k.synonyms, 'catalog',
                   (SELECT count(*) FROM claims c WHERE c.metric_id = k.metric_id)
            FROM _catalog k""")
    finally:
        con.unregister("_catalog")
    # The most frequent name, unit and topic of each derived metric; ties go to the smallest
    # value, so the table is the same on every run (mode() picks among ties arbitrarily).
    con.execute("""
        INSERT INTO metrics
        WITH base AS (
            SELECT metric_id, metric, unit, topic FROM claims
            WHERE metric_id IS NOT NULL AND metric_id NOT IN (SELECT metric_id FROM metrics)),
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
        GROUP BY b.metric_id""")


# ---------------------------------------------------------------- checks

def _records(con: duckdb.DuckDBPyConnection, selection_sql: str) -> list[dict]:
    """Check records for the claim ids chosen by `selection_sql` (SELECT claim_id ...), in text order."""
    con.execute(f"CREATE OR REPLACE TEMP TABLE _sel AS {selection_sql}")
    try:
        records = con.sql(_RECORDS_SQL).to_arrow_table().to_pylist()
        texts = dict(con.execute("SELECT doc_id, text FROM documents WHERE doc_id IN (SELECT DISTINCT doc_id FROM claims "
                                 "SEMI JOIN _sel USING (claim_id))").fetchall()) if records else {}
    finally:
        con.execute("DROP TABLE IF EXISTS _sel")
    # The text before each figure, sliced here: SQL's substring counts characters from the
    # start of the document for every claim, which made a file of many articles cost the
    # square of its length (a 200-article file: 15 s against 0.2 s as 200 files).
    for r in records:
        text = texts[r["doc_id"]]
        r["pre"] = _SPACES.sub("", text[r["pre_from"]:max(r["start"], r["pre_from"])])
        del r["pre_from"]
    return records


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
    from etl.places import by_name, gazetteer

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


def find_checks(con: duckdb.DuckDBPyConnection) -> list[ck.Check]:
    """All checks of the database: sums and shares per document, growth and conflicts per series."""
    out: list[ck.Check] = []
    qty = "c.kind IN ('amount', 'count')"
    # Sums: articles with a sentence holding a list cue and two figures of one unit.
    sums = _records(con, f"""
        SELECT claim_id FROM claims WHERE article_id IN (
            SELECT c.article_id FROM claims c JOIN sentences s USING (sentence_id)
            WHERE {qty} AND regexp_matches(s.text, '{_CUE}')
            GROUP BY c.article_id, c.sentence_id, c.unit HAVING count(*) >= 2)""")
    for g in group(sums, "article_id").values():
        out += ck.sum_checks(g)
    out += _share_checks(con)
    # Growth: series with a growth rate and figures at two or more stated periods.
    growth = _records(con, f"""
        WITH k AS (
            SELECT metric_id, region FROM claims c
            WHERE metric_id IS NOT NULL AND region IS NOT NULL AND NOT {_FALLBACK}
            GROUP BY ALL
            HAVING count(*) FILTER (WHERE kind = 'growth') > 0
               AND count(DISTINCT period_start) FILTER (WHERE {qty}) >= 2)
        SELECT claim_id FROM claims c SEMI JOIN k USING (metric_id, region)
        WHERE c.kind IN ('growth', 'amount', 'count') AND c.status = 'actual' AND NOT {_FALLBACK}""")
    for g in group(growth, "metric_id", "region").values():
        out += ck.growth_checks(g)
    # Conflicts: catalog metrics with two facts for one region, stated period, kind, unit, status.
    conflicts = _records(con, f"""
        WITH f AS (
            SELECT * FROM claims
            WHERE claim_id = fact_id AND metric_id IN (SELECT metric_id FROM metrics WHERE source = 'catalog')
              AND region IS NOT NULL AND NOT {_FALLBACK})
        SELECT claim_id FROM f WHERE (metric_id, region, kind, unit, status, period_start, period_end) IN (
            SELECT (metric_id, region, kind, unit, status, period_start, period_end) FROM f
            GROUP BY ALL HAVING count(*) > 1)""")
    keys = ["metric_id", "region", "kind", "unit", "status", "period_start", "period_end"]
    for g in group(conflicts, *keys).values():
        out += ck.conflict_checks(g)
    return _merge(con, out)


def _share_checks(con: duckdb.DuckDBPyConnection) -> list[ck.Check]:
    """Shares: the claims of share sentences and the sentence before them, plus the figures of
    catalog metrics in the same documents (where a share's whole may be stated)."""
    recs = _records(con, """
        WITH sn AS (
            SELECT sentence_id, article_id, row_number() OVER (PARTITION BY article_id ORDER BY "start") AS k
            FROM sentences),
        sh AS (
            SELECT DISTINCT sn.article_id, sn.k FROM claims c JOIN sentences s USING (sentence_id)
            JOIN sn USING (sentence_id) WHERE c.kind = 'share' AND contains(s.text, '占')),
        near AS (SELECT sn.sentence_id FROM sn JOIN sh ON sn.article_id = sh.article_id AND sn.k IN (sh.k, sh.k - 1))
        SELECT claim_id FROM claims SEMI JOIN near USING (sentence_id)
        UNION
        SELECT claim_id FROM claims c
        WHERE c.kind IN ('amount', 'count') AND c.doc_id IN (SELECT DISTINCT doc_id FROM claims WHERE kind = 'share')
          AND c.metric_id IN (SELECT metric_id FROM metrics WHERE source = 'catalog')""")
    if not recs:
        return []
    whole_keys = ("metric_id", "region", "period_start", "period_end")
    index = group((r for r in recs if r["claim_id"] == r["fact_id"] and not r["fallback"]), *whole_keys)
    pending: list[ck.ShareCase] = []

    def same_doc(case: ck.ShareCase, c: dict) -> bool:
        region, mid = whole(case.phrase, case.part.get("region"))
        return bool(case.phrase) and mid is not None and c.get("metric_id") == mid and c.get("region") == region

    def lookup(case: ck.ShareCase) -> list[dict]:
        region, mid = whole(case.phrase, case.part.get("region"))
        p = ck.period(case.share) or ck.period(case.part)
        if not case.phrase or mid is None or region is None or p is None:
            return []
        rows = index.get((mid, region, p[0], p[1]))
        if rows is None:
            pending.append(case)
            return []
        return rows

    out: list[ck.Check] = []
    for g in group(recs, "doc_id").values():
        out += ck.share_checks(g, lookup=lookup, same_doc=same_doc)
    # Wholes stated in documents without a share of their own.
    keys = {whole(c.phrase, c.part.get("region")) + (ck.period(c.share) or ck.period(c.part)) for c in pending}
    if keys:
        wanted = pd.DataFrame(sorted(keys), columns=["metric_id", "region", "period_start", "period_end"])
        _register(con, "_wholes", wanted)
        try:
            others = _records(con, f"""
                SELECT claim_id FROM claims c SEMI JOIN _wholes w USING (metric_id, region, period_start, period_end)
                WHERE c.claim_id = c.fact_id AND c.kind IN ('amount', 'count') AND NOT {_FALLBACK}""")
        finally:
            con.unregister("_wholes")
        index = group(others, *whole_keys)
        redo = list(pending)
        pending.clear()
        for case in redo:
            case.candidates = [c for c in lookup(case) if float(c["value"]) >= float(case.part["value"])]
            if case.candidates:
                out.append(ck.check_share(case))
    return out


_PRIORITY = {ck.CONSISTENT: 0, ck.INCONSISTENT: 1, ck.UNDETERMINED: 2}


def _merge(con: duckdb.DuckDBPyConnection, found: Iterable[ck.Check]) -> list[ck.Check]:
    """One check per set of facts; its claim ids cover every citation of those facts."""
    best: dict[str, ck.Check] = {}
    for c in found:
        old = best.get(c.check_id)
        if old is None or _PRIORITY[c.status] < _PRIORITY[old.status]:
            best[c.check_id] = c
    return sorted(best.values(), key=lambda c: (c.kind, c.check_id))


def _write_checks(con: duckdb.DuckDBPyConnection, found: list[ck.Check]) -> None:
    """Insert the checks; claim_ids lists the claims compared first, then every other citation."""
    if not found:
        return
    rows = pd.DataFrame({
        "check_id": [c.check_id for c in found], "kind": [c.kind for c in found],
        "status": [c.status for c in found], "detail": [c.detail for c in found],
        "involved": [list(c.claim_ids) for c in found]})
    _register(con, "_checks_in", rows)
    try:
        con.execute("""
            INSERT INTO checks
            WITH x AS (
                SELECT check_id, unnest(involved) AS claim_id, generate_subscripts(involved, 1) AS pos
                FROM _checks_in),
            f AS (SELECT x.*, c.fact_id FROM x JOIN claims c USING (claim_id)),
            allc AS (
                SELECT check_id, claim_id, pos * 2 AS k FROM f
                UNION ALL
                SELECT f.check_id, c2.claim_id, f.pos * 2 + 1 FROM f JOIN claims c2 ON c2.fact_id = f.fact_id),
            ranked AS (SELECT check_id, claim_id, min(k) AS k FROM allc GROUP BY ALL),
            lists AS (
                SELECT r.check_id, list(r.claim_id ORDER BY r.k, c.published NULLS LAST, c.doc_id, c."start")
                    AS claim_ids
                FROM ranked r JOIN claims c USING (claim_id) GROUP BY r.check_id),
            fl AS (SELECT check_id, list_sort(list_distinct(list(fact_id))) AS fact_ids FROM f GROUP BY check_id)
            SELECT i.check_id, i.kind, i.status, i.detail, l.claim_ids, fl.fact_ids
            FROM _checks_in i JOIN lists l USING (check_id) JOIN fl USING (check_id)""")
    finally:
        con.unregister("_checks_in")
