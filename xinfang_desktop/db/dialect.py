"""What differs between SQLite and PostgreSQL in the SQL the services write, in one place.

Services ask `on_server(session)` where a statement must be spelt differently. Where one
spelling can serve both, the server gets SQLite's: its migrations define julianday(date).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from typing import TYPE_CHECKING, Any, TypeAlias

import sqlalchemy.dialects.sqlite  # noqa: F401 - what create_engine loads for a file: before PySide6 (app.run)
from sqlalchemy import text
from sqlalchemy.engine import Connection

if TYPE_CHECKING:  # the ORM is not imported before the window's first paint (services/__init__.py)
    from sqlalchemy.orm import Session

# what a read of rows is given: a plain connection (Database.rows: before the first paint, no ORM) or a session
Reader: TypeAlias = "Connection | Session"

# Session.info key: a context manager opening a second session beside this one (db.database.second_reader),
# for reads another thread may run at the same time; set only where that is safe (read() and derive())
SECOND_READER = "second_reader"


def is_server_url(target: object) -> bool:
    """A postgresql:// (or postgres://) URL rather than a file path."""
    return isinstance(target, str) and re.match(r"^postgres(ql)?(\+\w+)?://", target) is not None


def on_server(session: Reader) -> bool:
    bind = session if isinstance(session, Connection) else session.get_bind()
    return bind.dialect.name == "postgresql"


def day_param(session: Reader, day: date) -> Any:
    """A date bound into hand-written SQL: ISO text for SQLite (it stores dates so), the date for PostgreSQL."""
    return day if on_server(session) else day.isoformat()


def as_date(value: Any) -> date:
    """A date column read by hand-written SQL: ISO text from SQLite, a date from PostgreSQL."""
    return value if isinstance(value, date) else date.fromisoformat(value)


_PLACEHOLDER = re.compile(r"\?|(?<!:):(\w+)")


class ServerDriver:
    """psycopg's connection spoken to as sqlite3's: `?` and `:name` placeholders, execute/executemany.

    For the bulk jobs' hand-written statements (services.bulk, the ledger importer), which reach
    the driver itself to skip SQLAlchemy's per-statement work."""

    def __init__(self, connection: Any) -> None:
        self.connection = connection

    @staticmethod
    def _spelt(sql: str) -> str:
        return _PLACEHOLDER.sub(lambda m: f"%({m.group(1)})s" if m.group(1) else "%s", sql.replace("%", "%%"))

    def execute(self, sql: str, params: Any = ()) -> Any:
        return self.connection.execute(self._spelt(sql), params)

    def executemany(self, sql: str, rows: Any) -> None:
        with self.connection.cursor() as cursor:
            cursor.executemany(self._spelt(sql), rows)


def driver(session: Session) -> Any:
    """The DB-API connection under the session's transaction, with sqlite3's placeholders on either engine."""
    raw = session.connection().connection.driver_connection
    assert raw is not None
    return ServerDriver(raw) if on_server(session) else raw


def login_name(session: Session) -> str | None:
    """The name of the person logged in to the server (the login role's comment), None on a file."""
    if not on_server(session):
        return None
    found = session.scalar(text("SELECT shobj_description(oid, 'pg_authid') FROM pg_roles WHERE rolname = current_user"))
    return str(found) if found else None


@contextmanager
def second_reader(session: Session) -> Iterator[Session]:
    """A second read session beside `session` on the same data, for reads another thread runs at the
    same time (sqlite3 lets the GIL go while a statement runs, psycopg while it waits on the server:
    the tally's per-day passes). A server's: db.server.snapshot_reader.

    A file: `session`'s read transaction is begun first, so its snapshot is never newer than the
    second's. A write committed in between (another clerk's save) shows only in the second; but then
    the first cannot write any more (a deferred transaction whose snapshot is not the newest is
    refused its write: derive()), so derived data it keeps was never counted from two states of the file.
    """
    if session.get_bind().dialect.name == "postgresql":
        from xinfang_desktop.db.server import snapshot_reader  # that module imports this one

        with snapshot_reader(session) as beside:
            yield beside
        return
    session.execute(text("SELECT count(*) FROM sqlite_master"))  # begins its read (a WAL snapshot)
    with type(session)(session.get_bind()) as beside:  # a Session: no ORM imported here (services/__init__.py)
        try:
            yield beside
        finally:
            beside.rollback()
