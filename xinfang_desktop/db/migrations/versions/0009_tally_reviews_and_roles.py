"""the tally counts 复查/复核 apart and a unit's 协办 apart: a partial index of the reviews, the role in ix_transfers_tally

A 复查 or 复核 is a matter with a parent; the tally subtracts them from every matter figure
and counts them in their own rows, reading them through `ix_matters_reviews` (a few rows, not
the year's). A unit's figures count only its transfers as 主办, so `ix_transfers_tally` gains
the role and still answers the 承办单位 table alone. Cached tally days of the old layout are
recounted (the cache's layout version changes with this release).

Revision ID: 0009
Revises: 0008
"""

from __future__ import annotations

from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("CREATE INDEX IF NOT EXISTS ix_matters_reviews ON matters (received_on, channel) "
               "WHERE parent_id IS NOT NULL")
    op.execute("DROP INDEX IF EXISTS ix_transfers_tally")
    op.execute("CREATE INDEX ix_transfers_tally ON transfers "
               "(matter_id, kind, state, reminders, unit_id, due_on, sent_on, role)")
    op.execute("DELETE FROM tally_days")


def downgrade() -> None:
    op.execute("DROP INDEX IF EXISTS ix_matters_reviews")
    op.execute("DROP INDEX IF EXISTS ix_transfers_tally")
    op.execute("CREATE INDEX ix_transfers_tally ON transfers (matter_id, kind, state, reminders, unit_id, due_on, sent_on)")
