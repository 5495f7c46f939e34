"""FTS5 trigram index over titles, contents and names; the timeline made append-only

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22

On PostgreSQL `matter_fts` is an ordinary table of the same columns (its key named `rowid`,
as FTS5's), kept by the same triggers in plpgsql, with a pg_trgm GIN index over its three
columns: `ILIKE '%term%'` of three characters or more is answered from the index, as MATCH is.
"""

from __future__ import annotations

from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

_NAMES_OF = (
    "(SELECT coalesce(group_concat(p.name, ' '), '') FROM matter_petitioners mp "
    "JOIN petitioners p ON p.id = mp.petitioner_id WHERE mp.matter_id = {matter})"
)

STATEMENTS = [
    # a regular (content-holding) FTS5 table so that triggers can UPDATE rows in place
    "CREATE VIRTUAL TABLE matter_fts USING fts5(title, body, names, tokenize='trigram')",
    """CREATE TRIGGER matters_fts_ai AFTER INSERT ON matters BEGIN
        INSERT INTO matter_fts(rowid, title, body, names)
        VALUES (new.id, new.title, new.content || ' ' || new.demand, '');
    END""",
    """CREATE TRIGGER matters_fts_au AFTER UPDATE OF title, content, demand ON matters BEGIN
        UPDATE matter_fts SET title = new.title, body = new.content || ' ' || new.demand
        WHERE rowid = new.id;
    END""",
    f"""CREATE TRIGGER links_fts_ai AFTER INSERT ON matter_petitioners BEGIN
        UPDATE matter_fts SET names = {_NAMES_OF.format(matter='new.matter_id')}
        WHERE rowid = new.matter_id;
    END""",
    f"""CREATE TRIGGER links_fts_ad AFTER DELETE ON matter_petitioners BEGIN
        UPDATE matter_fts SET names = {_NAMES_OF.format(matter='old.matter_id')}
        WHERE rowid = old.matter_id;
    END""",
    f"""CREATE TRIGGER petitioners_fts_au AFTER UPDATE OF name ON petitioners BEGIN
        UPDATE matter_fts SET names = {_NAMES_OF.format(matter='matter_fts.rowid')}
        WHERE rowid IN (SELECT matter_id FROM matter_petitioners WHERE petitioner_id = new.id);
    END""",
    # backfill what an older database already holds
    f"""INSERT INTO matter_fts(rowid, title, body, names)
        SELECT m.id, m.title, m.content || ' ' || m.demand, {_NAMES_OF.format(matter='m.id')}
        FROM matters m""",
    # the 卷宗 is an audit trail: nothing may rewrite or remove it
    """CREATE TRIGGER events_no_update BEFORE UPDATE ON events BEGIN
        SELECT RAISE(ABORT, '时间线记录不可修改');
    END""",
    """CREATE TRIGGER events_no_delete BEFORE DELETE ON events BEGIN
        SELECT RAISE(ABORT, '时间线记录不可删除');
    END""",
]


_PG_NAMES_OF = (
    "(SELECT coalesce(string_agg(p.name, ' '), '') FROM matter_petitioners mp "
    "JOIN petitioners p ON p.id = mp.petitioner_id WHERE mp.matter_id = {matter})"
)


def _pg_trigger(name: str, when: str, table: str, body: str, *, each: str = "ROW") -> list[str]:
    """A plpgsql function and the trigger of the same name that runs it."""
    return [
        f"CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN {body} RETURN NULL; END $$",
        f"CREATE TRIGGER {name} {when} ON {table} FOR EACH {each} EXECUTE FUNCTION {name}()",
    ]


_APPEND_ONLY = ("RAISE EXCEPTION USING MESSAGE = CASE TG_OP WHEN 'UPDATE' THEN '时间线记录不可修改' "
                "ELSE '时间线记录不可删除' END, ERRCODE = 'integrity_constraint_violation';")

