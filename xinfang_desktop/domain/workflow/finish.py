"""答复, 回访, 办结, 息访, 复查/复核 requests, 终结, 作废 and 撤销作废."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from xinfang_desktop.domain.enums import (
    Decision,
    EventKind,
    Purpose,
    ReplyOpinion,
    ReviewStage,
    Route,
    Satisfaction,
    Status,
    TransferState,
)
from xinfang_desktop.domain.errors import InvalidTransitionError
from xinfang_desktop.domain.letters import DocumentKind
from xinfang_desktop.domain.status import Action
from xinfang_desktop.domain.workflow.checks import cn_date, require_day, require_step, require_text
from xinfang_desktop.domain.workflow.state import Case, Line, MatterState, Outcome, Rules, outcome


def _require_reports(case: Case, what: str, message: str) -> None:
    waiting = case.owing()
    if waiting:
        names = "、".join(t.unit for t in waiting)
        raise InvalidTransitionError(message.format(names=names), field=what)


# the dates of the last steps, checked by the step and again by a 更正 of it (workflow/amend.py)
def require_reply_day(m: MatterState, on: date, rules: Rules) -> None:
    require_day(on, "答复日期", rules, after=m.received_on, after_label="登记日期")
    if m.decided_on is not None:
        require_day(on, "答复日期", rules, after=m.decided_on, after_label="受理决定日期")


def require_close_day(m: MatterState, on: date, rules: Rules) -> None:
    require_day(on, "办结日期", rules, after=m.received_on, after_label="登记日期")
    if m.decided_on is not None:
        require_day(on, "办结日期", rules, after=m.decided_on, after_label="受理决定日期")


def require_follow_up_day(m: MatterState, on: date, rules: Rules) -> None:
    """A 回访 comes after the answer: the written reply, else the closing, else the registration."""
    require_day(on, "回访日期", rules, after=m.replied_on or m.closed_on or m.received_on, after_label="答复日期")


def reply_document(stage: ReviewStage, purpose: Purpose) -> DocumentKind:
    """The written answer (DOMAIN §5): an Art. 32 意见书 for a claim or complaint at each stage, a plain 复信
    to a 咨询 or a 建议意见 at the first, and to a 检举控告 the 投诉（举报）处理情况告知书."""
    if stage is ReviewStage.FIRST and purpose in (Purpose.CONSULTATION, Purpose.SUGGESTION):
        return DocumentKind.REPLY_LETTER
    if stage is ReviewStage.FIRST and purpose is Purpose.ACCUSATION:
        return DocumentKind.ACCUSATION_NOTICE
    return {ReviewStage.FIRST: DocumentKind.OPINION, ReviewStage.REVIEW: DocumentKind.REVIEW_OPINION,
            ReviewStage.RECHECK: DocumentKind.RECHECK_OPINION}[stage]


def reply(case: Case, *, on: date, text: str, rules: Rules, opinion: ReplyOpinion | None = None,
          findings: str = "") -> Outcome:
    """答复 the petitioner in writing; a 交办 matter needs every unit's accepted report first.

    opinion: the Art. 32 处理意见 (予以支持 / 作出解释说明 / 不予支持) the 信访处理意见书 states;
    findings: what the office found (a 复查/复核意见书's 认定的事实和理由).
    """
    m = case.matter
    require_step(Action.REPLY, m)
    _require_reports(case, "答复", "尚未收到{names}的办理反馈，不能答复；请先登记反馈")
    require_reply_day(m, on, rules)
    text = require_text(text, "答复内容")
    document = reply_document(m.stage, m.purpose)
    opinion = ReplyOpinion(opinion) if opinion is not None else None
    verdict = f"（处理意见：{opinion.value}）" if opinion else ""
    after = case.with_matter(reply_text=text, replied_on=on, status=Status.REPLIED, reply_opinion=opinion,
                             reply_findings=findings.strip())
    return outcome(after, Line(EventKind.REPLIED, f"{cn_date(on)}书面答复{verdict}：{text}"),
                   document=document.value)


def follow_up(case: Case, *, on: date, satisfaction: Satisfaction, rules: Rules, note: str = "",
              petitioner_view: str = "") -> Outcome:
    """回访 with 满意度; note (回访情况) and petitioner_view (信访人意见) are kept for the 回访记录."""
    m = case.matter
    require_step(Action.FOLLOW_UP, m)
    require_follow_up_day(m, on, rules)
    after = case.with_matter(followed_up_on=on, satisfaction=satisfaction, follow_up_note=note.strip(),
                             follow_up_opinion=petitioner_view.strip())
    return outcome(after, followed_up_line(on, satisfaction, note, petitioner_view),
                   document=DocumentKind.FOLLOW_UP_RECORD.value)


# the timeline lines of the last steps, which `xinfang demo` writes in bulk too (services/demo)
def followed_up_line(on: date, satisfaction: Satisfaction, note: str = "", petitioner_view: str = "") -> Line:
    view = f"；信访人意见：{petitioner_view.strip()}" if petitioner_view.strip() else ""
    return Line(EventKind.FOLLOWED_UP,
                f"{cn_date(on)}回访：{satisfaction.value}" + (f"，{note.strip()}" if note.strip() else "") + view)


def closed_line(on: date, result: str) -> Line:
    return Line(EventKind.CLOSED, f"{cn_date(on)}办结" + (f"：{result}" if result else ""))


def settled_line(on: date) -> Line:
    return Line(EventKind.SETTLED, f"{cn_date(on)}息访")


def close(case: Case, *, on: date, rules: Rules, result: str = "") -> Outcome:
    """办结. A 交办 matter cannot close before every unit's report is accepted; closing a 复核 makes it final.

    The caller then applies `finalize` to the matters the 复核 was about (its parents).
    """
    m = case.matter
    require_step(Action.CLOSE, m)
    _require_reports(case, "办结", "交办事项尚未收到{names}的反馈，不能办结；请先登记反馈")
    require_close_day(m, on, rules)
    final_result = result.strip() or m.result
    after = case.with_matter(closed_on=on, status=Status.CLOSED, result=final_result)
    lines = [closed_line(on, final_result)]
    if m.stage is ReviewStage.RECHECK and not m.final:
        after = after.with_matter(final=True)
        lines.append(Line(EventKind.FINAL, f"经{m.number}复核，本事项终结：同一事实和理由不再受理"))
    return outcome(after, *lines)


def finalize(case: Case, *, by_number: str) -> Outcome:
    """终结: after 复核 the same facts and reasons are no longer accepted (Art. 36)."""
    if case.matter.final:
        return outcome(case)
    return outcome(case.with_matter(final=True),
                   Line(EventKind.FINAL, f"经{by_number}复核，本事项终结：同一事实和理由不再受理"))


def settle(case: Case, *, on: date, rules: Rules) -> Outcome:
    """息访: recorded apart from 办结."""
    m = case.matter
    require_step(Action.SETTLE, m)
    if m.settled:
        raise InvalidTransitionError("该事项已登记息访", field="息访")
    require_day(on, "息访日期", rules, after=m.received_on, after_label="登记日期")
    return outcome(case.with_matter(settled=True, settled_on=on), settled_line(on))


def review_stage(m: MatterState) -> ReviewStage:
    """What a request on this matter asks for: 复查 of a first decision, 复核 of a 复查."""
    if m.final or m.stage is ReviewStage.RECHECK:
        raise InvalidTransitionError("该事项已经复核终结，同一事实和理由不再受理（条例第三十六条）", field="复查复核")
    return ReviewStage.REVIEW if m.stage is ReviewStage.FIRST else ReviewStage.RECHECK


def review_window(m: MatterState, rules: Rules, *, reply_received_on: date | None = None) -> date:
    """The last day the petitioner may ask for 复查 (or 复核) of this matter's written reply.

    Thirty days from the day the written reply reached the petitioner (条例第三十五条): `reply_received_on`,
    the 送达 of its 意见书 when recorded, else the day the 意见书 was issued; never before the 答复 itself.
    """
    if m.replied_on is None:
        raise InvalidTransitionError("该事项尚未书面答复，不能申请复查", field="复查复核")
    start = max(m.replied_on, reply_received_on) if reply_received_on is not None else m.replied_on
    if review_stage(m) is ReviewStage.REVIEW:
        return rules.clock.review_request_deadline(start)
    return rules.clock.recheck_request_deadline(start)


def no_longer_accepted(m: MatterState, rules: Rules, *, on: date, reply_received_on: date | None = None) -> bool:
    """Whether the same facts and reasons are 不再受理 on `on` (条例第三十五、三十六条): the matter went through
    复核 (终结, or it is a 复核 answered or closed), or the written answer to an ordinary 诉求 was not taken
    to 复查 (or 复核) within its thirty days (`reply_received_on` as for `review_window`)."""
    if m.final:
        return True
    if m.stage is ReviewStage.RECHECK:
        return m.replied_on is not None or m.status is Status.CLOSED
    ordinary = m.purpose is Purpose.CLAIM and m.route in (Route.ORDINARY, None)
    return ordinary and m.replied_on is not None and on > review_window(m, rules, reply_received_on=reply_received_on)


def request_review(case: Case, *, on: date, reason: str, rules: Rules, number: str, seq: int,
                   earlier: str | None = None, reply_received_on: date | None = None) -> Outcome:
    """复查 (after a first reply) or 复核 (after a 复查 reply): a new linked matter with its own clock.

    `earlier` is the number of a request already registered on this matter (one per decision);
    `reply_received_on` as for `review_window`.
    The outcome is the original's line; its `child` is the new matter (no id yet) with its line.
    """
    m = case.matter
    stage = review_stage(m)
    require_step(Action.REQUEST_REVIEW if stage is ReviewStage.REVIEW else Action.REQUEST_RECHECK, m)
    window = review_window(m, rules, reply_received_on=reply_received_on)
    assert m.replied_on is not None
    require_day(on, "申请日期", rules, after=m.replied_on, after_label="答复日期")
    reason = require_text(reason, "申请理由")
    if on > window:
        raise InvalidTransitionError(
            f"申请{stage.value}的期限已于{cn_date(window)}届满，原处理意见已经生效，不再受理；"
            "如信访人提出新的事实和理由，可作为新的信访事项登记", field="申请日期"
        )
    if earlier is not None:
        raise InvalidTransitionError(
            f"该事项已申请{stage.value}，登记为{earlier}；请在该{stage.value}事项中继续办理", field="复查复核"
        )
    due = rules.clock.review_answer_due(on) if stage is ReviewStage.REVIEW else rules.clock.recheck_answer_due(on)
    # a 复核 is titled by the matter, not by the 复查 it follows: never "复核申请：复查申请：…"
    title = m.title.removeprefix(f"{ReviewStage.REVIEW.value}申请：")
    child = replace(
        m, id=None, year=on.year, seq=seq, number=number, received_on=on, title=f"{stage.value}申请：{title}"[:200],
        content=reason, skip_level=None, repeat=False, repeat_of_id=None, in_scope=True, receiving_leader="",
        proposal="", notice_due=rules.clock.notice_due(on), decision=Decision.ACCEPT, decided_on=on,
        decision_reason="", competent_body="", due_on=due, extended=False, extension_reason="",
        status=Status.IN_PROGRESS, key_supervision=False, replied_on=None, reply_text="", reply_opinion=None,
        reply_findings="", followed_up_on=None, satisfaction=None, follow_up_note="", follow_up_opinion="", closed_on=None, result="", settled=False, settled_on=None, stage=stage, parent_id=m.id,
        final=False, void_reason="", note="", import_key=None,
        source_number=None,
    )
    kind = EventKind.REVIEW_REQUESTED if stage is ReviewStage.REVIEW else EventKind.RECHECK_REQUESTED
    document = DocumentKind.REVIEW_ACCEPT_NOTICE if stage is ReviewStage.REVIEW else DocumentKind.RECHECK_ACCEPT_NOTICE
    opened = Outcome(case=Case(child), lines=(
        Line(kind, f"{cn_date(on)}受理对{m.number}的{stage.value}申请，限{cn_date(due)}前答复：{reason}"),),
        document=document.value)
    return outcome(case, Line(kind, f"{cn_date(on)}信访人申请{stage.value}，登记为{number}"), child=opened)


def void(case: Case, *, reason: str) -> Outcome:
    """作废 with a reason; the matter and its timeline stay, and its open transfers are closed with it."""
    m = case.matter
    require_step(Action.VOID, m)
    reason = require_text(reason, "作废原因")
    transfers = tuple(replace(t, state=TransferState.CANCELLED) if t.state is not TransferState.ANSWERED else t
                      for t in case.transfers)
    after = case.with_transfers(transfers).with_matter(status=Status.VOIDED, void_reason=reason)
    # the state it leaves, for a 撤销作废 to go back to (the text says it too: older lines have no data)
    return outcome(after, Line(EventKind.VOIDED, f"作废（原状态：{m.status.value}）：{reason}", {"status": m.status.value}))


def restore(case: Case, *, reason: str, before: Status, other_request: str | None = None) -> Outcome:
    """撤销作废: a matter voided by mistake goes back to `before`, the state its 作废 left, with a reason.

    Nothing of it was deleted, so it is as it was: the transfers the 作废 closed wait again for the
    unit's report (or, returned before it, for the unit's 补办), with their deadlines as they were.
    `other_request`: for a 复查 (复核) request, the number of another one registered on the same reply
    since this was voided: one per decision, so this one stays voided."""
    m = case.matter
    require_step(Action.RESTORE, m)
    reason = require_text(reason, "撤销原因")
    if before is Status.VOIDED:
        raise InvalidTransitionError("找不到该事项作废前的状态，无法撤销作废", field="状态")
    if other_request:
        raise InvalidTransitionError(
            f"原事项已另行登记{m.stage.value}申请{other_request}，同一答复只能有一件{m.stage.value}，不能撤销作废", field="状态")
    transfers = tuple(
        replace(t, state=TransferState.RETURNED if t.feedback else TransferState.WAITING)
        if t.state is TransferState.CANCELLED else t for t in case.transfers)
    after = case.with_transfers(transfers).with_matter(status=before, void_reason="")
    return outcome(after, Line(EventKind.RESTORED, f"撤销作废，恢复为“{before.value}”：{reason}", {"status": before.value}))
