"""Issuing a document: the state it needs, the transfer it goes to, its 文号, its PDF and the timeline; batches of 催办单.

An issued document is stored with its PDF bytes: a reprint prints those bytes, so a later
template edit or a changed setting never alters what was issued. A failure before the
document row is added consumes no number (the number is max+1 of the year, in the caller's
transaction).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from xinfang_desktop import wallclock
from xinfang_desktop.db.models import Document, Matter, Transfer
from xinfang_desktop.domain.enums import (
    Decision,
    EventKind,
    Purpose,
    ReviewStage,
    TransferKind,
    TransferRole,
    TransferState,
)
from xinfang_desktop.domain.errors import (
    InvalidTransitionError,
    NotFoundError,
    ValidationError,
    XinfangError,
)
from xinfang_desktop.domain.letters import (
    ADDRESSEE,
    Addressee,
    DocumentKind,
    LetterContent,
    compose,
    parse_template,
    placeholders_in,
    protects_informant,
)
from xinfang_desktop.domain.status import Action, require
from xinfang_desktop.domain.values import DocumentInfo
from xinfang_desktop.exporters.letter_pdf import render_batch, render_letter
from xinfang_desktop.services.cases import check_versions, load_transfer
from xinfang_desktop.services.common import add_event, load_matter, require_not_before
from xinfang_desktop.services.documents.context import letter_context
from xinfang_desktop.services.documents.issued import document_info
from xinfang_desktop.services.documents.templates import PREVIEW_NUMBER, document_kind, get_template, with_format
from xinfang_desktop.services.handling import remind
from xinfang_desktop.services.office import WHERE_TO_SET, require_office_name
from xinfang_desktop.services.settings import get_setting
from xinfang_desktop.services.supervision import overdue
from xinfang_desktop.wallclock import today


@dataclass(frozen=True)
class ReminderBatch:
    """The 催办单 issued for the overdue transfers, and all of them in one PDF to print."""

    documents: tuple[DocumentInfo, ...]
    pdf: bytes

def _assign_transfer(matter: Matter, transfer_id: int | None, *, open_only: bool,
                     role: TransferRole = TransferRole.LEAD) -> Transfer:
    """The 交办 transfer a letter goes to: the one chosen, else the first of `role`, else the first."""
    candidates = [t for t in matter.transfers if t.kind is TransferKind.ASSIGN]
    if open_only:
        candidates = [t for t in candidates if t.state is not TransferState.ANSWERED]
    if transfer_id is not None:
        for t in candidates:
            if t.id == transfer_id:
                return t
        raise NotFoundError("该事项没有这条交办记录（或该单位已反馈），请重新选择承办单位", field="承办单位")
    if not candidates:
        if open_only:
            raise InvalidTransitionError(f"事项{matter.number}没有待反馈的交办单位，不能出具催办单", field="文书种类")
        raise InvalidTransitionError(f"事项{matter.number}尚未交办，不能出具交办函；请先交办承办单位", field="文书种类")
    of_role = [t for t in candidates if t.role is role]
    if not of_role and role is TransferRole.ASSIST:
        raise InvalidTransitionError(f"事项{matter.number}没有协办单位，不能出具{DocumentKind.ASSIST_LETTER.value}",
                                     field="文书种类")
    return (of_role or candidates)[0]


def _check_state(matter: Matter, kind: DocumentKind) -> None:
    """Refuse a document the matter's state does not support, saying what must happen first."""
    require(Action.DOCUMENT, matter.status)
    no = f"事项{matter.number}"
    if ADDRESSEE[kind] is Addressee.PETITIONER and (matter.anonymous or not matter.links):
        raise InvalidTransitionError(f"{no}为匿名或信访人不明，无需也无法书面告知信访人", field="文书种类")
    if kind is DocumentKind.ACCEPT_NOTICE and matter.decision is not Decision.ACCEPT:
        raise InvalidTransitionError(f"{no}未决定受理，不能出具受理告知书", field="文书种类")
    if kind is DocumentKind.ASSIGN_NOTICE and matter.decision is not Decision.ASSIGN:
        raise InvalidTransitionError(f"{no}未决定交办，不能出具{kind.value}；受理的事项请出具受理告知书",
                                     field="文书种类")
    if kind is DocumentKind.REJECT_NOTICE and matter.decision is not Decision.REJECT:
        raise InvalidTransitionError(f"{no}未决定不予受理，不能出具不予受理告知书", field="文书种类")
    if kind in (DocumentKind.FORWARD_LETTER, DocumentKind.FORWARD_NOTICE) and matter.decision is not Decision.FORWARD:
        raise InvalidTransitionError(f"{no}未决定转送，不能出具{kind.value}", field="文书种类")
    if kind is DocumentKind.EXTENSION_NOTICE and not matter.extended:
        raise InvalidTransitionError(f"{no}未批准延期，不能出具延期办理告知书", field="文书种类")
    if kind is DocumentKind.ACCUSATION_NOTICE and matter.purpose is not Purpose.ACCUSATION:
        raise InvalidTransitionError(f"{no}不是检举控告类事项，不能出具{kind.value}；请出具信访处理意见书或复信",
                                     field="文书种类")
    if kind in (DocumentKind.OPINION, DocumentKind.REVIEW_OPINION, DocumentKind.RECHECK_OPINION,
                DocumentKind.REPLY_LETTER, DocumentKind.ACCUSATION_NOTICE) and matter.replied_on is None:
        raise InvalidTransitionError(f"{no}尚未登记书面答复，不能出具{kind.value}；请先登记答复", field="文书种类")
    if kind is DocumentKind.FOLLOW_UP_RECORD and matter.followed_up_on is None:
        raise InvalidTransitionError(f"{no}尚未登记回访，不能出具回访记录；请先登记回访", field="文书种类")
    stage_of = {DocumentKind.OPINION: ReviewStage.FIRST, DocumentKind.REVIEW_OPINION: ReviewStage.REVIEW,
                DocumentKind.RECHECK_OPINION: ReviewStage.RECHECK,
                DocumentKind.REVIEW_ACCEPT_NOTICE: ReviewStage.REVIEW,
                DocumentKind.RECHECK_ACCEPT_NOTICE: ReviewStage.RECHECK}
    if kind in stage_of and matter.stage is not stage_of[kind]:
        raise InvalidTransitionError(f"{no}是{matter.stage.value}事项，不能出具{kind.value}", field="文书种类")

