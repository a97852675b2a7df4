"""A load: files and fetched URLs -> ingest -> extract (an engine) -> store, under the writer lock.

`run` is what `python -m etl` does once (etl/cli.py); `load_files` is one load of given files,
which the resident loader (etl/watch.py) calls for each change it sees."""
from __future__ import annotations

import collections
import contextlib
import hashlib
import os
import shutil
import sys
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from pathlib import Path

from etl import compiled
from etl.engines import Batch, EngineError, local
from etl.ingest.scan import Sig, scan, signature
from etl.ingest.sources import RawFile, SourceError, read_file, read_manifests
from etl.store import database as store
from etl.store.database import DEFAULT_DB

_PACKAGE = Path(__file__).resolve().parent
# What decides the rows a load writes: the pipeline and the ingest, extract and store stages.
# Fetching and the store's read queries (dashboard, exports) do not change what is extracted.
_STAGES = ("ingest", "extract", "store")
_NOT_PIPELINE = {"fetch.py", "queries.py"}
_DATA = _PACKAGE.parent / "data"


def extractor_version() -> str:
    """Hash of the ETL code and lexicons: when it changes, every document is re-extracted."""
    h = hashlib.sha256()
    files = [_PACKAGE / "pipeline.py"]
    for stage in _STAGES:
        files += sorted(p for p in (_PACKAGE / stage).rglob("*.py") if p.name not in _NOT_PIPELINE)
    if _DATA.is_dir():
        files += sorted(p for p in _DATA.rglob("*") if p.is_file() and p.suffix in (".csv", ".txt", ".toml", ".json")
                        and "rongshu" not in p.name)
    for p in files:
        h.update(p.name.encode())
        h.update(p.read_bytes())
    return h.hexdigest()[:16]


def unique_names(paths: Iterable[str]) -> dict[str, str]:
    """doc_id of each file path = its name without extension; a clash adds the folder's name.
    Paths as strings: a `Path` per file of a large archive would cost more than its scan."""
    stems = {f: os.path.splitext(os.path.basename(f))[0] for f in paths}
    n = collections.Counter(stems.values())
    return {f: s if n[s] == 1 else f"{os.path.basename(os.path.dirname(f))}_{s}" for f, s in stems.items()}


def _progress(batches: Iterable[Batch], enabled: bool) -> Iterator[Batch]:
    """The batches, counted on a progress bar of files when `enabled`."""
    if not enabled:
        yield from batches
        return
    from tqdm import tqdm

    with tqdm(unit="file", file=sys.stderr, leave=False) as bar:
        for b in batches:
            bar.update(b.files)
            yield b


def run(paths: list[str], db: str = DEFAULT_DB, workers: int = 1, progress: bool | None = None,
        out=sys.stdout, err=sys.stderr, wait: float = store.DEFAULT_WAIT, urls: list[str] | None = None,
        delay: float = 1.0, engine: str = "local", scheduler: str | None = None, version: str | None = None,
        verify: bool = False) -> int:
    """Load `paths` (and `urls`, fetched into the data folder first) into `db`; returns the exit
    status (0 ok, 1 when some file or URL failed, 2 when another load kept the database for more
    than `wait` seconds: nothing is written then). `version`: the extractor's (default the code on disk).

    A file whose signature (size, mtime_ns, inode, ctime_ns: etl.ingest.scan) is the one stored
    for its document is not opened; `verify` reads and hashes every file instead.

    Loads of one database take turns (`store.writer_lock`): each reads the state the previous
    one wrote, so two loads started together both end up in the database. URLs are fetched
    before the turn is taken (fetching is slow and polite; it writes only under raw/).
    """
    fetch_failed: list[tuple[str, str]] = []
    if urls:
        from etl.ingest.fetch import Fetcher

        raw_dir = Path(db).parent / "raw"
        n, fetch_failed = Fetcher(raw_dir, delay).fetch_all(urls)
        print(f"fetched {n} of {len(urls)} URLs ({len(urls) - n - len(fetch_failed)} already held) -> {raw_dir}",
              file=out)
        paths = [*paths, str(raw_dir)]

    def job() -> int:
        found = scan(paths)  # under the lock: a load that waited sees the files as they are now
        bad = [*found.bad, *((p, "does not exist") for p in found.missing)]
        return _load(sorted(found.files), _folders(paths), db, workers, progress, out, err, fetch_failed + bad, engine, scheduler,
                     version=version, sigs=found.files, verify=verify)

    return _locked(db, wait, err, job)


