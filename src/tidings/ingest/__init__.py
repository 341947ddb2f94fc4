"""Getting news text in: files, directories, JSON Lines, CSV and HTML."""

from tidings.ingest.files import iter_articles, normalise_date

__all__ = ["iter_articles", "normalise_date"]
