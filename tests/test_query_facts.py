"""The dashboard's fact-level queries (etl/store/queries.py) against straightforward reference SQL:
`claims.n_citations`, the `metric_counts` table and the representative-row shortcuts must give
the same answers as counting distinct fact ids over every matching claim."""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from bench import synth
from etl.store import queries as q


@pytest.fixture(scope="module")
def synth_db(tmp_path_factory) -> Path:
    db = tmp_path_factory.mktemp("synthq") / "claims.duckdb"
    synth.build_claims_db(db, 6000, seed=3)
    return db


@pytest.fixture(params=["seed", "synth"])
def con(request, seed_db: Path, synth_db: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    c = duckdb.connect(str(seed_db if request.param == "seed" else synth_db), read_only=True)
    yield c
    c.close()


def scenarios(con: duckdb.DuckDBPyConnection) -> list[q.Filters]:
    top_metric, topic, doc = con.execute("""
        SELECT mode(metric), mode(topic), (SELECT doc_id FROM facts ORDER BY n_claims DESC, fact_id LIMIT 1)
        FROM claims""").fetchone()
    word = con.execute("SELECT substr(text, 3, 2) FROM sentences s JOIN claims c USING (sentence_id) "
                       "WHERE c.n_citations > 1 ORDER BY c.claim_id LIMIT 1").fetchone()
    return [
        q.Filters(),
        q.Filters(topic=(topic,)),
        q.Filters(region=("成都市",), since=dt.date(2022, 1, 1)),
        q.Filters(metric=(top_metric,)),
        q.Filters(q=word[0] if word else "增长"),
        q.Filters(doc=(doc,)),
        q.Filters(kind=("amount", "count"), status=("actual",), until=dt.date(2023, 12, 31), q="增长"),
    ]


def ref_where(f: q.Filters) -> tuple[str, list]:
    return q.where(f)


def test_n_citations_is_the_size_of_each_fact(con) -> None:
    bad = con.execute("""SELECT count(*) FROM claims c JOIN (SELECT fact_id, count(*) AS n FROM claims GROUP BY 1) g
                         USING (fact_id) WHERE c.n_citations IS DISTINCT FROM g.n""").fetchone()[0]
    assert bad == 0
    assert con.execute("SELECT count(*) FROM facts WHERE n_claims > 1").fetchone()[0] == con.execute(
        "SELECT count(DISTINCT fact_id) FROM claims WHERE n_citations > 1").fetchone()[0]


def test_counts_match_distinct_fact_ids(con) -> None:
    for f in scenarios(con):
        w, params = ref_where(f)
        assert q.count_facts(con, f) == con.execute(f"SELECT count(DISTINCT fact_id) FROM claims c {w}",
                                                    params).fetchone()[0], f
        extra = " AND " if w else " WHERE "
        ref = con.execute(f"""SELECT c.region, count(DISTINCT c.fact_id) AS n FROM claims c {w}{extra} c.region IS NOT NULL
                              GROUP BY 1 ORDER BY n DESC, c.region""", params).df()
        got = q.region_counts(con, f)
        pd.testing.assert_frame_equal(got.reset_index(drop=True), ref.reset_index(drop=True), check_dtype=False)
        ref = con.execute(f"""SELECT topic, count(*) AS n FROM (
                                  SELECT c.fact_id, first(coalesce(c.topic, '') ORDER BY (c.claim_id = c.fact_id) DESC,
                                                          c.claim_id) AS topic
                                  FROM claims c {w} GROUP BY c.fact_id)
                              GROUP BY 1 ORDER BY n DESC, topic""", params).df()
        pd.testing.assert_frame_equal(q.topic_counts(con, f), ref, check_dtype=False)


def _ref_facts_of(w: str) -> str:
    return f"c.claim_id IN (SELECT c.fact_id FROM claims c {w})"


def test_headline_matches_a_window_over_all_claims(con) -> None:
    for f in scenarios(con):
        w, params = ref_where(f)
        ref = con.execute(f"""
            WITH m AS (
                SELECT c.claim_id, c.metric_id, c.region, c.kind, c.value,
                       count(*) OVER (PARTITION BY c.metric_id) AS cited,
                       row_number() OVER (PARTITION BY c.metric_id ORDER BY {q.CLAIM_DATE} DESC NULLS LAST,
                                          (c.region = '成都市') DESC, c.value DESC, c.claim_id) AS rn
                FROM claims c WHERE {_ref_facts_of(w)} AND c.metric_id IS NOT NULL AND c.value IS NOT NULL
                  AND c.status = 'actual' AND c.kind IN ('amount', 'count', 'share', 'growth'))
            SELECT claim_id, cited FROM m WHERE rn = 1
            ORDER BY (region = '成都市') DESC, CASE kind WHEN 'amount' THEN 0 WHEN 'count' THEN 1 ELSE 2 END,
                     cited DESC, value DESC, claim_id LIMIT 8""", params).df()
        got = q.headline_claims(con, f, 8)
        assert list(got["claim_id"]) == list(ref["claim_id"]), f
        assert list(got["cited"]) == list(ref["cited"])
        assert (got["n_citations"] >= 1).all()


def test_series_and_region_latest_select_the_same_facts(con) -> None:
    series = q.metric_counts(con, q.Filters()).head(3)
    for f in scenarios(con):
        w, params = ref_where(f)
        extra = " AND " if w else " WHERE "
        for r in series.itertuples():
            cond = "c.metric_id = ? AND coalesce(c.unit, '') = ? AND c.value IS NOT NULL AND c.kind = ?"
            args = [*params, r.metric_id, r.unit, r.kind]
            ref = {x[0] for x in con.execute(
                f"SELECT c.claim_id FROM claims c WHERE {_ref_facts_of(w + extra + cond)}", args).fetchall()}
            got = q.metric_series(con, f, r.metric_id, r.unit, r.kind)
            assert set(got["claim_id"]) == ref and len(got) == len(ref), (f, r.metric_id)
            assert (got["claim_id"] == got["fact_id"]).all()
            table = q.series_claims(con, f, r.metric_id, r.unit, r.kind, limit=5)
            assert set(table["claim_id"]) <= ref and len(table) == min(5, len(ref))
            assert "sentence" in table and list(table["x_date"]) == sorted(table["x_date"], reverse=True)
            ref = con.execute(f"""
                SELECT c.claim_id FROM claims c WHERE {_ref_facts_of(w + extra + cond + ' AND c.region IS NOT NULL')}
                QUALIFY row_number() OVER (PARTITION BY c.region ORDER BY (c.status = 'actual') DESC,
                                           {q.CLAIM_DATE} DESC NULLS LAST, c.claim_id) = 1""", args).df()
            got = q.region_latest(con, f, r.metric_id, r.unit, r.kind)
            assert set(got["claim_id"]) == set(ref["claim_id"])


def test_metric_counts_table_equals_the_live_query(con) -> None:
    stored = q.metric_counts(con, q.Filters())
    live = con.execute(q.metric_counts_sql()).df()
    pd.testing.assert_frame_equal(stored, live, check_dtype=False)
    ref = con.execute("""SELECT metric_id, coalesce(unit, '') AS unit, kind, count(DISTINCT fact_id) AS n_ref,
                                count(*) AS k FROM claims WHERE metric_id IS NOT NULL AND value IS NOT NULL
                         GROUP BY ALL""").df()
    merged = stored.merge(ref, on=["metric_id", "unit", "kind"])
    assert len(merged) == len(stored) == len(ref)
    assert (merged["n"] == merged["n_ref"]).all() and (merged["n_claims"] == merged["k"]).all()
    for f in scenarios(con)[1:]:
        w, params = ref_where(f)
        extra = " AND " if w else " WHERE "
        got = q.metric_counts(con, f)
        ref = con.execute(f"""
            WITH x AS (SELECT c.metric_id, coalesce(c.unit, '') AS unit, c.kind, c.fact_id FROM claims c {w}{extra}
                       c.metric_id IS NOT NULL AND c.value IS NOT NULL),
            line AS (
                SELECT x.metric_id, x.unit, x.kind, count(DISTINCT fa.doc_id) AS docs,
                       count(DISTINCT (fa.period_start, fa.period_end)) AS periods
                FROM (SELECT DISTINCT metric_id, unit, kind, fact_id FROM x) x JOIN facts fa ON fa.fact_id = x.fact_id
                GROUP BY x.metric_id, x.unit, x.kind, fa.region, fa.status)
            SELECT metric_id, unit, kind, coalesce(max(docs) FILTER (WHERE periods >= 2), 0) AS series_docs,
                   max(periods) AS series_periods,
                   (SELECT count(DISTINCT fact_id) FROM x WHERE x.metric_id = line.metric_id AND x.unit = line.unit
                    AND x.kind = line.kind) AS n
            FROM line GROUP BY ALL""", params).df()
        m = got.merge(ref, on=["metric_id", "unit", "kind"], suffixes=("", "_ref"))
        assert len(m) == len(got) == len(ref), f
        for col in ("n", "series_docs", "series_periods"):
            assert (m[col] == m[f"{col}_ref"]).all(), (f, col)


def test_stored_headline_equals_the_live_query(con) -> None:
    stored = con.execute("SELECT * FROM metric_headline ORDER BY metric_id").df()
    live = con.execute(f"SELECT * FROM ({q.headline_picks_sql()}) ORDER BY metric_id").df()
    pd.testing.assert_frame_equal(stored, live)


def test_metric_counts_of_whole_lines_equal_the_live_query(con) -> None:
    from ui.charts import district_names

    for f in (q.Filters(region=district_names()), q.Filters(kind=("count", "share")),
              q.Filters(region=("成都市",), status=("actual",)), q.Filters(unit=("户", "元"), kind=("count", "amount"))):
        w, params = q.where(f)
        live = con.execute(q.metric_counts_sql(w), params).df()
        pd.testing.assert_frame_equal(q.metric_counts(con, f), live, check_dtype=False)


def test_latest_articles_matches_grouping_every_claim(con) -> None:
    for f in scenarios(con):
        w, params = ref_where(f)
        ref = con.execute(f"""
            SELECT c.article_id, count(*) AS n_claims, arg_min(c.claim_id, c."start") AS first_claim
            FROM claims c {w} GROUP BY c.article_id
            ORDER BY any_value(c.published) DESC NULLS LAST, c.article_id LIMIT 7""", params).df()
        got = q.latest_articles(con, f, 7)
        assert list(got["article_id"]) == list(ref["article_id"]), f
        assert list(got["n_claims"]) == list(ref["n_claims"]) and list(got["first_claim"]) == list(ref["first_claim"])


def test_filtered_claims_rows_and_citations(con) -> None:
    for f in scenarios(con):
        w, params = ref_where(f)
        keys = [r[0] for r in con.execute(
            f'SELECT c.claim_id FROM claims c {w} ORDER BY c.published DESC NULLS LAST, c.doc_id, c."start" LIMIT 50',
            params).fetchall()]
        got = q.filtered_claims(con, f, 50)
        assert list(got["claim_id"]) == keys
        assert got["sentence"].notna().all()
