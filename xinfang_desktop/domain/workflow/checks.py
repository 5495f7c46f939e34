"""The checks every step shares: required text, dates in order and in range, the one 人数 rule, the status machine."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from functools import lru_cache

from xinfang_desktop.domain.enums import ReviewStage
from xinfang_desktop.domain.errors import InvalidTransitionError, ValidationError
from xinfang_desktop.domain.status import ALLOWED, Action, require
from xinfang_desktop.domain.workflow.state import MatterState, Rules

MAX_PERSONS = 100_000

# what may still be recorded on a matter after 复核 终结 (Art. 36): the file stays readable, the
# petitioner may still be visited or stop petitioning, and a mistyped record of it be corrected
AFTER_FINAL = frozenset({Action.FOLLOW_UP, Action.SETTLE, Action.DOCUMENT, Action.INSTRUCT, Action.AMEND})


def _cn_date(day: date) -> str:
    """2026年11月22日: no leading zeros, as GB/T 9704 writes dates."""
    return f"{day.year}年{day.month}月{day.day}日"


# the timeline writes a few dates for each step, and a ledger import replays thousands of steps over a
# few hundred days: each day's text is made once (typed as the function, which lru_cache's wrapper is not)
cn_date: Callable[[date], str] = lru_cache(maxsize=4096)(_cn_date)


def require_text(value: str, label: str, *, max_len: int | None = None) -> str:
    cleaned = (value or "").strip()
    if not cleaned:
        raise ValidationError(f"请填写“{label}”", field=label)
    if max_len is not None and len(cleaned) > max_len:
        raise ValidationError(f"“{label}”不能超过{max_len}个字，现在是{len(cleaned)}个字", field=label)
    return cleaned


def require_not_before(day: date, earliest: date, label: str, earliest_label: str) -> None:
    if day < earliest:
        raise ValidationError(
            f"“{label}”{cn_date(day)}早于{earliest_label}{cn_date(earliest)}，请核对日期", field=label
        )


def require_not_future(day: date, label: str, *, now: date) -> None:
    if day > now:
        raise ValidationError(f"“{label}”{cn_date(day)}晚于今天，请核对日期", field=label)


def require_day(day: date, label: str, rules: Rules, *, after: date | None = None, after_label: str = "") -> None:
    """A date a clerk records: not before the earliest date of the setting, not after today, and in order."""
    if rules.earliest <= day <= rules.today and (after is None or after <= day):
        return  # a sound date, as nearly every one is (the import asks a few of these for each of its rows)
    if day < rules.earliest:
        raise ValidationError(
            f"“{label}”{cn_date(day)}早于{cn_date(rules.earliest)}，请核对日期（最早日期可在设置中修改）", field=label
        )
    require_not_future(day, label, now=rules.today)
    if after is not None:
        require_not_before(day, after, label, after_label)


def require_persons(persons: int) -> int:
    """人数, the same rule at 登记, when correcting a matter and in the import."""
    if persons < 1:
        raise ValidationError("“人数”至少为1，请填写来访或联名的人数", field="人数")
    if persons > MAX_PERSONS:
        raise ValidationError(f"“人数”{persons}过大（最多{MAX_PERSONS}），请核对", field="人数")
    return persons


def require_step(action: Action, matter: MatterState) -> None:
    """The status machine, and nothing but a few records after 终结."""
    if matter.status in ALLOWED[action] and not matter.final:
        return  # allowed: the reason why not is only worded when it is not
    require(action, matter.status)
    if matter.final and action not in AFTER_FINAL:
        raise InvalidTransitionError(
            f"该事项已经复核终结，不能{action.value}：同一事实和理由不再受理（条例第三十六条）", field="状态"
        )


def allowed_steps(matter: MatterState, *, review_registered: bool = False) -> tuple[Action, ...]:
    """The steps a clerk may take on this matter now, in the order of Action: what a 卷宗's menu offers.

    require_step for each, narrowed by what the step itself asks of the state: one 息访, and
    复查 of a first written reply or 复核 of a 复查's (finish.request_review), never both, and not
    once one is registered (`review_registered`: one per decision; it is continued in that matter).
    """
    offered = []
    for action in Action:
        try:
            require_step(action, matter)
        except InvalidTransitionError:
            continue
        if action is Action.SETTLE and matter.settled:
            continue
        if action in (Action.REQUEST_REVIEW, Action.REQUEST_RECHECK):
            wanted = Action.REQUEST_REVIEW if matter.stage is ReviewStage.FIRST else Action.REQUEST_RECHECK
            if (action is not wanted or matter.replied_on is None or matter.stage is ReviewStage.RECHECK
                    or review_registered):
                continue
        offered.append(action)
    return tuple(offered)
