"""matters.version: the number of the matter's last change, so that a clerk's save over another's is refused

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-02

Every step applied to a matter (services.cases.apply) counts it up by one. A form opened on
version n saves only if the matter is still at n: two clerks editing the same matter on a
server, the later save is refused ("该事项已被…修改，请刷新后再改") instead of writing over
the earlier one. A plain ADD COLUMN with a default: no table is rebuilt, the triggers of
0002, 0004 and 0007 stay in place, and every matter already stored starts at 1.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("matters", sa.Column("version", sa.Integer(), nullable=False, server_default="1"))


def downgrade() -> None:
    op.drop_column("matters", "version")
