"""The database's tables in SQLAlchemy Core: what the window reads before its first paint needs no ORM.

The mapped classes of db.models are made over these tables (`__table__`) after the first paint; a read
that must come before it (services/__init__.py) names these tables, never a mapped class. Enums are
stored as their Chinese values.
"""

from __future__ import annotations

from enum import StrEnum

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Date,
    DateTime,
    Enum,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    false,
)

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

metadata = MetaData(naming_convention=NAMING)


def _enum(cls: type[StrEnum]) -> Enum:
    return Enum(
        cls,
        native_enum=False,
        create_constraint=False,
        length=16,
        values_callable=lambda e: [m.value for m in e],
    )


settings = Table(
    "settings",
    metadata,
    Column("key", String(64), primary_key=True),
    Column("value", JSON, nullable=False),
)

calendar_days = Table(
    "calendar_days",
    metadata,
    Column("day", Date, primary_key=True),
    Column("is_workday", Boolean, nullable=False),
    Column("note", String(64), nullable=False, default=""),
)

regions = Table(
    "regions",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("name", String(64), nullable=False),
    Column("parent_id", Integer, ForeignKey("regions.id")),
    Column("active", Boolean, nullable=False, default=True),
    UniqueConstraint("parent_id", "name"),
)

categories = Table(
    "categories",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("name", String(64), nullable=False),
    Column("parent_id", Integer, ForeignKey("categories.id")),
    Column("position", Integer, nullable=False, default=0),
    Column("active", Boolean, nullable=False, default=True),
    UniqueConstraint("parent_id", "name"),
)

units = Table(
    "units",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("name", String(64), nullable=False, unique=True),
    Column("kind", _enum(UnitKind), nullable=False),
    Column("contact", String(32), nullable=False, default=""),
    Column("phone", String(32), nullable=False, default=""),
    Column("active", Boolean, nullable=False, default=True),
)

petitioners = Table(
    "petitioners",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("name", String(64), nullable=False, index=True),
    Column("sex", _enum(Sex)),
    Column("id_number", String(18), nullable=False, index=True, default=""),
    Column("phone", String(32), nullable=False, index=True, default=""),
    Column("address", String(200), nullable=False, default=""),
    Column("region", String(64), nullable=False, default=""),
)

matters = Table(
    "matters",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("year", Integer, nullable=False),
    Column("seq", Integer, nullable=False),
    Column("number", String(40), nullable=False, unique=True),
    Column("received_on", Date, nullable=False),
    Column("channel", _enum(Channel), nullable=False),
    Column("source", _enum(Source), nullable=False, default=Source.DIRECT),
    Column("source_level", _enum(SourceLevel)),
    Column("purpose", _enum(Purpose), nullable=False),
    Column("route", _enum(Route)),
    Column("category_id", Integer, ForeignKey("categories.id")),
    Column("place", String(64), nullable=False, default=""),
    Column("title", String(200), nullable=False),
    Column("content", Text, nullable=False, default=""),
    Column("demand", Text, nullable=False, default=""),
    Column("persons", Integer, nullable=False, default=1),
    Column("collective", Boolean, nullable=False, default=False),
    Column("joint", Boolean, nullable=False, default=False),
    Column("anonymous", Boolean, nullable=False, default=False),
    Column("skip_level", _enum(SkipLevel)),
    Column("repeat", Boolean, nullable=False, default=False),
    Column("repeat_of_id", Integer, ForeignKey("matters.id")),
    Column("involves_deputy", Boolean, nullable=False, default=False),
    Column("in_scope", Boolean, nullable=False, default=True),
    Column("receiving_leader", String(32), nullable=False, default=""),
    Column("proposal", Text, nullable=False, default=""),
    Column("decision", _enum(Decision)),
    Column("decided_on", Date),
    Column("decision_reason", Text, nullable=False, default=""),
    Column("competent_body", String(100), nullable=False, default=""),
    Column("notice_due", Date, nullable=False),
    Column("due_on", Date),
    Column("extended", Boolean, nullable=False, default=False),
    Column("extension_reason", Text, nullable=False, default=""),
    Column("status", _enum(Status), nullable=False, default=Status.PENDING),
    Column("key_supervision", Boolean, nullable=False, default=False),
    Column("replied_on", Date),
    Column("reply_text", Text, nullable=False, default=""),
    Column("reply_opinion", _enum(ReplyOpinion)),
    Column("reply_findings", Text, nullable=False, default="", server_default=""),
    Column("followed_up_on", Date),
    Column("satisfaction", _enum(Satisfaction)),
    Column("follow_up_note", Text, nullable=False, default="", server_default=""),
    Column("follow_up_opinion", Text, nullable=False, default="", server_default=""),
    Column("closed_on", Date),
    Column("result", Text, nullable=False, default=""),
    Column("settled", Boolean, nullable=False, default=False),
    Column("settled_on", Date),
    Column("stage", _enum(ReviewStage), nullable=False, default=ReviewStage.FIRST),
    Column("parent_id", Integer, ForeignKey("matters.id")),
    Column("final", Boolean, nullable=False, default=False),
    Column("void_reason", Text, nullable=False, default=""),
    Column("note", Text, nullable=False, default=""),
    Column("import_key", String(64), unique=True),
    Column("source_number", String(64)),
    Column("created_at", DateTime, nullable=False),
    Column("version", Integer, nullable=False, default=1, server_default="1"),
    Column("assigned_transfers", Integer, nullable=False, server_default="0"),
    Column("answered_transfers", Integer, nullable=False, server_default="0"),
    Column("reminder_times", Integer, nullable=False, server_default="0"),
    Column("leader_reviewed", Boolean, nullable=False, server_default=false()),
    UniqueConstraint("year", "seq"),
    Index("ix_matters_received", "received_on", "id"),
    # on a server it also carries id and notice_due (INCLUDE, migration 0019), for the board to read from it
    # alone, and received_on and parent_id for the tally's live 超期 (0020); not written here as
    # postgresql_include=, which imports the PostgreSQL dialect (25 ms) at every start of the window on an
    # SQLite file. No schema is made from these tables.
    Index("ix_matters_source_number", "source_number"),
    Index("ix_matters_status_due", "status", "due_on"),
    Index("ix_matters_status_received", "status", "received_on"),
)

