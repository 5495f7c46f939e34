"""ledger import profiles: a confirmed column mapping for one set of 台账 headers

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-02

`ledger_profiles` keeps, by the normalised headers of a sheet, the column mapping the clerk
confirmed when importing it (columns named by hand, guesses accepted), so that next year's
export of the same system imports with the same mapping. A new table only.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "ledger_profiles",
        sa.Column("layout", sa.Text(), nullable=False),
        sa.Column("mapping", sa.JSON(), nullable=False),
        sa.Column("source", sa.String(length=255), nullable=False),
        sa.Column("saved_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("layout", name="pk_ledger_profiles"),
    )


def downgrade() -> None:
    op.drop_table("ledger_profiles")
