"""A local HTTP server for feed and URL tests (127.0.0.1, a free port), and page/feed makers.

Routes are set per test: a fixed response, a sequence (e.g. 503 then 200), a delay before
answering, or a streamed body. Nothing here touches the internet. The fetch policy refuses
loopback by default, so fetchers in these tests opt in with ``LOCAL`` (tests/security checks
the refusal itself).
"""

from __future__ import annotations

import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from tidings.ingest.policy import FetchPolicy

LOCAL = FetchPolicy(allow_private=True)  # these servers listen on 127.0.0.1

HTML = "text/html; charset=utf-8"
RSS = "application/rss+xml; charset=utf-8"
ATOM = "application/atom+xml; charset=utf-8"


@dataclass
class Reply:
    body: bytes | str = b""
    status: int = 200
    ctype: str | None = HTML
    headers: dict[str, str] | None = None
    delay: float = 0.0  # seconds before the status line: a slow server
    stream: Callable[[object], None] | None = None  # writes the body itself, no length


class LocalServer:
    def __init__(self) -> None:
        self.routes: dict[str, list[Reply]] = {}
        self.hits: Counter[str] = Counter()
        self.agents: list[str] = []
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self))
        self.httpd.daemon_threads = True  # a handler still sleeping must not block teardown
        self.port = self.httpd.server_address[1]
        self.thread = threading.Thread(target=self.httpd.serve_forever,
                                       kwargs={"poll_interval": 0.02}, daemon=True)
        self.thread.start()

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def add(self, path: str, *replies: Reply, **kw) -> str:
        """Serve ``replies`` in turn (the last one repeats), or one Reply(**kw)."""
        self.routes[path] = list(replies) or [Reply(**kw)]
        return self.url(path)

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


def _handler(server: LocalServer):
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
            path = self.path
            server.hits[path] += 1
            server.agents.append(self.headers.get("User-Agent", ""))
            queue = server.routes.get(path)
            if not queue:
                self.send_error(404)
                return
            reply = queue.pop(0) if len(queue) > 1 else queue[0]
            if reply.delay:
                time.sleep(reply.delay)
            body = reply.body.encode() if isinstance(reply.body, str) else reply.body
            try:
                self.send_response(reply.status)
                if reply.ctype:
                    self.send_header("Content-Type", reply.ctype)
                for k, v in (reply.headers or {}).items():
                    self.send_header(k, v)
                if reply.stream is None:
                    self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                if reply.stream is not None:
                    reply.stream(self.wfile)
                else:
                    self.wfile.write(body)
            except OSError:  # the client gave up (timeout, size cap): expected here
                pass

        def log_message(self, *args) -> None:
            pass

    return Handler


def page(title: str, *paragraphs: str) -> str:
    """An article page wrapped in navigation, a cookie banner and a footer."""
    body = "\n".join(f"<p>{p}</p>" for p in paragraphs)
    return f"""<!DOCTYPE html><html><head><title>{title} | Harbor Times</title>
<meta property="og:title" content="{title}"></head><body>
<nav><ul><li><a href="/">Home</a></li><li><a href="/world">Navigation menu world</a></li></ul>
</nav><div class="cookie">We use cookies. Accept cookie policy.</div>
<article><h1>{title}</h1>
{body}
</article>
<footer><p>Copyright 2025 Harbor Times. Subscribe to our newsletter.</p></footer>
</body></html>"""


def rss(title: str, items: list[dict[str, str]]) -> str:
    parts = []
    for it in items:
        fields = "".join(f"<{k}>{v}</{k}>" for k, v in it.items())
        parts.append(f"<item>{fields}</item>")
    return (f'<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0" '
            f'xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel>'
            f"<title>{title}</title><link>http://127.0.0.1/</link>"
            f"<description>news</description>{''.join(parts)}</channel></rss>")


def atom(title: str, entries: list[dict[str, str]]) -> str:
    parts = []
    for e in entries:
        parts.append(
            f"<entry><title>{e['title']}</title><link href=\"{e['link']}\"/>"
            f"<id>{e['id']}</id><updated>{e['updated']}</updated>"
            f"<summary>{e.get('summary', '')}</summary>"
            + (f"<content type=\"html\">{e['content']}</content>" if "content" in e else "")
            + "</entry>")
    return (f'<?xml version="1.0" encoding="utf-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom">'
            f"<title>{title}</title><id>urn:feed</id><updated>2025-06-03T00:00:00Z</updated>"
            f"{''.join(parts)}</feed>")
