"""The Dask engine's start-up: the dashboard stays on loopback, and a worker that dies while
loading the model is retried instead of ending the run with a traceback."""

from __future__ import annotations

import ipaddress
import os
import sys
from contextlib import contextmanager
from pathlib import Path
from types import SimpleNamespace

import cloudpickle
import pytest
from distributed import WorkerPlugin
from typer.testing import CliRunner

from tidings.batch import dask_engine
from tidings.batch.dask_engine import WorkersFailed, connect, dashboard_links, prepare
from tidings.cli import app

# the plugins below travel to worker processes by value: the workers cannot import tests
cloudpickle.register_pickle_by_value(sys.modules[__name__])


class DieOnce(WorkerPlugin):
    """Kills its worker the first time any worker sets it up, like an OOM kill mid-load."""

    name = "tidings-test-die-once"

    def __init__(self, marker: str) -> None:
        self.marker = marker

    def setup(self, worker) -> None:
        marker = Path(self.marker)
        if not marker.exists():
            marker.write_text("died")
            os._exit(1)


@pytest.fixture(scope="module")
def local_client():
    with connect(workers=1) as client:  # the engine's defaults, dashboard included
        yield client


def test_dashboard_listens_on_loopback_only_and_says_where(local_client):
    from distributed.comm.utils import get_tcp_server_addresses

    bound = get_tcp_server_addresses(local_client.cluster.scheduler.http_server)
    assert bound and all(ipaddress.ip_address(host).is_loopback for host, *_ in bound)
    links = dashboard_links(local_client)
    assert links == [f"http://{host}:{port}/status" for host, port, *_ in bound]


def test_a_worker_dying_while_loading_is_retried(local_client, tmp_path):
    marker = tmp_path / "died"
    prepare(local_client, plugin=DieOnce(str(marker)))
    assert marker.exists()  # it did die once
    local_client.wait_for_workers(1, timeout=30)
    assert local_client.submit(sum, [1, 2]).result(timeout=30) == 3


def test_workers_that_keep_dying_give_a_clear_error(monkeypatch):
    """Every broadcast of the loader breaks (its worker dies each time): after the last
    attempt a WorkersFailed says so, instead of the scheduler's CommClosedError."""
    from distributed.comm.core import CommClosedError

    class DyingCluster:
        calls = 0

        def register_plugin(self, plugin):
            self.calls += 1
            raise CommClosedError("in <TCP (closed) ConnectionPool.register_worker_plugin>")

        def wait_for_workers(self, n, timeout=None):
            pass

    monkeypatch.setattr(dask_engine, "time", SimpleNamespace(sleep=lambda seconds: None))
    client = DyingCluster()
    with pytest.raises(WorkersFailed, match="3 attempts"):
        prepare(client)
    assert client.calls == 3


def test_batch_command_reports_failed_workers_in_one_line(monkeypatch, tmp_path):
    class Stub:
        dashboard_link = "http://127.0.0.1:1/status"

    @contextmanager
    def fake_connect(*args, **kwargs):
        yield Stub()

    def failing(client):
        raise WorkersFailed("workers kept failing while loading the model (3 attempts)")

    monkeypatch.setattr(dask_engine, "connect", fake_connect)
    monkeypatch.setattr(dask_engine, "prepare", failing)
    src = tmp_path / "a.txt"
    src.write_text("Police arrested the man in Paris on Monday.", encoding="utf-8")
    result = CliRunner().invoke(app, ["batch", str(src), "--out", str(tmp_path / "out"),
                                      "--workers", "1", "--quiet"])
    assert result.exit_code == 1
    assert "workers kept failing" in result.output
    assert "Traceback" not in result.output
