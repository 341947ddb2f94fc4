"""times: every temporal expression of a document, as TIMEX3 (issue 13).

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-03
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "times",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("document_id", sa.String(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("span_start", sa.Integer()),
        sa.Column("span_end", sa.Integer()),
        sa.Column("type", sa.String()),
        sa.Column("value", sa.String()),
        sa.Column("mod", sa.String()),
        sa.Column("anchor", sa.String()),
        sa.Column("age", sa.Integer()),
        sa.Column("range_end", sa.String()),
        sa.ForeignKeyConstraint(["document_id"], ["documents.id"], ondelete="CASCADE",
                                name=op.f("fk_times_document_id_documents")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_times")),
    )
    op.create_index("ix_times_document_id", "times", ["document_id"])
    op.create_index("ix_times_value", "times", ["value"])


def downgrade() -> None:
    op.drop_index("ix_times_value", table_name="times")
    op.drop_index("ix_times_document_id", table_name="times")
    op.drop_table("times")
