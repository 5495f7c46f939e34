"""督办 to 办结: reminders, 重点督办, feedback and 退回补办, extension, reply, 回访, 办结, 息访, 复查/复核."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from xinfang_desktop.db.models import Feedback, Matter, MatterPetitioner, Transfer
from xinfang_desktop.domain.enums import (
    Decision,
    EventKind,
    ReplyOpinion,
    ReviewStage,
    Satisfaction,
    Status,
    TransferKind,
    TransferState,
)
from xinfang_desktop.domain.errors import (
    InvalidTransitionError,
    NotFoundError,
    ValidationError,
)
from xinfang_desktop.domain.status import Action, require
from xinfang_desktop.domain.values import MatterRef
from xinfang_desktop.services.common import (
    add_event,
    clock,
    cn_date,
    get_setting,
    load_matter,
    require_not_before,
    require_not_future,
    require_text,
)
from xinfang_desktop.services.convert import matter_ref
from xinfang_desktop.services.registry import format_number, next_seq


def load_transfer(session: Session, transfer_id: int) -> Transfer:
    row = session.get(Transfer, transfer_id)
    if row is None:
        raise NotFoundError("找不到该交办记录")
    return row


def _unanswered(matter: Matter) -> list[Transfer]:
    """交办 transfers still owing an accepted report (转送 owes none)."""
    return [t for t in matter.transfers if t.kind is TransferKind.ASSIGN and t.state is not TransferState.ANSWERED]


def remind(session: Session, *, transfer_id: int, on: date, note: str = "") -> MatterRef:
    """催办 one transfer: counted, and written on the timeline."""
    row = load_transfer(session, transfer_id)
    require(Action.REMIND, row.matter.status)
    if row.state is TransferState.ANSWERED:
        raise InvalidTransitionError(f"{row.unit.name}已反馈，无需催办", field="催办")
    require_not_before(on, row.sent_on, "催办日期", "交办日期")
    row.reminders += 1
    text = f"{cn_date(on)}向{row.unit.name}催办（第{row.reminders}次）"
    if row.due_on:
        text += f"，期限{cn_date(row.due_on)}"
    if note.strip():
        text += f"：{note.strip()}"
    add_event(session, row.matter, EventKind.REMINDED, text, {"transfer_id": row.id})
    return matter_ref(row.matter)


def set_key_supervision(session: Session, *, matter_id: int, on: bool = True, reason: str = "") -> MatterRef:
    """重点督办 on or off."""
    matter = load_matter(session, matter_id, Action.KEY_SUPERVISE)
    if matter.key_supervision == on:
        return matter_ref(matter)
    matter.key_supervision = on
    text = "列为重点督办" if on else "取消重点督办"
    add_event(session, matter, EventKind.KEY_SUPERVISION, text + (f"：{reason.strip()}" if reason.strip() else ""))
    return matter_ref(matter)


def record_feedback(
    session: Session,
    *,
    transfer_id: int,
    received_on: date,
    text: str,
    result: str = "",
    accept: bool = True,
    return_reason: str = "",
    new_due_on: date | None = None,
) -> MatterRef:
    """登记反馈; accepted, or 退回补办 with a reason (and optionally a new deadline)."""
    row = load_transfer(session, transfer_id)
    matter = row.matter
    require(Action.FEEDBACK if accept else Action.RETURN, matter.status)
    if row.state is TransferState.ANSWERED:
        raise InvalidTransitionError(f"{row.unit.name}的反馈已经采纳，不能重复登记", field="反馈")
    require_not_before(received_on, row.sent_on, "反馈日期", "交办日期")
    require_not_future(received_on, "反馈日期")
    text = require_text(text, "反馈内容")
    if not accept:
        return_reason = require_text(return_reason, "退回理由")
        if new_due_on is not None and new_due_on <= received_on:
            raise ValidationError("补办期限应晚于退回日期", field="补办期限")
    session.add(
        Feedback(
            transfer_id=row.id,
            received_on=received_on,
            text=text,
            result=result.strip(),
            accepted=accept,
            return_reason=return_reason.strip(),
        )
    )
    add_event(session, matter, EventKind.FEEDBACK, f"{cn_date(received_on)}收到{row.unit.name}反馈：{text}",
              {"transfer_id": row.id})
    if accept:
        row.state = TransferState.ANSWERED
        if result.strip():
            matter.result = result.strip()
    else:
        row.state = TransferState.RETURNED
        extra = ""
        if new_due_on is not None:
            row.due_on = new_due_on
            extra = f"，限{cn_date(new_due_on)}前重新报结"
        add_event(session, matter, EventKind.RETURNED, f"退回{row.unit.name}补办：{return_reason}{extra}",
                  {"transfer_id": row.id})
    session.flush()
    return matter_ref(matter)


def extend(session: Session, *, matter_id: int, new_due_on: date, reason: str, on: date) -> MatterRef:
    """延期: once, at most 30 days past the old deadline, with a reason told to the petitioner."""
    matter = load_matter(session, matter_id, Action.EXTEND)
    if matter.extended:
        raise InvalidTransitionError("该事项已经延期一次，依照条例第三十四条不能再次延期", field="延期")
    if matter.due_on is None:
        raise InvalidTransitionError("该事项没有办理期限，无需延期", field="延期")
    reason = require_text(reason, "延期理由")
    the_clock = clock(session)
    limit = the_clock.extension_limit(matter.due_on)
    if new_due_on <= matter.due_on:
        raise ValidationError(f"新的办理期限应晚于原期限{cn_date(matter.due_on)}", field="延期至")
    if new_due_on > limit:
        raise ValidationError(
            f"延期不得超过{the_clock.periods.extension_max_days}日，最晚延至{cn_date(limit)}", field="延期至"
        )
    old = matter.due_on
    matter.due_on = new_due_on
    matter.extended = True
    matter.extension_reason = reason
    for row in _unanswered(matter):
        if row.due_on is not None and row.due_on < new_due_on:
            row.due_on = new_due_on
    add_event(session, matter, EventKind.EXTENDED,
              f"{cn_date(on)}批准延期：由{cn_date(old)}延至{cn_date(new_due_on)}，理由：{reason}")
    return matter_ref(matter)


def reply(session: Session, *, matter_id: int, on: date, text: str, opinion: ReplyOpinion | None = None,
          findings: str = "") -> MatterRef:
    """答复 the petitioner in writing; a 交办 matter needs every unit's accepted report first.

    opinion: the Art. 32 处理意见 (予以支持 / 作出解释说明 / 不予支持) the 信访处理意见书 states;
    findings: what the office found (a 复查/复核意见书's 认定的事实和理由).
    """
    matter = load_matter(session, matter_id, Action.REPLY)
    waiting = _unanswered(matter)
    if waiting:
        names = "、".join(t.unit.name for t in waiting)
        raise InvalidTransitionError(f"尚未收到{names}的办理反馈，不能答复；请先登记反馈", field="答复")
    require_not_before(on, matter.received_on, "答复日期", "登记日期")
    require_not_future(on, "答复日期")
    matter.reply_text = require_text(text, "答复内容")
    matter.reply_opinion = ReplyOpinion(opinion) if opinion is not None else None
    matter.reply_findings = findings.strip()
    matter.replied_on = on
    matter.status = Status.REPLIED
    verdict = f"（处理意见：{matter.reply_opinion.value}）" if matter.reply_opinion else ""
    add_event(session, matter, EventKind.REPLIED, f"{cn_date(on)}书面答复{verdict}：{matter.reply_text}")
    return matter_ref(matter)


def follow_up(session: Session, *, matter_id: int, on: date, satisfaction: Satisfaction, note: str = "",
              petitioner_view: str = "") -> MatterRef:
    """回访 with 满意度; note (回访情况) and petitioner_view (信访人意见) are kept for the 回访记录."""
    matter = load_matter(session, matter_id, Action.FOLLOW_UP)
    earliest = matter.replied_on or matter.closed_on or matter.received_on
    require_not_before(on, earliest, "回访日期", "答复日期")
    require_not_future(on, "回访日期")
    matter.followed_up_on = on
    matter.satisfaction = satisfaction
    matter.follow_up_note = note.strip()
    matter.follow_up_opinion = petitioner_view.strip()
    view = f"；信访人意见：{matter.follow_up_opinion}" if matter.follow_up_opinion else ""
    add_event(session, matter, EventKind.FOLLOWED_UP,
              f"{cn_date(on)}回访：{satisfaction.value}" + (f"，{note.strip()}" if note.strip() else "") + view)
    return matter_ref(matter)


def close(session: Session, *, matter_id: int, on: date, result: str = "") -> MatterRef:
    """办结. A 交办 matter cannot close before every unit's report is accepted."""
    matter = load_matter(session, matter_id, Action.CLOSE)
    waiting = _unanswered(matter)
    if waiting:
        names = "、".join(t.unit.name for t in waiting)
        raise InvalidTransitionError(f"交办事项尚未收到{names}的反馈，不能办结；请先登记反馈", field="办结")
    require_not_before(on, matter.received_on, "办结日期", "登记日期")
    require_not_future(on, "办结日期")
    if result.strip():
        matter.result = result.strip()
    matter.closed_on = on
    matter.status = Status.CLOSED
    add_event(session, matter, EventKind.CLOSED, f"{cn_date(on)}办结" + (f"：{matter.result}" if matter.result else ""))
    if matter.stage is ReviewStage.RECHECK:
        _make_final(session, matter)
    return matter_ref(matter)


def _chain(session: Session, matter: Matter) -> list[Matter]:
    chain = [matter]
    while chain[-1].parent_id is not None:
        parent = session.get(Matter, chain[-1].parent_id)
        if parent is None:
            break
        chain.append(parent)
    return chain


def _make_final(session: Session, matter: Matter) -> None:
    """After 复核 the same facts and reasons are no longer accepted (Art. 36)."""
    for member in _chain(session, matter):
        if not member.final:
            member.final = True
            add_event(session, member, EventKind.FINAL, f"经{matter.number}复核，本事项终结：同一事实和理由不再受理")


def settle(session: Session, *, matter_id: int, on: date) -> MatterRef:
    """息访: recorded apart from 办结."""
    matter = load_matter(session, matter_id, Action.SETTLE)
    if matter.settled:
        raise InvalidTransitionError("该事项已登记息访", field="息访")
    require_not_before(on, matter.received_on, "息访日期", "登记日期")
    matter.settled = True
    matter.settled_on = on
    add_event(session, matter, EventKind.SETTLED, f"{cn_date(on)}息访")
    return matter_ref(matter)


def request_review(session: Session, *, matter_id: int, on: date, reason: str) -> MatterRef:
    """复查 (after a first reply) or 复核 (after a 复查 reply): a new linked matter with its own clock."""
    original = load_matter(session, matter_id)
    if original.final or original.stage is ReviewStage.RECHECK:
        raise InvalidTransitionError("该事项已经复核终结，同一事实和理由不再受理（条例第三十六条）", field="复查复核")
    stage = ReviewStage.REVIEW if original.stage is ReviewStage.FIRST else ReviewStage.RECHECK
    require(Action.REQUEST_REVIEW if stage is ReviewStage.REVIEW else Action.REQUEST_RECHECK, original.status)
    if original.replied_on is None:
        raise InvalidTransitionError("该事项尚未书面答复，不能申请复查", field="复查复核")
    require_not_before(on, original.replied_on, "申请日期", "答复日期")
    require_not_future(on, "申请日期")
    reason = require_text(reason, "申请理由")
    the_clock = clock(session)
    if stage is ReviewStage.REVIEW:
        window, due = the_clock.review_request_deadline(original.replied_on), the_clock.review_answer_due(on)
    else:
        window, due = the_clock.recheck_request_deadline(original.replied_on), the_clock.recheck_answer_due(on)
    if on > window:
        raise InvalidTransitionError(
            f"申请{stage.value}的期限已于{cn_date(window)}届满，原处理意见已经生效，不再受理", field="申请日期"
        )
    # one 复查 (or 复核) per decision: a second request goes to the one already registered
    earlier = session.scalar(
        select(Matter.number).where(Matter.parent_id == original.id, Matter.stage == stage,
                                    Matter.status != Status.VOIDED)
    )
    if earlier is not None:
        raise InvalidTransitionError(
            f"该事项已申请{stage.value}，登记为{earlier}；请在该{stage.value}事项中继续办理", field="复查复核"
        )
    seq = next_seq(session, on.year)
    child = Matter(
        year=on.year,
        seq=seq,
        number=format_number(str(get_setting(session, "number_prefix")), on.year, seq),
        received_on=on,
        channel=original.channel,
        source=original.source,
        source_level=original.source_level,
        purpose=original.purpose,
        route=original.route,
        category_id=original.category_id,
        place=original.place,
        title=f"{stage.value}申请：{original.title}"[:200],
        content=reason,
        demand=original.demand,
        persons=original.persons,
        collective=original.collective,
        joint=original.joint,
        anonymous=original.anonymous,
        involves_deputy=original.involves_deputy,
        notice_due=the_clock.notice_due(on),
        decision=Decision.ACCEPT,
        decided_on=on,
        due_on=due,
        status=Status.IN_PROGRESS,
        stage=stage,
        parent_id=original.id,
        created_at=datetime.now(),
    )
    session.add(child)
    session.flush()
    for link in original.links:
        session.add(MatterPetitioner(matter_id=child.id, petitioner_id=link.petitioner_id, role=link.role,
                                     position=link.position))
    kind = EventKind.REVIEW_REQUESTED if stage is ReviewStage.REVIEW else EventKind.RECHECK_REQUESTED
    add_event(session, original, kind, f"{cn_date(on)}信访人申请{stage.value}，登记为{child.number}")
    add_event(session, child, kind,
              f"{cn_date(on)}受理对{original.number}的{stage.value}申请，限{cn_date(due)}前答复：{reason}")
    session.flush()
    return matter_ref(child)
