"""etl.extract.fields.status: actual, forecast or target."""
from __future__ import annotations

import datetime as dt

from fieldkit import context, figure

from etl.extract.fields.status import figure_status, status_free
from etl.extract.periods import Period


def _status(text: str, mention: str, period: Period | None = None, **ctx) -> str:
    n = figure(text, mention)
    return figure_status(text, n, period, context(**ctx), 0, True, True)


def test_a_forecast_cue_before_the_figure_makes_it_a_forecast():
    assert _status("预计全年完成投资80亿元", "80亿元") == "forecast"


def test_a_plan_cue_makes_a_target():
    assert _status("力争新引进重大项目20个", "20个") in ("forecast", "target")
    assert _status("计划建设充电桩500个", "500个") in ("forecast", "target")


def test_an_achievement_marker_after_the_cue_wins():
    assert _status("原计划投资10亿元，目前已完成投资12亿元", "12亿元") == "actual"


def test_a_future_period_without_cue_is_a_forecast_and_a_past_one_actual():
    n = figure("营业收入达到300亿元", "300亿元")
    later = Period(dt.date(2025, 1, 1), dt.date(2025, 12, 31))
    earlier = Period(dt.date(2023, 1, 1), dt.date(2023, 12, 31))
    assert figure_status("营业收入达到300亿元", n, later, context(), 0, False, False) == "forecast"
    assert figure_status("营业收入达到300亿元", n, earlier, context(), 0, False, False) == "actual"


def test_a_plan_article_makes_unmarked_figures_targets():
    n = figure("新建公园15个", "15个")
    assert figure_status("新建公园15个", n, None, context(plan=True), 0, False, False) == "target"
    assert status_free("全年实现营业收入8亿元") and not status_free("预计实现营业收入8亿元")
