"""Backups: owner-only, verified, whole or absent; rotated 7 daily, 4 weekly, 12 monthly; restore keeps the file before."""

from __future__ import annotations

import os
import sqlite3
import stat
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import text

from tests.helpers.database import mismatch_indexes
from xinfang_desktop.db.backups import (
    AT_CLOSE,
    BEFORE_RESTORE,
    BY_HAND,
    DAILY,
    DAMAGED,
    backup_name,
    list_backups,
    rotate,
    verify_problems,
)
from xinfang_desktop.db.database import Database
from xinfang_desktop.domain.enums import Channel
from xinfang_desktop.domain.errors import StorageError
from xinfang_desktop.domain.values import MatterInput, PetitionerInput
from xinfang_desktop.services.backups import (
    backup_at_close,
    backup_at_start,
    restorable,
    restore_backup,
    set_second_folder,
)
from xinfang_desktop.services.registry import register_matter

NOW = datetime(2026, 6, 30, 8, 30)


def _save(db: Database, title: str) -> None:
    with db.begin() as s:
        register_matter(s, MatterInput(received_on=date(2026, 3, 3), channel=Channel.LETTER, title=title,
                                       petitioners=(PetitionerInput("王建国"),)), now=date(2026, 3, 3))


def _titles(path: Path) -> list[str]:
    conn = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)
    try:
        return [r[0] for r in conn.execute("SELECT title FROM matters ORDER BY id")]
    finally:
        conn.close()


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_database_backups_and_their_folder_are_owner_only(tmp_path: Path) -> None:
    db = Database(tmp_path / "台账.sqlite3")
    _save(db, "第一件")
    assert _mode(db.path) == 0o600
    assert _mode(db.path.with_name(db.path.name + "-wal")) == 0o600  # SQLite gives -wal the file's mode
    backup = db.backup()
    assert _mode(backup) == 0o600 and _mode(backup.parent) == 0o700
    assert not backup.with_name(backup.name + "-wal").exists()  # one self-contained file
    assert _titles(backup) == ["第一件"]
    db.close()


