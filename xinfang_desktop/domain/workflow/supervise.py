"""督办: 催办, 重点督办, a unit's feedback (采纳 or 退回补办), and the one 延期."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from xinfang_desktop.domain.enums import EventKind, TransferRole, TransferState
from xinfang_desktop.domain.errors import InvalidTransitionError, NotFoundError, ValidationError
from xinfang_desktop.domain.frozen import changed
from xinfang_desktop.domain.letters import DocumentKind
from xinfang_desktop.domain.status import Action
from xinfang_desktop.domain.workflow.checks import cn_date, require_day, require_step, require_text
from xinfang_desktop.domain.workflow.state import Case, Feedback, Line, Outcome, Rules, Transfer, outcome


def _transfer(case: Case, index: int) -> Transfer:
    if not 0 <= index < len(case.transfers):
        raise NotFoundError("找不到该交办记录")
    return case.transfers[index]


def _replaced(case: Case, index: int, row: Transfer) -> Case:
    return case.with_transfers(case.transfers[:index] + (row,) + case.transfers[index + 1:])


def remind(case: Case, index: int, *, on: date, rules: Rules, note: str = "") -> Outcome:
    """催办 one transfer: counted, and written on the timeline."""
    row = _transfer(case, index)
    require_step(Action.REMIND, case.matter)
    if row.state is TransferState.ANSWERED:
        raise InvalidTransitionError(f"{row.unit}已反馈，无需催办", field="催办")
    require_day(on, "催办日期", rules, after=row.sent_on, after_label="交办日期")
    row = replace(row, reminders=row.reminders + 1)
    text = f"{cn_date(on)}向{row.unit}催办（第{row.reminders}次）"
    if row.due_on:
        text += f"，期限{cn_date(row.due_on)}"
    if note.strip():
        text += f"：{note.strip()}"
    return outcome(_replaced(case, index, row), Line(EventKind.REMINDED, text, transfer=index),
                   document=DocumentKind.REMINDER.value)


def key_supervision(case: Case, *, on: bool, reason: str = "") -> Outcome:
    """重点督办 on or off; setting it again changes nothing."""
    require_step(Action.KEY_SUPERVISE, case.matter)
    if case.matter.key_supervision == on:
        return outcome(case)
    text = ("列为重点督办" if on else "取消重点督办") + (f"：{reason.strip()}" if reason.strip() else "")
    return outcome(case.with_matter(key_supervision=on), Line(EventKind.KEY_SUPERVISION, text))


def feedback(case: Case, index: int, *, received_on: date, text: str, rules: Rules, result: str = "",
             accept: bool = True, return_reason: str = "", new_due_on: date | None = None) -> Outcome:
    """登记反馈, accepted or 退回补办 with a reason (and optionally a new deadline).

    The matter's 办理结果 is the 主办's: a 协办 unit's result stays on its own feedback.
    """
    row = _transfer(case, index)
    require_step(Action.FEEDBACK if accept else Action.RETURN, case.matter)
    if row.state is TransferState.ANSWERED:
        raise InvalidTransitionError(f"{row.unit}的反馈已经采纳，不能重复登记", field="反馈")
    require_day(received_on, "反馈日期", rules, after=row.sent_on, after_label="交办日期")
    text = require_text(text, "反馈内容")
    if not accept:
        return_reason = require_text(return_reason, "退回理由")
        if new_due_on is not None and new_due_on <= received_on:
            raise ValidationError("补办期限应晚于退回日期", field="补办期限")
    entry = Feedback(received_on, text, result.strip(), accept, return_reason.strip() if not accept else "")
    lines = [Line(EventKind.FEEDBACK, f"{cn_date(received_on)}收到{row.unit}反馈：{text}", transfer=index)]
    if accept:
        after = _replaced(case, index, changed(row, feedback=row.feedback + (entry,), state=TransferState.ANSWERED))
        if result.strip() and row.role is TransferRole.LEAD:
            after = after.with_matter(result=result.strip())
    else:
        extra = ""
        returned = replace(row, feedback=row.feedback + (entry,), state=TransferState.RETURNED)
        if new_due_on is not None:
            returned = replace(returned, due_on=new_due_on)
            extra = f"，限{cn_date(new_due_on)}前重新报结"
        after = _replaced(case, index, returned)
        lines.append(Line(EventKind.RETURNED, f"退回{row.unit}补办：{return_reason}{extra}", transfer=index))
    return outcome(after, *lines)


def extend(case: Case, *, new_due_on: date, reason: str, on: date, rules: Rules) -> Outcome:
    """延期: once, approved before the old deadline passes, at most 30 days past it, with a reason told to the
    petitioner."""
    m = case.matter
    require_step(Action.EXTEND, m)
    if m.extended:
        raise InvalidTransitionError("该事项已经延期一次，依照条例第三十四条不能再次延期", field="延期")
    if m.due_on is None:
        raise InvalidTransitionError("该事项没有办理期限，无需延期", field="延期")
    reason = require_text(reason, "延期理由")
    require_day(on, "批准日期", rules, after=m.received_on, after_label="登记日期")
    if on > m.due_on:
        # Art. 34 extends a period that is still running: a matter already overdue is finished, not extended
        raise ValidationError(f"批准日期{cn_date(on)}已过原办理期限{cn_date(m.due_on)}：延期须在期限届满前批准"
                              "（条例第三十四条），已超期的事项请尽快办结", field="批准日期")
    limit = rules.clock.extension_limit(m.due_on)
    if new_due_on <= m.due_on:
        raise ValidationError(f"新的办理期限应晚于原期限{cn_date(m.due_on)}", field="延期至")
    if new_due_on > limit:
        raise ValidationError(
            f"延期不得超过{rules.clock.periods.extension_max_days}日，最晚延至{cn_date(limit)}", field="延期至"
        )
    transfers = tuple(
        replace(t, due_on=new_due_on) if t.owes_report and t.due_on is not None and t.due_on < new_due_on else t
        for t in case.transfers
    )
    after = case.with_transfers(transfers).with_matter(due_on=new_due_on, extended=True, extension_reason=reason)
    text = f"{cn_date(on)}批准延期：由{cn_date(m.due_on)}延至{cn_date(new_due_on)}，理由：{reason}"
    return outcome(after, Line(EventKind.EXTENDED, text), document=DocumentKind.EXTENSION_NOTICE.value)
