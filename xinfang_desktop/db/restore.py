"""A backup put in place of the database file: checked whole first, of a version this program knows, the
current file kept in backups/ beforehand; and the revisions this program ships, read without Alembic."""

from __future__ import annotations

import logging
import os
import re
import sqlite3
from pathlib import Path

from xinfang_desktop import wallclock
from xinfang_desktop.db.backups import (
    backup_name,
    verify_connection,
    verify_problems,
    why_not_written,
    write_backup,
)
from xinfang_desktop.db.sqlite_file import BUSY_TIMEOUT_MS, is_damage, read_only_message, storage_error, writable
from xinfang_desktop.domain.errors import StorageError
from xinfang_desktop.paths import backups_dir, create_private_file

log = logging.getLogger(__name__)
MIGRATIONS = Path(__file__).resolve().parent / "migrations"


def shipped_revisions() -> tuple[set[str], set[str]]:
    """(the revisions this program ships, those named as a parent), read without importing Alembic."""
    revisions: set[str] = set()
    parents: set[str] = set()
    for path in (MIGRATIONS / "versions").glob("*.py"):
        source = path.read_text(encoding="utf-8")
        rev = re.search(r"^revision\s*=\s*['\"]([^'\"]+)['\"]", source, re.M)
        down = re.search(r"^down_revision\s*=\s*['\"]([^'\"]+)['\"]", source, re.M)
        if rev:
            revisions.add(rev.group(1))
        if down:
            parents.add(down.group(1))
    return revisions, parents


def _companions(path: Path) -> list[Path]:
    return [path.with_name(path.name + suffix) for suffix in ("-wal", "-shm")]


def _backup_revision(backup: Path) -> str | None:
    conn = sqlite3.connect(f"{backup.as_uri()}?mode=ro", uri=True)
    try:
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        if not {"matters", "alembic_version"} <= tables:
            raise StorageError(f"“{backup.name}”不是信访台账数据库的备份，不能用来恢复。请选择backups文件夹中的备份文件。")
        row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
        return str(row[0]) if row else None
    finally:
        conn.close()


def restore(db_path: Path, backup: Path) -> Path | None:
    """Put `backup` in place of the database at `db_path`, after keeping the current file in backups/.

    The backup is checked whole (integrity_check) and must be of a version this program knows.
    The current file is first copied with the backup API (恢复前), or, when it is damaged, copied
    unchecked (恢复前-已损坏); a file SQLite cannot read at all, or an empty one, is moved into
    backups/ as it is. The backup is then written into the database through SQLite (never a file
    copy over a live database). Close every Database on `db_path` first. Returns the kept copy.
    """
    from xinfang_desktop.db.backups import BEFORE_RESTORE, DAMAGED

    db_path, backup = Path(db_path).resolve(), Path(backup).resolve()
    if backup == db_path:
        raise StorageError("不能用数据库文件本身恢复它，请选择backups文件夹中的一份备份。")
    if not backup.is_file():
        raise StorageError(f"备份文件“{backup}”不存在，请重新选择。")
    problems = verify_problems(backup)
    if problems:
        raise StorageError(f"所选备份“{backup.name}”已损坏或不可读（{problems[0]}），不能用来恢复，请选择另一份备份。")
    revision = _backup_revision(backup)
    if revision is not None and revision not in shipped_revisions()[0]:
        raise StorageError(f"所选备份“{backup.name}”由更新版本的程序创建（版本{revision}），请升级本程序后再恢复。")
    if db_path.exists() and not writable(db_path):
        raise StorageError(read_only_message(db_path))
    try:
        folder = backups_dir(db_path)
    except OSError as exc:
        raise StorageError(f"无法使用备份文件夹“{db_path.parent / 'backups'}”（{why_not_written(exc)}），"
                           "没有恢复，数据库没有改动。") from exc
    kept: Path | None = None
    if db_path.exists():
        kept = _keep_current(db_path, folder, BEFORE_RESTORE, DAMAGED)
    src = sqlite3.connect(f"{backup.as_uri()}?mode=ro", uri=True)
    try:
        if not db_path.exists():
            create_private_file(db_path)
        dst = sqlite3.connect(db_path, timeout=BUSY_TIMEOUT_MS / 1000)
        try:
            src.backup(dst)  # page for page from the backup checked whole above
            dst.execute("PRAGMA journal_mode=WAL")
        finally:
            dst.close()
    except sqlite3.Error as exc:
        raise storage_error(exc, db_path) or StorageError(f"恢复没有完成（{exc}）。恢复前的文件保存在{kept}。") from exc
    finally:
        src.close()
    log.info("restored %s from %s (the file before kept as %s)", db_path, backup, kept)
    return kept


def _keep_current(db_path: Path, folder: Path, reason: str, damaged_reason: str) -> Path:
    """The current file kept in `folder` before a restore replaces it: see `restore`."""
    now = wallclock.now()
    if db_path.stat().st_size > 0:
        try:
            src = sqlite3.connect(db_path, timeout=BUSY_TIMEOUT_MS / 1000)
            try:
                damaged = bool(verify_connection(src, quick=True))
                return write_backup(src, folder / backup_name(db_path, damaged_reason if damaged else reason, now),
                                    verify="none" if damaged else "quick")
            finally:
                src.close()
        except sqlite3.DatabaseError as exc:
            if not is_damage(exc):
                raise storage_error(exc, db_path) or StorageError(f"无法读取当前数据库（{exc}），没有恢复。") from exc
    # unreadable or empty: moved aside as it is, with its -wal, so nothing of it is lost
    target = folder / backup_name(db_path, damaged_reason, now)
    for source, dest in zip([db_path, *_companions(db_path)], [target, *_companions(target)], strict=True):
        if source.exists():
            os.replace(source, dest)
    return target
