"""Storage of coded documents, events, entities and errors (SQLAlchemy Core)."""

from tidings.store.queries import EventFilter
from tidings.store.schema import metadata
from tidings.store.store import DEFAULT_URL, Store

__all__ = ["DEFAULT_URL", "EventFilter", "Store", "metadata"]
