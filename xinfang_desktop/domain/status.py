"""The status machine: which action is allowed in which state, with the Chinese reason when not."""

from __future__ import annotations

from enum import StrEnum

from xinfang_desktop.domain.enums import Decision, Status
from xinfang_desktop.domain.errors import InvalidTransitionError


class Action(StrEnum):
    PROPOSE = "拟办"
    INSTRUCT = "领导批示"
    EDIT = "修改"
    AMEND = "更正办理结果"
    DECIDE = "受理决定"
    REVOKE = "撤销受理决定"
    TRANSFER = "交办"
    REMIND = "催办"
    KEY_SUPERVISE = "重点督办"
    FEEDBACK = "登记反馈"
    RETURN = "退回补办"
    EXTEND = "延期"
    REPLY = "答复"
    FOLLOW_UP = "回访"
    CLOSE = "办结"
    SETTLE = "息访"
    REQUEST_REVIEW = "复查申请"
    REQUEST_RECHECK = "复核申请"
    VOID = "作废"
    RESTORE = "撤销作废"
    DOCUMENT = "出具文书"
    CHARGE = "领导包案"
    VERIFY = "验证"
    MEET = "领导约访下访"


_OPEN = frozenset({Status.PENDING, Status.IN_PROGRESS, Status.FORWARDED, Status.REPLIED})

ALLOWED: dict[Action, frozenset[Status]] = {
    Action.PROPOSE: frozenset({Status.PENDING, Status.IN_PROGRESS}),
    Action.INSTRUCT: _OPEN,
    Action.EDIT: _OPEN | {Status.CLOSED, Status.REJECTED, Status.FILED},
    Action.AMEND: frozenset({Status.REPLIED, Status.CLOSED}),  # the record of its 答复, 办结, 回访
    Action.DECIDE: frozenset({Status.PENDING}),
    # a 不予受理 or 存查 decided by mistake: nothing follows either, so it is taken back and decided anew
    Action.REVOKE: frozenset({Status.REJECTED, Status.FILED}),
    Action.TRANSFER: frozenset({Status.IN_PROGRESS}),
    Action.REMIND: frozenset({Status.IN_PROGRESS, Status.FORWARDED}),
    Action.KEY_SUPERVISE: frozenset({Status.PENDING, Status.IN_PROGRESS, Status.FORWARDED}),
    Action.FEEDBACK: frozenset({Status.IN_PROGRESS, Status.FORWARDED}),
    Action.RETURN: frozenset({Status.IN_PROGRESS}),
    Action.EXTEND: frozenset({Status.IN_PROGRESS}),
    Action.REPLY: frozenset({Status.IN_PROGRESS, Status.FORWARDED}),
    Action.FOLLOW_UP: frozenset({Status.REPLIED, Status.CLOSED}),
    Action.CLOSE: frozenset({Status.IN_PROGRESS, Status.FORWARDED, Status.REPLIED}),
    Action.SETTLE: frozenset({Status.REPLIED, Status.CLOSED}),
    Action.REQUEST_REVIEW: frozenset({Status.REPLIED, Status.CLOSED}),
    Action.REQUEST_RECHECK: frozenset({Status.REPLIED, Status.CLOSED}),
    Action.VOID: _OPEN | {Status.CLOSED, Status.REJECTED, Status.FILED},
    Action.RESTORE: frozenset({Status.VOIDED}),  # a 作废 by mistake, taken back with a reason
    Action.DOCUMENT: _OPEN | {Status.CLOSED, Status.REJECTED, Status.FILED},
    # a leader may take on a matter closed but not settled (办结未息访) as well as one in hand
    Action.CHARGE: _OPEN | {Status.CLOSED},
    Action.VERIFY: frozenset({Status.CLOSED}),
    Action.MEET: _OPEN | {Status.CLOSED},
}

_HINT: dict[Status, str] = {
    Status.PENDING: "请先作出受理决定",
    Status.IN_PROGRESS: "该事项正在办理中",
    Status.FORWARDED: "该事项已转送有权处理机关",
    Status.REPLIED: "该事项已答复，可回访或办结",
    Status.CLOSED: "该事项已办结",
    Status.REJECTED: "该事项已决定不予受理",
    Status.FILED: "该事项已存查",
    Status.VOIDED: "该事项已作废，不能再办理（作废有误的，可撤销作废）",
}

# what a decision moves a pending matter to
AFTER_DECISION: dict[Decision, Status] = {
    Decision.ACCEPT: Status.IN_PROGRESS,
    Decision.ASSIGN: Status.IN_PROGRESS,
    Decision.FORWARD: Status.FORWARDED,
    Decision.ANSWER: Status.REPLIED,
    Decision.REJECT: Status.REJECTED,
    Decision.FILE: Status.FILED,
}

# states counted as "required handling" and "closed" in the tally
CLOSED_STATES = frozenset({Status.CLOSED})


def refusal(action: Action, status: Status) -> str | None:
    """Why `action` is not allowed in `status`, or None when it is."""
    if status in ALLOWED[action]:
        return None
    return f"当前状态为“{status.value}”，不能{action.value}：{_HINT[status]}"


def require(action: Action, status: Status) -> None:
    reason = refusal(action, status)
    if reason is not None:
        raise InvalidTransitionError(reason, field="状态")


def is_open(status: Status) -> bool:
    return status in _OPEN
