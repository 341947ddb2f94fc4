"""From articles to a corpus: near-duplicate articles and canonical events."""

from tidings.corpus.canonical import rebuild_canonical, update_canonical
from tidings.corpus.dedupe import DuplicateIndex
from tidings.store.canonical_queries import canonical_events, mentions

__all__ = ["DuplicateIndex", "canonical_events", "mentions", "rebuild_canonical",
           "update_canonical"]
