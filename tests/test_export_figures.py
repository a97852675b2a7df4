"""Export figures (no rendering): sources caption, takeaway, fonts and template; the
chromium-missing path of images and of the dashboard panel."""
from __future__ import annotations

import datetime as dt

import pandas as pd
import plotly.graph_objects as go
import pytest
from test_export_data import make_db, small_claims

from etl.store.queries import Filters
from report import figures, images
from report.build import charts_for, export_bytes


@pytest.fixture(scope="module")
def claims(tmp_path_factory) -> pd.DataFrame:
    return small_claims(tmp_path_factory.mktemp("fig") / "small.duckdb")


def _caption(fig: go.Figure) -> str:
    found = [a.text for a in fig.layout.annotations if a.name == figures.CAPTION_NAME]
    assert len(found) == 1, "exactly one sources caption"
    return found[0].replace("<br>", "")


def test_trend_chart_cites_sources_and_uses_cjk_font(claims):
    trade = claims[claims["topic"] == "trade"]
    chart = figures.trend_chart(trade, "外贸进出口总额", "元", subtitle="主题：外贸")
    fig = chart.figure
    assert fig.layout.font.family.startswith("Noto Sans CJK SC")
    assert fig.layout.template.layout.colorway, "explicit template with a colour cycle"
    assert (fig.layout.width, fig.layout.height) == (figures.WIDTH, figures.HEIGHT)
    assert fig.layout.yaxis.title.text == "亿元"
    assert sorted(fig.data[0].y) == [6834.7, 7000.0]
    caption = _caption(fig)
    assert caption.startswith("来源：") and "成都日报" in caption
    assert "2023-12-14" in caption and "2022-12-15" in caption
    assert "四川科技报" not in caption, "only the sources of the plotted claims"
    assert chart.takeaway == "成都市外贸进出口总额：6,834.7亿元（2023年1-11月），比2022年1-11月的7,000亿元下降2.4%。"
    assert len(chart.claims) == 2


def test_region_chart_compares_districts(claims):
    chart = figures.region_chart(claims, "国家高新技术企业", "家")
    bar = chart.figure.data[0]
    assert list(bar.y) == ["武侯区", "郫都区"] and list(bar.x) == [380, 420]
    assert "四川科技报（2024-01-25）" in _caption(chart.figure)
    assert chart.takeaway == "郫都区国家高新技术企业最多：420家（截至2023-12-31）；最少的武侯区380家，共 2 个地区。"


def test_default_charts_and_fallback(claims):
    charts = figures.default_charts(claims, subtitle="全部数字")
    titles = [c.title for c in charts]
    assert titles[0] == "外贸进出口总额"  # the most cited metric first, as a trend
    assert any("国家高新技术企业" in t for t in titles)
    unnamed = claims.assign(metric=pd.Series([None] * len(claims), dtype="object"))
    fallback = figures.default_charts(unnamed)
    assert len(fallback) == 1 and fallback[0].title.startswith("数字条数")
    assert figures.default_charts(claims.iloc[0:0]) == []


def test_dashboard_figure_gets_export_template_and_caption(claims):
    import plotly.io as pio

    pio.templates["streamlit_like"] = go.layout.Template(layout={"font": {"color": "black"}})
    fig = go.Figure(go.Scatter(x=[1, 2], y=[3, 4]), layout={"template": "streamlit_like", "height": 420,
                                                            "title": {"text": "外贸进出口（亿元）"},
                                                            "legend": {"y": -0.12}})
    chart = charts_for(claims, Filters(), fig)[0]
    out = chart.figure
    assert chart.title == "外贸进出口（亿元）"
    assert out.layout.template.layout.colorway, "a template without colours is replaced"
    assert out.layout.legend.y >= 0, "legend moved away from the caption"
    assert (out.layout.width, out.layout.height) == (figures.WIDTH, figures.HEIGHT)
    assert "成都日报" in _caption(out) and "四川科技报" in _caption(out)
    assert chart.takeaway == "共 5 条数字，来自 3 篇文章；涉及最多的地区是成都市（3 条）。"
    one = charts_for(claims[claims["unit"] == "元"], Filters(), fig)[0]
    assert one.takeaway.startswith("成都市外贸进出口总额：6,834.7亿元")
    assert fig.layout.width is None and not fig.layout.annotations, "the screen figure is not modified"


