"""SQLAlchemy 2 models: the mapped classes over db.tables, with their relationships. Imported only after the
window's first paint (services/__init__.py): the ORM and these classes cost it some 130 ms.

No `from __future__ import annotations` here: SQLAlchemy would eval each of the annotations as a string;
only the classes named before they are defined are quoted."""

from datetime import date, datetime
from typing import Any

from sqlalchemy.orm import DeclarativeBase, Mapped, deferred, relationship

from xinfang_desktop.db import tables
from xinfang_desktop.domain.enums import (
    Channel,
    Decision,
    Delivery,
    DisputeState,
    MeetingKind,
    PetitionerRole,
    Purpose,
    ReplyOpinion,
    ReviewStage,
    RiskLevel,
    Route,
    Satisfaction,
    Sex,
    SkipLevel,
    Source,
    SourceLevel,
    Status,
    TransferKind,
    TransferRole,
    TransferState,
    UnitKind,
    VerifyResult,
)


class Base(DeclarativeBase):
    metadata = tables.metadata


class Setting(Base):
    __table__ = tables.settings
    key: Mapped[str]
    value: Mapped[Any]


class CalendarDay(Base):
    """The clerk's correction of the holiday calendar for one day."""

    __table__ = tables.calendar_days
    day: Mapped[date]
    is_workday: Mapped[bool]
    note: Mapped[str]


class Region(Base):
    """乡镇 (parent None) and their 村."""

    __table__ = tables.regions
    id: Mapped[int]
    name: Mapped[str]
    parent_id: Mapped[int | None]
    active: Mapped[bool]


class Category(Base):
    """问题分类, two levels."""

    __table__ = tables.categories
    id: Mapped[int]
    name: Mapped[str]
    parent_id: Mapped[int | None]
    position: Mapped[int]
    active: Mapped[bool]
    parent: Mapped["Category | None"] = relationship(remote_side="Category.id")


class Unit(Base):
    """承办单位; never deleted once used, only deactivated."""

    __table__ = tables.units
    id: Mapped[int]
    name: Mapped[str]
    kind: Mapped[UnitKind]
    contact: Mapped[str]
    phone: Mapped[str]
    active: Mapped[bool]


class Petitioner(Base):
    __table__ = tables.petitioners
    id: Mapped[int]
    name: Mapped[str]
    sex: Mapped[Sex | None]
    id_number: Mapped[str]
    phone: Mapped[str]
    address: Mapped[str]
    region: Mapped[str]


class Matter(Base):
    __table__ = tables.matters
    id: Mapped[int]
    year: Mapped[int]
    seq: Mapped[int]
    number: Mapped[str]
    received_on: Mapped[date]
    channel: Mapped[Channel]
    source: Mapped[Source]
    source_level: Mapped[SourceLevel | None]
    purpose: Mapped[Purpose]
    route: Mapped[Route | None]
    category_id: Mapped[int | None]
    place: Mapped[str]
    title: Mapped[str]
    content: Mapped[str]
    demand: Mapped[str]
    persons: Mapped[int]
    collective: Mapped[bool]
    joint: Mapped[bool]
    anonymous: Mapped[bool]
    skip_level: Mapped[SkipLevel | None]
    repeat: Mapped[bool]
    repeat_of_id: Mapped[int | None]
    involves_deputy: Mapped[bool]
    in_scope: Mapped[bool]
    receiving_leader: Mapped[str]
    proposal: Mapped[str]
    decision: Mapped[Decision | None]
    decided_on: Mapped[date | None]
    decision_reason: Mapped[str]
    competent_body: Mapped[str]
    notice_due: Mapped[date]
    due_on: Mapped[date | None]
    extended: Mapped[bool]
    extension_reason: Mapped[str]
    status: Mapped[Status]
    key_supervision: Mapped[bool]
    replied_on: Mapped[date | None]
    reply_text: Mapped[str]
    reply_opinion: Mapped[ReplyOpinion | None]
    reply_findings: Mapped[str]
    followed_up_on: Mapped[date | None]
    satisfaction: Mapped[Satisfaction | None]
    follow_up_note: Mapped[str]
    follow_up_opinion: Mapped[str]
    closed_on: Mapped[date | None]
    result: Mapped[str]
    settled: Mapped[bool]
    settled_on: Mapped[date | None]
    stage: Mapped[ReviewStage]
    parent_id: Mapped[int | None]
    final: Mapped[bool]
    void_reason: Mapped[str]
    note: Mapped[str]
    import_key: Mapped[str | None]
    # the number another system (or an older ledger) gave the matter: what a later import of it is known by
    source_number: Mapped[str | None]
    created_at: Mapped[datetime]
    # counted up by every step (services.cases.apply); not part of MatterState: the rules never read it,
    # it tells a save made on an older reading of the matter (migration 0012)
    version: Mapped[int]
    # the tally's sums of the matter's transfers and 批示, kept by the triggers of migration 0014
    # (never written by the program, not part of MatterState): the tally reads them from ix_matters_tally
    assigned_transfers: Mapped[int]
    answered_transfers: Mapped[int]
    reminder_times: Mapped[int]
    leader_reviewed: Mapped[bool]

    category: Mapped["Category | None"] = relationship()
    links: Mapped[list["MatterPetitioner"]] = relationship(
        back_populates="matter", order_by="MatterPetitioner.position"
    )
    transfers: Mapped[list["Transfer"]] = relationship(back_populates="matter", order_by="Transfer.id")
    instructions: Mapped[list["Instruction"]] = relationship(order_by="Instruction.id")
    events: Mapped[list["Event"]] = relationship(order_by="Event.id")
    documents: Mapped[list["Document"]] = relationship(order_by="Document.id")
    attachments: Mapped[list["Attachment"]] = relationship(order_by="Attachment.id")
    charge: Mapped["LeaderCharge | None"] = relationship(uselist=False)
    verifications: Mapped[list["Verification"]] = relationship(order_by="Verification.id")



