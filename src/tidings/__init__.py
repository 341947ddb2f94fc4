"""tidings: news text in, PLOVER/CAMEO event data out — who did what to whom, with evidence.

The public API::

    import tidings
    result = tidings.code("Russian forces shelled Kharkiv on Monday.", published="2025-06-02")
    for coded in tidings.code_many(articles): ...
    store = tidings.open_store("sqlite:///tidings.db")
"""

from __future__ import annotations

import logging

from tidings.model import Article, CodedArticle, Event, Rejected
from tidings.pipeline import code, code_many, get_coder

__version__ = "0.1.0"

logging.getLogger("tidings").addHandler(logging.NullHandler())


def open_store(url: str = "sqlite:///tidings.db"):
    """Open (and create if needed) the event store at a SQLAlchemy URL."""
    from tidings.store import Store

    return Store(url)


__all__ = [
    "Article", "CodedArticle", "Event", "Rejected", "code", "code_many", "get_coder", "open_store",
    "__version__",
]  # fmt: skip
