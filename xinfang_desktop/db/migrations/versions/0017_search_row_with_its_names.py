"""a matter's search row written once, with the names of the links already there

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-02

The search row of a matter (0002) was inserted with its names empty and rewritten by the link
trigger for each of its petitioners; FTS5 re-indexes the whole row (title, content, names) each
time (0.06-0.08 ms of CPU a link, 0.3 ms on a loaded machine), a quarter of the triggers' cost in a
ledger import. Now the matter's insert trigger takes the names of the links already stored, and
the bulk writer (services/bulk.py) writes a batch's links before its matters: the link trigger
then finds no search row to rewrite, and the matter's row is indexed once. A clerk's 登记 through the ORM writes the matter first, as before,
and its names come from the link trigger.

Links before their matter need the link's foreign key to `matters` checked at commit: SQLite's
`defer_foreign_keys`, and on PostgreSQL the constraint made DEFERRABLE (still checked at once unless
a transaction defers it). SQLite, while a deferred key is unresolved, looks for the rows that name
each matter it inserts; `matters.repeat_of_id` and `parent_id` had no index, so each insert read
the whole table (10,000 matters: 13 s). Partial indexes over the few matters that have one.
"""

from __future__ import annotations

from alembic import op

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None

LINK_KEY = "fk_matter_petitioners_matter_id_matters"

_NAMES_OF = (
    "(SELECT coalesce(group_concat(p.name, ' '), '') FROM matter_petitioners mp "
    "JOIN petitioners p ON p.id = mp.petitioner_id WHERE mp.matter_id = new.id)"
)
_PG_NAMES_OF = (
    "(SELECT coalesce(string_agg(p.name, ' '), '') FROM matter_petitioners mp "
    "JOIN petitioners p ON p.id = mp.petitioner_id WHERE mp.matter_id = NEW.id)"
)


def _sqlite_trigger(names: str) -> str:
    return f"""CREATE TRIGGER matters_fts_ai AFTER INSERT ON matters BEGIN
        INSERT INTO matter_fts(rowid, title, body, names)
        VALUES (new.id, new.title, new.content || ' ' || new.demand, {names});
    END"""


def _pg_function(names: str) -> str:
    return ("CREATE OR REPLACE FUNCTION matters_fts_ai() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
            f"INSERT INTO matter_fts(rowid, title, body, names) VALUES (NEW.id, NEW.title, NEW.content || ' ' || NEW.demand,"
            f" {names}); RETURN NULL; END $$")


INDEXES = {
    "ix_matters_repeat_of": "matters (repeat_of_id) WHERE repeat_of_id IS NOT NULL",
    "ix_matters_parent": "matters (parent_id) WHERE parent_id IS NOT NULL",
}


def upgrade() -> None:
    for name, columns in INDEXES.items():
        op.execute(f"CREATE INDEX {name} ON {columns}")
    if op.get_context().dialect.name == "postgresql":
        op.execute(_pg_function(_PG_NAMES_OF))
        op.execute(f"ALTER TABLE matter_petitioners ALTER CONSTRAINT {LINK_KEY} DEFERRABLE INITIALLY IMMEDIATE")
        return
    op.execute("DROP TRIGGER matters_fts_ai")
    op.execute(_sqlite_trigger(_NAMES_OF))


def downgrade() -> None:
    if op.get_context().dialect.name == "postgresql":
        op.execute(f"ALTER TABLE matter_petitioners ALTER CONSTRAINT {LINK_KEY} NOT DEFERRABLE")
        op.execute(_pg_function("''"))
    else:
        op.execute("DROP TRIGGER matters_fts_ai")
        op.execute(_sqlite_trigger("''"))
    for name in INDEXES:
        op.execute(f"DROP INDEX IF EXISTS {name}")
