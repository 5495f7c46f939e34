"""The services run on both engines: every test here once on an SQLite file and once on the PostgreSQL server.

A test about SQLite itself (its files, its planner, its pragmas) is marked `sqlite_only`; what stands
for it on the server is tested in tests/db/test_server.py."""

from __future__ import annotations

import pytest

from tests.conftest import ENGINES


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "engine" in metafunc.fixturenames:
        metafunc.parametrize("engine", ["sqlite"] if metafunc.definition.get_closest_marker("sqlite_only") else ENGINES)
