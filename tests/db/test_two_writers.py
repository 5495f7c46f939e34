"""Two writers: a write begins IMMEDIATE and waits its turn; one that cannot get the lock says so in Chinese."""

from __future__ import annotations

import sqlite3
import threading
import time
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import text

from xinfang_desktop.db import sqlite_file
from xinfang_desktop.db.database import Database
from xinfang_desktop.db.sqlite_file import LOCKED_MESSAGE
from xinfang_desktop.domain.enums import Channel
from xinfang_desktop.domain.errors import StorageError
from xinfang_desktop.domain.values import MatterInput, PetitionerInput
from xinfang_desktop.services.registry import register_matter
from xinfang_desktop.services.statistics import tally


def _save(db: Database, title: str = "反映土地承包问题") -> None:
    with db.begin() as s:
        register_matter(s, MatterInput(received_on=date(2026, 3, 3), channel=Channel.LETTER, title=title,
                                       petitioners=(PetitionerInput("王建国"),)), now=date(2026, 3, 3))


def _count(db: Database) -> int:
    with db.read() as s:
        return int(s.execute(text("SELECT count(*) FROM matters")).scalar_one())


class OtherProgram:
    """Another program holding the write lock (an import in its transaction), on its own connection."""

    def __init__(self, path: Path) -> None:
        self.conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False)

    def __enter__(self) -> OtherProgram:
        self.conn.execute("BEGIN IMMEDIATE")
        self.conn.execute("UPDATE settings SET value = value")  # a real write, in WAL
        return self

    def release(self) -> None:
        self.conn.execute("COMMIT")

    def __exit__(self, *exc: object) -> None:
        if self.conn.in_transaction:
            self.conn.execute("ROLLBACK")
        self.conn.close()


def test_a_write_transaction_takes_the_lock_at_begin(db: Database) -> None:
    with db.begin() as s:
        s.execute(text("SELECT 1"))
        other = sqlite3.connect(db.path, timeout=0)
        with pytest.raises(sqlite3.OperationalError, match="locked"):
            other.execute("BEGIN IMMEDIATE")  # already taken by the first statement's BEGIN IMMEDIATE
        other.close()


def test_a_read_takes_no_lock(db: Database) -> None:
    with db.read() as s:
        s.execute(text("SELECT count(*) FROM matters"))
        _save(db)  # a write beside an open read does not wait for it
    assert _count(db) == 1


def test_a_save_waits_for_the_other_writer_and_then_goes_through(db: Database) -> None:
    with OtherProgram(db.path) as other:
        timer = threading.Timer(0.4, other.release)
        timer.start()
        started = time.perf_counter()
        _save(db)
        waited = time.perf_counter() - started
        timer.join()
    assert waited >= 0.3  # it waited for the other program rather than failing at once
    assert _count(db) == 1


def test_a_save_that_cannot_get_the_lock_says_so_and_writes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sqlite_file, "BUSY_TIMEOUT_MS", 200)
    db = Database(tmp_path / "busy.sqlite3")
    _save(db, "第一件")
    with OtherProgram(db.path), pytest.raises(StorageError) as caught:
        _save(db, "第二件")
    assert caught.value.message == LOCKED_MESSAGE
    assert _count(db) == 1
    _save(db, "第二件")  # and once the other program is done, the same save goes through
    assert _count(db) == 2
    db.close()


def test_the_tally_counts_beside_another_writer_and_keeps_nothing_it_could_not_lock(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # a busy timeout far beyond any loaded machine's tally of one matter: a wait for it, not the speed of
    # the tally, is what the bound below catches
    monkeypatch.setattr(sqlite_file, "BUSY_TIMEOUT_MS", 120_000)
    db = Database(tmp_path / "tally.sqlite3")
    _save(db)
    with OtherProgram(db.path):
        started = time.perf_counter()
        with db.derive() as s:
            result = tally(s, date_from=date(2026, 1, 1), date_to=date(2026, 12, 31), as_of=date(2026, 3, 3))
        assert time.perf_counter() - started < 60  # refused at once, not after busy_timeout
    assert result.this.total == 1
    with db.read() as s:
        assert s.execute(text("SELECT count(*) FROM tally_days")).scalar_one() == 0
    with db.derive() as s:  # alone, the days it counts are kept
        tally(s, date_from=date(2026, 1, 1), date_to=date(2026, 12, 31), as_of=date(2026, 3, 3))
    with db.read() as s:
        assert s.execute(text("SELECT count(*) FROM tally_days")).scalar_one() > 0
    db.close()
