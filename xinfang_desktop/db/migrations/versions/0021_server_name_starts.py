"""a surname or a two-character name from one index on a server: each matter's petitioners by the first two characters of their names (PostgreSQL)

Revision ID: 0021
Revises: 0024
Create Date: 2026-12-02

A one- or two-character term is also a name's start (王, 王伟, 欧阳): the search read the names by
prefix from 0015's index, then each such petitioner's links. For a surname that is thousands of
petitioners, and PostgreSQL joined them by hashing the whole link table (a parallel scan of its
million rows): 王 among a million matters took 100-150 ms to count and 250 ms for its first page,
the count and the list each joining again.

`matter_name_starts` holds, for each matter, the first two characters of each of its petitioners'
names (a one-character name whole), once per start. A name starts with a term of one or two
characters exactly when its first two characters do: a two-character name is one key, a surname
one range, and the matters' ids come from the primary key alone (王: count 13 ms, count and first
page 79 ms at load 6, against 144 and 400 ms at load 3). Kept by triggers, as the search row's names
(0002): a link written or removed, a petitioner renamed; a start goes only when no other petitioner
of the matter still has it. 0015's index of the names in "C" goes: nothing reads it now.

SQLite finds the few matters of a name through its indexes, each ending in the rowid, and its
imports stay as they were: it gets nothing here.
"""

from __future__ import annotations

from alembic import op

revision = "0021"
down_revision = "0024"
branch_labels = None
depends_on = None

# whether another petitioner of the matter still has a name of this start
_STILL_NAMED = ("EXISTS (SELECT 1 FROM matter_petitioners mp JOIN petitioners q ON q.id = mp.petitioner_id"
                " WHERE mp.matter_id = s.matter_id AND left(q.name, 2) COLLATE \"C\" = s.start)")

STATEMENTS = [
    """CREATE TABLE matter_name_starts (start TEXT COLLATE "C" NOT NULL, matter_id INTEGER NOT NULL)""",
    """INSERT INTO matter_name_starts (start, matter_id) SELECT DISTINCT left(p.name, 2), mp.matter_id
        FROM matter_petitioners mp JOIN petitioners p ON p.id = mp.petitioner_id""",
    "ALTER TABLE matter_name_starts ADD PRIMARY KEY (start, matter_id)",
    # a link: its name's start added; removed, that start goes unless another petitioner of the matter has it
    f"""CREATE FUNCTION links_name_starts() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN
        IF TG_OP <> 'INSERT' THEN
            DELETE FROM matter_name_starts s USING petitioners p
            WHERE p.id = OLD.petitioner_id AND s.start = left(p.name, 2) COLLATE "C"
              AND s.matter_id = OLD.matter_id AND NOT {_STILL_NAMED};
        END IF;
        IF TG_OP <> 'DELETE' THEN
            INSERT INTO matter_name_starts (start, matter_id)
            SELECT left(name, 2), NEW.matter_id FROM petitioners WHERE id = NEW.petitioner_id ON CONFLICT DO NOTHING;
        END IF;
        RETURN NULL;
    END $$""",
    "CREATE TRIGGER links_name_starts AFTER INSERT OR DELETE OR UPDATE OF matter_id, petitioner_id"
    " ON matter_petitioners FOR EACH ROW EXECUTE FUNCTION links_name_starts()",
    # a petitioner renamed: in each of their matters the new start, and the old one unless another has it
    f"""CREATE FUNCTION petitioners_name_starts() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN
        IF left(OLD.name, 2) IS DISTINCT FROM left(NEW.name, 2) THEN
            DELETE FROM matter_name_starts s USING matter_petitioners l
            WHERE l.petitioner_id = NEW.id AND s.matter_id = l.matter_id AND s.start = left(OLD.name, 2) COLLATE "C"
              AND NOT {_STILL_NAMED};
            INSERT INTO matter_name_starts (start, matter_id)
            SELECT left(NEW.name, 2), matter_id FROM matter_petitioners WHERE petitioner_id = NEW.id
            ON CONFLICT DO NOTHING;
        END IF;
        RETURN NULL;
    END $$""",
    "CREATE TRIGGER petitioners_name_starts AFTER UPDATE OF name ON petitioners"
    " FOR EACH ROW EXECUTE FUNCTION petitioners_name_starts()",
    # what the search read names by before; nothing else compares names in "C"
    "DROP INDEX ix_petitioners_name_c",
]


def upgrade() -> None:
    if op.get_context().dialect.name != "postgresql":
        return
    for statement in STATEMENTS:
        op.execute(statement)


def downgrade() -> None:
    if op.get_context().dialect.name != "postgresql":
        return
    op.execute('CREATE INDEX ix_petitioners_name_c ON petitioners (name COLLATE "C")')
    op.execute("DROP FUNCTION IF EXISTS petitioners_name_starts() CASCADE")  # CASCADE: its trigger with it
    op.execute("DROP FUNCTION IF EXISTS links_name_starts() CASCADE")
    op.execute("DROP TABLE IF EXISTS matter_name_starts")
