"""Issue 6 on the dashboard: series across articles on the Trends page, duplicates counted once
and listed with every citation (queries and AppTest pages on the seed database)."""
from __future__ import annotations

import base64
import json
from collections.abc import Iterator
from pathlib import Path

import duckdb
import numpy as np
import pytest
from test_app_pages import html_bodies, open_page, sql, url_values

from etl.store import queries as q

NEW_ENTITIES = ("新设经营主体", "新登记经营主体", "新登记市场主体", "新增经营主体")
ENTITIES_TOTAL = ("经营主体总量", "市场主体总量")


@pytest.fixture(autouse=True)
def _use_seed_db(seed_db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RONGSHU_DB", str(seed_db))


@pytest.fixture
def con(seed_db: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    c = duckdb.connect(str(seed_db), read_only=True)
    yield c
    c.close()


def series_key(db: Path, phrases: tuple[str, ...]) -> str:
    """The Trends page's key of the 成都市 count series of a metric named by one of `phrases`."""
    ids = {r[0] for r in sql(db, "SELECT DISTINCT metric_id FROM claims WHERE metric IN (SELECT unnest(?::VARCHAR[]))"
                                 " AND region = '成都市' AND kind = 'count'", list(phrases))}
    assert len(ids) == 1, ids  # every wording maps to one catalog metric
    return f"{ids.pop()}:count:户"


def numbers(v) -> list[float]:
    """A plotly array: a list, or a typed array {"dtype": ..., "bdata": base64}."""
    if isinstance(v, dict) and "bdata" in v:
        return np.frombuffer(base64.b64decode(v["bdata"]), dtype=np.dtype(v["dtype"])).tolist()
    return list(v)


def chart_points(at) -> list[tuple[str, str, float]]:
    """(trace name, claim id, y) of every point of the Trends chart."""
    spec = json.loads(at.get("plotly_chart")[0].proto.spec)
    return [(tr["name"], cd[0], y) for tr in spec["data"]
            for cd, y in zip(tr["customdata"], numbers(tr["y"]), strict=True)]


def docs_and_periods(db: Path, claim_ids: list[str]) -> tuple[set, set]:
    rows = sql(db, "SELECT doc_id, period_start, period_end FROM claims WHERE claim_id IN (SELECT unnest(?::VARCHAR[]))",
               claim_ids)
    return {r[0] for r in rows}, {(r[1], r[2]) for r in rows}


def click(at, claim_id: str):
    at.session_state["trend_chart"] = {"selection": {"points": [{"customdata": {"0": claim_id}}], "point_indices": [0],
                                                     "box": [], "lasso": []}}
    return at.run()


# ----------------------------------------------------------------------------- queries

def test_metric_counts_are_per_metric_id_unit_and_kind(con) -> None:
    mc = q.metric_counts(con, q.Filters())
    assert not mc.duplicated(["metric_id", "unit", "kind"]).any()
    facts = con.execute("""SELECT metric_id, coalesce(unit, '') AS unit, kind, count(DISTINCT fact_id) AS n
                           FROM claims WHERE metric_id IS NOT NULL AND value IS NOT NULL GROUP BY ALL""").df()
    merged = mc.merge(facts, on=["metric_id", "unit", "kind"], suffixes=("", "_sql"))
    assert len(merged) == len(mc) and (merged["n"] == merged["n_sql"]).all()
    # Shares and ranks of a metric are series of their own, not points on its count line.
    new = mc[mc["metric_id"] == "new_market_entities"]
    assert set(new["kind"]) >= {"count", "share"}
    assert new.loc[new["kind"] == "count", "metric"].iloc[0] == "新设经营主体"  # catalog name


@pytest.mark.parametrize("phrases", [NEW_ENTITIES, ENTITIES_TOTAL])
def test_metric_series_one_point_per_fact_across_documents(seed_db: Path, con, phrases) -> None:
    metric_id, kind, unit = series_key(seed_db, phrases).split(":")
    df = q.metric_series(con, q.Filters(), metric_id, unit, kind)
    city = df[df["region"] == "成都市"]
    assert len(city) == 2 and not df["fact_id"].duplicated().any()
    assert (df["claim_id"] == df["fact_id"]).all()  # representatives only
    assert city["doc_id"].nunique() == 2
    assert sorted(d.year for d in city["x_date"]) == [2022, 2023]
    assert set(df["kind"]) == {"count"} and set(df["unit"]) == {"户"}
    # every citation of each point is listed (loaded on demand), and the count matches
    for r in city.itertuples():
        cites = q.fact_citations(con, r.fact_id)
        assert len(cites) == r.n_citations and set(cites["fact_id"]) == {r.fact_id}
        assert r.n_docs == cites["doc_id"].nunique()
    assert "sentence" not in df  # chart columns only


def test_duplicated_fact_is_counted_once_and_lists_all_citations(con) -> None:
    fact_id, n = con.execute("""SELECT fact_id, n_claims FROM facts
                                WHERE metric = '融资规模' AND value = 1.6e11 AND region = '成都市'""").fetchone()
    assert n == 3
    topic = con.execute("SELECT topic FROM claims WHERE claim_id = ?", [fact_id]).fetchone()[0]
    f = q.Filters(topic=(topic,))
    claims_n = con.execute("SELECT count(*) FROM claims WHERE topic = ?", [topic]).fetchone()[0]
    facts_n = con.execute("SELECT count(DISTINCT fact_id) FROM claims WHERE topic = ?", [topic]).fetchone()[0]
    assert facts_n <= claims_n - 2  # the three citations are one fact
    tc = q.topic_counts(con, f)
    assert int(tc.loc[tc["topic"] == topic, "n"].iloc[0]) == facts_n == q.count_facts(con, f)
    assert q.count_claims(con, f) == claims_n
    cites = q.fact_citations(con, fact_id)
    assert len(cites) == 3 and set(cites["fact_id"]) == {fact_id} and cites["sentence"].str.contains("1600").all()
    # The explorer's rows (one per claim) say how many places cite their fact.
    rows = q.filtered_claims(con, f)
    assert len(rows) == claims_n
    assert set(rows.loc[rows["fact_id"] == fact_id, "n_citations"]) == {3}


def test_kpis_do_not_double_count(con) -> None:
    f = q.Filters()
    facts = con.execute("SELECT count(DISTINCT fact_id) FROM claims").fetchone()[0]
    assert q.count_facts(con, f) == facts < q.count_claims(con, f)
    assert int(q.topic_counts(con, f)["n"].sum()) == facts
    rc = q.region_counts(con, f)
    assert int(rc["n"].sum()) == con.execute(
        "SELECT count(DISTINCT fact_id) FROM claims WHERE region IS NOT NULL").fetchone()[0]
    kpis = q.headline_claims(con, f, 20)
    assert (kpis["claim_id"] == kpis["fact_id"]).all()
    assert not kpis["metric_id"].duplicated().any()
    for r in kpis.itertuples():
        assert r.cited == con.execute("""SELECT count(DISTINCT fact_id) FROM claims WHERE metric_id = ? AND status = 'actual'
                                         AND value IS NOT NULL AND kind IN ('amount', 'count', 'share', 'growth')""",
                                      [r.metric_id]).fetchone()[0]


def test_a_filter_matching_any_citation_selects_the_fact(seed_db: Path, con) -> None:
    """A search word found only in a repeated citation still shows the fact (once)."""
    metric_id, kind, unit = series_key(seed_db, NEW_ENTITIES).split(":")
    df = q.metric_series(con, q.Filters(q="新设经营主体"), metric_id, unit, kind)
    assert len(df[(df["region"] == "成都市") & (df["kind"] == "count")]) >= 1
    assert not df["fact_id"].duplicated().any()


# ----------------------------------------------------------------------------- Trends page

def test_trends_defaults_to_a_multi_document_series(seed_db: Path) -> None:
    at = open_page("views/trend.py")
    assert not at.exception
    points = chart_points(at)
    by_line: dict[str, list[str]] = {}
    for name, cid, _ in points:
        by_line.setdefault(name, []).append(cid)
    best = max(by_line.values(), key=lambda ids: len(docs_and_periods(seed_db, ids)[0]))
    docs, periods = docs_and_periods(seed_db, best)
    assert len(docs) >= 2 and len(periods) >= 2
    assert at.selectbox(key="w_m").value in {series_key(seed_db, NEW_ENTITIES), series_key(seed_db, ENTITIES_TOTAL)}
    assert "m" not in at.query_params  # the default is not written to the URL


@pytest.mark.parametrize(("phrases", "values"), [(NEW_ENTITIES, [579400, 601800]),
                                                 (ENTITIES_TOTAL, [3638900, 3891200])])
def test_seed_series_are_selectable_and_cite_different_documents(seed_db: Path, phrases, values) -> None:
    key = series_key(seed_db, phrases)
    at = open_page("views/trend.py")
    # Options are shown formatted; multi-document series first, marked with their documents.
    options = at.selectbox(key="w_m").options
    assert sum("跨 2 个版面" in o for o in options[:2]) == 2
    at.selectbox(key="w_m").set_value(key).run()
    assert not at.exception
    assert at.selectbox(key="w_m").value == key
    assert url_values(at, "m") in ([key], [])
    city = [(cid, y) for name, cid, y in chart_points(at) if name == "成都市"]
    assert len(city) == 2
    docs, periods = docs_and_periods(seed_db, [cid for cid, _ in city])
    assert len(docs) == 2 and len(periods) == 2
    scale = values[0] / city[0][1]  # the axis may be in 万户
    assert [round(y * scale) for _, y in city] == values
    # The same series by URL (a bookmark).
    at2 = open_page("views/trend.py", m=key)
    assert not at2.exception and at2.selectbox(key="w_m").value == key


def test_clicking_a_point_lists_every_citation(seed_db: Path) -> None:
    key = series_key(seed_db, NEW_ENTITIES)
    at = open_page("views/trend.py", m=key)
    cid = next(c for name, c, y in chart_points(at) if name == "成都市"
               and sql(seed_db, "SELECT n_claims FROM facts WHERE fact_id = ?", c)[0][0] == 3)
    spec = json.loads(at.get("plotly_chart")[0].proto.spec)
    hover = " ".join(tr["hovertemplate"] for tr in spec["data"])
    assert "引用数" in hover and any("引用 3 处" in cd[5] for tr in spec["data"] for cd in tr["customdata"])
    click(at, cid)
    assert not at.exception
    claim_ids = sql(seed_db, "SELECT claim_ids FROM facts WHERE fact_id = ?", cid)[0][0]
    links = {el.proto.query_string for el in at.get("page_link") if el.proto.page == "source"}
    assert {f"claim={c}" for c in claim_ids} <= links
    body = html_bodies(at).replace('<strong class="claim-mention">', "").replace("</strong>", "")
    for c in claim_ids:
        sentence = sql(seed_db, "SELECT s.text FROM claims c JOIN sentences s USING (sentence_id) WHERE claim_id = ?",
                       c)[0][0]
        assert sentence[:8] in body.replace("&quot;", '"')
    assert any("全部引用（3 处）" in c.value for c in at.caption)


@pytest.mark.parametrize("params", [{"m": "新增经营主体", "u": "户"}, {"m": "new_market_entities"}])
def test_old_and_bare_metric_params_resolve(seed_db: Path, params) -> None:
    at = open_page("views/trend.py", **params)
    assert not at.exception
    assert at.selectbox(key="w_m").value == series_key(seed_db, NEW_ENTITIES)
    assert "u" not in at.query_params


def test_unknown_metric_param_is_ignored_gently() -> None:
    at = open_page("views/trend.py", m="nonsense:count:户")
    assert not at.exception
    assert "已忽略" in " ".join(c.value for c in at.caption) and "nonsense" in " ".join(c.value for c in at.caption)


def test_explorer_counts_claims_and_facts(seed_db: Path) -> None:
    at = open_page("views/browse.py")
    n, m = sql(seed_db, "SELECT count(*), count(DISTINCT fact_id) FROM claims")[0]
    assert [x.value for x in at.metric[:2]] == [f"{n:,}", f"{m:,}"]
    assert any(f"{n:,} 个数字 · {m:,} 个事实" in c.value for c in at.caption)
    table = at.dataframe[0].value
    assert "引用数" in table.columns and table["引用数"].max() == 3


def test_source_page_lists_the_other_citations(seed_db: Path) -> None:
    fact_id, claim_ids = sql(seed_db, "SELECT fact_id, claim_ids FROM facts WHERE metric = '融资规模' AND value = 1.6e11")[0]
    at = open_page("views/article.py", claim=claim_ids[-1])
    assert not at.exception
    links = {el.proto.query_string for el in at.get("page_link") if el.proto.page == "source"}
    assert {f"claim={c}" for c in claim_ids[:-1]} <= links


def test_fact_check_page_links_to_sources(seed_db: Path) -> None:
    at = open_page("views/fact_check.py")
    assert not at.exception
    assert at.title[0].value == "核查"
    links = [el.proto for el in at.get("page_link") if el.proto.page == "source"]
    n_checks = sql(seed_db, "SELECT count(*) FROM checks")[0][0]
    assert n_checks and len(links) >= n_checks
