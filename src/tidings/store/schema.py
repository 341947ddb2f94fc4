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
    Column(
        "document_id",
        String,
        ForeignKey("documents.id", ondelete="CASCADE"),
        nullable=False,
    ),
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
    Column(
        "document_id",
        String,
        ForeignKey("documents.id", ondelete="CASCADE"),
        nullable=False,
    ),
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
    Column(
        "document_id",
        String,
        ForeignKey("documents.id", ondelete="CASCADE"),
        nullable=False,
    ),
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
    Column(
        "document_id",
        String,
        ForeignKey("documents.id", ondelete="CASCADE"),
        nullable=False,
    ),
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
    Column(
        "document_id",
        String,
        ForeignKey("documents.id", ondelete="CASCADE"),
        nullable=False,
    ),
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
    Column(
        "document_id",
        String,
        ForeignKey("documents.id", ondelete="CASCADE"),
        nullable=False,
    ),
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
