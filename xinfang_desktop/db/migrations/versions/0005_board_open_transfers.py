"""a partial covering index of the transfers still owing a report, for the 督办 board

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-22

The board opens at every start-up and needs every open 交办 transfer (tens of thousands
at a million matters). Read through `ix_transfers_state_due` each row is a lookup in the
transfers table (about 100 ms at a million); this index holds only the open 交办 transfers
and every column the board reads, so SQLite answers from the index alone.
The query must repeat the WHERE terms literally for SQLite to use a partial index.
"""

from __future__ import annotations

from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

OPEN_WHERE = "kind = '交办' AND state IN ('待反馈', '退回补办')"


def upgrade() -> None:
    op.execute(
        "CREATE INDEX IF NOT EXISTS ix_transfers_open ON transfers (matter_id, due_on, unit_id, reminders, state, kind)"
        f" WHERE {OPEN_WHERE}"
    )


def downgrade() -> None:
    op.execute("DROP INDEX IF EXISTS ix_transfers_open")
