"""Database: opens one SQLite file with the right pragmas, migrates it safely, backs it up, checks it."""

from __future__ import annotations

import logging
import re
import sqlite3
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import create_engine, event, text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DatabaseError as SADatabaseError
from sqlalchemy.orm import Session, sessionmaker

from xinfang_desktop.domain.errors import StorageError
from xinfang_desktop.paths import backups_dir

if TYPE_CHECKING:  # Alembic is imported only when a migration is due: it costs most of a second
    from alembic.config import Config
    from alembic.script import ScriptDirectory

log = logging.getLogger(__name__)

_MIGRATIONS = Path(__file__).resolve().parent / "migrations"
_SQLITE_MAGIC = b"SQLite format 3\x00"
BUSY_TIMEOUT_MS = 5000  # how long a write waits for another writer before it says LOCKED_MESSAGE
GIVE_WAY_S = 0.12  # longer than SQLite's longest poll interval in its busy handler (100 ms)
BACKUP_STEP = 16384  # pages a backup step copies (64 MB at 4 KB a page) before telling its progress


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
    conn.exec_driver_sql("BEGIN IMMEDIATE" if conn.get_execution_options().get(_IMMEDIATE) else "BEGIN")


LOCKED_MESSAGE = "数据库正被另一程序写入（如导入台账），请稍候再试"


def is_busy(exc: BaseException) -> bool:
    """Whether an error is SQLite's "database is locked" (SQLITE_BUSY and its extended codes)."""
    orig = getattr(exc, "orig", exc)
    return isinstance(orig, sqlite3.OperationalError) and (getattr(orig, "sqlite_errorcode", 0) & 0xFF) == sqlite3.SQLITE_BUSY


def check_sqlite_file(path: Path) -> None:
    """Refuse, before touching it, a file that exists but is not an SQLite database."""
    if path.is_dir():
        raise StorageError(f"“{path}”是一个文件夹，不是数据库文件。请在 --db 中写出数据库文件的完整路径。")
    if not path.exists() or path.stat().st_size == 0:
        return
    with path.open("rb") as fh:
        header = fh.read(16)
    if header != _SQLITE_MAGIC:
        raise StorageError(f"文件“{path.name}”不是信访台账数据库（不是SQLite文件），程序不会改写它。请选择正确的数据库文件。")


@dataclass(frozen=True)
class CheckReport:
    ok: bool
    lines: tuple[str, ...]

    def text(self) -> str:
        return "\n".join(self.lines)


