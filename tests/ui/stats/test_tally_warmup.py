"""The tally's warm-up: this year's and last year's days counted in a pool thread after the first paint."""

from __future__ import annotations

import logging
from datetime import date

import pytest
from PySide6.QtCore import QThreadPool
from pytestqt.qtbot import QtBot
from sqlalchemy import text

from xinfang_desktop.db.database import Database
from xinfang_desktop.domain.enums import Channel
from xinfang_desktop.domain.values import MatterInput, PetitionerInput
from xinfang_desktop.services import statistics
from xinfang_desktop.services.registry import register_matter
from xinfang_desktop.ui.main_window import MainWindow
from xinfang_desktop.ui.stats import tally_warmup
from xinfang_desktop.ui.stats.tally_warmup import warm_tally


def _cached_days(db: Database) -> set[date]:
    with db.read() as s:
        return {date.fromisoformat(d) for d in s.scalars(text("SELECT day FROM tally_days"))}


@pytest.fixture
def filled(db: Database) -> Database:
    with db.begin() as s:
        for received in (date(2024, 5, 6), date(2025, 3, 1), date(2025, 9, 30)):
            register_matter(s, MatterInput(received_on=received, channel=Channel.LETTER, title="反映问题",
                                           petitioners=(PetitionerInput(name="王伟"),)), now=date(2026, 1, 1))
    return db


def test_the_warm_up_counts_this_year_and_last(filled: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    assert warm_tally(filled, year=2025, at_least=1) == 366 + 365
    days = _cached_days(filled)
    assert min(days) == date(2024, 1, 1) and max(days) == date(2025, 12, 31) and len(days) == 366 + 365
    counted: list[object] = []
    monkeypatch.setattr(statistics.cache, "_count_days", lambda *a, **k: counted.append(a) or ({}, {}))
    with filled.begin() as s:
        result = statistics.tally_year(s, year=2025, as_of=date(2025, 12, 31))
    assert counted == [] and result.this.total == 2 and result.last.total == 1


def test_a_small_database_is_not_warmed(filled: Database) -> None:
    assert warm_tally(filled, year=2025) == 0  # three matters: a tally is quick without the cache
    assert _cached_days(filled) == set()


def test_a_failed_warm_up_is_logged_not_raised(caplog: pytest.LogCaptureFixture) -> None:
    class Broken:
        def read(self) -> None:
            raise RuntimeError("disk gone")

    with caplog.at_level(logging.WARNING):
        assert warm_tally(Broken(), year=2025, at_least=1) == 0
    assert "tally warm-up failed" in caplog.text and "disk gone" in caplog.text


def test_the_window_warms_the_cache_after_its_first_paint(qtbot: QtBot, filled: Database,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(tally_warmup, "WARM_FROM_MATTERS", 1)
    monkeypatch.setattr(tally_warmup, "today", lambda: date(2025, 10, 1))
    window = MainWindow(filled)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    window.after_first_paint()
    assert QThreadPool.globalInstance().waitForDone(30_000)
    assert date(2024, 1, 1) in _cached_days(filled) and date(2025, 12, 31) in _cached_days(filled)
