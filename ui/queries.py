"""The dashboard's and the exports' SQL: parameterised queries over the claims tables.

Pure functions of a DuckDB connection and a `Filters` value; no Streamlit here, so the
export command line and the benchmarks run exactly the queries the pages run.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, fields

import duckdb
import pandas as pd


@dataclass(frozen=True)
class Filters:
    """The analyst's current view. Empty tuples / None mean 'no restriction'."""

    topic: tuple[str, ...] = ()
    sector: tuple[str, ...] = ()
    region: tuple[str, ...] = ()
    kind: tuple[str, ...] = ()
    status: tuple[str, ...] = ()
    unit: tuple[str, ...] = ()
    metric: tuple[str, ...] = ()
    since: dt.date | None = None
    until: dt.date | None = None
    q: str = ""  # full-text search over sentences; whitespace-separated terms must all occur
    doc: tuple[str, ...] = field(default=())

    def is_empty(self) -> bool:
        return all(not getattr(self, f.name) for f in fields(self))


# Column list of a claim row with its citation (article, outlet, date, sentence).
CLAIM_COLUMNS = """
    c.claim_id, c.value, c.unit, c.qualifier, c.kind, c.metric, c.region,
    c.period_start, c.period_end, c.status, c.topic, c.sector, c.mention,
    a.title AS article_title, d.outlet, d.published, s.text AS sentence,
    c.doc_id, c.article_id, c.sentence_id, c."start", c."end"
"""
_FROM = """
    FROM claims c
    JOIN sentences s ON s.sentence_id = c.sentence_id
    JOIN articles a ON a.article_id = c.article_id
    JOIN documents d ON d.doc_id = c.doc_id
"""
# The date a claim is plotted at: the end of its reference period, else the publication date.
CLAIM_DATE = "coalesce(c.period_end, d.published)"


def where(f: Filters) -> tuple[str, list]:
    """SQL WHERE clause and parameters for a Filters value."""
    parts: list[str] = []
    params: list = []
    for name, col in (("topic", "c.topic"), ("sector", "c.sector"), ("region", "c.region"), ("kind", "c.kind"),
                      ("status", "c.status"), ("unit", "c.unit"), ("metric", "c.metric"), ("doc", "c.doc_id")):
        values = getattr(f, name)
        if values:
            parts.append(f"{col} IN (SELECT unnest(?::VARCHAR[]))")
            params.append(list(values))
    if f.since:
        parts.append(f"{CLAIM_DATE} >= ?")
        params.append(f.since)
    if f.until:
        parts.append(f"{CLAIM_DATE} <= ?")
        params.append(f.until)
    for term in f.q.split():
        parts.append("(contains(s.text, ?) OR contains(coalesce(c.metric, ''), ?))")
        params += [term, term]
    return (" WHERE " + " AND ".join(parts)) if parts else "", params


def filtered_claims(con: duckdb.DuckDBPyConnection, f: Filters, limit: int | None = None) -> pd.DataFrame:
    """One row per claim matching `f`, with its citation, newest first."""
    w, params = where(f)
    sql = f"SELECT {CLAIM_COLUMNS} {_FROM} {w} ORDER BY d.published DESC NULLS LAST, c.doc_id, c.\"start\""
    if limit:
        sql += " LIMIT ?"
        params.append(int(limit))
    return con.execute(sql, params).df()


def count_claims(con: duckdb.DuckDBPyConnection, f: Filters) -> int:
    w, params = where(f)
    return int(con.execute(f"SELECT count(*) {_FROM} {w}", params).fetchone()[0])
