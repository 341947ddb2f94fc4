"""Corpus tables: MinHash signatures, near-duplicate articles, canonical events and links.

The tables are defined in ``tidings.store.schema`` (``CORPUS_TABLES``); this revision
creates them where they are missing (a store that ran ``tidings cluster`` before this
revision already has them).

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-28
"""

from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    from tidings.store import schema

    schema.metadata.create_all(op.get_bind(), tables=list(schema.CORPUS_TABLES),
                               checkfirst=True)


def downgrade() -> None:
    from tidings.store import schema

    schema.metadata.drop_all(op.get_bind(), tables=list(schema.CORPUS_TABLES), checkfirst=True)
