"""Extraction engines: where `etl.pipeline.process` runs on the files a load extracts.

Every engine yields `Batch`es as they finish: the rows of a few files (etl.store.rows) or the
folder of Parquet files a cluster worker wrote them to, and the files that could not be read.
The loader (etl.cli) writes each batch into the database as it comes, so a load's memory does
not grow with the archive.

- `local`: this process, or a pool of `--workers N` processes;
- `dask`: a Dask cluster (`--scheduler ADDRESS`, else a local cluster of `--workers N`).
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pyarrow as pa

from etl.ingest.sources import RawFile
from etl.pipeline import process
from etl.store.rows import to_tables

ENGINES = ("local", "dask")
FILES_PER_BATCH = 16  # files per task: large enough to amortise a task, small enough to stream


class EngineError(Exception):
    """The engine could not run (no such scheduler, the engine is not installed): nothing is loaded."""


@dataclass
class Batch:
    """The outcome of extracting a few files."""

    files: int  # files attempted
    tables: dict[str, pa.Table] | None = None  # rows of the files read (etl.store.rows.to_tables)
    parquet: Path | None = None  # or the folder holding them as TABLE.parquet
    failures: list[tuple[str, str]] = field(default_factory=list)  # (path, reason)
    loaded: int = 0  # documents in the rows


def extract_batch(raws: Sequence[RawFile]) -> Batch:
    """Extract files into table rows (runs in a worker: pure, returns picklable data)."""
    results = [process(r) for r in raws]
    failures = [(r.path, r.error) for r in results if r.error]
    ok = [r for r in results if not r.error]
    return Batch(len(raws), to_tables(ok), failures=failures, loaded=len(ok))
