"""Helpers every service shares: settings, the clock, loading a matter, writing a timeline event."""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from xinfang_desktop import wallclock
from xinfang_desktop.db.dialect import login_name
from xinfang_desktop.db.models import CalendarDay, Event, Matter, Setting
from xinfang_desktop.domain.clock import Clock, HolidayCalendar, Periods
from xinfang_desktop.domain.errors import NotFoundError, ValidationError
from xinfang_desktop.domain.status import Action, require
from xinfang_desktop.domain.workflow import checks
from xinfang_desktop.domain.workflow.checks import cn_date as cn_date
from xinfang_desktop.domain.workflow.checks import require_not_before as require_not_before
from xinfang_desktop.domain.workflow.checks import require_text as require_text
from xinfang_desktop.paths import resources_dir
from xinfang_desktop.services.settings import DEFAULT_SETTINGS, SETTING_LABELS, SETTINGS_CACHE, get_setting, periods

# Settings and the clock are read by almost every service call; one user action (or a whole
# ledger import) reads them once per session, and every write through this module drops the copy.
_CLOCK_CACHE = "xinfang_clock"


def _forget(session: Session) -> None:
    session.info.pop(SETTINGS_CACHE, None)
    session.info.pop(_CLOCK_CACHE, None)


def set_setting(session: Session, key: str, value: Any) -> None:
    if key not in DEFAULT_SETTINGS:
        raise ValidationError(f"没有名为“{key}”的设置", field=key)
    if key == "periods":
        # a partial change keeps the other periods as they are; bad values are refused by field
        value = Periods.from_mapping({**periods(session).as_mapping(), **dict(value)}).as_mapping()
    elif key in SETTING_LABELS:
        label = SETTING_LABELS[key]
        if not isinstance(value, str) or not value.strip():
            raise ValidationError(f"“{label}”不能为空，请填写", field=label)
        value = require_text(value, label, max_len=64)
    elif key == "first_start" and value not in ("", "skipped", "done"):
        raise ValidationError(f"首次设置的状态“{value}”不对", field=key)
    elif key == "earliest_date":
        try:
            value = date.fromisoformat(str(value)).isoformat()
        except ValueError:
            raise ValidationError("“最早日期”应为日期，如1980-01-01", field="最早日期") from None
    elif key == "backup_folder2":
        value = str(value or "").strip()
        if value and not Path(value).is_absolute():
            raise ValidationError(f"第二备份文件夹“{value}”不是完整路径，请用“选择…”选一个文件夹", field="第二备份文件夹")
    row = session.get(Setting, key)
    if row is None:
        session.add(Setting(key=key, value=value))
    else:
        row.value = value
    _forget(session)


def set_settings(session: Session, *, values: Mapping[str, Any]) -> dict[str, Any]:
    """Several settings (one dialog's) as one action: a bad value leaves every one unchanged.

    One left empty as it was (a 复查机关 not known yet) is no change; clearing a filled one is refused.
    """
    for key, value in values.items():
        if value == "" == get_setting(session, key):
            continue
        set_setting(session, key, value)
    return dict(values)


def calendar_corrections(session: Session) -> dict[date, bool]:
    return {row.day: row.is_workday for row in session.scalars(select(CalendarDay))}


def clock(session: Session) -> Clock:
    """The clock of this database: its periods and the clerk's calendar corrections."""
    cached = session.info.get(_CLOCK_CACHE)
    if cached is None:
        cached = Clock(periods(session), HolidayCalendar(calendar_corrections(session)))
        session.info[_CLOCK_CACHE] = cached
    assert isinstance(cached, Clock)
    return cached


def set_calendar_day(session: Session, *, day: date, is_workday: bool, note: str = "") -> None:
    """The clerk's correction for one day (a holiday, or a 调休 working Saturday)."""
    row = session.get(CalendarDay, day)
    if row is None:
        session.add(CalendarDay(day=day, is_workday=is_workday, note=note))
    else:
        row.is_workday, row.note = is_workday, note
    _forget(session)


def load_matter(session: Session, matter_id: int, action: Action | None = None) -> Matter:
    matter = session.get(Matter, matter_id)
    if matter is None:
        raise NotFoundError(f"找不到编号为{matter_id}的信访事项，可能已被删除或数据库不同")
    if action is not None:
        require(action, matter.status)
    return matter


def actor(session: Session) -> str:
    """Who the timeline says did a step: on a server the person of the login (named by server-setup),
    else, and for a login without a name, the clerk's name of 设置."""
    return login_name(session) or str(get_setting(session, "clerk_name"))


def add_event(
    session: Session, matter: Matter, kind: str, text: str, data: dict[str, Any] | None = None
) -> None:
    session.add(Event(matter_id=matter.id, at=wallclock.now(), actor=actor(session), kind=kind, text=text,
                      data=data))



def load_default_list(name: str, folder: str = "defaults") -> Any:
    """A list shipped in resources/: "defaults" seeds every database, "demo" only `xinfang demo` ones."""
    with (resources_dir() / folder / name).open(encoding="utf-8") as fh:
        return json.load(fh)


def require_not_future(day: date, label: str, *, now: date | None = None) -> None:
    checks.require_not_future(day, label, now=now or wallclock.today())

