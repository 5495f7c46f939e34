"""Database: pragmas on every connection, refusing foreign or damaged files, append-only timeline, backup, check."""

from __future__ import annotations

import sqlite3
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DatabaseError as SADatabaseError

from xinfang_desktop.db.database import Database
from xinfang_desktop.domain.enums import Channel
from xinfang_desktop.domain.errors import StorageError
from xinfang_desktop.domain.values import MatterInput, PetitionerInput
from xinfang_desktop.services.registry import register_matter


def _register(db: Database, title: str = "反映土地承包问题") -> int:
    with db.begin() as s:
        return register_matter(
            s, MatterInput(received_on=date(2026, 3, 3), channel=Channel.LETTER, title=title,
                           petitioners=(PetitionerInput("王建国"),)),
            now=date(2026, 3, 3),
        ).id


def test_pragmas_on_every_connection(db: Database) -> None:
    # several pooled connections, each must have had the pragmas set before any statement
    conns = [db.engine.connect() for _ in range(3)]
    try:
        for conn in conns:
            assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
            assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL
            assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == 15_000
            assert conn.exec_driver_sql("PRAGMA cache_size").scalar() == -65536  # 64 MB, in KiB
    finally:
        for conn in conns:
            conn.close()
    with db.begin() as s:  # and inside the sessions services use
        assert s.execute(text("PRAGMA foreign_keys")).scalar() == 1


def test_foreign_keys_are_enforced(db: Database) -> None:
    with pytest.raises(SADatabaseError), db.begin() as s:
        s.execute(text("INSERT INTO matter_petitioners (matter_id, petitioner_id, role, position) "
                       "VALUES (999, 999, '信访人', 0)"))


def test_a_file_that_is_not_sqlite_is_refused_and_left_alone(tmp_path: Path) -> None:
    path = tmp_path / "台账.sqlite3"
    original = "这是一个Excel表格，不是数据库\n".encode() * 200
    path.write_bytes(original)
    with pytest.raises(StorageError) as caught:
        Database(path)
    assert "不是SQLite文件" in caught.value.message and "不会改写" in caught.value.message
    assert path.read_bytes() == original
    assert not (tmp_path / "backups").exists()
    assert not Path(f"{path}-wal").exists()


def test_a_damaged_file_is_reported_and_left_alone(tmp_path: Path) -> None:
    source = Database(tmp_path / "good.sqlite3")
    _register(source)
    source.close()
    data = bytearray((tmp_path / "good.sqlite3").read_bytes())
    # keep the SQLite header, wreck the schema page and what follows
    data[100:4096 * 3] = b"\xff" * (4096 * 3 - 100)
    damaged = tmp_path / "damaged.sqlite3"
    damaged.write_bytes(bytes(data))
    with pytest.raises(StorageError) as caught:
        Database(damaged)
    assert "损坏" in caught.value.message and "不会改写" in caught.value.message
    assert damaged.read_bytes() == bytes(data)


def test_a_truncated_file_is_reported_and_left_alone(tmp_path: Path) -> None:
    source = Database(tmp_path / "good.sqlite3")
    _register(source)
    source.close()
    data = (tmp_path / "good.sqlite3").read_bytes()[:5000]
    damaged = tmp_path / "cut.sqlite3"
    damaged.write_bytes(data)
    with pytest.raises(StorageError):
        Database(damaged)
    assert damaged.read_bytes() == data


def test_events_refuse_update_and_delete(db: Database) -> None:
    matter_id = _register(db)
    with db.read() as s:
        before = s.execute(text("SELECT id, text FROM events WHERE matter_id = :m"), {"m": matter_id}).all()
    assert before
    for statement, message in (("UPDATE events SET text = '改写' WHERE matter_id = :m", "不可修改"),
                               ("DELETE FROM events WHERE matter_id = :m", "不可删除")):
        with pytest.raises(SADatabaseError) as caught, db.begin() as s:
            s.execute(text(statement), {"m": matter_id})
        assert message in str(caught.value)
    with db.read() as s:
        assert s.execute(text("SELECT id, text FROM events WHERE matter_id = :m"), {"m": matter_id}).all() == before


def test_backup_is_a_readable_copy_with_the_latest_commits(db: Database, tmp_path: Path) -> None:
    _register(db, "第一件")
    _register(db, "刚刚提交的一件")  # still in -wal, which a file copy would miss
    target = db.backup(tmp_path / "copy.sqlite3")
    conn = sqlite3.connect(target)
    try:
        titles = [r[0] for r in conn.execute("SELECT title FROM matters ORDER BY id")]
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    finally:
        conn.close()
    assert titles == ["第一件", "刚刚提交的一件"]
    with pytest.raises(StorageError):  # never overwrites an existing backup
        db.backup(target)


def test_backup_without_a_name_goes_to_the_backups_folder(db: Database) -> None:
    target = db.backup()
    assert target.parent == db.path.parent / "backups"
    assert target.exists()


def test_check_passes_a_good_database(db: Database) -> None:
    _register(db)
    report = db.check()
    assert report.ok
    assert "完整性检查：通过" in report.text() and "外键检查：通过" in report.text()
    assert "信访事项：1件" in report.text()


def test_check_reports_broken_foreign_keys(db: Database) -> None:
    matter_id = _register(db)
    conn = sqlite3.connect(db.path)
    try:
        conn.execute("PRAGMA foreign_keys=OFF")
        conn.execute("INSERT INTO transfers (matter_id, unit_id, kind, role, sent_on, state, reminders) "
                     "VALUES (?, 9999, '交办', '主办', '2026-03-04', '待反馈', 0)", (matter_id,))
        conn.commit()
    finally:
        conn.close()
    report = db.check()
    assert not report.ok
    assert "外键检查：发现1处引用错误" in report.text()
    assert "数据库已损坏" in report.text()


def test_check_reports_a_damaged_index(tmp_path: Path) -> None:
    path = tmp_path / "x.sqlite3"
    db = Database(path)
    for i in range(40):
        _register(db, f"标题{i:03d}" * 10)
    db.close()
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA writable_schema=ON")  # make an index disagree with its table
    root = conn.execute("SELECT rootpage FROM sqlite_master WHERE name='ix_matters_received'").fetchone()[0]
    page_size = conn.execute("PRAGMA page_size").fetchone()[0]
    conn.close()
    data = bytearray(path.read_bytes())
    start = (root - 1) * page_size
    data[start + 8: start + page_size] = b"\x00" * (page_size - 8)
    path.write_bytes(bytes(data))
    report = Database(path, migrate=False).check()
    assert not report.ok
    assert "完整性检查：发现" in report.text()


def test_a_database_from_a_newer_program_is_refused(tmp_path: Path) -> None:
    db = Database(tmp_path / "n.sqlite3")
    with db.begin() as s:
        s.execute(text("UPDATE alembic_version SET version_num = '9999'"))
    db.close()
    with pytest.raises(StorageError) as caught:
        Database(tmp_path / "n.sqlite3")
    assert "更新版本" in caught.value.message
