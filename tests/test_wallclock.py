"""The one wall clock: the day can be fixed, the time of day stays real, a bad day is said plainly."""

from __future__ import annotations

import os
from datetime import date

import pytest

from xinfang_desktop import wallclock
from xinfang_desktop.domain.errors import ValidationError


def test_the_day_is_fixed_and_the_time_of_day_is_real(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(wallclock.ENV, "2028-02-29")
    assert wallclock.today() == date(2028, 2, 29)
    first, second = wallclock.now(), wallclock.now()
    assert first.date() == date(2028, 2, 29) and first <= second


def test_without_a_fixed_day_it_is_the_machines(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(wallclock.ENV)
    assert wallclock.today() == date.today()


def test_a_bad_day_names_the_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(wallclock.ENV, "明天")
    with pytest.raises(ValidationError, match="XINFANG_TODAY.*明天"):
        wallclock.today()


def test_the_suite_runs_on_a_fixed_day() -> None:
    # tests/conftest.py fixes it (XINFANG_TODAY=… python -m pytest picks another), so no test's data
    # depends on the day the suite is run
    assert wallclock.today() == date.fromisoformat(os.environ[wallclock.ENV])
