"""ServerDatabase: the same Database on a shared PostgreSQL server (14 or later), for an office of several clerks.

What SQLite does by its file, the server does by other means: one write transaction at a time
through a transaction-level advisory lock (as SQLite's BEGIN IMMEDIATE: 编号 and 文号 are the
next of their year, the tally cache is kept from data that nobody is changing), a lock_timeout
instead of busy_timeout, pg_dump instead of the backup API, and a check of what the migrations
installed instead of integrity_check. psycopg is imported only here, when a server is opened.
"""

from __future__ import annotations

import logging
import os
import re
import shutil
import subprocess
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, event, text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, sessionmaker

from xinfang_desktop import wallclock
from xinfang_desktop.db.backups import BY_HAND, PARTIAL, Verify, backup_name, why_not_written
from xinfang_desktop.db.database import Database
from xinfang_desktop.db.dialect import SECOND_READER, second_reader
from xinfang_desktop.db.restore import shipped_revisions
from xinfang_desktop.db.server_address import (
    connect_error,
    label_of,
    server_url,
    sqlstate,
    storage_message,
    without_password,
)
from xinfang_desktop.db.sqlite_file import BUSY_TIMEOUT_MS, CheckReport
from xinfang_desktop.domain.errors import StorageError
from xinfang_desktop.paths import data_dir, private_dir

log = logging.getLogger(__name__)

MIN_SERVER_VERSION = 140000
# pg_advisory_xact_lock keys: any 64-bit number no other program on the server uses
WRITE_LOCK = 0x7869_6E66_0001  # "xinf", one write transaction at a time
MIGRATE_LOCK = 0x7869_6E66_0002  # one program migrates; another starting meanwhile waits, then finds it done

# what the migrations install on PostgreSQL that no foreign key or constraint would show missing
_TRIGGERS = ("events_no_update", "events_no_delete", "matters_fts_ai", "matters_fts_au", "links_fts_ai",
             "links_fts_ad", "petitioners_fts_au", "matters_grams_ai", "matters_grams_au", "matters_grams_ad",
             "links_name_starts", "petitioners_name_starts",  # 0021
             "events_by_login",  # 0028: who wrote each line, and a leader's login only 批示 lines
             # 0014: without them the tally's 交办, 反馈, 催办 and 领导阅批 figures would lag behind
             *(f"sums_{table}_{op}" for table in ("transfers", "instructions") for op in ("ai", "au", "ad")),
             # 0025: without them the 承办单位 table's 办结, 按期 and 超期 would lag behind the reports
             *(f"report_feedback_{op}" for op in ("ai", "au", "ad")),
             # 0029: without them the 承办单位 table would count a transfer on its matter's old day, or voided
             "tally_day_transfers_ai", "tally_day_transfers_au", "tally_day_matters_au")
# what the migrations make on PostgreSQL besides the models' own tables and indexes: the search's
# tables and trigram index (0002, 0004), the board's, the tally's and the follow-up's partial or
# covering indexes (0004-0006, 0014), the prefix search in "C" (0015), the names' starts (0021)
_SERVER_TABLES = ("alembic_version", "matter_fts", "matter_grams", "gram_positions", "tally_days", "matter_name_starts")
_SERVER_INDEXES = ("ix_matter_fts_trgm", "ix_matter_grams_matter", "ix_matters_follow_up", "ix_matters_reviews",
                   "ix_transfers_open", "ix_transfers_tally", "ix_feedback_tally", "ix_matters_tally",
                   # 0020: the tally's per-day breakdowns, and its probes of a matter by id
                   "ix_matters_day_category", "ix_matters_day_place", "ix_matters_tally_by_id",
                   "ix_transfers_day",  # 0029: the 承办单位 pass
                   "ix_matters_source_number_c", *(f"ix_petitioners_{c}_c" for c in ("id_number", "phone")))


def expected_structure() -> tuple[set[str], set[str]]:
    """(tables, indexes) a server database at the newest migration has, by name: the models' (their
    indexes, primary keys and unique constraints) and the server's own."""
    from sqlalchemy import PrimaryKeyConstraint, UniqueConstraint

    from xinfang_desktop.db.models import Base

    tables = set(Base.metadata.tables) | set(_SERVER_TABLES)
    indexes = set(_SERVER_INDEXES)
    for table in Base.metadata.tables.values():
        indexes |= {str(i.name) for i in table.indexes}
        indexes |= {str(c.name) for c in table.constraints if isinstance(c, PrimaryKeyConstraint | UniqueConstraint)}
    return tables, indexes


