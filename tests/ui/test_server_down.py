"""The server going away mid-session (stopped, restarted, the network down): one Chinese message saying what to do,
for a save and for F5 alike, never a bug report; once it is back the next save works without reopening."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot
from sqlalchemy.engine import make_url

from tests.conftest import Server
from tests.helpers.qt import record_boxes
from xinfang_desktop.db.database import Database, open_database
from xinfang_desktop.domain.errors import StorageError
from xinfang_desktop.services.office import seed_demo_office
from xinfang_desktop.services.reference import seed_defaults
from xinfang_desktop.ui.main_window import MainWindow
from xinfang_desktop.ui.startup import install_crash_handler


class Link:
    """The server's socket folder as this PC reaches it: a symbolic link that can be cut (the network down)."""

    def __init__(self, path: Path, folder: str) -> None:
        self.path, self.folder = path, folder
        self.up()

    def up(self) -> None:
        self.path.symlink_to(self.folder, target_is_directory=True)

    def down(self) -> None:
        self.path.unlink()


@pytest.fixture
def server_db(pg_server: Server, tmp_path: Path) -> Iterator[tuple[Database, Link, str]]:
    name = pg_server.new_name()
    url = make_url(pg_server.url_of(name))
    link = Link(tmp_path / "pg", str(url.query["host"]))
    db = open_database(url.update_query_dict({"host": str(link.path)}).render_as_string(hide_password=False))
    with db.begin() as session:
        seed_defaults(session)
        seed_demo_office(session)
    yield db, link, name
    db.close()
    pg_server.drop(name)


def _server_goes_away(pg_server: Server, name: str, link: Link) -> None:
    """The server ends this database's connections and cannot be reached again."""
    pg_server._execute(f"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{name}'")
    link.down()


def test_a_save_and_f5_with_the_server_gone_say_so_once_each_and_work_again_after(
        qtbot: QtBot, qapp, pg_server: Server, server_db: tuple[Database, Link, str],  # type: ignore[no-untyped-def]
        monkeypatch: pytest.MonkeyPatch) -> None:
    db, link, name = server_db
    window = MainWindow(db)
    qtbot.addWidget(window)
    window.register_tab.matter_list.apply_filter()
    boxes = record_boxes(monkeypatch)
    _server_goes_away(pg_server, name, link)
    tab = window.register_tab
    tab.ui.name_edit.setText("钟华")
    tab.ui.title_edit.setText("反映饮水困难")
    assert tab.save() is None
    assert len(boxes) == 1 and "无法连接服务器数据库" in boxes[0] and "没有保存" in boxes[0]
    assert "程序错误" not in boxes[0] and "OperationalError" not in boxes[0]
    window.refresh_all()
    assert boxes[1:] == boxes[:1]  # F5: the same message, once, not one per tab
    link.up()
    assert tab.ui.title_edit.text() == "反映饮水困难"  # what the clerk typed is still there
    ref = tab.save()
    assert ref is not None and len(boxes) == 2


def test_a_known_error_outside_an_action_is_shown_as_itself_not_as_a_bug(
        qapp, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    boxes = record_boxes(monkeypatch)
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)  # restored after the test
    install_crash_handler(qapp, smoke=False)
    try:
        raise StorageError("无法连接服务器数据库“xinfang@pg”：服务器没有运行，或网络不通。")
    except StorageError as exc:
        sys.excepthook(type(exc), exc, exc.__traceback__)
    assert boxes == ["无法连接服务器数据库“xinfang@pg”：服务器没有运行，或网络不通。"]
