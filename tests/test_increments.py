"""Loads that cost what is new (issue 14): an increment is applied to the previous generation of
the database in place (the spare) and only what it touches is derived again, yet the database
is row for row the one a full load of the same files builds: facts, checks and aggregates
included."""
from __future__ import annotations

import io
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT, SEEDS, all_rows, build_db

from bench import synth
from etl.engines import FILES_PER_BATCH, local
from etl.ingest.sources import RawFile
from etl.store import database as store


def copy_files(dst: Path, files: list[Path]) -> Path:
    dst.mkdir(parents=True, exist_ok=True)
    for f in files:
        shutil.copy(f, dst)
    return dst


def two_loads(tmp_path: Path) -> tuple[list[Path], Path, Path]:
    """(the seed files, the folder loaded, the database) after loading three seeds, then a fourth."""
    files = sorted(SEEDS.glob("*.txt"))
    work = copy_files(tmp_path / "in", files[:3])
    db = tmp_path / "inc.duckdb"
    build_db([work], db)
    copy_files(work, files[3:4])
    build_db([work], db)
    return files, work, db


def assert_same(db: Path, expected: Path) -> None:
    got, want = all_rows(db), all_rows(expected)
    assert sorted(got) == sorted(want)
    for table in want:
        assert got[table] == want[table], f"{table} differs"


def test_adding_files_gives_the_database_of_one_full_load(tmp_path: Path) -> None:
    files = sorted(SEEDS.glob("*.txt"))
    work = copy_files(tmp_path / "in", files[:3])
    db = tmp_path / "inc.duckdb"
    assert build_db([work], db)[0] == 0
    spare = store.spare_path(db)
    for more in (files[3:4], files[4:]):
        assert spare.exists(), "a load keeps the previous generation (or a copy of a new one) as the spare"
        spare_inode = spare.stat().st_ino
        copy_files(work, more)
        assert build_db([work], db)[0] == 0
        assert db.stat().st_ino == spare_inode, "the increment was written into the spare, not into a copy"
    full = tmp_path / "full.duckdb"
    assert build_db([work], full)[0] == 0
    assert_same(db, full)


def test_change_remove_and_add_give_the_database_of_one_full_load(tmp_path: Path) -> None:
    # Synthetic articles reuse sentences, so many figures are cited by several documents: an
    # added document published earlier than the others becomes the representative of facts
    # whose claims sit in untouched documents, and their checks must follow.
    arch = tmp_path / "arch"
    files = synth.write_archive(arch, 240, seed=3)
    db = tmp_path / "inc.duckdb"
    assert build_db(files[:200], db)[0] == 0
    assert build_db([arch], db)[0] == 0
    files[5].write_text(files[5].read_text(encoding="utf-8").replace("1", "7"), encoding="utf-8")
    files[17].unlink()
    assert build_db([arch], db)[0] == 0
    full = tmp_path / "full.duckdb"
    rc, out, _ = build_db([arch], full)
    assert rc == 0 and "239 loaded" in out
    assert_same(db, full)
    n_checks = all_rows(full)["checks"]
    assert len(n_checks) > 20, "the archive should exercise the checks"


_READER = """
import sys, duckdb
con = duckdb.connect(sys.argv[1], read_only=True)
def count():
    print(con.execute("SELECT count(*) FROM documents").fetchall()[0][0], flush=True)
count()
for _ in sys.stdin:
    count()
"""


def test_a_reader_on_the_spare_makes_the_load_copy_instead(tmp_path: Path) -> None:
    files, work, db = two_loads(tmp_path)
    spare = store.spare_path(db)
    spare_inode = spare.stat().st_ino
    # A dashboard (another process) still on the previous generation: it reads the spare.
    reader = subprocess.Popen([sys.executable, "-c", _READER, str(spare)], stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, text=True)
    try:
        assert reader.stdout.readline().strip() == "3"
        copy_files(work, files[4:])
        assert build_db([work], db)[0] == 0
        assert db.stat().st_ino != spare_inode, "the load wrote into a file a reader had open"
        reader.stdin.write("again\n")
        reader.stdin.flush()
        assert reader.stdout.readline().strip() == "3", "the reader's data changed under it"
    finally:
        reader.stdin.close()
        reader.wait(timeout=30)
    full = tmp_path / "full.duckdb"
    build_db([work], full)
    assert_same(db, full)


