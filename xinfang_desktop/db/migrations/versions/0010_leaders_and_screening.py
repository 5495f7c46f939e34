"""领导包案 and 验证: two tables beside the matters

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-01

`leader_charges` holds a matter's 领导包案 (one a matter: a later leader takes the row
over, the timeline keeps who had it before); `verifications` every 验证 after 办结
(属实, or 未落实 with its reason). New tables only: no existing table is rebuilt, so the
tally-cache triggers of 0007 stay in place and every row stays as it was.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "leader_charges",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("matter_id", sa.Integer(), sa.ForeignKey("matters.id", name="fk_leader_charges_matter_id_matters"),
                  nullable=False),
        sa.Column("leader", sa.String(length=32), nullable=False),
        sa.Column("post", sa.String(length=32), nullable=False),
        sa.Column("measures", sa.Text(), nullable=False),
        sa.Column("resolve_by", sa.Date(), nullable=False),
        sa.Column("assigned_on", sa.Date(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_leader_charges"),
        sa.UniqueConstraint("matter_id", name="uq_leader_charges_matter_id"),
    )
    op.create_index("ix_leader_charges_assigned_on", "leader_charges", ["assigned_on"])
    op.create_table(
        "verifications",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("matter_id", sa.Integer(), sa.ForeignKey("matters.id", name="fk_verifications_matter_id_matters"),
                  nullable=False),
        sa.Column("checked_on", sa.Date(), nullable=False),
        sa.Column("checker", sa.String(length=32), nullable=False),
        sa.Column("method", sa.Text(), nullable=False),
        sa.Column("result", sa.String(length=16), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_verifications"),
    )
    op.create_index("ix_verifications_matter_id", "verifications", ["matter_id"])
    op.create_index("ix_verifications_checked_on", "verifications", ["checked_on"])


def downgrade() -> None:
    op.drop_table("verifications")
    op.drop_table("leader_charges")
