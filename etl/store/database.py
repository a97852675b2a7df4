"""DuckDB storage: schema, the writer lock, and loads written to a file readers do not see and
renamed into place (a new file, the previous generation brought up to date, or a copy)."""
from __future__ import annotations

import contextlib
import fcntl
import os
import shutil
import stat
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pyarrow as pa

from etl.extract.model import DocResult
from etl.store import search_index
from etl.store.facts import derive

DEFAULT_DB = "data/rongshu.duckdb"

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key VARCHAR PRIMARY KEY, value VARCHAR);
-- The documents the load that wrote this file changed (added, extracted again or removed)
-- against the file it started from (meta `parent`): the next load brings the spare, that file,
-- up to date with these alone.
CREATE TABLE IF NOT EXISTS load_log (doc_id VARCHAR);
CREATE TABLE IF NOT EXISTS documents (
    doc_id VARCHAR PRIMARY KEY, path VARCHAR, sha256 VARCHAR, encoding VARCHAR, text VARCHAR,
    published DATE, published_source VARCHAR, outlet VARCHAR, title VARCHAR, url VARCHAR,
    n_chars INTEGER, source_kind VARCHAR, source VARCHAR, pages INTEGER);
CREATE TABLE IF NOT EXISTS articles (
    article_id VARCHAR PRIMARY KEY, doc_id VARCHAR, title VARCHAR, "start" INTEGER, "end" INTEGER,
    byline VARCHAR, n_sentences INTEGER);
CREATE TABLE IF NOT EXISTS sentences (
    sentence_id VARCHAR PRIMARY KEY, doc_id VARCHAR, article_id VARCHAR, "start" INTEGER,
    "end" INTEGER, text VARCHAR, role VARCHAR, sentence_key BIGINT, list_cue BOOLEAN, share_word BOOLEAN);
CREATE TABLE IF NOT EXISTS claims (
    claim_id VARCHAR PRIMARY KEY, doc_id VARCHAR, article_id VARCHAR, sentence_id VARCHAR,
    "start" INTEGER, "end" INTEGER, mention VARCHAR, value DOUBLE, unit VARCHAR, qualifier VARCHAR,
    kind VARCHAR, metric VARCHAR, region VARCHAR, period_start DATE, period_end DATE,
    status VARCHAR, topic VARCHAR, sector VARCHAR, sector_code VARCHAR, published DATE,
    metric_id VARCHAR, fact_id VARCHAR, n_citations INTEGER, sentence_key BIGINT,
    page INTEGER, bbox DOUBLE[], confidence DOUBLE, value_group VARCHAR, pre_text VARCHAR);
CREATE TABLE IF NOT EXISTS page_images (
    doc_id VARCHAR, page INTEGER, width INTEGER, height INTEGER, ocr BOOLEAN, image BLOB,
    PRIMARY KEY (doc_id, page));
-- The signature of each document's file when it was last read (etl.ingest.scan): a load reads
-- again only the files whose signature differs.
CREATE TABLE IF NOT EXISTS file_stats (
    doc_id VARCHAR PRIMARY KEY, path VARCHAR, size BIGINT, mtime_ns BIGINT, inode BIGINT, ctime_ns BIGINT);
"""
TABLES = ("claims", "sentences", "articles", "documents", "page_images", "file_stats")
FILE_STATS = ("doc_id", "path", "size", "mtime_ns", "inode", "ctime_ns")
DEFAULT_WAIT = 1800.0  # seconds a load waits for another one writing the same database


class Busy(Exception):
    """Another load kept the database's writer lock for longer than we were willing to wait."""


def lock_path(db: Path) -> Path:
    """The lock file beside the database (kept: deleting a lock file others wait on races)."""
    return db.parent / f".{db.name}.lock"


def _holder(path: Path) -> str:
    """Who holds the lock, as its holder wrote it ("pid 123 since 12:00:00"), or ''."""
    try:
        pid, since = path.read_text().split()
        return f"pid {int(pid)} since {time.strftime('%H:%M:%S', time.localtime(float(since)))}"
    except (OSError, ValueError):
        return ""