# what pg_export_snapshot() returns (hex words and a counter: 00000003-0000001B-1), spliced into SET TRANSACTION SNAPSHOT
_SNAPSHOT_ID = re.compile(r"[0-9A-Fa-f]+(-[0-9A-Fa-f]+)+")


@contextmanager
def snapshot_reader(session: Session) -> Iterator[Session]:
    """second_reader on a server: a second session reading `session`'s own snapshot (pg_export_snapshot,
    imported by a REPEATABLE READ, READ ONLY transaction: PostgreSQL's snapshot synchronization),
    whatever commits meanwhile. A server's read() is REPEATABLE READ: both read the data as it stood
    at its first statement. derive() reads committed data statement by statement, but when it keeps
    days it holds the write lock from its start: nothing commits while it counts."""
    snapshot = str(session.scalar(text("SELECT pg_export_snapshot()")))
    if not _SNAPSHOT_ID.fullmatch(snapshot):
        raise RuntimeError(f"unexpected snapshot id {snapshot!r}")
    with Session(session.get_bind()) as beside:
        try:
            beside.execute(text("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY"))
            beside.execute(text(f"SET TRANSACTION SNAPSHOT '{snapshot}'"))
            yield beside
        finally:
            beside.rollback()


class ServerDatabase(Database):
    """One database on a PostgreSQL server. `begin()` is one user action: all of it commits, or none."""

    is_server = True
    backup_suffix = ".dump"

    def __init__(self, target: str, *, migrate: bool = True) -> None:  # noqa: D107  (no super(): no file)
        try:
            import psycopg  # noqa: F401  (only to say clearly that it is missing)
        except ImportError as exc:
            raise StorageError("本程序没有安装连接PostgreSQL服务器所需的组件（psycopg）。"
                               "请安装 xinfang-desktop[server] 后再连接服务器数据库。") from exc
        self.url = server_url(target)
        self.label_of = label_of(self.url)
        # what stays on this PC (pg_dump backups, attachments) has a folder per server database
        self.path = data_dir() / "servers" / re.sub(r"[^\w.@-]", "_", self.label_of) / "xinfang.server"
        self.changes = 0
        self.engine: Engine = create_engine(
            self.url, hide_parameters=True, pool_pre_ping=True,
            connect_args={"connect_timeout": 5, "application_name": "xinfang"},
        )
        event.listen(self.engine, "connect", _set_session)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)
        try:
            with self.engine.connect() as conn:
                version = int(conn.exec_driver_sql("SHOW server_version_num").scalar() or 0)
                self.role = str(conn.exec_driver_sql("SELECT current_user").scalar())
        except DBAPIError as exc:
            self.engine.dispose()
            raise connect_error(exc, self.url) from exc
        if version < MIN_SERVER_VERSION:
            self.engine.dispose()
            raise StorageError(f"服务器上的PostgreSQL版本是{version // 10000}，本程序需要14或更新的版本。"
                               "请管理员升级数据库服务器后再连接。")
        if migrate:
            try:
                self.migrate()
            except BaseException:
                self.engine.dispose()  # refused (no backup, no right to migrate): no connection left open
                raise
        self.read_only = not self._may_write()

    @property
    def label(self) -> str:
        return self.label_of

    def _may_write(self) -> bool:
        with self.engine.connect() as conn:
            return bool(conn.exec_driver_sql(
                "SELECT to_regclass('matters') IS NULL OR has_table_privilege('matters', 'INSERT')").scalar())

    # sessions ---------------------------------------------------------------------------
    @contextmanager
    def begin(self) -> Iterator[Session]:
        """A write transaction: waits (lock_timeout) for the one before it, commits when the block
        ends, rolls back on any exception; StorageError(LOCKED_MESSAGE) if the wait was too long."""
        try:
            with self._sessions.begin() as session:
                session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": WRITE_LOCK})
                yield session
                session.flush()
                # an id is given to a transaction at its first write: none, nothing was written
                changed = session.scalar(text("SELECT pg_current_xact_id_if_assigned() IS NOT NULL"))
        except DBAPIError as exc:
            self._raise_known(exc)
        if changed:
            self.changes += 1

    @staticmethod
    def give_way() -> None:
        """Advisory locks queue their waiters: the next writer is let in without a pause."""

    @contextmanager
    def derive(self) -> Iterator[Session]:
        """A read that may keep derived data at its end (the tally's day cache), and commits that.

        It keeps it only if it holds the write lock from its start, taken without waiting: then no
        clerk's save can change what it counts before it is kept. Without the lock the transaction
        is read-only, its write is refused and the caller's savepoint swallows that (see Database).
        """
        try:
            with self._sessions.begin() as session:
                got = session.scalar(text("SELECT pg_try_advisory_xact_lock(:key)"), {"key": WRITE_LOCK})
                if not got:
                    session.execute(text("SET TRANSACTION READ ONLY"))
                # the tally may count on a second session reading this one's snapshot (second_reader)
                session.info[SECOND_READER] = second_reader
                yield session
        except DBAPIError as exc:
            self._raise_known(exc)

    @staticmethod
    def _begin_read(session: Session) -> None:
        """A read on one snapshot, as a file's: REPEATABLE READ (read-only, it is never refused), so its
        statements, and a second session importing its snapshot (second_reader), read the same data."""
        session.execute(text("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ"))

    def _raise_known(self, exc: Any) -> None:
        message = storage_message(exc, self.role, self.label)
        if message is None:
            raise exc
        raise StorageError(message) from exc

    def close(self) -> None:
        self.engine.dispose()

    # migrations -------------------------------------------------------------------------
    def _stored_revisions(self) -> list[str] | None:
        with self.engine.connect() as conn:
            if conn.exec_driver_sql("SELECT to_regclass('alembic_version')").scalar() is None:
                return None
            return list(conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalars())

    def _up_to_date(self) -> bool:
        revisions, parents = shipped_revisions()
        return self._stored_revisions() == list(revisions - parents)

    def _has_tables(self) -> bool:
        with self.engine.connect() as conn:
            return conn.exec_driver_sql("SELECT to_regclass('matters')").scalar() is not None

    def _may_migrate(self) -> bool:
        """Whether this login owns the tables (or is a superuser): only the owner may change them."""
        with self.engine.connect() as conn:
            return bool(conn.exec_driver_sql(
                "SELECT pg_has_role(current_user, relowner, 'USAGE') FROM pg_class"
                " WHERE oid = to_regclass('matters')").scalar())

    def _cannot_migrate(self) -> str:
        return (f"服务器数据库“{self.label}”需要升级，但账号“{self.role}”没有建表的权限。"
                "请管理员用有权限的账号运行一次本程序（或 xinfang server-setup）完成升级。")

    def migrate(self, progress: Callable[[str, int, int], None] | None = None) -> Path | None:
        """Bring the schema to head in one transaction (PostgreSQL's DDL is transactional: a failed
        migration leaves the database as it was). A database that holds data is first dumped with
        pg_dump (升级前-<version>, into this PC's backups folder), as a file is copied before its
        upgrade; without that dump nothing is migrated. Returns the dump, or None for a new database.

        `progress` hears ("备份", 0, 0) while pg_dump runs, then ("升级", 0, 0)."""
        if self._up_to_date():
            return None
        from alembic import command
        from alembic.script import ScriptDirectory

        backup = None
        stored = self._stored_revisions()
        if stored is not None and self._has_tables():
            if not self._may_migrate():
                raise StorageError(self._cannot_migrate())
            if progress is not None:
                progress("备份", 0, 0)
            try:
                backup = self.backup(reason=f"升级前-{stored[0] if stored else '无版本'}")
            except StorageError as exc:
                raise StorageError(f"服务器数据库“{self.label}”需要升级，升级前要先备份，但备份没有完成：{exc.message}"
                                   "数据库没有升级，也没有改动。") from exc
            log.info("dumped %s to %s before migrating from %s", self.label, backup, stored)
        if progress is not None:
            progress("升级", 0, 0)
        script = ScriptDirectory.from_config(self._alembic_config())
        try:
            with self.engine.connect() as conn, conn.begin():
                conn.execute(text("SET LOCAL lock_timeout = '60s'"))
                conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATE_LOCK})
                conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": WRITE_LOCK})
                from alembic.runtime.migration import MigrationContext

                current = MigrationContext.configure(conn).get_current_revision()
                if current is not None:
                    try:
                        script.get_revision(current)
                    except Exception:  # noqa: BLE001  (Alembic raises CommandError or ResolutionError)
                        raise StorageError(f"服务器数据库“{self.label}”由更新版本的程序创建（版本{current}），"
                                           "请升级本程序后再连接。") from None
                cfg = self._alembic_config()
                cfg.attributes["connection"] = conn
                command.upgrade(cfg, "head")
        except DBAPIError as exc:
            if sqlstate(exc) == "42501":
                raise StorageError(self._cannot_migrate()) from exc
            self._raise_known(exc)
        log.info("migrated server database %s to %s", self.label, script.get_current_head())
        if backup is not None:
            # A migration may rewrite a table (0020's stored columns): the new file has no visibility map, so
            # the board's and the tally's index-only scans visit every row until a VACUUM, and autovacuum does
            # not count a rewrite (board 303 -> 156 ms, tally 4.2 -> 1.2 s at 1M after one; it takes 4 s).
            with self.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
                conn.execute(text("VACUUM (ANALYZE)"))
        self.complete_tally_cache()
        return backup

    # backup and check -------------------------------------------------------------------
    def backup(self, dest: Path | str | None = None, *, reason: str = BY_HAND,
               progress: Callable[[int, int], None] | None = None, verify: Verify = "full",
               at: datetime | None = None) -> Path:
        """pg_dump in its custom format (pg_restore reads it), owner-only, into this PC's backups folder
        (named as a file's backups, with .dump, so they are listed and rotated alike); StorageError if
        pg_dump is not installed or fails. The password travels in pg_dump's environment, never on disk.

        `verify` "full" or "quick": the archive is read through by pg_restore (into nothing) before it
        is renamed into place, so a cut or unreadable dump is never kept as a backup."""
        pg_dump = shutil.which("pg_dump")
        if pg_dump is None:
            raise StorageError(
                "服务器数据库用 pg_dump 备份，但这台电脑上没有安装 pg_dump。请安装 PostgreSQL 客户端"
                "（Debian/统信/麒麟：apt-get install postgresql-client；Windows：PostgreSQL 安装包中的命令行工具），"
                "或请管理员在服务器上运行 pg_dump 备份。")
        if dest is None:
            dest = private_dir(self.path.parent / "backups") / backup_name(self.path, reason, at or wallclock.now(),
                                                                         suffix=self.backup_suffix)
        dest = Path(dest)
        # as a file's backup (db.backups.write_backup): a missing folder is made, an existing file kept
        if dest.exists():
            raise StorageError(f"备份文件“{dest}”已存在，请换一个文件名。")
        try:
            private_dir(dest.parent)
        except OSError as exc:
            raise StorageError(f"备份没有完成：无法使用备份位置“{dest.parent}”（{why_not_written(exc)}），"
                               "请换一个保存位置。") from exc
        env = dict(os.environ)
        if self.url.password:
            env["PGPASSWORD"] = str(self.url.password)
        # the password goes by PGPASSWORD: an argument would show in the process list
        plain = without_password(self.url).set(drivername="postgresql").render_as_string(hide_password=False)
        partial = dest.with_name(dest.name + PARTIAL)
        done = subprocess.run([pg_dump, "--format=custom", f"--file={partial}", f"--dbname={plain}"],
                              env=env, capture_output=True, text=True)
        if done.returncode != 0:
            partial.unlink(missing_ok=True)
            raise StorageError(f"pg_dump 备份没有完成（{done.stderr.strip()[:300]}）。请检查 pg_dump 的版本不低于服务器的版本，"
                               "以及账号有读取全部表的权限。")
        partial.chmod(0o600)
        problems = self.backup_problems(partial) if verify != "none" else []
        if problems:
            partial.unlink(missing_ok=True)
            raise StorageError(f"pg_dump 写好的备份读不出来（{problems[0]}），已删除这份备份。请检查磁盘空间后再试。")
        os.replace(partial, dest)
        log.info("pg_dump of %s written to %s", self.label, dest)
        return dest

    def backup_problems(self, path: Path) -> list[str]:
        """What pg_restore finds reading the whole archive (none: it is whole); nothing is restored."""
        pg_restore = shutil.which("pg_restore")
        if pg_restore is None:
            log.warning("pg_restore is not installed: the dump %s was not read back", path)
            return []
        done = subprocess.run([pg_restore, "--file=/dev/null", str(path)], capture_output=True, text=True)
        return [done.stderr.strip()[:300] or f"pg_restore exit {done.returncode}"] if done.returncode else []

    def repair_cache(self) -> bool:
        """A server never hands back a cut file: nothing to repair."""
        return False

    def quick_check(self, budget_s: float = 0.3) -> CheckReport:
        """The cheap check at open and before an upgrade, from the catalogue and one read, bounded by
        `budget_s` (statement_timeout: `finished` False when it ran out): the server answers a read of
        the matters; the schema's revision is one this program knows; no index is invalid (a failed
        CREATE INDEX CONCURRENTLY or REINDEX leaves one the planner skips: search or the board slow
        beyond use); and, at the newest revision, every table, index and trigger the migrations make
        is there. What the pages hold the server checks itself (checksums, constraints)."""
        lines = [f"数据库：{self.label}（服务器）"]
        try:
            with self.engine.connect() as conn, conn.begin():
                conn.exec_driver_sql(f"SET LOCAL statement_timeout = {max(1, int(budget_s * 1000))}")
                problems = _structure_problems(conn)
                if not problems and conn.exec_driver_sql("SELECT to_regclass('matters')").scalar() is not None:
                    conn.exec_driver_sql("SELECT id FROM matters ORDER BY id DESC LIMIT 1").all()
        except DBAPIError as exc:
            if sqlstate(exc) == "57014":  # statement_timeout: what was checked was sound, the rest not checked
                return CheckReport(True, tuple(lines), finished=False)
            problems = [f"读取失败：{str(getattr(exc, 'orig', exc)).strip().splitlines()[0]}"]
        return CheckReport(not problems, (*lines, *(f"  {p}" for p in problems)))

    def check(self) -> CheckReport:
        """What PostgreSQL does not check by itself: that the migrations' triggers, the trigram
        search and the search table are all there and in step with the matters."""
        lines = [f"数据库：{self.label}（服务器）"]
        ok = True
        with self.engine.connect() as conn:
            version = conn.exec_driver_sql("SHOW server_version").scalar()
            lines.append(f"服务器：PostgreSQL {version}")
            lines.append("完整性检查：由服务器保证（页校验、外键和唯一约束始终生效）")
            problems = _structure_problems(conn)
            if problems:
                ok = False
                lines.extend(f"结构检查：{p}" for p in problems)
            else:
                lines.append("结构检查：通过（表、索引、触发器齐全，索引有效）")
            trgm = conn.exec_driver_sql("SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm'").scalar()
            matters = int(conn.exec_driver_sql("SELECT count(*) FROM matters").scalar() or 0)
            indexed = int(conn.exec_driver_sql("SELECT count(*) FROM matter_fts").scalar() or 0)
            if not trgm or indexed != matters:
                ok = False
                lines.append(f"检索索引：{'缺少pg_trgm扩展；' if not trgm else ''}"
                             f"{indexed}件已编入索引，共{matters}件")
            else:
                lines.append("检索索引：通过")
            lines.append("外键检查：通过（服务器始终检查外键）")
            rev = conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalar()
            lines.append(f"数据库版本：{rev}")
            lines.append(f"信访事项：{matters}件")
        lines.append("结论：数据库完好" if ok else "结论：数据库缺少部分结构，请用有权限的账号重新打开一次以完成升级")
        return CheckReport(ok, tuple(lines))


