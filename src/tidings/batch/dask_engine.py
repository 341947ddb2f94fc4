"""The Dask adapter: run ``run_partition`` over a plan on a cluster. Nothing else.

Partitions go out as a dask.bag with one bag partition per plan partition. A worker
plugin loads the model when a worker starts (and again on a worker that replaces a lost
one), so each worker process loads it once; tasks then reuse the cached coder. A task
that dies with its worker is simply run again elsewhere: its output files have fixed
names and are renamed into place whole, so the rerun replaces rather than adds. A worker that
dies while loading the model is restarted by its nanny and the loading is asked for again
(``prepare``), rather than ending the run.

The local cluster's dashboard listens on loopback unless another address is asked for: it
shows file names and task details to whoever can reach it.
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import dask.bag as dask_bag
from distributed import Client, LocalCluster, WorkerPlugin, as_completed
from distributed.comm.core import CommClosedError
from distributed.comm.utils import get_tcp_server_addresses

from tidings.batch.partition import run_partition
from tidings.batch.plan import Partition

log = logging.getLogger("tidings.batch")

DASHBOARD = "127.0.0.1:8787"  # loopback: the dashboard has no authentication


class WorkersFailed(RuntimeError):
    """The workers could not be made ready (they kept dying while loading the model)."""


class LoadModel(WorkerPlugin):
    """Load the spaCy pipeline once per worker, before its first task."""

    name = "tidings-load-model"

    def setup(self, worker: Any) -> None:
        from tidings.pipeline import get_coder

        get_coder()


@contextmanager
def connect(scheduler: str | None = None, workers: int | None = None,
            dashboard_address: str = DASHBOARD) -> Iterator[Client]:
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


def dashboard_links(client: Client) -> list[str]:
    """Where the dashboard really listens: every address its server is bound to, for a
    cluster started here; what the scheduler reports, for a remote one."""
    scheduler = getattr(getattr(client, "cluster", None), "scheduler", None)
    server = getattr(scheduler, "http_server", None)
    if server is None:
        return [client.dashboard_link] if client.dashboard_link else []
    links = []
    for host, port, *_ in get_tcp_server_addresses(server):
        host = f"[{host}]" if ":" in host else host
        links.append(f"http://{host}:{port}/status")
    return links


def prepare(client: Client, *, attempts: int = 3, plugin: WorkerPlugin | None = None,
            settle: float = 60.0) -> None:
    """Register the model loader; returns once every current worker has the model.

    A worker that dies while loading (killed, out of memory) breaks the broadcast with a
    ``CommClosedError``; its nanny starts a fresh one, so the loader is asked for again, up
    to ``attempts`` times, before giving up with ``WorkersFailed``."""
    plugin = plugin or LoadModel()
    for attempt in range(1, attempts + 1):
        try:
            client.register_plugin(plugin)
            return
        except (CommClosedError, OSError) as exc:
            if attempt == attempts:
                raise WorkersFailed(f"workers kept failing while loading the model "
                                    f"({attempts} attempts): {type(exc).__name__}") from exc
            log.warning("a worker died while loading the model (%s); retrying",
                        type(exc).__name__)
            time.sleep(min(2.0 * attempt, 10.0))  # let the nanny bring a worker back
            try:
                client.wait_for_workers(1, timeout=settle)
            except TimeoutError as wait_exc:
                raise WorkersFailed(f"no worker came back within {settle:g}s after one "
                                    "died while loading the model") from wait_exc


def run(client: Client, parts: list[Partition], out: str | Path, *,
        published: str | None = None, source: str | None = None,
        batch_size: int = 32, min_confidence: float | None = None
        ) -> Iterator[dict[str, Any]]:
    """Yield each partition's counts as it finishes (in completion order)."""
    if not parts:
        return
    bag = dask_bag.from_sequence(parts, npartitions=len(parts)).map(
        run_partition, str(out), published=published, source=source, batch_size=batch_size,
        min_confidence=min_confidence)
    futures = client.compute(bag.to_delayed(), retries=1)
    try:
        for future in as_completed(futures):
            yield from future.result()
    finally:
        client.cancel(futures)
