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
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from etl import compiled
from etl.engines import Batch, EngineError, local
from etl.ingest.sources import RawFile, SourceError, discover, read_file, read_manifests
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


def unique_ids(files: list[Path]) -> dict[Path, str]:
    """doc_id = file name without extension; a clash adds the folder name."""
    names = unique_names(str(f) for f in files)
    return {f: names[str(f)] for f in files}


def unique_names(paths: Iterable[str]) -> dict[str, str]:
    """`unique_ids` of file paths given as strings (a resident loader names every poll's files;
    building a `Path` per file would cost more)."""
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
        delay: float = 1.0, engine: str = "local", scheduler: str | None = None, version: str | None = None) -> int:
    """Load `paths` (and `urls`, fetched into the data folder first) into `db`; returns the exit
    status (0 ok, 1 when some file or URL failed, 2 when another load kept the database for more
    than `wait` seconds: nothing is written then). `version`: the extractor's (default the code on disk).

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
        files, bad = discover(paths)  # under the lock: a load that waited sees the files as they are now
        return _load(files, _folders(paths), db, workers, progress, out, err, fetch_failed + bad, engine, scheduler,
                     version=version)

    return _locked(db, wait, err, job)


def load_files(files: list[Path], roots: list[str], db: str = DEFAULT_DB, *, ids: dict[Path, str] | None = None,
               version: str | None = None, workers: int = 1, progress: bool | None = None, out=sys.stdout,
               err=sys.stderr, wait: float = store.DEFAULT_WAIT, engine: str = "local",
               scheduler: str | None = None) -> int:
    """Load exactly `files` (unchanged ones skipped as usual) and remove the documents of files gone
    from the folders `roots`, as `run` does for the paths it is given; the same exit status.

    `ids` names the files' documents (default `unique_ids(files)`: pass the names given over all
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


def _load(files: list[Path], roots: list[str], db: str, workers: int, progress: bool | None, out, err,
          failures: list[tuple[str, str]], engine: str = "local", scheduler: str | None = None,
          ids: dict[Path, str] | None = None, version: str | None = None) -> int:
    """Load `files` and remove the documents of files gone from the folders `roots`, while
    holding the database's writer lock; `failures` (path, reason) found before are reported too.

    Files are read, extracted and written in batches as they stream through the engine, so
    memory stays bounded whatever the archive's size; the database is written (and derived
    again) only when something changed.
    """
    t0 = time.perf_counter()
    ids = unique_ids(files) if ids is None else {f: ids[f] for f in files}
    db_path = Path(db)
    version = version or extractor_version()
    # The documents of these files, and of the folders loaded (where a file may have been removed).
    old_docs, old_version = store.read_state(db_path, ids.values(), roots)
    reuse = old_version == version
    if old_version is not None and not reuse:
        files, ids = _with_earlier_documents(db_path, files, ids, err)
    manifests = read_manifests(files)
    failures = list(failures)
    counts = {"unchanged": 0, "todo": 0}

    def changed() -> Iterator[RawFile]:
        for f in files:
            try:
                raw = read_file(f, manifests.get(f.resolve()), ids[f])
            except SourceError as exc:
                failures.append((str(f), str(exc)))
                continue
            old = old_docs.get(raw.doc_id)
            if reuse and old and old[0] == raw.sha256 and old[1] == raw.path:
                counts["unchanged"] += 1
                continue
            counts["todo"] += 1
            yield raw

    seen = {ids[f] for f in files}
    paths = {str(f) for f in files}
    # Rows of files of the loaded folders that no longer exist are removed, and those of a file
    # loaded now under another name (a second file of the same name came, or went); a file that
    # fails now keeps its old rows.
    removed = {d for d, (_, p) in old_docs.items()
               if d not in seen and (p in paths or not Path(p).is_file())} if reuse else set()
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
        manifests.clear()  # what extraction needed: deriving the facts of a large archive needs the room
        old_docs.clear()
        if writer is not None or removed or not reuse or not db_path.exists():
            opened().commit()
    for path, reason in failures:
        print(f"rongshu: skipped {path}: {reason}", file=err)
    if counts["todo"] and not compiled.ACTIVE and compiled.BUILD.exists() and not os.environ.get("RONGSHU_PURE"):
        # A build left behind by an edit: same claims, but the user expects the speed.
        print(f"rongshu: note: {compiled.STATE}; scripts/setup.sh rebuilds it", file=err)
    n_docs, n_art, n_claims = store.totals(db_path)
    print(f"{len(files)} files ({loaded} loaded, {counts['unchanged']} unchanged, {len(removed)} removed, "
          f"{len(failures)} failed); database: {n_docs} documents, {n_art} articles, {n_claims} claims; "
          f"{time.perf_counter() - t0:.1f} s -> {db_path}", file=out)
    return 1 if failures else 0


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


def _with_earlier_documents(db: Path, files: list[Path], ids: dict[Path, str], err
                            ) -> tuple[list[Path], dict[Path, str]]:
    """`files` plus the files of the documents a database written by another extractor version
    holds: the new file is built from scratch, and must not lose the archive because this load
    names only today's files. Documents whose file is gone cannot be extracted again: said."""
    earlier, _ = store.read_state(db)
    given = {str(f) for f in files} | {str(f.resolve()) for f in files}
    taken = set(ids.values())
    more: dict[Path, str] = {}
    gone = 0
    for doc_id, (_, path) in sorted(earlier.items()):
        if path in given or doc_id in taken:
            continue
        if Path(path).is_file():
            more[Path(path)] = doc_id
        else:
            gone += 1
    print(f"rongshu: {db} was written by another extractor version: {len(more):,} more of its documents are "
          "extracted again with the files given" + (f"; {gone:,} whose file is gone are dropped" if gone else ""),
          file=err)
    return [*files, *more], {**ids, **more}