matter_petitioners = Table(
    "matter_petitioners",
    metadata,
    Column("matter_id", Integer, ForeignKey("matters.id"), primary_key=True),
    Column("petitioner_id", Integer, ForeignKey("petitioners.id"), primary_key=True, index=True),
    Column("role", _enum(PetitionerRole), nullable=False),
    Column("position", Integer, nullable=False, default=0),
)

instructions = Table(
    "instructions",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("matter_id", Integer, ForeignKey("matters.id"), nullable=False, index=True),
    Column("leader", String(32), nullable=False),
    Column("on", Date, nullable=False),
    Column("text", Text, nullable=False, default=""),
)

leader_charges = Table(
    "leader_charges",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("matter_id", Integer, ForeignKey("matters.id"), nullable=False, unique=True),
    Column("leader", String(32), nullable=False),
    Column("post", String(32), nullable=False, default=""),
    Column("measures", Text, nullable=False, default=""),
    Column("resolve_by", Date, nullable=False),
    Column("assigned_on", Date, nullable=False),
    # the tally's 包案 figures read the period's charges from the index alone (migration 0018)
    Index("ix_leader_charges_assigned_on", "assigned_on", "matter_id"),
)

verifications = Table(
    "verifications",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("matter_id", Integer, ForeignKey("matters.id"), nullable=False, index=True),
    Column("checked_on", Date, nullable=False),
    Column("checker", String(32), nullable=False),
    Column("method", Text, nullable=False, default=""),
    Column("result", _enum(VerifyResult), nullable=False),
    Column("reason", Text, nullable=False, default=""),
    # the tally's 验证 figures read the period's checks from the index alone (migration 0018)
    Index("ix_verifications_checked_on", "checked_on", "matter_id", "result"),
)

leader_meetings = Table(
    "leader_meetings",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("kind", _enum(MeetingKind), nullable=False),
    Column("held_on", Date, nullable=False, index=True),
    Column("leader", String(32), nullable=False),
    Column("post", String(32), nullable=False, default=""),
    Column("place", String(100), nullable=False, default=""),
    Column("matter_id", Integer, ForeignKey("matters.id"), index=True),
    Column("batches", Integer, nullable=False, default=1),
    Column("persons", Integer, nullable=False, default=1),
    Column("people", Text, nullable=False, default=""),
    Column("talk", Text, nullable=False, default=""),
    Column("agreed", Text, nullable=False, default=""),
    Column("created_at", DateTime, nullable=False),
)

