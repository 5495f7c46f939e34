"""The statutory clock: every period of DOMAIN §1, calendar and working days, 调休, the clerk's corrections."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from xinfang_desktop.domain.clock import Clock, HolidayCalendar, Periods
from xinfang_desktop.domain.errors import ValidationError

CAL = Clock()  # the 条例 defaults, calendar days
WORK = Clock(Periods(working_days=True))
D = date.fromisoformat


def test_defaults_are_the_statute() -> None:
    p = Periods()
    assert (p.notice_days, p.objection_workdays, p.handling_days, p.extension_max_days) == (15, 5, 60, 30)
    assert (p.review_request_days, p.review_answer_days, p.recheck_request_days, p.recheck_answer_days) == (
        30, 30, 30, 30)
    assert p.working_days is False


# calendar days: day 1 is the day after the start
@pytest.mark.parametrize(
    "method, start, due",
    [
        ("notice_due", "2026-03-03", "2026-03-18"),  # Arts. 22, 23: 15 days
        ("handling_due", "2026-03-03", "2026-05-02"),  # Art. 34: 60 days from 受理
        ("transfer_due", "2026-03-03", "2026-05-02"),  # default 交办 period, 60
        ("extension_limit", "2026-05-02", "2026-06-01"),  # Art. 34: ≤ 30 past the old due date
        ("review_request_deadline", "2026-06-10", "2026-07-10"),  # Art. 35
        ("review_answer_due", "2026-06-10", "2026-07-10"),
        ("recheck_request_deadline", "2026-12-15", "2027-01-14"),  # Art. 36, across the year end
        ("recheck_answer_due", "2026-02-10", "2026-03-12"),  # across February
    ],
)
def test_each_period_in_calendar_days(method: str, start: str, due: str) -> None:
    assert getattr(CAL, method)(D(start)) == D(due)


def test_transfer_period_editable_per_transfer() -> None:
    assert CAL.transfer_due(D("2026-03-03"), 90) == D("2026-06-01")


def test_objection_is_five_working_days_even_in_calendar_mode() -> None:
    # received Thu 2026-09-24: Fri 25 is 中秋, 国庆 1-7 Oct off -> Mon 28, Tue 29, Wed 30, Thu 8, Fri 9 Oct
    assert CAL.objection_due(D("2026-09-24")) == D("2026-10-09")


def test_each_period_follows_its_setting() -> None:
    custom = Clock(Periods(notice_days=10, handling_days=90, transfer_days=90, extension_max_days=20,
                           review_request_days=15, review_answer_days=45, recheck_request_days=20,
                           recheck_answer_days=40, objection_workdays=3))
    start = D("2026-03-02")  # a Monday
    assert custom.notice_due(start) == D("2026-03-12")
    assert custom.handling_due(start) == D("2026-05-31")
    assert custom.transfer_due(start) == D("2026-05-31")
    assert custom.extension_limit(start) == D("2026-03-22")
    assert custom.review_request_deadline(start) == D("2026-03-17")
    assert custom.review_answer_due(start) == D("2026-04-16")
    assert custom.recheck_request_deadline(start) == D("2026-03-22")
    assert custom.recheck_answer_due(start) == D("2026-04-11")
    assert custom.objection_due(start) == D("2026-03-05")


# working days over the official calendar, 2025 and 2026 as published
@pytest.mark.parametrize(
    "start, days, due",
    [
        # 国庆 2025: 1-8 Oct off; Sun 28 Sep and Sat 11 Oct were 调休 working days
        ("2025-09-26", 1, "2025-09-28"),
        ("2025-09-26", 2, "2025-09-29"),
        ("2025-09-26", 3, "2025-09-30"),
        ("2025-09-26", 4, "2025-10-09"),
        ("2025-09-26", 6, "2025-10-11"),
        ("2025-09-26", 7, "2025-10-13"),
        # 春节 2025: 28 Jan to 4 Feb off; Sun 26 Jan and Sat 8 Feb worked
        ("2025-01-24", 1, "2025-01-26"),
        ("2025-01-24", 3, "2025-02-05"),
        ("2025-01-24", 6, "2025-02-08"),
        ("2025-01-24", 7, "2025-02-10"),
        # 春节 2026: Sat 14 Feb worked, 15-23 Feb off, Sat 28 Feb worked
        ("2026-02-12", 2, "2026-02-14"),
        ("2026-02-12", 3, "2026-02-24"),
        ("2026-02-12", 7, "2026-02-28"),
        ("2026-02-12", 15, "2026-03-11"),
    ],
)
def test_working_days_across_spring_festival_and_national_day(start: str, days: int, due: str) -> None:
    assert WORK.add(D(start), days) == D(due)


def test_working_day_mode_applies_to_the_named_periods() -> None:
    # 15 working days from Fri 2025-09-26 (28 Sep and 11 Oct worked, 1-8 Oct off)
    assert WORK.notice_due(D("2025-09-26")) == D("2025-10-23")
    assert CAL.notice_due(D("2025-09-26")) == D("2025-10-11")


def test_explicit_mode_overrides_the_setting() -> None:
    assert CAL.add(D("2025-09-26"), 4, working=True) == D("2025-10-09")
    assert WORK.add(D("2025-09-26"), 4, working=False) == D("2025-09-30")


def test_clerk_corrections_win_for_a_year_the_package_does_not_know() -> None:
    official = HolidayCalendar()
    assert not official.official_known(2027)
    assert official.official_known(2026)
    # without corrections 2027 is Monday to Friday
    plain = Clock(Periods(working_days=True), official)
    assert plain.add(D("2027-02-05"), 1) == D("2027-02-08")
    # the clerk enters 春节 2027 as announced for the office: 8-12 Feb off, Sat 13 Feb worked
    corrected = HolidayCalendar({D("2027-02-08"): False, D("2027-02-09"): False, D("2027-02-10"): False,
                                 D("2027-02-11"): False, D("2027-02-12"): False, D("2027-02-13"): True})
    clock = Clock(Periods(working_days=True), corrected)
    assert clock.add(D("2027-02-05"), 1) == D("2027-02-13")
    assert clock.add(D("2027-02-05"), 2) == D("2027-02-15")


def test_clerk_corrections_win_over_the_official_calendar() -> None:
    # the office closed on the 调休 Saturday 2025-10-11 after all
    corrected = HolidayCalendar({D("2025-10-11"): False})
    assert corrected.is_workday(D("2025-10-11")) is False
    assert HolidayCalendar().is_workday(D("2025-10-11")) is True
    assert Clock(Periods(working_days=True), corrected).add(D("2025-09-26"), 6) == D("2025-10-13")


def test_negative_days_refused_naming_the_field() -> None:
    with pytest.raises(ValidationError) as caught:
        CAL.add(D("2026-03-03"), -1)
    assert caught.value.field == "期限"


def test_days_left_is_calendar_and_negative_when_overdue() -> None:
    assert CAL.days_left(D("2026-03-18"), D("2026-03-15")) == 3
    assert CAL.days_left(D("2026-03-18"), D("2026-03-20")) == -2


# Periods validation ------------------------------------------------------------------------
def test_periods_from_mapping_round_trip_and_ignores_unknown_keys() -> None:
    p = Periods(notice_days=10, working_days=True)
    assert Periods.from_mapping({**p.as_mapping(), "unknown": 3}) == p


@pytest.mark.parametrize("bad", [0, -1, 366, "15", 1.5, True, None])
def test_periods_refuse_bad_values_naming_the_setting(bad: object) -> None:
    with pytest.raises(ValidationError) as caught:
        Periods.from_mapping({"handling_days": bad})
    assert caught.value.field == "受理后办理期限（日）"
    assert "1到365" in caught.value.message


# properties ---------------------------------------------------------------------------------
dates = st.dates(min_value=date(2024, 1, 1), max_value=date(2026, 12, 31))  # years the package knows
spans = st.integers(min_value=0, max_value=120)
official = HolidayCalendar()


@given(dates, spans)
def test_due_is_never_before_the_start(start: date, days: int) -> None:
    assert CAL.add(start, days) >= start
    assert WORK.add(start, days) >= start


@given(dates, spans, spans)
def test_calendar_add_is_additive(start: date, a: int, b: int) -> None:
    assert CAL.add(CAL.add(start, a), b) == CAL.add(start, a + b)
    assert (CAL.add(start, a) - start).days == a


@settings(max_examples=200)
@given(dates, st.integers(min_value=1, max_value=90))
def test_working_add_lands_on_a_working_day_and_counts_exactly_n(start: date, days: int) -> None:
    due = WORK.add(start, days)
    assert official.is_workday(due)
    between = [start + timedelta(days=i) for i in range(1, (due - start).days + 1)]
    assert sum(official.is_workday(d) for d in between) == days


@given(dates, st.integers(min_value=1, max_value=60), st.integers(min_value=1, max_value=60))
def test_working_add_is_additive(start: date, a: int, b: int) -> None:
    assert WORK.add(WORK.add(start, a), b) == WORK.add(start, a + b)


@given(dates, st.integers(min_value=0, max_value=60))
def test_working_days_never_end_sooner_than_calendar_days(start: date, days: int) -> None:
    assert WORK.add(start, days) >= CAL.add(start, days)
