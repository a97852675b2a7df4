"""The fact layer on the seeds: checks found automatically, series across documents, duplicates.

The checks are located by structure (kind, units, number of parts, regions), never by seed
figures in the code; this test file may name the figures it expects.
"""
from __future__ import annotations

import duckdb
import pytest


@pytest.fixture(scope="module")
def con(seed_db):
    c = duckdb.connect(str(seed_db), read_only=True)
    yield c
    c.close()


def _checks(con, kind: str):
    """Checks of a kind with the claims they compare (first the compared claims, in order)."""
    rows = con.execute("SELECT check_id, status, detail, claim_ids FROM checks WHERE kind = ?", [kind]).fetchall()
    out = []
    for check_id, status, detail, ids in rows:
        claims = con.execute("""SELECT claim_id, kind, unit, value, region, sentence_id FROM claims
                                WHERE claim_id IN (SELECT unnest(?::VARCHAR[]))""", [ids]).df()
        out.append({"id": check_id, "status": status, "detail": detail, "ids": ids, "claims": claims})
    return out


def test_every_claim_has_a_fact_and_metric_tables_exist(con) -> None:
    assert con.execute("SELECT count(*) FROM claims WHERE fact_id IS NULL").fetchone()[0] == 0
    assert con.execute("SELECT count(*) FROM metrics WHERE source = 'catalog'").fetchone()[0] >= 40
    orphans = con.execute("""SELECT count(*) FROM claims WHERE metric_id IS NOT NULL
                             AND metric_id NOT IN (SELECT metric_id FROM metrics)""").fetchone()[0]
    assert orphans == 0
    cols = {r[0] for r in con.execute("DESCRIBE checks").fetchall()}
    assert {"check_id", "kind", "status", "detail", "claim_ids"} <= cols


def test_sum_of_four_levels_is_consistent(con) -> None:
    # 市级32人、县级382人、镇(街道)级1990人、村(社区)级4270人，总人数6674人.
    found = [c for c in _checks(con, "sum") if c["status"] == "consistent"
             and set(c["claims"]["unit"]) == {"人"} and c["detail"].count(" + ") == 3]
    assert found, "the four-level total is not found"
    c = found[0]
    assert "32 + 382 + 1990 + 4270 = 6674" in c["detail"]
    assert c["claims"]["sentence_id"].nunique() >= 2  # the headline repeating the total is cited too


def test_sum_of_items_by_city_is_consistent(con) -> None:
    # 其中包含成都240条、德阳95条、眉山168条、资阳68条 of 571条 stated in the sentence before.
    found = [c for c in _checks(con, "sum") if c["status"] == "consistent" and set(c["claims"]["unit"]) == {"条"}
             and c["claims"]["region"].nunique() >= 4]
    assert found
    assert "240 + 95 + 168 + 68 = 571" in found[0]["detail"]


def test_credit_loan_share_of_financing_is_consistent(con) -> None:
    # 融资规模1600亿元，其中信用贷款规模1140亿元，占比达71.3% (1140/1600 = 71.25).
    found = [c for c in _checks(con, "share") if c["status"] == "consistent"
             and c["claims"]["region"].eq("成都市").all() and "71.25%" in c["detail"]]
    assert len(found) == 1, "one check, although the paragraph is printed twice"
    claims = found[0]["claims"]
    assert claims["sentence_id"].nunique() >= 2  # every repetition is cited
    assert con.execute("SELECT count(DISTINCT fact_id) FROM claims WHERE claim_id IN (SELECT unnest(?::VARCHAR[]))",
                       [found[0]["ids"]]).fetchone()[0] == 3


def test_chengdu_share_of_sichuan_trade_is_consistent(con) -> None:
    # 成都外贸进出口6834.7亿元，占四川外贸进出口总值(8630.4亿元)的79.2%.
    found = [c for c in _checks(con, "share") if c["status"] == "consistent"
             and {"成都市", "四川省"} <= set(c["claims"]["region"]) and "79.2%" in c["detail"]]
    assert found
    assert "6834.7亿元 ÷ 8630.4亿元" in found[0]["detail"]


def test_nothing_consistent_is_flagged_inconsistent(con) -> None:
    bad = con.execute("SELECT kind, detail FROM checks WHERE status = 'inconsistent'").fetchall()
    assert bad == [], bad


def test_series_across_documents(con) -> None:
    rows = con.execute("""SELECT metric_id, region, n_docs, n_periods FROM series
                          WHERE n_docs >= 2 AND n_periods >= 2""").fetchall()
    assert len(rows) >= 2, rows
    keys = {(m, r) for m, r, _, _ in rows}
    assert ("new_market_entities", "成都市") in keys  # 新登记市场主体 2022, 新设经营主体 2023
    assert ("market_entities_total", "成都市") in keys  # 市场主体总量 end of 2022, 经营主体总量 2023


def test_duplicates_share_a_fact_id(con) -> None:
    def facts(mention_value: float, unit: str, region: str) -> tuple[int, int, int]:
        return con.execute("""SELECT count(*), count(DISTINCT fact_id), count(DISTINCT doc_id) FROM claims
                              WHERE value = ? AND unit = ? AND region = ?""", [mention_value, unit, region]).fetchone()
    n, f, _ = facts(1.6e11, "元", "成都市")  # 融资规模1600亿元: headline and two paragraphs
    assert n >= 2 and f == 1
    n, f, d = facts(24, "位", "成都市")  # the same innovation ranking on two pages
    assert n >= 2 and f == 1 and d == 2
    fid = con.execute("SELECT fact_id FROM claims WHERE value = 24 AND unit = '位' LIMIT 1").fetchone()[0]
    n_claims, n_docs = con.execute("SELECT n_claims, n_docs FROM facts WHERE fact_id = ?", [fid]).fetchone()
    assert n_claims >= 2 and n_docs == 2


def test_rerun_gives_the_same_ids(seed_db, tmp_path) -> None:
    from tests.conftest import SEEDS, build_db

    db = tmp_path / "again.duckdb"
    assert build_db([SEEDS], db)[0] == 0
    a = duckdb.connect(str(seed_db), read_only=True)
    b = duckdb.connect(str(db), read_only=True)
    q = "SELECT claim_id, metric_id, fact_id FROM claims ORDER BY claim_id"
    assert a.execute(q).fetchall() == b.execute(q).fetchall()
    q = "SELECT check_id, status FROM checks ORDER BY check_id"
    assert a.execute(q).fetchall() == b.execute(q).fetchall()
