"""RSS and Atom feeds into Articles, one per entry (feedparser does the parsing).

A feed is fetched (or read from a file) as bytes and parsed from memory, never handed to
feedparser as a URL, so every request goes through the polite ``Fetcher``. When an entry
only carries a summary, the linked page can be fetched and its main text extracted
(``fetch_pages``); if that fails the summary is used. Trouble with the feed itself comes back
as one ``Rejected`` (reasons: not_a_feed, broken_feed, plus the fetch reasons in
``tidings.ingest.urls``); trouble with one entry as a Rejected for that entry (no_text). A
linked page the fetch policy refuses is reported too (blocked_address), just before the entry
built from the summary: a feed pointing at internal addresses is worth knowing about.
"""

from __future__ import annotations

import hashlib
import io
import logging
import time
from collections.abc import Collection, Iterator
from dataclasses import dataclass, field
from datetime import date
from html import unescape
from html.parser import HTMLParser
from typing import Any

import feedparser

from tidings.ingest.dates import normalise_date
from tidings.ingest.policy import REFUSED_REASON
from tidings.ingest.urls import (
    Fetched,
    Fetcher,
    ScopedFetcher,
    fetch_article,
    is_url,
    looks_like_feed,
)
from tidings.model import Article, Rejected

log = logging.getLogger("tidings.ingest")

FEED_EXT = frozenset({".rss", ".atom", ".xml"})


@dataclass
class FeedOptions:
    """Per-feed settings (the same fields as an entry in sources.yaml)."""

    name: str | None = None  # outlet name; wins over the feed's own title
    fetch_pages: bool = True  # fetch the linked page when the entry has only a summary
    max_items: int | None = None  # newest N entries only (feeds list newest first)


@dataclass
class FeedEntry:
    key: str  # what "seen before" is judged on: guid, else link, else a hash of the content
    title: str | None
    link: str | None
    published: str | None
    summary: str  # plain text
    content: str  # plain text of the fullest <content> element, "" when absent


@dataclass
class Feed:
    origin: str  # URL or path the feed was read from
    title: str | None
    entries: list[FeedEntry] = field(default_factory=list)


def load_feed(url: str, fetcher: Fetcher | ScopedFetcher, *,
              max_items: int | None = None) -> Feed | Rejected:
    """Fetch and parse one feed URL."""
    got = fetcher.fetch(url)
    if isinstance(got, Rejected):
        return got
    return feed_from_response(got, url, max_items=max_items)


def feed_from_response(got: Fetched, origin: str, *, max_items: int | None = None
                       ) -> Feed | Rejected:
    if not got.body.strip():
        return Rejected(origin, "empty", "the server sent an empty body")
    if not got.looks_like_feed() and got.looks_like_html():
        return Rejected(origin, "not_a_feed", "got an HTML page, not RSS or Atom")
    # Content-Location lets feedparser resolve relative links against the final URL
    headers = {**got.headers, "content-location": got.url}
    return parse_feed(got.body, origin, headers=headers, max_items=max_items)


def parse_feed(data: bytes, origin: str, *, headers: dict[str, str] | None = None,
               max_items: int | None = None) -> Feed | Rejected:
    """Parse feed bytes. Broken XML is refused rather than guessed at (see _broken)."""
    try:
        parsed = feedparser.parse(io.BytesIO(data), response_headers=headers or {})
    except Exception as exc:  # feedparser is lenient, but a parser bug must not stop a run
        return Rejected(origin, "broken_feed", f"{type(exc).__name__}: {exc}")
    problem = _broken(parsed)
    if problem:
        return Rejected(origin, "broken_feed", problem)
    if not parsed.get("version") and not parsed.entries:
        return Rejected(origin, "not_a_feed", "no RSS or Atom root element found")
    title = _plain(parsed.feed.get("title", "")) or None
    entries = parsed.entries if max_items is None else parsed.entries[: max(0, max_items)]
    return Feed(origin, title, [_entry(e) for e in entries])


def iter_feed(feed: Feed, options: FeedOptions | None = None,
              fetcher: Fetcher | ScopedFetcher | None = None, *, published: str | None = None,
              source: str | None = None,
              skip: Collection[str] = ()) -> Iterator[Article | Rejected]:
    """An Article (or a Rejected) per entry whose key is not in ``skip``.

    ``published`` and ``source`` fill in what neither the entry nor the feed says.
    """
    opts = options or FeedOptions()
    outlet = opts.name or feed.title or source
    for n, entry in enumerate(feed.entries, 1):
        if entry.key in skip:
            continue
        refused: list[Rejected] = []
        item = entry_article(entry, feed, opts, fetcher, outlet=outlet, published=published,
                             where=entry.link or f"{feed.origin}#{n}", refused=refused)
        yield from refused
        yield item


