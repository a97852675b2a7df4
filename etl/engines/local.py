"""The local engine: extraction in this process, or in a pool of worker processes."""
from __future__ import annotations

import collections
import itertools
import multiprocessing
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor

from etl.engines import FILES_PER_BATCH, Batch, extract_batch
from etl.ingest.sources import RawFile

IN_FLIGHT_PER_WORKER = 4  # batches queued per worker: keeps workers busy, bounds memory


def batched(items: Iterable, n: int) -> Iterator[list]:
    it = iter(items)
    while chunk := list(itertools.islice(it, n)):
        yield chunk


def extract(raws: Iterable[RawFile], workers: int = 1) -> Iterator[Batch]:
    """Batches of `raws` extracted in order; at most `workers * IN_FLIGHT_PER_WORKER` batches
    (their files and rows) are held at once, however many files there are."""
    batches = batched(raws, FILES_PER_BATCH)
    head = list(itertools.islice(batches, 2))
    if workers <= 1 or len(head) < 2:
        # One batch (a daily add of a few files): starting workers, each importing the
        # extractor and loading its dictionaries, costs more than the batch.
        yield from map(extract_batch, itertools.chain(head, batches))
        return
    batches = itertools.chain(head, batches)
    # Spawned, not forked: a forked worker would share the loader's pages (the archive's file
    # list, manifests and state) and count them in its own memory; a spawned one holds only
    # the extractor.
    with ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("spawn")) as pool:
        queue: collections.deque[Future[Batch]] = collections.deque()
        for chunk in batches:
            queue.append(pool.submit(extract_batch, chunk))
            if len(queue) >= workers * IN_FLIGHT_PER_WORKER:
                yield queue.popleft().result()
        while queue:
            yield queue.popleft().result()
