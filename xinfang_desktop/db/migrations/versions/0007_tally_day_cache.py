"""a per-day cache of the tally's as-of-independent figures, dropped day by day by triggers

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-22

`tally_days` holds, for each 登记日期 whose figures are cached, that day's rows of the
tally's day-grouped queries (services.statistics): one JSON column per part (matters per
信访形式, transfers, 承办单位, 问题分类, 发生地). A row exists only while its day is complete:
every write that can change a figure of a day deletes that day's row, in the writing
transaction, through the triggers below; the tally refills missing days on its next run.
One row per day (not one row per day and part) keeps each trigger to a single DELETE by
primary key, and makes "complete" and "cached" the same fact. `version` is the layout the
program wrote; a row of another layout counts as missing.

The triggers watch exactly the columns the tally reads (matters: the 20 columns of
ix_matters_tally; transfers: matter_id, unit_id, kind, state, reminders, due_on, sent_on;
feedback: transfer_id, accepted, received_on; instructions: matter_id). Units and
categories are looked up by id when the tally is read, so renaming one needs no
invalidation. A tally that starts reading another column must add it here.

The table starts empty (filled lazily by the tally): a million-matter database migrates
in no time.

A future migration that rebuilds matters, transfers, feedback or instructions (an alembic
batch copy-and-move) drops their triggers with the old table: it must recreate the
triggers of this file (`TRIGGERS`) afterwards, or the cache would go stale silently.

`ix_matters_place` (0006) is dropped: the 问题分类/发生地 counts are now counted per day over
ix_matters_tally, and an index nobody reads only slows every write of a matter.

No index is added: the parts computed live at every tally (办理中 past its due date, and
open 交办 transfers past theirs, at the as-of date) seek ix_matters_status_received and
ix_transfers_state_due (a few thousand rows at a million matters, 3 and 23 ms).
"""

from __future__ import annotations

from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

MATTER_COLUMNS = (
    "received_on, channel, status, purpose, source, skip_level, decision, satisfaction, collective, joint,"
    " anonymous, repeat, key_supervision, settled, receiving_leader, persons, due_on, closed_on, category_id, place"
)
TRANSFER_COLUMNS = "matter_id, unit_id, kind, state, reminders, due_on, sent_on"
FEEDBACK_COLUMNS = "transfer_id, accepted, received_on"

_DAY_OF_MATTER = "(SELECT received_on FROM matters WHERE id = {m})"
_DAYS_OF_MATTERS = "(SELECT received_on FROM matters WHERE id IN ({a}, {b}))"
_DAY_OF_TRANSFER = ("(SELECT m.received_on FROM transfers t JOIN matters m ON m.id = t.matter_id"
                    " WHERE t.id = {t})")
_DAYS_OF_TRANSFERS = ("(SELECT m.received_on FROM transfers t JOIN matters m ON m.id = t.matter_id"
                      " WHERE t.id IN ({a}, {b}))")


def _trigger(name: str, when: str, table: str, where: str) -> str:
    return f"CREATE TRIGGER {name} AFTER {when} ON {table} BEGIN DELETE FROM tally_days WHERE {where}; END"


