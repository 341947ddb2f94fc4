"""Small HTTP servers for the security tests: loopback only, and they stop themselves.

Each server binds a loopback address (127.0.0.1, or 127.0.0.2 standing in for a public
host), counts every request it gets, and shuts down after ``lifetime`` seconds even if a
test forgets to, so nothing outlives the test run.
"""

from __future__ import annotations

import threading
from collections import Counter
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

SECRET = "Internal admin console: database password is hunter2"
PUBLIC_IP = "127.0.0.2"  # stands in for a public address (see conftest.public_is_public)


@dataclass
class Route:
    body: str = ""
    status: int = 200
    ctype: str = "text/html; charset=utf-8"
    headers: dict[str, str] = field(default_factory=dict)


class BoundedServer:
    def __init__(self, host: str = "127.0.0.1", port: int = 0, lifetime: float = 60.0) -> None:
        assert host.startswith("127."), "security tests talk to loopback only"
        self.routes: dict[str, Route] = {}
        self.hits: Counter[str] = Counter()
        self.httpd = ThreadingHTTPServer((host, port), _handler(self))
        self.httpd.daemon_threads = True
        self.host, self.port = self.httpd.server_address[:2]
        self._thread = threading.Thread(target=self.httpd.serve_forever,
                                        kwargs={"poll_interval": 0.02}, daemon=True)
        self._thread.start()
        self._timer = threading.Timer(lifetime, self.close)
        self._timer.daemon = True
        self._timer.start()
        self._closed = False

    def add(self, path: str, **kw) -> None:
        self.routes[path] = Route(**kw)

    @property
    def total_hits(self) -> int:
        return sum(self.hits.values())

    def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        self._timer.cancel()
        self.httpd.shutdown()
        self.httpd.server_close()


def _handler(server: BoundedServer):
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
            server.hits[self.path] += 1
            route = server.routes.get(self.path)
            if route is None:
                self.send_error(404)
                return
            body = route.body.encode()
            self.send_response(route.status)
            self.send_header("Content-Type", route.ctype)
            for k, v in route.headers.items():
                self.send_header(k, v)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args) -> None:
            pass

    return Handler


def page(title: str, text: str) -> str:
    return (f"<!DOCTYPE html><html><head><title>{title}</title></head><body><article>"
            f"<h1>{title}</h1><p>{text}</p><p>{text}</p></article></body></html>")


def rss(items: list[tuple[str, str, str]]) -> str:
    """An RSS feed of (guid, link, summary) items."""
    parts = "".join(f"<item><title>Item {g}</title><link>{link}</link><guid>{g}</guid>"
                    f"<pubDate>Fri, 06 Jun 2025 10:00:00 GMT</pubDate>"
                    f"<description>{summary}</description></item>"
                    for g, link, summary in items)
    return ('<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
            f"<title>Public Wire</title><link>http://news.test/</link>"
            f"<description>news</description>{parts}</channel></rss>")