def entry_article(entry: FeedEntry, feed: Feed, opts: FeedOptions,
                  fetcher: Fetcher | ScopedFetcher | None, *, outlet: str | None,
                  published: str | None, where: str, refused: list[Rejected] | None = None
                  ) -> Article | Rejected:
    """The entry as an Article (or why not). A linked page the fetch policy refused is
    added to ``refused``, so the caller can record it."""
    text, page, page_problem = "", None, ""
    if entry.content and len(entry.content) > len(entry.summary):
        text = entry.content  # the feed carries the full story; no need to fetch
    elif opts.fetch_pages and fetcher is not None and entry.link and is_url(entry.link):
        got = fetch_article(entry.link, fetcher)
        if isinstance(got, Article):
            page, text = got, got.text
        else:
            if got.reason == REFUSED_REASON and refused is not None:
                refused.append(got)
            page_problem = f"; linked page: {got.reason} {got.detail}".rstrip()
            log.info("%s: falling back to the feed summary%s", where, page_problem)
    text = text or entry.summary or entry.content
    if not text.strip():
        return Rejected(where, "no_text", f"entry has no summary or content{page_problem}")
    return Article(
        text=text,
        title=entry.title or (page.title if page else None),
        published=entry.published or (page.published if page else None) or published,
        source=outlet,
        url=entry.link,
        origin=feed.origin,
    )


# -- entries ------------------------------------------------------------------------------


def _entry(e: Any) -> FeedEntry:
    title = _plain(e.get("title", "")) or None
    link = (e.get("link") or "").strip() or None
    summary = _plain(e.get("summary", ""))
    contents = [_plain(c.get("value", "")) for c in e.get("content") or []]
    content = max(contents, key=len, default="")
    raw_date = e.get("published") or e.get("updated")
    day = normalise_date(raw_date) if raw_date else None
    if day is None:  # feedparser's own parse (UTC) when the string defeats ours
        parsed = e.get("published_parsed") or e.get("updated_parsed")
        if isinstance(parsed, time.struct_time):
            day = date(*parsed[:3]).isoformat()
    key = (e.get("id") or "").strip() or link
    if not key:
        blob = f"{title}\n{summary}\n{content}".encode()
        key = "sha1:" + hashlib.sha1(blob).hexdigest()
    return FeedEntry(key=key, title=title, link=link, published=day, summary=summary,
                     content=content)


def _broken(parsed: Any) -> str | None:
    """Why a parse should not be trusted, or None.

    feedparser sets ``bozo`` for anything odd, then carries on with a lenient parser. Mere
    encoding or media-type quirks are harmless, and so are undefined HTML entities such as
    &nbsp; (the lenient parser reads them right). Other XML errors are not: a truncated feed
    parses into entries that silently lose their text, so the feed is reported instead.
    """
    if not parsed.get("bozo"):
        return None
    exc = parsed.get("bozo_exception")
    if isinstance(exc, feedparser.ThingsNobodyCaresAboutButMe):
        return None
    message = exc.getMessage() if hasattr(exc, "getMessage") else str(exc)
    if message == "undefined entity":
        return None
    line = exc.getLineNumber() if hasattr(exc, "getLineNumber") else None
    col = exc.getColumnNumber() if hasattr(exc, "getColumnNumber") else None
    where = f" at line {line} col {col}" if line is not None else ""
    return f"malformed XML{where}: {message}"


_BLOCK_TAGS = frozenset({"p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5",
                         "h6", "blockquote", "pre", "tr", "table", "section", "article"})


class _TextOnly(HTMLParser):
    """Text of an HTML fragment, a line break per block so paragraphs stay apart."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: Any) -> None:
        if tag in ("script", "style"):
            self._skip += 1
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self._skip = max(0, self._skip - 1)
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)


def _plain(fragment: str) -> str:
    """HTML or plain text to tidy plain text: tags gone, entities decoded, spaces squeezed."""
    if not fragment:
        return ""
    if "<" in fragment:
        parser = _TextOnly()
        parser.feed(fragment)
        parser.close()
        fragment = "".join(parser.parts)
    else:
        fragment = unescape(fragment)
    lines = (" ".join(line.split()) for line in fragment.splitlines())
    return "\n\n".join(line for line in lines if line)


def is_feed_file(head: bytes, suffix: str) -> bool:
    """.rss and .atom files are feeds; an .xml file only when its root element is one."""
    suffix = suffix.lower()
    return suffix in (".rss", ".atom") or (suffix == ".xml" and looks_like_feed(head))
