"""The Dask adapter: run ``run_partition`` over a plan on a cluster. Nothing else.

Partitions go out as a dask.bag with one bag partition per plan partition. A worker
plugin loads the model when a worker starts (and again on a worker that replaces a lost
one), so each worker process loads it once; tasks then reuse the cached coder. A task
that dies with its worker is simply run again elsewhere: its output files have fixed
names and are renamed into place whole, so the rerun replaces rather than adds.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import dask.bag as dask_bag
from distributed import Client, LocalCluster, WorkerPlugin, as_completed

from tidings.batch.partition import run_partition
from tidings.batch.plan import Partition


class LoadModel(WorkerPlugin):
    """Load the spaCy pipeline once per worker, before its first task."""

    name = "tidings-load-model"

    def setup(self, worker: Any) -> None:
        from tidings.pipeline import get_coder

        get_coder()


@contextmanager
def connect(scheduler: str | None = None, workers: int | None = None,
            dashboard_address: str = ":8787") -> Iterator[Client]:
    """A client on ``scheduler``, or on a new local cluster of ``workers`` processes."""
    if scheduler:
        with Client(scheduler) as client:
            yield client
        return
    n = workers or os.cpu_count() or 1
    # one thread per worker: the parser holds the GIL, so threads would only queue
    with LocalCluster(n_workers=n, threads_per_worker=1, processes=True,
                      dashboard_address=dashboard_address) as cluster, Client(cluster) as client:
        yield client


def prepare(client: Client) -> None:
    """Register the model loader; returns once every current worker has the model."""
    client.register_plugin(LoadModel())


def run(client: Client, parts: list[Partition], out: str | Path, *,
        published: str | None = None, source: str | None = None,
        batch_size: int = 32) -> Iterator[dict[str, Any]]:
    """Yield each partition's counts as it finishes (in completion order)."""
    if not parts:
        return
    bag = dask_bag.from_sequence(parts, npartitions=len(parts)).map(
        run_partition, str(out), published=published, source=source, batch_size=batch_size)
    futures = client.compute(bag.to_delayed(), retries=1)
    try:
        for future in as_completed(futures):
            yield from future.result()
    finally:
        client.cancel(futures)
