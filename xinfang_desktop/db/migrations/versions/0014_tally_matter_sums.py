"""a matter's transfer sums and 领导批示 flag on the matter, kept by triggers, in ix_matters_tally

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-02

A tally with an empty day cache spent about a third of its time probing, for each of a
year's matters and the year before's, the transfers index (交办 count, answered count, 催办
times) and the instructions index (领导阅批). Those four figures are now columns of
`matters`, kept by triggers on transfers and instructions in the writing statement (every
writer alike: a clerk's action, the ledger import, the demo, a copy to a server, a repair
in SQL), and `ix_matters_tally` holds them, so the per-day matter pass reads one index
range and nothing else:

- assigned_transfers: the matter's 交办 transfers (any role);
- answered_transfers: those no longer 待反馈;
- reminder_times: 催办 times over all its transfers;
- leader_reviewed: it has at least one 领导批示.

A trigger recounts the matter's own few rows instead of adding and subtracting, so any
insert, update or delete (a transfer moved to another matter too) leaves the columns equal
to a count made afresh. They are not part of MatterState: no rule reads them and no service
writes them. The day cache's trigger on matters (0007) need not watch them: they change only
with a transfer or a 批示, whose own cache triggers drop the day in the same statement.

A plain ADD COLUMN, so no table is rebuilt and the triggers of 0007 stay. A future
migration that rebuilds matters, transfers or instructions must recreate `TRIGGERS` (and
0007's) afterwards. The day cache is kept: no figure changes.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None

_OF_MATTER = "FROM transfers t WHERE t.matter_id = matters.id"
TRANSFER_SUMS = (
    f"assigned_transfers = (SELECT count(*) {_OF_MATTER} AND t.kind = '交办'),"
    f" answered_transfers = (SELECT count(*) {_OF_MATTER} AND t.kind = '交办' AND t.state <> '待反馈'),"
    f" reminder_times = (SELECT coalesce(sum(t.reminders), 0) {_OF_MATTER})"
)
REVIEWED = "leader_reviewed = EXISTS (SELECT 1 FROM instructions i WHERE i.matter_id = matters.id)"
# what a trigger on each table watches and sets
_WATCH = {
    "transfers": ("matter_id, kind, state, reminders", TRANSFER_SUMS),
    "instructions": ("matter_id", REVIEWED),
}

_SQLITE_WHEN = {"ai": ("INSERT", "id = NEW.matter_id"), "ad": ("DELETE", "id = OLD.matter_id")}


def _sqlite_triggers() -> dict[str, str]:
    triggers = {}
    for table, (columns, sums) in _WATCH.items():
        whens = {**_SQLITE_WHEN, "au": (f"UPDATE OF {columns}", "id IN (OLD.matter_id, NEW.matter_id)")}
        for suffix, (when, where) in whens.items():
            name = f"sums_{table}_{suffix}"
            triggers[name] = f"CREATE TRIGGER {name} AFTER {when} ON {table} BEGIN UPDATE matters SET {sums} WHERE {where}; END"
    return triggers


TRIGGERS = _sqlite_triggers()


def _pg_statements() -> list[str]:
    # SECURITY DEFINER: the sums are written with the migrating owner's rights, so a leader's login,
    # which may add a 批示 but not write matters (db/server_setup.py), still keeps leader_reviewed right
    statements = []
    for table, (columns, sums) in _WATCH.items():
        statements.append(
            f"CREATE FUNCTION sums_of_{table}() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER"
            " SET search_path FROM CURRENT AS $$ BEGIN"
            f" IF TG_OP <> 'INSERT' THEN UPDATE matters SET {sums} WHERE id = OLD.matter_id; END IF;"
            f" IF TG_OP <> 'DELETE' THEN UPDATE matters SET {sums} WHERE id = NEW.matter_id; END IF;"
            " RETURN NULL; END $$")
        for suffix, when in (("ai", "INSERT"), ("au", f"UPDATE OF {columns}"), ("ad", "DELETE")):
            statements.append(f"CREATE TRIGGER sums_{table}_{suffix} AFTER {when} ON {table}"
                              f" FOR EACH ROW EXECUTE FUNCTION sums_of_{table}()")
    return statements


# 0006's columns in their order (channel after the date: grouping by day and 信访形式 needs no
# sort), then the four sums
TALLY_INDEX = (
    "matters (received_on, channel, status, purpose, source, skip_level, decision, satisfaction,"
    " collective, joint, anonymous, repeat, key_supervision, settled, receiving_leader, persons,"
    " due_on, closed_on, category_id, place, assigned_transfers, answered_transfers, reminder_times,"
    " leader_reviewed)"
)
_OLD_TALLY_INDEX = (
    "matters (received_on, channel, status, purpose, source, skip_level, decision, satisfaction,"
    " collective, joint, anonymous, repeat, key_supervision, settled, receiving_leader, persons,"
    " due_on, closed_on, category_id, place)"
)


def upgrade() -> None:
    for name in ("assigned_transfers", "answered_transfers", "reminder_times"):
        op.add_column("matters", sa.Column(name, sa.Integer(), nullable=False, server_default="0"))
    op.add_column("matters", sa.Column("leader_reviewed", sa.Boolean(), nullable=False, server_default=sa.false()))
    # only the matters that have a transfer or a 批示: the rest keep their defaults
    op.execute(f"UPDATE matters SET {TRANSFER_SUMS} WHERE id IN (SELECT matter_id FROM transfers)")
    op.execute(f"UPDATE matters SET {REVIEWED} WHERE id IN (SELECT matter_id FROM instructions)")
    on_server = op.get_context().dialect.name == "postgresql"
    for statement in _pg_statements() if on_server else TRIGGERS.values():
        op.execute(statement)
    op.execute("DROP INDEX IF EXISTS ix_matters_tally")
    op.execute(f"CREATE INDEX ix_matters_tally ON {TALLY_INDEX}")


def downgrade() -> None:
    if op.get_context().dialect.name == "postgresql":
        for table in _WATCH:
            op.execute(f"DROP FUNCTION IF EXISTS sums_of_{table}() CASCADE")
    else:
        for name in TRIGGERS:
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
    op.execute("DROP INDEX IF EXISTS ix_matters_tally")
    op.execute(f"CREATE INDEX ix_matters_tally ON {_OLD_TALLY_INDEX}")
    for name in ("leader_reviewed", "reminder_times", "answered_transfers", "assigned_transfers"):
        op.drop_column("matters", name)
