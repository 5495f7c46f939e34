"""Frozen values that services take and return; no ORM row ever leaves `services/`."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import NamedTuple

from xinfang_desktop.domain.enums import (
    Channel,
    Decision,
    Delivery,
    PetitionerRole,
    Purpose,
    ReviewStage,
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
from xinfang_desktop.domain.status import Action


@dataclass(frozen=True)
class PetitionerInput:
    name: str
    id_number: str = ""
    phone: str = ""
    address: str = ""
    region: str = ""
    sex: Sex | None = None
    role: PetitionerRole = PetitionerRole.PETITIONER


@dataclass(frozen=True)
class MatterInput:
    """Everything the 登记 form collects."""

    received_on: date
    channel: Channel
    title: str
    petitioners: tuple[PetitionerInput, ...] = ()
    source: Source = Source.DIRECT
    source_level: SourceLevel | None = None
    purpose: Purpose = Purpose.CLAIM
    route: Route | None = None
    category_id: int | None = None
    place: str = ""
    content: str = ""
    demand: str = ""
    persons: int = 1
    joint: bool = False
    anonymous: bool = False
    skip_level: SkipLevel | None = None
    involves_deputy: bool = False
    in_scope: bool = True
    receiving_leader: str = ""
    proposal: str = ""
    repeat_of_id: int | None = None
    note: str = ""
    # set by the clerk after confirming a warning (bad ID check digit)
    accept_id_warnings: bool = False
    # a ledger import keeps the ledger's own flags and number
    collective: bool | None = None
    repeat: bool | None = None
    number: str | None = None
    # a ledger with no 信访人 column: nobody was recorded, which is not 匿名 (the matter has a name we lack)
    petitioner_unrecorded: bool = False


@dataclass(frozen=True)
class PetitionerInfo:
    id: int
    name: str
    sex: Sex | None
    id_number: str
    phone: str
    address: str
    region: str
    role: PetitionerRole = PetitionerRole.PETITIONER


@dataclass(frozen=True)
class MatterRef:
    """What a write returns: which matter, its number and where it now stands."""

    id: int
    number: str
    status: Status
    warnings: tuple[str, ...] = ()
    document: str | None = None  # the letter the step leads to (DOMAIN §5), for the window to offer
    notice: str | None = None  # and the notice to the petitioner it leads to as well (交办: the 受理告知书)


@dataclass(frozen=True)
class MatterSummary:
    """One row of the matter list."""

    id: int
    number: str
    received_on: date
    channel: Channel
    petitioners: str
    title: str
    category: str
    status: Status
    due_on: date | None
    version: int  # when the row was read: what an action on it saves against (services.cases)
    closed_on: date | None = None


@dataclass(frozen=True)
class InstructionInfo:
    leader: str
    on: date
    text: str


@dataclass(frozen=True)
class FeedbackInfo:
    id: int
    received_on: date
    text: str
    result: str
    accepted: bool
    return_reason: str


@dataclass(frozen=True)
class TransferInfo:
    id: int
    matter_id: int
    unit_id: int
    unit: str
    kind: TransferKind
    role: TransferRole
    sent_on: date
    due_on: date | None
    state: TransferState
    reminders: int
    feedback: tuple[FeedbackInfo, ...] = ()


@dataclass(frozen=True)
class EventInfo:
    id: int
    at: datetime
    actor: str
    kind: str
    text: str


@dataclass(frozen=True)
class DocumentInfo:
    id: int
    kind: str
    number: str
    issued_at: datetime
    delivery: Delivery | None
    delivered_on: date | None


@dataclass(frozen=True)
class AttachmentInfo:
    id: int
    filename: str
    sha256: str
    size: int
    path: str


@dataclass(frozen=True)
class Charge:
    """领导包案: the leader who took the matter on, the measures, and the date to resolve it by."""

    leader: str
    post: str
    measures: str
    resolve_by: date
    assigned_on: date
    id: int | None = None


@dataclass(frozen=True)
class Verification:
    """验证 after 办结: whether the result was really carried out, checked by whom and how."""

    checked_on: date
    checker: str
    method: str
    result: VerifyResult
    reason: str = ""  # why not carried out (未落实)
    id: int | None = None


@dataclass(frozen=True)
class MatterDetail:
    """A matter with everything on it: the 卷宗."""

    id: int
    number: str
    received_on: date
    channel: Channel
    source: Source
    source_level: SourceLevel | None
    purpose: Purpose
    route: Route | None
    category_id: int | None
    category: str
    place: str
    title: str
    content: str
    demand: str
    persons: int
    collective: bool
    joint: bool
    anonymous: bool
    skip_level: SkipLevel | None
    repeat: bool
    repeat_of_id: int | None
    involves_deputy: bool
    in_scope: bool
    receiving_leader: str
    proposal: str
    decision: Decision | None
    decided_on: date | None
    decision_reason: str
    competent_body: str
    notice_due: date
    due_on: date | None
    extended: bool
    status: Status
    key_supervision: bool
    replied_on: date | None
    reply_text: str
    followed_up_on: date | None
    satisfaction: Satisfaction | None
    closed_on: date | None
    result: str
    settled: bool
    settled_on: date | None
    stage: ReviewStage
    parent_id: int | None
    final: bool
    void_reason: str
    note: str
    petitioners: tuple[PetitionerInfo, ...] = ()
    instructions: tuple[InstructionInfo, ...] = ()
    transfers: tuple[TransferInfo, ...] = ()
    events: tuple[EventInfo, ...] = ()
    documents: tuple[DocumentInfo, ...] = ()
    attachments: tuple[AttachmentInfo, ...] = ()
    steps: tuple[Action, ...] = ()  # what may be done on it now (workflow.allowed_steps)
    charge: Charge | None = None  # 领导包案
    verifications: tuple[Verification, ...] = ()  # 验证, oldest first
    version: int = 1  # what a form filled from this detail saves against (registry.update_matter)
    source_number: str = ""  # 原编号: the number the system it was imported from gave it (信访件编号, 受理编号…)


@dataclass(frozen=True)
class UnitInfo:
    id: int
    name: str
    kind: UnitKind
    contact: str
    phone: str
    active: bool


@dataclass(frozen=True)
class CategoryInfo:
    id: int
    name: str
    parent_id: int | None
    active: bool
    children: tuple[CategoryInfo, ...] = field(default=())


# 乡镇和村 are the same two levels as 问题分类: a 乡镇 with its 村 (社区) as children.
RegionInfo = CategoryInfo


@dataclass(frozen=True)
class RepeatCandidate:
    """An earlier matter that may be the same 信访 again, and why it was suggested."""

    matter: MatterSummary
    reason: str
    final: bool  # the earlier matter went through 复核: the same facts are 不再受理


@dataclass(frozen=True)
class TransferTarget:
    unit_id: int
    role: TransferRole = TransferRole.LEAD
    due_on: date | None = None  # None: from the clock's default 交办 period


@dataclass(frozen=True)
class SupervisionRow:
    """One open item on the 督办 board: a transfer, or a matter's own deadline."""

    matter_id: int
    number: str
    title: str
    transfer_id: int | None
    unit: str
    due_on: date
    days_left: int
    state: str
    key_supervision: bool
    extended: bool
    reminders: int
    leader: str = ""  # the 包案领导, when a leader has taken the matter on
    # the matter's version when the row was read: what an action on the row saves against (None: not
    # read with the row, as for a 排查 row that is no matter)
    version: int | None = None


