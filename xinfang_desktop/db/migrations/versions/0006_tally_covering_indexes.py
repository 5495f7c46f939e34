"""covering indexes for the year-end tally: the matters' figure columns, transfers, accepted reports

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-22

A matter row carries its texts (内容, 诉求, 答复…), so reading a year of them for the tally
walks most of the table. `ix_matters_tally` holds, in 登记日期 order, exactly the columns the
figures depend on (channel right after the date, so grouping by day and 信访形式 needs no
sort), so the tally reads the index alone. The transfers and feedback indexes let the
per-period transfer figures and the 承办单位 table answer from indexes as well;
`ix_matters_place` gives the 问题分类/发生地 counts in group order.
"""

from __future__ import annotations

from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

INDEXES = {
    "ix_matters_tally": (
        "matters (received_on, channel, status, purpose, source, skip_level, decision, satisfaction,"
        " collective, joint, anonymous, repeat, key_supervision, settled, receiving_leader, persons,"
        " due_on, closed_on, category_id, place)"
    ),
    "ix_transfers_tally": "transfers (matter_id, kind, state, reminders, unit_id, due_on, sent_on)",
    "ix_feedback_tally": "feedback (transfer_id, accepted, received_on)",
    # 问题分类 and 发生地 counts: walking this index in (category, place) order groups without
    # a sort; over a year that beats seeking the year's range and sorting it (0.5 s -> 0.17 s)
    "ix_matters_place": "matters (category_id, place, received_on, status)",
}


def upgrade() -> None:
    for name, columns in INDEXES.items():
        op.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {columns}")


def downgrade() -> None:
    for name in INDEXES:
        op.execute(f"DROP INDEX IF EXISTS {name}")
