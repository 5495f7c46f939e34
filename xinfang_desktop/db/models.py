"""SQLAlchemy 2 models: the whole database of one office. Enums are stored as their Chinese values.

No `from __future__ import annotations` here: SQLAlchemy would eval each of the 400 annotations as a
string, a quarter of this module's import (before the first paint); only the classes named before
they are defined are quoted."""

from datetime import date, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    Enum,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

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

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def _enum(cls: type[StrEnum]) -> Enum:
    return Enum(
        cls,
        native_enum=False,
        create_constraint=False,
        length=16,
        values_callable=lambda e: [m.value for m in e],
    )


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class Setting(Base):
    __tablename__ = "settings"
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[Any] = mapped_column(JSON)


class CalendarDay(Base):
    """The clerk's correction of the holiday calendar for one day."""

    __tablename__ = "calendar_days"
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    is_workday: Mapped[bool] = mapped_column(Boolean)
    note: Mapped[str] = mapped_column(String(64), default="")


class Region(Base):
    """乡镇 (parent None) and their 村."""

    __tablename__ = "regions"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(64))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("regions.id"))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    __table_args__ = (UniqueConstraint("parent_id", "name"),)


class Category(Base):
    """问题分类, two levels."""

    __tablename__ = "categories"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(64))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("categories.id"))
    position: Mapped[int] = mapped_column(Integer, default=0)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    parent: Mapped["Category | None"] = relationship(remote_side="Category.id")
    __table_args__ = (UniqueConstraint("parent_id", "name"),)


class Unit(Base):
    """承办单位; never deleted once used, only deactivated."""

    __tablename__ = "units"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(64), unique=True)
    kind: Mapped[UnitKind] = mapped_column(_enum(UnitKind))
    contact: Mapped[str] = mapped_column(String(32), default="")
    phone: Mapped[str] = mapped_column(String(32), default="")
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class Petitioner(Base):
    __tablename__ = "petitioners"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(64), index=True)
    sex: Mapped[Sex | None] = mapped_column(_enum(Sex))
    id_number: Mapped[str] = mapped_column(String(18), default="", index=True)
    phone: Mapped[str] = mapped_column(String(32), default="", index=True)
    address: Mapped[str] = mapped_column(String(200), default="")
    region: Mapped[str] = mapped_column(String(64), default="")


