"""Opening a database from the window: an older one backed up and upgraded behind a progress dialog; the
pages read by SQLite's quick_check only before an upgrade writes (else by the
full check after the first paint, tests/ui/test_backup_ui.py)."""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication, QProgressDialog
from pytestqt.qtbot import QtBot

from tests.helpers.database import schema_at
from xinfang_desktop.db import backups as backups_module
from xinfang_desktop.db.database import Database
from xinfang_desktop.domain.errors import DamagedDatabaseError, StorageError
from xinfang_desktop.paths import backups_dir
from xinfang_desktop.ui import open_database as open_module
from xinfang_desktop.ui.open_database import open_database


def test_an_old_database_is_backed_up_and_upgraded_with_progress(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "old.sqlite3"
    schema_at(path, "0001")
    monkeypatch.setattr(backups_module, "BACKUP_STEP", 1)  # a page a step: the bar must move
    seen: list[tuple[str, int, int]] = []
    labels: list[str] = []
    values: list[int] = []
    original = Database.migrate

    def watched(self: Database, progress=None):  # type: ignore[no-untyped-def]
        def hear(step: str, done: int, total: int) -> None:
            seen.append((step, done, total))
            assert progress is not None
            progress(step, done, total)
            if step == "升级" or len(seen) < 4 or 0 < total == done:
                time.sleep(0.3)  # a small file is done at once: give the window a look at each step
        return original(self, progress=hear)

    monkeypatch.setattr(Database, "migrate", watched)
    set_label = QProgressDialog.setLabelText
    monkeypatch.setattr(QProgressDialog, "setLabelText", lambda self, text: (labels.append(text), set_label(self, text)))
    monkeypatch.setattr(QProgressDialog, "setValue", lambda self, v: values.append(v))
    db = open_database(path)
    try:
        assert db.current_revision() == db.head_revision()
        backups = list(backups_dir(path).glob("*升级前-0001*"))
        assert len(backups) == 1
        steps = [s for s, _, _ in seen]
        assert steps[0] == "备份" and steps[-1] == "升级"
        pages = [(done, total) for s, done, total in seen if s == "备份"]
        assert len(pages) > 1 and pages[-1][0] == pages[-1][1] > 0
        assert any("正在先备份" in t for t in labels) and any("正在升级" in t for t in labels)
        assert any("正在完整检查这份备份" in t for t in labels)  # the copy's integrity_check has a word of its own
        assert values and max(values) <= 100
        assert not [w for w in QApplication.topLevelWidgets() if isinstance(w, QProgressDialog) and w.isVisible()]
    finally:
        db.close()


def test_a_failed_upgrade_is_raised_in_the_window_thread(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "old.sqlite3"
    schema_at(path, "0001")

    def broken(self: Database, progress=None):  # type: ignore[no-untyped-def]
        raise StorageError("数据库升级失败（测试）")

    monkeypatch.setattr(Database, "migrate", broken)
    with pytest.raises(StorageError, match="升级失败"):
        open_module.open_database(path)


def test_an_up_to_date_database_opens_without_a_dialog(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "new.sqlite3"
    Database(path).close()

    def no_dialog(*_a: object, **_k: object) -> None:
        raise AssertionError("no upgrade was pending")

    monkeypatch.setattr(open_module, "upgrade_with_progress", no_dialog)
    open_database(path).close()
    assert not backups_dir(path).exists() or not list(backups_dir(path).iterdir())


def _break_a_page_of(path: Path, table: str) -> None:
    conn = sqlite3.connect(path)
    try:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        page = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = ?", (table,)).fetchone()[0]
    finally:
        conn.close()
    with path.open("r+b") as fh:
        fh.seek((page - 1) * 4096)
        fh.write(b"\xff" * 4096)  # not a b-tree page at all


def test_a_damaged_older_file_is_refused_before_its_upgrade_writes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "old.sqlite3"
    schema_at(path, "0001")
    _break_a_page_of(path, "matters")

    def no_upgrade(*_a: object, **_k: object) -> None:
        raise AssertionError("a damaged file must not be upgraded")

    monkeypatch.setattr(open_module, "upgrade_with_progress", no_upgrade)
    with pytest.raises(DamagedDatabaseError, match="已损坏"):
        open_database(path)
    assert not backups_dir(path).exists() or not list(backups_dir(path).iterdir())


def test_an_up_to_date_file_is_opened_without_reading_its_pages(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """At 100,000 matters the quick check took its whole 0.3 s budget before the window could paint."""
    path = tmp_path / "new.sqlite3"
    Database(path).close()

    def no_quick_check(*_a: object, **_k: object) -> None:
        raise AssertionError("the pages are for the full check after the first paint")

    monkeypatch.setattr(Database, "quick_check", no_quick_check)
    open_database(path).close()


def test_a_file_cut_by_one_byte_opens_without_its_tally_cache(tmp_path: Path) -> None:
    """The cut reaches the tally's cache (written last): dropped at open, the file whole again; a whole file's
    cache is checked after the first paint instead (services.backups.check_cache)."""
    from datetime import date

    from xinfang_desktop.db.database import header_problems
    from xinfang_desktop.services.demo import generate
    from xinfang_desktop.services.statistics import tally

    path = tmp_path / "台账.sqlite3"
    db = Database(path)
    with db.begin() as s:
        generate(s, cases=60, seed=3, end=date(2026, 6, 30))
    with db.derive() as s:
        tally(s, date_from=date(2026, 1, 1), date_to=date(2026, 12, 31), as_of=date(2026, 6, 30))
    db.close()
    path.write_bytes(path.read_bytes()[:-1])
    assert header_problems(path)
    opened = open_database(path)
    try:
        assert header_problems(path) == []
        with opened.rows() as conn:
            assert conn.exec_driver_sql("SELECT count(*) FROM tally_days").scalar() == 0
            assert conn.exec_driver_sql("SELECT count(*) FROM matters").scalar() == 60
    finally:
        opened.close()
