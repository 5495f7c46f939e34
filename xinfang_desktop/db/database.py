"""Database: opens one SQLite file with the right pragmas, migrates it safely, backs it up, checks it."""

from __future__ import annotations

import logging
import os
import re
import sqlite3
import struct
import threading
import time
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import create_engine, event, text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DatabaseError as SADatabaseError
from sqlalchemy.orm import Session, configure_mappers, sessionmaker

from xinfang_desktop import wallclock
from xinfang_desktop.db.backups import (
    BY_HAND,
    Verify,
    backup_name,
    latest_good_backup,
    verify_connection,
    verify_problems,
    why_not_written,
    write_backup,
)
from xinfang_desktop.db.dialect import SECOND_READER
from xinfang_desktop.domain.errors import DamagedDatabaseError, StorageError
from xinfang_desktop.paths import backups_dir, create_private_file

if TYPE_CHECKING:  # Alembic is imported only when a migration is due: it costs most of a second
    from alembic.config import Config
    from alembic.script import ScriptDirectory

log = logging.getLogger(__name__)

_MIGRATIONS = Path(__file__).resolve().parent / "migrations"
_SQLITE_MAGIC = b"SQLite format 3\x00"
# how long a write waits for another writer before it says LOCKED_MESSAGE: long enough that only a
# writer really holding the file (another program in a long write) is reported, never a loaded PC that
# ran the other thread late (the import gives the lock back every 0.4 s; 5 s failed a test at load 8)
BUSY_TIMEOUT_MS = 15_000
WRITE_POLL_S = 0.003  # how often a waiting write tries for the lock
GIVE_WAY_S = 0.03  # ten of a waiting write's polls (WRITE_POLL_S): it gets in; an import pauses little
QUICK_CHECK_BUDGET_S = 0.3  # the part of the check done at open; the rest runs after the first paint


def _set_pragmas(dbapi_connection: Any, _record: Any) -> None:
    """Before any statement: outside a transaction, where foreign_keys is not silently ignored."""
    # let SQLAlchemy, not the driver, emit BEGIN so pragmas and transactions behave
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=FULL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    # up to 64 MB of pages (SQLite's default is 2 MB): the board, the tally and the list read
    # the same index pages again and again at a million matters; it grows only as used
    cursor.execute("PRAGMA cache_size=-65536")
    cursor.close()


def _known_revision(script: ScriptDirectory, revision: str) -> bool:
    """Whether this program ships `revision`; Alembic raises, rather than returns None, for a stranger."""
    from alembic.util.exc import CommandError

    try:
        return script.get_revision(revision) is not None
    except CommandError:
        return False


# SQLAlchemy's pysqlite recipe (SQLite dialect docs, "Serializable isolation / Savepoints /
# Transactional DDL"): the driver emits no BEGIN of its own (isolation_level=None, above), we emit it
# here. A write transaction begins IMMEDIATE: it takes the write lock at once and so waits its turn
# through busy_timeout; a deferred BEGIN upgrades its read lock at the first write, where SQLite cannot
# wait (it might deadlock) and fails at once with "database is locked".
_IMMEDIATE = "xinfang_immediate"


def _begin(conn: Any) -> None:
    if not conn.get_execution_options().get(_IMMEDIATE):
        conn.exec_driver_sql("BEGIN")
        return
    # The wait for the write lock is ours, not SQLite's busy handler: that one polls every 100 ms once
    # it has waited a while, and a writer that begins again right after its commit (a second program
    # saving in a loop, an import) takes the lock back first each time; polling every few ms, a
    # waiting save gets in at the next gap (2 x 300 saves under a load of 12 on 2 cores: 3 refused
    # after 5 s with SQLite's handler).
    driver = conn.connection.driver_connection
    deadline = time.monotonic() + BUSY_TIMEOUT_MS / 1000
    driver.execute("PRAGMA busy_timeout=0")
    try:
        while True:
            try:
                driver.execute("BEGIN IMMEDIATE")
                return
            except sqlite3.OperationalError as exc:
                if _sqlite_code(exc) != sqlite3.SQLITE_BUSY or time.monotonic() > deadline:
                    raise
            time.sleep(WRITE_POLL_S)
    finally:
        driver.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")


