"""`python -m etl [PATH ...] [--urls FILE] [--db FILE] [--workers N] [--engine dask [--scheduler ADDRESS]]
[--watch [--interval SECONDS]]`: load article files (.txt, .html, .pdf, page images, .docx) and fetched URLs
into DuckDB; with --watch, keep loading the files that change."""
from __future__ import annotations

import argparse
import os
from pathlib import Path

from etl.engines import ENGINES
from etl.load import run
from etl.store import database as store
from etl.store.database import DEFAULT_DB


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m etl", description=__doc__)
    ap.add_argument("paths", nargs="*", default=[], metavar="PATH",
                    help="files or folders: .txt .html .htm .pdf .png .jpg .tif .docx (default seeds/)")
    ap.add_argument("--urls", metavar="FILE", help="a list of URLs (one per line) to fetch into <db folder>/raw and load")
    ap.add_argument("--delay", type=float, default=1.0, help="seconds between requests to one host (default 1)")
    ap.add_argument("--db", default=DEFAULT_DB, help=f"DuckDB file to write (default {DEFAULT_DB})")
    ap.add_argument("--workers", type=int, default=1, help="processes for extraction (default 1)")
    ap.add_argument("--engine", choices=ENGINES, default="local",
                    help="where extraction runs: local processes (default) or a Dask cluster")
    ap.add_argument("--scheduler", metavar="ADDRESS",
                    help="with --engine dask: the scheduler (tcp://host:8786); default a local cluster of --workers")
    ap.add_argument("--wait", type=float, default=store.DEFAULT_WAIT, metavar="SECONDS",
                    help=f"how long to wait for another load of the same database (default {store.DEFAULT_WAIT:.0f})")
    ap.add_argument("--watch", action="store_true",
                    help="keep running: load PATHs, then every --interval seconds the files new, changed or gone")
    ap.add_argument("--interval", type=float, metavar="SECONDS",
                    help="with --watch: seconds between polls of PATHs (default 2)")
    ap.add_argument("--verify", action="store_true",
                    help="read and hash every file, not only those whose size, mtime, inode or ctime changed "
                         "(a change that keeps all four is seen only so)")
    a = ap.parse_args(argv)
    if a.workers < 1:
        ap.error("--workers must be at least 1")
    if a.scheduler and a.engine != "dask":
        ap.error("--scheduler needs --engine dask")
    if a.wait < 0:
        ap.error("--wait must not be negative")
    if a.interval is not None and not a.watch:
        ap.error("--interval needs --watch")
    if a.watch and a.verify:
        ap.error("--verify is a run of its own (the resident loader reads what its polls see change)")
    if a.watch:
        interval = 2.0 if a.interval is None else a.interval
        if not interval > 0:
            ap.error("--interval must be more than 0")
        if a.urls:
            ap.error("--watch watches PATHs; load --urls with a run of its own")
        paths = a.paths or ["seeds"]
        for p in paths:
            if not os.path.exists(p):
                ap.error(f"--watch: {p} does not exist")
        from etl import watch

        return watch.main(paths, a.db, interval, workers=a.workers, wait=a.wait, engine=a.engine,
                          scheduler=a.scheduler)
    urls = None
    if a.urls:
        from etl.ingest.fetch import read_url_list

        try:
            urls = read_url_list(Path(a.urls))
        except OSError as exc:
            ap.error(f"--urls {a.urls}: {exc.strerror or exc}")
    return run(a.paths or ([] if urls else ["seeds"]), a.db, a.workers, wait=a.wait, urls=urls, delay=a.delay,
               engine=a.engine, scheduler=a.scheduler, verify=a.verify)
