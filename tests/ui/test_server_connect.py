"""文件 → 连接服务器数据库: the window switches to a server database, asking for the password the server wants."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QInputDialog
from pytestqt.qtbot import QtBot

from tests.helpers.qt import record_boxes
from xinfang_desktop.db.database import Database
from xinfang_desktop.ui.main_window import SETTINGS_APP, SETTINGS_ORG, MainWindow
from xinfang_desktop.ui.server_connect import LAST_ADDRESS


@pytest.fixture
def window(qtbot: QtBot, db: Database) -> MainWindow:
    win = MainWindow(db)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    return win


def _answers(monkeypatch: pytest.MonkeyPatch, *answers: str) -> list[str]:
    """QInputDialog.getText answers these in turn; the prompts it was asked are returned."""
    asked: list[str] = []
    queue = list(answers)

    def get_text(_parent, _title, label, *args, **kwargs):  # type: ignore[no-untyped-def]
        asked.append(label)
        return (queue.pop(0), True) if queue else ("", False)

    monkeypatch.setattr(QInputDialog, "getText", get_text)
    return asked


def test_connecting_asks_the_password_the_server_wants_and_keeps_only_the_address(
        window: MainWindow, address: tuple[str, str], monkeypatch: pytest.MonkeyPatch) -> None:
    typed, password = address
    boxes = record_boxes(monkeypatch)
    asked = _answers(monkeypatch, typed, "wrong-password", password)
    assert window.menu_actions["连接服务器数据库…"]
    window.menu_actions["连接服务器数据库…"].trigger()
    assert boxes == []
    assert window.db.is_server and window.db.label in window.windowTitle()
    assert len(asked) == 3 and "密码不对" in asked[2]  # the wrong one refused in Chinese, asked again
    assert "密码不对" not in asked[1]  # nothing was refused yet when it was first asked
    kept = str(QSettings(SETTINGS_ORG, SETTINGS_APP).value(LAST_ADDRESS))
    assert kept == typed and password not in kept


def test_a_file_path_is_not_a_server_address(window: MainWindow, monkeypatch: pytest.MonkeyPatch) -> None:
    boxes = record_boxes(monkeypatch)
    _answers(monkeypatch, "D:/台账/xinfang.sqlite3")
    before = window.db
    window.menu_actions["连接服务器数据库…"].trigger()
    assert window.db is before and "不是服务器地址" in boxes[0]