LOCKED_MESSAGE = "数据库正被另一程序写入（如导入台账），请稍候再试"


@contextmanager
def second_reader(session: Session) -> Iterator[Session]:
    """A second read session on the same file beside `session`, for reads another thread runs at the
    same time (sqlite3 lets the GIL go while a statement runs: the tally's per-day passes).

    `session`'s read transaction is begun first, so its snapshot is never newer than the second's. A
    write committed in between (another clerk's save) shows only in the second; but then the first
    cannot write any more (a deferred transaction whose snapshot is not the newest is refused its
    write: derive()), so derived data it keeps was never counted from two states of the file.
    """
    session.execute(text("SELECT count(*) FROM sqlite_master"))  # begins its read (a WAL snapshot)
    with Session(session.get_bind()) as beside:
        try:
            yield beside
        finally:
            beside.rollback()


def _sqlite_code(exc: BaseException) -> int:
    orig = getattr(exc, "orig", exc)
    return int(getattr(orig, "sqlite_errorcode", 0)) & 0xFF if isinstance(orig, sqlite3.Error) else 0


def is_damage(exc: BaseException) -> bool:
    """SQLITE_CORRUPT or SQLITE_NOTADB: the file itself is damaged."""
    return _sqlite_code(exc) in (sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB)


def writable(path: Path) -> bool:
    """Whether this program may write the database and, beside it, its -wal and -shm files."""
    return os.access(path.parent, os.W_OK) and (not path.exists() or os.access(path, os.W_OK))


def read_only_message(path: Path) -> str:
    where = "文件" if path.exists() and not os.access(path, os.W_OK) else f"所在文件夹“{path.parent}”"
    return (f"数据库“{path.name}”的{where}是只读的（文件属性为只读、没有写入权限，或在光盘、写保护的U盘上），"
            "程序不能在其中保存。文件并没有损坏，不需要从备份恢复。请取消只读属性，或把它复制到可写的文件夹后再打开。")


def damaged_message(path: Path, detail: object = "", *, outcome: str = "本次操作没有完成") -> str:
    """The message for a damaged file, naming the newest backup that could replace it."""
    latest = latest_good_backup(path.parent / "backups", path)
    offer = (f"最近的完好备份是 {latest.label}：{latest.path}。" if latest is not None
             else "备份文件夹中没有完好的备份。")
    why = f"（{detail}）" if detail else ""
    return (f"数据库文件“{path.name}”已损坏{why}，程序不会改写它，{outcome}。{offer}"
            f"请在“文件→从备份恢复…”中恢复（命令行：xinfang restore --db “{path}” --from 备份文件）。")


def storage_error(exc: BaseException, path: Path) -> StorageError | None:
    """The Chinese StorageError an SQLite error stands for (locked, read-only, damaged), or None if a bug."""
    code = _sqlite_code(exc)
    detail = getattr(exc, "orig", exc)
    if code == sqlite3.SQLITE_BUSY:
        return StorageError(LOCKED_MESSAGE)
    if code == sqlite3.SQLITE_READONLY or (code == sqlite3.SQLITE_CANTOPEN and not writable(path)):
        return StorageError(read_only_message(path))
    if code in (sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB):
        return DamagedDatabaseError(damaged_message(path, detail))
    if code == sqlite3.SQLITE_FULL:
        return StorageError(f"磁盘空间不足，数据库“{path.name}”无法写入，本次操作没有保存。请腾出磁盘空间后再试。")
    if code in (sqlite3.SQLITE_IOERR, sqlite3.SQLITE_CANTOPEN):
        return StorageError(f"读写数据库文件“{path.name}”时出错（{detail}），本次操作没有完成。"
                            "如果文件在U盘或网络位置上，请检查连接后再试。")
    return None