def load_files(files: list[Path], roots: list[str], db: str = DEFAULT_DB, *, ids: dict[Path, str] | None = None,
               version: str | None = None, workers: int = 1, progress: bool | None = None, out=sys.stdout,
               err=sys.stderr, wait: float = store.DEFAULT_WAIT, engine: str = "local",
               scheduler: str | None = None) -> int:
    """Load exactly `files` (unchanged ones skipped as usual) and remove the documents of files gone
    from the folders `roots`, as `run` does for the paths it is given; the same exit status.

    `ids` names the files' documents (default `unique_names(files)`: pass the names given over all
    the files of the folders, so a partial load names them as a full one); `version` is the
    extractor version to compare and write (default the code on disk)."""
    return _locked(db, wait, err, lambda: _load(files, roots, db, workers, progress, out, err, [], engine, scheduler,
                                                ids, version))


def _folders(paths: Iterable[str]) -> list[str]:
    """The folders among `paths`: the ones whose vanished files a load removes."""
    return [p for p in paths if Path(p).is_dir()]


def _locked(db: str, wait: float, err, job: Callable[[], int]) -> int:
    """`job()` holding the database's writer lock (waiting up to `wait` seconds for it); 2 when
    the lock was not had in time or the engine could not run (nothing is written then)."""
    def waiting(holder: str) -> None:
        print(f"rongshu: another load ({holder or 'starting'}) is writing {db}; waiting up to {wait:.0f} s",
              file=err, flush=True)

    try:
        with store.writer_lock(Path(db), wait, waiting):
            store.remove_stale_temp(Path(db), older_than=0)  # no other writer can be using one
            return job()
    except store.Busy as exc:
        print(f"rongshu: {exc}; nothing was loaded, run it again later", file=err)
        return 2
    except EngineError as exc:
        print(f"rongshu: {exc}; nothing was loaded", file=err)
        return 2


def _load(files: Sequence[str | Path], roots: list[str], db: str, workers: int, progress: bool | None, out, err,
          failures: list[tuple[str, str]], engine: str = "local", scheduler: str | None = None,
          ids: Mapping[str | Path, str] | None = None, version: str | None = None,
          sigs: dict[str, Sig] | None = None, verify: bool = False) -> int:
    """Load `files` and remove the documents of files gone from the folders `roots`, while
    holding the database's writer lock; `failures` (path, reason) found before are reported too.

    Only files whose signature differs from the one stored (`sigs`: etl.ingest.scan's, else each
    file is stat'ed) are read and hashed; of those, a file whose bytes are unchanged is not
    extracted again (its new signature is recorded). Paths stay strings until a file is read:
    a `Path` per file of an unchanged archive would cost more than its scan. Files are read,
    extracted and written in batches as they stream through the engine, so memory stays bounded
    whatever the archive's size; the database is written (and derived again) only when something changed.
    """
    t0 = time.perf_counter()
    names = [str(f) for f in files]
    ids = unique_names(names) if ids is None else {str(f): ids[f] for f in files}
    db_path = Path(db)
    version = version or extractor_version()
    sigs = _signatures(names, sigs)
    plan = store.plan_load(db_path, _stats_columns([(ids[f], f, sigs[f]) for f in names if f in sigs]), roots, verify)
    reuse = plan.version == version
    if plan.version is not None and not reuse:
        names, ids = _with_earlier_documents(db_path, names, ids, err)
        sigs = _signatures(names, sigs)
    todo = [Path(f) for f in names if not reuse or ids[f] in plan.todo or f not in sigs]
    manifests = _Manifests()
    failures = list(failures)
    counts = {"unchanged": len(names) - len(todo), "todo": 0}
    read: list[str] = []  # the files read (not a dict of their signatures: 1M entries cost ~0.3 GB)
    touched: set[str] = set()  # read, and their bytes were those stored

    def changed() -> Iterator[RawFile]:
        for f in todo:
            name = str(f)
            try:
                raw = read_file(f, manifests.of(f), ids[name])
            except SourceError as exc:
                failures.append((name, str(exc)))
                continue
            read.append(name)
            if reuse and plan.todo.get(raw.doc_id) == (raw.sha256, raw.path):
                counts["unchanged"] += 1
                touched.add(raw.doc_id)
                continue
            counts["todo"] += 1
            yield raw

    removed = plan.removed if reuse else set()
    if progress is None:
        progress = err.isatty()
    loaded = 0
    with contextlib.ExitStack() as stack:
        writer: store.Writer | None = None

        def opened() -> store.Writer:
            """The database's writer, opened at the first change (an unchanged archive writes nothing)."""
            nonlocal writer
            if writer is None:
                writer = stack.enter_context(store.Writer(db_path, version, reuse, store.memory_limit(engine)))
                writer.drop(removed)
            return writer

        for batch in _progress(_extract(changed(), engine, workers, scheduler, db_path), progress):
            failures.extend(batch.failures)
            if not batch.loaded:
                continue
            if batch.parquet is not None:
                opened().add_parquet(batch.parquet)
                shutil.rmtree(batch.parquet, ignore_errors=True)
            else:
                opened().add(batch.tables)
            loaded += batch.loaded
        manifests.clear()
        failed = {p for p, _ in failures}
        # Signatures of what this load read: the documents written, and the files touched but
        # unchanged (recorded only when the file is written anyway, or when nothing else is:
        # else the next load reads them again, no more). A file that failed keeps its old ones.
        stats = [(ids[p], p, sigs[p]) for p in read if p not in failed and p in sigs]
        if stats and (writer is not None or touched):
            opened().file_stats(_stats_columns(stats))
        if writer is not None or removed or not reuse or not db_path.exists():
            opened().commit()
    for path, reason in failures:
        print(f"rongshu: skipped {path}: {reason}", file=err)
    if counts["todo"] and not compiled.ACTIVE and compiled.BUILD.exists() and not os.environ.get("RONGSHU_PURE"):
        # A build left behind by an edit: same claims, but the user expects the speed.
        print(f"rongshu: note: {compiled.STATE}; scripts/setup.sh rebuilds it", file=err)
    n_docs, n_art, n_claims = store.totals(db_path)
    print(f"{len(names)} files ({loaded} loaded, {counts['unchanged']} unchanged, {len(removed)} removed, "
          f"{len(failures)} failed); database: {n_docs} documents, {n_art} articles, {n_claims} claims; "
          f"{time.perf_counter() - t0:.1f} s -> {db_path}", file=out)
    return 1 if failures else 0