class MatterPetitioner(Base):
    __table__ = tables.matter_petitioners
    matter_id: Mapped[int]
    petitioner_id: Mapped[int]
    role: Mapped[PetitionerRole]
    position: Mapped[int]
    matter: Mapped["Matter"] = relationship(back_populates="links")
    petitioner: Mapped["Petitioner"] = relationship()


class Instruction(Base):
    """领导批示."""

    __table__ = tables.instructions
    id: Mapped[int]
    matter_id: Mapped[int]
    leader: Mapped[str]
    on: Mapped[date]
    text: Mapped[str]


class LeaderCharge(Base):
    """领导包案: at most one a matter (a later leader takes the row over; the timeline keeps the earlier)."""

    __table__ = tables.leader_charges
    id: Mapped[int]
    matter_id: Mapped[int]
    leader: Mapped[str]
    post: Mapped[str]
    measures: Mapped[str]
    resolve_by: Mapped[date]
    assigned_on: Mapped[date]
    # the tally's 包案 figures read the period's charges from the index alone (migration 0018)


class Verification(Base):
    """验证 after 办结: 属实, or 未落实 with the reason (which put the matter back under 督办)."""

    __table__ = tables.verifications
    id: Mapped[int]
    matter_id: Mapped[int]
    checked_on: Mapped[date]
    checker: Mapped[str]
    method: Mapped[str]
    result: Mapped[VerifyResult]
    reason: Mapped[str]
    # the tally's 验证 figures read the period's checks from the index alone (migration 0018)


class LeaderMeeting(Base):
    """领导约访 or 下访: on a matter, or (a 下访 that met people with no matter yet) on its own."""

    __table__ = tables.leader_meetings
    id: Mapped[int]
    kind: Mapped[MeetingKind]
    held_on: Mapped[date]
    leader: Mapped[str]
    post: Mapped[str]
    place: Mapped[str]
    matter_id: Mapped[int | None]
    batches: Mapped[int]  # 批: groups met
    persons: Mapped[int]  # 人次
    people: Mapped[str]  # who was met
    talk: Mapped[str]  # what was said
    agreed: Mapped[str]  # what was agreed
    created_at: Mapped[datetime]


class ReceptionDay(Base):
    """领导接访日: one leader receiving visitors on one day, as the published roster says."""

    __table__ = tables.reception_days
    id: Mapped[int]
    day: Mapped[date]
    leader: Mapped[str]
    post: Mapped[str]
    place: Mapped[str]
    hours: Mapped[str]