def header_problems(path: Path) -> list[str]:
    """What the first 100 bytes and the file's length say without reading a page: a cut file shows here."""
    try:
        size = path.stat().st_size
        with path.open("rb") as fh:
            header = fh.read(100)
    except OSError as exc:
        return [f"无法读取文件（{exc.strerror}）"]
    if len(header) < 100 or header[:16] != _SQLITE_MAGIC:
        return ["文件头不是SQLite数据库"]
    raw_page = struct.unpack(">H", header[16:18])[0]
    page = 65536 if raw_page == 1 else raw_page
    if page < 512 or page & (page - 1):
        return [f"文件头中的页大小{raw_page}无效"]
    # SQLite writes whole pages; a cut on a page boundary is for integrity_check (pages gone from their trees).
    # The header's page count is not compared: another program's checkpoint writes page 1 before the rest.
    if size % page:
        return [f"文件长度{size}字节不是页大小{page}的整数倍，文件末尾被截断"]
    return []


def check_sqlite_file(path: Path) -> None:
    """Refuse, before touching it, a file that exists but is not an SQLite database, or is empty."""
    if path.is_dir():
        raise StorageError(f"“{path}”是一个文件夹，不是数据库文件。请在 --db 中写出数据库文件的完整路径。")
    if not path.exists():
        return
    if path.stat().st_size == 0:
        # SQLite would take it for a new database and write one into it: a file that was emptied by
        # a failed copy or a full disk must not quietly become an empty 台账
        raise DamagedDatabaseError(
            f"数据库文件“{path.name}”是空文件（0字节），里面没有任何台账数据，程序不会改写它。"
            "如果台账原本保存在这个文件里，请在“文件→从备份恢复…”中恢复最近的备份"
            f"（命令行：xinfang restore --db “{path}” --from 备份文件）；如果要新建台账，请换一个文件名。"
        )
    with path.open("rb") as fh:
        header = fh.read(16)
    if header != _SQLITE_MAGIC:
        raise StorageError(f"文件“{path.name}”不是信访台账数据库（不是SQLite文件），程序不会改写它。请选择正确的数据库文件。")


def shipped_revisions() -> tuple[set[str], set[str]]:
    """(the revisions this program ships, those named as a parent), read without importing Alembic."""
    revisions: set[str] = set()
    parents: set[str] = set()
    for path in (_MIGRATIONS / "versions").glob("*.py"):
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


@dataclass(frozen=True)
class CheckReport:
    """`ok` False: damaged. `finished` False: the quick check ran out of time before it was done."""

    ok: bool
    lines: tuple[str, ...]
    finished: bool = True

    def text(self) -> str:
        return "\n".join(self.lines)


def server_address(target: str, *, password: str | None = None) -> tuple[str, str]:
    """(the login name, the address) of a postgresql:// address: without any password in it, or
    with `password` put in (for the window, which may not reach SQLAlchemy itself)."""
    from xinfang_desktop.db.server import server_url, without_password

    url = server_url(target).set(drivername="postgresql")
    url = without_password(url) if password is None else url.set(password=password)
    return url.username or "", url.render_as_string(hide_password=False)


def password_given(target: str) -> bool:
    """Whether a postgresql:// address has a password written into it."""
    from xinfang_desktop.db.server import server_url

    return server_url(target).password is not None


def is_server(target: object) -> bool:
    """A postgresql:// address rather than a file (db.dialect.is_server_url), for the window."""
    from xinfang_desktop.db.dialect import is_server_url

    return is_server_url(target)


def open_database(target: Path | str, *, migrate: bool = True) -> Database:
    """A database file, or a database on a PostgreSQL server when `target` is a postgresql:// URL."""
    from xinfang_desktop.db.dialect import is_server_url

    if is_server_url(target):
        from xinfang_desktop.db.server import ServerDatabase

        return ServerDatabase(str(target), migrate=migrate)
    return Database(target, migrate=migrate)