def test_the_log_is_owner_only_and_stays_so_when_it_rotates(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import logging

    from xinfang_desktop import app

    monkeypatch.setattr(app, "data_dir", lambda: tmp_path)
    root = logging.getLogger()
    before = list(root.handlers)
    path = app.setup_logging()
    try:
        handler = next(h for h in root.handlers if h not in before)
        logging.getLogger("xinfang_desktop.test").warning("a line")
        assert _mode(path) == 0o600
        handler.doRollover()  # type: ignore[attr-defined]
        logging.getLogger("xinfang_desktop.test").warning("another line")
        assert _mode(path) == 0o600 and _mode(path.with_name(path.name + ".1")) == 0o600
    finally:
        for h in root.handlers[:]:
            if h not in before:
                root.removeHandler(h)
                h.close()


def test_a_backup_that_cannot_be_written_leaves_nothing(tmp_path: Path) -> None:
    db = Database(tmp_path / "台账.sqlite3")
    _save(db, "第一件")
    (tmp_path / "backups").write_text("a file, not a folder")
    with pytest.raises(StorageError) as caught:
        db.backup()
    assert "backups" in caught.value.message and "没有改动" in caught.value.message
    blocked = tmp_path / "elsewhere"
    blocked.write_text("a file")
    with pytest.raises(StorageError):
        db.backup(blocked / "copy.sqlite3")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["backups", "elsewhere", "台账.sqlite3", "台账.sqlite3-shm",
                                                          "台账.sqlite3-wal"]
    db.close()


def _fake(folder: Path, db_path: Path, reason: str, at: datetime) -> Path:
    path = folder / backup_name(db_path, reason, at)
    path.write_bytes(b"")
    return path


def test_rotation_keeps_seven_days_four_weeks_twelve_months_and_every_backup_by_hand(tmp_path: Path) -> None:
    db_path = tmp_path / "台账.sqlite3"
    folder = tmp_path / "backups"
    folder.mkdir()
    start = datetime(2025, 1, 1, 9)
    for n in range(500):  # a backup each morning and each evening for 500 days
        _fake(folder, db_path, DAILY, start + timedelta(days=n))
        _fake(folder, db_path, AT_CLOSE, start + timedelta(days=n, hours=8))
    by_hand = _fake(folder, db_path, BY_HAND, start + timedelta(days=3))
    before_restore = _fake(folder, db_path, BEFORE_RESTORE, start + timedelta(days=4))
    other_db = _fake(folder, tmp_path / "另一本.sqlite3", DAILY, start)
    killed = folder / (backup_name(db_path, DAILY, start) + ".partial")
    killed.write_bytes(b"half")
    os.utime(killed, (0, 0))
    rotate(folder, db_path)
    assert not killed.exists()
    kept = [b for b in list_backups(folder, db_path) if b.automatic]
    days = {b.taken.date() for b in kept}
    last = (start + timedelta(days=499)).date()
    assert {last - timedelta(days=n) for n in range(7)} <= days  # the last 7 days
    assert len({tuple(b.taken.isocalendar())[:2] for b in kept}) >= 4
    assert len({(b.taken.year, b.taken.month) for b in kept}) == 12  # a year of months, no more
    assert all(b.reason == AT_CLOSE for b in kept)  # the newest of each day is its evening's
    assert len(kept) <= 7 + 4 + 12
    assert by_hand.exists() and before_restore.exists() and other_db.exists()


def test_a_backup_at_the_first_start_of_each_day_and_at_close_after_changes(tmp_path: Path) -> None:
    db = Database(tmp_path / "台账.sqlite3")
    second = tmp_path / "U盘"
    second.mkdir()
    with db.begin() as s:
        set_second_folder(s, folder=str(second))
    first = backup_at_start(db, now=NOW)
    assert first is not None and len(first.written) == 2 and not first.warnings
    assert backup_at_start(db, now=NOW + timedelta(hours=2)) is None  # the second start that day
    db.changes = 0
    assert backup_at_close(db, now=NOW + timedelta(hours=9)) is None  # nothing changed
    _save(db, "第一件")
    closing = backup_at_close(db, now=NOW + timedelta(hours=9))
    assert closing is not None
    assert [_titles(p) for p in closing.written] == [["第一件"], ["第一件"]]
    assert backup_at_start(db, now=NOW + timedelta(days=1)) is not None
    # newest first; the day's morning copy gave way to its evening one (the newest of a day is kept)
    assert [b.reason for b in list_backups(second, db.path)] == [DAILY, AT_CLOSE]
    db.close()


def test_a_missing_second_folder_costs_only_the_second_copy(tmp_path: Path) -> None:
    db = Database(tmp_path / "台账.sqlite3")
    unplugged = tmp_path / "not-a-folder"
    unplugged.write_text("the stick is not there; a file stands in its place")
    with db.begin() as s:
        set_second_folder(s, folder=str(unplugged))
    outcome = backup_at_start(db, now=NOW)
    assert outcome is not None and len(outcome.written) == 1 and outcome.written[0].exists()
    assert "第二备份文件夹" in outcome.warnings[0]
    with db.begin() as s:  # a stick not plugged in: its folder is not made on this disk instead
        set_second_folder(s, folder=str(tmp_path / "U盘" / "备份"))
    outcome = backup_at_close(db, now=NOW)
    assert outcome is not None and len(outcome.written) == 1 and "不存在" in outcome.warnings[0]
    assert not (tmp_path / "U盘").exists()
    db.close()


def test_restore_puts_the_backup_back_and_keeps_the_file_before(tmp_path: Path) -> None:
    db = Database(tmp_path / "台账.sqlite3")
    _save(db, "第一件")
    backup = db.backup()
    _save(db, "第二件")
    db.close()
    kept = restore_backup(db.path, backup)
    assert kept is not None and BEFORE_RESTORE in kept.name and _titles(kept) == ["第一件", "第二件"]
    reopened = Database(db.path)
    with reopened.read() as s:
        assert list(s.execute(text("SELECT title FROM matters")).scalars()) == ["第一件"]
    assert reopened.check().ok
    _save(reopened, "第三件")  # and it goes on as a database
    reopened.close()
    assert [b.path for b in restorable(db.path) if b.reason == BEFORE_RESTORE] == [kept]


def test_restore_over_a_damaged_file_keeps_it_as_damaged(tmp_path: Path) -> None:
    db = Database(tmp_path / "台账.sqlite3")
    _save(db, "第一件")
    backup = db.backup()
    db.close()
    with db.path.open("r+b") as fh:  # past the header: every other page is garbage
        fh.seek(4096)
        fh.write(b"\xff" * (db.path.stat().st_size - 4096))
    kept = restore_backup(db.path, backup)
    assert kept is not None and DAMAGED in kept.name
    assert _titles(db.path) == ["第一件"]


def test_restore_of_a_zero_byte_file(tmp_path: Path) -> None:
    db = Database(tmp_path / "台账.sqlite3")
    _save(db, "第一件")
    backup = db.backup()
    db.close()
    for leftover in tmp_path.glob("台账.sqlite3*"):
        leftover.unlink()
    db.path.write_bytes(b"")
    restore_backup(db.path, backup)
    assert _titles(db.path) == ["第一件"]


def test_restore_refuses_a_damaged_or_foreign_backup_and_changes_nothing(tmp_path: Path) -> None:
    db = Database(tmp_path / "台账.sqlite3")
    _save(db, "第一件")
    bad = db.backup()
    with bad.open("r+b") as fh:
        fh.seek(4096 * 2)
        fh.write(b"\xff" * 4096)
    foreign = tmp_path / "别的.sqlite3"
    conn = sqlite3.connect(foreign)
    conn.execute("CREATE TABLE t (x)")
    conn.close()
    db.close()
    for choice, words in ((bad, "已损坏"), (foreign, "不是信访台账"), (tmp_path / "无.sqlite3", "不存在")):
        with pytest.raises(StorageError) as caught:
            restore_backup(db.path, choice)
        assert words in caught.value.message
    assert _titles(db.path) == ["第一件"]
    assert not [b for b in restorable(db.path) if b.reason == BEFORE_RESTORE]


def test_restore_on_the_command_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from xinfang_desktop.cli import main

    db = Database(tmp_path / "台账.sqlite3")
    _save(db, "第一件")
    backup = db.backup()
    _save(db, "第二件")
    db.close()
    capsys.readouterr()
    assert main(["restore", "--db", str(db.path)]) == 1  # without --from: the list to choose from
    assert str(backup) in capsys.readouterr().out
    assert main(["restore", "--db", str(db.path), "--from", str(backup)]) == 0
    out = capsys.readouterr().out
    assert "已从" in out and BEFORE_RESTORE in out
    assert _titles(db.path) == ["第一件"]
    assert main(["restore", "--db", str(db.path), "--from", str(tmp_path / "无.sqlite3")]) == 2
    assert "不存在" in capsys.readouterr().err


def test_the_copy_at_close_checked_quick_is_checked_whole_at_the_next_first_start(tmp_path: Path) -> None:
    db = Database(tmp_path / "台账.sqlite3")
    second = tmp_path / "U盘"
    second.mkdir()
    with db.begin() as s:
        set_second_folder(s, folder=str(second))
    _save(db, "第一件")
    closing = backup_at_close(db, now=NOW)
    assert closing is not None and len(closing.written) == 2
    for copy in closing.written:
        mismatch_indexes(copy)
        assert verify_problems(copy, quick=True) == [] and verify_problems(copy) != []
    assert backup_at_start(db, now=NOW + timedelta(hours=2)) is None  # the same day: no check, no backup
    assert all(copy.exists() for copy in closing.written)
    morning = backup_at_start(db, now=NOW + timedelta(days=1))
    assert morning is not None
    found = [w for w in morning.warnings if "关闭程序时的备份经完整检查发现问题" in w and "已删除" in w]
    assert len(found) == 2, morning.warnings  # one for each folder
    assert not any(copy.exists() for copy in closing.written)
    for folder in (tmp_path / "backups", second):  # the day's backup, checked whole, stands in their place
        assert [b.reason for b in list_backups(folder, db.path)] == [DAILY]
    db.close()


def test_a_sound_copy_at_close_is_kept_after_its_whole_check(tmp_path: Path) -> None:
    db = Database(tmp_path / "台账.sqlite3")
    _save(db, "第一件")
    closing = backup_at_close(db, now=NOW)
    assert closing is not None
    morning = backup_at_start(db, now=NOW + timedelta(days=1))
    assert morning is not None and morning.warnings == ()
    assert [b.reason for b in list_backups(tmp_path / "backups", db.path)] == [DAILY, AT_CLOSE]
    db.close()