@contextlib.contextmanager
def writer_lock(db: Path, timeout: float = DEFAULT_WAIT,
                on_wait: Callable[[str], None] = lambda _: None) -> Iterator[None]:
    """Hold the database's writer lock: one load at a time reads the state, extracts, writes
    and renames, so a second load starts from the first one's result and loses nothing.

    An advisory `flock` on the lock file: the kernel releases it when its holder exits, even
    when killed, so a waiter never waits for a dead load. `on_wait(holder)` is called once
    when the lock is taken; `Busy` is raised after `timeout` seconds of waiting.
    """
    db.parent.mkdir(parents=True, exist_ok=True)
    path = lock_path(db)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o666)
    try:
        deadline = time.monotonic() + timeout
        waited = False
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if not waited:
                    on_wait(_holder(path))
                    waited = True
                if time.monotonic() >= deadline:
                    raise Busy(f"another load ({_holder(path) or 'unknown'}) is still writing {db} "
                               f"after {timeout:.0f} s") from None
                time.sleep(0.2)
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()} {time.time():.0f}\n".encode(), 0)
        yield
    finally:
        os.close(fd)  # releases the lock


def lock_holder(db: Path) -> str | None:
    """Who holds the database's writer lock now ("pid 123 since 12:00:00", or "" when it did not
    say), None when it is free; does not wait (a resident loader asks before each load)."""
    path = lock_path(db)
    try:
        fd = os.open(path, os.O_RDONLY)
    except FileNotFoundError:
        return None
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return _holder(path)
    finally:
        os.close(fd)  # releases it when it was taken
    return None


def _new_file_mode(db: Path) -> int:
    """The mode the database should keep: the replaced file's, or what the umask gives a new file
    (the temporary file is created 0600, which would lock out a dashboard run by another user)."""
    with contextlib.suppress(FileNotFoundError):
        return stat.S_IMODE(db.stat().st_mode)
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


def _read(db: Path, read, default):
    """`read(con)` on the database opened read-only; `default` when it is missing or unreadable."""
    if not db.exists():
        return default
    try:
        con = duckdb.connect(str(db), read_only=True)
    except duckdb.Error:
        return default
    try:
        return read(con)
    except duckdb.Error:
        return default
    finally:
        con.close()


def read_state(db: Path, ids: Iterable[str] | None = None, roots: Iterable[str] = ()
               ) -> tuple[dict[str, tuple[str, str]], str | None]:
    """{doc_id: (sha256, path)} and the extractor version of an existing database: every
    document, or (given `ids`) those of these ids and those whose file lies under a folder of
    `roots`, so that a load of a few new files reads a few rows, not the archive's."""
    def state(con: duckdb.DuckDBPyConnection):
        sql, params = "SELECT doc_id, sha256, path FROM documents", []
        if ids is not None:
            sql += " WHERE doc_id IN (SELECT unnest(?::VARCHAR[]))"
            params = [sorted(set(ids))]
            for root in roots:
                sql += " OR starts_with(path, ?)"
                params.append(root.rstrip("/") + "/")
        docs = {d: (s, p) for d, s, p in con.execute(sql, params).fetchall()}
        row = con.execute("SELECT value FROM meta WHERE key = 'extractor_version'").fetchall()
        return docs, row[0][0] if row else None

    return _read(db, state, ({}, None))


@dataclass
class Plan:
    """What a load must read, from the files' signatures against `file_stats` (see `plan_load`)."""

    version: str | None = None  # the extractor version of the database (None: no database yet)
    # doc_id -> its (sha256, path), None if new; consulted only when `version` is the loader's
    todo: dict[str, tuple[str, str] | None] = field(default_factory=dict)
    removed: set[str] = field(default_factory=set)  # documents whose file is gone, or now named otherwise


# Above this many files their signatures reach DuckDB as an Arrow table (0.5 s for 1M rows, but
# building one imports pandas: 0.2 s); below, as list parameters (1.7 s for 1M rows, 0.08 s for 50,000).
_ARROW_ROWS = 200_000


