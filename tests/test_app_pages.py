"""Every dashboard page under streamlit.testing.v1.AppTest, on a database built from the seeds."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from appdb import PAGES, build_seed_db, open_page
from conftest import query as sql
from streamlit.testing.v1 import AppTest


@pytest.fixture(scope="module")
def seed_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_seed_db(tmp_path_factory.mktemp("db") / "rongshu.duckdb")


@pytest.fixture(autouse=True)
def _use_seed_db(seed_db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RONGSHU_DB", str(seed_db))


def claims_metric(at: AppTest) -> int:
    """The claim count shown by the explorer's metric card."""
    return int(at.metric[0].value.replace(",", ""))


def url_values(at: AppTest, key: str) -> list[str]:
    """A query parameter of the app's URL as a list (AppTest unwraps single values)."""
    v = at.query_params.get(key, [])
    return [v] if isinstance(v, str) else list(v)


def html_bodies(at: AppTest) -> str:
    return "\n".join(el.proto.body for el in at.get("html"))


@pytest.mark.parametrize("page", PAGES)
def test_every_page_renders(page: str) -> None:
    at = open_page(page)
    assert not at.exception, [e.value for e in at.exception]
    assert at.title, "page has a title"


@pytest.mark.parametrize("page", PAGES[:5])
def test_pages_render_in_english(page: str) -> None:
    at = open_page(page, lang="en")
    assert not at.exception
    assert at.toggle(key="w_lang").value is True
    assert any(t in at.title[0].value for t in ("Rongshu", "Ask", "Trends", "Districts", "Explorer", "Sectors", "Checks"))


def test_overview_shows_headline_figures(seed_db: Path) -> None:
    at = open_page(PAGES[0])
    n = sql(seed_db, "SELECT count(*) FROM claims")[0][0]
    assert [m.value for m in at.metric][3] == f"{n:,}"
    facts = sql(seed_db, "SELECT count(DISTINCT fact_id) FROM claims")[0][0]
    assert [m.value for m in at.metric][4] == f"{facts:,}" and facts < n
    kpis = [m.value for m in at.metric[5:]]
    assert kpis and all(any(u in v for u in "亿万%元户家个") or v[0].isdigit() for v in kpis)
    links = [el.proto.page for el in at.get("page_link")]
    assert links and all("source" in p for p in links)


def test_filter_changes_row_count(seed_db: Path) -> None:
    at = open_page("views/browse.py")
    total = claims_metric(at)
    assert total == sql(seed_db, "SELECT count(*) FROM claims")[0][0]
    topic = sql(seed_db, "SELECT topic FROM claims GROUP BY 1 ORDER BY count(*) DESC LIMIT 1")[0][0]
    at.multiselect(key="w_topic").set_value([topic]).run()
    assert not at.exception
    expected = sql(seed_db, "SELECT count(*) FROM claims WHERE topic = ?", topic)[0][0]
    assert claims_metric(at) == expected < total
    assert url_values(at, "topic") == [topic]  # the URL is the state
    rows = at.dataframe[0].value
    assert len(rows) == expected

    at.text_input(key="w_q").set_value("进出口").run()
    expected_q = sql(seed_db, """SELECT count(*) FROM claims c JOIN sentences s USING (sentence_id)
                                 WHERE c.topic = ? AND (contains(s.text, '进出口') OR contains(coalesce(c.metric, ''), '进出口'))""",
                     topic)[0][0]
    assert claims_metric(at) == expected_q
    assert url_values(at, "q") == ["进出口"]


def test_filters_from_url_and_persist_across_pages(seed_db: Path) -> None:
    region = sql(seed_db, "SELECT region FROM claims WHERE region LIKE '%区' GROUP BY 1 ORDER BY count(*) DESC")[0][0]
    at = open_page("views/browse.py", region=region)
    expected = sql(seed_db, "SELECT count(*) FROM claims WHERE region = ?", region)[0][0]
    assert claims_metric(at) == expected
    at.switch_page("views/district_map.py").run()
    assert not at.exception
    assert at.multiselect(key="w_region").value == [region]
    at.switch_page("views/browse.py").run()
    assert claims_metric(at) == expected


def test_empty_result_has_helpful_state() -> None:
    at = open_page("views/browse.py", q="这句话绝对不会出现在任何报纸里")
    assert not at.exception
    assert claims_metric(at) == 0
    text = " ".join(m.value for m in at.markdown) + " ".join(c.value for c in at.caption)
    assert "没有符合" in text and "放宽" in text


def test_ask_answers_a_question_from_the_url_with_its_source(seed_db: Path) -> None:
    at = open_page("views/ask.py", q="2023年成都新设经营主体多少户？")
    assert not at.exception
    assert [m.value for m in at.metric] == ["60.18万户"]
    body = html_bodies(at)
    assert '<strong class="claim-mention">60.18万户</strong>' in body
    links = {el.proto.query_string for el in at.get("page_link") if el.proto.page == "source"}
    cid = sql(seed_db, "SELECT claim_id FROM claims WHERE value = 601800 AND metric LIKE '%经营主体%' ORDER BY published, "
                       "claim_id")
    assert links and links <= {f"claim={c}" for (c,) in cid}  # 查看原文 of the answer
    captions = " ".join(c.value for c in at.caption)
    assert "成都市" in captions and "2023年" in captions and "成都日报" in captions


def test_ask_says_plainly_when_nothing_fits() -> None:
    at = open_page("views/ask.py", q="2019年成都地区生产总值是多少？")
    assert not at.exception and not at.metric
    text = " ".join(m.value for m in at.markdown)
    assert "没有找到答案" in text and "未找到2019年成都市地区生产总值" in text