class Matter(Base):
    __tablename__ = "matters"
    id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int] = mapped_column(Integer)
    seq: Mapped[int] = mapped_column(Integer)
    number: Mapped[str] = mapped_column(String(40), unique=True)
    received_on: Mapped[date] = mapped_column(Date)
    channel: Mapped[Channel] = mapped_column(_enum(Channel))
    source: Mapped[Source] = mapped_column(_enum(Source), default=Source.DIRECT)
    source_level: Mapped[SourceLevel | None] = mapped_column(_enum(SourceLevel))
    purpose: Mapped[Purpose] = mapped_column(_enum(Purpose))
    route: Mapped[Route | None] = mapped_column(_enum(Route))
    category_id: Mapped[int | None] = mapped_column(ForeignKey("categories.id"))
    place: Mapped[str] = mapped_column(String(64), default="")
    title: Mapped[str] = mapped_column(String(200))
    content: Mapped[str] = mapped_column(Text, default="")
    demand: Mapped[str] = mapped_column(Text, default="")
    persons: Mapped[int] = mapped_column(Integer, default=1)
    collective: Mapped[bool] = mapped_column(Boolean, default=False)
    joint: Mapped[bool] = mapped_column(Boolean, default=False)
    anonymous: Mapped[bool] = mapped_column(Boolean, default=False)
    skip_level: Mapped[SkipLevel | None] = mapped_column(_enum(SkipLevel))
    repeat: Mapped[bool] = mapped_column(Boolean, default=False)
    repeat_of_id: Mapped[int | None] = mapped_column(ForeignKey("matters.id"))
    involves_deputy: Mapped[bool] = mapped_column(Boolean, default=False)
    in_scope: Mapped[bool] = mapped_column(Boolean, default=True)
    receiving_leader: Mapped[str] = mapped_column(String(32), default="")
    proposal: Mapped[str] = mapped_column(Text, default="")
    decision: Mapped[Decision | None] = mapped_column(_enum(Decision))
    decided_on: Mapped[date | None] = mapped_column(Date)
    decision_reason: Mapped[str] = mapped_column(Text, default="")
    competent_body: Mapped[str] = mapped_column(String(100), default="")
    notice_due: Mapped[date] = mapped_column(Date)
    due_on: Mapped[date | None] = mapped_column(Date)
    extended: Mapped[bool] = mapped_column(Boolean, default=False)
    extension_reason: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[Status] = mapped_column(_enum(Status), default=Status.PENDING)
    key_supervision: Mapped[bool] = mapped_column(Boolean, default=False)
    replied_on: Mapped[date | None] = mapped_column(Date)
    reply_text: Mapped[str] = mapped_column(Text, default="")
    reply_opinion: Mapped[ReplyOpinion | None] = mapped_column(_enum(ReplyOpinion))
    reply_findings: Mapped[str] = mapped_column(Text, default="", server_default="")
    followed_up_on: Mapped[date | None] = mapped_column(Date)
    satisfaction: Mapped[Satisfaction | None] = mapped_column(_enum(Satisfaction))
    follow_up_note: Mapped[str] = mapped_column(Text, default="", server_default="")
    follow_up_opinion: Mapped[str] = mapped_column(Text, default="", server_default="")
    closed_on: Mapped[date | None] = mapped_column(Date)
    result: Mapped[str] = mapped_column(Text, default="")
    settled: Mapped[bool] = mapped_column(Boolean, default=False)
    settled_on: Mapped[date | None] = mapped_column(Date)
    stage: Mapped[ReviewStage] = mapped_column(_enum(ReviewStage), default=ReviewStage.FIRST)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("matters.id"))
    final: Mapped[bool] = mapped_column(Boolean, default=False)
    void_reason: Mapped[str] = mapped_column(Text, default="")
    note: Mapped[str] = mapped_column(Text, default="")
    import_key: Mapped[str | None] = mapped_column(String(64), unique=True)
    # the number another system (or an older ledger) gave the matter: what a later import of it is known by
    source_number: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime)
    # counted up by every step (services.cases.apply); not part of MatterState: the rules never read it,
    # it tells a save made on an older reading of the matter (migration 0012)
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    # the tally's sums of the matter's transfers and 批示, kept by the triggers of migration 0014
    # (never written by the program, not part of MatterState): the tally reads them from ix_matters_tally
    assigned_transfers: Mapped[int] = mapped_column(Integer, server_default="0")
    answered_transfers: Mapped[int] = mapped_column(Integer, server_default="0")
    reminder_times: Mapped[int] = mapped_column(Integer, server_default="0")
    leader_reviewed: Mapped[bool] = mapped_column(Boolean, server_default=false())

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

    __table_args__ = (
        UniqueConstraint("year", "seq"),
        Index("ix_matters_received", "received_on", "id"),
        # on a server it also carries id and notice_due (INCLUDE, migration 0019), for the board to read
        # from it alone, and received_on and parent_id for the tally's live 超期 (0020); not written here
        # as postgresql_include=, which imports the PostgreSQL dialect (25 ms) at every start of the
        # window on an SQLite file. No schema is made from these models.
        Index("ix_matters_status_due", "status", "due_on"),
        Index("ix_matters_status_received", "status", "received_on"),
        Index("ix_matters_source_number", "source_number"),
    )


class MatterPetitioner(Base):
    __tablename__ = "matter_petitioners"
    matter_id: Mapped[int] = mapped_column(ForeignKey("matters.id"), primary_key=True)
    petitioner_id: Mapped[int] = mapped_column(ForeignKey("petitioners.id"), primary_key=True, index=True)
    role: Mapped[PetitionerRole] = mapped_column(_enum(PetitionerRole))
    position: Mapped[int] = mapped_column(Integer, default=0)
    matter: Mapped["Matter"] = relationship(back_populates="links")
    petitioner: Mapped["Petitioner"] = relationship()


class Instruction(Base):
    """领导批示."""

    __tablename__ = "instructions"
    id: Mapped[int] = mapped_column(primary_key=True)
    matter_id: Mapped[int] = mapped_column(ForeignKey("matters.id"), index=True)
    leader: Mapped[str] = mapped_column(String(32))
    on: Mapped[date] = mapped_column(Date)
    text: Mapped[str] = mapped_column(Text, default="")


class LeaderCharge(Base):
    """领导包案: at most one a matter (a later leader takes the row over; the timeline keeps the earlier)."""

    __tablename__ = "leader_charges"
    id: Mapped[int] = mapped_column(primary_key=True)
    matter_id: Mapped[int] = mapped_column(ForeignKey("matters.id"), unique=True)
    leader: Mapped[str] = mapped_column(String(32))
    post: Mapped[str] = mapped_column(String(32), default="")
    measures: Mapped[str] = mapped_column(Text, default="")
    resolve_by: Mapped[date] = mapped_column(Date)
    assigned_on: Mapped[date] = mapped_column(Date)
    # the tally's 包案 figures read the period's charges from the index alone (migration 0018)
    __table_args__ = (Index("ix_leader_charges_assigned_on", "assigned_on", "matter_id"),)


