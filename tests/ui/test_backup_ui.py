"""The window's backups: the check and the day's backup after the first paint, the backup at close, 从备份恢复, 设置→备份."""

from __future__ import annotations

import sqlite3
from datetime import date, datetime
from pathlib import Path

import pytest
from PySide6.QtWidgets import QFileDialog, QMessageBox
from pytestqt.qtbot import QtBot

from tests.helpers.qt import WAIT_MS, record_boxes
from xinfang_desktop.db.backups import AT_CLOSE, BEFORE_RESTORE, DAILY, list_backups
from xinfang_desktop.db.database import Database
from xinfang_desktop.domain.enums import Channel
from xinfang_desktop.domain.values import MatterInput, PetitionerInput
from xinfang_desktop.services.backups import second_folder
from xinfang_desktop.services.reference import seed_defaults
from xinfang_desktop.services.registry import register_matter
from xinfang_desktop.services.search import count_matters
from xinfang_desktop.ui.backups.backup_ui import BackupSettingsDialog, start_storage_guard
from xinfang_desktop.ui.main_window import MainWindow

NOW = datetime(2026, 6, 30, 8, 30)


def _save(db: Database, title: str) -> None:
    with db.begin() as s:
        register_matter(s, MatterInput(received_on=date(2026, 3, 3), channel=Channel.LETTER, title=title,
                                       petitioners=(PetitionerInput("王建国"),)), now=date(2026, 3, 3))


@pytest.fixture
def opened(tmp_path: Path) -> Database:
    db = Database(tmp_path / "台账.sqlite3")
    with db.begin() as s:
        seed_defaults(s)
    return db


@pytest.fixture
def window(qtbot: QtBot, opened: Database) -> MainWindow:
    win = MainWindow(opened)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    return win


def _backups(db: Database) -> list[str]:
    return [b.reason for b in list_backups(db.path.parent / "backups", db.path)]


def test_the_first_start_of_the_day_checks_then_backs_up(qtbot: QtBot, window: MainWindow, opened: Database) -> None:
    guard = start_storage_guard(window, now=NOW)
    qtbot.waitUntil(lambda: _backups(opened) == [DAILY], timeout=WAIT_MS)
    qtbot.waitUntil(lambda: "已自动备份" in window.statusBar().currentMessage(), timeout=WAIT_MS)
    assert guard is window.storage_guard


def test_damage_found_after_the_first_paint_offers_the_latest_good_backup(
    qtbot: QtBot, window: MainWindow, opened: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    _save(opened, "第一件")
    good = opened.backup(at=datetime(2026, 6, 29, 17))
    asked: list[str] = []
    monkeypatch.setattr(QMessageBox, "question", lambda _p, _t, text, *a, **k: (
        asked.append(text), QMessageBox.StandardButton.Yes)[1])
    shown = record_boxes(monkeypatch)
    # the full check finds what the quick one at open does not: a row that refers to no matter
    other = sqlite3.connect(opened.path)  # another program, foreign keys off (SQLite's default)
    other.execute("INSERT INTO matter_petitioners (matter_id, petitioner_id, role, position) "
                  "VALUES (999, 999, '信访人', 0)")
    other.commit()
    other.close()
    start_storage_guard(window, now=NOW)
    qtbot.waitUntil(lambda: bool(asked), timeout=WAIT_MS)
    assert "已损坏" in asked[0] and "2026-06-29 17:00" in asked[0]
    qtbot.waitUntil(lambda: any("已从" in t for t in shown), timeout=WAIT_MS)  # restored at the clerk's yes
    assert window.db.check().ok
    assert DAILY not in _backups(window.db)  # a damaged file is not backed up
    assert good.exists() and BEFORE_RESTORE in "".join(_backups(window.db))


def test_closing_after_changes_backs_up_and_closing_without_does_not(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    record_boxes(monkeypatch)
    db = Database(tmp_path / "台账.sqlite3")
    with db.begin() as s:
        seed_defaults(s)
    db.changes = 0  # as after opening a file that had its lists already
    win = MainWindow(db)
    qtbot.addWidget(win)
    win.close()
    assert _backups(db) == []
    win = MainWindow(db)
    qtbot.addWidget(win)
    _save(db, "第一件")
    win.close()
    assert _backups(db) == [AT_CLOSE]
    db.close()


def test_restore_from_the_file_menu(qtbot: QtBot, window: MainWindow, opened: Database,
                                    monkeypatch: pytest.MonkeyPatch) -> None:
    _save(opened, "第一件")
    backup = opened.backup()
    _save(opened, "第二件")
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(backup), ""))
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    shown = record_boxes(monkeypatch)
    window.menu_actions["从备份恢复…"].trigger()
    assert any("已从" in t and BEFORE_RESTORE in t for t in shown), shown
    assert window.db is not opened
    assert window.runner.read(count_matters) == 1
    window.db.close()


@pytest.mark.parametrize("engine", ["postgresql"])
def test_restore_on_a_server_database_says_the_administrator_restores_it_with_pg_restore(
        qtbot: QtBot, db: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    win = MainWindow(db)
    qtbot.addWidget(win)
    chosen: list[str] = []
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (chosen.append("asked"), ("", ""))[1])
    shown = record_boxes(monkeypatch)
    assert win.menu_actions["从备份恢复…"].isEnabled()
    assert not win.restore_backup()
    assert chosen == [] and len(shown) == 1  # no backup to choose: none would be restored, none called damaged
    assert "请管理员在服务器上用 pg_restore 恢复" in shown[0]


def test_backup_settings_keep_a_second_folder(qtbot: QtBot, window: MainWindow, tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    shown = record_boxes(monkeypatch)
    dialog = BackupSettingsDialog(window.runner, window)
    qtbot.addWidget(dialog)
    dialog.folder_edit.setText("相对路径")
    dialog.accept()
    assert "完整路径" in shown[-1] and window.runner.read(second_folder) is None
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *a, **k: str(tmp_path / "U盘"))
    dialog.show()
    dialog._choose()
    dialog.accept()
    assert window.runner.read(second_folder) == tmp_path / "U盘"
    assert dialog.sizeHint().width() <= 1366 and dialog.sizeHint().height() <= 728
