"""Read-only access to the Rongshu database for the dashboard."""
from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd
import streamlit as st

from etl.store import DEFAULT_DB
from ui import queries


def db_path() -> Path:
    return Path(os.environ.get("RONGSHU_DB", DEFAULT_DB))


@st.cache_resource(show_spinner=False, max_entries=2)
def _connect(path: str, mtime: float) -> duckdb.DuckDBPyConnection:
    """One read-only connection per database file version (the ETL renames a new file in)."""
    return duckdb.connect(path, read_only=True)


def connection() -> duckdb.DuckDBPyConnection | None:
    """A cursor on the current database, or None when it does not exist yet."""
    p = db_path()
    if not p.exists():
        return None
    # A cursor per query: one connection shared across Streamlit threads fails ("busy").
    return _connect(str(p), p.stat().st_mtime).cursor()


def clear_cache() -> None:
    """Forget cached connections and results (after the ETL replaced the database file)."""
    _connect.clear()
    query.clear()
    _run.clear()


def db_version() -> float:
    p = db_path()
    return p.stat().st_mtime if p.exists() else 0.0


@st.cache_data(show_spinner=False, max_entries=256)
def query(sql: str, params: tuple = (), version: float = 0.0) -> pd.DataFrame:
    """Run parameterised SQL (never formatted with user input); cached per database version."""
    con = connection()
    if con is None:
        return pd.DataFrame()
    try:
        return con.execute(sql, list(params)).df()
    finally:
        con.close()


def q(sql: str, *params) -> pd.DataFrame:
    return query(sql, tuple(params), db_version())


@st.cache_data(show_spinner=False, max_entries=512)
def _run(name: str, args: tuple, version: float) -> Any:
    con = connection()
    if con is None:
        return None
    try:
        return getattr(queries, name)(con, *args)
    finally:
        con.close()


def run(fn: Callable[..., Any], *args: Any) -> Any:
    """Call a query function of ui.queries (`fn(con, *args)`) on a fresh cursor, cached per
    database version; None when the database does not exist."""
    if getattr(queries, fn.__name__, None) is not fn:
        raise ValueError(f"{fn.__name__} is not a function of ui.queries")
    return _run(fn.__name__, tuple(args), db_version())
