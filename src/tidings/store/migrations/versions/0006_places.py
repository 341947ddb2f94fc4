"""places: every toponym of a stored document, resolved against GeoNames.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-03
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "places",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("document_id", sa.String,
                  sa.ForeignKey("documents.id", ondelete="CASCADE"), nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("span_start", sa.Integer),
        sa.Column("span_end", sa.Integer),
        sa.Column("name", sa.Text),
        sa.Column("feature", sa.String),
        sa.Column("geonameid", sa.Integer),
        sa.Column("country", sa.String(3)),
        sa.Column("admin1", sa.Text),
        sa.Column("lat", sa.Float),
        sa.Column("lon", sa.Float),
        sa.Column("confidence", sa.Float),
        sa.Column("use", sa.String),
        sa.Column("kind", sa.String),
    )
    op.create_index("ix_places_document_id", "places", ["document_id"])
    op.create_index("ix_places_geonameid", "places", ["geonameid"])


def downgrade() -> None:
    op.drop_index("ix_places_geonameid", table_name="places")
    op.drop_index("ix_places_document_id", table_name="places")
    op.drop_table("places")
