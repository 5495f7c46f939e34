"""The 督办 board's filters: which rows each name in its 筛选 list keeps."""

from __future__ import annotations

from collections.abc import Callable

from xinfang_desktop.domain.clock import DUE_SOON, NORMAL, OVERDUE, deadline_state
from xinfang_desktop.domain.enums import Status
from xinfang_desktop.domain.values import BoardKey
from xinfang_desktop.services.supervision import (
    AWAITING_CLOSE,
    AWAITING_DECISION,
    AWAITING_FOLLOW_UP,
    AWAITING_REPLY,
    AWAITING_VERIFICATION,
    DISPUTES_PAST_DUE,
    RETURNED,
)

ALL = "全部在办"
TODAY = "今日到期"
EXTENDED = "已延期"
WAITING = "待反馈"
KEY = "重点督办"
CHARGED = "领导包案"

# filter name -> which board keys it keeps (待回访, 待办结 and 待验证 are lists of their own;
# 已延期, 重点督办 and 领导包案 need the matters' flags, read when chosen)
FILTERS: dict[str, Callable[[BoardKey, int], bool]] = {
    ALL: lambda k, soon: True,
    OVERDUE: lambda k, soon: k.days_left < 0,
    DUE_SOON: lambda k, soon: 0 <= k.days_left <= soon,
    TODAY: lambda k, soon: k.days_left == 0,
    NORMAL: lambda k, soon: deadline_state(k.days_left, soon) == NORMAL,
    EXTENDED: lambda k, soon: True,
    WAITING: lambda k, soon: k.transfer_id is not None,
    RETURNED: lambda k, soon: k.state == RETURNED,
    AWAITING_DECISION: lambda k, soon: k.state == AWAITING_DECISION,
    AWAITING_REPLY: lambda k, soon: k.state == AWAITING_REPLY,
    KEY: lambda k, soon: True,
    CHARGED: lambda k, soon: True,
}
# 已办结: every closed matter, newest first, a window over SQL (most of a million matters are closed),
# for what is still recorded after 办结: 回访, 息访, a 复查 or 复核 request, 修改 and 作废 from its 卷宗
CLOSED = Status.CLOSED.value
FILTER_NAMES: tuple[str, ...] = (*FILTERS, AWAITING_FOLLOW_UP, AWAITING_CLOSE, CLOSED, AWAITING_VERIFICATION,
                                 DISPUTES_PAST_DUE)
