"""Automatic backups (the first start of each day, closing after changes), the second folder, and restore.

Each automatic backup goes to `backups/` beside the database and, when 设置→备份 names one,
to a second folder (a USB stick, another drive); both are rotated (db.backups.rotate). A
second folder that is missing or full does not cost the first backup: it is reported in
`warnings`. The files themselves are db.backups' business: verified, owner-only, whole or absent.

Every copy is checked whole, but not all while the clerk waits. The copy at close, which the clerk
waits for, gets SQLite's quick_check (at 200,000 matters 10 s instead of 40 s): it reads every page
of every table and index, so what copying can break (a short or cut file, zeroed or misplaced pages
on a failing disk or a stick pulled early) is found before the window closes. What integrity_check
adds, each index against its table, is checked at the next first start of a day, in the background,
on the newest copy taken at close in each folder: the one the rotation keeps for that day (the
newest of a day is kept). A copy that fails then is deleted and the clerk told; the day's backup,
checked whole, follows at once.

On a server each PC keeps pg_dump archives of the office database in its own backups folder, by
the same days and rotation. Every login takes them, a leader's or a viewer's too: their login may
not write to the database, but pg_dump only reads it and nothing is recorded there (what is due is
read from the folder), so the office keeps a copy whoever opens the program that day.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from xinfang_desktop.db.backups import (
    AT_CLOSE,
    DAILY,
    BackupFile,
    Verify,
    backup_name,
    latest_good_backup,
    list_backups,
    rotate,
)
from xinfang_desktop.db.database import Database
from xinfang_desktop.db.restore import restore
from xinfang_desktop.db.sqlite_file import CheckReport, damaged_message, header_problems
from xinfang_desktop.domain.errors import DamagedDatabaseError, StorageError
from xinfang_desktop.services.settings import get_setting

if TYPE_CHECKING:  # the window checks the file at open, before its first paint and the ORM (services/__init__.py)
    from sqlalchemy.orm import Session

log = logging.getLogger(__name__)

SECOND_FOLDER = "backup_folder2"


@dataclass(frozen=True)
class BackupOutcome:
    written: tuple[Path, ...]
    seconds: float
    warnings: tuple[str, ...] = ()


def second_folder(session: Session) -> Path | None:
    value = str(get_setting(session, SECOND_FOLDER) or "").strip()
    return Path(value) if value else None


def set_second_folder(session: Session, *, folder: str) -> str:
    """设置→备份: the second folder for automatic backups, "" for none; returns what is stored."""
    from xinfang_desktop.services.common import set_setting  # the ORM's: not at the check before the first paint

    set_setting(session, SECOND_FOLDER, folder)
    return str(get_setting(session, SECOND_FOLDER))


def restorable(db: Database | Path) -> list[BackupFile]:
    """The backups a clerk may restore from, newest first."""
    path = db.path if isinstance(db, Database) else Path(db)
    return list_backups(path.parent / "backups", path)


def latest_good(db_path: Path) -> BackupFile | None:
    """The newest backup of `db_path` that is whole at a quick check and not a copy of a damaged file."""
    return latest_good_backup(db_path.parent / "backups", db_path)


def check_at_open(db: Database) -> None:
    """The check every opening of a file by the window gets: the header and the file's length (a cut
    file); DamagedDatabaseError if they find damage. The pages themselves are read by the full check just
    after the first paint, which offers a restore (ui.backups.backup_ui.StorageGuard): SQLite's quick_check
    here took its whole 0.3 s budget at 100,000 matters (three times a bare window's first paint) and read
    about a seventh of the file. The tally's cache is checked after the paint too (check_cache), unless the
    file is cut.

    A server has no file header: its quick_check (the catalogue and one read, some 20 ms) stands for it."""
    if db.is_server:
        _refuse_damage(db, db.quick_check())
        return
    problems = header_problems(db.path)
    if problems and not db.read_only and db.repair_cache():
        # a file cut short loses its last page, a page of the tally's cache most often: dropped and
        # written whole again, the file is no longer cut
        problems = header_problems(db.path)
    _refuse_damage(db, CheckReport(not problems, (f"数据库：{db.path}", *(f"  {p}" for p in problems))))


def check_cache(db: Database) -> None:
    """Just after the window's first paint, before anything counts from it: a damaged tally cache is
    dropped (derived data, counted afresh). Its integrity_check took 10 ms of the paint at 100,000 matters."""
    if not db.is_server and not db.read_only:
        db.repair_cache()


def check_before_upgrade(db: Database) -> None:
    """Before a migration writes to the file: the time-bounded quick_check as well (a small file whole)."""
    _refuse_damage(db, db.quick_check())


def _refuse_damage(db: Database, report: CheckReport) -> None:
    if not report.ok:
        detail = report.lines[1].strip() if len(report.lines) > 1 else ""
        if db.is_server:  # no file to restore on this PC: the server's administrator mends it
            raise StorageError(f"服务器数据库“{db.label}”有问题：{detail}。程序没有打开它，也没有改动它。"
                               "请管理员处理后再连接（详细检查：xinfang check）。")
        raise DamagedDatabaseError(damaged_message(db.path, detail, outcome="没有打开"))


def check_whole(db: Database) -> tuple[bool | None, str]:
    """The full check (integrity and foreign keys) after the first paint: (whole, the report's text);
    whole is None when the database was closed before the check could finish."""
    report = db.check()
    return (report.ok if report.finished else None), report.text()


def may_back_up(db: Database) -> bool:
    """Whether automatic backups are taken: always on a server (see the module docstring); a file
    only when it may be written (a read-only file or folder, a CD or a write-protected stick, has
    its backups folder beside it)."""
    return db.is_server or not db.read_only


def daily_backup_due(db: Database, *, now: datetime) -> bool:
    """No backup of this database taken today yet (of any kind: one by hand counts)."""
    return not any(b.taken.date() == now.date() for b in restorable(db))


def automatic_backup(db: Database, *, reason: str, now: datetime) -> BackupOutcome:
    """One verified backup into backups/ and the second folder, each then rotated. Raises StorageError
    only if the first one fails."""
    started = time.monotonic()
    with db.read() as session:
        second = second_folder(session)
    # the day's first backup runs in the background and is checked whole; the one at close is waited
    # for and checked quick, then whole at the next day's first start (check_close_copies)
    verify: Verify = "quick" if reason == AT_CLOSE else "full"
    first = db.backup(reason=reason, at=now, verify=verify)
    rotate(first.parent, db.path)
    written = [first]
    warnings: list[str] = []
    if second is not None and not second.is_dir():
        # never made here: a missing drive letter or mount point would put the "second" copy on this disk
        warnings.append(f"第二备份文件夹“{second}”不存在（U盘没有插上？），这次只备份到了{first.parent}。")
    elif second is not None:
        try:
            written.append(db.backup(second / backup_name(db.path, reason, now, suffix=db.backup_suffix),
                                     verify=verify))
            rotate(second, db.path)
        except StorageError as exc:
            log.warning("second backup folder %s: %s", second, exc.message)
            warnings.append(f"第二备份文件夹“{second}”没有备份上：{exc.message}")
    seconds = time.monotonic() - started
    log.info("automatic backup (%s) of %s: %s in %.1f s", reason, db.path, [str(p) for p in written], seconds)
    return BackupOutcome(tuple(written), seconds, tuple(warnings))


def check_close_copies(db: Database) -> list[str]:
    """The whole check of the newest copy taken at close in each folder (see the module docstring);
    one that fails is deleted, as a copy failing its check when written is. Returns what to tell."""
    with db.read() as session:
        second = second_folder(session)
    folders = [db.path.parent / "backups", *([second] if second is not None and second.is_dir() else [])]
    said: list[str] = []
    for folder in folders:
        last = next((b for b in list_backups(folder, db.path) if b.reason == AT_CLOSE), None)
        if last is None:
            continue
        problems = db.backup_problems(last.path)
        if not problems:
            continue
        log.error("the copy taken at close %s is not whole: %s", last.path, problems[:3])
        try:
            last.path.unlink()
        except OSError:
            log.warning("could not delete %s", last.path)
        said.append(f"{last.label}关闭程序时的备份经完整检查发现问题（{problems[0]}），已删除；今天的备份照常进行。")
    return said


def backup_at_start(db: Database, *, now: datetime) -> BackupOutcome | None:
    """The first start of the day checks the copies taken at close whole, then takes a backup; later
    starts do neither. Called only once the database's own full check found it whole."""
    if not may_back_up(db) or not daily_backup_due(db, now=now):
        return None
    said = check_close_copies(db)
    outcome = automatic_backup(db, reason=DAILY, now=now)
    return replace(outcome, warnings=(*said, *outcome.warnings))


def backup_at_close(db: Database, *, now: datetime) -> BackupOutcome | None:
    """Closing after this session changed something takes a backup."""
    if not may_back_up(db) or not db.changes:
        return None
    return automatic_backup(db, reason=AT_CLOSE, now=now)


# a server database is restored by its administrator, on the server: no clerk's PC replaces it
SERVER_RESTORE = ("服务器数据库不能在这里恢复：请管理员在服务器上用 pg_restore 恢复 xinfang backup 做出的备份"
                  "（pg_restore --clean --dbname=数据库 备份文件）。")


def restore_backup(db_path: Path, backup: Path) -> Path | None:
    """恢复: `backup` replaces the database at `db_path` (closed by the caller), the current file kept first.

    Returns the copy of the file as it was (in backups/), or None if there was none.
    """
    return restore(db_path, backup)

