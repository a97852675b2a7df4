"""Series with more points than a chart can usefully show, aggregated on the server (pure).

A trend line of 71,000 facts takes seconds to format, serialise and draw, and shows nothing
more than a few thousand would: the points of a line are bucketed by date (the day, else the
month, quarter or year, the finest that fits) and each bucket is drawn as one point, its median
fact, with the bucket's minimum and maximum and how many facts it stands for.
"""
from __future__ import annotations

import pandas as pd

MAX_POINTS = 2000  # points drawn per chart at most (over all lines)
MAX_LINES = 12  # lines drawn at most: the ones with the most facts (a legend of 90 regions helps no one)
# Bucket widths tried in turn: the first that brings the chart under MAX_POINTS is used.
FREQUENCIES = ("D", "M", "Q", "Y")


def bucket_dates(dates: pd.Series, freq: str) -> pd.Series:
    """The first day of each date's bucket (the date itself for 'D')."""
    dates = pd.to_datetime(dates)
    return dates if freq == "D" else dates.dt.to_period(freq).dt.start_time


def top_lines(df: pd.DataFrame, by: str = "line", max_lines: int = MAX_LINES) -> tuple[pd.DataFrame, int]:
    """The rows of the `max_lines` lines with the most facts (ties: by name), and how many
    lines were left out."""
    counts = df[by].value_counts(dropna=False)
    if len(counts) <= max_lines:
        return df, 0
    ranked = sorted(counts.items(), key=lambda kv: (-kv[1], str(kv[0])))
    keep = {k for k, _ in ranked[:max_lines]}
    return df[df[by].isin(keep)], len(counts) - max_lines


def aggregate(df: pd.DataFrame, by: str = "line", max_points: int = MAX_POINTS) -> tuple[pd.DataFrame, str | None]:
    """`df` (one row per fact: x_date, value, `by`, ...) with at most about `max_points` rows,
    and the bucket width used ('D', 'M', 'Q', 'Y'), or None when `df` was small enough.

    An aggregated row is the bucket's median fact (a real fact: a click opens its citations)
    with `x_date` the bucket's start and `n_points`, `value_min`, `value_max` of the bucket.
    Rows without a date are dropped from an aggregated chart (they cannot be placed on it).
    """
    if len(df) <= max_points:
        return df, None
    dated = df[df["x_date"].notna()]
    freq, buckets = FREQUENCIES[-1], None
    for freq in FREQUENCIES:
        buckets = bucket_dates(dated["x_date"], freq)
        if len(pd.DataFrame({"b": buckets, "k": dated[by]}).drop_duplicates()) <= max_points:
            break
    work = dated.assign(_bucket=buckets.to_numpy())
    work = work.sort_values([by, "_bucket", "value"], kind="stable")
    g = work.groupby([by, "_bucket"], sort=False, dropna=False)
    size = g["value"].transform("size")
    rank = g.cumcount()
    stats = pd.DataFrame({"n_points": size, "value_min": g["value"].transform("min"),
                          "value_max": g["value"].transform("max")})
    out = pd.concat([work, stats], axis=1)[(rank == (size - 1) // 2).to_numpy()]
    out = out.assign(x_date=out["_bucket"]).drop(columns="_bucket")
    return out.sort_values(["x_date", by], kind="stable").reset_index(drop=True), freq
