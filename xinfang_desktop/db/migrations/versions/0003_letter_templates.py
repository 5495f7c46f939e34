"""the clerk's letter templates; the yearly document sequence indexed and unique

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-22
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "templates",
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("kind", name=op.f("pk_templates")),
    )
    op.create_index("ix_documents_year_seq", "documents", ["year", "seq"], unique=True)


def downgrade() -> None:
    op.drop_index("ix_documents_year_seq", table_name="documents")
    op.drop_table("templates")
