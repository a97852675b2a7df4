"""`python -m etl PATH... --watch [--interval SECONDS]`: a resident loader.

One process loads PATHs as `python -m etl PATH...` does, then polls them every `interval`
seconds and loads what changed, with the extractor kept warm (imports, jieba's dictionary,
lexicons) between loads. A poll lists folders and stats files, nothing more: a file is opened
(read, hashed, extracted) only when its signature (size, mtime_ns, inode, ctime_ns:
etl.ingest.scan) changed. A file is
loaded once its signature held over two polls, so a file still being written is not loaded
half-written; a file gone over two polls has its document removed. Every load goes through
`etl.load.load_files` (the writer lock, the store's Writer, the usual summary line).
"""
from __future__ import annotations

import os
import signal
import sys
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

from etl import load
from etl.ingest.scan import Sig
from etl.ingest.scan import scan as scan_paths
from etl.store import database as store

POLL_SHARE = 0.2  # at most this share of the time goes to polling: a huge archive is polled less often
UNSTABLE: Sig = (-1, -1, -1, -1)  # loaded while it was changing: loaded again once it holds still


def scan(paths: Sequence[str]) -> tuple[dict[str, Sig], list[str]]:
    """The article files under `paths` with their signatures (etl.ingest.scan), and the paths
    that do not exist; no file is opened."""
    found = scan_paths(paths)
    return found.files, found.missing


def changes(loaded: Mapping[str, Sig], before: Mapping[str, Sig], now: Mapping[str, Sig]
            ) -> tuple[list[str], list[str]]:
    """(files to load, files gone): new or changed files whose signature is the same at the
    previous poll (`before`) and this one (`now`) and differs from the one `loaded`; loaded
    files absent at both polls."""
    todo = sorted(f for f, s in now.items() if before.get(f) == s and loaded.get(f) != s)
    gone = sorted(f for f in loaded if f not in now and f not in before)
    return todo, gone


names = load.unique_names


def _under(f: str, path: str) -> bool:
    return f == path or f.startswith(path.rstrip(os.sep) + os.sep)


