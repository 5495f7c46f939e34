"""更正办理结果: the record of a 答复, 办结 or 回访 corrected after the fact, by the rules of those steps themselves.

A closing date typed a month late turns an on-time 办结 into 逾期办结 in the year-end tally, and a
回访 recorded as 不满意 lowers the 满意率: the clerk corrects the record, with a reason, and the
timeline keeps both values (nothing is deleted). Each date is checked as its own step checks it.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any

from xinfang_desktop.domain.enums import EventKind, Satisfaction
from xinfang_desktop.domain.errors import ValidationError
from xinfang_desktop.domain.status import Action
from xinfang_desktop.domain.workflow.checks import require_step, require_text
from xinfang_desktop.domain.workflow.finish import require_close_day, require_follow_up_day, require_reply_day
from xinfang_desktop.domain.workflow.register import show
from xinfang_desktop.domain.workflow.state import Case, Line, MatterState, Outcome, Rules, outcome

# what may be corrected, with the label the form and the timeline give it, and the date of the step it belongs to
AMENDABLE: dict[str, tuple[str, str]] = {
    "replied_on": ("答复日期", "replied_on"),
    "reply_text": ("答复内容", "replied_on"),
    "closed_on": ("办结日期", "closed_on"),
    "result": ("办理结果", "closed_on"),
    "followed_up_on": ("回访日期", "followed_up_on"),
    "satisfaction": ("满意度", "followed_up_on"),
}
_DATES = ("replied_on", "closed_on", "followed_up_on")


def amendable(m: MatterState) -> tuple[str, ...]:
    """The fields of the steps this matter has had (a 答复, a 办结, a 回访): what a 更正 may change."""
    return tuple(key for key, (_, step) in AMENDABLE.items() if getattr(m, step) is not None)


def amend(case: Case, changes: dict[str, Any], rules: Rules, *, reason: str, review: str | None = None) -> Outcome:
    """更正办理结果: change some of `amendable` fields; each change on the timeline as before → after, with the reason.

    `review`: the number of a 复查 (复核) registered on the reply: its 答复日期 stays (the request was
    checked against it, and its 30 days ran from it). Nothing changed gives the case as it was and no line."""
    m = case.matter
    require_step(Action.AMEND, m)
    offered = amendable(m)
    unknown = [key for key in changes if key not in offered]
    if unknown:
        names = "、".join(AMENDABLE[key][0] if key in AMENDABLE else key for key in unknown)
        raise ValidationError(f"这些项不能更正：{names}（只能更正已办理的答复、办结和回访）")
    clean = dict(changes)
    for key in _DATES:
        if key in clean and not isinstance(clean[key], date):
            label = AMENDABLE[key][0]
            raise ValidationError(f"“{label}”不是有效日期，请重新填写", field=label)
    if "reply_text" in clean:
        clean["reply_text"] = require_text(str(clean["reply_text"] or ""), "答复内容")
    if "result" in clean:
        clean["result"] = str(clean["result"] or "").strip()
    if "satisfaction" in clean:
        try:
            clean["satisfaction"] = Satisfaction(clean["satisfaction"])
        except ValueError:
            raise ValidationError("请选择“满意度”", field="满意度") from None
    after = replace(m, **clean)
    lines = [f"{label}：{show(getattr(m, key))} → {show(getattr(after, key))}"
             for key, (label, _) in AMENDABLE.items() if getattr(m, key) != getattr(after, key)]
    if not lines:
        return outcome(case)
    reason = require_text(reason, "更正原因")
    # each date as its step checks it, against the record as corrected
    if after.replied_on is not None and after.replied_on != m.replied_on:
        if review:
            raise ValidationError(f"该答复已有复查（复核）申请{review}，“答复日期”不能再更正", field="答复日期")
        require_reply_day(after, after.replied_on, rules)
    if after.closed_on is not None and after.closed_on != m.closed_on:
        require_close_day(after, after.closed_on, rules)
    if after.followed_up_on is not None and any(getattr(after, k) != getattr(m, k) for k in _DATES):
        require_follow_up_day(after, after.followed_up_on, rules)
    return outcome(replace(case, matter=after),
                   Line(EventKind.EDITED, f"更正办理结果：{'；'.join(lines)}（原因：{reason}）"))
