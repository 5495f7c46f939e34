"""领导包案, 验证 and a leader's meeting on a matter: a leader taking a hard matter on, the check after 办结
that its result was carried out, a 约访 or 下访 about it."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from xinfang_desktop.domain.enums import EventKind, MeetingKind, Status, VerifyResult
from xinfang_desktop.domain.errors import ValidationError
from xinfang_desktop.domain.status import Action
from xinfang_desktop.domain.workflow.checks import (
    cn_date,
    require_day,
    require_not_before,
    require_step,
    require_text,
)
from xinfang_desktop.domain.workflow.records import Meeting, meeting_text
from xinfang_desktop.domain.workflow.state import Case, Charge, Line, Outcome, Rules, Verification, outcome


def take_charge(case: Case, *, leader: str, post: str, measures: str, resolve_by: date, on: date,
                rules: Rules) -> Outcome:
    """领导包案: one 包案领导 a matter; a second 包案 hands it to another leader (the first stays on the timeline)."""
    m = case.matter
    require_step(Action.CHARGE, m)
    leader = require_text(leader, "包案领导", max_len=32)
    post = require_text(post, "领导职务", max_len=32)
    measures = require_text(measures, "包案措施")
    require_day(on, "包案日期", rules, after=m.received_on, after_label="登记日期")
    if resolve_by < on:
        raise ValidationError(f"“化解期限”{cn_date(resolve_by)}早于包案日期{cn_date(on)}，请核对日期",
                              field="化解期限")
    before = case.charge
    charge = Charge(leader, post, measures, resolve_by, on, id=before.id if before else None)
    text = f"{cn_date(on)}由{post}{leader}包案，限{cn_date(resolve_by)}前化解：{measures}"
    if before is not None:
        text = f"{cn_date(on)}改由{post}{leader}包案（原包案领导：{before.post}{before.leader}），" \
               f"限{cn_date(resolve_by)}前化解：{measures}"
    return outcome(replace(case, charge=charge), Line(EventKind.CHARGED, text))


def verify(case: Case, *, on: date, checker: str, method: str, result: VerifyResult, rules: Rules,
           reason: str = "") -> Outcome:
    """验证 after 办结. 未落实 puts the matter back in hand under 重点督办, with its reason."""
    m = case.matter
    require_step(Action.VERIFY, m)
    checker = require_text(checker, "验证人", max_len=32)
    method = require_text(method, "验证方式")
    result = VerifyResult(result)
    require_day(on, "验证日期", rules, after=m.closed_on or m.received_on, after_label="办结日期")
    reason = require_text(reason, "未落实原因") if result is VerifyResult.NOT_DONE else reason.strip()
    entry = Verification(on, checker, method, result, reason)
    after = replace(case, verifications=case.verifications + (entry,))
    text = f"{cn_date(on)}{checker}{method}验证：{result.value}" + (f"，{reason}" if reason else "")
    lines = [Line(EventKind.VERIFIED, text, {"result": result.value})]
    if result is VerifyResult.NOT_DONE:
        after = after.with_matter(status=Status.IN_PROGRESS, closed_on=None, key_supervision=True)
        lines.append(Line(EventKind.KEY_SUPERVISION, f"验证未落实，重新列为重点督办：{reason}"))
    return outcome(after, *lines)


def meet(case: Case, meeting: Meeting) -> Outcome:
    """A 领导约访 or 下访 about this matter: its line on the timeline (the record itself is kept apart)."""
    m = case.matter
    require_step(Action.MEET, m)
    require_not_before(meeting.held_on, m.received_on, f"{meeting.kind.value}日期", "登记日期")
    kind = EventKind.INVITED if meeting.kind is MeetingKind.INVITED else EventKind.VISITED
    return outcome(case, Line(kind, meeting_text(meeting)))