def _template(session: Session, kind: DocumentKind) -> str:
    return get_template(session, kind=kind).text

def format_document_number(prefix: str, year: int, seq: int) -> str:
    """GB/T 9704: 〔〕 around the year, the sequence without leading zeros and without 第."""
    return f"{prefix}〔{year}〕{seq}号"


def _next_seq(session: Session, year: int) -> int:
    return (session.scalar(select(func.max(Document.seq)).where(Document.year == year)) or 0) + 1


@dataclass(frozen=True)
class _Prepared:
    matter: Matter
    kind: DocumentKind
    transfer: Transfer | None
    delivered: Document | None


def _prepare(
    session: Session, matter_id: int, kind: DocumentKind, transfer_id: int | None, document_id: int | None
) -> _Prepared:
    require_office_name(session, kind.value)
    matter = load_matter(session, matter_id)
    if kind is DocumentKind.ACCEPT_NOTICE and matter.decision is Decision.ASSIGN:
        # a matter 交办 to a unit: its 受理告知书 names the unit, it promises nothing of this office's own
        kind = DocumentKind.ASSIGN_NOTICE
    _check_state(matter, kind)
    transfer = None
    if kind in (DocumentKind.ASSIGN_LETTER, DocumentKind.ASSIST_LETTER):
        asked = TransferRole.ASSIST if kind is DocumentKind.ASSIST_LETTER else TransferRole.LEAD
        transfer = _assign_transfer(matter, transfer_id, open_only=False, role=asked)
        # the unit's role decides the text: a 协办 unit is asked to work with the 主办
        kind = DocumentKind.ASSIST_LETTER if transfer.role is TransferRole.ASSIST else DocumentKind.ASSIGN_LETTER
    elif kind is DocumentKind.REMINDER:
        require(Action.REMIND, matter.status)
        transfer = _assign_transfer(matter, transfer_id, open_only=True)
    elif kind is DocumentKind.FORWARD_LETTER and transfer_id is not None:
        transfer = next((t for t in matter.transfers if t.id == transfer_id), None)
    delivered = None
    if kind is DocumentKind.DELIVERY_RECEIPT:
        earlier = [d for d in matter.documents if d.kind != DocumentKind.DELIVERY_RECEIPT.value
                   and ADDRESSEE.get(DocumentKind(d.kind)) is Addressee.PETITIONER]
        if document_id is not None:
            earlier = [d for d in matter.documents if d.id == document_id]
        if not earlier:
            raise InvalidTransitionError(
                f"事项{matter.number}还没有出具给信访人的文书，不能出具送达回证；请先出具要送达的文书", field="文书种类"
            )
        delivered = earlier[-1]
    return _Prepared(matter, kind, transfer, delivered)


