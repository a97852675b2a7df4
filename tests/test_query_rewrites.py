"""The dashboard queries rewritten for large archives give what the straightforward SQL gives:
the search tables (etl/store/search_index.py) select the same claims as scanning `sentences`, and
the rows fetched by primary key (etl.store.queries._cited) equal the rows joined."""
from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from bench import synth
from etl.store import queries as q
from etl.store import search_index
from ui import fact_queries as fq


@pytest.fixture(scope="module")
def synth_db(tmp_path_factory) -> Path:
    db = tmp_path_factory.mktemp("synthr") / "claims.duckdb"
    synth.build_claims_db(db, 6000, seed=5)
    return db


@pytest.fixture(scope="module")
def variants(tmp_path_factory, seed_db: Path, synth_db: Path) -> dict[tuple[str, bool], Path]:
    """Copies of the seed and synthetic databases with the search tables and without them."""
    out = {}
    for name, src in (("seed", seed_db), ("synth", synth_db)):
        for indexed in (False, True):
            dst = tmp_path_factory.mktemp(f"{name}-{indexed}") / "rongshu.duckdb"
            shutil.copyfile(src, dst)
            con = duckdb.connect(str(dst))
            if indexed:
                search_index.build(con)
            else:
                for t in q.SEARCH_TABLES:
                    con.execute(f"DROP TABLE IF EXISTS {t}")
            con.close()
            out[name, indexed] = dst
    return out


@pytest.fixture(params=["seed", "synth"])
def cons(request, variants) -> Iterator[tuple]:
    """(connection without the search tables, connection with them) on the same data."""
    plain = duckdb.connect(str(variants[request.param, False]), read_only=True)
    with_index = duckdb.connect(str(variants[request.param, True]), read_only=True)
    yield plain, with_index
    plain.close()
    with_index.close()


def searches(con: duckdb.DuckDBPyConnection) -> list[q.Filters]:
    word = con.execute("SELECT substr(text, 3, 2) FROM sentences s JOIN claims c USING (sentence_id) "
                       "ORDER BY c.claim_id LIMIT 1").fetchone()[0]
    # A word found only in a metric phrase, not in the claim's sentence.
    only_metric = con.execute("""SELECT substr(c.metric, 1, 2) FROM claims c JOIN sentences s USING (sentence_id)
                                 WHERE c.metric IS NOT NULL AND NOT contains(s.text, substr(c.metric, 1, 2))
                                 ORDER BY c.claim_id LIMIT 1""").fetchone()
    out = [q.Filters(q=word), q.Filters(q=f"{word} 增长"), q.Filters(q="进出口"), q.Filters(q="没有这个词"),
           q.Filters(kind=("amount", "count"), since=dt.date(2020, 1, 1), q="增长")]
    if only_metric:
        out.append(q.Filters(q=only_metric[0]))
    return out


def test_search_tables_hold_the_cited_sentences(variants, synth_db) -> None:
    for db in [synth_db, *(p for (_, indexed), p in variants.items() if indexed)]:
        con = duckdb.connect(str(db), read_only=True)
        try:
            assert search_index.is_current(con)
            assert q.has_search_index(con)
            n = con.execute("SELECT count(*) FROM search_sentences").fetchone()[0]
            assert n == con.execute("SELECT count(DISTINCT sentence_key) FROM claims").fetchone()[0] > 0
        finally:
            con.close()


def test_search_tables_updated_for_changed_documents(tmp_path, variants) -> None:
    db = tmp_path / "r.duckdb"
    shutil.copyfile(variants["seed", True], db)
    con = duckdb.connect(str(db))
    try:
        docs = [r[0] for r in con.execute("SELECT DISTINCT doc_id FROM claims ORDER BY 1 LIMIT 3").fetchall()]
        # A load: the first document removed, the second's sentences changed, the third unchanged.
        con.execute("CREATE TEMP TABLE _changed_docs AS SELECT unnest(?::VARCHAR[]) AS doc_id", [docs[:2]])
        for t in ("claims", "sentences"):
            con.execute(f"DELETE FROM {t} WHERE doc_id = ?", [docs[0]])
        con.execute("UPDATE sentences SET text = text || '新词' WHERE doc_id = ?", [docs[1]])
        assert not search_index.is_current(con)
        search_index.build(con, "_changed_docs")
        assert search_index.is_current(con)
        assert con.execute("SELECT count(*) FROM search_sentences WHERE doc_id = ?", [docs[0]]).fetchone()[0] == 0
    finally:
        con.close()


