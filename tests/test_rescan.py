"""A load given a folder reads only the files whose signature changed (issue 25): size, mtime_ns,
inode and ctime_ns against the `file_stats` the database keeps; `--verify` reads everything."""
from __future__ import annotations

import io
import os
import shutil
from pathlib import Path

import pytest
from conftest import all_rows, build_db, query

import etl.load

PAGE = "{title}\n\n本报讯 2023年，{place}新增经营主体{n}万户，同比增长{g}%。全区规模以上工业增加值增长{g}%。\n"


def _write(folder: Path, name: str, n: int, place: str = "郫都区") -> Path:
    p = folder / name
    p.write_text(PAGE.format(title=f"{place}经济快报{n}", place=place, n=n, g=n % 9 + 1), encoding="utf-8")
    return p


@pytest.fixture
def archive(tmp_path: Path) -> Path:
    folder = tmp_path / "archive"
    (folder / "2023").mkdir(parents=True)
    for i in range(6):
        _write(folder / "2023", f"a{i}.txt", 10 + i)
    return folder


@pytest.fixture
def reads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The files a load opens (etl.load.read_file)."""
    seen: list[str] = []
    real = etl.load.read_file

    def counting(path, *args, **kwargs):
        seen.append(Path(path).name)
        return real(path, *args, **kwargs)

    monkeypatch.setattr(etl.load, "read_file", counting)
    return seen


def _load(folder: Path, db: Path, *extra: str) -> str:
    out, err = io.StringIO(), io.StringIO()
    rc = etl.load.run([str(folder)], str(db), progress=False, out=out, err=err, verify="--verify" in extra)
    assert rc == 0, err.getvalue()
    return out.getvalue()


def test_an_unchanged_folder_opens_no_file(archive: Path, tmp_path: Path, reads: list[str]) -> None:
    db = tmp_path / "db.duckdb"
    _load(archive, db)
    assert len(reads) == 6
    reads.clear()
    out = _load(archive, db)
    assert reads == [] and "(0 loaded, 6 unchanged, 0 removed" in out
    assert query(db, "SELECT count(*) FROM file_stats")[0][0] == 6


def test_a_new_file_is_the_only_one_read(archive: Path, tmp_path: Path, reads: list[str]) -> None:
    db = tmp_path / "db.duckdb"
    _load(archive, db)
    reads.clear()
    _write(archive / "2023", "new.txt", 42)
    out = _load(archive, db)
    assert reads == ["new.txt"] and "(1 loaded, 6 unchanged" in out


def test_a_change_that_keeps_size_and_mtime_is_caught_by_its_ctime(archive: Path, tmp_path: Path,
                                                                    reads: list[str]) -> None:
    db = tmp_path / "db.duckdb"
    _load(archive, db)
    f = archive / "2023" / "a1.txt"
    before = f.stat()
    f.write_text(f.read_text(encoding="utf-8").replace("11万户", "19万户"), encoding="utf-8")  # same size
    os.utime(f, ns=(before.st_atime_ns, before.st_mtime_ns))  # mtime put back, as `touch -r` would
    after = f.stat()
    assert (after.st_size, after.st_mtime_ns, after.st_ino) == (before.st_size, before.st_mtime_ns, before.st_ino)
    reads.clear()
    out = _load(archive, db)
    assert reads == ["a1.txt"] and "(1 loaded" in out
    assert query(db, "SELECT count(*) FROM claims WHERE mention = '19万户'")[0][0] == 1


def test_a_file_replaced_by_another_is_caught_by_its_inode(archive: Path, tmp_path: Path, reads: list[str]) -> None:
    db = tmp_path / "db.duckdb"
    _load(archive, db)
    f = archive / "2023" / "a2.txt"
    before = f.stat()
    other = tmp_path / "a2.txt"
    other.write_text(f.read_text(encoding="utf-8").replace("12万户", "17万户"), encoding="utf-8")
    os.utime(other, ns=(before.st_atime_ns, before.st_mtime_ns))
    os.replace(other, f)  # a rename over it: a new inode, size and mtime as they were
    assert f.stat().st_ino != before.st_ino and f.stat().st_size == before.st_size
    reads.clear()
    _load(archive, db)
    assert reads == ["a2.txt"]
    assert query(db, "SELECT count(*) FROM claims WHERE mention = '17万户'")[0][0] == 1


def test_a_touched_file_is_hashed_once_and_not_extracted(archive: Path, tmp_path: Path, reads: list[str]) -> None:
    db = tmp_path / "db.duckdb"
    _load(archive, db)
    os.utime(archive / "2023" / "a3.txt")  # a new mtime, the same bytes
    reads.clear()
    out = _load(archive, db)
    assert reads == ["a3.txt"] and "(0 loaded, 6 unchanged" in out  # read and hashed, not extracted
    reads.clear()
    _load(archive, db)
    assert reads == []  # its new signature was kept


def test_a_change_invisible_to_stat_is_seen_only_by_verify(archive: Path, tmp_path: Path, reads: list[str]) -> None:
    # No user can keep a file's ctime; a filesystem that does not keep it (or a clock set back)
    # can. Simulated: the stored signature is made the changed file's own.
    import duckdb

    db = tmp_path / "db.duckdb"
    _load(archive, db)
    f = archive / "2023" / "a4.txt"
    f.write_text(f.read_text(encoding="utf-8").replace("14万户", "99万户"), encoding="utf-8")
    st = f.stat()
    con = duckdb.connect(str(db))
    con.execute("UPDATE file_stats SET size = ?, mtime_ns = ?, inode = ?, ctime_ns = ? WHERE doc_id = 'a4'",
                [st.st_size, st.st_mtime_ns, st.st_ino, st.st_ctime_ns])
    con.close()
    reads.clear()
    _load(archive, db)
    assert reads == []  # the limit: nothing tells the change
    out = _load(archive, db, "--verify")
    assert sorted(reads) == [f"a{i}.txt" for i in range(6)] and "(1 loaded, 5 unchanged" in out
    assert query(db, "SELECT count(*) FROM claims WHERE mention = '99万户'")[0][0] == 1


def test_incremental_loads_equal_one_full_load(archive: Path, tmp_path: Path) -> None:
    db = tmp_path / "db.duckdb"
    _load(archive, db)
    _write(archive / "2023", "b.txt", 30, place="新津区")
    os.utime(archive / "2023" / "a0.txt")
    (archive / "2023" / "a5.txt").unlink()
    f = archive / "2023" / "a1.txt"
    f.write_text(f.read_text(encoding="utf-8").replace("11万户", "13万户"), encoding="utf-8")
    _load(archive, db)
    _load(archive, db)
    fresh = tmp_path / "fresh.duckdb"
    copy = tmp_path / "copy"
    shutil.copytree(archive, copy)
    rc, _, err = build_db([copy], fresh)
    assert rc == 0, err
    skip = ("meta", "load_log", "file_stats", "documents")  # paths and signatures differ by construction
    assert all_rows(db, skip) == all_rows(fresh, skip)
    assert query(db, "SELECT doc_id, sha256 FROM documents ORDER BY 1") == \
        query(fresh, "SELECT doc_id, sha256 FROM documents ORDER BY 1")
    # every document has the signature of its file as it is now
    for path, size in query(db, "SELECT path, size FROM file_stats ORDER BY 1"):
        assert Path(path).stat().st_size == size
    assert {r[0] for r in query(db, "SELECT doc_id FROM file_stats")} == \
        {r[0] for r in query(db, "SELECT doc_id FROM documents")}