def _scan_table(con: duckdb.DuckDBPyConnection, columns: list[list]) -> None:
    """Temp table `_scan` (columns FILE_STATS) from lists, one per column."""
    if len(columns[0]) > _ARROW_ROWS:
        types = (pa.string(), pa.string(), pa.int64(), pa.int64(), pa.int64(), pa.int64())
        con.register("_scan_rows", pa.Table.from_arrays([pa.array(c, type=t) for c, t in zip(columns, types, strict=True)],
                                                        names=list(FILE_STATS)))
        try:
            con.execute("CREATE OR REPLACE TEMP TABLE _scan AS SELECT * FROM _scan_rows")
        finally:
            con.unregister("_scan_rows")
        return
    sql_types = ("VARCHAR", "VARCHAR", "BIGINT", "BIGINT", "BIGINT", "BIGINT")
    con.execute("CREATE OR REPLACE TEMP TABLE _scan AS SELECT " + ", ".join(
        f"unnest(?::{t}[]) AS {c}" for c, t in zip(FILE_STATS, sql_types, strict=True)), columns)


def plan_load(db: Path, files: list[list], roots: Iterable[str] = (), verify: bool = False) -> Plan:
    """Compare the signatures of the files a load is given (`files`: one list per column of
    FILE_STATS) with
    those stored, in one join: the documents to read (new, moved, or whose signature differs;
    all of them with `verify`) with the hash and path they had, and the documents to remove
    (their file is gone from the folders `roots`, or is loaded now under another name). No file
    is opened: an unchanged archive of a million files costs this query and the scan."""
    def plan(con: duckdb.DuckDBPyConnection) -> Plan:
        row = con.execute("SELECT value FROM meta WHERE key = 'extractor_version'").fetchall()
        out = Plan(version=row[0][0] if row else None)
        has_stats = bool(con.execute("SELECT count(*) FROM duckdb_tables() WHERE table_name = 'file_stats'"
                                     ).fetchall()[0][0])
        stats = "file_stats" if has_stats else "(SELECT * FROM _scan LIMIT 0)"
        _scan_table(con, files)
        try:
            differs = " OR ".join(f"f.{c} IS DISTINCT FROM s.{c}" for c in FILE_STATS[1:])
            for doc_id, sha, path in con.execute(f"""
                    SELECT s.doc_id, d.sha256, d.path FROM _scan s
                    LEFT JOIN documents d ON d.doc_id = s.doc_id LEFT JOIN {stats} f ON f.doc_id = s.doc_id
                    WHERE ? OR d.doc_id IS NULL OR f.doc_id IS NULL OR d.path <> s.path OR {differs}""",
                                                 [verify]).fetchall():
                out.todo[doc_id] = (sha, path) if sha is not None else None
            under = "".join(" OR starts_with(d.path, ?)" for _ in roots)
            for doc_id, path, taken in con.execute(f"""
                    SELECT d.doc_id, d.path, d.path IN (SELECT path FROM _scan) FROM documents d
                    WHERE d.doc_id NOT IN (SELECT doc_id FROM _scan)
                      AND (d.path IN (SELECT path FROM _scan){under})""",
                                                   [r.rstrip("/") + "/" for r in roots]).fetchall():
                # Under a folder loaded and not found by the scan: gone (or no longer a file).
                if taken or not os.path.isfile(path):
                    out.removed.add(doc_id)
        finally:
            con.execute("DROP TABLE IF EXISTS _scan")
        return out

    return _read(db, plan, Plan())  # no database (or none readable): version None, every file read


def totals(db: Path) -> tuple[int, int, int]:
    """(documents, articles, claims) in a database file; zeros when it cannot be read."""
    return _read(db, lambda con: tuple(con.execute(
        "SELECT (SELECT count(*) FROM documents), (SELECT count(*) FROM articles), (SELECT count(*) FROM claims)"
    ).fetchone()), (0, 0, 0))


def remove_stale_temp(db: Path, older_than: float = 600.0) -> None:
    """Delete temporary files left by a killed run (only ones old enough not to be in use)."""
    for p in db.parent.glob(f".{db.name}.*.tmp*"):
        with contextlib.suppress(OSError):
            if time.time() - p.stat().st_mtime > older_than:
                p.unlink()


def _meta(con: duckdb.DuckDBPyConnection, database: str = "main") -> dict[str, str]:
    try:
        return dict(con.execute(f"SELECT key, value FROM {database}.meta").fetchall())
    except duckdb.Error:
        return {}


def spare_path(db: Path) -> Path:
    """The previous generation of the database, kept (a hard link) to apply the next load to."""
    return db.parent / f".{db.name}.spare"


