"""The extractor on the annotated seeds meets the quality bars (same figures as score.py).

Fast (a few seconds): it runs in the default test selection.
"""
from __future__ import annotations

import pytest

from etl.evaluate.cli import GOLD, evaluate

BARS = {"f1": 0.93, "value_unit": 0.97, "kind": 0.93, "qualifier": 0.93, "region": 0.85,
        "period": 0.80, "topic": 0.80, "metric": 0.75}


@pytest.fixture(scope="module")
def figures(seed_db):
    return evaluate(seed_db, GOLD)


@pytest.mark.parametrize("field,bar", sorted(BARS.items()))
def test_bar(figures, field, bar):
    assert figures[field] >= bar, f"{field} {figures[field]:.3f} < {bar}"


def test_every_gold_item_is_located(figures):
    assert not figures["_unlocated"] and not figures["_missing_docs"]
