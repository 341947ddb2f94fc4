"""Tables for duplicate articles and canonical events, on the store's one MetaData.

Portable column types only, so the same Alembic migration serves SQLite and PostgreSQL.
No foreign keys to ``events``/``documents``: these tables are derived data that
``rebuild_canonical`` can always recompute, and keeping them loose lets the store delete
documents without knowing about them.
"""

from __future__ import annotations

from sqlalchemy import Column, DateTime, Float, Index, Integer, String, Table, Text

from tidings.store.schema import metadata

# One MinHash signature per stored document, so a new process rebuilds the LSH index
# without re-reading and re-shingling every text.
minhash_signatures = Table(
    "minhash_signatures",
    metadata,
    Column("document_id", String, primary_key=True),
    Column("scheme", String, nullable=False),  # shingle size, num_perm, seed: see dedupe.py
    Column("signature", Text, nullable=False),  # base64 of little-endian uint32 hash values
)

# A near-copy and the document it copies (the earliest of its group).
article_duplicates = Table(
    "article_duplicates",
    metadata,
    Column("document_id", String, primary_key=True),
    Column("original_id", String, nullable=False),
    Column("similarity", Float),  # estimated Jaccard with the closest group member
    Index("ix_article_duplicates_original_id", "original_id"),
)

canonical_events = Table(
    "canonical_events",
    metadata,
    Column("id", String, primary_key=True),
    # the connected block of candidate links it was clustered in; incremental updates
    # recompute whole components, which is what makes them equal a rebuild
    Column("component", String, nullable=False),
    Column("event_type", String, nullable=False),
    Column("cameo", String),
    Column("source_country", String),
    Column("source_sector", String),
    Column("source_name", Text),
    Column("target_country", String),
    Column("target_sector", String),
    Column("target_name", Text),
    Column("date", String),
    Column("date_precision", String),
    Column("place_name", Text),
    Column("place_country", String),
    Column("place_lat", Float),
    Column("place_lon", Float),
    Column("num_articles", Integer, nullable=False),
    Column("num_sources", Integer, nullable=False),
    Column("num_mentions", Integer, nullable=False),
    Column("num_copies", Integer, nullable=False),
    Column("first_seen", String),
    Column("last_seen", String),
    Column("sources", Text),  # JSON list of outlet names
    Column("updated_at", DateTime(timezone=True)),
    Index("ix_canonical_events_component", "component"),
    Index("ix_canonical_events_event_type", "event_type"),
    Index("ix_canonical_events_date", "date"),
    Index("ix_canonical_events_source_country", "source_country"),
    Index("ix_canonical_events_target_country", "target_country"),
)

# One row per mention (an asserted event of an original article).
canonical_links = Table(
    "canonical_links",
    metadata,
    Column("event_id", String, primary_key=True),
    Column("canonical_id", String, nullable=False),
    Column("document_id", String, nullable=False),
    Column("via_event_id", String),  # the member it agrees with best; NULL for a singleton
    Column("score", Float),
    Column("agreement", Text),  # JSON: field -> {status, values, detail}
    Index("ix_canonical_links_canonical_id", "canonical_id"),
    Index("ix_canonical_links_document_id", "document_id"),
)

ALL = (minhash_signatures, article_duplicates, canonical_events, canonical_links)


def create_tables(engine) -> None:
    metadata.create_all(engine, tables=list(ALL))
