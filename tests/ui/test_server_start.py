"""The window started on a server database: `xinfang --db postgresql://登录名@…` asks for the password, and a
program last used on the server starts on it again (asking it) rather than on the empty file of this PC."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QInputDialog, QMessageBox
from pytestqt.qtbot import QtBot

from tests.helpers.qt import record_boxes
from xinfang_desktop.db.database import Database
from xinfang_desktop.paths import default_db_path
from xinfang_desktop.ui.main_window import SETTINGS_APP, SETTINGS_ORG, MainWindow
from xinfang_desktop.ui.server_connect import AT_START, LAST_ADDRESS
from xinfang_desktop.ui.startup import open_at_start


@pytest.fixture(autouse=True)
def _nothing_remembered() -> Iterator[QSettings]:
    """Qt reads its settings folder once per process: what another test kept is cleared."""
    settings = QSettings(SETTINGS_ORG, SETTINGS_APP)
    for key in (AT_START, LAST_ADDRESS):
        settings.remove(key)
    yield settings
    for key in (AT_START, LAST_ADDRESS):
        settings.remove(key)


def _answers(monkeypatch: pytest.MonkeyPatch, *answers: str | None) -> list[str]:
    """QInputDialog.getText answers these in turn (None: 取消); the prompts it showed are returned."""
    asked: list[str] = []
    queue = list(answers)

    def get_text(_parent, _title, label, *args, **kwargs):  # type: ignore[no-untyped-def]
        asked.append(label)
        answer = queue.pop(0) if queue else None
        return (answer, True) if answer is not None else ("", False)

    monkeypatch.setattr(QInputDialog, "getText", get_text)
    return asked


def _questions(monkeypatch: pytest.MonkeyPatch, answer: QMessageBox.StandardButton) -> list[str]:
    asked: list[str] = []
    monkeypatch.setattr(QMessageBox, "question", lambda _p, _t, text, *a, **k: (asked.append(text), answer)[1])
    return asked


def _close(db: Database | None) -> None:
    if db is not None:
        db.close()


def test_the_window_started_on_a_server_asks_the_password_and_keeps_only_the_address(
        address: tuple[str, str], monkeypatch: pytest.MonkeyPatch, _nothing_remembered: QSettings) -> None:
    typed, password = address
    boxes = record_boxes(monkeypatch)
    asked = _answers(monkeypatch, "wrong-password", password)
    db = open_at_start(typed)
    try:
        assert db is not None and db.is_server and boxes == []
        assert len(asked) == 2
        # the first prompt asks; only after a wrong one does it say the password was refused
        assert "密码不对" not in asked[0] and "xinfang_admin" in asked[0]
        assert "密码不对" in asked[1]
        for key in (LAST_ADDRESS, AT_START):
            kept = str(_nothing_remembered.value(key))
            assert kept == typed and password not in kept
    finally:
        _close(db)


def test_a_password_not_given_at_start_ends_the_program_without_a_box(
        address: tuple[str, str], monkeypatch: pytest.MonkeyPatch) -> None:
    boxes = record_boxes(monkeypatch)
    _answers(monkeypatch, None)
    assert open_at_start(address[0]) is None
    assert boxes == []


def test_started_without_db_the_program_reopens_the_server_it_was_last_used_on(
        address: tuple[str, str], monkeypatch: pytest.MonkeyPatch, _nothing_remembered: QSettings) -> None:
    typed, password = address
    _nothing_remembered.setValue(AT_START, typed)
    asked = _answers(monkeypatch, password)
    db = open_at_start(None)
    try:
        assert db is not None and db.is_server and len(asked) == 1
        assert not default_db_path().exists()  # the empty file of this PC was never made
    finally:
        _close(db)


def test_a_server_not_reached_at_start_offers_the_local_file_saying_it_is_not_the_server(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, _nothing_remembered: QSettings) -> None:
    _nothing_remembered.setValue(AT_START, f"postgresql://wang@/xinfang?host={tmp_path / 'no-server'}")
    asked = _questions(monkeypatch, QMessageBox.StandardButton.Yes)
    db = open_at_start(None)
    try:
        assert len(asked) == 1 and "无法连接服务器" in asked[0] and "不在服务器上" in asked[0]
        assert db is not None and not db.is_server and db.path == default_db_path()
    finally:
        _close(db)
    asked = _questions(monkeypatch, QMessageBox.StandardButton.No)
    assert open_at_start(None) is None and len(asked) == 1


def test_the_password_cancelled_at_start_offers_the_local_file(
        address: tuple[str, str], monkeypatch: pytest.MonkeyPatch, _nothing_remembered: QSettings) -> None:
    _nothing_remembered.setValue(AT_START, address[0])
    _answers(monkeypatch, None)
    asked = _questions(monkeypatch, QMessageBox.StandardButton.No)
    assert open_at_start(None) is None
    assert len(asked) == 1 and "没有连接服务器数据库" in asked[0]


def test_a_file_opened_from_the_menu_is_where_the_next_start_goes(
        qtbot: QtBot, db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        _nothing_remembered: QSettings) -> None:
    _nothing_remembered.setValue(AT_START, "postgresql://wang@/xinfang?host=/nowhere")
    window = MainWindow(db)
    qtbot.addWidget(window)
    record_boxes(monkeypatch)
    other = Database(tmp_path / "other.sqlite3")
    other.close()
    assert window.open_database_path(tmp_path / "other.sqlite3", create=False)
    assert _nothing_remembered.value(AT_START) == ""
    opened = open_at_start(None)
    try:
        assert opened is not None and opened.path == default_db_path()
    finally:
        _close(opened)
