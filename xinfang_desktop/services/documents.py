"""Documents: templates, the context from a matter (informant protected), issuing with a 文号, reprint, delivery, batches.

An issued document is stored with its PDF bytes: a reprint prints those bytes, so a later
template edit or a changed setting never alters what was issued. A failure before the
document row is added consumes no number (the number is max+1 of the year, in the caller's
transaction).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from xinfang_desktop.db.models import Document, LetterTemplate, Matter, Transfer
from xinfang_desktop.domain.enums import (
    Decision,
    Delivery,
    EventKind,
    PetitionerRole,
    Purpose,
    ReviewStage,
    TransferKind,
    TransferRole,
    TransferState,
)
from xinfang_desktop.domain.errors import (
    InvalidTransitionError,
    NotFoundError,
    StorageError,
    ValidationError,
    XinfangError,
)
from xinfang_desktop.domain.idcard import mask_id_number
from xinfang_desktop.domain.letters import (
    ADDRESSEE,
    Addressee,
    DocumentKind,
    LetterContent,
    compose,
    parse_template,
    placeholders_in,
)
from xinfang_desktop.domain.privacy import Person, informant_scrubber
from xinfang_desktop.domain.status import Action, require
from xinfang_desktop.domain.values import DocumentInfo
from xinfang_desktop.exporters.letter_pdf import render_batch, render_letter
from xinfang_desktop.paths import resources_dir
from xinfang_desktop.services.cases import load_transfer
from xinfang_desktop.services.common import (
    add_event,
    cn_date,
    get_setting,
    load_matter,
    require_not_before,
    today,
)
from xinfang_desktop.services.handling import remind
from xinfang_desktop.services.office import WHERE_TO_SET, require_office_name
from xinfang_desktop.services.supervision import overdue

PROTECTED_NAME = "检举控告人（姓名依法保密）"
PROTECTED_DETAIL = "（依法保密）"
PREVIEW_NUMBER = "（出具时编号）"


@dataclass(frozen=True)
class TemplateInfo:
    kind: DocumentKind
    text: str
    customised: bool  # the clerk's own text, not the shipped default


@dataclass(frozen=True)
class ReminderBatch:
    """The 催办单 issued for the overdue transfers, and all of them in one PDF to print."""

    documents: tuple[DocumentInfo, ...]
    pdf: bytes


def document_kind(kind: str | DocumentKind) -> DocumentKind:
    try:
        return DocumentKind(kind)
    except ValueError:
        names = "、".join(k.value for k in DocumentKind)
        raise ValidationError(f"没有“{kind}”这种文书，可出具的文书有：{names}", field="文书种类") from None


# templates -----------------------------------------------------------------------------------
def default_template_text(kind: str | DocumentKind) -> str:
    path = resources_dir() / "templates" / f"{document_kind(kind).value}.txt"
    try:
        return path.read_text(encoding="utf-8")
    except OSError as exc:
        raise StorageError(f"找不到默认模板文件“{path}”，请重新安装本程序；未出具任何文书。") from exc


def get_template(session: Session, *, kind: str | DocumentKind) -> TemplateInfo:
    the_kind = document_kind(kind)
    row = session.get(LetterTemplate, the_kind.value)
    if row is not None:
        return TemplateInfo(the_kind, row.text, True)
    return TemplateInfo(the_kind, default_template_text(the_kind), False)


def set_template(session: Session, *, kind: str | DocumentKind, text: str) -> TemplateInfo:
    """Keep the clerk's text for a kind; refused (naming it) if a placeholder or section is unknown."""
    the_kind = document_kind(kind)
    parse_template(text)
    row = session.get(LetterTemplate, the_kind.value)
    if row is None:
        session.add(LetterTemplate(kind=the_kind.value, text=text, updated_at=datetime.now()))
    else:
        row.text, row.updated_at = text, datetime.now()
    return TemplateInfo(the_kind, text, True)


def reset_template(session: Session, *, kind: str | DocumentKind) -> TemplateInfo:
    """Back to the shipped default text."""
    the_kind = document_kind(kind)
    row = session.get(LetterTemplate, the_kind.value)
    if row is not None:
        session.delete(row)
        session.flush()  # so a get_template in the same transaction sees the default again
    return TemplateInfo(the_kind, default_template_text(the_kind), False)