def _frames(plain, with_index, fn, *args) -> None:
    a, b = fn(plain, *args), fn(with_index, *args)
    if isinstance(a, pd.DataFrame):
        pd.testing.assert_frame_equal(a.reset_index(drop=True), b.reset_index(drop=True))
    else:
        assert a == b


def test_searches_select_the_same_claims_with_the_search_tables(cons) -> None:
    plain, with_index = cons
    assert not q.has_search_index(plain) and q.has_search_index(with_index)
    series = q.metric_counts(plain, q.Filters()).head(2)
    for f in searches(plain):
        w_plain, p_plain = q.where(f)
        w_index, p_index = q.where(f, indexed=True)
        assert w_plain != w_index
        ids = plain.execute(f"SELECT claim_id FROM claims c {w_plain} ORDER BY 1", p_plain).fetchall()
        assert with_index.execute(f"SELECT claim_id FROM claims c {w_index} ORDER BY 1", p_index).fetchall() == ids, f
        for fn in (q.count_claims, q.count_facts, q.topic_counts, q.region_counts, q.metric_counts,
                   q.latest_articles, q.headline_claims):
            _frames(plain, with_index, fn, f)
        _frames(plain, with_index, q.filtered_claims, f, 30)
        for r in series.itertuples():
            for fn in (q.metric_series, q.series_claims, q.region_latest):
                _frames(plain, with_index, fn, f, r.metric_id, r.unit, r.kind)


# The queries as they were written before rows were fetched by primary key: the references.
_ORDER = 'ORDER BY c.published DESC NULLS LAST, c.doc_id, c."start"'


def _ref_filtered_claims(con, f: q.Filters, limit: int) -> pd.DataFrame:
    w, params = q.where(f)
    keys = f"SELECT c.rowid AS r FROM claims c {w} {_ORDER} LIMIT ?"
    sql = f"SELECT {q.CLAIM_COLUMNS} FROM ({keys}) k JOIN claims c ON c.rowid = k.r {q._JOIN} {_ORDER}"
    return con.execute(sql, [*params, limit]).df()


def _ref_series_claims(con, f: q.Filters, metric_id: str, unit: str, kind: str, limit: int) -> pd.DataFrame:
    w, params = q.where(f)
    facts = q._selected_facts(w, q._series_cond(kind=kind), {"r": "c.rowid", "claim_id": "c.claim_id",
                                                             "d": q.CLAIM_DATE, "region": "c.region"})
    sql = f"""SELECT {q.CLAIM_COLUMNS}, CAST(k.d AS DATE) AS x_date
              FROM (SELECT r, d FROM ({facts}) c ORDER BY d DESC NULLS LAST, region, claim_id LIMIT ?) k
              JOIN claims c ON c.rowid = k.r {q._JOIN} ORDER BY x_date DESC NULLS LAST, c.region, c.claim_id"""
    return con.execute(sql, [*params, metric_id, unit, kind, limit]).df()


def _ref_region_latest(con, f: q.Filters, metric_id: str, unit: str, kind: str) -> pd.DataFrame:
    w, params = q.where(f)
    facts = q._selected_facts(w, q._series_cond(region=True, kind=kind),
                              {"claim_id": "c.claim_id", "region": "c.region", "status": "c.status", "d": q.CLAIM_DATE})
    sql = f"""SELECT {q.CLAIM_COLUMNS} FROM (
                SELECT claim_id FROM ({facts})
                QUALIFY row_number() OVER (PARTITION BY region ORDER BY (status = 'actual') DESC, d DESC NULLS LAST,
                                           claim_id) = 1
              ) k JOIN claims c ON c.claim_id = k.claim_id {q._JOIN} ORDER BY c.value DESC, c.region"""
    return con.execute(sql, [*params, metric_id, unit, kind]).df()


