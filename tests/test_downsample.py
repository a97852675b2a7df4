"""Long trend series are aggregated on the server and the chart says so (issue 13)."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import pytest
from streamlit.testing.v1 import AppTest

from ui import charts, downsample

ROOT = Path(__file__).resolve().parent.parent


def series(n: int, days: int, lines: int = 2, seed: int = 1) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    start = dt.date(2019, 1, 1)
    return pd.DataFrame({
        "x_date": pd.to_datetime([start + dt.timedelta(days=int(d)) for d in rng.integers(0, days, n)]),
        "value": rng.normal(100, 20, n).round(1),
        "line": [f"区{k}" for k in rng.integers(0, lines, n)],
        "claim_id": [f"{i:016x}" for i in range(n)],
    })


def test_small_series_are_left_alone() -> None:
    df = series(300, 2000)
    out, bucket = downsample.aggregate(df)
    assert bucket is None and out is df


def test_long_series_become_bucket_medians_with_their_range() -> None:
    df = series(50_000, 7 * 365)
    out, bucket = downsample.aggregate(df, max_points=2000)
    assert bucket == "M" and len(out) <= 2000
    assert out["n_points"].sum() == len(df)  # every fact is in one bucket
    # Each point is a real fact of its bucket, its median, between the bucket's min and max.
    row = out.iloc[len(out) // 2]
    month = df[(df["line"] == row["line"]) & (df["x_date"].dt.to_period("M").dt.start_time == row["x_date"])]
    assert len(month) == row["n_points"] and row["claim_id"] in set(month["claim_id"])
    assert row["value_min"] == month["value"].min() and row["value_max"] == month["value"].max()
    assert row["value"] == sorted(month["value"])[(len(month) - 1) // 2]


def test_few_dates_keep_daily_points() -> None:
    df = series(20_000, 300, lines=3)  # 900 (line, day) pairs at most
    out, bucket = downsample.aggregate(df, max_points=2000)
    assert bucket == "D" and len(out) == len(df.drop_duplicates(["line", "x_date"]))


def test_chart_of_many_points_uses_webgl_and_shows_the_note() -> None:
    df, _ = downsample.aggregate(series(20_000, 300, lines=3), max_points=2000)  # ~900 daily points
    assert len(df) > charts.WEBGL_POINTS
    df = df.assign(value_text="x", qualifier_text="", period_text="", sentence="", citations_text="1")
    fig = charts.trend_chart(df, "title", "亿元", note="2,000 points stand for 50,000 facts")
    assert all(isinstance(t, go.Scattergl) for t in fig.data)
    assert fig.data[0].error_y.arrayminus is not None
    assert any("50,000 facts" in a.text for a in fig.layout.annotations)
    small = charts.trend_chart(df.head(50), "title", "亿元")
    assert all(isinstance(t, go.Scatter) for t in small.data) and not small.layout.annotations


@pytest.fixture
def big_series_db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    from bench.synth import build_claims_db

    db = tmp_path / "rongshu.duckdb"
    build_claims_db(db, 60_000)
    monkeypatch.setenv("RONGSHU_DB", str(db))
    return db


@pytest.mark.slow
def test_trends_page_aggregates_a_long_series(big_series_db: Path) -> None:
    import duckdb

    con = duckdb.connect(str(big_series_db), read_only=True)
    try:
        metric_id, unit, kind, n = con.execute("""
            SELECT metric_id, unit, kind, count(*) FROM claims WHERE metric_id IS NOT NULL
            GROUP BY ALL ORDER BY 4 DESC LIMIT 1""").fetchone()
    finally:
        con.close()
    assert n > downsample.MAX_POINTS
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120).run()
    at.switch_page("views/trend.py")
    at.query_params["m"] = f"{metric_id}:{kind}:{unit}"
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    captions = " ".join(c.value for c in at.caption)
    assert "个事实" in captions and "汇总" in captions


def test_only_the_largest_lines_are_drawn() -> None:
    df = series(5_000, 400, lines=30)
    kept, left_out = downsample.top_lines(df, max_lines=12)
    assert left_out == 18 and kept["line"].nunique() == 12
    sizes = df["line"].value_counts()
    assert kept["line"].value_counts().min() >= sizes.sort_values(ascending=False).iloc[12]
    same, none = downsample.top_lines(df, max_lines=30)
    assert none == 0 and same is df