_KILL_IN_SPARE = """
import os, signal, sys
sys.path.insert(0, {root!r})
import etl.store.database as store
real = store.Writer.add
def dying_add(self, tables):
    assert self.mode == "spare", self.mode
    real(self, tables)
    os.kill(os.getpid(), signal.SIGKILL)   # die in the middle of writing the spare
store.Writer.add = dying_add
from etl.load import run
run([{src!r}], {db!r}, progress=False)
"""


def test_a_load_killed_while_writing_the_spare_loses_nothing(tmp_path: Path) -> None:
    files, work, db = two_loads(tmp_path)
    before = all_rows(db)
    copy_files(work, files[4:])
    p = subprocess.run([sys.executable, "-c", _KILL_IN_SPARE.format(root=str(ROOT), src=str(work), db=str(db))],
                       capture_output=True, text=True, timeout=120)
    assert p.returncode == -9, p.stderr
    assert all_rows(db) == before  # readers never saw the half-written spare
    rc, out, _ = build_db([work], db)  # the spare is marked unfinished: this load copies instead
    assert rc == 0 and "1 loaded" in out
    full = tmp_path / "full.duckdb"
    build_db([work], full)
    assert_same(db, full)


def test_nothing_new_writes_nothing(tmp_path: Path) -> None:
    db = tmp_path / "r.duckdb"
    build_db([SEEDS], db)
    stat = db.stat()
    rc, out, _ = build_db([SEEDS], db)
    assert rc == 0 and "0 loaded, 5 unchanged" in out
    assert (db.stat().st_ino, db.stat().st_mtime_ns) == (stat.st_ino, stat.st_mtime_ns)


def test_extraction_streams_a_bounded_number_of_files_ahead() -> None:
    # The loader writes batches as they come: the engine must not read the whole archive
    # into memory before the first batch is out.

    read = 0

    def raws():
        nonlocal read
        for i in range(2000):
            read += 1
            yield RawFile(path=f"x{i}.txt", doc_id=f"x{i}", sha256=str(i), data="新增企业100家。".encode(), meta={})

    ahead = []
    done = 0
    for batch in local.extract(raws(), workers=2):
        done += batch.files
        ahead.append(read - done)
    assert done == 2000
    assert max(ahead) <= 2 * local.IN_FLIGHT_PER_WORKER * FILES_PER_BATCH


@pytest.mark.slow
def test_dask_engine_builds_the_database_of_local_workers(tmp_path: Path) -> None:
    arch = tmp_path / "arch"
    synth.write_archive(arch, 2000, seed=11)
    for name, paths in (("seeds", [SEEDS]), ("archive", [arch])):
        local_db, dask_db = tmp_path / f"{name}-workers.duckdb", tmp_path / f"{name}-dask.duckdb"
        assert build_db(paths, local_db, workers=2)[0] == 0
        p = subprocess.run([sys.executable, "-m", "etl", *map(str, paths), "--db", str(dask_db), "--engine", "dask",
                            "--workers", "2"], capture_output=True, text=True, timeout=900, cwd=ROOT,
                           env={**os.environ, "PYTHONPATH": str(ROOT)})
        assert p.returncode == 0, p.stderr[-2000:]
        assert_same(dask_db, local_db)
        assert not (tmp_path / f".{dask_db.name}.parts").exists(), "the Parquet parts are removed once loaded"


def test_an_unreachable_scheduler_loads_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from etl.engines import dask_cluster
    from etl.load import run

    monkeypatch.setattr(dask_cluster, "CONNECT_TIMEOUT_S", 1)
    db = tmp_path / "r.duckdb"
    build_db([SEEDS], db)
    before = all_rows(db)
    out, err = io.StringIO(), io.StringIO()
    rc = run([str(SEEDS / "000_dee86277aac3db40.txt")], str(db), engine="dask", scheduler="tcp://127.0.0.1:9",
             progress=False, out=out, err=err)
    assert rc == 2
    assert "cannot reach the Dask scheduler at tcp://127.0.0.1:9" in err.getvalue()
    assert "nothing was loaded" in err.getvalue()
    assert all_rows(db) == before


def test_scheduler_needs_the_dask_engine(capsys: pytest.CaptureFixture[str]) -> None:
    from etl.cli import main

    with pytest.raises(SystemExit) as exc:
        main(["seeds", "--scheduler", "tcp://127.0.0.1:8786"])
    assert exc.value.code == 2
    assert "--scheduler needs --engine dask" in capsys.readouterr().err


