"""FTS5 trigram index over titles, contents and names; the timeline made append-only

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22
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


def upgrade() -> None:
    for statement in STATEMENTS:
        op.execute(statement)


def downgrade() -> None:
    for name in ("events_no_delete", "events_no_update", "petitioners_fts_au", "links_fts_ad",
                 "links_fts_ai", "matters_fts_au", "matters_fts_ai"):
        op.execute(f"DROP TRIGGER IF EXISTS {name}")
    op.execute("DROP TABLE IF EXISTS matter_fts")
