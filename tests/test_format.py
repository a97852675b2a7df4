"""Number, period and highlight formatting for readers (ui/format.py), URL filter parsing, labels."""
from __future__ import annotations

import datetime as dt
import math

import pytest

from etl.store.queries import Filters
from ui import i18n
from ui.filters import parse_params, to_params
from ui.format import fmt_claim, fmt_number, fmt_period, fmt_value, highlight_html, scale_for


@pytest.mark.parametrize(("value", "unit", "expected"), [
    (683_470_000_000, "元", "6834.7亿元"),
    (947_300_000_000, "元", "9473亿元"),
    (108_595_000_000, "元", "1085.95亿元"),
    (3_891_200, "户", "389.12万户"),
    (13_000, "家", "1.3万家"),
    (5.61, "%", "5.61%"),
    (-3.2, "%", "-3.2%"),
    (3, "个百分点", "3个百分点"),
    (2, "位", "2位"),
    (350, "名", "350名"),
    (9999, "个", "9999个"),
    (2_500_000_000_000, "元", "2.5万亿元"),
    (2_080_000_000, "千瓦时", "20.8亿千瓦时"),
    (15_000, "GW", "15000GW"),
    (4, "", "4"),
    (1.5, "倍", "1.5倍"),
])
def test_fmt_value_chinese(value: float, unit: str, expected: str) -> None:
    assert fmt_value(value, unit) == expected


def test_fmt_value_english_and_missing() -> None:
    assert fmt_value(683_470_000_000, "元", "en") == "683.47 bn yuan"
    assert fmt_value(3_891_200, "户", "en") == "3.89 m households"
    assert fmt_value(5.61, "%", "en") == "5.61%"
    assert fmt_value(1200, "家", "en") == "1,200 firms"
    assert fmt_value(None, "元") == "–"
    assert fmt_value(math.nan, "元") == "–"


def test_fmt_number_and_claim() -> None:
    assert fmt_number(6834.70) == "6834.7"
    assert fmt_number(-0.001) == "0"
    assert fmt_claim(350, "名", "over") == "超350名"
    assert fmt_claim(13_000, "家", "approx") == "约1.3万家"
    assert fmt_claim(350, "名", "approx", "en") == "about 350 people"


def test_scale_for() -> None:
    assert scale_for([6.8e11, 5e11], "元") == (1e8, "亿元")
    assert scale_for([38_912_00, 12_000], "户") == (1e4, "万户")
    assert scale_for([5.6, 7.1], "%") == (1.0, "%")
    assert scale_for([12, 40], "家") == (1.0, "家")
    assert scale_for([6.8e11], "元", "en") == (1e9, "bn yuan")


@pytest.mark.parametrize(("start", "end", "expected"), [
    (dt.date(2023, 1, 1), dt.date(2023, 12, 31), "2023年"),
    (dt.date(2023, 1, 1), dt.date(2023, 8, 31), "2023年1-8月"),
    (dt.date(2023, 8, 1), dt.date(2023, 8, 31), "2023年8月"),
    (dt.date(2023, 8, 31), dt.date(2023, 8, 31), "截至2023年8月31日"),
    (dt.date(2021, 1, 1), dt.date(2025, 12, 31), "2021-2025年"),
    (None, None, ""),
    ("2023-01-01", "2023-06-30", "2023年1-6月"),
])
def test_fmt_period(start, end, expected: str) -> None:
    assert fmt_period(start, end) == expected


def test_fmt_period_english() -> None:
    assert fmt_period(dt.date(2023, 1, 1), dt.date(2023, 8, 31), "en") == "Jan–Aug 2023"
    assert fmt_period(dt.date(2023, 1, 1), dt.date(2023, 12, 31), "en") == "2023"


def test_highlight_escapes_and_marks() -> None:
    text = "前言<b>。\n成都实现外贸进出口6834.7亿元，增长5%。后记&"
    s0 = text.index("成都")
    s1 = text.index("。", s0) + 1
    m0 = text.index("6834.7亿元")
    out = highlight_html(text, (s0 + 100, s1 + 100), (m0 + 100, m0 + 100 + len("6834.7亿元")), base=100)
    assert "&lt;b&gt;" in out and "<b>" not in out
    assert out.count("<mark") == 1 and out.count("</mark>") == 1
    assert '<strong class="claim-mention">6834.7亿元</strong>' in out
    assert "后记&amp;" in out
    assert "<br>" in out
    inside = out[out.index("<mark"):out.index("</mark>")]
    assert "成都实现外贸进出口" in inside and "增长5%。" in inside


def test_highlight_clips_and_survives_bad_spans() -> None:
    assert highlight_html("abc", None, None) == "abc"
    assert "<mark" not in highlight_html("abc", (10, 20), (11, 12))
    out = highlight_html("<script>x</script>", (0, 19), (8, 9))
    assert "<script>" not in out and "&lt;script&gt;" in out


VOCAB = {"topic": ("trade", "finance"), "region": ("郫都区", "成都市"), "kind": ("amount",), "status": ("actual",),
         "sector": (), "unit": ("元",), "metric": ("外贸进出口",)}


def test_parse_params_roundtrip_and_garbage() -> None:
    f = Filters(topic=("trade",), region=("郫都区", "成都市"), since=dt.date(2023, 1, 1), q="进出口 郫都")
    parsed, notes = parse_params(to_params(f), VOCAB)
    assert parsed == f and notes == []
    bad = {"topic": ["trade", "bogus", "x" * 5000], "since": ["2023-13-45"], "until": ["yesterday"],
           "q": ["y" * 1000], "region": ["郫都区,成都市"], "unit": ["\x00"]}
    parsed, notes = parse_params(bad, VOCAB)
    assert parsed.topic == ("trade",)
    assert parsed.region == ("郫都区", "成都市")
    assert parsed.since is None and parsed.until is None
    assert len(parsed.q) <= 100
    assert len(notes) >= 4 and all(len(n) < 60 for n in notes)


def test_parse_params_swaps_dates() -> None:
    parsed, notes = parse_params({"since": ["2024-01-01"], "until": ["2023-01-01"]}, VOCAB)
    assert parsed.since == dt.date(2023, 1, 1) and parsed.until == dt.date(2024, 1, 1)
    assert notes


def test_labels_cover_topics_and_ui_strings() -> None:
    import re
    from pathlib import Path

    assert set(i18n.keys("topic")) == {"trade", "enterprise", "finance", "investment", "innovation", "industry",
                                       "talent", "livelihood", "energy", "transport", "culture", "governance"}
    assert i18n.label("topic", "trade", "zh") == "外贸" and i18n.label("topic", "trade", "en") == "Trade"
    root = Path(__file__).resolve().parent.parent
    used: set[str] = set()
    for p in [root / "app.py", *root.glob("views/*.py"), *root.glob("ui/*.py")]:
        used |= set(re.findall(r"""\bt\(\s*["']([a-z_0-9]+)["']""", p.read_text(encoding="utf-8")))
    missing = {k for k in used if ("ui", k) not in i18n.labels()}
    assert not missing, f"labels.csv lacks ui strings: {sorted(missing)}"
    for entry in i18n.labels().values():
        assert entry["zh"] and entry["en"]
