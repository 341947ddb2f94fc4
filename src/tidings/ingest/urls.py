"""Polite HTTP fetching, and article pages fetched into Articles.

One ``Fetcher`` holds one httpx client for a whole run: connection reuse, a clear
User-Agent, connect/read timeouts, a size cap enforced while streaming, bounded retries with
exponential back-off on 5xx and timeouts, redirects followed by hand (each hop counted and
checked against the fetch policy and robots.txt), robots.txt cached per host, a pause between
requests to the same host, and a content-type check. Every connection is opened under the
fetch policy (``tidings.ingest.policy``): internal addresses are refused unless allowed.
``fetch`` never raises: trouble comes back as a ``Rejected``.

Reason codes: bad_url, blocked_address, robots_disallowed, unreachable, timeout, http_error,
oversized, bad_content_type, redirect_loop, too_many_redirects, empty, no_text.
"""

from __future__ import annotations

import logging
import re
import time
import urllib.robotparser
from dataclasses import dataclass, field, fields
from typing import Any
from urllib.parse import urljoin, urlsplit

import httpx

from tidings import __version__
from tidings.ingest.dates import normalise_date
from tidings.ingest.html import extract_html
from tidings.ingest.policy import REFUSED_REASON, FetchPolicy, GuardedTransport, PolicyRefusal
from tidings.model import Article, Rejected

log = logging.getLogger("tidings.ingest")

# no real host named: users should point this at their own deployment's page
USER_AGENT = f"tidings/{__version__} (+https://example.org/tidings)"
_RETRY_STATUS = frozenset({429, 500, 502, 503, 504})
_TEXT_TYPES = ("text/", "application/xhtml+xml", "application/xml")
_FEED_ROOT = re.compile(rb"<(?:rss|feed|rdf:RDF)[\s>/]")
ROBOTS_MAX_BYTES = 500_000  # RFC 9309 asks crawlers to read at least 500 KiB
_META_CHARSET = re.compile(rb"""<meta[^>]+charset=["']?([\w.:-]+)""", re.I)


@dataclass
class FetchSettings:
    """How polite and how patient to be. Tests shrink the timeouts; users rarely need to."""

    connect_timeout: float = 10.0
    read_timeout: float = 20.0
    deadline: float = 60.0  # whole request, body included: a server dribbling bytes is cut off
    max_bytes: int = 5_000_000
    retries: int = 2  # extra attempts after the first, on 5xx, 429 and timeouts
    backoff: float = 1.0  # first wait; doubles each retry
    max_backoff: float = 30.0
    max_redirects: int = 5
    host_delay: float = 0.5  # least pause between two requests to one host
    max_crawl_delay: float = 30.0  # robots.txt may ask for more; we cap what we honour
    respect_robots: bool = True
    user_agent: str = USER_AGENT

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> FetchSettings:
        known = {f.name for f in fields(cls)}
        unknown = set(data) - known
        if unknown:
            raise ValueError(f"unknown fetch setting(s): {', '.join(sorted(unknown))}")
        return cls(**data)


@dataclass
class Fetched:
    """A successful response: the final URL after redirects, and the body as bytes."""

    url: str
    status: int
    content_type: str  # media type only, lower case, "" when the server sent none
    charset: str | None
    body: bytes
    headers: dict[str, str] = field(default_factory=dict)

    def text(self) -> str:
        """The body decoded: header charset, then a <meta charset>, then UTF-8 with repair."""
        for enc in (self.charset, _meta_charset(self.body)):
            if enc:
                try:
                    return self.body.decode(enc, errors="replace")
                except LookupError:  # a charset name Python does not know
                    continue
        return self.body.decode("utf-8", errors="replace")

    def looks_like_feed(self) -> bool:
        return looks_like_feed(self.body)

    def looks_like_html(self) -> bool:
        if self.content_type in ("text/html", "application/xhtml+xml"):
            return True
        head = self.body[:2048].lstrip().lower()
        return head.startswith((b"<!doctype html", b"<html"))


def looks_like_feed(data: bytes) -> bool:
    """True when an RSS, Atom or RDF root element opens within the first few KB."""
    head = data[:4096]
    return bool(_FEED_ROOT.search(head)) and b"<html" not in head.lower()


