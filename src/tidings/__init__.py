"""tidings: news text in, PLOVER/CAMEO event data out — who did what to whom, with evidence.

The public API::

    import tidings
    result = tidings.code("Russian forces shelled Kharkiv on Monday.", published="2025-06-02")
    for coded in tidings.code_many(articles): ...
    store = tidings.open_store("sqlite:///tidings.db")
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from tidings.model import Article, CodedArticle, Event, Rejected

if TYPE_CHECKING:
    from tidings.pipeline import code, code_many, get_coder

__version__ = "0.1.0"

logging.getLogger("tidings").addHandler(logging.NullHandler())


def open_store(url: str = "sqlite:///tidings.db"):
    """Open (and create if needed) the event store at a SQLAlchemy URL."""
    from tidings.store import Store

    return Store(url)


# The coding functions load spaCy (seconds); they are imported on first use, so that
# `import tidings`, `tidings.store` or `tidings.web` stays light (tests/test_imports.py).
_FROM_PIPELINE = ("code", "code_many", "get_coder")


def __getattr__(name: str):
    if name in _FROM_PIPELINE:
        from tidings import pipeline

        value = getattr(pipeline, name)
        globals()[name] = value  # later lookups skip this function
        return value
    raise AttributeError(f"module 'tidings' has no attribute {name!r}")


__all__ = [
    "Article", "CodedArticle", "Event", "Rejected", "code", "code_many", "get_coder", "open_store",
    "__version__",
]  # fmt: skip
