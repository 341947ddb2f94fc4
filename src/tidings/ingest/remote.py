"""What ``iter_articles`` needs beyond plain files: URLs and local feed files.

A URL is fetched once and then read as a feed or as an article page depending on what came
back (the root element first, the content type second). The HTTP client is created on first
use, so reading a folder of text files never opens one.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TypeVar

from tidings.ingest.feeds import (
    FeedOptions,
    feed_from_response,
    is_feed_file,
    iter_feed,
    parse_feed,
)
from tidings.ingest.policy import FetchPolicy
from tidings.ingest.urls import (
    Fetcher,
    FetchSettings,
    ScopedFetcher,
    article_from_response,
    is_url,
)
from tidings.model import Article, Rejected

# pathlib squeezes "https://host" to "https:/host"; a CLI that typed its arguments as Path
# hands us that form, and no real local path starts like this
_SQUEEZED_URL = re.compile(r"^(https?):/(?!/)", re.I)
Parsed = TypeVar("Parsed")


def read_capped(path: Path, size: int, max_bytes: int,
                parse: Callable[[bytes, str], Parsed]) -> Parsed | Rejected:
    """A whole local file of ``size`` bytes, parsed; refused unread when over ``max_bytes``."""
    origin = str(path)
    if size > max_bytes:  # checked before reading so a huge file costs nothing
        return Rejected(origin, "oversized", f"{size} bytes > max_bytes={max_bytes}")
    return parse(path.read_bytes(), origin)


def as_url(item: str | Path) -> str | None:
    """The URL ``item`` names, or None when it is a local path."""
    text = str(item)
    if isinstance(item, str) and is_url(text):
        return text
    if isinstance(item, Path) and _SQUEEZED_URL.match(text):
        return _SQUEEZED_URL.sub(r"\1://", text)
    return None


class Net:
    """The fetcher and feed options for one ``iter_articles`` call."""

    def __init__(self, fetcher: Fetcher | None, *, max_bytes: int, fetch_pages: bool,
                 allow_private: bool = False) -> None:
        self._fetcher = fetcher
        self._own = fetcher is None  # close only a client we opened ourselves
        self.max_bytes = max_bytes
        self.allow_private = allow_private
        self.options = FeedOptions(fetch_pages=fetch_pages)

    @property
    def fetcher(self) -> Fetcher | ScopedFetcher:
        if self._fetcher is None:
            self._fetcher = Fetcher(FetchSettings(max_bytes=self.max_bytes),
                                    policy=FetchPolicy(allow_private=self.allow_private))
        return self._fetcher.scoped(True) if self.allow_private else self._fetcher

    def close(self) -> None:
        if self._own and self._fetcher is not None:
            self._fetcher.close()
            self._fetcher = None

    def read_url(self, url: str, published: str | None,
                 source: str | None) -> Iterator[Article | Rejected]:
        got = self.fetcher.fetch(url)
        if isinstance(got, Rejected):
            yield got
            return
        if got.looks_like_feed() or got.content_type.endswith(("rss+xml", "atom+xml")):
            feed = feed_from_response(got, url)
            if isinstance(feed, Rejected):
                yield feed
                return
            yield from iter_feed(feed, self.options, self._pages(), published=published,
                                 source=source)
        else:
            yield article_from_response(got, url, published=published, source=source)

    @staticmethod
    def is_feed_file(path: Path, ext: str) -> bool:
        with path.open("rb") as f:
            return is_feed_file(f.read(4096), ext)

    def read_feed_file(self, path: Path, size: int, published: str | None,
                       source: str | None) -> Iterator[Article | Rejected]:
        feed = read_capped(path, size, self.max_bytes, parse_feed)
        if isinstance(feed, Rejected):
            yield feed
            return
        yield from iter_feed(feed, self.options, self._pages(), published=published,
                             source=source)

    def _pages(self) -> Fetcher | ScopedFetcher | None:
        return self.fetcher if self.options.fetch_pages else None