class _Manifests:
    """The manifest rows of the files read, one folder at a time: files come sorted by path, so
    a folder's rows are read once and dropped when the next folder starts (a whole archive's
    rows held at once, a dict per file, took about 0.5 GB at 1M files)."""

    def __init__(self) -> None:
        self.folder: Path | None = None
        self.rows: dict[Path, dict] = {}

    def of(self, f: Path) -> dict | None:
        if f.parent != self.folder:
            self.folder, self.rows = f.parent, read_manifests([f])
        return self.rows.get(f.resolve())

    def clear(self) -> None:
        self.folder, self.rows = None, {}


def _signatures(files: list[str], known: dict[str, Sig] | None) -> dict[str, Sig]:
    """The files' signatures: those known (a scan's), the others stat'ed (a file that cannot be
    is left out: it is read, and fails, as before)."""
    out = known if known is not None else {}
    for f in files:
        if f not in out:
            with contextlib.suppress(OSError):
                out[f] = signature(os.stat(f))
    return out


def _stats_columns(rows: list[tuple[str, str, Sig]]) -> list[list]:
    """(doc_id, path, signature) rows as one list per column of `file_stats`."""
    if not rows:
        return [[] for _ in store.FILE_STATS]
    ids, paths, sigs = zip(*rows, strict=True)
    return [list(ids), list(paths), *map(list, zip(*sigs, strict=True))]


def _extract(raws: Iterator[RawFile], engine: str, workers: int, scheduler: str | None,
             db: Path) -> Iterator[Batch]:
    """The batches of `raws` extracted by `engine`."""
    if engine == "dask":
        from etl.engines import dask_cluster

        parts = db.parent / f".{db.name}.parts"
        shutil.rmtree(parts, ignore_errors=True)
        try:
            yield from dask_cluster.extract(raws, parts, max(1, workers), scheduler)
        finally:
            shutil.rmtree(parts, ignore_errors=True)
        return
    yield from local.extract(raws, workers)


def _with_earlier_documents(db: Path, files: list[str], ids: dict[str, str], err
                            ) -> tuple[list[str], dict[str, str]]:
    """`files` plus the files of the documents a database written by another extractor version
    holds: the new file is built from scratch, and must not lose the archive because this load
    names only today's files. Documents whose file is gone cannot be extracted again: said."""
    earlier, _ = store.read_state(db)
    given = set(files) | {str(Path(f).resolve()) for f in files}
    taken = set(ids.values())
    more: dict[str, str] = {}
    gone = 0
    for doc_id, (_, path) in sorted(earlier.items()):
        if path in given or doc_id in taken:
            continue
        if Path(path).is_file():
            more[path] = doc_id
        else:
            gone += 1
    print(f"rongshu: {db} was written by another extractor version: {len(more):,} more of its documents are "
          "extracted again with the files given" + (f"; {gone:,} whose file is gone are dropped" if gone else ""),
          file=err)
    return [*files, *more], {**ids, **more}
