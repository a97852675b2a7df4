"""Loads of one database take turns and lose nothing; the file keeps its mode (issue 13)."""
from __future__ import annotations

import io
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest
from conftest import SEEDS, build_db
from conftest import query as sql

from bench.synth import write_archive
from etl.load import run
from etl.store import database as store

ROOT = Path(__file__).resolve().parent.parent


def folder(dst: Path, files: list[Path]) -> Path:
    dst.mkdir()
    for f in files:
        shutil.copy(f, dst)
    return dst


def etl(paths: list[Path], db: Path, *extra: str) -> subprocess.Popen:
    """`python -m etl PATHS --db DB` in a child process (stdout/stderr captured as text)."""
    return subprocess.Popen([sys.executable, "-m", "etl", *map(str, paths), "--db", str(db), *extra], cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def doc_ids(db: Path) -> set[str]:
    return {r[0] for r in sql(db, "SELECT doc_id FROM documents")}


def test_two_loads_started_together_both_land(tmp_path: Path) -> None:
    seeds = sorted(SEEDS.glob("*.txt"))
    a = folder(tmp_path / "a", seeds[:3])
    b = folder(tmp_path / "b", seeds[3:])
    db = tmp_path / "rongshu.duckdb"
    procs = [etl([a], db), etl([b], db)]  # started at the same moment
    outs = [p.communicate(timeout=300) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], outs
    assert doc_ids(db) == {f.stem for f in seeds}
    # The one that went second reports the database with both loads in it. (Whether it had to
    # wait depends on how the two start-ups overlap: the killed-writer test below makes sure.)
    assert any("database: 5 documents" in out for out, _ in outs), outs


def test_a_killed_writer_releases_the_database(tmp_path: Path) -> None:
    slow = tmp_path / "slow"
    write_archive(slow, 400)  # long enough to be killed in the middle of its load
    db = tmp_path / "rongshu.duckdb"
    assert build_db([folder(tmp_path / "first", sorted(SEEDS.glob("*.txt"))[:2])], db)[0] == 0
    before = doc_ids(db)
    writer = etl([slow], db)
    lock = store.lock_path(db)
    deadline = time.monotonic() + 60
    while not (lock.exists() and lock.read_text().startswith(f"{writer.pid} ")):  # it holds the lock
        assert writer.poll() is None and time.monotonic() < deadline, "the writer never took the lock"
        time.sleep(0.05)
    waiter = etl([folder(tmp_path / "second", sorted(SEEDS.glob("*.txt"))[2:])], db)
    line = waiter.stderr.readline()  # blocks until the waiter reports
    assert "waiting" in line and f"pid {writer.pid}" in line, line
    assert writer.poll() is None, "the writer finished before it could be killed"
    os.kill(writer.pid, signal.SIGKILL)
    writer.wait(timeout=30)
    out, err = waiter.communicate(timeout=300)
    assert waiter.returncode == 0, err
    # The waiter started from the last complete database: the first load and its own pages.
    assert doc_ids(db) == before | {f.stem for f in sorted(SEEDS.glob("*.txt"))[2:]}
    con = duckdb.connect(str(db), read_only=True)
    con.execute("SELECT count(*) FROM claims JOIN sentences USING (sentence_id)").fetchone()
    con.close()
    assert not list(tmp_path.glob(".rongshu.duckdb.*.tmp*")), "the killed writer's temporary file is left"


def test_a_load_gives_up_after_its_wait(tmp_path: Path, seed_copy: Path) -> None:
    db = tmp_path / "rongshu.duckdb"
    out, err = io.StringIO(), io.StringIO()
    with store.writer_lock(db):  # another load holds the database
        t0 = time.monotonic()
        rc = run([str(seed_copy)], str(db), progress=False, out=out, err=err, wait=0.6)
        assert time.monotonic() - t0 < 10
    assert rc == 2
    assert "waiting up to 1 s" in err.getvalue() and "nothing was loaded" in err.getvalue()
    assert f"pid {os.getpid()}" in err.getvalue()
    assert not db.exists()


@pytest.fixture
def umask_022():
    old = os.umask(0o022)
    yield
    os.umask(old)


def test_new_database_follows_the_umask(tmp_path: Path, seed_copy: Path, umask_022) -> None:
    db = tmp_path / "rongshu.duckdb"
    assert build_db([seed_copy], db)[0] == 0
    assert db.stat().st_mode & 0o777 == 0o644


def test_database_keeps_the_mode_of_the_file_it_replaces(tmp_path: Path, seed_copy: Path, umask_022) -> None:
    db = tmp_path / "rongshu.duckdb"
    first = folder(tmp_path / "first", sorted(seed_copy.glob("*.txt"))[:2])
    assert build_db([first], db)[0] == 0
    db.chmod(0o640)
    assert build_db([seed_copy], db)[0] == 0  # re-uses the old file as its starting point
    assert db.stat().st_mode & 0o777 == 0o640
    assert len(doc_ids(db)) == 5