class Database:
    """One open database file. `begin()` is one user action: all of it commits, or none."""

    is_server = False  # a PostgreSQL server (db.server.ServerDatabase): backed up by pg_dump, not a file
    backup_suffix = ".sqlite3"  # of its backups' names (db.backups.backup_name)

    def __init__(self, path: Path | str, *, migrate: bool = True) -> None:
        self.path = Path(path).resolve()
        check_sqlite_file(self.path)
        self.changes = 0  # write transactions committed through begin() that changed a row
        self._checks: set[sqlite3.Connection] = set()  # the full checks running, for close() to interrupt
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            if not self.path.exists():
                create_private_file(self.path)  # owner-only from the start; SQLite fills it at once
        except OSError as exc:
            raise StorageError(
                f"无法在“{self.path.parent}”创建数据库文件（{exc.strerror}），请换一个可写的文件夹。"
            ) from exc
        # hide_parameters: a failed statement's message (logged, shown) never carries a matter's values
        self.engine: Engine = create_engine(f"sqlite:///{self.path}", hide_parameters=True)
        event.listen(self.engine, "connect", _set_pragmas)
        event.listen(self.engine, "begin", _begin)
        self._writer = self.engine.execution_options(**{_IMMEDIATE: True})  # the same pool, BEGIN IMMEDIATE
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)
        self._write_sessions = sessionmaker(self._writer, expire_on_commit=False)
        try:
            with self.engine.connect() as conn:
                conn.exec_driver_sql("SELECT count(*) FROM sqlite_master").scalar()
        except SADatabaseError as exc:
            self.engine.dispose()
            known = storage_error(exc, self.path)
            raise known or StorageError(f"数据库文件“{self.path.name}”无法打开（{exc.orig}）。程序不会改写它。") from exc
        self.read_only = not writable(self.path)
        if migrate:
            try:
                self.migrate()
            except BaseException:
                self.engine.dispose()  # refused (a backup that failed its check): no connection left open
                raise
            if not self.read_only:
                self.repair_cache()

    @property
    def label(self) -> str:
        """How messages name this database: its file's path (a server database: name@server)."""
        return str(self.path)

    # sessions ---------------------------------------------------------------------------
    @contextmanager
    def begin(self) -> Iterator[Session]:
        """A write transaction: commits when the block ends, rolls back on any exception.

        It begins IMMEDIATE, so it waits (busy_timeout) while another connection or program writes;
        if the lock is still held after that, StorageError(LOCKED_MESSAGE) and nothing is written.
        """
        try:
            with self._write_sessions.begin() as session:
                driver = session.connection().connection.driver_connection
                assert isinstance(driver, sqlite3.Connection)
                before = driver.total_changes
                yield session
                session.flush()
                changed = driver.total_changes != before
        except (SADatabaseError, sqlite3.DatabaseError) as exc:
            self._raise_known(exc)
        if changed:
            self.changes += 1

    @staticmethod
    def give_way() -> None:
        """Between two write transactions of a long job (an import a batch at a time): let a waiting
        writer in. SQLite keeps no queue: a waiting write polls (every WRITE_POLL_S, see _begin), and
        a job that begins its next batch at once would take the lock again first."""
        time.sleep(GIVE_WAY_S)

    @contextmanager
    def derive(self) -> Iterator[Session]:
        """A read that may keep derived data at its end (the tally's day cache), and commits that.

        It begins deferred and takes no lock for its reading. Its write at the end is refused at
        once (never waited for) if another writer holds the database or has moved it on since the
        read began, so what it keeps was counted from the data as it stands; a refusal is the
        caller's to swallow (a savepoint), the cache simply stays empty for those days.
        """
        try:
            with self._sessions.begin() as session:
                session.info[SECOND_READER] = second_reader
                yield session
        except (SADatabaseError, sqlite3.DatabaseError) as exc:
            self._raise_known(exc)

    @contextmanager
    def read(self) -> Iterator[Session]:
        """A read-only session; whatever it might change is rolled back."""
        try:
            with self._sessions() as session:
                if not self.is_server:  # a server's read() is this one: PostgreSQL counts in parallel itself
                    session.info[SECOND_READER] = second_reader
                try:
                    yield session
                finally:
                    session.rollback()
        except (SADatabaseError, sqlite3.DatabaseError) as exc:
            self._raise_known(exc)

    def _raise_known(self, exc: SADatabaseError | sqlite3.DatabaseError) -> None:
        """Raise the StorageError a locked, read-only, damaged or full database stands for, else `exc` itself."""
        known = storage_error(exc, self.path)
        if known is None:
            raise exc
        raise known from exc

    @staticmethod
    def configure_models() -> None:
        """Have SQLAlchemy configure the mapped classes now, not at the first statement that names one
        (25 ms): the window calls it just after its first paint, which reads only rows (services/__init__.py)."""
        configure_mappers()

    def close(self) -> None:
        for conn in list(self._checks):
            conn.interrupt()  # a full check still running in the background
        self.engine.dispose()

    # migrations -------------------------------------------------------------------------
    def _alembic_config(self) -> Config:
        from alembic.config import Config

        cfg = Config()
        cfg.set_main_option("script_location", str(_MIGRATIONS))
        return cfg

    def current_revision(self) -> str | None:
        from alembic.runtime.migration import MigrationContext

        with self.engine.connect() as conn:
            return MigrationContext.configure(conn).get_current_revision()

    def head_revision(self) -> str | None:
        from alembic.script import ScriptDirectory

        return ScriptDirectory.from_config(self._alembic_config()).get_current_head()

    def _up_to_date(self) -> bool:
        """The everyday case, decided without importing Alembic: the stored version is the one
        shipped revision that no other names as its parent."""
        revisions, parents = shipped_revisions()
        heads = revisions - parents
        if len(heads) != 1:
            return False  # branches or an unusual file: let Alembic decide
        try:
            with self.engine.connect() as conn:
                stored = list(conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalars())
        except SADatabaseError:
            return False  # a new file has no alembic_version table yet
        return stored == list(heads)

    def upgrade_pending(self) -> bool:
        """True when opening will back up and migrate a file that holds data (slow on a large file)."""
        return not self._up_to_date() and self._has_tables()

    def migrate(self, progress: Callable[[str, int, int], None] | None = None) -> Path | None:
        """Bring the schema to head; back up first if the file already holds data. Returns the backup.

        `progress(step, done, total)` hears the backup's pages ("备份"; done == total: the copy is being
        checked) and then the upgrade ("升级", 0, 0). A copy that fails its check raises StorageError and
        the file is not migrated.
        """
        if self._up_to_date():
            return None
        from alembic import command
        from alembic.script import ScriptDirectory

        current = self.current_revision()
        head = self.head_revision()
        if current == head:
            return None
        script = ScriptDirectory.from_config(self._alembic_config())
        if current is not None and not _known_revision(script, current):
            raise StorageError(f"数据库“{self.path.name}”由更新版本的程序创建（版本{current}），请升级本程序后再打开。")
        backup = None
        if self._has_tables():
            # checked whole (integrity_check) before anything is migrated: the copy is the only way back
            # to the data as it was, and a file found damaged here is left as it is, not upgraded. At
            # 1,000,000 matters (2.7 GB) under a load of 5 on 2 cores: copy 38 s, integrity_check 134 s
            # (quick_check alone: 22-25 s), the migrations 18 s; once a release, behind the progress
            # dialog (benchmarks/bench_storage.py on a file of an older version)
            backup = self.backup(reason=f"升级前-{current}", verify="full",
                                 progress=(lambda done, total: progress("备份", done, total)) if progress else None)
            log.info("backed up %s to %s before migrating from %s", self.path, backup, current)
        if progress is not None:
            progress("升级", 0, 0)
        cfg = self._alembic_config()
        with self._writer.connect() as conn:
            # batch migrations rebuild tables; foreign keys must be off for that connection
            driver = conn.connection.driver_connection
            assert driver is not None
            driver.execute("PRAGMA foreign_keys=OFF")  # outside any transaction, or it is ignored
            with conn.begin():
                cfg.attributes["connection"] = conn
                command.upgrade(cfg, "head")
                problems = conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                if problems:
                    raise StorageError(f"数据库升级后发现{len(problems)}处外键错误，已回滚。请联系维护人员，备份在{backup}。")
            driver.execute("PRAGMA foreign_keys=ON")
        log.info("migrated %s from %s to %s", self.path, current, head)
        self.complete_tally_cache()
        return backup

    def complete_tally_cache(self) -> int:
        """Count and keep the tally's days not yet kept (after an upgrade, an import, a copy); how many.

        So that the first 统计 after it reads a few thousand day rows, not a million matters (see
        services.statistics.cache.complete_cache). Derived data: a failure is logged, never raised,
        and the tally then counts those days itself. The counting is the tally's own, imported here
        at the call: one definition of every figure, and an upgrade is the one moment that must run it.
        """
        from xinfang_desktop.services.statistics import complete_cache

        started = time.perf_counter()
        try:
            with self.derive() as session:
                counted = complete_cache(session)
        except Exception:  # noqa: BLE001 - derived data: the tally counts for itself
            log.warning("tally cache of %s not completed\n%s", self.label, traceback.format_exc())
            return 0
        if counted:
            log.info("tally cache of %s: %d days counted (%.1f s)", self.label, counted, time.perf_counter() - started)
        return counted

    def _has_tables(self) -> bool:
        with self.engine.connect() as conn:
            n = conn.exec_driver_sql(
                "SELECT count(*) FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'"
            ).scalar()
        return bool(n)

    # backup and check -------------------------------------------------------------------
    def backup(self, dest: Path | str | None = None, *, reason: str = BY_HAND,
               progress: Callable[[int, int], None] | None = None, verify: Verify = "full",
               at: datetime | None = None) -> Path:
        """A verified, owner-only copy made with the SQLite backup API (db.backups.write_backup).

        `dest` defaults to a new name in `backups/` beside the database. Raises StorageError with
        nothing left behind when it cannot be written.
        """
        if dest is None:
            try:
                folder = backups_dir(self.path)
            except OSError as exc:
                raise StorageError(
                    f"无法使用备份文件夹“{self.path.parent / 'backups'}”（{why_not_written(exc)}；如果那里有一个名为"
                    "backups的文件，请把它改名或移走）。没有备份，数据库本身没有改动。"
                ) from exc
            dest = folder / backup_name(self.path, reason, at or wallclock.now())
        raw = self.engine.raw_connection()
        try:
            source = raw.driver_connection
            assert isinstance(source, sqlite3.Connection)
            return write_backup(source, Path(dest), progress=progress, verify=verify)
        finally:
            raw.close()

    def backup_problems(self, path: Path) -> list[str]:
        """What the whole check of one of this database's backups finds (none: it is whole)."""
        return verify_problems(path)

    def repair_cache(self) -> bool:
        """Drop the tally's day cache if it may be damaged: it is derived data, counted afresh.

        It may be when SQLite finds it damaged, or when the file is cut short: a cut file loses
        its last page, a cache page most often (the cache is written last), and a cache day whose
        last bytes read as zeros can still pass SQLite's checks. True if it was dropped.
        """
        cut = bool(header_problems(self.path))
        try:
            with self.engine.connect() as conn:
                has = conn.exec_driver_sql(
                    "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'tally_days'").scalar()
                if not has:
                    return False
                problems = [] if cut else [r[0] for r in conn.exec_driver_sql("PRAGMA integrity_check('tally_days')")]
        except SADatabaseError as exc:
            problems = [str(exc.orig)]
        if not cut and problems == ["ok"]:
            return False
        log.warning("tally cache of %s dropped (%s): it is counted afresh", self.path,
                    "file cut short" if cut else problems[:3])
        try:
            with self.begin() as session:
                session.execute(text("DELETE FROM tally_days"))
            with self.engine.connect() as conn:
                conn.exec_driver_sql("PRAGMA wal_checkpoint(PASSIVE)")  # the cut last page is written whole again
        except (SADatabaseError, StorageError) as exc:
            log.warning("could not drop the tally cache of %s: %s", self.path, exc)
            return False
        return True

    def quick_check(self, budget_s: float = QUICK_CHECK_BUDGET_S) -> CheckReport:
        """The check at open: the header and the file's length, then SQLite's quick_check for at most
        `budget_s` (a small file is checked whole; on a large one the full check after the first
        paint finishes the job: `finished` is then False).

        quick_check is one long step inside SQLite, which a progress handler cannot stop; it has its
        own connection, interrupted from a timer, so no pooled connection can ever be interrupted late.
        """
        problems = header_problems(self.path)
        finished = True
        try:
            conn = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_MS / 1000, check_same_thread=False)
        except sqlite3.Error as exc:
            return CheckReport(False, (f"数据库：{self.path}", f"  {exc}"))
        timer = threading.Timer(budget_s, conn.interrupt)
        timer.start()
        try:
            rows = [str(r[0]) for r in conn.execute("PRAGMA quick_check(20)")]
            if rows != ["ok"]:
                problems += rows
        except sqlite3.DatabaseError as exc:
            if _sqlite_code(exc) == sqlite3.SQLITE_INTERRUPT:
                finished = False
            else:
                problems.append(str(exc))
        finally:
            timer.cancel()
            conn.close()
        lines = [f"数据库：{self.path}"] + [f"  {p}" for p in problems]
        return CheckReport(not problems, tuple(lines), finished=finished)

    def check(self) -> CheckReport:
        """Integrity and foreign-key checks, reported in Chinese; a damaged file is reported, never raised.

        It runs on a connection of its own, which `close()` interrupts: a check of a large file in the
        background must not keep the program alive after its window closed (`finished` is then False).
        """
        lines: list[str] = [f"数据库：{self.path}"]
        ok = True
        conn = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_MS / 1000, check_same_thread=False)
        self._checks.add(conn)

        def step(label: str, run: Callable[[], Any]) -> Any:
            # a damaged page can make any one of these statements fail: say so and go on with the next
            nonlocal ok
            try:
                return run()
            except sqlite3.DatabaseError as exc:
                if _sqlite_code(exc) == sqlite3.SQLITE_INTERRUPT:
                    raise
                ok = False
                lines.append(f"{label}：无法完成（{exc}）")
                return None

        header = header_problems(self.path)
        if header:
            ok = False
            lines.append("文件检查：" + "；".join(header))
        try:
            integrity = step("完整性检查", lambda: [r[0] for r in conn.execute("PRAGMA integrity_check")])
            if integrity == ["ok"]:
                lines.append("完整性检查：通过")
            elif integrity is not None:
                ok = False
                lines.append(f"完整性检查：发现{len(integrity)}处问题")
                lines.extend(f"  {r}" for r in integrity[:50])
            fks = step("外键检查", lambda: conn.execute("PRAGMA foreign_key_check").fetchall())
            if fks:
                ok = False
                lines.append(f"外键检查：发现{len(fks)}处引用错误")
                lines.extend(f"  表{r[0]} 第{r[1]}行 引用{r[2]}不存在" for r in fks[:50])
            elif fks is not None:
                lines.append("外键检查：通过")
            rev = step("数据库版本", lambda: conn.execute("SELECT version_num FROM alembic_version").fetchone())
            lines.append(f"数据库版本：{rev[0] if rev else None}")
            n = step("信访事项计数", lambda: conn.execute("SELECT count(*) FROM matters").fetchone()[0])
            if n is not None:
                lines.append(f"信访事项：{n}件")
        except sqlite3.DatabaseError:  # interrupted by close()
            return CheckReport(True, (*lines, "检查被中断（程序已关闭），没有结论"), finished=False)
        finally:
            self._checks.discard(conn)
            conn.close()
        if ok:
            lines.append("结论：数据库完好")
        else:
            latest = latest_good_backup(self.path.parent / "backups", self.path)
            lines.append("结论：数据库已损坏，请用备份恢复（xinfang restore --db 数据库 --from 备份文件）"
                         + (f"；最近的完好备份：{latest.path}" if latest else "；备份文件夹中没有完好的备份"))
        return CheckReport(ok, tuple(lines))
