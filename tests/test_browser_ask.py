"""Real browser: 问数. The overview's question box, the `/ask?q=` deep link, the answer card and
its 查看原文 link to the highlighted sentence, an English question, and a question with no answer."""
from __future__ import annotations

import urllib.parse
from collections.abc import Iterator
from pathlib import Path

import pytest
from appdb import build_seed_db
from test_browser import browser, wait_ready  # noqa: F401 - the fixture and helpers

from ui.server import serve

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "tests" / "artifacts"
QUESTION = "2023年成都新设经营主体多少户？"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    tmp = tmp_path_factory.mktemp("ask")
    db = build_seed_db(tmp / "rongshu.duckdb")
    try:
        with serve(db, tmp / "streamlit.log") as base:
            yield base
    except RuntimeError as exc:
        pytest.fail(str(exc))


def _main(page) -> str:
    return page.locator("[data-testid='stMain']").inner_text()


def test_the_overview_question_box_answers_with_a_source(server, browser) -> None:  # noqa: F811
    page = browser.new_page(viewport={"width": 1440, "height": 1400})
    page.goto(server)
    wait_ready(page)
    box = page.locator("[data-testid='stMain'] input[type='text']").first
    box.fill(QUESTION)
    box.press("Enter")
    page.wait_for_url("**/ask?*", timeout=30_000)
    wait_ready(page)
    page.wait_for_selector("[data-testid='stMetricValue']", timeout=30_000)
    assert page.locator("[data-testid='stException']").count() == 0
    assert "60.18万户" in page.locator("[data-testid='stMetricValue']").first.inner_text()
    assert urllib.parse.unquote(page.url).endswith("q=" + QUESTION) or QUESTION in urllib.parse.unquote(page.url)
    page.screenshot(path=str(ARTIFACTS / "ask_answer.png"), full_page=True)
    # The answer's 查看原文 opens its sentence, highlighted, with the figure marked.
    link = page.locator("[data-testid='stPageLink'] a", has_text="查看原文").first
    link.click()
    page.wait_for_url("**/source?claim=*", timeout=20_000)
    wait_ready(page)
    mark = page.locator("mark.claim-sentence").first
    mark.wait_for(timeout=20_000)
    assert "60.18万户" in mark.inner_text()
    assert page.locator("strong.claim-mention").first.inner_text().replace(" ", "") == "60.18万户"
    page.close()


def test_a_deep_link_in_english_and_a_question_without_answer(server, browser) -> None:  # noqa: F811
    page = browser.new_page(viewport={"width": 1440, "height": 1400})
    page.goto(server + "ask?" + urllib.parse.urlencode({"q": "How many market entities did Chengdu have at the end of 2023?"}))
    wait_ready(page)
    page.wait_for_selector("[data-testid='stMetricValue']", timeout=30_000)
    assert "389.12万户" in page.locator("[data-testid='stMetricValue']").first.inner_text()
    page.goto(server + "ask?" + urllib.parse.urlencode({"q": "2019年成都地区生产总值是多少？"}))
    wait_ready(page)
    main = _main(page)
    assert "没有找到答案" in main and "未找到2019年成都市地区生产总值" in main
    assert page.locator("[data-testid='stMetricValue']").count() == 0
    page.screenshot(path=str(ARTIFACTS / "ask_none.png"), full_page=True)
    page.close()