class Dispute(Base):
    """矛盾纠纷排查: one dispute a 村 reported, beside the matters; it may become one (linked both ways)."""

    __table__ = tables.disputes
    id: Mapped[int]
    found_on: Mapped[date]  # 排查日期
    village: Mapped[str]  # 乡镇/村
    parties: Mapped[str]  # 当事人
    category_id: Mapped[int | None]  # 纠纷类型
    summary: Mapped[str]  # 简要情况
    risk: Mapped[RiskLevel]
    responsible: Mapped[str]  # 责任人
    resolve_by: Mapped[date]  # 化解期限
    state: Mapped[DisputeState]  # 化解情况
    petitioned: Mapped[bool]  # 是否引发信访
    matter_id: Mapped[int | None]
    created_at: Mapped[datetime]


class ZeroReport(Base):
    """A 村's 零报告: no dispute found this month."""

    __table__ = tables.zero_reports
    id: Mapped[int]
    month: Mapped[str]  # 2026-11
    village: Mapped[str]
    reported_on: Mapped[date]


class Transfer(Base):
    __table__ = tables.transfers
    id: Mapped[int]
    matter_id: Mapped[int]
    unit_id: Mapped[int]
    kind: Mapped[TransferKind]
    role: Mapped[TransferRole]
    sent_on: Mapped[date]
    due_on: Mapped[date | None]
    state: Mapped[TransferState]
    reminders: Mapped[int]
    # the date of its accepted report, kept by the triggers of migration 0025 (never written by the
    # program): the tally's 承办单位 figures read it, with the generated columns made of it, from ix_transfers_tally
    report_on: Mapped[date | None]
    # not mapped: tally_day and tally_satisfaction, its matter's 登记日期 (none while voided) and 回访 result,
    # kept by the triggers of migration 0029 for the 承办单位 pass, which reads them from ix_transfers_day
    matter: Mapped["Matter"] = relationship(back_populates="transfers")
    unit: Mapped["Unit"] = relationship()
    feedback: Mapped[list["Feedback"]] = relationship(order_by="Feedback.id")
    # on a server it also carries matter_id, kind, role, unit_id and id (INCLUDE, migration 0020) for the
    # tally's live 超期 of the open transfers (see ix_matters_status_due on postgresql_include=)


class Feedback(Base):
    """A unit's report on a transfer; accepted, or returned for more work (退回补办)."""

    __table__ = tables.feedback
    id: Mapped[int]
    transfer_id: Mapped[int]
    received_on: Mapped[date]
    text: Mapped[str]
    result: Mapped[str]
    accepted: Mapped[bool]
    return_reason: Mapped[str]


class Event(Base):
    """The timeline (卷宗): append-only; triggers refuse UPDATE and DELETE."""

    __table__ = tables.events
    id: Mapped[int]
    matter_id: Mapped[int]
    at: Mapped[datetime]
    actor: Mapped[str]
    kind: Mapped[str]
    text: Mapped[str]
    data: Mapped[Any]


class Document(Base):
    """An issued document, kept exactly as issued."""

    __table__ = tables.documents
    id: Mapped[int]
    matter_id: Mapped[int]
    kind: Mapped[str]
    year: Mapped[int]
    seq: Mapped[int]
    number: Mapped[str]
    issued_at: Mapped[datetime]
    pdf: Mapped[bytes]
    delivery: Mapped[Delivery | None]
    delivered_on: Mapped[date | None]
    transfer_id: Mapped[int | None]
    # the yearly 文号 sequence: max(seq) of a year by index, and never two documents with one number


class Attachment(Base):
    __table__ = tables.attachments
    id: Mapped[int]
    matter_id: Mapped[int]
    filename: Mapped[str]
    stored_path: Mapped[str]
    sha256: Mapped[str]
    size: Mapped[int]
    added_at: Mapped[datetime]
    # the file itself (migration 0016); None only for a file an older version left outside the database
    content: Mapped[bytes | None] = deferred(tables.attachments.c.content)


class LetterTemplate(Base):
    """The clerk's own text of a document template; without a row the default in resources/templates/ applies."""

    __table__ = tables.templates
    kind: Mapped[str]
    text: Mapped[str]
    updated_at: Mapped[datetime]


class LedgerProfile(Base):
    """A column mapping the clerk confirmed for one set of ledger headers, offered when the same layout comes again."""

    __table__ = tables.ledger_profiles
    layout: Mapped[str]  # the sheet's normalised headers, in order
    mapping: Mapped[dict[str, str]]  # header as shown → canonical header, "" for 备注
    source: Mapped[str]  # the file it was confirmed for
    saved_at: Mapped[datetime]
