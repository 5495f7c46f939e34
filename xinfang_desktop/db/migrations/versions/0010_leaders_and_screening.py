"""the leaders' part and the monthly screening: 包案, 验证, 约访/下访, 接访日, 矛盾纠纷排查

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-01

`leader_charges` holds a matter's 领导包案 (one a matter: a later leader takes the row
over, the timeline keeps who had it before); `verifications` every 验证 after 办结
(属实, or 未落实 with its reason); `leader_meetings` each 领导约访 and 下访 (on a matter or
on its own); `reception_days` the 领导接访日 roster; `disputes` the disputes each 村
reports in the monthly 矛盾纠纷排查 (linked to the matter one became) and `zero_reports`
the 村 that found none. New tables only: no existing table is rebuilt, so the
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
    op.create_table(
        "leader_meetings",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("held_on", sa.Date(), nullable=False),
        sa.Column("leader", sa.String(length=32), nullable=False),
        sa.Column("post", sa.String(length=32), nullable=False),
        sa.Column("place", sa.String(length=100), nullable=False),
        sa.Column("matter_id", sa.Integer(), sa.ForeignKey("matters.id", name="fk_leader_meetings_matter_id_matters"),
                  nullable=True),
        sa.Column("batches", sa.Integer(), nullable=False),
        sa.Column("persons", sa.Integer(), nullable=False),
        sa.Column("people", sa.Text(), nullable=False),
        sa.Column("talk", sa.Text(), nullable=False),
        sa.Column("agreed", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_leader_meetings"),
    )
    op.create_index("ix_leader_meetings_held_on", "leader_meetings", ["held_on"])
    op.create_index("ix_leader_meetings_matter_id", "leader_meetings", ["matter_id"])
    op.create_table(
        "reception_days",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("leader", sa.String(length=32), nullable=False),
        sa.Column("post", sa.String(length=32), nullable=False),
        sa.Column("place", sa.String(length=100), nullable=False),
        sa.Column("hours", sa.String(length=32), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_reception_days"),
        sa.UniqueConstraint("day", "leader", name="uq_reception_days_day"),
    )
    op.create_index("ix_reception_days_day", "reception_days", ["day"])
    op.create_table(
        "disputes",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("found_on", sa.Date(), nullable=False),
        sa.Column("village", sa.String(length=64), nullable=False),
        sa.Column("parties", sa.Text(), nullable=False),
        sa.Column("category_id", sa.Integer(), sa.ForeignKey("categories.id", name="fk_disputes_category_id_categories"),
                  nullable=True),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("risk", sa.String(length=16), nullable=False),
        sa.Column("responsible", sa.String(length=32), nullable=False),
        sa.Column("resolve_by", sa.Date(), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("petitioned", sa.Boolean(), nullable=False),
        sa.Column("matter_id", sa.Integer(), sa.ForeignKey("matters.id", name="fk_disputes_matter_id_matters"),
                  nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_disputes"),
    )
    op.create_index("ix_disputes_found_on", "disputes", ["found_on"])
    op.create_index("ix_disputes_village", "disputes", ["village"])
    op.create_index("ix_disputes_matter_id", "disputes", ["matter_id"])
    op.create_table(
        "zero_reports",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("month", sa.String(length=7), nullable=False),
        sa.Column("village", sa.String(length=64), nullable=False),
        sa.Column("reported_on", sa.Date(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_zero_reports"),
        sa.UniqueConstraint("month", "village", name="uq_zero_reports_month"),
    )


def downgrade() -> None:
    for table in ("zero_reports", "disputes", "reception_days", "leader_meetings"):
        op.drop_table(table)
    op.drop_table("verifications")
    op.drop_table("leader_charges")