TRIGGERS = {
    "tally_matters_ai": _trigger("tally_matters_ai", "INSERT", "matters", "day = NEW.received_on"),
    "tally_matters_au": _trigger("tally_matters_au", f"UPDATE OF {MATTER_COLUMNS}", "matters",
                                 "day IN (OLD.received_on, NEW.received_on)"),
    "tally_matters_ad": _trigger("tally_matters_ad", "DELETE", "matters", "day = OLD.received_on"),
    "tally_transfers_ai": _trigger("tally_transfers_ai", "INSERT", "transfers",
                                   "day = " + _DAY_OF_MATTER.format(m="NEW.matter_id")),
    "tally_transfers_au": _trigger("tally_transfers_au", f"UPDATE OF {TRANSFER_COLUMNS}", "transfers",
                                   "day IN " + _DAYS_OF_MATTERS.format(a="OLD.matter_id", b="NEW.matter_id")),
    "tally_transfers_ad": _trigger("tally_transfers_ad", "DELETE", "transfers",
                                   "day = " + _DAY_OF_MATTER.format(m="OLD.matter_id")),
    "tally_feedback_ai": _trigger("tally_feedback_ai", "INSERT", "feedback",
                                  "day = " + _DAY_OF_TRANSFER.format(t="NEW.transfer_id")),
    "tally_feedback_au": _trigger("tally_feedback_au", f"UPDATE OF {FEEDBACK_COLUMNS}", "feedback",
                                  "day IN " + _DAYS_OF_TRANSFERS.format(a="OLD.transfer_id", b="NEW.transfer_id")),
    "tally_feedback_ad": _trigger("tally_feedback_ad", "DELETE", "feedback",
                                  "day = " + _DAY_OF_TRANSFER.format(t="OLD.transfer_id")),
    "tally_instructions_ai": _trigger("tally_instructions_ai", "INSERT", "instructions",
                                      "day = " + _DAY_OF_MATTER.format(m="NEW.matter_id")),
    "tally_instructions_au": _trigger("tally_instructions_au", "UPDATE OF matter_id", "instructions",
                                      "day IN " + _DAYS_OF_MATTERS.format(a="OLD.matter_id", b="NEW.matter_id")),
    "tally_instructions_ad": _trigger("tally_instructions_ad", "DELETE", "instructions",
                                      "day = " + _DAY_OF_MATTER.format(m="OLD.matter_id")),
}


# PostgreSQL: one plpgsql function per way of finding the day (the row's own, its matter's, its
# transfer's matter's), run by triggers of the same names and columns as SQLite's
_PG_FUNCTIONS = {
    "tally_by_matter_row": "received_on",
    "tally_by_matter_id": "(SELECT received_on FROM matters WHERE id = {row}.matter_id)",
    "tally_by_transfer_id": ("(SELECT m.received_on FROM transfers t JOIN matters m ON m.id = t.matter_id"
                             " WHERE t.id = {row}.transfer_id)"),
}


def _pg_function(name: str, day: str) -> str:
    new_day = day.format(row="NEW") if "{" in day else f"NEW.{day}"
    old_day = day.format(row="OLD") if "{" in day else f"OLD.{day}"
    return (f"CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN"
            f" IF TG_OP <> 'INSERT' THEN DELETE FROM tally_days WHERE day = {old_day}; END IF;"
            f" IF TG_OP <> 'DELETE' THEN DELETE FROM tally_days WHERE day = {new_day}; END IF;"
            " RETURN NULL; END $$")


_PG_WATCH = {
    "matters": ("tally_by_matter_row", MATTER_COLUMNS),
    "transfers": ("tally_by_matter_id", TRANSFER_COLUMNS),
    "feedback": ("tally_by_transfer_id", FEEDBACK_COLUMNS),
    "instructions": ("tally_by_matter_id", "matter_id"),
}


def _pg_statements() -> list[str]:
    statements = [_pg_function(name, day) for name, day in _PG_FUNCTIONS.items()]
    for table, (function, columns) in _PG_WATCH.items():
        for suffix, when in (("ai", "INSERT"), ("au", f"UPDATE OF {columns}"), ("ad", "DELETE")):
            statements.append(f"CREATE TRIGGER tally_{table}_{suffix} AFTER {when} ON {table}"
                              f" FOR EACH ROW EXECUTE FUNCTION {function}()")
    return statements


def upgrade() -> None:
    op.execute(
        "CREATE TABLE tally_days (day DATE NOT NULL PRIMARY KEY, version INTEGER NOT NULL,"
        " matters TEXT NOT NULL, transfers TEXT NOT NULL, units TEXT NOT NULL, categories TEXT NOT NULL,"
        " places TEXT NOT NULL)"
    )
    on_server = op.get_context().dialect.name == "postgresql"
    for statement in _pg_statements() if on_server else TRIGGERS.values():
        op.execute(statement)
    op.execute("DROP INDEX IF EXISTS ix_matters_place")


def downgrade() -> None:
    op.execute("CREATE INDEX IF NOT EXISTS ix_matters_place ON matters (category_id, place, received_on, status)")
    if op.get_context().dialect.name == "postgresql":
        for name in _PG_FUNCTIONS:
            op.execute(f"DROP FUNCTION IF EXISTS {name}() CASCADE")  # CASCADE: its triggers with it
    else:
        for name in TRIGGERS:
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
    op.execute("DROP TABLE IF EXISTS tally_days")