def draft_document(
    session: Session,
    *,
    matter_id: int,
    kind: str | DocumentKind,
    on: date | None = None,
    transfer_id: int | None = None,
    document_id: int | None = None,
    disclose_informant: bool = False,
    record_reminder: bool = True,
) -> bytes:
    """The PDF as it would be issued, without a number and without storing anything (for the preview).

    record_reminder as for issue_document: a 催办单 that will count a new 催办 shows the next count,
    one that documents a 催办 already recorded shows that one.
    """
    prepared = _prepare(session, matter_id, document_kind(kind), transfer_id, document_id)
    day = on or today()
    context = letter_context(session, prepared.matter, prepared.kind, on=day, number=PREVIEW_NUMBER,
                             transfer=prepared.transfer, delivered=prepared.delivered,
                             disclose_informant=disclose_informant)
    if prepared.kind is DocumentKind.REMINDER and prepared.transfer is not None and record_reminder:
        context["催办次数"] = str(prepared.transfer.reminders + 1)
    return render_letter(_fill(session, prepared.kind, context, PREVIEW_NUMBER))


def _compose_issued(
    session: Session, prepared: _Prepared, on: date, number: str, disclose_informant: bool
) -> LetterContent:
    context = letter_context(session, prepared.matter, prepared.kind, on=on, number=number,
                             transfer=prepared.transfer, delivered=prepared.delivered,
                             disclose_informant=disclose_informant)
    return _fill(session, prepared.kind, context, number)


# the bodies a letter may name or be signed by, besides this office: none may print blank
_BODIES = (("复查机关", "review_body"), ("复核机关", "recheck_body"))


def _fill(session: Session, kind: DocumentKind, context: Mapping[str, str], number: str) -> LetterContent:
    """The kind's template filled in; refused while a body it names (复查机关, 复核机关) is not set."""
    text = _template(session, kind)
    used = set(placeholders_in(text))
    for label, key in _BODIES:
        if label in used and not get_setting(session, key):
            raise ValidationError(f"尚未填写“{label}”，{kind.value}无法写明，未出具；{WHERE_TO_SET}“{label}”后再出具",
                                  field=label)
    return with_format(session, kind, compose(kind.value, parse_template(text), context, number))


def _number_and_compose(
    session: Session, prepared: _Prepared, day: date, *, seq: int, disclose_informant: bool, record_reminder: bool
) -> tuple[str, LetterContent]:
    """Check the date, count the 催办 a 催办单 records, and fill the letter with its number."""
    matter, kind, transfer = prepared.matter, prepared.kind, prepared.transfer
    require_not_before(day, matter.received_on, "成文日期", "登记日期")
    if kind is DocumentKind.REMINDER and record_reminder and transfer is not None:
        remind(session, transfer_id=transfer.id, on=day, note="出具催办单")
    number = format_document_number(str(get_setting(session, "document_prefix")), day.year, seq)
    return number, _compose_issued(session, prepared, day, number, disclose_informant)


