"""Backup files: written beside and then renamed, verified, owner-only, named by time and reason, rotated, restored.

A backup is made with SQLite's backup API from a live connection (a file copy would miss the
commits still in -wal), into `<name>.partial` beside its final name; the copy is switched to
a single self-contained file (journal_mode=DELETE), checked with `PRAGMA integrity_check`, and
only then renamed into place. Whatever fails on the way (a full disk, a `backups` that is a
file, a damaged source) leaves no file behind and raises StorageError in Chinese.

Automatic backups (reasons 每日 and 关闭) are rotated: the newest of each of the last 7 days,
4 ISO weeks and 12 months that have one are kept. Backups taken by hand, before an upgrade or
before a restore are never deleted by the program.
"""

from __future__ import annotations

import logging
import os
import re
import sqlite3
import time
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Literal

from xinfang_desktop.domain.errors import StorageError
from xinfang_desktop.paths import create_private_file, private_dir

log = logging.getLogger(__name__)

BACKUP_STEP = 16384  # pages a backup step copies (64 MB at 4 KB a page) before telling its progress
PARTIAL = ".partial"
DAILY, AT_CLOSE, BY_HAND, BEFORE_RESTORE, DAMAGED = "每日", "关闭", "手动", "恢复前", "恢复前-已损坏"
AUTOMATIC = (DAILY, AT_CLOSE)
KEEP = (("day", 7), ("week", 4), ("month", 12))
# a file's backups are SQLite files; a server database's are pg_dump archives (db.server)
_NAME = re.compile(r"^(?P<stem>.+)-(?P<stamp>\d{8}-\d{6}-\d{6})-(?P<reason>[^.]+)\.(?:sqlite3|dump)$")
_STAMP = "%Y%m%d-%H%M%S-%f"
Verify = Literal["full", "quick", "none"]


@dataclass(frozen=True)
class BackupFile:
    path: Path
    taken: datetime
    reason: str

    @property
    def automatic(self) -> bool:
        return self.reason in AUTOMATIC

    @property
    def label(self) -> str:
        return f"{self.taken:%Y-%m-%d %H:%M}（{self.reason}）"


def backup_name(db_path: Path, reason: str, at: datetime, *, suffix: str = ".sqlite3") -> str:
    return f"{db_path.stem}-{at.strftime(_STAMP)}-{reason}{suffix}"


def list_backups(folder: Path, db_path: Path) -> list[BackupFile]:
    """The backups of `db_path` in `folder`, newest first (other databases' backups and partial files aside)."""
    if not folder.is_dir():
        return []
    found: list[BackupFile] = []
    for path in folder.iterdir():
        match = _NAME.match(path.name)
        if match is None or match["stem"] != db_path.stem:
            continue
        try:
            taken = datetime.strptime(match["stamp"], _STAMP)
        except ValueError:
            continue
        found.append(BackupFile(path, taken, match["reason"]))
    return sorted(found, key=lambda b: b.taken, reverse=True)


def latest_good_backup(folder: Path, db_path: Path) -> BackupFile | None:
    """The newest backup that could be restored: not a copy of a damaged file, and an SQLite file.

    Each was checked when it was written; restoring checks the chosen one whole again.
    """
    for backup in list_backups(folder, db_path):
        try:
            with backup.path.open("rb") as fh:
                whole = fh.read(16) == b"SQLite format 3\x00"
        except OSError:
            whole = False
        if backup.reason != DAMAGED and whole:
            return backup
    return None


def sqlite_code(exc: BaseException) -> int:
    """The primary SQLite result code of an error, of sqlite3's or of SQLAlchemy's wrapping it (0: not SQLite's)."""
    orig = getattr(exc, "orig", exc)
    return int(getattr(orig, "sqlite_errorcode", 0)) & 0xFF if isinstance(orig, sqlite3.Error) else 0


def why_not_written(exc: BaseException) -> str:
    """What went wrong, in Chinese, for a backup that could not be written."""
    if isinstance(exc, sqlite3.Error):
        code = sqlite_code(exc)
        if code == sqlite3.SQLITE_FULL:
            return "磁盘空间不足"
        if code in (sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB):
            return "数据库本身已损坏，无法完整读出"
        if code in (sqlite3.SQLITE_CANTOPEN, sqlite3.SQLITE_READONLY, sqlite3.SQLITE_PERM):
            return "备份文件夹不允许写入"
        return str(exc)
    if isinstance(exc, FileExistsError | NotADirectoryError):
        return "备份位置已有一个同名的文件，不是文件夹"
    if isinstance(exc, PermissionError):
        return "没有写入权限"
    if isinstance(exc, OSError) and exc.errno == 28:  # ENOSPC
        return "磁盘空间不足"
    return getattr(exc, "strerror", None) or str(exc)


