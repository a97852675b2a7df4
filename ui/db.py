"""Read-only access to the Rongshu database for the dashboard."""
from __future__ import annotations

import contextlib
import importlib
import os
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd
import streamlit as st

from etl.store.database import DEFAULT_DB


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


class _Generation:
    """One version of the database file, open read-only while queries use it.

    `duckdb.connect(path)` would hand back the database instance this process already has open
    for `path` (the old, renamed-over file) for as long as any cursor on it lives; attaching the
    file to a fresh in-memory instance opens whatever file the path names now. Once a newer
    version is open and the last query on this one is done, it is closed: the replaced file is
    the ETL's spare, which the next load writes in place only when no reader holds it.
    """

    def __init__(self, path: str, version: Version) -> None:
        self.version, self.users, self.current = version, 0, True
        for attempt in range(20):
            try:
                self.con = duckdb.connect(":memory:")
                self.con.execute("ATTACH ? AS rongshu (READ_ONLY)", [path])
                break
            except duckdb.IOException:
                # The path was resolved just before a load renamed a new file into place and
                # the next load took the old one: it names the new file now.
                self.con.close()
                if attempt == 19:
                    raise
                time.sleep(0.05)
        self.con.execute("USE rongshu")


_LOCK = threading.Lock()
_OPEN: dict[str, _Generation] = {}


def _acquire(path: str, version: Version) -> _Generation:
    with _LOCK:
        gen = _OPEN.get(path)
        if gen is None or gen.version != version:
            old, gen = gen, _Generation(path, version)
            _OPEN[path] = gen
            if old is not None:
                old.current = False
                if old.users == 0:
                    old.con.close()
        gen.users += 1
        return gen


def _release(gen: _Generation) -> None:
    with _LOCK:
        gen.users -= 1
        if not gen.current and gen.users == 0:
            gen.con.close()


@contextlib.contextmanager
def cursor() -> Iterator[duckdb.DuckDBPyConnection | None]:
    """A cursor on the current database (None when it does not exist yet), closed on exit.

    A cursor per query: one connection shared across Streamlit threads fails ("busy").
    """
    version = db_version()
    if version == (0, 0, 0):
        yield None
        return
    gen = _acquire(str(db_path()), version)
    try:
        cur = gen.con.cursor()
        try:
            cur.execute("USE rongshu")  # a cursor starts in the (empty) in-memory catalog
            yield cur
        finally:
            cur.close()
    finally:
        _release(gen)


def clear_cache() -> None:
    """Forget cached results and close the connections no query is using."""
    with _LOCK:
        for path, gen in list(_OPEN.items()):
            gen.current = False
            if gen.users == 0:
                gen.con.close()
            del _OPEN[path]
    query.clear()
    _run.clear()


@st.cache_data(show_spinner=False, max_entries=256)
def query(sql: str, params: tuple = (), version: Version = (0, 0, 0)) -> pd.DataFrame:
    """Run parameterised SQL (never formatted with user input); cached per database version."""
    with cursor() as con:
        return pd.DataFrame() if con is None else con.execute(sql, list(params)).df()


def q(sql: str, *params) -> pd.DataFrame:
    return query(sql, tuple(params), db_version())


# The modules whose functions `run` calls (by module and name: the cache key). etl.ask is
# imported by the page that asks, not by every page's start.
_SOURCES = ("etl.store.queries", "etl.ask.answer")


@st.cache_data(show_spinner=False, max_entries=512)
def _run(module: str, name: str, args: tuple, version: Version) -> Any:
    with cursor() as con:
        return None if con is None else getattr(importlib.import_module(module), name)(con, *args)


def run(fn: Callable[..., Any], *args: Any) -> Any:
    """Call a query function of etl.store.queries or etl.ask.answer (`fn(con, *args)`) on a fresh
    cursor, cached per database version; None when the database does not exist."""
    module = sys.modules.get(fn.__module__) if fn.__module__ in _SOURCES else None
    if module is None or getattr(module, fn.__name__, None) is not fn:
        raise ValueError(f"{fn.__module__}.{fn.__name__} is not a query function of {', '.join(_SOURCES)}")
    return _run(fn.__module__, fn.__name__, tuple(args), db_version())