class BoardKey(NamedTuple):
    """One open deadline of the 督办 board, light enough to hold a million-matter board in memory.

    A tuple, not a dataclass: the board builds tens of thousands at start-up; number and title
    are read only for the rows on screen (SupervisionRow).
    """

    due_on: date
    days_left: int
    part: int  # 0 a transfer, 1 awaiting a decision, 2 the matter's own deadline
    matter_id: int
    transfer_id: int | None
    unit_id: int | None
    unit: str
    state: str
    reminders: int


@dataclass(frozen=True)
class DecisionRow:
    """One matter in the 交办 queue: awaiting its 受理决定 within the 15 days."""

    matter_id: int
    number: str
    received_on: date
    channel: Channel
    petitioners: str
    title: str
    notice_due: date
    days_left: int
    proposal: str
    instruction: str  # the latest 领导批示, "" when none
    key_supervision: bool


@dataclass(frozen=True)
class MatterFilter:
    """What the matter list shows: free text (text, name, ID number or phone) and filters."""

    text: str = ""
    year: int | None = None
    status: Status | None = None
    channel: Channel | None = None
    category_id: int | None = None  # a first-level id includes its children
    date_from: date | None = None
    date_to: date | None = None
    include_voided: bool = True


@dataclass(frozen=True)
class ReceptionDay:
    """One line of the 领导接访日 roster."""

    day: date
    leader: str
    post: str
    place: str
    hours: str
    id: int | None = None
