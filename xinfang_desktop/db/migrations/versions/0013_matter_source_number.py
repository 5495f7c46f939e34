"""the number a matter had in the ledger or system it was imported from

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-02

`matters.source_number` is the number another system gave the matter (the 信访件编号 of a
provincial 信访信息系统 export, the 受理编号 of a 纪检 ledger, an older ledger's own 编号):
a later import of the same export knows the matter by it, whatever else its row now says,
and adds nothing. NULL for a matter registered here. A plain ADD COLUMN and an index: no
table is rebuilt, so the tally-cache triggers of 0007 stay in place.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("matters", sa.Column("source_number", sa.String(length=64), nullable=True))
    op.create_index("ix_matters_source_number", "matters", ["source_number"])


def downgrade() -> None:
    op.drop_index("ix_matters_source_number", table_name="matters")
    op.drop_column("matters", "source_number")
