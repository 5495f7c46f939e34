"""Shared fixtures: headless Qt, a fresh database file per test, typing Chinese into widgets."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# The day every test runs "on" (xinfang_desktop.wallclock), so the suite never depends on the day it is
# run; subprocesses inherit it. Run the suite on another day with XINFANG_TODAY=2028-02-29 pytest.
os.environ.setdefault("XINFANG_TODAY", "2026-12-02")
os.environ.setdefault("QT_QPA_FONTDIR", os.path.join(os.path.dirname(__file__), "..", "resources", "fonts"))

from collections.abc import Iterator  # noqa: E402
from pathlib import Path  # noqa: E402

import pytest  # noqa: E402

from xinfang_desktop.db.database import Database  # noqa: E402
from xinfang_desktop.services.office import seed_demo_office  # noqa: E402
from xinfang_desktop.services.reference import seed_defaults  # noqa: E402


@pytest.fixture(autouse=True)
def _user_data_in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Nothing a test does may touch the real user data folder."""
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg-data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg-config"))


@pytest.fixture
def db(tmp_path: Path) -> Iterator[Database]:
    """A new database file with the default lists and the demo office (青石县城关镇, its units and places)."""
    database = Database(tmp_path / "test.sqlite3")
    with database.begin() as session:
        seed_defaults(session)
        seed_demo_office(session)
    yield database
    database.close()


@pytest.fixture
def real_db(tmp_path: Path) -> Iterator[Database]:
    """A new database as a real office gets it: the generic lists only, no office named yet."""
    database = Database(tmp_path / "real.sqlite3")
    with database.begin() as session:
        seed_defaults(session)
    yield database
    database.close()