def memory_limit(engine: str = "local") -> str:
    """DuckDB's memory limit for a load: bounded so that a load's process tree stays under
    2 GiB whatever the archive's size (DuckDB spills to disk beyond it). The local workers
    leave the writer 768 MB (at 512 MB the 200,000-article load spilled ~11 GB and took 686 s
    instead of 499 s); a local Dask cluster's scheduler and nannies take more, so 512 MB."""
    return os.environ.get("RONGSHU_DUCKDB_MEMORY", "768MB" if engine == "local" else "512MB")


class Writer:
    """The writes of one load, made to a file readers do not see and renamed into place.

    The file written is
    - a new, empty one when there is no database or the extractor changed (every document is
      extracted again and everything derived); a copy of it is then kept as the spare;
    - else the spare: the generation before the current one, which the previous load kept as
      a hard link. The rows of the documents that differ from the current file are copied
      over (the previous load's changes), then this load's, and only what they touch is
      derived again (`etl.store.facts.derive(changed=True)`): the cost is that of the changes;
    - else (no spare, or a reader still has it open) a copy of the current file.

    Readers see the old file or the new one. A crash leaves the current file as it was; a
    spare left half-written is marked and not used again.
    """

    def __init__(self, db: Path, version: str, reuse: bool, memory: str | None = None) -> None:
        self.db, self.version = db, version
        self.memory = memory or memory_limit()
        self.reuse = reuse and db.exists()
        self.target: Path | None = None
        self.mode = "new"
        self.con: duckdb.DuckDBPyConnection | None = None
        self.parent = ""  # meta `content` of the file this load started from
        self.catch_up_by = ""  # how the spare was brought up to date (`Writer._behind`)
        self._spare_content: str | None = None  # meta `content` of the spare, read when it is opened

    def __enter__(self) -> Writer:
        try:
            return self._open()
        except BaseException:
            self.__exit__()
            raise

    def _open(self) -> Writer:
        self.db.parent.mkdir(parents=True, exist_ok=True)
        remove_stale_temp(self.db)
        if self.reuse and self._open_spare():
            self.mode = "spare"
        else:
            self.target = self._temp_path()
            if self.reuse:
                self.mode = "copy"
                shutil.copyfile(self.db, self.target)
            else:
                self.target.unlink()
            self.con = duckdb.connect(str(self.target))
        con = self.con
        con.execute(f"SET memory_limit = '{self.memory}'")
        con.execute(SCHEMA)
        con.execute("INSERT OR REPLACE INTO meta VALUES ('state', 'writing')")
        con.execute("CREATE OR REPLACE TEMP TABLE _changed_docs (doc_id VARCHAR)")
        con.execute("CREATE OR REPLACE TEMP TABLE _old_claims AS SELECT * FROM claims LIMIT 0")
        con.execute("CREATE OR REPLACE TEMP TABLE _this_load (doc_id VARCHAR)")
        # The content the load starts from: the current file's (a copy of it, or the spare
        # brought up to date with it).
        self.parent = _meta(con).get("content", "") if self.mode == "copy" else ""
        if self.mode == "spare":
            self._catch_up()
        return self

    def _open_spare(self) -> bool:
        """Open the spare for writing when it is a complete earlier generation of this extractor."""
        spare = spare_path(self.db)
        try:
            if not spare.exists() or os.path.samefile(spare, self.db):
                return False
            con = duckdb.connect(str(spare))  # fails while a reader (the dashboard) has it open
        except (OSError, duckdb.Error):
            return False
        meta = _meta(con)
        if meta.get("extractor_version") != self.version or meta.get("state") != "ready":
            con.close()
            return False
        self.con, self.target = con, spare
        self._spare_content = meta.get("content")
        return True

    def _catch_up(self) -> None:
        """Copy from the current file the rows of the documents whose rows differ in the spare."""
        con = self.con
        con.execute("ATTACH ? AS cur (READ_ONLY)", [str(self.db)])
        try:
            cur = _meta(con, "cur")
            self.parent = cur.get("content", "")
            self.catch_up_by = self._behind(cur)
            self._drop_where("doc_id IN (SELECT doc_id FROM _sync)")
            con.execute("INSERT INTO _changed_docs SELECT doc_id FROM _sync")
            for t in TABLES:
                con.execute(f"INSERT INTO main.{t} SELECT * FROM cur.{t} WHERE doc_id IN (SELECT doc_id FROM _sync)")
        finally:
            con.execute("DETACH cur")
            con.execute("DROP TABLE IF EXISTS _sync")

    def _behind(self, cur: dict[str, str]) -> str:
        """Temp table `_sync`: the documents whose rows differ between the spare and the current
        file (attached as `cur`, its meta `cur`). Returns how they were found: `same` (the spare holds the
        current content), `log` (the spare is the file the current one was made from: the
        current file's load_log), else `diff` (every document's hash and path compared)."""
        con = self.con
        content = self._spare_content
        if content and content == cur.get("content"):
            con.execute("CREATE OR REPLACE TEMP TABLE _sync (doc_id VARCHAR)")
            return "same"
        if content and content == cur.get("parent"):
            con.execute("CREATE OR REPLACE TEMP TABLE _sync AS SELECT DISTINCT doc_id FROM cur.load_log")
            return "log"
        con.execute("""CREATE OR REPLACE TEMP TABLE _sync AS
            SELECT doc_id FROM (
            (SELECT doc_id, sha256, path FROM cur.documents EXCEPT SELECT doc_id, sha256, path FROM main.documents)
            UNION
            (SELECT doc_id, sha256, path FROM main.documents EXCEPT SELECT doc_id, sha256, path FROM cur.documents))
            UNION
            SELECT doc_id FROM (
            (SELECT * FROM cur.file_stats EXCEPT SELECT * FROM main.file_stats)
            UNION
            (SELECT * FROM main.file_stats EXCEPT SELECT * FROM cur.file_stats))""")
        return "diff"

    def _drop_where(self, cond: str) -> None:
        con = self.con
        con.execute(f"INSERT INTO _changed_docs SELECT doc_id FROM documents WHERE {cond}")
        con.execute(f"INSERT INTO _old_claims SELECT * FROM claims WHERE {cond}")
        for t in TABLES:
            con.execute(f"DELETE FROM {t} WHERE {cond}")

    def drop(self, doc_ids: Iterable[str]) -> None:
        """Delete the rows of these documents (removed files, and files extracted again)."""
        ids = sorted(set(doc_ids))
        if not ids or self.mode == "new":
            return
        self.con.execute("INSERT INTO _this_load SELECT unnest(?::VARCHAR[])", [ids])
        self.con.execute("""CREATE OR REPLACE TEMP TABLE _drop AS
                            SELECT doc_id FROM documents WHERE doc_id IN (SELECT unnest(?::VARCHAR[]))""", [ids])
        if self.con.execute("SELECT count(*) FROM _drop").fetchall()[0][0]:  # new documents have nothing to drop
            self._drop_where("doc_id IN (SELECT doc_id FROM _drop)")
        self.con.execute("DROP TABLE _drop")

    def add(self, tables: dict[str, pa.Table]) -> None:
        """Insert one batch of rows (etl.store.rows.to_tables), replacing its documents' old rows."""
        self.drop(tables["documents"].column("doc_id").to_pylist())
        for t in TABLES:
            table = tables.get(t)
            if table is not None and table.num_rows:
                self.con.register("_incoming", table)
                try:
                    self.con.execute(f"INSERT INTO {t} SELECT * FROM _incoming")
                    if t == "documents":
                        self.con.execute("INSERT INTO _changed_docs SELECT doc_id FROM _incoming")
                finally:
                    self.con.unregister("_incoming")

    def file_stats(self, columns: list[list]) -> None:
        """Record the signatures of files read by this load (one list per column of FILE_STATS):
        of the documents it wrote, and of files touched but unchanged (their rows stay; the next
        load need not read them again). Their documents go into the load's log, so the spare
        catches up."""
        if not columns[0]:
            return
        _scan_table(self.con, columns)
        try:
            self.con.execute("DELETE FROM file_stats WHERE doc_id IN (SELECT doc_id FROM _scan)")
            self.con.execute(f"INSERT INTO file_stats SELECT {', '.join(FILE_STATS)} FROM _scan")
            self.con.execute("INSERT INTO _this_load SELECT doc_id FROM _scan")
        finally:
            self.con.execute("DROP TABLE IF EXISTS _scan")

    def add_parquet(self, folder: Path) -> None:
        """Insert one batch written as Parquet (one `TABLE.parquet` per table) by a cluster engine."""
        import pyarrow.parquet as pq

        self.add({t: pq.read_table(folder / f"{t}.parquet") for t in TABLES if (folder / f"{t}.parquet").exists()})

    def commit(self) -> None:
        """Derive, close and rename the file into place; the replaced file becomes the spare."""
        con = self.con
        key_sentences(con)
        derive(con, changed=self.mode != "new")
        search_index.build(con, "_changed_docs" if self.mode != "new" else None)
        con.execute("DELETE FROM load_log")
        con.execute("INSERT INTO load_log SELECT DISTINCT doc_id FROM _this_load ORDER BY doc_id")
        # The content of a file: its documents' ids, hashes and paths and their files' signatures,
        # whatever order they came in.
        content = con.execute("""SELECT CAST(xor(coalesce((SELECT bit_xor(hash(doc_id, sha256, path)) FROM documents), 0),
                                                coalesce((SELECT bit_xor(hash(doc_id, path, size, mtime_ns, inode, ctime_ns))
                                                          FROM file_stats), 0)) AS VARCHAR)""").fetchall()[0][0]
        con.execute("INSERT OR REPLACE INTO meta VALUES ('content', ?), ('parent', ?)", [content, self.parent])
        con.execute("INSERT OR REPLACE INTO meta VALUES ('extractor_version', ?)", [self.version])
        con.execute("INSERT OR REPLACE INTO meta VALUES ('state', 'ready')")
        con.execute("CHECKPOINT")
        con.close()
        self.con = None
        os.chmod(self.target, _new_file_mode(self.db))
        link = None
        if self.db.exists():
            link = self.db.parent / f".{self.db.name}.{os.getpid()}.link.tmp"
            with contextlib.suppress(FileNotFoundError):
                link.unlink()
            try:
                os.link(self.db, link)
            except OSError:  # no hard links here: the next load copies the file instead
                link = None
        os.replace(self.target, self.db)
        self.target = None
        if self.mode == "new":
            # The replaced file is of another extractor version (or there was none): a copy of
            # the new one becomes the spare, so that the next load does not copy either.
            if link is not None:
                link.unlink()
            self._copy_spare()
        elif link is not None:
            os.replace(link, spare_path(self.db))

    def _temp_path(self) -> Path:
        """A new temporary file beside the database (named so that `remove_stale_temp` finds it)."""
        fd, name = tempfile.mkstemp(prefix=f".{self.db.name}.", suffix=".tmp", dir=self.db.parent)
        os.close(fd)
        return Path(name)

    def _copy_spare(self) -> None:
        name = self._temp_path()
        try:
            shutil.copyfile(self.db, name)
            os.replace(name, spare_path(self.db))
        except OSError:  # no room for a spare: the next load copies instead
            with contextlib.suppress(FileNotFoundError):
                os.unlink(name)

    def __exit__(self, *exc) -> None:
        if self.con is not None:
            with contextlib.suppress(duckdb.Error):
                self.con.close()
        if self.target is not None and self.mode != "spare":
            for p in (self.target, Path(str(self.target) + ".wal")):
                with contextlib.suppress(FileNotFoundError):
                    p.unlink()


def write(db: Path, results: list[DocResult], remove: set[str], version: str, reuse: bool) -> None:
    """Write `results` and remove the documents `remove` in one load (see `Writer`)."""
    from etl.store.rows import to_tables

    with Writer(db, version, reuse) as w:
        w.drop(remove)
        w.add(to_tables(results))
        w.commit()


def key_sentences(con: duckdb.DuckDBPyConnection) -> None:
    """Give sentences and claims without a `sentence_key` the key of their sentence id: a search
    joins claims to the sentences matching it on this integer, 1.6x cheaper than on the text
    `sentence_id` (56 -> 36 ms at 1M claims). A hash of the id, so a sentence has the same key
    however the database was loaded (one load or many)."""
    for t in ("sentences", "claims"):
        con.execute(f"UPDATE {t} SET sentence_key = (hash(sentence_id) >> 1)::BIGINT WHERE sentence_key IS NULL")


def derive_facts(con: duckdb.DuckDBPyConnection) -> None:
    """Cross-document facts (metric catalog, series, duplicates, checks) over the whole database."""
    derive(con)
