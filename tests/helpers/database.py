"""Database files for the tests: one stopped at an older migration, as an earlier release left it."""

from __future__ import annotations

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
