"""Every page opened with random and hostile query strings renders a page and a polite note,
never a traceback (issue 13)."""
from __future__ import annotations

from pathlib import Path

import pytest
from appdb import PAGES, build_seed_db, open_page
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from streamlit.testing.v1 import AppTest

KEYS = ["topic", "sector", "region", "kind", "status", "unit", "metric", "since", "until", "q", "lang", "m", "u",
        "show", "d", "claim"]
HOSTILE_VALUES = [
    "x" * 10_000, "1' OR '1'='1", "'; DROP TABLE claims; --", "<script>alert(1)</script>", "<img src=x onerror=1>",
    "[link](javascript:alert(1))", "**bold** `code` $x$", "2023-13-45", "0000-00-00", "9999-12-31", "1949-09-30",
    "yesterday", "ffffffffffffffff", "0123456789abcdef0", "\x00\x01\x1f", "%00", "%%", "🙂" * 50, "成都" * 3000,
    ",,,,", " ", "-1", "NaN", "null", "\u202e reversed", "a\nb\r\nc",
]


@pytest.fixture(scope="module")
def seed_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_seed_db(tmp_path_factory.mktemp("db") / "rongshu.duckdb")


@pytest.fixture(autouse=True)
def _use_seed_db(seed_db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RONGSHU_DB", str(seed_db))


def notes(at: AppTest) -> str:
    """Everything the page said to the visitor as a note, warning or info box."""
    parts = [c.value for c in at.caption] + [c.value for c in at.sidebar.caption]
    parts += [w.value for w in at.warning] + [i.value for i in at.info]
    return "\n".join(parts)


def assert_polite(at: AppTest, params: dict[str, list[str]]) -> None:
    assert not at.exception, [e.value for e in at.exception]
    assert at.title, "the page drew its title"
    said = notes(at)
    assert "忽略" in said or "无法识别" in said or "没有找到" in said or "Ignored" in said, (params, said)


@pytest.mark.parametrize("page", PAGES)
def test_unknown_and_repeated_keys(page: str) -> None:
    params = {"utm_source": ["newsletter"], "topic": ["trade", "trade", "bogus"], "since": ["2023-01-01", "2023-99-01"],
              "claim": ["abc", "0123456789abcdef"], "zzz": ["1", "2"]}
    at = open_page(page, **params)
    assert_polite(at, params)
    if page != "views/article.py":
        assert "utm_source" in notes(at) and "zzz" in notes(at)


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("value", [HOSTILE_VALUES[0], HOSTILE_VALUES[2], HOSTILE_VALUES[3], HOSTILE_VALUES[5],
                                   HOSTILE_VALUES[7]])
def test_hostile_values_in_every_key(page: str, value: str) -> None:
    params = {k: [value] for k in KEYS}
    at = open_page(page, **params)
    assert_polite(at, params)
    # Nothing of the value is shown as markup: an HTML fragment is never rendered as HTML.
    for el in at.get("html") + at.get("markdown"):
        body = getattr(el.proto, "body", "")
        assert "<script" not in body and "onerror" not in body


def test_unknown_claim_id_on_the_source_page() -> None:
    at = open_page("views/article.py", claim=["ffffffffffffffff"])
    assert not at.exception
    assert "没有找到" in notes(at)


query_params = st.dictionaries(
    st.one_of(st.sampled_from(KEYS), st.text(min_size=1, max_size=12)),
    st.lists(st.one_of(st.sampled_from(HOSTILE_VALUES), st.text(max_size=40)), min_size=1, max_size=3),
    min_size=1, max_size=5)


@pytest.mark.slow
@pytest.mark.parametrize("page", PAGES)
@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                 HealthCheck.function_scoped_fixture])
@given(params=query_params)
def test_random_query_strings(page: str, params: dict[str, list[str]]) -> None:
    at = open_page(page, **params)
    assert not at.exception, (params, [e.value for e in at.exception])
    assert at.title
