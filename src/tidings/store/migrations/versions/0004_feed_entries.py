"""feed_entries: which feed entries `tidings watch` has already stored.

Defined in ``tidings.store.schema``; created here where missing (a store that ran
``tidings watch`` before this revision already has it).

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-28
"""

from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    from tidings.store.schema import feed_entries

    feed_entries.create(op.get_bind(), checkfirst=True)


def downgrade() -> None:
    from tidings.store.schema import feed_entries

    feed_entries.drop(op.get_bind(), checkfirst=True)
