"""Follow feeds: poll each on its own interval, code and store only what is new.

A feed that is down, slow or broken costs one error row and the rest carry on; nothing
a feed sends can stop the loop. Entries are remembered as seen only after their articles
are stored, so a crash mid-feed means the next round redoes that feed (the store's
content-hash check keeps it from storing anything twice).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tidings.ingest.feeds import Feed, iter_feed, load_feed, parse_feed
from tidings.ingest.sources import Source
from tidings.ingest.state import SeenEntries
from tidings.ingest.urls import Fetcher, ScopedFetcher, is_url
from tidings.model import Rejected
from tidings.runs import OnFirstUse, ingest

log = logging.getLogger("tidings.ingest")


@dataclass
class FeedReport:
    """What one poll of one feed did."""

    source: Source
    entries: int = 0  # in the feed (after max_items)
    new: int = 0  # not seen before
    stored: int = 0
    duplicates: int = 0  # text already in the store
    events: int = 0
    errors: list[Rejected] = field(default_factory=list)  # each recorded in ``errors``
    notes: list[Rejected] = field(default_factory=list)  # stored, but coded in part
    failed: bool = False  # the feed itself could not be read


class Watcher:
    """Polls ``sources`` into ``store``. ``coder`` is built on first need: a round where
    nothing is new never loads the language model. ``min_confidence`` is the run service's
    confidence cut (None: the default every entry point applies)."""

    def __init__(self, sources: list[Source], store: Any, fetcher: Fetcher, *,
                 every: float, coder: Callable[[], Any], batch_size: int = 32,
                 min_confidence: float | None = None) -> None:
        self.sources = sources
        self.store = store
        self.fetcher = fetcher
        self.every = every
        self._coder = OnFirstUse(coder)
        self.batch_size = batch_size
        self.min_confidence = min_confidence
        self.seen = SeenEntries(store.engine)

    # -- one feed -------------------------------------------------------------------------

    def poll(self, source: Source) -> FeedReport:
        report = FeedReport(source)
        try:
            self._poll(source, report)
        except Exception as exc:  # a bug or a database hiccup on one feed: log, carry on
            log.exception("polling %s failed", source.url)
            report.failed = True
            self._error(report, Rejected(source.url, "watch_failed",
                                         f"{type(exc).__name__}: {exc}"[:2000]))
        return report

    def _poll(self, source: Source, report: FeedReport) -> None:
        fetcher = self.fetcher.scoped(source.allow_private)  # the feed's own fetch policy
        feed = self._load(source, fetcher)
        if isinstance(feed, Rejected):
            report.failed = True
            self._error(report, feed)
            return
        report.entries = len(feed.entries)
        seen = self.seen.seen(source.url, [e.key for e in feed.entries])
        fresh = [e for e in feed.entries if e.key not in seen]
        report.new = len(fresh)
        if not fresh:
            return
        opts = source.options()
        pages = fetcher if opts.fetch_pages else None
        # the run service records what fails (an entry, a page, a document the coder or
        # the store fails on) and goes on; only then are the entries marked as seen
        run = ingest(iter_feed(feed, opts, pages, skip=seen), self.store, self._coder,
                     batch_size=self.batch_size, min_confidence=self.min_confidence)
        report.stored, report.duplicates, report.events = run.stored, run.duplicates, run.events
        report.errors += run.failures
        report.notes += run.partly_coded
        self.seen.mark(source.url, [e.key for e in fresh])

    def _load(self, source: Source, fetcher: ScopedFetcher) -> Feed | Rejected:
        if is_url(source.url):
            return load_feed(source.url, fetcher, max_items=source.max_items)
        path = Path(source.url)
        try:
            data = path.read_bytes()
        except OSError as exc:
            return Rejected(source.url, "not_found" if isinstance(exc, FileNotFoundError)
                            else "unreadable", exc.strerror or str(exc))
        return parse_feed(data, source.url, max_items=source.max_items)

    def _error(self, report: FeedReport, rej: Rejected) -> None:
        report.errors.append(rej)
        try:
            self.store.record_error(rej)
        except Exception:  # the report still carries it; a full disk must not end the loop
            log.exception("could not record error for %s", rej.origin)

    # -- the loop -------------------------------------------------------------------------

    def run(self, *, once: bool = False, stop: threading.Event | None = None,
            on_report: Callable[[FeedReport], None] | None = None) -> None:
        """Poll due feeds until ``stop`` is set (or once, with ``once``)."""
        stop = stop or threading.Event()
        due = [0.0] * len(self.sources)  # everything is due at start
        while not stop.is_set():
            for i, source in enumerate(self.sources):
                if stop.is_set():
                    return
                if due[i] <= time.monotonic():
                    report = self.poll(source)
                    due[i] = time.monotonic() + (source.every or self.every)
                    if on_report:
                        on_report(report)
            if once:
                return
            stop.wait(max(0.0, min(due) - time.monotonic()))