def _remove_partial(partial: Path) -> None:
    for leftover in (partial, *(partial.with_name(partial.name + s) for s in ("-journal", "-wal", "-shm"))):
        try:
            leftover.unlink(missing_ok=True)
        except OSError:
            log.warning("could not remove the partial backup %s", leftover)


def write_backup(source: sqlite3.Connection, target: Path, *, verify: Verify = "full",
                 progress: Callable[[int, int], None] | None = None) -> Path:
    """Copy the database behind `source` into `target`, which must not exist; see the module docstring.

    `progress(pages done, pages in all)` is told as the copy goes, a step of BACKUP_STEP pages.
    `verify`: "full" is PRAGMA integrity_check (at 200,000 matters 40 s), for backups nobody waits for
    and for the copy before an upgrade, the one way back, which is worth the wait; "quick" is PRAGMA
    quick_check, the b-trees without index-to-table agreement (10 s), for the backup at close (checked
    whole later by services.backups); "none" only for the copy of a file already known to be damaged,
    kept as evidence.
    """
    if target.exists():
        raise StorageError(f"备份文件“{target}”已存在，请换一个文件名。")
    partial = target.with_name(target.name + PARTIAL)
    try:
        private_dir(target.parent)
        partial.unlink(missing_ok=True)  # a leftover of a backup killed half-way
        create_private_file(partial)
        dst = sqlite3.connect(partial)
        try:
            if progress is None:
                source.backup(dst)
            else:
                # sleep=0: Python's default rests 250 ms between steps, for other writers we do not have
                source.backup(dst, pages=BACKUP_STEP, sleep=0,
                              progress=lambda _status, remaining, total: progress(total - remaining, total))
            dst.execute("PRAGMA journal_mode=DELETE")  # one self-contained file, no -wal beside it
            problems = verify_connection(dst, quick=verify == "quick") if verify != "none" else []
        finally:
            dst.close()
        if problems:
            raise StorageError(f"备份“{target.name}”写好后检查发现问题（{problems[0]}），已删除这份备份。"
                               "数据库本身可能已损坏，请运行“xinfang check”检查。")
        os.replace(partial, target)
    except StorageError:
        _remove_partial(partial)
        raise
    except (sqlite3.Error, OSError) as exc:
        _remove_partial(partial)
        raise StorageError(f"备份没有完成（{why_not_written(exc)}），没有留下不完整的备份文件，数据库本身没有改动。"
                           f"请腾出磁盘空间或检查备份位置“{target.parent}”后再试。") from exc
    except BaseException:
        _remove_partial(partial)
        raise
    return target


def verify_connection(conn: sqlite3.Connection, *, quick: bool = False) -> list[str]:
    """The problems SQLite's integrity check finds (none: the file is whole)."""
    rows = [str(r[0]) for r in conn.execute("PRAGMA quick_check" if quick else "PRAGMA integrity_check")]
    return [] if rows == ["ok"] else rows


def verify_problems(path: Path, *, quick: bool = False) -> list[str]:
    """The problems of a backup file, opened read-only; a file SQLite cannot read is one problem."""
    try:
        with path.open("rb") as fh:
            if fh.read(16) != b"SQLite format 3\x00":
                return ["不是SQLite数据库文件"]
        conn = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)
        try:
            return verify_connection(conn, quick=quick)
        finally:
            conn.close()
    except (sqlite3.Error, OSError) as exc:
        return [str(exc)]


def _period(kind: str, at: datetime) -> Hashable:
    if kind == "day":
        return at.date()
    if kind == "week":
        return tuple(at.isocalendar())[:2]
    return (at.year, at.month)


def rotate(folder: Path, db_path: Path) -> list[Path]:
    """Delete the automatic backups the rotation (7 daily, 4 weekly, 12 monthly) no longer keeps, and stale
    partial files; returns them."""
    automatic = [b for b in list_backups(folder, db_path) if b.automatic]
    keep: set[Path] = set()
    for kind, count in KEEP:
        periods: list[Hashable] = []
        for backup in automatic:  # newest first: the first seen of a period is its newest
            period = _period(kind, backup.taken)
            if period in periods:
                continue
            if len(periods) == count:
                break
            periods.append(period)
            keep.add(backup.path)
    dropped = [b.path for b in automatic if b.path not in keep]
    # a backup killed half-way (power cut, logoff) leaves its .partial: gone once it is a day old
    stale = time.time() - 86400
    dropped += [p for p in folder.glob(f"{db_path.stem}-*{PARTIAL}") if p.stat().st_mtime < stale]
    for path in dropped:
        try:
            path.unlink()
        except OSError:
            log.warning("rotation could not delete %s", path)
    return dropped