def is_url(value: str) -> bool:
    return value.lower().startswith(("http://", "https://"))


class Fetcher:
    """One shared, polite HTTP client. Use as a context manager, or call ``close()``.

    ``policy`` says which addresses may be reached (default: public ones only). A source
    that may reach internal addresses fetches through ``scoped(allow_private=True)``, which
    uses a connection pool of its own, so no connection crosses from one policy to the
    other. ``transport`` replaces the network for tests (the policy's pre-check still
    applies)."""

    def __init__(self, settings: FetchSettings | None = None,
                 transport: httpx.BaseTransport | None = None, *,
                 policy: FetchPolicy | None = None) -> None:
        self.settings = settings or FetchSettings()
        self.policy = policy or FetchPolicy()
        self._transport = transport
        self._clients: dict[bool, httpx.Client] = {}
        self.client = self._client(self.policy.allow_private)
        self._robots: dict[str, urllib.robotparser.RobotFileParser | None] = {}
        self._last_hit: dict[str, float] = {}

    def _client(self, allow_private: bool) -> httpx.Client:
        if allow_private not in self._clients:
            s = self.settings
            policy = FetchPolicy(allow_private=allow_private, resolver=self.policy.resolver)
            self._clients[allow_private] = httpx.Client(
                headers={"User-Agent": s.user_agent},
                timeout=httpx.Timeout(s.read_timeout, connect=s.connect_timeout),
                follow_redirects=False,  # followed by hand so every hop is counted and checked
                transport=self._transport or GuardedTransport(policy),
                trust_env=False,  # no environment proxy: it would resolve names unchecked
            )
        return self._clients[allow_private]

    def _policy(self, allow_private: bool) -> FetchPolicy:
        if allow_private == self.policy.allow_private:
            return self.policy
        return FetchPolicy(allow_private=allow_private, resolver=self.policy.resolver)

    def scoped(self, allow_private: bool) -> ScopedFetcher:
        """This fetcher as one source sees it: with or without internal addresses."""
        return ScopedFetcher(self, allow_private or self.policy.allow_private)

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        for client in self._clients.values():
            client.close()

    # -- public -----------------------------------------------------------------------

    def fetch(self, url: str, *, allow_private: bool | None = None) -> Fetched | Rejected:
        """GET ``url`` following redirects; a Fetched, or a Rejected saying what went wrong.
        ``allow_private`` overrides the fetcher's policy for this request."""
        s = self.settings
        allow = self.policy.allow_private if allow_private is None else allow_private
        policy = self._policy(allow)
        visited: list[str] = []
        current = url
        while True:
            if not is_url(current) or not urlsplit(current).hostname:
                return Rejected(url, "bad_url", f"not an http(s) URL: {current!r}")
            if current in visited:
                chain = " -> ".join([*visited, current])
                return Rejected(url, "redirect_loop", f"redirects back to itself: {chain}")
            if len(visited) > s.max_redirects:
                return Rejected(url, "too_many_redirects",
                                f"more than {s.max_redirects} redirects")
            try:  # every hop, before robots.txt is asked for: a refused host gets nothing
                policy.check(current)
            except PolicyRefusal as exc:
                return _refused(url, current, exc)
            if s.respect_robots and not self.allowed(current, allow_private=allow):
                return Rejected(url, "robots_disallowed", f"robots.txt disallows {current}")
            visited.append(current)
            result = self._get_with_retries(current, allow)
            if isinstance(result, Rejected):
                result.origin = url
                if current != url:
                    result.detail = f"{result.detail} (after redirect to {current})"
                return result
            if isinstance(result, str):  # a redirect target
                current = result
                continue
            return result

    def allowed(self, url: str, *, allow_private: bool | None = None) -> bool:
        parts = urlsplit(url)
        key = f"{parts.scheme}://{parts.netloc}"
        if key not in self._robots:
            allow = self.policy.allow_private if allow_private is None else allow_private
            self._robots[key] = self._load_robots(key, allow)
        rp = self._robots[key]
        return True if rp is None else rp.can_fetch(self.settings.user_agent, url)

    # -- internals ----------------------------------------------------------------------

    def _get_with_retries(self, url: str, allow_private: bool) -> Fetched | Rejected | str:
        s = self.settings
        attempt = 0
        while True:
            result, retry_after = self._get_once(url, allow_private)
            retryable = isinstance(result, Rejected) and retry_after is not None
            if not retryable or attempt >= s.retries:
                return result
            wait = min(s.backoff * 2**attempt, s.max_backoff)
            if retry_after:  # the server said how long; honour it up to our cap
                wait = min(max(wait, retry_after), s.max_backoff)
            log.info("retrying %s in %.2fs (%s)", url, wait, result.detail)
            time.sleep(wait)
            attempt += 1

    def _get_once(self, url: str,
                  allow_private: bool) -> tuple[Fetched | Rejected | str, float | None]:
        """One request. The second value is None when a retry would not help."""
        s = self.settings
        self._pause_for_host(url)
        started = time.monotonic()
        try:
            with self._client(allow_private).stream("GET", url) as resp:
                if resp.is_redirect:  # (httpx: a 3xx that has a Location header)
                    return urljoin(url, resp.headers["location"]), None
                if resp.status_code >= 400:
                    detail = f"HTTP {resp.status_code} {resp.reason_phrase}".rstrip()
                    rej = Rejected(url, "http_error", detail)
                    return rej, _retry_after(resp) if resp.status_code in _RETRY_STATUS else None
                ctype, charset = _content_type(resp.headers.get("content-type", ""))
                if ctype and not ctype.startswith(_TEXT_TYPES) and not ctype.endswith("+xml"):
                    return Rejected(url, "bad_content_type",
                                    f"{ctype} is not HTML, XML or text"), None
                declared = resp.headers.get("content-length", "")
                if declared.isdigit() and int(declared) > s.max_bytes:
                    return Rejected(url, "oversized",
                                    f"Content-Length {declared} > max_bytes={s.max_bytes}"), None
                body = _read_capped(resp, s.max_bytes, started, s.deadline)
                if isinstance(body, tuple):
                    return Rejected(url, *body), None
                headers = {k.lower(): v for k, v in resp.headers.items()}
                return Fetched(str(resp.url), resp.status_code, ctype, charset, body,
                               headers), None
        except PolicyRefusal as exc:  # the connection itself was refused (see policy.py)
            return Rejected(url, REFUSED_REASON, f"refused by the fetch policy: {exc}"), None
        except httpx.TimeoutException as exc:
            return Rejected(url, "timeout", f"{type(exc).__name__}: {exc}".rstrip(": ")), 0.0
        except httpx.TransportError as exc:  # refused, reset, DNS, protocol errors
            return Rejected(url, "unreachable", f"{type(exc).__name__}: {exc}"), 0.0
        except httpx.HTTPError as exc:
            return Rejected(url, "unreachable", f"{type(exc).__name__}: {exc}"), None

    def _pause_for_host(self, url: str) -> None:
        host = urlsplit(url).netloc
        delay = self.settings.host_delay
        rp = self._robots.get(f"{urlsplit(url).scheme}://{host}")
        if rp is not None:
            asked = rp.crawl_delay(self.settings.user_agent)
            if asked:
                delay = max(delay, min(float(asked), self.settings.max_crawl_delay))
        last = self._last_hit.get(host)
        if last is not None and delay > 0:
            remaining = last + delay - time.monotonic()
            if remaining > 0:
                time.sleep(remaining)
        self._last_hit[host] = time.monotonic()

    def _load_robots(self, base: str,
                     allow_private: bool) -> urllib.robotparser.RobotFileParser | None:
        """robots.txt for one host; None means "allow everything". Its redirects are
        followed by httpx, every connection still under the fetch policy."""
        url = f"{base}/robots.txt"
        self._pause_for_host(url)
        rp = urllib.robotparser.RobotFileParser(url)
        try:
            with self._client(allow_private).stream("GET", url, follow_redirects=True) as resp:
                if resp.status_code in (401, 403):  # access-controlled site: stay out
                    rp.disallow_all = True
                    return rp
                if resp.status_code != 200:  # 404 and friends: no rules
                    return None
                body = _read_capped(resp, ROBOTS_MAX_BYTES, time.monotonic(),
                                    self.settings.deadline)
        except (httpx.HTTPError, PolicyRefusal) as exc:  # unreachable: the convention is to allow
            log.info("robots.txt for %s unavailable (%s); allowing", base, exc)
            return None
        if isinstance(body, tuple):
            log.info("robots.txt for %s unusable (%s); allowing", base, body[1])
            return None
        rp.parse(body.decode("utf-8", errors="replace").splitlines())
        return rp


