"""Metric catalog: synonyms map to one id, unknown metrics keep a stable derived id."""
from __future__ import annotations

import pytest

from etl.store.catalog import Catalog, Metric, catalog, derived_id, normalize


def test_synonyms_form_one_series() -> None:
    cat = catalog()
    assert cat.match("市场主体总量") == cat.match("经营主体总量") == "market_entities_total"
    assert cat.match("新登记市场主体") == cat.match("新设经营主体") == "new_market_entities"
    assert cat.match("融资规模") == cat.match("融资总额") == "financing"
    assert cat.match("外贸进出口") == cat.match("货物贸易进出口总值") == "trade_total"


def test_normalisation_strips_regions_verbs_and_suffixes() -> None:
    assert normalize("全市高新技术企业数") == "高新技术企业"
    assert normalize("四川实现外贸进出口总值") == "外贸进出口"
    assert normalize("科创板上市(过会)企业") == "科创板上市企业"
    assert normalize("城市创新指数") == "城市创新指数"  # 指数 keeps its 数
    assert catalog().match("效发明专利拥有量") == "invention_patents"  # a character lost at a line break


def test_qualified_metrics_stay_apart() -> None:
    cat = catalog()
    assert cat.match("民营企业进出口") != cat.match("外贸进出口")
    assert cat.match("输出技术合同成交金额") != cat.match("吸纳技术合同成交金额")
    assert cat.match("净增高新技术企业") != cat.match("高新技术企业")
    assert cat.match("对澳大利亚进出口") is None


def test_unknown_metric_keeps_a_stable_derived_id() -> None:
    cat = catalog()
    mid = cat.metric_id("某某示范项目签约")
    assert mid and mid.startswith("m_") and mid not in cat.metrics
    assert mid == cat.metric_id("某某示范项目签约") == derived_id("全市某某示范项目签约")
    assert cat.metric_id(None) is None and cat.metric_id("") is None


def test_catalog_rows_and_collisions() -> None:
    rows = catalog().rows()
    assert len(rows) >= 40
    assert all(r[0] and r[1] and r[4] for r in rows)
    with pytest.raises(ValueError):
        Catalog([Metric("a", "甲指标", "", "", "trade", ("乙指标",)), Metric("b", "乙指标", "", "", "trade")])