POSTGRES_STATEMENTS = [
    # a trusted extension since PostgreSQL 13: the database's owner may create it
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    # SQLite's julianday() of a date, so that the day counts of the board and the tally are one SQL on both
    "CREATE FUNCTION julianday(d DATE) RETURNS DOUBLE PRECISION LANGUAGE sql IMMUTABLE PARALLEL SAFE"
    " AS $$ SELECT (d - DATE '2000-01-01') + 2451544.5 $$",
    "CREATE TABLE matter_fts (rowid INTEGER PRIMARY KEY, title TEXT NOT NULL, body TEXT NOT NULL, names TEXT NOT NULL)",
    "CREATE INDEX ix_matter_fts_trgm ON matter_fts USING gin (title gin_trgm_ops, body gin_trgm_ops, names gin_trgm_ops)",
    *_pg_trigger("matters_fts_ai", "AFTER INSERT", "matters",
                 "INSERT INTO matter_fts(rowid, title, body, names)"
                 " VALUES (NEW.id, NEW.title, NEW.content || ' ' || NEW.demand, '');"),
    *_pg_trigger("matters_fts_au", "AFTER UPDATE OF title, content, demand", "matters",
                 "UPDATE matter_fts SET title = NEW.title, body = NEW.content || ' ' || NEW.demand"
                 " WHERE rowid = NEW.id;"),
    *_pg_trigger("links_fts_ai", "AFTER INSERT", "matter_petitioners",
                 f"UPDATE matter_fts SET names = {_PG_NAMES_OF.format(matter='NEW.matter_id')}"
                 " WHERE rowid = NEW.matter_id;"),
    *_pg_trigger("links_fts_ad", "AFTER DELETE", "matter_petitioners",
                 f"UPDATE matter_fts SET names = {_PG_NAMES_OF.format(matter='OLD.matter_id')}"
                 " WHERE rowid = OLD.matter_id;"),
    *_pg_trigger("petitioners_fts_au", "AFTER UPDATE OF name", "petitioners",
                 f"UPDATE matter_fts SET names = {_PG_NAMES_OF.format(matter='matter_fts.rowid')}"
                 " WHERE rowid IN (SELECT matter_id FROM matter_petitioners WHERE petitioner_id = NEW.id);"),
    f"""INSERT INTO matter_fts(rowid, title, body, names)
        SELECT m.id, m.title, m.content || ' ' || m.demand, {_PG_NAMES_OF.format(matter='m.id')} FROM matters m""",
    "CREATE FUNCTION events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
    f"{_APPEND_ONLY} END $$",
    "CREATE TRIGGER events_no_update BEFORE UPDATE ON events FOR EACH ROW EXECUTE FUNCTION events_append_only()",
    "CREATE TRIGGER events_no_delete BEFORE DELETE ON events FOR EACH ROW EXECUTE FUNCTION events_append_only()",
    # TRUNCATE fires no row trigger: on a server anyone with the right could otherwise empty the 卷宗
    "CREATE TRIGGER events_no_truncate BEFORE TRUNCATE ON events FOR EACH STATEMENT"
    " EXECUTE FUNCTION events_append_only()",
]


def upgrade() -> None:
    on_server = op.get_context().dialect.name == "postgresql"
    for statement in POSTGRES_STATEMENTS if on_server else STATEMENTS:
        op.execute(statement)


def downgrade() -> None:
    names = ("events_no_delete", "events_no_update", "petitioners_fts_au", "links_fts_ad",
             "links_fts_ai", "matters_fts_au", "matters_fts_ai")
    if op.get_context().dialect.name == "postgresql":
        op.execute("DROP TABLE IF EXISTS matter_fts")
        for name in ("petitioners_fts_au", "links_fts_ad", "links_fts_ai", "matters_fts_au", "matters_fts_ai",
                     "events_append_only"):
            op.execute(f"DROP FUNCTION IF EXISTS {name}() CASCADE")
        op.execute("DROP FUNCTION IF EXISTS julianday(DATE)")
        return
    for name in names:
        op.execute(f"DROP TRIGGER IF EXISTS {name}")
    op.execute("DROP TABLE IF EXISTS matter_fts")
