"""Shared fixtures: headless Qt, a fresh database per test (a file, or on the test PostgreSQL server), typing Chinese."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# The day every test runs "on" (xinfang_desktop.wallclock), so the suite never depends on the day it is
# run; subprocesses inherit it. Run the suite on another day with XINFANG_TODAY=2028-02-29 pytest.
os.environ.setdefault("XINFANG_TODAY", "2026-12-02")
os.environ.setdefault("QT_QPA_FONTDIR", os.path.join(os.path.dirname(__file__), "..", "resources", "fonts"))

import itertools  # noqa: E402
from collections.abc import Callable, Iterator  # noqa: E402
from pathlib import Path  # noqa: E402

import pytest  # noqa: E402

from xinfang_desktop.db.database import Database, open_database  # noqa: E402
from xinfang_desktop.services.office import seed_demo_office  # noqa: E402
from xinfang_desktop.services.reference import seed_defaults  # noqa: E402


@pytest.fixture(autouse=True)
def _user_data_in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Nothing a test does may touch the real user data folder."""
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg-data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg-config"))


class Server:
    """The test PostgreSQL server: a database migrated once, copied (CREATE DATABASE … TEMPLATE) for each test."""

    def __init__(self, url_of: Callable[[str], str]) -> None:
        from sqlalchemy import create_engine

        self.url_of = url_of
        self.admin = create_engine(url_of("postgres").replace("postgresql://", "postgresql+psycopg://"),
                                   isolation_level="AUTOCOMMIT", poolclass=_null_pool())
        self._names = itertools.count(1)
        # one template per test run: two runs on one server (XINFANG_TEST_PG_URL) never share one
        self.template = f"xinfang_template_{os.getpid()}"
        self._execute(f"DROP DATABASE IF EXISTS {self.template}")
        self._execute(f"CREATE DATABASE {self.template}")
        open_database(url_of(self.template)).close()

    def _execute(self, sql: str) -> None:
        with self.admin.connect() as conn:
            conn.exec_driver_sql(sql)

    def new_name(self, *, locale: str | None = None) -> str:
        """A new database of the current schema, empty: its name (its URL is `url_of(name)`). With a
        `locale` (its collation and character classes) a new database without tables instead."""
        name = f"xinfang_test_{os.getpid()}_{next(self._names)}"
        if locale is None:
            self._execute(f"CREATE DATABASE {name} TEMPLATE {self.template}")
        else:
            self._execute(f"CREATE DATABASE {name} TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE '{locale}'"
                          f" LC_CTYPE '{locale}'")
        return name

    def drop(self, name: str) -> None:
        self._execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")

    def close(self) -> None:
        self.drop(self.template)
        self.admin.dispose()


def _null_pool():  # type: ignore[no-untyped-def]
    from sqlalchemy.pool import NullPool

    return NullPool


@pytest.fixture(scope="session")
def pg_server() -> Iterator[Server]:
    """The server the PostgreSQL half runs on: XINFANG_TEST_PG_URL's, or a throwaway cluster started here.

    No server is an error, never a skip: CI installs PostgreSQL, and the half must run there."""
    url = os.environ.get("XINFANG_TEST_PG_URL")
    if url:
        base, _, query = url.partition("?")
        root = base.rsplit("/", 1)[0]
        server = Server(lambda name: f"{root}/{name}" + (f"?{query}" if query else ""))
        yield server
        server.close()
        return
    from tests.helpers.postgres import start_cluster

    try:
        cluster = start_cluster()
    except RuntimeError as exc:
        pytest.fail(f"the PostgreSQL half of the tests needs a server: {exc}", pytrace=False)
    try:
        yield Server(cluster.url)
    finally:
        cluster.stop()  # the whole cluster goes, its databases with it


ENGINES = ("sqlite", "postgresql")


@pytest.fixture
def engine() -> str:
    """sqlite; tests/services and the command-line tests run with both engines (`both_engines` in their conftest)."""
    return "sqlite"


@pytest.fixture
def new_database(request: pytest.FixtureRequest, tmp_path: Path, engine: str) -> Iterator[Callable[[str], Database]]:
    """Opens new, empty databases (by file name; on the server, a new database each) on the test's
    `engine`, and closes (and drops) them afterwards."""
    opened: list[tuple[Database, str | None]] = []

    def make(name: str) -> Database:
        if engine == "sqlite":
            database = Database(tmp_path / name)
            opened.append((database, None))
        else:
            server: Server = request.getfixturevalue("pg_server")
            name = server.new_name()
            database = open_database(server.url_of(name))
            opened.append((database, name))
        return database

    yield make
    for database, name in opened:
        database.close()
        if name is not None:
            request.getfixturevalue("pg_server").drop(name)


@pytest.fixture(params=ENGINES)
def target(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """What a command-line test passes as --db, once for each engine: a file not yet made, or a new
    server database (its schema made, nothing in it)."""
    if request.param == "sqlite":
        return str(tmp_path / "demo.sqlite3")
    server: Server = request.getfixturevalue("pg_server")
    name = server.new_name()
    request.addfinalizer(lambda: server.drop(name))
    return server.url_of(name)


@pytest.fixture
def db(new_database: Callable[[str], Database]) -> Database:
    """A new database with the default lists and the demo office (青石县城关镇, its units and places)."""
    database = new_database("test.sqlite3")
    with database.begin() as session:
        seed_defaults(session)
        seed_demo_office(session)
    return database


@pytest.fixture
def real_db(new_database: Callable[[str], Database]) -> Database:
    """A new database as a real office gets it: the generic lists only, no office named yet."""
    database = new_database("real.sqlite3")
    with database.begin() as session:
        seed_defaults(session)
    return database