@pytest.mark.parametrize(("start", "end", "label"), [
    (dt.date(2023, 1, 1), dt.date(2023, 11, 30), "2023年1-11月"),
    (dt.date(2023, 1, 1), dt.date(2023, 12, 31), "2023年"),
    (dt.date(2023, 5, 1), dt.date(2023, 5, 31), "2023年5月"),
    (dt.date(2023, 12, 31), dt.date(2023, 12, 31), "截至2023-12-31"),
    (None, None, ""),
    (dt.date(2023, 3, 15), dt.date(2023, 6, 2), "2023-03-15 至 2023-06-02"),
])
def test_period_label(start, end, label):
    assert figures.period_label(start, end) == label


def test_magnitude_and_wrap():
    assert figures.magnitude(pd.Series([9473e8]), "元") == (1e8, "亿元")
    assert figures.magnitude(pd.Series([13000.0, 2e5]), "家") == (1e4, "万家")
    assert figures.magnitude(pd.Series([5.61]), "%") == (1.0, "%")
    lines = figures.wrap("来源：成都日报（2023-12-14）" * 5, 40)
    assert all(figures.display_width(x) <= 40 for x in lines) and "".join(lines).count("成都日报") == 5


# ---------------------------------------------------------------- chromium missing
@pytest.fixture
def no_chromium(monkeypatch, tmp_path):
    """Point the browser lookup at a path that does not exist (as kaleido's BROWSER_PATH)."""
    monkeypatch.setenv("BROWSER_PATH", str(tmp_path / "no-such-chromium"))
    images.shutdown()
    yield
    images.shutdown()


def test_missing_chromium_gives_clear_message(no_chromium, claims):
    assert not images.available()
    with pytest.raises(images.ImageExportUnavailable) as err:
        images.render(go.Figure(), "png")
    msg = str(err.value)
    assert "apt-get install chromium fonts-noto-cjk" in msg and "no-such-chromium" in msg
    for fmt in ("png", "svg", "pdf", "pptx"):
        with pytest.raises(images.ImageExportUnavailable):
            export_bytes(fmt, claims, Filters())
    assert export_bytes("csv", claims, Filters()).startswith(b"\xef\xbb\xbf"), "tables still work"
    assert export_bytes("xlsx", claims, Filters())[:2] == b"PK"


def test_missing_cjk_font_is_reported(monkeypatch):
    monkeypatch.setattr(images, "cjk_font_installed", lambda: False)
    if images.browser_path() is None:
        pytest.skip("no chromium here")
    reason = images.unavailable_reason()
    assert reason and "中文字体" in reason and "fonts-noto-cjk" in reason


PANEL_SCRIPT = """
import plotly.graph_objects as go
from ui.export_panel import export_buttons
from etl.store.queries import Filters
fig = go.Figure(go.Scatter(x=[1, 2], y=[1, 2]))
export_buttons(Filters(topic=("trade",)), fig, key="t")
"""


def _panel(db, monkeypatch):
    from streamlit.testing.v1 import AppTest

    monkeypatch.setenv("RONGSHU_DB", str(db))
    at = AppTest.from_string(PANEL_SCRIPT, default_timeout=30)
    at.run()
    assert not at.exception, at.exception
    return at


def _download_labels(at) -> list[str]:
    return [e.proto.label for e in at.get("download_button")]


def test_panel_without_chromium_keeps_tables_and_says_how(no_chromium, tmp_path, monkeypatch):
    at = _panel(make_db(tmp_path / "p.duckdb"), monkeypatch)
    labels = _download_labels(at)
    assert any("CSV" in x for x in labels) and any("XLSX" in x for x in labels)
    assert not any(x.startswith(("PNG", "SVG", "PDF", "PPT")) for x in labels)
    infos = " ".join(i.value for i in at.info)
    assert "apt-get install chromium fonts-noto-cjk" in infos


def test_panel_with_chromium_offers_every_format(tmp_path, monkeypatch):
    if not images.available():
        pytest.skip("image export not available here")
    at = _panel(make_db(tmp_path / "p.duckdb"), monkeypatch)
    labels = _download_labels(at)
    for fmt in ("PNG", "SVG", "PDF", "CSV", "XLSX", "PPTX"):
        assert any(fmt in x for x in labels), (fmt, labels)
    assert not at.info
