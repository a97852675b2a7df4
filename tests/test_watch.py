"""`python -m etl PATH --watch`: new, changed, removed, half-written and bad files; polls that
read nothing; the writer lock; the database of a full load; SIGTERM."""
from __future__ import annotations

import io
import os
import queue
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from etl import watch
from etl.store import database as store
from tests.conftest import ROOT, SEEDS, all_rows, build_db, query

A, B, C = "000_dee86277aac3db40.txt", "001_b40aec71d9749aff.txt", "002_649b130caa943bb7.txt"
EXTRA = "\n\n新增段落\n\n本报讯 今年1-8月，全市新增企业4321家。\n"


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """A folder with two seed files and the seeds' manifest."""
    d = tmp_path / "in"
    d.mkdir()
    for name in (A, B, "manifest.csv"):
        shutil.copy(SEEDS / name, d / name)
    return d


def started(folder: Path, db: Path) -> watch.Watcher:
    w = watch.Watcher([str(folder)], str(db), out=io.StringIO(), err=io.StringIO(), progress=False)
    assert w.start() == 0, w.err.getvalue()
    return w


def polls(w: watch.Watcher, n: int = 2) -> list[int | None]:
    return [w.poll() for _ in range(n)]


def docs(db: Path) -> set[str]:
    return {d for (d,) in query(db, "SELECT doc_id FROM documents")}


def test_a_new_file_is_loaded_once_it_holds_still(folder: Path, tmp_path: Path) -> None:
    db = tmp_path / "w.duckdb"
    w = started(folder, db)
    assert "2 files (2 loaded" in w.out.getvalue()
    shutil.copy(SEEDS / C, folder / C)
    assert w.poll() is None  # seen once: it may still be being written
    assert w.poll() == 0
    assert docs(db) == {Path(n).stem for n in (A, B, C)}
    assert "1 files (1 loaded, 0 unchanged, 0 removed, 0 failed)" in w.out.getvalue()
    assert polls(w, 3) == [None] * 3  # nothing more to do, nothing said
    assert w.out.getvalue().count("\n") == 2


def test_a_changed_file_is_extracted_again_and_a_deleted_one_removed(folder: Path, tmp_path: Path) -> None:
    db = tmp_path / "w.duckdb"
    w = started(folder, db)
    with open(folder / A, "a", encoding="utf-8") as fh:
        fh.write(EXTRA)
    assert polls(w) == [None, 0]
    assert query(db, "SELECT count(*) FROM claims WHERE value = 4321")[0][0] == 1
    (folder / B).unlink()
    assert polls(w) == [None, 0]
    assert docs(db) == {Path(A).stem}
    assert "0 files (0 loaded, 0 unchanged, 1 removed, 0 failed)" in w.out.getvalue()
    assert query(db, "SELECT count(*) FROM claims WHERE doc_id = ?", Path(B).stem)[0][0] == 0


def test_a_file_being_written_is_loaded_only_when_complete(folder: Path, tmp_path: Path) -> None:
    db = tmp_path / "w.duckdb"
    w = started(folder, db)
    text = (SEEDS / C).read_bytes()
    half = len(text) // 2
    (folder / C).write_bytes(text[:half])
    assert w.poll() is None
    with open(folder / C, "ab") as fh:  # still being written at the next poll
        fh.write(text[half:])
    assert w.poll() is None
    assert Path(C).stem not in docs(db)
    assert w.poll() == 0
    assert query(db, "SELECT text FROM documents WHERE doc_id = ?", Path(C).stem)[0][0] == text.decode()


def test_a_bad_file_is_reported_once_and_watching_goes_on(folder: Path, tmp_path: Path) -> None:
    db = tmp_path / "w.duckdb"
    w = started(folder, db)
    (folder / "empty.txt").write_bytes(b"")
    assert polls(w) == [None, 1]
    assert f"rongshu: skipped {folder / 'empty.txt'}: is empty" in w.err.getvalue()
    shutil.copy(SEEDS / C, folder / C)
    assert polls(w) == [None, 0]
    assert Path(C).stem in docs(db)
    assert w.err.getvalue().count("empty.txt") == 1  # not tried again until it changes


