"""the timeline names the login that wrote each line, and a leader's login adds only 批示 lines (PostgreSQL)

Revision ID: 0028
Revises: 0025
Create Date: 2026-12-02

On a server every login reaches the tables with SQL as well as through the program, and the
timeline is append-only: a line written cannot be taken back. A leader's group may INSERT into
`events` (its 批示 has a line), and `actor` was whatever the statement said, so a leader or a
clerk could add a permanent "王小红 作废" line in another's name. A trigger now sets `actor` of
each line a login writes to that login's person (the role's comment, server-setup's --name; the
login itself without one), and refuses a line other than 领导批示 from a login that may not
register (no INSERT on matters: a leader's). The tables' owner (server-setup's administrator,
copy-to bringing a file's history over as it was) writes lines as given.

`at` stays the program's: XINFANG_TODAY fixes the program's day (a practice database, the tests),
which the server's clock would contradict.
"""

from __future__ import annotations

from alembic import op

revision = "0028"
down_revision = "0025"
branch_labels = None
depends_on = None

STATEMENTS = [
    """CREATE FUNCTION events_by_login() RETURNS trigger LANGUAGE plpgsql AS $$
    DECLARE named text;
    BEGIN
        IF pg_has_role(current_user, (SELECT relowner FROM pg_class WHERE oid = TG_RELID), 'USAGE') THEN
            RETURN NEW;
        END IF;
        IF NEW.kind <> '领导批示' AND NOT has_table_privilege('matters', 'INSERT') THEN
            RAISE EXCEPTION 'permission denied: login % may add only 领导批示 lines to events', current_user
                USING ERRCODE = '42501';
        END IF;
        SELECT shobj_description(oid, 'pg_authid') INTO named FROM pg_roles WHERE rolname = current_user;
        NEW.actor := coalesce(nullif(named, ''), current_user::text);
        RETURN NEW;
    END $$""",
    "CREATE TRIGGER events_by_login BEFORE INSERT ON events FOR EACH ROW EXECUTE FUNCTION events_by_login()",
]


def upgrade() -> None:
    if op.get_context().dialect.name != "postgresql":
        return
    for statement in STATEMENTS:
        op.execute(statement)


def downgrade() -> None:
    if op.get_context().dialect.name != "postgresql":
        return
    op.execute("DROP FUNCTION IF EXISTS events_by_login() CASCADE")  # CASCADE: its trigger with it
