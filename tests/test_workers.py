"""`python -m etl --workers 2` writes exactly the database `--workers 1` writes."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import duckdb

from bench import synth

ROOT = Path(__file__).resolve().parent.parent


def _load(archive: Path, db: Path, workers: int) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "etl", str(archive), "--db", str(db), "--workers", str(workers)],
                          cwd=ROOT, capture_output=True, text=True, timeout=300)


def _dump(db: Path) -> dict[str, list[tuple]]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        tables = [r[0] for r in con.execute("SELECT table_name FROM information_schema.tables "
                                            "WHERE table_schema = 'main' ORDER BY 1").fetchall()]
        return {t: con.execute(f'SELECT * FROM "{t}" ORDER BY ALL').fetchall() for t in tables}
    finally:
        con.close()


def test_workers_2_database_identical_to_workers_1(tmp_path: Path) -> None:
    archive = tmp_path / "archive"
    synth.write_archive(archive, 50, seed=21)
    (archive / "000" / "empty.txt").write_bytes(b"")  # a failing file is reported the same way
    runs = {w: _load(archive, tmp_path / f"w{w}.duckdb", w) for w in (1, 2)}
    for r in runs.values():
        assert r.returncode == 1, r.stderr  # the empty file makes the exit status 1
        assert "empty.txt" in r.stderr
    assert runs[1].stderr == runs[2].stderr
    one, two = _dump(tmp_path / "w1.duckdb"), _dump(tmp_path / "w2.duckdb")
    assert set(one) >= {"documents", "articles", "sentences", "claims", "meta"}
    assert len(one["documents"]) == 50 and one["sentences"] and one["claims"]
    assert one.keys() == two.keys()
    for table in one:
        only1 = [r for r in one[table] if r not in two[table]][:3]
        only2 = [r for r in two[table] if r not in one[table]][:3]
        assert one[table] == two[table], f"table {table} differs: --workers 1 only {only1}; --workers 2 only {only2}"