reception_days = Table(
    "reception_days",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("day", Date, nullable=False, index=True),
    Column("leader", String(32), nullable=False),
    Column("post", String(32), nullable=False, default=""),
    Column("place", String(100), nullable=False, default=""),
    Column("hours", String(32), nullable=False, default=""),
    UniqueConstraint("day", "leader"),
)

disputes = Table(
    "disputes",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("found_on", Date, nullable=False, index=True),
    Column("village", String(64), nullable=False, index=True),
    Column("parties", Text, nullable=False, default=""),
    Column("category_id", Integer, ForeignKey("categories.id")),
    Column("summary", Text, nullable=False, default=""),
    Column("risk", _enum(RiskLevel), nullable=False),
    Column("responsible", String(32), nullable=False, default=""),
    Column("resolve_by", Date, nullable=False),
    Column("state", _enum(DisputeState), nullable=False),
    Column("petitioned", Boolean, nullable=False, default=False),
    Column("matter_id", Integer, ForeignKey("matters.id"), index=True),
    Column("created_at", DateTime, nullable=False),
)

zero_reports = Table(
    "zero_reports",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("month", String(7), nullable=False),
    Column("village", String(64), nullable=False),
    Column("reported_on", Date, nullable=False),
    UniqueConstraint("month", "village"),
)

transfers = Table(
    "transfers",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("matter_id", Integer, ForeignKey("matters.id"), nullable=False, index=True),
    Column("unit_id", Integer, ForeignKey("units.id"), nullable=False, index=True),
    Column("kind", _enum(TransferKind), nullable=False),
    Column("role", _enum(TransferRole), nullable=False),
    Column("sent_on", Date, nullable=False),
    Column("due_on", Date),
    Column("state", _enum(TransferState), nullable=False, default=TransferState.WAITING),
    Column("reminders", Integer, nullable=False, default=0),
    Column("report_on", Date),
    # on a server it also carries matter_id, kind, role, unit_id and id (INCLUDE, migration 0020) for the
    # tally's live 超期 of the open transfers (see ix_matters_received on postgresql_include=)
    Index("ix_transfers_state_due", "state", "due_on"),
)

feedback = Table(
    "feedback",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("transfer_id", Integer, ForeignKey("transfers.id"), nullable=False, index=True),
    Column("received_on", Date, nullable=False),
    Column("text", Text, nullable=False, default=""),
    Column("result", Text, nullable=False, default=""),
    Column("accepted", Boolean, nullable=False, default=True),
    Column("return_reason", Text, nullable=False, default=""),
)

events = Table(
    "events",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("matter_id", Integer, ForeignKey("matters.id"), nullable=False, index=True),
    Column("at", DateTime, nullable=False),
    Column("actor", String(32), nullable=False),
    Column("kind", String(16), nullable=False, index=True),
    Column("text", Text, nullable=False, default=""),
    Column("data", JSON),
)

documents = Table(
    "documents",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("matter_id", Integer, ForeignKey("matters.id"), nullable=False, index=True),
    Column("kind", String(32), nullable=False),
    Column("year", Integer, nullable=False),
    Column("seq", Integer, nullable=False),
    Column("number", String(60), nullable=False, unique=True),
    Column("issued_at", DateTime, nullable=False),
    Column("pdf", LargeBinary, nullable=False),
    Column("delivery", _enum(Delivery)),
    Column("delivered_on", Date),
    Column("transfer_id", Integer, ForeignKey("transfers.id")),
    # the yearly 文号 sequence: max(seq) of a year by index, and never two documents with one number
    Index("ix_documents_year_seq", "year", "seq", unique=True),
)

attachments = Table(
    "attachments",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("matter_id", Integer, ForeignKey("matters.id"), nullable=False, index=True),
    Column("filename", String(255), nullable=False),
    Column("stored_path", String(500), nullable=False),
    Column("sha256", String(64), nullable=False),
    Column("size", Integer, nullable=False),
    Column("added_at", DateTime, nullable=False),
    Column("content", LargeBinary),
)

templates = Table(
    "templates",
    metadata,
    Column("kind", String(32), primary_key=True),
    Column("text", Text, nullable=False),
    Column("updated_at", DateTime, nullable=False),
)

ledger_profiles = Table(
    "ledger_profiles",
    metadata,
    Column("layout", Text, primary_key=True),
    Column("mapping", JSON, nullable=False),
    Column("source", String(255), nullable=False, default=""),
    Column("saved_at", DateTime, nullable=False),
)

