"""Fixtures for the ingest tests: a local HTTP server per test and fast fetch settings."""

from __future__ import annotations

import pytest
from localweb import LocalServer

from tidings.ingest.urls import FetchSettings


@pytest.fixture
def server():
    s = LocalServer()
    yield s
    s.close()


@pytest.fixture
def settings() -> FetchSettings:
    """Small timeouts and no politeness pause, so failure cases take a fraction of a second."""
    return FetchSettings(connect_timeout=1.0, read_timeout=0.3, deadline=2.0, retries=1,
                         backoff=0.01, max_backoff=0.05, host_delay=0.0, max_bytes=100_000)
