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


# The version of the database file: the ETL renames a new file into place, so a new inode (or
# a new modification time or size) means new data. Renaming is atomic: a reader sees the old
# complete file or the new complete one, never a half-written one.
Version = tuple[int, int, int]


def db_version() -> Version:
    """(inode, mtime_ns, size) of the database file; zeros when there is none."""
    try:
        s = db_path().stat()
    except OSError:
        return (0, 0, 0)
    return (s.st_ino, s.st_mtime_ns, s.st_size)


@st.cache_resource(show_spinner=False, max_entries=2)
def _connect(path: str, version: Version) -> duckdb.DuckDBPyConnection:
    """One read-only connection per version of the database file.

    `duckdb.connect(path)` would hand back the database instance this process already has open
    for `path` (the old, renamed-over file) for as long as any cursor on it lives; attaching the
    file to a fresh in-memory instance opens whatever file the path names now.
    """
    con = duckdb.connect(":memory:")
    con.execute("ATTACH ? AS rongshu (READ_ONLY)", [path])
    con.execute("USE rongshu")
    return con


def connection() -> duckdb.DuckDBPyConnection | None:
    """A cursor on the current database, or None when it does not exist yet."""
    version = db_version()
    if version == (0, 0, 0):
        return None
    # A cursor per query: one connection shared across Streamlit threads fails ("busy").
    # A cursor starts in the instance's default catalog (the empty in-memory one).
    cur = _connect(str(db_path()), version).cursor()
    cur.execute("USE rongshu")
    return cur


def clear_cache() -> None:
    """Forget cached connections and results."""
    _connect.clear()
    query.clear()
    _run.clear()


@st.cache_data(show_spinner=False, max_entries=256)
def query(sql: str, params: tuple = (), version: Version = (0, 0, 0)) -> pd.DataFrame:
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
def _run(name: str, args: tuple, version: Version) -> Any:
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
