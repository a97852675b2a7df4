"""etl.extract.fields.kind: a figure's kind and sign from its unit and the cue words before it."""
from __future__ import annotations

from fieldkit import figure

from etl.extract.fields.kind import figure_kind, is_rank_context


def _kind(text: str, mention: str) -> tuple[str, int]:
    n = figure(text, mention)
    return figure_kind(n, text[:n.start])


def test_money_and_counts_keep_their_unit_kind():
    assert _kind("全区实现营业收入120亿元", "120亿元") == ("amount", 1)
    assert _kind("新增科技型企业35家", "35家") == ("count", 1)


def test_a_percentage_after_a_growth_cue_is_growth_and_a_decline_is_negative():
    assert _kind("营业收入同比增长6.5%", "6.5%") == ("growth", 1)
    assert _kind("进口额同比下降3.2%", "3.2%") == ("growth", -1)


def test_a_percentage_after_a_share_cue_or_without_cue_is_a_share():
    assert _kind("民营企业出口占全市出口总额的41%", "41%")[0] == "share"
    assert _kind("覆盖率达87%", "87%")[0] == "share"


def test_points_and_ranks():
    assert _kind("比重较上年提高2.4个百分点", "2.4个百分点") == ("change_pp", 1)
    assert _kind("增速回落1.5个百分点", "1.5个百分点") == ("change_pp", -1)
    assert is_rank_context("增速位居全省") and not is_rank_context("营业收入")