class Verification(Base):
    """验证 after 办结: 属实, or 未落实 with the reason (which put the matter back under 督办)."""

    __tablename__ = "verifications"
    id: Mapped[int] = mapped_column(primary_key=True)
    matter_id: Mapped[int] = mapped_column(ForeignKey("matters.id"), index=True)
    checked_on: Mapped[date] = mapped_column(Date)
    checker: Mapped[str] = mapped_column(String(32))
    method: Mapped[str] = mapped_column(Text, default="")
    result: Mapped[VerifyResult] = mapped_column(_enum(VerifyResult))
    reason: Mapped[str] = mapped_column(Text, default="")
    # the tally's 验证 figures read the period's checks from the index alone (migration 0018)
    __table_args__ = (Index("ix_verifications_checked_on", "checked_on", "matter_id", "result"),)


class LeaderMeeting(Base):
    """领导约访 or 下访: on a matter, or (a 下访 that met people with no matter yet) on its own."""

    __tablename__ = "leader_meetings"
    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[MeetingKind] = mapped_column(_enum(MeetingKind))
    held_on: Mapped[date] = mapped_column(Date, index=True)
    leader: Mapped[str] = mapped_column(String(32))
    post: Mapped[str] = mapped_column(String(32), default="")
    place: Mapped[str] = mapped_column(String(100), default="")
    matter_id: Mapped[int | None] = mapped_column(ForeignKey("matters.id"), index=True)
    batches: Mapped[int] = mapped_column(Integer, default=1)  # 批: groups met
    persons: Mapped[int] = mapped_column(Integer, default=1)  # 人次
    people: Mapped[str] = mapped_column(Text, default="")  # who was met
    talk: Mapped[str] = mapped_column(Text, default="")  # what was said
    agreed: Mapped[str] = mapped_column(Text, default="")  # what was agreed
    created_at: Mapped[datetime] = mapped_column(DateTime)


class ReceptionDay(Base):
    """领导接访日: one leader receiving visitors on one day, as the published roster says."""

    __tablename__ = "reception_days"
    id: Mapped[int] = mapped_column(primary_key=True)
    day: Mapped[date] = mapped_column(Date, index=True)
    leader: Mapped[str] = mapped_column(String(32))
    post: Mapped[str] = mapped_column(String(32), default="")
    place: Mapped[str] = mapped_column(String(100), default="")
    hours: Mapped[str] = mapped_column(String(32), default="")
    __table_args__ = (UniqueConstraint("day", "leader"),)


