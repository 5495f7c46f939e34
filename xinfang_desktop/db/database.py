"""Database: opens one SQLite file with the right pragmas, migrates it safely, backs it up; the file itself
(its header, its errors in Chinese, its checks) is db/sqlite_file.py, a restore db/restore.py."""

from __future__ import annotations

import logging
import sqlite3
import time
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import create_engine, event, text
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import DatabaseError as SADatabaseError

from xinfang_desktop import wallclock
from xinfang_desktop.db import sqlite_file
from xinfang_desktop.db.backups import (
    BY_HAND,
    Verify,
    backup_name,
    sqlite_code,
    verify_problems,
    why_not_written,
    write_backup,
)
from xinfang_desktop.db.dialect import SECOND_READER, second_reader
from xinfang_desktop.db.restore import MIGRATIONS, shipped_revisions
from xinfang_desktop.db.sqlite_file import (
    CheckReport,
    check_sqlite_file,
    full_check,
    header_problems,
    quick_check,
    storage_error,
    writable,
)
from xinfang_desktop.domain.errors import StorageError
from xinfang_desktop.paths import backups_dir, create_private_file

# Alembic is imported only when a migration is due (it costs most of a second), the ORM at the first session,
# after the window's first paint (services/__init__.py)
if TYPE_CHECKING:
    from alembic.config import Config
    from alembic.script import ScriptDirectory
    from sqlalchemy.orm import Session, sessionmaker

log = logging.getLogger(__name__)

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
    cursor.execute(f"PRAGMA busy_timeout={sqlite_file.BUSY_TIMEOUT_MS}")
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
    deadline = time.monotonic() + sqlite_file.BUSY_TIMEOUT_MS / 1000
    driver.execute("PRAGMA busy_timeout=0")
    try:
        while True:
            try:
                driver.execute("BEGIN IMMEDIATE")
                return
            except sqlite3.OperationalError as exc:
                if sqlite_code(exc) != sqlite3.SQLITE_BUSY or time.monotonic() > deadline:
                    raise
            time.sleep(WRITE_POLL_S)
    finally:
        driver.execute(f"PRAGMA busy_timeout={sqlite_file.BUSY_TIMEOUT_MS}")


def server_address(target: str, *, password: str | None = None) -> tuple[str, str]:
    """(the login name, the address) of a postgresql:// address: without any password in it, or
    with `password` put in (for the window, which may not reach SQLAlchemy itself)."""
    from xinfang_desktop.db.server_address import server_url, without_password

    url = server_url(target).set(drivername="postgresql")
    url = without_password(url) if password is None else url.set(password=password)
    return url.username or "", url.render_as_string(hide_password=False)


def password_given(target: str) -> bool:
    """Whether a postgresql:// address has a password written into it."""
    from xinfang_desktop.db.server_address import server_url

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
    @cached_property
    def _sessions(self) -> sessionmaker[Session]:
        from sqlalchemy.orm import sessionmaker

        return sessionmaker(self.engine, expire_on_commit=False)

    @cached_property
    def _write_sessions(self) -> sessionmaker[Session]:
        from sqlalchemy.orm import sessionmaker

        return sessionmaker(self._writer, expire_on_commit=False)

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
    def rows(self) -> Iterator[Connection]:
        """A read of rows on a plain connection, no ORM: what the window reads before its first paint."""
        try:
            with self.engine.connect() as conn:  # its close rolls back what it began
                yield conn
        except (SADatabaseError, sqlite3.DatabaseError) as exc:
            self._raise_known(exc)

    @contextmanager
    def read(self) -> Iterator[Session]:
        """A read-only session; whatever it might change is rolled back."""
        try:
            with self._sessions() as session:
                self._begin_read(session)
                session.info[SECOND_READER] = second_reader
                try:
                    yield session
                finally:
                    session.rollback()
        except (SADatabaseError, sqlite3.DatabaseError) as exc:
            self._raise_known(exc)

    @staticmethod
    def _begin_read(session: Session) -> None:
        """What read() begins with (a file's read is one WAL snapshot from its first statement anyway)."""

    def _raise_known(self, exc: SADatabaseError | sqlite3.DatabaseError) -> None:
        """Raise the StorageError a locked, read-only, damaged or full database stands for, else `exc` itself."""
        known = storage_error(exc, self.path)
        if known is None:
            raise exc
        raise known from exc

    @staticmethod
    def configure_models() -> None:
        """Import the ORM and the mapped classes and configure them now, not at the first action that needs
        one: the window calls it just after its first paint, which reads through Core (services/__init__.py)."""
        from sqlalchemy.orm import configure_mappers

        from xinfang_desktop.db import models  # noqa: F401 - the classes configure_mappers configures

        configure_mappers()

    def close(self) -> None:
        for conn in list(self._checks):
            conn.interrupt()  # a full check still running in the background
        self.engine.dispose()

    # migrations -------------------------------------------------------------------------
    def _alembic_config(self) -> Config:
        from alembic.config import Config

        cfg = Config()
        cfg.set_main_option("script_location", str(MIGRATIONS))
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
        """The check at open (sqlite_file.quick_check): a large file is finished by check() after the first paint."""
        return quick_check(self.path, budget_s)

    def check(self) -> CheckReport:
        """The whole file checked (sqlite_file.full_check) on a connection of its own, which `close()` interrupts:
        a check of a large file in the background must not keep the program alive after its window closed."""
        return full_check(self.path, self._checks)