def _structure_problems(conn: Any) -> list[str]:
    """What is wrong with the schema, by the catalogue: an unknown revision, an invalid index, and (at
    the newest revision; an older one is about to be upgraded) a missing table, index or trigger."""
    if conn.exec_driver_sql("SELECT to_regclass('alembic_version')").scalar() is None:
        return []  # a new database: the migrations are about to make all of it
    stored = list(conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalars())
    revisions, parents = shipped_revisions()
    unknown = [r for r in stored if r not in revisions]
    if unknown:
        return [f"数据库版本{'、'.join(unknown)}由更新版本的程序创建，请升级本程序后再连接"]
    found = conn.exec_driver_sql(
        "SELECT c.relname, c.relkind, coalesce(i.indisvalid AND i.indisready, true) FROM pg_class c"
        " LEFT JOIN pg_index i ON i.indexrelid = c.oid"
        " WHERE c.relnamespace = current_schema()::regnamespace AND c.relkind IN ('r', 'p', 'i')").all()
    problems = [f"索引{name}无效（请管理员在服务器上运行 REINDEX INDEX {name}）"
                for name, _kind, valid in found if not valid]
    if sorted(stored) == sorted(revisions - parents):
        tables, indexes = expected_structure()
        missing = sorted(tables - {n for n, kind, _ in found if kind in ("r", "p")})
        missing += sorted(indexes - {n for n, kind, _ in found if kind == "i"})
        have = set(conn.exec_driver_sql("SELECT tgname FROM pg_trigger WHERE NOT tgisinternal").scalars())
        missing += [t for t in _TRIGGERS if t not in have]
        if missing:
            problems.append(f"缺少{len(missing)}个表、索引或触发器（{'、'.join(missing[:10])}"
                            f"{'等' if len(missing) > 10 else ''}），请用有权限的账号重新打开一次以完成升级")
    return problems


def _set_session(dbapi_connection: Any, _record: Any) -> None:
    """Every connection waits for a lock as long as SQLite's busy_timeout, then says LOCKED_MESSAGE."""
    with dbapi_connection.cursor() as cursor:
        cursor.execute(f"SET lock_timeout = {BUSY_TIMEOUT_MS}")
    dbapi_connection.commit()