class Dispute(Base):
    """矛盾纠纷排查: one dispute a 村 reported, beside the matters; it may become one (linked both ways)."""

    __tablename__ = "disputes"
    id: Mapped[int] = mapped_column(primary_key=True)
    found_on: Mapped[date] = mapped_column(Date, index=True)  # 排查日期
    village: Mapped[str] = mapped_column(String(64), index=True)  # 乡镇/村
    parties: Mapped[str] = mapped_column(Text, default="")  # 当事人
    category_id: Mapped[int | None] = mapped_column(ForeignKey("categories.id"))  # 纠纷类型
    summary: Mapped[str] = mapped_column(Text, default="")  # 简要情况
    risk: Mapped[RiskLevel] = mapped_column(_enum(RiskLevel))
    responsible: Mapped[str] = mapped_column(String(32), default="")  # 责任人
    resolve_by: Mapped[date] = mapped_column(Date)  # 化解期限
    state: Mapped[DisputeState] = mapped_column(_enum(DisputeState))  # 化解情况
    petitioned: Mapped[bool] = mapped_column(Boolean, default=False)  # 是否引发信访
    matter_id: Mapped[int | None] = mapped_column(ForeignKey("matters.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime)


class ZeroReport(Base):
    """A 村's 零报告: no dispute found this month."""

    __tablename__ = "zero_reports"
    id: Mapped[int] = mapped_column(primary_key=True)
    month: Mapped[str] = mapped_column(String(7))  # 2026-11
    village: Mapped[str] = mapped_column(String(64))
    reported_on: Mapped[date] = mapped_column(Date)
    __table_args__ = (UniqueConstraint("month", "village"),)


class Transfer(Base):
    __tablename__ = "transfers"
    id: Mapped[int] = mapped_column(primary_key=True)
    matter_id: Mapped[int] = mapped_column(ForeignKey("matters.id"), index=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    kind: Mapped[TransferKind] = mapped_column(_enum(TransferKind))
    role: Mapped[TransferRole] = mapped_column(_enum(TransferRole))
    sent_on: Mapped[date] = mapped_column(Date)
    due_on: Mapped[date | None] = mapped_column(Date)
    state: Mapped[TransferState] = mapped_column(_enum(TransferState), default=TransferState.WAITING)
    reminders: Mapped[int] = mapped_column(Integer, default=0)
    # the date of its accepted report, kept by the triggers of migration 0025 (never written by the
    # program): the tally's 承办单位 figures read it, with the generated columns made of it, from ix_transfers_tally
    report_on: Mapped[date | None] = mapped_column(Date)
    # not mapped: tally_day and tally_satisfaction, its matter's 登记日期 (none while voided) and 回访 result,
    # kept by the triggers of migration 0029 for the 承办单位 pass, which reads them from ix_transfers_day
    matter: Mapped["Matter"] = relationship(back_populates="transfers")
    unit: Mapped["Unit"] = relationship()
    feedback: Mapped[list["Feedback"]] = relationship(order_by="Feedback.id")
    # on a server it also carries matter_id, kind, role, unit_id and id (INCLUDE, migration 0020) for the
    # tally's live 超期 of the open transfers (see ix_matters_status_due on postgresql_include=)
    __table_args__ = (Index("ix_transfers_state_due", "state", "due_on"),)


class Feedback(Base):
    """A unit's report on a transfer; accepted, or returned for more work (退回补办)."""

    __tablename__ = "feedback"
    id: Mapped[int] = mapped_column(primary_key=True)
    transfer_id: Mapped[int] = mapped_column(ForeignKey("transfers.id"), index=True)
    received_on: Mapped[date] = mapped_column(Date)
    text: Mapped[str] = mapped_column(Text, default="")
    result: Mapped[str] = mapped_column(Text, default="")
    accepted: Mapped[bool] = mapped_column(Boolean, default=True)
    return_reason: Mapped[str] = mapped_column(Text, default="")


class Event(Base):
    """The timeline (卷宗): append-only; triggers refuse UPDATE and DELETE."""

    __tablename__ = "events"
    id: Mapped[int] = mapped_column(primary_key=True)
    matter_id: Mapped[int] = mapped_column(ForeignKey("matters.id"), index=True)
    at: Mapped[datetime] = mapped_column(DateTime)
    actor: Mapped[str] = mapped_column(String(32))
    kind: Mapped[str] = mapped_column(String(16), index=True)
    text: Mapped[str] = mapped_column(Text, default="")
    data: Mapped[Any] = mapped_column(JSON, nullable=True, default=None)


class Document(Base):
    """An issued document, kept exactly as issued."""

    __tablename__ = "documents"
    id: Mapped[int] = mapped_column(primary_key=True)
    matter_id: Mapped[int] = mapped_column(ForeignKey("matters.id"), index=True)
    kind: Mapped[str] = mapped_column(String(32))
    year: Mapped[int] = mapped_column(Integer)
    seq: Mapped[int] = mapped_column(Integer)
    number: Mapped[str] = mapped_column(String(60), unique=True)
    issued_at: Mapped[datetime] = mapped_column(DateTime)
    pdf: Mapped[bytes] = mapped_column(LargeBinary)
    delivery: Mapped[Delivery | None] = mapped_column(_enum(Delivery))
    delivered_on: Mapped[date | None] = mapped_column(Date)
    transfer_id: Mapped[int | None] = mapped_column(ForeignKey("transfers.id"))
    # the yearly 文号 sequence: max(seq) of a year by index, and never two documents with one number
    __table_args__ = (Index("ix_documents_year_seq", "year", "seq", unique=True),)


class Attachment(Base):
    __tablename__ = "attachments"
    id: Mapped[int] = mapped_column(primary_key=True)
    matter_id: Mapped[int] = mapped_column(ForeignKey("matters.id"), index=True)
    filename: Mapped[str] = mapped_column(String(255))
    stored_path: Mapped[str] = mapped_column(String(500))
    sha256: Mapped[str] = mapped_column(String(64))
    size: Mapped[int] = mapped_column(Integer)
    added_at: Mapped[datetime] = mapped_column(DateTime)
    # the file itself (migration 0016); None only for a file an older version left outside the database
    content: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True, deferred=True)


class LetterTemplate(Base):
    """The clerk's own text of a document template; without a row the default in resources/templates/ applies."""

    __tablename__ = "templates"
    kind: Mapped[str] = mapped_column(String(32), primary_key=True)
    text: Mapped[str] = mapped_column(Text)
    updated_at: Mapped[datetime] = mapped_column(DateTime)


class LedgerProfile(Base):
    """A column mapping the clerk confirmed for one set of ledger headers, offered when the same layout comes again."""

    __tablename__ = "ledger_profiles"
    layout: Mapped[str] = mapped_column(Text, primary_key=True)  # the sheet's normalised headers, in order
    mapping: Mapped[dict[str, str]] = mapped_column(JSON)  # header as shown → canonical header, "" for 备注
    source: Mapped[str] = mapped_column(String(255), default="")  # the file it was confirmed for
    saved_at: Mapped[datetime] = mapped_column(DateTime)
