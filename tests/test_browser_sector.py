"""Real browser: the sector filter and the sector view (`/sector?sector=...`), on the seeds plus a
page of our own with figures of three manufacturing 大类."""
from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest
from appdb import build_seed_db
from test_browser import browser, open_first_source, wait_ready  # noqa: F401 - the fixture and helpers

from etl.load import run
from etl.store.queries import Filters, count_claims
from ui.server import serve

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "tests" / "artifacts"
# Our own sentences: industries named as 国民经济行业分类 names them.
PAGE = ("成都制造业半年报\n\n"
        "本报讯 今年上半年，全市规模以上工业增加值同比增长7.5%。其中，通用设备制造业增加值增长8.1%，"
        "汽车制造业增加值增长12.5%，电气机械和器材制造业增加值增长9.6%。\n")


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    tmp = tmp_path_factory.mktemp("sector")
    db = build_seed_db(tmp / "rongshu.duckdb")
    extra = tmp / "extra"
    extra.mkdir()
    (extra / "industry.txt").write_text(PAGE, encoding="utf-8")
    (extra / "manifest.csv").write_text("file,published,outlet\nindustry.txt,2024-07-20,成都日报\n", encoding="utf-8")
    assert run([str(extra)], str(db), progress=False) == 0
    try:
        with serve(db, tmp / "streamlit.log") as base:
            yield base, db
    except RuntimeError as exc:
        pytest.fail(str(exc))


def _count(db: Path, sector: str) -> int:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return count_claims(con, Filters(sector=(sector,)))
    finally:
        con.close()


def _kpi(page) -> int:
    text = page.locator("[data-testid='stMetricValue']").first.inner_text()
    return int(re.sub(r"\D", "", text))


def test_filtering_by_manufacturing_shows_the_figures_of_its_divisions(server, browser) -> None:  # noqa: F811
    base, db = server
    n_c, n_c34, n_c36 = _count(db, "C"), _count(db, "C34"), _count(db, "C36")
    assert n_c34 >= 1 and n_c36 >= 1 and n_c >= n_c34 + n_c36
    page = browser.new_page(viewport={"width": 1440, "height": 1600})
    page.goto(base + "sector?sector=C")
    wait_ready(page)
    page.screenshot(path=str(ARTIFACTS / "sector_c.png"), full_page=True)
    assert page.locator("[data-testid='stException']").count() == 0
    main = page.locator("[data-testid='stMain']").inner_text()
    assert "制造业" in main and "代码 C" in main
    assert _kpi(page) == n_c  # every figure of its 大类 (C34, C36, C38 ...) is in
    # The sidebar's sector filter holds 制造业, shown in the tree with its count.
    chip = page.locator("[data-testid='stSidebar']").get_by_text(re.compile(r"制造业 · C \(\d+\)"))
    assert chip.count() >= 1
    # The explorer keeps the filter: the same number of figures.
    page.goto(base + "explorer?sector=C")
    wait_ready(page)
    assert _kpi(page) == n_c
    page.close()


def test_a_sector_deep_link_by_name_or_code_opens_its_view_and_a_source(server, browser) -> None:  # noqa: F811
    base, db = server
    page = browser.new_page(viewport={"width": 1440, "height": 1600})
    page.goto(base + "sector?sector=通用设备制造业")  # a name is read as its code
    wait_ready(page)
    main = page.locator("[data-testid='stMain']").inner_text()
    assert "制造业 › 通用设备制造业" in main
    assert _kpi(page) == _count(db, "C34")
    page.wait_for_function("() => location.search.includes('sector=C34')", timeout=20_000)
    # The figure's source: the first row of the figures table, its 查看原文 link.
    open_first_source(page, page.locator("[data-testid='stDataFrame']").last)
    mark = page.locator("mark.claim-sentence").first
    mark.wait_for(timeout=20_000)
    assert "通用设备制造业" in mark.inner_text()
    page.close()
    # Without a sector, the view lists the sectors holding figures, each a link to its view.
    page = browser.new_page(viewport={"width": 1440, "height": 1600})
    page.goto(base + "sector")
    wait_ready(page)
    assert page.locator("[data-testid='stMain'] a[href*='sector=C34']").count() >= 1
    assert page.locator("[data-testid='stException']").count() == 0
    page.close()
