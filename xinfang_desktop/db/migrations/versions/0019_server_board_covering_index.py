"""the board's keys from indexes alone on a server: ix_matters_status_due carries id and notice_due, ix_transfers_open id (PostgreSQL)

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-02

The 督办 board reads every matter in hand (办理中: 33,000 of a million) and every one awaiting a
decision (待处理: 6,600) through this index, for their id, due_on and notice_due. An SQLite index
entry ends in the rowid, which is the matter's id: the index answers alone. A PostgreSQL entry
points at the table row, and the board fetched every one of those rows for its id (the open
transfers' matters probed one by one in pk_matters). INCLUDE (id, notice_due) makes them index-only
scans (the visibility map kept by autovacuum): at a million matters the board's three queries read
4,245 / 49 / 16,490 buffers instead of 115,540 / 1,026 / 40,170, in 161 / 15 / 103 ms instead of
250 / 37 / 294 (EXPLAIN ANALYZE at load 4.9-5.2 on 2 cores). The open 交办 transfers' partial
index (0005) likewise gains their id, which SQLite's has as the rowid: 1,870 buffers instead of
4,245 for the 28,237 open transfers. SQLite gets nothing here.
"""

from __future__ import annotations

from alembic import op

revision = "0019"
down_revision = "0018"
branch_labels = None
depends_on = None

# as migration 0005 made it
_OPEN_COLUMNS = "(matter_id, due_on, unit_id, reminders, state, kind)"
_OPEN_WHERE = "WHERE kind = '交办' AND state IN ('待反馈', '退回补办')"


def upgrade() -> None:
    if op.get_context().dialect.name != "postgresql":
        return
    op.execute("DROP INDEX ix_matters_status_due")
    op.execute("CREATE INDEX ix_matters_status_due ON matters (status, due_on) INCLUDE (id, notice_due)")
    op.execute("DROP INDEX ix_transfers_open")
    op.execute(f"CREATE INDEX ix_transfers_open ON transfers {_OPEN_COLUMNS} INCLUDE (id) {_OPEN_WHERE}")


def downgrade() -> None:
    if op.get_context().dialect.name != "postgresql":
        return
    op.execute("DROP INDEX ix_matters_status_due")
    op.execute("CREATE INDEX ix_matters_status_due ON matters (status, due_on)")
    op.execute("DROP INDEX ix_transfers_open")
    op.execute(f"CREATE INDEX ix_transfers_open ON transfers {_OPEN_COLUMNS} {_OPEN_WHERE}")
