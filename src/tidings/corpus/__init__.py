"""From articles to a corpus: near-duplicate articles and canonical events."""

from tidings.corpus.canonical import (
    canonical_events,
    mentions,
    rebuild_canonical,
    update_canonical,
)
from tidings.corpus.dedupe import DuplicateIndex

__all__ = ["DuplicateIndex", "canonical_events", "mentions", "rebuild_canonical",
           "update_canonical"]
