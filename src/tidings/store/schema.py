"""Database schema: one MetaData object so Alembic can autogenerate against it.

Every change here needs a revision in ``migrations/versions/`` (``tidings db revision``);
``tests/store/test_migrations.py`` fails while the two disagree.

Portable types only (SQLite and PostgreSQL). Dates are ISO strings (YYYY-MM-DD) because
news dates are often partial or missing and string order is date order.
"""

from __future__ import annotations

from sqlalchemy import (
    Column,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
)

# stable constraint names make migrations reproducible across backends
metadata = MetaData(
    naming_convention={
        "ix": "ix_%(table_name)s_%(column_0_name)s",
        "uq": "uq_%(table_name)s_%(column_0_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)

documents = Table(
    "documents",
    metadata,
    Column("id", String, primary_key=True),
    Column("content_hash", String(64), nullable=False, unique=True),
    Column("title", Text),
    Column("text", Text, nullable=False),
    Column("published", String),
    Column("source", Text),
    Column("url", Text),
    Column("origin", Text),
    Column("n_events", Integer, nullable=False, default=0),
    Column("coded_at", DateTime(timezone=True)),
    Column("pipeline_version", String),
)


def _document_id() -> Column:
    """The column of every table that holds a part of a document (events, entities,
    quotes ...): the document it belongs to, deleted with it."""
    return Column("document_id", String, ForeignKey("documents.id", ondelete="CASCADE"),
                  nullable=False)


def _actor_columns(role: str) -> list[Column]:
    cols = [
        Column(f"{role}_text", Text),
        Column(f"{role}_name", Text),
        Column(f"{role}_country", String),
        Column(f"{role}_sector", String),
    ]
    if role != "reporter":  # actor spans are evidence for who did what to whom
        cols += [Column(f"{role}_start", Integer), Column(f"{role}_end", Integer)]
    return cols


events = Table(
    "events",
    metadata,
    Column("id", String, primary_key=True),
    _document_id(),
    Column("event_type", String, nullable=False),
    Column("mode", String),
    Column("context", String),
    Column("cameo", String),
    Column("quad_class", Integer),
    Column("goldstein", Float),
    *_actor_columns("source"),
    *_actor_columns("target"),
    Column("modality", String),
    *_actor_columns("reporter"),
    Column("sentence", Text),
    Column("span_start", Integer),
    Column("span_end", Integer),
    Column("trigger", Text),
    Column("trigger_start", Integer),
    Column("trigger_end", Integer),
    Column("confidence", Float),
    Column("date", String),
    Column("date_precision", String),  # day, week, month, year, or publication (fallback)
    Column("date_text", Text),
    # where it happened (Place): flattened so that map and radius queries need no JSON
    Column("place_name", Text),
    Column("place_country", String),
    Column("place_admin1", String),
    Column("place_lat", Float),
    Column("place_lon", Float),
    Column("place_geonameid", Integer),
    Column("place_feature", String),
    Column("place_text", Text),
    Column("place_start", Integer),
    Column("place_end", Integer),
    Column("acled_event_type", String),
    Column("acled_sub_event_type", String),
    Column("killed", Integer),
    Column("injured", Integer),
    Column("extra", Text),  # JSON text: whatever later stages add to Event.extra
    Index("ix_events_document_id", "document_id"),
    Index("ix_events_event_type", "event_type"),
    Index("ix_events_source_country", "source_country"),
    Index("ix_events_target_country", "target_country"),
    Index("ix_events_date", "date"),
    Index("ix_events_place_country", "place_country"),
)

quotes = Table(
    "quotes",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    _document_id(),
    Column("text", Text, nullable=False),
    Column("span_start", Integer),
    Column("span_end", Integer),
    Column("speaker", Text),
    *_actor_columns("speaker_actor")[:4],
    Column("kind", String),
    Index("ix_quotes_document_id", "document_id"),
    Index("ix_quotes_speaker", "speaker"),
)

quantities = Table(
    "quantities",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    _document_id(),
    Column("text", Text, nullable=False),
    Column("value", Float),
    Column("unit", String),
    Column("counts", Text),
    Column("span_start", Integer),
    Column("span_end", Integer),
    Index("ix_quantities_document_id", "document_id"),
)

times = Table(
    "times",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    _document_id(),
    Column("text", Text, nullable=False),
    Column("span_start", Integer),
    Column("span_end", Integer),
    Column("type", String),  # TIMEX3: DATE, TIME, DURATION, SET
    Column("value", String),  # TIMEX3 value: 2025-06-02, 2025-W23, P2Y, PRESENT_REF ...
    Column("mod", String),
    Column("anchor", String),  # the date a relative value was resolved against
    Column("age", Integer),  # 1 for a duration stating someone's age
    Column("range_end", String),
    Index("ix_times_document_id", "document_id"),
    Index("ix_times_value", "value"),
)

places = Table(
    "places",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    _document_id(),
    Column("text", Text, nullable=False),
    Column("span_start", Integer),
    Column("span_end", Integer),
    Column("name", Text),
    Column("feature", String),
    Column("geonameid", Integer),
    Column("country", String(3)),
    Column("admin1", Text),
    Column("lat", Float),
    Column("lon", Float),
    Column("confidence", Float),
    Column("use", String),
    Column("kind", String),
    Index("ix_places_document_id", "document_id"),
    Index("ix_places_geonameid", "geonameid"),
)

entities = Table(
    "entities",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    _document_id(),
    Column("text", Text, nullable=False),
    Column("label", String, nullable=False),
    Column("span_start", Integer),
    Column("span_end", Integer),
    Column("country", String),
    Column("sector", String),
    Column("name", Text),
    Index("ix_entities_document_id", "document_id"),
)

errors = Table(
    "errors",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("origin", Text, nullable=False),
    Column("reason", String, nullable=False),
    Column("detail", Text),
    Column("article_id", String),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("resolved_at", DateTime(timezone=True)),  # set by retry-failed; rows are kept
    Index("ix_errors_reason", "reason"),
)


# -- corpus: near-duplicate articles and canonical events (tidings.corpus) ---------------
# Derived data that ``rebuild_canonical`` can always recompute: no foreign keys to
# ``events``/``documents``, so the store deletes documents without knowing about them.

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

CORPUS_TABLES = (minhash_signatures, article_duplicates, canonical_events, canonical_links)

# -- feeds: what ``tidings watch`` has already seen (tidings.ingest.state) ---------------

feed_entries = Table(
    "feed_entries",
    metadata,
    # hashes keep the key short whatever the feed uses as ids (often long URLs)
    Column("feed_hash", String(40), primary_key=True),
    Column("entry_hash", String(40), primary_key=True),
    Column("feed", Text, nullable=False),
    Column("entry", Text, nullable=False),
    Column("seen_at", DateTime(timezone=True), nullable=False),
)
