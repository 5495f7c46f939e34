"""A matter's life as frozen values: its state (the `matters` columns, by name), its transfers, and an outcome.

Every step of domain/workflow takes a `Case` and returns an `Outcome`: the case after the
step, the timeline lines it writes, the 领导批示 it adds, the document to offer. Field names
are the database's column names, so one applier in services/ writes any outcome, whether
through the ORM (a clerk's action) or in batches (the ledger import).
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import date
from typing import Any

from xinfang_desktop.domain.clock import EARLIEST, Clock
from xinfang_desktop.domain.enums import (
    Channel,
    Decision,
    Purpose,
    ReplyOpinion,
    ReviewStage,
    Route,
    Satisfaction,
    SkipLevel,
    Source,
    SourceLevel,
    Status,
    TransferKind,
    TransferRole,
    TransferState,
)
from xinfang_desktop.domain.frozen import changed, quick_init
from xinfang_desktop.domain.values import Charge as Charge
from xinfang_desktop.domain.values import Verification as Verification


@dataclass(frozen=True)
class Rules:
    """What every step needs besides the case: the clock, today, and the earliest date a record may carry."""

    clock: Clock
    today: date
    earliest: date = EARLIEST


@quick_init
@dataclass(frozen=True)
class MatterState:
    """A matter as the rules see it: every column of `matters` that a step reads or writes."""

    received_on: date
    channel: Channel
    title: str
    notice_due: date
    year: int
    number: str = ""
    seq: int = 0
    id: int | None = None
    source: Source = Source.DIRECT
    source_level: SourceLevel | None = None
    purpose: Purpose = Purpose.CLAIM
    route: Route | None = None
    category_id: int | None = None
    place: str = ""
    content: str = ""
    demand: str = ""
    persons: int = 1
    collective: bool = False
    joint: bool = False
    anonymous: bool = False
    skip_level: SkipLevel | None = None
    repeat: bool = False
    repeat_of_id: int | None = None
    involves_deputy: bool = False
    in_scope: bool = True
    receiving_leader: str = ""
    proposal: str = ""
    decision: Decision | None = None
    decided_on: date | None = None
    decision_reason: str = ""
    competent_body: str = ""
    due_on: date | None = None
    extended: bool = False
    extension_reason: str = ""
    status: Status = Status.PENDING
    key_supervision: bool = False
    replied_on: date | None = None
    reply_text: str = ""
    reply_opinion: ReplyOpinion | None = None  # the Art. 32 处理意见 the 信访处理意见书 states
    reply_findings: str = ""  # what the office found (a 复查/复核意见书's 认定的事实和理由)
    followed_up_on: date | None = None
    satisfaction: Satisfaction | None = None
    follow_up_note: str = ""  # 回访情况
    follow_up_opinion: str = ""  # 信访人意见
    closed_on: date | None = None
    result: str = ""
    settled: bool = False
    settled_on: date | None = None
    stage: ReviewStage = ReviewStage.FIRST
    parent_id: int | None = None
    final: bool = False
    void_reason: str = ""
    note: str = ""
    import_key: str | None = None
    source_number: str | None = None  # the ledger's own number (信访件编号, 受理编号…), for a later import


MATTER_COLUMNS: tuple[str, ...] = tuple(f.name for f in fields(MatterState))


def changed_matter(matter: MatterState, changes: dict[str, Any]) -> MatterState:
    """`dataclasses.replace` for a MatterState, without re-running its 58-field __init__ (frozen.changed): the
    ledger import replays every row through several steps, and replace() was a tenth of its time."""
    return changed(matter, **changes)


@quick_init
@dataclass(frozen=True)
class Feedback:
    """A unit's report on a transfer; `id` is None until written."""

    received_on: date
    text: str
    result: str = ""
    accepted: bool = True
    return_reason: str = ""
    id: int | None = None


@quick_init
@dataclass(frozen=True)
class Transfer:
    """A 交办 or 转送 to one unit; `id` is None until written. The unit travels by id and name."""

    unit_id: int
    unit: str
    kind: TransferKind
    role: TransferRole
    sent_on: date
    due_on: date | None = None
    state: TransferState = TransferState.WAITING
    reminders: int = 0
    feedback: tuple[Feedback, ...] = ()
    id: int | None = None

    @property
    def owes_report(self) -> bool:
        """A 交办 owes an accepted report (a 转送 owes none)."""
        return self.kind is TransferKind.ASSIGN and self.state is not TransferState.ANSWERED


TRANSFER_COLUMNS: tuple[str, ...] = ("unit_id", "kind", "role", "sent_on", "due_on", "state", "reminders")


@quick_init
@dataclass(frozen=True)
class Unit:
    """A 承办单位 as a transfer needs it."""

    id: int
    name: str
    active: bool = True


@quick_init
@dataclass(frozen=True)
class Line:
    """One timeline line; `transfer` is the index in the outcome's transfers of the transfer it concerns."""

    kind: str
    text: str
    data: dict[str, Any] | None = None
    transfer: int | None = None


@quick_init
@dataclass(frozen=True)
class Instruction:
    """领导批示: who, when, what."""

    leader: str
    on: date
    text: str


@quick_init
@dataclass(frozen=True)
class Case:
    """A matter and what hangs on it (transfers, its 包案, its 验证), as one step finds them."""

    matter: MatterState
    transfers: tuple[Transfer, ...] = ()
    charge: Charge | None = None
    verifications: tuple[Verification, ...] = ()

    # built directly rather than by dataclasses.replace (the import replays a few of these a row)
    def with_matter(self, **changes: Any) -> Case:
        return Case(changed_matter(self.matter, changes), self.transfers, self.charge, self.verifications)

    def with_transfers(self, transfers: tuple[Transfer, ...]) -> Case:
        return Case(self.matter, transfers, self.charge, self.verifications)

    def owing(self) -> list[Transfer]:
        return [t for t in self.transfers if t.owes_report]


@quick_init
@dataclass(frozen=True)
class Outcome:
    """What a step did: the case after it, and what it adds around the matter."""

    case: Case
    lines: tuple[Line, ...] = ()
    instructions: tuple[Instruction, ...] = ()
    document: str | None = None  # the DocumentKind value to offer after the step
    warnings: tuple[str, ...] = ()
    child: Outcome | None = None  # 复查/复核: the new matter the request opens
    # the notice to the petitioner a step leads to besides `document` (交办: the 交办函 go to the units, the
    # 受理告知书 naming them to the petitioner)
    notice: str | None = None

    def then(self, later: Outcome) -> Outcome:
        """This outcome followed by a later step's: for a replay (the ledger import) of several steps."""
        return Outcome(
            case=later.case,
            lines=self.lines + later.lines,
            instructions=self.instructions + later.instructions,
            document=later.document or self.document,
            warnings=self.warnings + later.warnings,
            child=later.child or self.child,
            notice=later.notice or self.notice,
        )


def outcome(after: Case, *lines: Line, **extra: Any) -> Outcome:
    """A step's Outcome: the case after it and the timeline lines it writes."""
    return Outcome(case=after, lines=lines, **extra)
