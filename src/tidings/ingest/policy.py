"""The fetch policy: which addresses an outbound request may reach.

Every request tidings makes (feeds, the pages feed items link to, article URLs, each
redirect hop, robots.txt) goes through a ``Fetcher`` whose connections are opened by
``GuardedBackend``. It resolves the host name itself, refuses the connection when any
address the name resolves to is not a public one, and then connects to the very address it
checked, so a name that resolves to a public address when checked and to an internal one a
moment later (DNS rebinding) gets nowhere. TLS still verifies the certificate against the
host name, and the Host header still carries it: only the socket is pinned.

By default only globally routable unicast addresses are allowed. ``allow_private`` (per
feed in sources.yaml, or ``--allow-private``) also allows loopback, private, link-local
and shared (carrier-grade NAT) addresses, for intranet feeds; multicast, broadcast and the
unspecified address are refused always. Only http and https URLs are fetched at all.
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import httpcore
import httpx

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
Resolver = Callable[[str, int], list[str]]

REFUSED_REASON = "blocked_address"  # the reason code a refused fetch is recorded with
SCHEMES = ("http", "https")


class PolicyRefusal(Exception):
    """The fetch policy forbids this URL or address. ``str()`` says why, for the error row."""


def resolve_host(host: str, port: int) -> list[str]:
    """Every address ``host`` resolves to, as the operating system's resolver says."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return list(dict.fromkeys(info[4][0] for info in infos))


def _embedded(ip: IPAddress) -> IPAddress:
    """The IPv4 address inside an IPv4-mapped, 6to4 or Teredo IPv6 address, else ``ip``."""
    if isinstance(ip, ipaddress.IPv6Address):
        inner = ip.ipv4_mapped or ip.sixtofour or (ip.teredo[1] if ip.teredo else None)
        if inner is not None:
            return inner
    return ip


def classify(ip: IPAddress) -> str | None:
    """What kind of non-public address ``ip`` is, or None when it is public."""
    ip = _embedded(ip)
    if ip.is_unspecified:
        return "unspecified"
    if ip.is_multicast or (isinstance(ip, ipaddress.IPv4Address)
                           and ip == ipaddress.IPv4Address("255.255.255.255")):
        return "multicast/broadcast"
    if ip.is_loopback:
        return "loopback"
    if ip.is_link_local:
        return "link-local"
    if ip.is_private:
        return "private"
    if ip.is_reserved:
        return "reserved"
    if not ip.is_global:
        return "not globally routable"
    return None


# kinds that allow_private opens up; the others are never a sensible place to fetch from
_PRIVATE_KINDS = frozenset({"loopback", "link-local", "private", "reserved",
                            "not globally routable"})


@dataclass(frozen=True)
class FetchPolicy:
    """Where requests may go. ``resolver`` is for tests; None means the system's."""

    allow_private: bool = False
    resolver: Resolver | None = None

    def check_url(self, url: str) -> None:
        """Refuse a URL whose scheme is not http(s) or that names no host."""
        parts = urlsplit(url)
        if parts.scheme.lower() not in SCHEMES:
            raise PolicyRefusal(f"only http and https URLs are fetched, not {url!r}")
        if not parts.hostname:
            raise PolicyRefusal(f"no host in {url!r}")

    def check_address(self, host: str, address: str) -> None:
        ip = ipaddress.ip_address(address.split("%", 1)[0])  # drop an IPv6 zone id
        kind = classify(ip)
        if kind is None or (self.allow_private and kind in _PRIVATE_KINDS):
            return
        subject = f"{address} is" if host == address else \
            f"{host} resolves to {address}, which is"
        article = "an" if kind[0] in "aeiou" else "a"
        hint = " (allow_private: true in sources.yaml, or --allow-private, to fetch it)" \
            if kind in _PRIVATE_KINDS else ""
        raise PolicyRefusal(f"{subject} {article} {kind} address{hint}")

    def addresses(self, host: str, port: int) -> list[str]:
        """The addresses to connect to for ``host``, every one of them checked; refused
        outright when any is not allowed (a name must not mix public and internal ones)."""
        host = host.strip("[]")
        resolve = self.resolver or resolve_host
        try:
            found = resolve(host, port)
        except (OSError, UnicodeError) as exc:  # unknown name: an ordinary connect error
            raise httpcore.ConnectError(f"cannot resolve {host}: {exc}") from exc
        if not found:
            raise httpcore.ConnectError(f"{host} resolves to no address")
        for address in found:
            self.check_address(host, address)
        return found

    def check(self, url: str) -> None:
        """Refuse ``url`` now, before a request: scheme, host, and where the host resolves.
        The connection itself is checked again (``GuardedBackend``); this one gives the
        clearer message and keeps a pooled connection from being reused for a refused
        host."""
        self.check_url(url)
        parts = urlsplit(url)
        try:
            port = parts.port or (443 if parts.scheme.lower() == "https" else 80)
        except ValueError as exc:
            raise PolicyRefusal(f"bad port in {url!r}") from exc
        try:
            self.addresses(parts.hostname or "", port)
        except httpcore.ConnectError:
            return  # unresolvable: the request fails as "unreachable", as it always did


class GuardedBackend(httpcore.SyncBackend):
    """httpcore's socket opener with the policy in front: resolve, check, connect to the
    address that was checked."""

    def __init__(self, policy: FetchPolicy) -> None:
        self.policy = policy

    def connect_tcp(self, host: str, port: int, timeout: float | None = None,
                    local_address: str | None = None,
                    socket_options: Any = None) -> httpcore.NetworkStream:
        last: Exception | None = None
        for address in self.policy.addresses(host, port):
            try:
                return super().connect_tcp(address, port, timeout=timeout,
                                           local_address=local_address,
                                           socket_options=socket_options)
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as exc:
                last = exc  # try the next address, as socket.create_connection would
        assert last is not None
        raise last

    def connect_unix_socket(self, *args: Any, **kwargs: Any) -> httpcore.NetworkStream:
        raise PolicyRefusal("unix sockets are not fetched from")


class GuardedTransport(httpx.HTTPTransport):
    """httpx's transport with every connection opened through ``GuardedBackend``.

    Environment proxies are not used (the Fetcher passes ``trust_env=False``): a proxy
    resolves names itself, out of the policy's sight."""

    def __init__(self, policy: FetchPolicy) -> None:
        super().__init__()
        # httpx builds its connection pool in __init__ and offers no hook for the socket
        # opener; the pool is rebuilt here with the same defaults and our backend
        # (tests/security checks that it is the one in use).
        limits = httpx.Limits()
        self._pool = httpcore.ConnectionPool(
            ssl_context=httpx.create_ssl_context(),
            max_connections=limits.max_connections,
            max_keepalive_connections=limits.max_keepalive_connections,
            keepalive_expiry=limits.keepalive_expiry,
            network_backend=GuardedBackend(policy),
        )
