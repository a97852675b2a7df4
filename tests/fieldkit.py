"""A few lines to call one field module on one sentence: its figures, places, periods and a context."""
from __future__ import annotations

import datetime as dt

from etl.extract.fields.context import Context
from etl.extract.numbers import NumberMention, find_numbers
from etl.extract.periods import find_periods
from etl.extract.places import by_name, find_places

PUBLISHED = dt.date(2024, 3, 15)


def figure(text: str, mention: str) -> NumberMention:
    """The figure of `text` written as `mention`."""
    found = [n for n in find_numbers(text) if n.text == mention]
    assert found, f"{mention} not among {[n.text for n in find_numbers(text)]}"
    return found[0]


def context(region: str | None = "成都市", published: dt.date = PUBLISHED, **kw) -> Context:
    place = by_name()[region] if region else None
    return Context(published=published, default_region=place, **kw)


def places(text: str):
    return find_places(text)


def periods(text: str, published: dt.date = PUBLISHED):
    return find_periods(text, published)
