"""Initial schema: documents, events, entities, quotes, quantities and errors.

A frozen copy of ``tidings/store/schema.py`` as it stood when migrations were introduced;
never edit it, add a revision instead.

Revision ID: 0001
Revises:
Create Date: 2025-06-02
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

Text, Str, Int, Float = sa.Text, sa.String, sa.Integer, sa.Float


def _col(name: str, type_: type, nullable: bool = True) -> sa.Column:
    return sa.Column(name, type_(), nullable=nullable)


def _actor(role: str, with_span: bool = True) -> list[sa.Column]:
    cols = [_col(f"{role}_text", Text), _col(f"{role}_name", Text),
            _col(f"{role}_country", Str), _col(f"{role}_sector", Str)]
    if with_span:
        cols += [_col(f"{role}_start", Int), _col(f"{role}_end", Int)]
    return cols


def _child(table: str, *cols: sa.Column, id_type: type = Int) -> None:
    """A table hanging off documents: integer id, document_id with cascade delete."""
    op.create_table(
        table,
        _col("id", id_type, nullable=False),
        _col("document_id", Str, nullable=False),
        *cols,
        sa.ForeignKeyConstraint(["document_id"], ["documents.id"], ondelete="CASCADE",
                                name=f"fk_{table}_document_id_documents"),
        sa.PrimaryKeyConstraint("id", name=f"pk_{table}"),
    )
    op.create_index(f"ix_{table}_document_id", table, ["document_id"])


def upgrade() -> None:
    op.create_table(
        "documents",
        _col("id", Str, nullable=False),
        sa.Column("content_hash", sa.String(64), nullable=False),
        _col("title", Text),
        _col("text", Text, nullable=False),
        _col("published", Str),
        _col("source", Text),
        _col("url", Text),
        _col("origin", Text),
        _col("n_events", Int, nullable=False),
        sa.Column("coded_at", sa.DateTime(timezone=True)),
        _col("pipeline_version", Str),
        sa.PrimaryKeyConstraint("id", name="pk_documents"),
        sa.UniqueConstraint("content_hash", name="uq_documents_content_hash"),
    )
    _child(
        "events",
        _col("event_type", Str, nullable=False),
        _col("mode", Str), _col("context", Str), _col("cameo", Str),
        _col("quad_class", Int), _col("goldstein", Float),
        *_actor("source"), *_actor("target"),
        _col("modality", Str),
        *_actor("reporter", with_span=False),
        _col("sentence", Text), _col("span_start", Int), _col("span_end", Int),
        _col("trigger", Text), _col("trigger_start", Int), _col("trigger_end", Int),
        _col("confidence", Float),
        _col("date", Str), _col("date_precision", Str), _col("date_text", Text),
        _col("place_name", Text), _col("place_country", Str), _col("place_admin1", Str),
        _col("place_lat", Float), _col("place_lon", Float), _col("place_geonameid", Int),
        _col("place_feature", Str), _col("place_text", Text),
        _col("place_start", Int), _col("place_end", Int),
        _col("acled_event_type", Str), _col("acled_sub_event_type", Str),
        _col("killed", Int), _col("injured", Int),
        _col("extra", Text),
        id_type=Str,
    )
    for column in ("event_type", "source_country", "target_country", "date", "place_country"):
        op.create_index(f"ix_events_{column}", "events", [column])
    _child(
        "quotes",
        _col("text", Text, nullable=False),
        _col("span_start", Int), _col("span_end", Int),
        _col("speaker", Text),
        *_actor("speaker_actor", with_span=False),
        _col("kind", Str),
    )
    op.create_index("ix_quotes_speaker", "quotes", ["speaker"])
    _child(
        "quantities",
        _col("text", Text, nullable=False),
        _col("value", Float), _col("unit", Str), _col("counts", Text),
        _col("span_start", Int), _col("span_end", Int),
    )
    _child(
        "entities",
        _col("text", Text, nullable=False),
        _col("label", Str, nullable=False),
        _col("span_start", Int), _col("span_end", Int),
        _col("country", Str), _col("sector", Str), _col("name", Text),
    )
    op.create_table(
        "errors",
        sa.Column("id", sa.Integer(), nullable=False, autoincrement=True),
        _col("origin", Text, nullable=False),
        _col("reason", Str, nullable=False),
        _col("detail", Text),
        _col("article_id", Str),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_errors"),
    )
    op.create_index("ix_errors_reason", "errors", ["reason"])


def downgrade() -> None:
    for table in ("errors", "entities", "quantities", "quotes", "events", "documents"):
        op.drop_table(table)  # indexes go with their table