SAMPLE_CONTEXT: dict[str, str] = {
    "信访人": "王䶮",
    "你": "你",
    "身份证号": "330102********1234",
    "联系电话": "138****0000",
    "住址": "城关镇石桥村5组",
    "事项编号": "信〔2026〕0001号",
    "登记日期": "2026年11月2日",
    "信访形式": "来信",
    "反映问题": "反映村道硬化工程质量问题",
    "反映内容": "石桥村村道硬化工程完工不到一年即出现大面积开裂。",
    "诉求": "请求对工程质量进行检测并督促施工单位返修。",
    "信访请求": "请求对工程质量进行检测并督促施工单位返修。",
    "认定事实": "经委托检测，该村道路面厚度不足设计要求，开裂系施工质量问题。",
    "问题发生地": "城关镇石桥村",
    "决定日期": "2026年11月9日",
    "不予受理理由": "该事项已进入诉讼程序",
    "有权处理机关": "青石县人民法院",
    "承办单位": "城关镇村镇建设办公室",
    "主办单位": "城关镇村镇建设办公室",
    "协办单位": "城关镇石桥村村民委员会",
    "交办日期": "2026年11月9日",
    "办理期限": "2027年1月8日",
    "原办理期限": "2026年12月9日",
    "延期理由": "需委托第三方机构进行工程质量检测",
    "催办次数": "1",
    "超期情况": "（已超期3日）",
    "处理意见": "经调查核实，该工程存在质量问题，已责成施工单位于2027年3月底前返修完毕。",
    "意见类别": "予以支持",
    "办理结果": "已责成施工单位返修",
    "复查机关": "青石县人民政府",
    "复核机关": "青山市人民政府",
    "回访日期": "2027年3月20日",
    "满意度": "满意",
    "回访情况": "电话回访，信访人确认路面已返修。",
    "信访人意见": "对处理结果满意。",
    "送达文书": "信访事项受理告知书（信告〔2026〕1号）",
    "受送达人": "王䶮",
}


def preview_template(
    session: Session, *, kind: str | DocumentKind, text: str, context: Mapping[str, str] | None = None
) -> bytes:
    """A PDF of a template being edited, filled with sample data (or the context given); nothing stored."""
    the_kind = document_kind(kind)
    values = dict(SAMPLE_CONTEXT)
    values.update(
        机关名称=str(get_setting(session, "office_name")),
        成文日期=cn_date(today()),
        文号=PREVIEW_NUMBER,
        复查机关=str(get_setting(session, "review_body")),
        复核机关=str(get_setting(session, "recheck_body")),
    )
    if context:
        values.update(context)
    content = _with_format(session, the_kind, compose(the_kind.value, parse_template(text), values, PREVIEW_NUMBER))
    return render_letter(content)


# context and state -----------------------------------------------------------------------------
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
    if kind is DocumentKind.ACCEPT_NOTICE and matter.decision not in (Decision.ACCEPT, Decision.ASSIGN):
        raise InvalidTransitionError(f"{no}未决定受理，不能出具受理告知书", field="文书种类")
    if kind is DocumentKind.REJECT_NOTICE and matter.decision is not Decision.REJECT:
        raise InvalidTransitionError(f"{no}未决定不予受理，不能出具不予受理告知书", field="文书种类")
    if kind is DocumentKind.FORWARD_LETTER and matter.decision is not Decision.FORWARD:
        raise InvalidTransitionError(f"{no}未决定转送，不能出具转送函", field="文书种类")
    if kind is DocumentKind.EXTENSION_NOTICE and not matter.extended:
        raise InvalidTransitionError(f"{no}未批准延期，不能出具延期办理告知书", field="文书种类")
    if kind in (DocumentKind.OPINION, DocumentKind.REVIEW_OPINION, DocumentKind.RECHECK_OPINION,
                DocumentKind.REPLY_LETTER) and matter.replied_on is None:
        raise InvalidTransitionError(f"{no}尚未登记书面答复，不能出具{kind.value}；请先登记答复", field="文书种类")
    if kind is DocumentKind.FOLLOW_UP_RECORD and matter.followed_up_on is None:
        raise InvalidTransitionError(f"{no}尚未登记回访，不能出具回访记录；请先登记回访", field="文书种类")
    stage_of = {DocumentKind.OPINION: ReviewStage.FIRST, DocumentKind.REVIEW_OPINION: ReviewStage.REVIEW,
                DocumentKind.RECHECK_OPINION: ReviewStage.RECHECK,
                DocumentKind.REVIEW_ACCEPT_NOTICE: ReviewStage.REVIEW,
                DocumentKind.RECHECK_ACCEPT_NOTICE: ReviewStage.RECHECK}
    if kind in stage_of and matter.stage is not stage_of[kind]:
        raise InvalidTransitionError(f"{no}是{matter.stage.value}事项，不能出具{kind.value}", field="文书种类")


_EXTENDED_FROM = re.compile(r"由(\d{4}年\d{1,2}月\d{1,2}日)延至")


