"""督办 to 办结: reminders, 重点督办, 领导包案, feedback and 退回补办, extension, reply, 回访, 办结, 验证, 息访, 复查/复核,
and 更正办理结果.

Each loads the matter's case, runs its workflow step and applies the outcome.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from xinfang_desktop.db.models import Document, Matter, MatterPetitioner
from xinfang_desktop.domain import workflow
from xinfang_desktop.domain.enums import ReplyOpinion, Satisfaction, VerifyResult
from xinfang_desktop.domain.errors import ValidationError
from xinfang_desktop.domain.values import MatterRef
from xinfang_desktop.services.cases import apply, case_of, load_case, load_transfer_case, review_registered, rules
from xinfang_desktop.services.convert import matter_ref, written
from xinfang_desktop.services.registry import next_seq
from xinfang_desktop.services.settings import format_number, get_setting


def remind(session: Session, *, transfer_id: int, on: date, note: str = "", version: int | None = None) -> MatterRef:
    """催办 one transfer: counted, and written on the timeline."""
    matter, case, index = load_transfer_case(session, transfer_id, version=version)
    return written(session, matter, workflow.remind(case, index, on=on, rules=rules(session), note=note))


def set_key_supervision(session: Session, *, matter_id: int, on: bool = True, reason: str = "",
                        version: int | None = None) -> MatterRef:
    """重点督办 on or off."""
    matter, case = load_case(session, matter_id, version=version)
    return written(session, matter, workflow.key_supervision(case, on=on, reason=reason))


def take_charge(session: Session, *, matter_id: int, leader: str, post: str, measures: str, resolve_by: date,
                on: date, version: int | None = None) -> MatterRef:
    """领导包案: the leader, post, measures and the date to resolve the matter by."""
    matter, case = load_case(session, matter_id, version=version)
    out = workflow.take_charge(case, leader=leader, post=post, measures=measures, resolve_by=resolve_by, on=on,
                               rules=rules(session))
    return written(session, matter, out)


def verify(session: Session, *, matter_id: int, on: date, checker: str, method: str, result: VerifyResult,
           reason: str = "", version: int | None = None) -> MatterRef:
    """验证 after 办结; 未落实 puts the matter back under 督办."""
    matter, case = load_case(session, matter_id, version=version)
    out = workflow.verify(case, on=on, checker=checker, method=method, result=result, reason=reason,
                          rules=rules(session))
    return written(session, matter, out)


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
    version: int | None = None,
) -> MatterRef:
    """登记反馈; accepted, or 退回补办 with a reason (and optionally a new deadline)."""
    matter, case, index = load_transfer_case(session, transfer_id, version=version)
    out = workflow.feedback(case, index, received_on=received_on, text=text, rules=rules(session), result=result,
                            accept=accept, return_reason=return_reason, new_due_on=new_due_on)
    return written(session, matter, out)


def extend(session: Session, *, matter_id: int, new_due_on: date, reason: str, on: date,
           version: int | None = None) -> MatterRef:
    """延期: once, at most 30 days past the old deadline, with a reason told to the petitioner."""
    matter, case = load_case(session, matter_id, version=version)
    out = workflow.extend(case, new_due_on=new_due_on, reason=reason, on=on, rules=rules(session))
    return written(session, matter, out)


def reply(session: Session, *, matter_id: int, on: date, text: str, opinion: ReplyOpinion | None = None,
          findings: str = "", version: int | None = None) -> MatterRef:
    """答复 the petitioner in writing, with the Art. 32 处理意见 and (for a 复查/复核) what the office found."""
    matter, case = load_case(session, matter_id, version=version)
    out = workflow.reply(case, on=on, text=text, rules=rules(session), opinion=opinion, findings=findings)
    return written(session, matter, out)


def follow_up(session: Session, *, matter_id: int, on: date, satisfaction: Satisfaction, note: str = "",
              petitioner_view: str = "", version: int | None = None) -> MatterRef:
    """回访 with 满意度, 回访情况 and 信访人意见."""
    matter, case = load_case(session, matter_id, version=version)
    out = workflow.follow_up(case, on=on, satisfaction=satisfaction, rules=rules(session), note=note,
                             petitioner_view=petitioner_view)
    return written(session, matter, out)


def amend(session: Session, *, matter_id: int, changes: dict[str, object], reason: str,
          version: int | None = None) -> MatterRef:
    """更正办理结果: the 答复, 办结 or 回访 as recorded, corrected with a reason (workflow.amend)."""
    matter, case = load_case(session, matter_id, version=version)
    out = workflow.amend(case, dict(changes), rules(session), reason=reason, review=review_registered(session, matter))
    if not out.lines:
        raise ValidationError("没有更正任何一项：请改正要更正的内容，或按“取消”")
    return written(session, matter, out)


def close(session: Session, *, matter_id: int, on: date, result: str = "", version: int | None = None) -> MatterRef:
    """办结. Closing a 复核 makes it and every matter it reviewed final (Art. 36)."""
    matter, case = load_case(session, matter_id, version=version)
    apply(session, matter, workflow.close(case, on=on, rules=rules(session), result=result))
    if matter.final:
        parent_id = matter.parent_id
        while parent_id is not None:
            parent = session.get(Matter, parent_id)
            if parent is None:
                break
            apply(session, parent, workflow.finalize(case_of(parent), by_number=matter.number))
            parent_id = parent.parent_id
    return matter_ref(matter)


def settle(session: Session, *, matter_id: int, on: date, version: int | None = None) -> MatterRef:
    """息访: recorded apart from 办结."""
    matter, case = load_case(session, matter_id, version=version)
    return written(session, matter, workflow.settle(case, on=on, rules=rules(session)))


def request_review(session: Session, *, matter_id: int, on: date, reason: str, version: int | None = None) -> MatterRef:
    """复查 (after a first reply) or 复核 (after a 复查 reply): a new linked matter with its own clock."""
    original, case = load_case(session, matter_id, version=version)
    # one 复查 (or 复核) per decision: a second request goes to the one already registered
    earlier = review_registered(session, original)
    seq = next_seq(session, on.year)
    number = format_number(str(get_setting(session, "number_prefix")), on.year, seq)
    out = workflow.request_review(case, on=on, reason=reason, rules=rules(session), number=number, seq=seq,
                                  earlier=earlier, reply_received_on=reply_received_on(session, original.id, case.matter))
    assert out.child is not None
    child = apply(session, None, out.child)
    for link in original.links:
        session.add(MatterPetitioner(matter_id=child.id, petitioner_id=link.petitioner_id, role=link.role,
                                     position=link.position))
    apply(session, original, out)
    session.flush()
    return matter_ref(child, document=out.child.document)


def reply_received_on(session: Session, matter_id: int, state: workflow.MatterState) -> date | None:
    """When the written reply reached the petitioner: the 送达 of its latest 意见书 (or 复信), else the day
    that letter was issued; None when none was issued (the 答复 itself counts then)."""
    return replies_received_on(session, {matter_id: state}).get(matter_id)


def replies_received_on(session: Session, states: Mapping[int, workflow.MatterState]) -> dict[int, date]:
    """`reply_received_on` of several matters in one query; a matter with no such letter is left out."""
    kinds = {matter_id: workflow.reply_document(state.stage, state.purpose).value for matter_id, state in states.items()}
    if not kinds:
        return {}
    rows = session.execute(
        select(Document.matter_id, Document.kind, Document.delivered_on, Document.issued_at)
        .where(Document.matter_id.in_(kinds), Document.kind.in_(set(kinds.values())))
        .order_by(Document.issued_at, Document.id)
    )
    found: dict[int, date] = {}
    for row in rows:  # oldest first: the latest letter of the matter's own kind is the one kept
        if row.kind == kinds[row.matter_id]:
            found[row.matter_id] = row.delivered_on or row.issued_at.date()
    return found


def review_deadline(session: Session, *, matter_id: int) -> date:
    """The last day a 复查 (or 复核) of this matter's written reply may be asked for."""
    _matter, case = load_case(session, matter_id)
    return workflow.review_window(case.matter, rules(session),
                                  reply_received_on=reply_received_on(session, matter_id, case.matter))