class Watcher:
    """The state of a resident loader: what was loaded, what the last poll saw.

    `start()` makes the first load, `poll()` one poll (and load); `run(stop)` both, until the
    event is set. `load_options` are those of `etl.load.load_files` (workers, wait, engine, ...).
    """

    def __init__(self, paths: Sequence[str], db: str = store.DEFAULT_DB, *, out=sys.stdout, err=sys.stderr,
                 **load_options) -> None:
        self.paths = [str(Path(p)) for p in paths]
        self.db, self.out, self.err = db, out, err
        self.options = load_options
        self.version = load.extractor_version()  # the extractor this process has imported
        self.loaded: dict[str, Sig] = {}  # signatures of the files as last loaded (or tried)
        self.ids: dict[str, str] = {}  # their documents' names
        self.before: dict[str, Sig] = {}  # the previous poll
        self.full = True  # the next load is of all PATHs (the first one, or after another extractor's load)
        self.scan_seconds = 0.0  # what the last poll's scan took
        self._told: set[str] = set()  # notes said once

    def _say(self, key: str, message: str) -> None:
        if key not in self._told:
            self._told.add(key)
            print(f"rongshu: {message}", file=self.err, flush=True)

    def _free(self) -> bool:
        """True when no other load holds the writer lock (else said once, and we try again later)."""
        holder = store.lock_holder(Path(self.db))
        if holder is None:
            self._told.discard("busy")
            return True
        self._say("busy", f"another load ({holder or 'starting'}) is writing {self.db}; loading when it is done")
        return False

    def _guard(self, job: Callable[[], int]) -> int:
        """`job()`'s exit status. An unexpected error is reported and counts as a failed load (1):
        the watcher goes on, and tries these files again when they change (or at its restart)."""
        try:
            return job()
        except Exception as exc:  # a resident loader outlives one load's failure
            print(f"rongshu: the load failed: {type(exc).__name__}: {exc}; the database is as it was "
                  "(its files are loaded again when they change, or when the watcher restarts)",
                  file=self.err, flush=True)
            return 1
        finally:
            self.out.flush()

    def _scan(self) -> tuple[dict[str, Sig], list[str]]:
        t0 = time.perf_counter()
        try:
            return scan(self.paths)
        finally:
            self.scan_seconds = time.perf_counter() - t0

    def start(self) -> int | None:
        """The first load: PATHs as `python -m etl PATH...` loads them (None: the lock is held)."""
        now, _ = self._scan()
        self.before = now
        if not self._free():
            return None
        return self._load_all(now, {})

    def _load_all(self, now: dict[str, Sig], before: Mapping[str, Sig]) -> int:
        """Load every file of PATHs; a file that changed between the polls is loaded again when it holds."""
        rc = self._guard(lambda: load.run(self.paths, self.db, version=self.version, out=self.out, err=self.err,
                                         **self.options))
        if rc != 2:  # 2: nothing was loaded, the next poll tries again
            self.full = False
            self.loaded = {f: s if not before or before.get(f) == s else UNSTABLE for f, s in now.items()}
            self.ids = names(now)
        return rc

    def poll(self) -> int | None:
        """One poll: load what changed; the load's exit status, None when nothing was loaded."""
        now, missing = self._scan()
        for p in missing:  # a folder unmounted or renamed: its documents stay, as a load of it keeps them
            self._say(f"missing {p}", f"{p} does not exist now; its documents are kept")
            now.update({f: s for f, s in self.loaded.items() if _under(f, p)})
        for p in set(self.paths) - set(missing):
            self._told.discard(f"missing {p}")
        before, self.before = self.before, now
        if self.full:
            return self._load_all(now, before) if self._free() else None
        todo, gone = changes(self.loaded, before, now)
        if not todo and not gone:
            return None
        # Documents are named as a full load of the files held names them: a second file of one
        # name renames the first (which is then loaded again under its new name).
        held = (self.loaded.keys() - set(gone)) | set(todo)
        ids = names(held)
        renamed = [f for f in held if f in self.ids and ids[f] != self.ids[f]]
        todo = sorted(set(todo) | {f for f in renamed if before.get(f) == now.get(f)})
        if not self._free():
            return None
        db_version = store.read_state(Path(self.db), [], [])[1]
        if db_version != self.version:
            if db_version is not None:
                print(f"rongshu: {self.db} was written by another extractor; loading all of "
                      f"{' '.join(self.paths)} again with this one", file=self.err, flush=True)
            self.full = True
            return self._load_all(now, before)
        if load.extractor_version() != self.version:
            self._say("version", "the extractor on disk changed since the watcher started; restart it to use it")
        roots = sorted({os.path.dirname(f) for f in [*gone, *renamed]})
        rc = self._guard(lambda: load.load_files([Path(f) for f in todo], roots, self.db,
                                                ids={Path(f): ids[f] for f in todo},
                                                version=self.version, out=self.out, err=self.err, **self.options))
        if rc != 2:
            for f in todo:
                self.loaded[f], self.ids[f] = now[f], ids[f]
            for f in gone:
                self.loaded.pop(f, None)
                self.ids.pop(f, None)
        return rc

    def run(self, stop: threading.Event, interval: float = 2.0) -> int:
        """Load, then poll every `interval` seconds until `stop` is set; 0. When a scan takes
        more than POLL_SHARE of the interval (an archive of 100,000s of files) the polls are
        spaced out so that scanning keeps to that share of one core."""
        self.start()
        while not stop.wait(max(interval, self.scan_seconds / POLL_SHARE - self.scan_seconds)):
            self.poll()
        return 0


def main(paths: Sequence[str], db: str, interval: float, **load_options) -> int:
    """`python -m etl PATH... --watch`: run a Watcher until SIGINT or SIGTERM (after the current load)."""
    stop = threading.Event()
    got: list[str] = []

    def handle(signum: int, _frame) -> None:
        got.append(signal.Signals(signum).name)
        stop.set()
        signal.signal(signal.SIGINT, signal.default_int_handler)  # a second Ctrl-C interrupts at once

    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, handle)
    print(f"rongshu: watching {' '.join(paths)} every {interval:g} s (Ctrl-C stops)", file=sys.stderr, flush=True)
    rc = Watcher(paths, db, **load_options).run(stop, interval)
    print(f"rongshu: {got[0] if got else 'stop'}: watcher stopped", file=sys.stderr, flush=True)
    return rc