@pytest.fixture(params=["seed", "synth"])
def con(request, seed_db: Path, synth_db: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    c = duckdb.connect(str(seed_db if request.param == "seed" else synth_db), read_only=True)
    yield c
    c.close()


@pytest.fixture(params=[q.MAX_INDEX_KEYS, 3])
def max_keys(request, monkeypatch) -> int:
    """The lookups by primary key, and the joins past their limit."""
    monkeypatch.setattr(q, "MAX_INDEX_KEYS", request.param)
    return request.param


def _scenarios(con) -> list[q.Filters]:
    topic, metric = con.execute("SELECT mode(topic), mode(metric) FROM claims").fetchone()
    return [q.Filters(), q.Filters(topic=(topic,)), q.Filters(metric=(metric,)), q.Filters(q="增长"),
            q.Filters(region=("成都市",), since=dt.date(2022, 1, 1)), q.Filters(q="没有这个词")]


@pytest.fixture(params=["one cursor", "split"])
def lookups(request, monkeypatch) -> str:
    """Key lookups on the caller's cursor, and split over parallel cursors (3 parts of 4+ keys)."""
    if request.param == "split":
        monkeypatch.setattr(q, "_KEYS_PER_PART", 4)
        monkeypatch.setattr(q, "_LOOKUP_THREADS", 3)
    return request.param


def test_rows_fetched_by_key_equal_the_rows_joined(con, max_keys, lookups) -> None:
    for f in _scenarios(con):
        for limit in (1, 40, 500):
            pd.testing.assert_frame_equal(q.filtered_claims(con, f, limit), _ref_filtered_claims(con, f, limit))
    for r in q.metric_counts(con, q.Filters()).head(3).itertuples():
        for f in _scenarios(con)[:3]:
            pd.testing.assert_frame_equal(q.series_claims(con, f, r.metric_id, r.unit, r.kind, 50),
                                          _ref_series_claims(con, f, r.metric_id, r.unit, r.kind, 50))
            pd.testing.assert_frame_equal(q.region_latest(con, f, r.metric_id, r.unit, r.kind),
                                          _ref_region_latest(con, f, r.metric_id, r.unit, r.kind))


def test_check_citations_equal_the_joined_query(con, max_keys, lookups) -> None:
    ids = [r[0] for r in con.execute(fq.CHECKS_SQL, [list(fq.STATUSES), list(fq.KINDS), 500]).fetchall()]
    assert ids
    for sub in (ids, ids[:1], ids[::7], [], ["no such check"]):
        ref = con.execute(fq.CITATIONS_SQL, [sub]).df()
        pd.testing.assert_frame_equal(fq.citations(con, sub), ref)
        pd.testing.assert_frame_equal(q.check_citations(con, tuple(sub)), ref)


def test_split_lookups_on_a_dashboard_cursor(synth_db: Path, monkeypatch) -> None:
    """The dashboard's cursors start in an in-memory catalog with the database attached
    (ui/db.py): the parallel cursors must read the attached one."""
    monkeypatch.setattr(q, "_KEYS_PER_PART", 4)
    monkeypatch.setattr(q, "_LOOKUP_THREADS", 3)
    base = duckdb.connect(":memory:")
    base.execute("ATTACH ? AS rongshu (READ_ONLY)", [str(synth_db)])
    cur = base.cursor()
    cur.execute("USE rongshu")
    ids = [r[0] for r in cur.execute("SELECT claim_id FROM claims ORDER BY hash(claim_id) LIMIT 50").fetchall()]
    got = q._by_key(cur, "claims", ("claim_id", "value"), "claim_id", [*ids, "no such claim"])
    want = cur.execute("SELECT claim_id, value FROM claims WHERE claim_id IN (SELECT unnest(?::VARCHAR[]))",
                       [ids]).fetchall()
    assert sorted(zip(*got.to_pydict().values(), strict=True)) == sorted(want) and len(want) == 50
    assert q._by_key(cur, "claims", ("claim_id",), "claim_id", []).num_rows == 0
    base.close()