@pytest.mark.slow
def test_dask_engine_on_a_scheduler_address(tmp_path: Path) -> None:
    # A cluster started elsewhere (here: in this process), reached by its address.
    from distributed import LocalCluster

    local_db, dask_db = tmp_path / "workers.duckdb", tmp_path / "dask.duckdb"
    assert build_db([SEEDS], local_db)[0] == 0
    with LocalCluster(n_workers=1, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        p = subprocess.run([sys.executable, "-m", "etl", str(SEEDS), "--db", str(dask_db), "--engine", "dask",
                            "--scheduler", cluster.scheduler_address], capture_output=True, text=True, timeout=600,
                           cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert p.returncode == 0, p.stderr[-2000:]
    assert_same(dask_db, local_db)


def test_the_command_line_runs_spawned_workers(tmp_path: Path) -> None:
    # Workers are spawned (not forked): they import etl/__main__.py, which must not start a load.
    # More files than one batch, else the files are extracted in the loader itself.
    archive = tmp_path / "archive"
    synth.write_archive(archive, 2 * FILES_PER_BATCH + 1, seed=5)
    p = subprocess.run([sys.executable, "-m", "etl", str(archive), "--db", str(tmp_path / "r.duckdb"), "--workers", "2"],
                       capture_output=True, text=True, timeout=300, cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert p.returncode == 0, p.stderr[-2000:]
    assert f"{2 * FILES_PER_BATCH + 1} loaded" in p.stdout


def test_one_batch_is_extracted_without_starting_workers(monkeypatch: pytest.MonkeyPatch) -> None:
    started: list[int] = []

    class Pool(local.ProcessPoolExecutor):
        def __init__(self, max_workers: int, **kw) -> None:
            started.append(max_workers)
            super().__init__(max_workers=max_workers, **kw)

    monkeypatch.setattr(local, "ProcessPoolExecutor", Pool)

    def raws(n: int):
        return (RawFile(path=f"x{i}.txt", doc_id=f"x{i}", sha256=str(i), data="新增企业100家。".encode(), meta={})
                for i in range(n))

    assert sum(b.loaded for b in local.extract(raws(FILES_PER_BATCH), workers=2)) == FILES_PER_BATCH
    assert started == []
    assert sum(b.loaded for b in local.extract(raws(FILES_PER_BATCH + 1), workers=2)) == FILES_PER_BATCH + 1
    assert started == [2]


def _trade_file(folder: Path, name: str, value: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    p = folder / f"{name}.txt"
    p.write_text(f"成都日报 2025年3月5日\n\n成都外贸稳步增长\n\n本报讯 2024年，成都市外贸进出口总值{value}亿元。\n",
                 encoding="utf-8")
    return p


def _facts_of(db: Path) -> list[tuple]:
    import duckdb

    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute("SELECT doc_id, fact_id, n_citations FROM claims ORDER BY doc_id").fetchall()
    finally:
        con.close()


def test_a_figure_between_two_facts_joins_them_and_its_removal_splits_them(tmp_path: Path) -> None:
    # 9.6 and 10.4 (printed to 0.1) are two facts; 10 (printed to 1) is within rounding of both,
    # so the three are one fact. An increment forms again only the value groups beside its
    # figures: it must find both neighbours' groups, and split them again on removal.
    work = tmp_path / "in"
    _trade_file(work, "a", "9.6")
    _trade_file(work, "b", "10.4")
    _trade_file(work, "far", "55.5")
    db = tmp_path / "inc.duckdb"
    assert build_db([work], db)[0] == 0
    assert len({f for _, f, _ in _facts_of(db)}) == 3
    bridge = _trade_file(work, "c", "10")
    assert build_db([work], db)[0] == 0
    full = tmp_path / "full.duckdb"
    assert build_db([work], full)[0] == 0
    assert_same(db, full)
    assert [n for d, _, n in _facts_of(db) if d != "far"] == [3, 3, 3]
    bridge.unlink()
    assert build_db([work], db)[0] == 0
    full2 = tmp_path / "full2.duckdb"
    assert build_db([work], full2)[0] == 0
    assert_same(db, full2)
    assert [n for _, _, n in _facts_of(db)] == [1, 1, 1]


def test_the_spare_catches_up_from_the_load_log(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # The spare is the file the current one was made from: the current file's load_log names
    # the documents to copy over, with no comparison of every document. A spare from anywhere
    # else is compared document by document.
    seen: list[str] = []
    behind = store.Writer._behind
    monkeypatch.setattr(store.Writer, "_behind", lambda self, *a: seen.append(behind(self, *a)) or seen[-1])
    files = sorted(SEEDS.glob("*.txt"))
    work = copy_files(tmp_path / "in", files[:2])
    db = tmp_path / "inc.duckdb"
    assert build_db([work], db)[0] == 0
    first = tmp_path / "first.duckdb"
    shutil.copy(db, first)
    for f in files[2:4]:
        copy_files(work, [f])
        assert build_db([work], db)[0] == 0
    assert seen == ["same", "log"]
    shutil.copy(first, store.spare_path(db))  # two generations behind: its log does not apply
    copy_files(work, files[4:])
    assert build_db([work], db)[0] == 0
    assert seen[-1] == "diff"
    full = tmp_path / "full.duckdb"
    assert build_db([work], full)[0] == 0
    assert_same(db, full)


def test_a_new_extractor_extracts_the_whole_archive_again_not_only_the_files_given(tmp_path: Path) -> None:
    import duckdb

    files = sorted(SEEDS.glob("*.txt"))
    old, new = copy_files(tmp_path / "old", files[:3]), copy_files(tmp_path / "new", files[3:4])
    db = tmp_path / "inc.duckdb"
    assert build_db([old], db)[0] == 0
    con = duckdb.connect(str(db))
    con.execute("UPDATE meta SET value = 'an earlier extractor' WHERE key = 'extractor_version'")
    con.close()
    (old / files[2].name).unlink()  # gone since: cannot be extracted again
    rc, out, err = build_db([new], db)
    assert rc == 0
    assert "2 more of its documents are extracted again with the files given; 1 whose file is gone are dropped" in err
    full = tmp_path / "full.duckdb"
    assert build_db([old, new], full)[0] == 0
    assert_same(db, full)


def test_each_claim_keeps_the_text_since_the_previous_figure_of_its_sentence() -> None:
    # The fact checks read their cues (其中, 同比, 环比, 占) there; kept with the claim, the
    # checks never read whole documents.
    from etl import pipeline
    from etl.store.rows import pre_texts

    text = "成都日报 2025年3月5日\n\n外贸\n\n2024年，成都市外贸进出口总值100亿元，\n其中出口60亿元，同比增长5.2%。\n"
    data = text.encode()
    res = pipeline.process(RawFile("t.txt", "t", data, "x", {}))
    pre = dict(zip((c.mention for c in res.claims), pre_texts(res.document.text, res), strict=True))
    assert pre["100亿元"].endswith("成都市外贸进出口总值")
    assert pre["60亿元"] == "，其中出口"  # the line break inside is not kept
    assert pre["5.2%"] == "，同比增长"


def test_the_writer_is_given_more_memory_without_a_cluster_beside_it(tmp_path: Path,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("RONGSHU_DUCKDB_MEMORY", raising=False)
    assert store.memory_limit("local") == "768MB"
    assert store.memory_limit("dask") == "512MB"
    seen: list[str] = []
    real = store.Writer._open

    def spy(self: store.Writer) -> store.Writer:
        w = real(self)
        seen.append(w.con.execute("SELECT current_setting('memory_limit')").fetchall()[0][0])
        return w

    monkeypatch.setattr(store.Writer, "_open", spy)
    work = copy_files(tmp_path / "in", sorted(SEEDS.glob("*.txt"))[:1])
    assert build_db([work], tmp_path / "a.duckdb")[0] == 0
    monkeypatch.setenv("RONGSHU_DUCKDB_MEMORY", "300MB")
    assert store.memory_limit("local") == "300MB"
    assert build_db([work], tmp_path / "b.duckdb")[0] == 0
    import duckdb

    def shown(limit: str) -> str:  # as DuckDB shows it (768MB is 732.4 MiB)
        con = duckdb.connect()
        con.execute(f"SET memory_limit = '{limit}'")
        return con.execute("SELECT current_setting('memory_limit')").fetchall()[0][0]

    assert seen == [shown("768MB"), shown("300MB")]
