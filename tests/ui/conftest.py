"""Fixtures shared by the window's tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy.engine import make_url

from tests.conftest import Server
from xinfang_desktop.db.server_address import without_password


@pytest.fixture
def address(pg_server: Server) -> Iterator[tuple[str, str]]:
    """(a new server database's address as a clerk types it or keeps it in a shortcut, without the password;
    the password)."""
    name = pg_server.new_name()
    url = make_url(pg_server.url_of(name))
    yield without_password(url).render_as_string(hide_password=False), str(url.password)
    pg_server.drop(name)