def _names(matter: Matter) -> str:
    """Who a letter names: every petitioner, or for a 集体访 its 代表人 and the head count ("张三等8人")."""
    if not matter.links:
        return "匿名" if matter.anonymous else ""
    people = [link.petitioner.name for link in matter.links]
    if matter.collective:
        representatives = [link.petitioner.name for link in matter.links
                           if link.role is PetitionerRole.REPRESENTATIVE] or people[:1]
        count = max(matter.persons, len(people))
        if count > len(representatives):
            return f"{'、'.join(representatives)}等{count}人"
    return "、".join(people)


def _you(matter: Matter) -> str:
    """你 to one petitioner, 你们 to several (a 集体访, a 联名信, or more than one named)."""
    return "你们" if len(matter.links) > 1 or matter.persons > 1 or matter.collective or matter.joint else "你"


def _people(matter: Matter) -> tuple[str, str, str, str]:
    names = _names(matter)
    first = matter.links[0].petitioner if matter.links else None
    if first is None:
        return names, "", "", ""
    return names, mask_id_number(first.id_number) if first.id_number else "", first.phone, first.address


def _findings(matter: Matter) -> str:
    """What the office found: as written at 答复, else the accepted reports of the units (主办 first)."""
    if matter.reply_findings.strip():
        return matter.reply_findings.strip()
    transfers = sorted((t for t in matter.transfers if t.kind is TransferKind.ASSIGN),
                       key=lambda t: t.role is not TransferRole.LEAD)
    found = [f.text for t in transfers for f in t.feedback if f.accepted and f.text.strip()]
    return "\n".join(found) or matter.result


def letter_context(
    session: Session,
    matter: Matter,
    kind: DocumentKind,
    *,
    on: date,
    number: str,
    transfer: Transfer | None = None,
    delivered: Document | None = None,
    disclose_informant: bool = False,
) -> dict[str, str]:
    """Every placeholder's value for this matter and kind.

    Art. 30: a document addressed to a unit (and so possibly to the accused) never carries
    a 检举控告 informant's name, ID number, phone or address unless disclose_informant.
    """
    names, id_number, phone, address = _people(matter)
    scrub: Callable[[str], str] = _no_scrub
    if protects_informant(matter, kind) and not disclose_informant:
        names, id_number, phone, address = PROTECTED_NAME, PROTECTED_DETAIL, PROTECTED_DETAIL, PROTECTED_DETAIL
        scrub = _scrubber(matter)
    due = (transfer.due_on if transfer is not None else None) or matter.due_on
    old_due = ""
    for event in reversed(matter.events):
        if event.kind == EventKind.EXTENDED:
            found = _EXTENDED_FROM.search(event.text)
            old_due = found.group(1) if found else ""
            break
    unit = transfer.unit.name if transfer is not None else ""
    assigned = [t for t in matter.transfers if t.kind is TransferKind.ASSIGN]
    leads = "、".join(t.unit.name for t in assigned if t.role is TransferRole.LEAD)
    assists = "、".join(t.unit.name for t in assigned if t.role is TransferRole.ASSIST)
    if kind is DocumentKind.FORWARD_LETTER and not unit:
        forwards = [t for t in matter.transfers if t.kind is TransferKind.FORWARD]
        unit = "、".join(t.unit.name for t in forwards) or matter.competent_body
    late = (on - due).days if due is not None else 0
    results = [f.result for t in matter.transfers for f in t.feedback if f.accepted and f.result]
    return {
        "机关名称": str(get_setting(session, "office_name")),
        "成文日期": cn_date(on),
        "文号": number,
        "事项编号": matter.number,
        "信访人": names,
        "你": _you(matter),
        "身份证号": id_number,
        "联系电话": phone,
        "住址": address,
        "登记日期": cn_date(matter.received_on),
        "信访形式": matter.channel.value,
        "反映问题": scrub(matter.title),
        "反映内容": scrub(matter.content or matter.title),
        "诉求": scrub(matter.demand),
        # the 意见书's first section: never the 反映内容 its second section prints
        "信访请求": scrub(matter.demand or matter.title),
        "认定事实": _findings(matter),
        "问题发生地": matter.place,
        "决定日期": cn_date(matter.decided_on) if matter.decided_on else "",
        "不予受理理由": matter.decision_reason,
        "有权处理机关": matter.competent_body,
        "承办单位": unit,
        "主办单位": leads,
        "协办单位": assists,
        "交办日期": cn_date(transfer.sent_on) if transfer is not None else "",
        "办理期限": cn_date(due) if due is not None else "",
        "原办理期限": old_due,
        "延期理由": matter.extension_reason,
        "催办次数": str(transfer.reminders) if transfer is not None else "",
        "超期情况": f"（已超期{late}日）" if late > 0 else "",
        "处理意见": matter.reply_text or matter.result,
        "意见类别": matter.reply_opinion.value if matter.reply_opinion else "",
        "办理结果": matter.result or "；".join(results),
        "复查机关": str(get_setting(session, "review_body")),
        "复核机关": str(get_setting(session, "recheck_body")),
        "回访日期": cn_date(matter.followed_up_on) if matter.followed_up_on else "",
        "满意度": matter.satisfaction.value if matter.satisfaction else "",
        "回访情况": matter.follow_up_note,
        "信访人意见": matter.follow_up_opinion,
        "送达文书": f"{delivered.kind}（{delivered.number}）" if delivered is not None else "",
        "受送达人": names,
    }


