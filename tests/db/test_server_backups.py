"""Backups of a database on a PostgreSQL server: a pg_dump before every upgrade, as a file is copied before
its own, and the automatic ones, whichever login opens the program."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import text

from tests.conftest import Server
from xinfang_desktop.db import server as server_module
from xinfang_desktop.db.backups import list_backups
from xinfang_desktop.db.database import open_database
from xinfang_desktop.db.server import ServerDatabase
from xinfang_desktop.domain.enums import Channel
from xinfang_desktop.domain.errors import StorageError
from xinfang_desktop.domain.values import MatterInput, PetitionerInput
from xinfang_desktop.services.reference import seed_defaults
from xinfang_desktop.services.registry import register_matter

OLD = "0015"


@pytest.fixture
def old_server(pg_server: Server) -> Iterator[str]:
    """A server database an earlier release left at OLD, holding one matter: its URL."""
    name = pg_server.new_name(locale="C.UTF-8")  # no tables yet
    url = pg_server.url_of(name)
    old = ServerDatabase(url, migrate=False)
    try:
        cfg = old._alembic_config()
        with old.engine.begin() as conn:
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, OLD)
        with old.begin() as s:
            seed_defaults(s)
            register_matter(s, MatterInput(received_on=date(2026, 3, 2), channel=Channel.LETTER, title="反映村道质量问题",
                                           petitioners=(PetitionerInput("赵六"),)))
    finally:
        old.close()
    yield url
    pg_server.drop(name)


def _restore_list(dump: Path) -> str:
    return subprocess.run([shutil.which("pg_restore") or "pg_restore", "--list", str(dump)],
                          capture_output=True, text=True, check=True).stdout


def test_a_server_database_is_dumped_before_it_is_upgraded(old_server: str) -> None:
    db = open_database(old_server)  # opening migrates
    try:
        assert db.current_revision() == db.head_revision() != OLD
        dumps = list_backups(db.path.parent / "backups", db.path)
        assert [(b.reason, b.path.suffix) for b in dumps] == [(f"升级前-{OLD}", ".dump")]
        assert dumps[0].path.stat().st_mode & 0o077 == 0  # owner-only, as every backup
        assert "TABLE DATA public matters" in _restore_list(dumps[0].path)
        version = subprocess.run([shutil.which("pg_restore") or "pg_restore", "--data-only", "--table=alembic_version",
                                  "--file=-", str(dumps[0].path)], capture_output=True, text=True, check=True).stdout
        assert f"\n{OLD}\n" in version  # the data as it was before the upgrade
        with db.engine.connect() as conn:  # vacuumed after the upgrade: index-only scans work at once
            assert conn.execute(text("SELECT last_vacuum IS NOT NULL AND last_analyze IS NOT NULL "
                                     "FROM pg_stat_user_tables WHERE relname = 'matters'")).scalar()
    finally:
        db.close()


def test_without_pg_dump_a_server_database_is_not_upgraded_and_says_why(old_server: str,
                                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(server_module.shutil, "which", lambda _name: None)
    with pytest.raises(StorageError) as refused:
        open_database(old_server)
    assert "升级前要先备份" in refused.value.message and "没有安装 pg_dump" in refused.value.message
    assert "数据库没有升级" in refused.value.message
    db = ServerDatabase(old_server, migrate=False)
    try:
        assert db.current_revision() == OLD
        assert list_backups(db.path.parent / "backups", db.path) == []
    finally:
        db.close()