def test_polls_of_unchanged_files_read_none_of_them(folder: Path, tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    import etl.load

    w = started(folder, tmp_path / "w.duckdb")
    reads: list[Path] = []
    real = etl.load.read_file
    monkeypatch.setattr(etl.load, "read_file", lambda path, *a: reads.append(path) or real(path, *a))
    assert polls(w, 5) == [None] * 5
    assert reads == []
    shutil.copy(SEEDS / C, folder / C)
    assert polls(w, 4) == [None, 0, None, None]
    assert reads == [folder / C]  # only the new file


def test_watch_loads_give_the_database_of_a_full_load(folder: Path, tmp_path: Path) -> None:
    db = tmp_path / "w.duckdb"
    w = started(folder, db)
    shutil.copy(SEEDS / C, folder / C)
    (folder / "sub").mkdir()
    shutil.copy(SEEDS / "003_170771dc1d63228a.txt", folder / "sub" / A)  # a second file named like A
    with open(folder / B, "a", encoding="utf-8") as fh:
        fh.write(EXTRA)
    assert polls(w) == [None, 0]
    assert docs(db) == {f"in_{Path(A).stem}", f"sub_{Path(A).stem}", Path(B).stem, Path(C).stem}
    (folder / C).unlink()
    assert polls(w) == [None, 0]
    full = tmp_path / "full.duckdb"
    rc, _, err = build_db([folder], full)
    assert rc == 0, err
    assert all_rows(db) == all_rows(full)


def test_a_load_holding_the_lock_makes_the_watcher_wait(folder: Path, tmp_path: Path) -> None:
    db = tmp_path / "w.duckdb"
    w = started(folder, db)
    shutil.copy(SEEDS / C, folder / C)
    with store.writer_lock(db):
        assert polls(w, 3) == [None] * 3
    assert w.err.getvalue().count("another load") == 1
    assert Path(C).stem not in docs(db)
    assert w.poll() == 0  # the lock was released: loaded at the next poll
    assert Path(C).stem in docs(db)


def test_the_database_of_another_extractor_is_loaded_again_in_full(folder: Path, tmp_path: Path) -> None:
    import duckdb

    db = tmp_path / "w.duckdb"
    w = started(folder, db)
    con = duckdb.connect(str(db))
    con.execute("UPDATE meta SET value = 'other' WHERE key = 'extractor_version'")
    con.close()
    shutil.copy(SEEDS / C, folder / C)
    assert polls(w) == [None, 0]
    assert "another extractor" in w.err.getvalue() and "3 files (3 loaded" in w.out.getvalue()
    assert docs(db) == {Path(n).stem for n in (A, B, C)}


def test_scan_lists_what_discover_finds(folder: Path) -> None:
    from etl.ingest.scan import discover

    (folder / "sub").mkdir()
    (folder / "sub" / "x.TXT").write_text("x", encoding="utf-8")
    (folder / "notes.md").write_text("x", encoding="utf-8")
    (folder / "dir.txt").mkdir()
    found, missing = watch.scan([str(folder), str(folder / "nope")])
    assert sorted(map(Path, found)) == discover([str(folder)])[0] and missing == [str(folder / "nope")]


def test_changes_need_two_equal_polls() -> None:
    a, b = "a.txt", "b.txt"
    assert watch.changes({}, {}, {a: (1, 1, 1)}) == ([], [])
    assert watch.changes({}, {a: (1, 1, 1)}, {a: (1, 1, 1)}) == ([a], [])
    assert watch.changes({a: (1, 1, 1)}, {a: (1, 1, 1)}, {a: (2, 2, 1)}) == ([], [])
    assert watch.changes({a: (1, 1, 1), b: (1, 1, 2)}, {a: (1, 1, 1)}, {a: (1, 1, 1)}) == ([], [b])
    assert watch.changes({b: (1, 1, 2)}, {b: (1, 1, 2)}, {}) == ([], [])  # gone once: not yet


def test_watch_arguments_are_checked(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    from etl.cli import main

    for argv, message in (([str(tmp_path / "nope"), "--watch"], "does not exist"),
                          ([str(tmp_path), "--watch", "--interval", "0"], "more than 0"),
                          ([str(tmp_path), "--interval", "1"], "needs --watch")):
        with pytest.raises(SystemExit) as exc:
            main(argv)
        assert exc.value.code == 2 and message in capsys.readouterr().err


def lines(p: subprocess.Popen) -> queue.Queue:
    """The lines of `p`'s stdout as they come (read by a thread, so a test can time out)."""
    q: queue.Queue = queue.Queue()
    threading.Thread(target=lambda: [q.put(line) for line in p.stdout], daemon=True).start()
    return q


def test_the_watcher_process_loads_a_new_file_and_stops_on_sigterm(folder: Path, tmp_path: Path) -> None:
    db = tmp_path / "w.duckdb"
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    p = subprocess.Popen([sys.executable, "-m", "etl", str(folder), "--watch", "--interval", "0.2", "--db", str(db)],
                         cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        out = lines(p)
        assert "2 files (2 loaded" in out.get(timeout=60)  # the first load
        shutil.copy(SEEDS / C, folder / C)
        assert "1 files (1 loaded" in out.get(timeout=30)
        assert Path(C).stem in docs(db)
        p.send_signal(signal.SIGTERM)
        assert p.wait(timeout=30) == 0
        assert "watcher stopped" in p.stderr.read()
    finally:
        if p.poll() is None:
            p.kill()
            p.wait()


def test_sigterm_during_a_load_lets_it_finish(folder: Path, tmp_path: Path) -> None:
    db = tmp_path / "w.duckdb"
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    p = subprocess.Popen([sys.executable, "-m", "etl", str(folder), "--watch", "--db", str(db)],
                         cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 60
        while not (store.lock_holder(db) or "").startswith(f"pid {p.pid} "):
            assert time.monotonic() < deadline and p.poll() is None
            time.sleep(0.01)
        p.send_signal(signal.SIGTERM)  # while the first load holds the lock
        out, err = p.communicate(timeout=60)
        assert p.returncode == 0, err
        assert "2 files (2 loaded" in out and "SIGTERM: watcher stopped" in err
        assert docs(db) == {Path(A).stem, Path(B).stem}
    finally:
        if p.poll() is None:
            p.kill()
            p.wait()


def test_a_slow_scan_spaces_the_polls_out(tmp_path: Path) -> None:
    waits: list[float] = []

    class Stop:
        def wait(self, seconds: float) -> bool:
            waits.append(seconds)
            return len(waits) > 2

    w = watch.Watcher([str(tmp_path)], str(tmp_path / "w.duckdb"))
    w.start = w.poll = lambda: setattr(w, "scan_seconds", len(waits) * 1.0)  # scans of 0 s, then 1 s, 2 s
    assert w.run(Stop(), 2.0) == 0
    assert waits == [2.0, 4.0, 8.0]  # scanning keeps to a fifth of the time


def test_a_load_that_crashes_is_reported_once_and_watching_goes_on(folder: Path, tmp_path: Path,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    import etl.load

    db = tmp_path / "w.duckdb"
    w = started(folder, db)
    real = etl.load.load_files
    monkeypatch.setattr(etl.load, "load_files", lambda *a, **k: 1 / 0)
    shutil.copy(SEEDS / C, folder / C)
    assert polls(w, 4) == [None, 1, None, None]
    assert w.err.getvalue().count("ZeroDivisionError") == 1
    monkeypatch.setattr(etl.load, "load_files", real)
    (folder / "d.txt").write_text("标题\n\n本报讯 全市新增企业100家。\n", encoding="utf-8")
    assert polls(w) == [None, 0]
    assert "d" in docs(db)