def test_the_overview_question_box_opens_the_answer() -> None:
    at = open_page(PAGES[0])
    at.text_input(key="w_home_ask").input("2023年成都新设经营主体多少户？").run()
    assert not at.exception
    assert at.query_params.get("q") in ("2023年成都新设经营主体多少户？", ["2023年成都新设经营主体多少户？"])
    assert [m.value for m in at.metric][:1] == ["60.18万户"]


def test_garbage_query_params_are_ignored_gently() -> None:
    at = open_page("views/browse.py", topic=["bogus", "trade"], since="2023-99-99", until="x" * 3000,
                   q="z" * 5000, region="<script>alert(1)</script>", lang="klingon", m="nonsense")
    assert not at.exception
    assert at.multiselect(key="w_topic").value == ["trade"]
    notes = " ".join(c.value for c in at.sidebar.caption)
    assert "已忽略" in notes and "bogus" in notes
    assert len(at.text_input(key="w_q").value) <= 100
    for page in PAGES[1:3]:
        at.switch_page(page).run()
        assert not at.exception


def test_source_shows_the_sentence_highlighted(seed_db: Path) -> None:
    cid, sentence, mention, title = sql(seed_db, """
        SELECT c.claim_id, s.text, c.mention, a.title FROM claims c JOIN sentences s USING (sentence_id)
        JOIN articles a ON a.article_id = c.article_id WHERE c.value IS NOT NULL ORDER BY c.claim_id LIMIT 1""")[0]
    at = open_page("views/article.py", claim=cid)
    assert not at.exception
    body = html_bodies(at)
    assert '<mark class="claim-sentence">' in body
    assert f'<strong class="claim-mention">{mention}</strong>' in body.replace("&amp;", "&")
    quote = body[body.index('<mark class="claim-sentence">'):]
    quote = quote[:quote.index("</mark>")]
    plain = quote.replace('<strong class="claim-mention">', "").replace("</strong>", "")
    assert plain.endswith(sentence[-6:]) and sentence[:6] in plain
    assert at.subheader[0].value == title
    assert any("source?claim=" in c.value for c in at.caption)


@pytest.mark.parametrize(("claim", "expected"), [
    ("not-a-claim", "无法识别"), ("0000000000000000", "没有找到"), ("'; DROP TABLE claims; --", "无法识别"),
    ("a" * 5000, "无法识别"), ("", "请从图表"),
])
def test_source_bad_ids_are_friendly(claim: str, expected: str) -> None:
    at = open_page("views/article.py", claim=claim)
    assert not at.exception
    text = " ".join(w.value for w in at.warning) + " ".join(i.value for i in at.info)
    assert expected in text
    assert len(text) < 400


def test_trends_click_shows_sentence_and_source_link(seed_db: Path) -> None:
    at = open_page("views/trend.py")
    assert not at.exception
    spec = json.loads(at.get("plotly_chart")[0].proto.spec)
    cid = spec["data"][0]["customdata"][0][0]
    at.session_state["trend_chart"] = {"selection": {"points": [{"customdata": {"0": cid}}], "point_indices": [0],
                                                     "box": [], "lasso": []}}
    at.run()
    assert not at.exception
    sentence = sql(seed_db, "SELECT s.text FROM claims c JOIN sentences s USING (sentence_id) WHERE claim_id = ?",
                   cid)[0][0]
    assert '<mark class="claim-sentence">' in html_bodies(at)
    assert sentence[:5] in html_bodies(at)
    links = [el.proto for el in at.get("page_link")]
    assert any(link.query_string == f"claim={cid}" and link.page == "source" for link in links)


def test_trends_topic_picker_sets_the_global_filter() -> None:
    at = open_page("views/trend.py")
    at.selectbox(key="w_trend_topic").set_value("trade").run()
    assert not at.exception
    assert at.multiselect(key="w_topic").value == ["trade"]
    assert url_values(at, "topic") == ["trade"]


def test_districts_map_and_click_lists_claims(seed_db: Path) -> None:
    at = open_page("views/district_map.py")
    assert not at.exception
    charts = at.get("plotly_chart")
    spec = json.loads(charts[0].proto.spec)
    assert len(spec["data"][0]["locations"]) == 20  # grey base layer: all districts
    district = sql(seed_db, """SELECT region FROM claims WHERE region IN (SELECT unnest(?::VARCHAR[]))
                               GROUP BY 1 ORDER BY count(*) DESC LIMIT 1""", spec["data"][0]["locations"])[0][0]
    at.session_state["district_map"] = {"selection": {"points": [{"location": district, "customdata": {"0": district}}],
                                                      "point_indices": [0], "box": [], "lasso": []}}
    at.run()
    assert not at.exception
    assert at.selectbox(key="w_d").value == district
    n = sql(seed_db, "SELECT count(*) FROM claims WHERE region = ?", district)[0][0]
    assert len(at.dataframe[0].value) == n


def test_explorer_row_selection_links_to_source(seed_db: Path) -> None:
    at = open_page("views/browse.py")
    table = at.dataframe[0].value
    link_col = [c for c in table.columns if table[c].astype(str).str.startswith("source?claim=").all()]
    assert link_col, "a link column to the source page"
    cid = table[link_col[0]].iloc[0].split("=", 1)[1]
    assert sql(seed_db, "SELECT count(*) FROM claims WHERE claim_id = ?", cid)[0][0] == 1
