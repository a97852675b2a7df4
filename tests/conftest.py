"""Shared fixtures: the seed corpus and a database built from it."""
from __future__ import annotations

import io
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"


def build_db(paths: list[str | Path], db: Path, workers: int = 1) -> tuple[int, str, str]:
    """Run the ETL in-process; returns (exit status, stdout, stderr)."""
    from etl.load import run

    out, err = io.StringIO(), io.StringIO()
    rc = run([str(p) for p in paths], str(db), workers=workers, progress=False, out=out, err=err)
    return rc, out.getvalue(), err.getvalue()


def query(db: Path, sql: str, *params) -> list[tuple]:
    """Rows of a parameterised query on a database file opened read-only."""
    import duckdb

    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql, list(params)).fetchall()
    finally:
        con.close()


def all_rows(db: Path, skip: tuple[str, ...] = ("meta", "load_log")) -> dict[str, list[tuple]]:
    """Every row of every table of a database (sorted, so that two databases compare row for row
    whatever order their rows were written in)."""
    import duckdb

    con = duckdb.connect(str(db), read_only=True)
    try:
        tables = [t for (t,) in con.execute("SELECT table_name FROM duckdb_tables() WHERE schema_name = 'main' "
                                             "ORDER BY 1").fetchall() if t not in skip]
        return {t: sorted(con.execute(f"SELECT * FROM {t}").fetchall(), key=repr) for t in tables}
    finally:
        con.close()


@pytest.fixture(scope="session")
def seed_db(tmp_path_factory) -> Path:
    """A database built once from seeds/ (read-only for tests)."""
    db = tmp_path_factory.mktemp("seeddb") / "rongshu.duckdb"
    rc, _, err = build_db([SEEDS], db)
    assert rc == 0, err
    return db


@pytest.fixture
def seed_copy(tmp_path) -> Path:
    """A writable copy of the seeds folder (with its manifest)."""
    dst = tmp_path / "seeds"
    shutil.copytree(SEEDS, dst)
    return dst
