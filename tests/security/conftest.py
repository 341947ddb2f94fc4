"""Fixtures for the fetch-policy tests: an "internal" server on 127.0.0.1 that must never be
reached, a "public" one on 127.0.0.2 that the policy is told to treat as public, a fake DNS,
and a guard that fails the test if any connection leaves the loopback interface."""

from __future__ import annotations

import ipaddress
import socket

import pytest
from servers import PUBLIC_IP, SECRET, BoundedServer, page

from tidings.ingest import policy as policy_module
from tidings.ingest.urls import FetchSettings

FAKE_DNS = {
    "news.test": [PUBLIC_IP],
    "internal.test": ["127.0.0.1"],
    "intranet.test": ["10.1.2.3"],
    "metadata.test": ["169.254.169.254"],
    "mixed.test": [PUBLIC_IP, "127.0.0.1"],
    "v6loop.test": ["::1"],
}


@pytest.fixture(autouse=True)
def loopback_only(monkeypatch):
    """Any attempt to open a connection to a non-loopback address fails the test (and never
    leaves the machine)."""
    real = socket.create_connection
    attempts: list[str] = []

    def guarded(address, *args, **kwargs):
        host = address[0]
        attempts.append(host)
        if not ipaddress.ip_address(host).is_loopback:
            raise AssertionError(f"a connection to {host} was attempted")
        return real(address, *args, **kwargs)

    monkeypatch.setattr(socket, "create_connection", guarded)
    return attempts


@pytest.fixture
def dns(monkeypatch):
    """Names in FAKE_DNS resolve as listed; IP literals and localhost resolve for real;
    anything else is unknown. Returns the list of names looked up."""
    looked_up: list[str] = []
    real = policy_module.resolve_host

    def resolve(host: str, port: int) -> list[str]:
        looked_up.append(host)
        if host in FAKE_DNS:
            return list(FAKE_DNS[host])
        if host == "localhost":
            return real(host, port)
        try:  # numeric forms only ("127.0.0.1", "2130706433", "0x7f.1"): no DNS traffic
            infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM,
                                       flags=socket.AI_NUMERICHOST)
        except socket.gaierror:
            raise socket.gaierror(f"unknown test host {host}") from None
        return [info[4][0] for info in infos]

    monkeypatch.setattr(policy_module, "resolve_host", resolve)
    return looked_up


@pytest.fixture
def public_is_public(monkeypatch):
    """The policy treats 127.0.0.2 as a public address, so a local server can play the part
    of an outside site."""
    real = policy_module.classify

    def classify(ip):
        return None if str(ip) == PUBLIC_IP else real(ip)

    monkeypatch.setattr(policy_module, "classify", classify)


@pytest.fixture
def internal():
    s = BoundedServer("127.0.0.1")
    s.add("/admin", body=page("Admin", SECRET))
    s.add("/feed.xml", body="", status=404)
    yield s
    s.close()


@pytest.fixture
def public(internal):
    """The "public" server, on the internal server's port where it can be (the rebinding
    test needs one URL that reaches either)."""
    try:
        s = BoundedServer(PUBLIC_IP, internal.port)
    except OSError:
        s = BoundedServer(PUBLIC_IP)
    yield s
    s.close()


@pytest.fixture
def settings() -> FetchSettings:
    return FetchSettings(connect_timeout=1.0, read_timeout=1.0, deadline=3.0, retries=0,
                         backoff=0.01, host_delay=0.0, max_bytes=200_000)
