"""ORM rows to frozen values, inside the session that loaded them."""

from __future__ import annotations

from sqlalchemy.orm import Session

from xinfang_desktop.db.models import Matter, Transfer
from xinfang_desktop.domain import workflow
from xinfang_desktop.domain.values import (
    AttachmentInfo,
    DocumentInfo,
    EventInfo,
    FeedbackInfo,
    InstructionInfo,
    MatterDetail,
    MatterRef,
    PetitionerInfo,
    TransferInfo,
)
from xinfang_desktop.services.cases import apply, case_of, review_registered, state_of
from xinfang_desktop.services.common import load_matter
from xinfang_desktop.services.lists import category_label


def matter_ref(matter: Matter, warnings: tuple[str, ...] = (), document: str | None = None,
               notice: str | None = None) -> MatterRef:
    return MatterRef(matter.id, matter.number, matter.status, warnings, document, notice)


def written(session: Session, matter: Matter, out: workflow.Outcome) -> MatterRef:
    """Apply an outcome to a matter; what the window is told: where it stands, and the letter to offer."""
    return matter_ref(apply(session, matter, out), document=out.document, notice=out.notice)


def petitioners_of(matter: Matter) -> tuple[PetitionerInfo, ...]:
    return tuple(
        PetitionerInfo(
            link.petitioner.id,
            link.petitioner.name,
            link.petitioner.sex,
            link.petitioner.id_number,
            link.petitioner.phone,
            link.petitioner.address,
            link.petitioner.region,
            link.role,
        )
        for link in matter.links
    )


def transfer_info(transfer: Transfer) -> TransferInfo:
    return TransferInfo(
        id=transfer.id,
        matter_id=transfer.matter_id,
        unit_id=transfer.unit_id,
        unit=transfer.unit.name,
        kind=transfer.kind,
        role=transfer.role,
        sent_on=transfer.sent_on,
        due_on=transfer.due_on,
        state=transfer.state,
        reminders=transfer.reminders,
        feedback=tuple(
            FeedbackInfo(f.id, f.received_on, f.text, f.result, f.accepted, f.return_reason)
            for f in transfer.feedback
        ),
    )


def matter_detail(session: Session, matter: Matter) -> MatterDetail:
    case = case_of(matter)
    return MatterDetail(
        id=matter.id,
        number=matter.number,
        received_on=matter.received_on,
        channel=matter.channel,
        source=matter.source,
        source_level=matter.source_level,
        purpose=matter.purpose,
        route=matter.route,
        category_id=matter.category_id,
        category=category_label(session, matter.category_id),
        place=matter.place,
        title=matter.title,
        content=matter.content,
        demand=matter.demand,
        persons=matter.persons,
        collective=matter.collective,
        joint=matter.joint,
        anonymous=matter.anonymous,
        skip_level=matter.skip_level,
        repeat=matter.repeat,
        repeat_of_id=matter.repeat_of_id,
        involves_deputy=matter.involves_deputy,
        in_scope=matter.in_scope,
        receiving_leader=matter.receiving_leader,
        proposal=matter.proposal,
        decision=matter.decision,
        decided_on=matter.decided_on,
        decision_reason=matter.decision_reason,
        competent_body=matter.competent_body,
        notice_due=matter.notice_due,
        due_on=matter.due_on,
        extended=matter.extended,
        status=matter.status,
        key_supervision=matter.key_supervision,
        replied_on=matter.replied_on,
        reply_text=matter.reply_text,
        followed_up_on=matter.followed_up_on,
        satisfaction=matter.satisfaction,
        closed_on=matter.closed_on,
        result=matter.result,
        settled=matter.settled,
        settled_on=matter.settled_on,
        stage=matter.stage,
        parent_id=matter.parent_id,
        final=matter.final,
        void_reason=matter.void_reason,
        note=matter.note,
        version=matter.version,
        source_number=matter.source_number or "",
        petitioners=petitioners_of(matter),
        instructions=tuple(InstructionInfo(i.leader, i.on, i.text) for i in matter.instructions),
        charge=case.charge,
        verifications=case.verifications,
        transfers=tuple(transfer_info(t) for t in matter.transfers),
        events=tuple(EventInfo(e.id, e.at, e.actor, e.kind, e.text) for e in matter.events),
        documents=tuple(
            DocumentInfo(d.id, d.kind, d.number, d.issued_at, d.delivery, d.delivered_on) for d in matter.documents
        ),
        attachments=tuple(
            AttachmentInfo(a.id, a.filename, a.sha256, a.size, a.stored_path) for a in matter.attachments
        ),
        steps=workflow.allowed_steps(state_of(matter), review_registered=review_registered(session, matter) is not None),
    )


def get_matter(session: Session, matter_id: int) -> MatterDetail:
    """The whole 卷宗 of one matter."""
    return matter_detail(session, load_matter(session, matter_id))


def matter_version(session: Session, matter_id: int) -> int:
    """The matter's version now: what a form opened on it saves against (services.cases.load_case)."""
    return int(load_matter(session, matter_id).version)