def _store(
    session: Session, prepared: _Prepared, day: date, *, seq: int, number: str, pdf: bytes,
    disclose_informant: bool, note: str = ""
) -> DocumentInfo:
    """Keep the rendered PDF under its number and write the timeline."""
    matter, kind, transfer = prepared.matter, prepared.kind, prepared.transfer
    row = Document(
        matter_id=matter.id,
        kind=kind.value,
        year=day.year,
        seq=seq,
        number=number,
        issued_at=datetime.combine(day, wallclock.now().time().replace(microsecond=0)),
        pdf=pdf,
        transfer_id=transfer.id if transfer is not None else None,
    )
    session.add(row)
    session.flush()
    to = f"致{transfer.unit.name}" if transfer is not None else ""
    add_event(session, matter, EventKind.DOCUMENT, f"出具{kind.value}{to}，文号{number}{note}",
              {"document_id": row.id, "kind": kind.value, "number": number})
    if disclose_informant and protects_informant(matter.purpose, kind):
        add_event(session, matter, EventKind.INFORMANT_DISCLOSED,
                  f"经信访干部确认，{kind.value}（{number}）{to}载明了检举控告人的姓名和联系方式",
                  {"document_id": row.id})
    return document_info(row)


def issue_document(
    session: Session,
    *,
    matter_id: int,
    kind: str | DocumentKind,
    on: date | None = None,
    transfer_id: int | None = None,
    document_id: int | None = None,
    disclose_informant: bool = False,
    record_reminder: bool = True,
) -> DocumentInfo:
    """Issue a document: check the state, number it, render it, store its PDF, write the timeline.

    transfer_id: which 交办 unit a 交办函/催办单 goes to (default the 主办 unit).
    document_id: for a 送达回证, the document delivered (default the latest one to the petitioner).
    disclose_informant: the clerk chose on purpose to show a 检举控告 informant to a unit; the
    timeline records it. record_reminder: a 催办单 also counts as a 催办 of the transfer
    (services.handling.remind); pass False if the caller has already recorded that 催办.
    """
    prepared = _prepare(session, matter_id, document_kind(kind), transfer_id, document_id)
    day = on or today()
    seq = _next_seq(session, day.year)
    number, content = _number_and_compose(session, prepared, day, seq=seq, disclose_informant=disclose_informant,
                                          record_reminder=record_reminder)
    # render before adding the row: a failure (a font, a template) leaves no number used
    return _store(session, prepared, day, seq=seq, number=number, pdf=render_letter(content),
                  disclose_informant=disclose_informant)


class BatchCancelled(XinfangError):
    """The clerk stopped a batch; the caller's transaction rolls back, so nothing was issued."""


def reminder_batch(
    session: Session,
    *,
    on: date | None = None,
    transfer_ids: Sequence[int] | None = None,
    progress: Callable[[int, int], bool] | None = None,
    versions: Mapping[int, int] | None = None,
) -> ReminderBatch:
    """A 催办单 to each transfer chosen (default: every overdue 交办 transfer), each issued, numbered and
    counted as a 催办, and all of them in one PDF, numbered in order.

    Each letter is drawn once: the PDF of all is drawn, and each stored PDF is cut out of it.
    progress(done, total) is called after each letter is drawn; returning False stops the batch
    (BatchCancelled, and the caller's transaction rolls back). `versions`: matter id -> the version the
    clerk saw on the board; a matter changed since refuses the whole batch (services.cases.check_versions).
    """
    check_versions(session, versions or {}, what="批量催办")
    day = on or today()
    if transfer_ids is None:
        targets = [(r.matter_id, r.transfer_id) for r in overdue(session, on=day) if r.transfer_id is not None]
    else:
        targets = [(load_transfer(session, tid).matter_id, tid) for tid in dict.fromkeys(transfer_ids)]
    if not targets:
        return ReminderBatch((), b"")
    first = _next_seq(session, day.year)
    prepared = [_prepare(session, matter_id, DocumentKind.REMINDER, transfer_id, None)
                for matter_id, transfer_id in targets]
    composed = [_number_and_compose(session, p, day, seq=first + n, disclose_informant=False, record_reminder=True)
                for n, p in enumerate(prepared)]

    def drawn(done: int) -> None:
        if progress is not None and progress(done, len(composed)) is False:
            raise BatchCancelled("已取消批量催办，本次未出具任何催办单")

    batch = render_batch([content for _, content in composed], drawn=drawn)
    infos = tuple(
        _store(session, p, day, seq=first + n, number=number, pdf=pdf, disclose_informant=False, note="（批量催办）")
        for n, (p, (number, _), pdf) in enumerate(zip(prepared, composed, batch.letters, strict=True))
    )
    return ReminderBatch(infos, batch.pdf)
