"""A save while another program writes: the clerk is told to wait, the form keeps what was typed."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from tests.helpers.qt import record_boxes, type_text
from xinfang_desktop.db import sqlite_file
from xinfang_desktop.db.database import Database
from xinfang_desktop.db.sqlite_file import LOCKED_MESSAGE
from xinfang_desktop.services.reference import seed_defaults
from xinfang_desktop.services.search import count_matters
from xinfang_desktop.ui.actions import ActionRunner
from xinfang_desktop.ui.register.register_tab import RegisterTab


def test_a_save_refused_by_another_writer_keeps_the_form(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sqlite_file, "BUSY_TIMEOUT_MS", 200)
    db = Database(tmp_path / "busy.sqlite3")
    with db.begin() as s:
        seed_defaults(s)
    tab = RegisterTab(ActionRunner(db))
    qtbot.addWidget(tab)
    shown = record_boxes(monkeypatch)
    type_text(tab.ui.name_edit, "吴敏")
    type_text(tab.ui.title_edit, "反映低保问题")
    type_text(tab.ui.content_edit, "家中困难，申请低保未获批准。")

    importer = sqlite3.connect(db.path, isolation_level=None)
    importer.execute("BEGIN IMMEDIATE")
    try:
        assert tab.save() is None
    finally:
        importer.execute("ROLLBACK")
        importer.close()

    assert shown == [LOCKED_MESSAGE]
    assert tab.ui.name_edit.text() == "吴敏" and tab.ui.title_edit.text() == "反映低保问题"
    assert tab.ui.content_edit.toPlainText() == "家中困难，申请低保未获批准。"
    with db.read() as s:
        assert count_matters(s) == 0
    assert tab.save() is not None  # the other program is done: the same form saves
    with db.read() as s:
        assert count_matters(s) == 1
    db.close()
