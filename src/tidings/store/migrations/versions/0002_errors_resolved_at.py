"""errors.resolved_at: `tidings retry-failed` marks a failure fixed instead of deleting it.

Revision ID: 0002
Revises: 0001
Create Date: 2025-06-03
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("errors", sa.Column("resolved_at", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("errors") as batch:  # SQLite copies the table to drop a column
        batch.drop_column("resolved_at")