class ScopedFetcher:
    """A ``Fetcher`` with the policy of one source; shares its clients, robots.txt cache and
    per-host pauses."""

    def __init__(self, fetcher: Fetcher, allow_private: bool) -> None:
        self.fetcher = fetcher
        self.allow_private = allow_private
        self.settings = fetcher.settings

    def fetch(self, url: str) -> Fetched | Rejected:
        return self.fetcher.fetch(url, allow_private=self.allow_private)


def _refused(origin: str, current: str, exc: PolicyRefusal) -> Rejected:
    hop = f" (after redirect to {current})" if current != origin else ""
    return Rejected(origin, REFUSED_REASON, f"refused by the fetch policy: {exc}{hop}")


def fetch_article(url: str, fetcher: Fetcher | ScopedFetcher, *, published: str | None = None,
                  source: str | None = None) -> Article | Rejected:
    """Fetch one page and keep its main text (trafilatura), or say why not."""
    got = fetcher.fetch(url)
    if isinstance(got, Rejected):
        return got
    return article_from_response(got, url, published=published, source=source)


def article_from_response(got: Fetched, origin: str, *, published: str | None = None,
                          source: str | None = None) -> Article | Rejected:
    if not got.body.strip():
        return Rejected(origin, "empty", "the server sent an empty body")
    text = got.text()
    if got.content_type == "text/plain":
        title = next((ln.strip() for ln in text.splitlines() if ln.strip()), None)
        return Article(text=text, title=title, published=published, source=source,
                       url=got.url, origin=origin)
    if not got.looks_like_html():
        return Rejected(origin, "bad_content_type",
                        f"{got.content_type or 'unlabelled'} body is neither a page nor a feed")
    page = extract_html(text, url=got.url)
    if page is None:
        return Rejected(origin, "no_text", "no main text found in the page")
    date = normalise_date(page.published) if page.published else None
    site = page.source
    host = (urlsplit(got.url).netloc or "").lower()
    if site and site.lower() in (host, host.removeprefix("www.")):
        site = None  # trafilatura's fallback is the host name; a name the user gave is better
    return Article(text=page.text, title=page.title, published=date or published,
                   source=site or source or page.source, url=got.url, origin=origin)


def _read_capped(resp: httpx.Response, cap: int, started: float,
                 deadline: float) -> bytes | tuple[str, str]:
    """The body, or (reason, detail) once it passes ``cap`` bytes or the deadline; reading
    stops there, so the rest never reaches memory."""
    chunks: list[bytes] = []
    size = 0
    for chunk in resp.iter_bytes():
        size += len(chunk)
        if size > cap:
            return "oversized", f"body exceeds max_bytes={cap}"
        if time.monotonic() - started > deadline:
            return "timeout", f"body still arriving after {deadline:g}s"
        chunks.append(chunk)
    return b"".join(chunks)


def _content_type(header: str) -> tuple[str, str | None]:
    media, _, params = header.partition(";")
    charset = None
    for param in params.split(";"):
        key, _, value = param.partition("=")
        if key.strip().lower() == "charset":
            charset = value.strip().strip("\"'") or None
    return media.strip().lower(), charset


def _meta_charset(body: bytes) -> str | None:
    m = _META_CHARSET.search(body[:4096])
    return m.group(1).decode("ascii", errors="ignore") if m else None


def _retry_after(resp: httpx.Response) -> float:
    value = resp.headers.get("retry-after", "").strip()
    return float(value) if value.isdigit() else 0.0