def _no_scrub(text: str) -> str:
    return text


def _scrubber(matter: Matter) -> Callable[[str], str]:
    """Blank the informant's name, ID number, phone and address where the free text repeats them.

    A letter to a unit quotes the title and content; an informant often signs the content
    ("举报人：张三，电话…"), in any spelling: domain.privacy matches them all, for every 信访人
    and 代表人. The 村 of the 问题发生地, which the letter states anyway, is kept.
    """
    people = [Person(p.name, p.id_number, p.phone, p.address, p.region) for p in (k.petitioner for k in matter.links)]
    return informant_scrubber(people, public=(matter.place,))


def protects_informant(matter: Matter, kind: DocumentKind) -> bool:
    """True when this document must hide the informant (Art. 30)."""
    return matter.purpose is Purpose.ACCUSATION and ADDRESSEE[kind] is Addressee.UNIT


# a plain reply to the petitioner goes out as a letter (信函格式), the rest in the 公文 layout
LETTER_FORMAT = frozenset({DocumentKind.REPLY_LETTER})


def _with_format(session: Session, kind: DocumentKind, content: LetterContent) -> LetterContent:
    if kind in LETTER_FORMAT:
        return replace(content, letterhead=str(get_setting(session, "office_name")))
    return content


def _template(session: Session, kind: DocumentKind) -> str:
    return get_template(session, kind=kind).text


def _document_info(row: Document) -> DocumentInfo:
    return DocumentInfo(row.id, row.kind, row.number, row.issued_at, row.delivery, row.delivered_on)


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
    return _with_format(session, kind, compose(kind.value, parse_template(text), context, number))


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
        issued_at=datetime.combine(day, datetime.now().time().replace(microsecond=0)),
        pdf=pdf,
        transfer_id=transfer.id if transfer is not None else None,
    )
    session.add(row)
    session.flush()
    to = f"致{transfer.unit.name}" if transfer is not None else ""
    add_event(session, matter, EventKind.DOCUMENT, f"出具{kind.value}{to}，文号{number}{note}",
              {"document_id": row.id, "kind": kind.value, "number": number})
    if disclose_informant and protects_informant(matter, kind):
        add_event(session, matter, EventKind.INFORMANT_DISCLOSED,
                  f"经信访干部确认，{kind.value}（{number}）{to}载明了检举控告人的姓名和联系方式",
                  {"document_id": row.id})
    return _document_info(row)


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
) -> ReminderBatch:
    """A 催办单 to each transfer chosen (default: every overdue 交办 transfer), each issued, numbered and
    counted as a 催办, and all of them in one PDF, numbered in order.

    Each letter is drawn once: the PDF of all is drawn, and each stored PDF is cut out of it.
    progress(done, total) is called after each letter is drawn; returning False stops the batch
    (BatchCancelled, and the caller's transaction rolls back).
    """
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


# issued documents --------------------------------------------------------------------------------
def _load_document(session: Session, document_id: int) -> Document:
    row = session.get(Document, document_id)
    if row is None:
        raise NotFoundError("找不到该文书，可能数据库不同，请刷新后重试", field="文书")
    return row


def document_pdf(session: Session, document_id: int) -> bytes:
    """The PDF exactly as issued: a reprint years later prints these bytes."""
    return bytes(_load_document(session, document_id).pdf)


def get_document(session: Session, document_id: int) -> DocumentInfo:
    return _document_info(_load_document(session, document_id))


def record_delivery(session: Session, *, document_id: int, delivery: Delivery, on: date) -> DocumentInfo:
    """送达: how (直接送达 / 邮寄 / 挂号) and when; written on the timeline."""
    row = _load_document(session, document_id)
    matter = load_matter(session, row.matter_id)
    require_not_before(on, row.issued_at.date(), "送达日期", "成文日期")
    if on > today():
        raise ValidationError(f"“送达日期”{cn_date(on)}晚于今天，请核对日期", field="送达日期")
    row.delivery = Delivery(delivery)
    row.delivered_on = on
    add_event(session, matter, EventKind.DELIVERED, f"{row.kind}（{row.number}）于{cn_date(on)}{row.delivery.value}",
              {"document_id": row.id, "delivery": row.delivery.value})
    return _document_info(row)
