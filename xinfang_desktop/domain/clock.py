"""The statutory clock of the 信访工作条例: periods as settings, calendar or working days.

A period of N days runs from the day after its start date: received on 3 March with 15
days to answer means due on 18 March. In working-day mode the N days are counted over
working days only, using the official holiday calendar (with 调休 make-up Saturdays)
and the clerk's own corrections, which win.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields, replace
from datetime import date, timedelta
from typing import ClassVar

import chinese_calendar

from xinfang_desktop.domain.errors import ValidationError


@dataclass(frozen=True)
class Periods:
    """Every period of DOMAIN §1 with the 条例 default; each is a setting the clerk may change."""

    notice_days: int = 15  # Arts. 22, 23: register and route, written notice
    objection_workdays: int = 5  # Art. 23: object to a matter wrongly transferred in (always working days)
    handling_days: int = 60  # Art. 34: finish an accepted 申诉求决 matter, from 受理
    transfer_days: int = 60  # default deadline of a 交办; a county congress may use 90
    extension_max_days: int = 30  # Art. 34: one extension, at most this long
    review_request_days: int = 30  # Art. 35: petitioner may ask for 复查
    review_answer_days: int = 30  # Art. 35: the office answers a 复查
    recheck_request_days: int = 30  # Art. 36: petitioner may ask for 复核
    recheck_answer_days: int = 30  # Art. 36: the office answers a 复核
    due_soon_days: int = 5  # the board marks a deadline within this many days as 临期
    working_days: bool = False  # count 日 as working days instead of calendar days

    LABELS: ClassVar[dict[str, str]] = {
        "notice_days": "登记转送告知期限（日）",
        "objection_workdays": "异议期限（工作日）",
        "handling_days": "受理后办理期限（日）",
        "transfer_days": "交办默认期限（日）",
        "extension_max_days": "延期最长期限（日）",
        "review_request_days": "申请复查期限（日）",
        "review_answer_days": "复查办理期限（日）",
        "recheck_request_days": "申请复核期限（日）",
        "recheck_answer_days": "复核办理期限（日）",
        "due_soon_days": "临期提醒（日）",
        "working_days": "按工作日计算",
    }

    @classmethod
    def from_mapping(cls, values: Mapping[str, object]) -> Periods:
        """Build from stored settings; unknown keys are ignored, bad values refused by field."""
        periods = cls()
        changes: dict[str, object] = {}
        for f in fields(cls):
            if f.name not in values:
                continue
            value = values[f.name]
            label = cls.LABELS[f.name]
            if f.name == "working_days":
                changes[f.name] = bool(value)
                continue
            if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 365:
                raise ValidationError(f"{label}应为1到365之间的整数", field=label)
            changes[f.name] = value
        return replace(periods, **changes)  # type: ignore[arg-type]

    def as_mapping(self) -> dict[str, object]:
        return {f.name: getattr(self, f.name) for f in fields(self)}


class HolidayCalendar:
    """Which days are working days: the clerk's corrections, else the official calendar.

    Years the bundled official calendar does not know yet fall back to Monday-Friday,
    which is why the clerk enters the coming year's holidays and 调休 Saturdays.
    """

    def __init__(self, corrections: Mapping[date, bool] | None = None) -> None:
        self._corrections = dict(corrections or {})

    def is_workday(self, day: date) -> bool:
        if day in self._corrections:
            return self._corrections[day]
        try:
            return bool(chinese_calendar.is_workday(day))
        except NotImplementedError:
            return day.weekday() < 5

    def official_known(self, year: int) -> bool:
        try:
            chinese_calendar.is_workday(date(year, 6, 1))
        except NotImplementedError:
            return False
        return True


_CALENDAR = HolidayCalendar()


@dataclass(frozen=True)
class Clock:
    """Deadlines from periods; one instance per settings snapshot."""

    periods: Periods = Periods()
    calendar: HolidayCalendar = _CALENDAR

    def add(self, start: date, days: int, *, working: bool | None = None) -> date:
        """The due date `days` days after `start` (day 1 is the day after `start`)."""
        if days < 0:
            raise ValidationError("期限天数不能为负数", field="期限")
        use_working = self.periods.working_days if working is None else working
        if not use_working:
            return start + timedelta(days=days)
        day = start
        counted = 0
        while counted < days:
            day += timedelta(days=1)
            if self.calendar.is_workday(day):
                counted += 1
        return day

    def days_left(self, due: date, today: date) -> int:
        """Days from today to the due date, negative when overdue (always calendar days, as shown)."""
        return (due - today).days

    # the named periods of DOMAIN §1
    def notice_due(self, received: date) -> date:
        return self.add(received, self.periods.notice_days)

    def objection_due(self, received: date) -> date:
        return self.add(received, self.periods.objection_workdays, working=True)

    def handling_due(self, accepted: date) -> date:
        return self.add(accepted, self.periods.handling_days)

    def transfer_due(self, sent: date, days: int | None = None) -> date:
        return self.add(sent, self.periods.transfer_days if days is None else days)

    def extension_limit(self, old_due: date) -> date:
        return self.add(old_due, self.periods.extension_max_days)

    def review_request_deadline(self, reply_received: date) -> date:
        return self.add(reply_received, self.periods.review_request_days)

    def review_answer_due(self, requested: date) -> date:
        return self.add(requested, self.periods.review_answer_days)

    def recheck_request_deadline(self, review_reply_received: date) -> date:
        return self.add(review_reply_received, self.periods.recheck_request_days)

    def recheck_answer_due(self, requested: date) -> date:
        return self.add(requested, self.periods.recheck_answer_days)


EARLIEST = date(1980, 1, 1)  # the default of the setting "earliest_date": no 信访 ledger is older

# a deadline as the 督办 board and the matter list colour it
OVERDUE = "超期"
DUE_SOON = "临期"
NORMAL = "正常"


def deadline_state(days_left: int, due_soon_days: int) -> str:
    if days_left < 0:
        return OVERDUE
    if days_left <= due_soon_days:
        return DUE_SOON
    return NORMAL