class Database:
    """One open database file. `begin()` is one user action: all of it commits, or none."""

    def __init__(self, path: Path | str, *, migrate: bool = True) -> None:
        self.path = Path(path).resolve()
        check_sqlite_file(self.path)
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
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
            raise StorageError(f"数据库文件“{self.path.name}”无法打开（{exc.orig}），可能已损坏。程序不会改写它，请用备份恢复。") from exc
        if migrate:
            self.migrate()

    # sessions ---------------------------------------------------------------------------
    @contextmanager
    def begin(self) -> Iterator[Session]:
        """A write transaction: commits when the block ends, rolls back on any exception.

        It begins IMMEDIATE, so it waits (busy_timeout) while another connection or program writes;
        if the lock is still held after that, StorageError(LOCKED_MESSAGE) and nothing is written.
        """
        try:
            with self._write_sessions.begin() as session:
                yield session
        except SADatabaseError as exc:
            if is_busy(exc):
                raise StorageError(LOCKED_MESSAGE) from exc
            raise

    @staticmethod
    def give_way() -> None:
        """Between two write transactions of a long job (an import a batch at a time): let a waiting
        writer in. SQLite keeps no queue: a waiting connection polls, every 100 ms once it has waited
        a while, and a job that begins its next batch at once would take the lock again first."""
        time.sleep(GIVE_WAY_S)

    @contextmanager
    def derive(self) -> Iterator[Session]:
        """A read that may keep derived data at its end (the tally's day cache), and commits that.

        It begins deferred and takes no lock for its reading. Its write at the end is refused at
        once (never waited for) if another writer holds the database or has moved it on since the
        read began, so what it keeps was counted from the data as it stands; a refusal is the
        caller's to swallow (a savepoint), the cache simply stays empty for those days.
        """
        with self._sessions.begin() as session:
            yield session

    @contextmanager
    def read(self) -> Iterator[Session]:
        """A read-only session; whatever it might change is rolled back."""
        with self._sessions() as session:
            try:
                yield session
            finally:
                session.rollback()

    def close(self) -> None:
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

        `progress(step, done, total)` hears the backup's pages ("备份") and then the upgrade ("升级", 0, 0).
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
            backup = self.backup(reason=f"升级前-{current}",
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
        return backup

    def _has_tables(self) -> bool:
        with self.engine.connect() as conn:
            n = conn.exec_driver_sql(
                "SELECT count(*) FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'"
            ).scalar()
        return bool(n)

    # backup and check -------------------------------------------------------------------
    def backup(self, dest: Path | str | None = None, *, reason: str = "手动",
               progress: Callable[[int, int], None] | None = None) -> Path:
        """Copy with the SQLite backup API (a file copy would miss commits still in -wal).

        `progress(pages done, pages in all)` is told as the copy goes, a step of BACKUP_STEP pages.
        """
        if dest is None:
            stamp = datetime.now().strftime("%Y%m%d-%H%M%S-%f")
            dest = backups_dir(self.path) / f"{self.path.stem}-{stamp}-{reason}.sqlite3"
        target = Path(dest)
        target.parent.mkdir(parents=True, exist_ok=True)
        if target.exists():
            raise StorageError(f"备份文件“{target}”已存在，请换一个文件名。")
        raw = self.engine.raw_connection()
        try:
            source = raw.driver_connection
            assert isinstance(source, sqlite3.Connection)
            dst = sqlite3.connect(target)
            try:
                if progress is None:
                    source.backup(dst)
                else:
                    # sleep=0: Python's default rests 250 ms between steps, for other writers we do not have
                    source.backup(dst, pages=BACKUP_STEP, sleep=0,
                                  progress=lambda _status, remaining, total: progress(total - remaining, total))
            finally:
                dst.close()
        finally:
            raw.close()
        return target

    def check(self) -> CheckReport:
        """Integrity and foreign-key checks, reported in Chinese; a damaged file is reported, never raised."""
        lines: list[str] = [f"数据库：{self.path}"]
        ok = True

        def step(label: str, run: Any) -> Any:
            # a damaged page can make any one of these statements fail: say so and go on with the next
            nonlocal ok
            try:
                return run()
            except SADatabaseError as exc:
                ok = False
                lines.append(f"{label}：无法完成（{exc.orig}）")
                return None

        with self.engine.connect() as conn:
            integrity = step("完整性检查", lambda: [r[0] for r in conn.exec_driver_sql("PRAGMA integrity_check")])
            if integrity == ["ok"]:
                lines.append("完整性检查：通过")
            elif integrity is not None:
                ok = False
                lines.append(f"完整性检查：发现{len(integrity)}处问题")
                lines.extend(f"  {r}" for r in integrity[:50])
            fks = step("外键检查", lambda: conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall())
            if fks:
                ok = False
                lines.append(f"外键检查：发现{len(fks)}处引用错误")
                lines.extend(f"  表{r[0]} 第{r[1]}行 引用{r[2]}不存在" for r in fks[:50])
            elif fks is not None:
                lines.append("外键检查：通过")
            from alembic.runtime.migration import MigrationContext

            rev = step("数据库版本", lambda: MigrationContext.configure(conn).get_current_revision())
            lines.append(f"数据库版本：{rev}")
            n = step("信访事项计数", lambda: conn.execute(text("SELECT count(*) FROM matters")).scalar())
            if n is not None:
                lines.append(f"信访事项：{n}件")
        lines.append("结论：" + ("数据库完好" if ok else "数据库已损坏，请用备份恢复"))
        return CheckReport(ok, tuple(lines))
