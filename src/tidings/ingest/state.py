"""What ``tidings watch`` has already seen, per feed, kept in the event store itself.

Keeping it in the same database means one file (or one server) to back up, and a fresh
database starts with a clean slate. The store's content-hash check stops repeats anyway;
this table saves re-fetching pages and re-parsing entries every round.

The table (``feed_entries``) is defined with every other table in ``tidings.store.schema``.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from datetime import UTC, datetime

from sqlalchemy import insert, select
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError

from tidings.store.schema import feed_entries

_IN_CHUNK = 500  # stays under SQLite's bound-parameter limit


def _h(value: str) -> str:
    return hashlib.sha1(value.encode("utf-8")).hexdigest()


class SeenEntries:
    """Entry keys already handled, per feed URL."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        # a database made before this table existed (or migrated without it) still works
        feed_entries.create(engine, checkfirst=True)

    def seen(self, feed: str, keys: Iterable[str]) -> set[str]:
        by_hash = {_h(k): k for k in keys}
        found: set[str] = set()
        hashes = list(by_hash)
        fh = _h(feed)
        with self.engine.connect() as conn:
            for i in range(0, len(hashes), _IN_CHUNK):
                q = select(feed_entries.c.entry_hash).where(
                    feed_entries.c.feed_hash == fh,
                    feed_entries.c.entry_hash.in_(hashes[i : i + _IN_CHUNK]))
                found.update(by_hash[h] for h in conn.scalars(q))
        return found

    def mark(self, feed: str, keys: Iterable[str]) -> int:
        """Remember ``keys`` for ``feed``; returns how many were new."""
        wanted = set(keys)
        fresh = wanted - self.seen(feed, wanted)
        if not fresh:
            return 0
        now = datetime.now(UTC)
        fh = _h(feed)
        rows = [{"feed_hash": fh, "entry_hash": _h(k), "feed": feed, "entry": k, "seen_at": now}
                for k in sorted(fresh)]
        try:
            with self.engine.begin() as conn:
                conn.execute(insert(feed_entries), rows)
        except IntegrityError:  # a second watcher on the same database got there first
            return 0
        return len(fresh)
