"""Database files for the tests: one stopped at an older migration, as an earlier release left it; one whose
indexes no longer match their table."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from xinfang_desktop.db.database import Database


def schema_at(path: Path, revision: str) -> None:
    """A database file whose schema stops at an older migration, as an earlier release left it."""
    from alembic import command

    old = Database(path, migrate=False)
    cfg = old._alembic_config()
    with old.engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, revision)
    old.close()


def cli_db(db: Database) -> str:
    """What `xinfang --db` takes to reach `db`: its file, or its server URL (with the test password)."""
    if db.is_server:
        return str(db.url.set(drivername="postgresql").render_as_string(hide_password=False))  # type: ignore[attr-defined]
    return str(db.path)


def second_program(db: Database) -> Database:
    """The same database opened again, as a second clerk's program on another PC opens it."""
    from xinfang_desktop.db.database import open_database

    return open_database(cli_db(db))


def mismatch_indexes(path: Path) -> None:
    """Swap the roots of two indexes of matters: every page stays sound (quick_check passes), but no
    index matches its table any more, as a bit gone wrong in a copy can leave it."""
    conn = sqlite3.connect(path)
    try:
        roots = dict(conn.execute("SELECT name, rootpage FROM sqlite_master WHERE name IN "
                                  "('ix_matters_received', 'ix_matters_status_received')").fetchall())
        conn.execute("PRAGMA writable_schema=ON")
        for name, other in (("ix_matters_received", "ix_matters_status_received"),
                            ("ix_matters_status_received", "ix_matters_received")):
            conn.execute("UPDATE sqlite_master SET rootpage = ? WHERE name = ?", (roots[other], name))
        conn.commit()
    finally:
        conn.close()
