"""The Dask engine: extraction tasks on a Dask cluster, their rows written as Parquet.

Each task extracts a few files (their bytes travel with the task, so workers need no access to
the input folders) and writes its rows as one Parquet file per table into a folder of
`parts` (on a cluster of several machines: a shared file system the loader also reads). The
loader inserts each part into DuckDB as it completes and deletes it. Scheduling, transfer and
retries of lost workers are Dask's.
"""
from __future__ import annotations

import collections
import contextlib
import os
from collections.abc import Iterable, Iterator
from pathlib import Path

import pyarrow.parquet as pq

from etl.engines import FILES_PER_BATCH, Batch, EngineError, extract_batch
from etl.engines.local import batched
from etl.ingest.sources import RawFile
from etl.store.rows import TABLES

CONNECT_TIMEOUT_S = 20
IN_FLIGHT_PER_THREAD = 4  # tasks queued per worker thread: keeps the cluster busy, bounds memory


def write_part(raws: list[RawFile], folder: str) -> Batch:
    """Extract `raws` and write their rows to `folder`/TABLE.parquet (runs on a worker)."""
    batch = extract_batch(raws)
    out = Path(folder)
    out.mkdir(parents=True, exist_ok=True)
    for t in TABLES:
        tmp = out / f".{t}.parquet.tmp"
        pq.write_table(batch.tables[t], tmp)
        os.replace(tmp, out / f"{t}.parquet")  # a part is complete or absent
    return Batch(batch.files, parquet=out, failures=batch.failures, loaded=batch.loaded)


@contextlib.contextmanager
def client(scheduler: str | None, workers: int) -> Iterator:
    """A client of the cluster at `scheduler`, else of a local cluster of `workers` processes."""
    try:
        from dask.distributed import Client, LocalCluster
    except ImportError as exc:
        raise EngineError(f"--engine dask needs dask[distributed] ({exc}); scripts/setup.sh installs it") from None
    if scheduler:
        try:
            c = Client(scheduler, timeout=CONNECT_TIMEOUT_S)
        except (OSError, ValueError, TypeError) as exc:
            raise EngineError(f"cannot reach the Dask scheduler at {scheduler}: {exc}") from None
        with c:
            yield c
        return
    # dashboard_address=":0": any free port (the default 8787 clashes between concurrent loads).
    with (LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=":0") as cluster,
          Client(cluster) as c):
        yield c


def extract(raws: Iterable[RawFile], parts: Path, workers: int = 2, scheduler: str | None = None) -> Iterator[Batch]:
    """Batches of `raws` extracted on the cluster, in order, each as a folder under `parts`."""
    with client(scheduler, workers) as c:
        threads = max(1, sum(c.nthreads().values()))
        queue: collections.deque = collections.deque()
        for k, chunk in enumerate(batched(raws, FILES_PER_BATCH)):
            queue.append(c.submit(write_part, chunk, str(parts / f"part-{k:07d}"), pure=False))
            if len(queue) >= threads * IN_FLIGHT_PER_THREAD:
                yield queue.popleft().result()
        while queue:
            yield queue.popleft().result()
