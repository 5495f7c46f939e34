"""台账 in and out: matters as ledger rows (streamed), and parsed ledger rows registered through the usual services."""

from __future__ import annotations

import hashlib
import json
import logging
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, fields, replace
from datetime import date, datetime
from functools import partial
from typing import Any

from sqlalchemy import Row, Select, and_, func, or_, select
from sqlalchemy.orm import Session, aliased

from xinfang_desktop.db.models import (
    Category,
    Feedback,
    Instruction,
    Matter,
    MatterPetitioner,
    Petitioner,
    Transfer,
    Unit,
)
from xinfang_desktop.domain.enums import (
    Channel,
    Decision,
    EventKind,
    PetitionerRole,
    Purpose,
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
    UnitKind,
)
from xinfang_desktop.domain.errors import InvalidTransitionError, ValidationError, XinfangError
from xinfang_desktop.domain.idcard import check_id_number, normalize_id_number
from xinfang_desktop.domain.ledger import (
    ImportReport,
    LedgerRow,
    ParsedLedger,
    ParsedRow,
    RowProblem,
    SkippedRow,
)
from xinfang_desktop.domain.status import AFTER_DECISION, Action, require
from xinfang_desktop.domain.values import (
    MatterFilter,
    MatterInput,
    PetitionerInput,
    TransferTarget,
    UnitInfo,
)
from xinfang_desktop.services import handling, registry
from xinfang_desktop.services.bulk import RowBatch, next_ids
from xinfang_desktop.services.common import (
    add_event,
    clock,
    cn_date,
    get_setting,
    load_matter,
    require_not_before,
    require_not_future,
    require_text,
    today,
)
from xinfang_desktop.services.reference import (
    add_category,
    add_unit,
    find_category,
    find_unit,
)
from xinfang_desktop.services.registry import registered_text
from xinfang_desktop.services.search import _apply_filter

log = logging.getLogger(__name__)

BATCH = 500  # ledger rows written together
PROGRESS_EVERY = 25
VOID_REASON = "台账注明已作废"
ANONYMOUS = "匿名"  # in the 信访人 column of a matter without a name
_SPLIT = re.compile(r"[、，,；;/\s]+")
_LIST_SPLIT = re.compile(r"[、；;]")


# export ---------------------------------------------------------------------------------------
def ledger_period(flt: MatterFilter) -> str:
    """The period named in the title: "2026年", "2026年1月1日至2026年6月30日", or ""."""
    if flt.year is not None and flt.date_from is None and flt.date_to is None:
        return f"{flt.year}年"
    if flt.date_from is not None and flt.date_to is not None:
        whole_year = (flt.date_from.month, flt.date_from.day, flt.date_to.month, flt.date_to.day) == (1, 1, 12, 31)
        if whole_year and flt.date_from.year == flt.date_to.year:
            return f"{flt.date_from.year}年"
        return f"{cn_date(flt.date_from)}至{cn_date(flt.date_to)}"
    if flt.year is not None:
        return f"{flt.year}年"
    return ""


def ledger_title_parts(session: Session, flt: MatterFilter) -> tuple[str, str]:
    """(机关名称, period) for the title row."""
    return str(get_setting(session, "office_name")), ledger_period(flt)


def _source_text(source: Source, level: SourceLevel | None) -> str:
    if source is Source.ASSIGNED_FROM_ABOVE and level is not None:
        return f"{source.value}（{level.value}）"
    return source.value


def _joined(values: list[str]) -> str:
    return "、".join(values) if any(values) else ""


def _by_matter(session: Session, query: Select, column: Any, ids: list[int]) -> dict[int, list[Row]]:  # type: ignore[type-arg]
    grouped: dict[int, list[Row]] = {}  # type: ignore[type-arg]
    for row in session.execute(query.where(column.in_(ids))):
        grouped.setdefault(row.matter_id, []).append(row)
    return grouped


def ledger_rows(session: Session, flt: MatterFilter = MatterFilter(), *, batch: int = BATCH) -> Iterator[LedgerRow]:
    """The matters of a filter as ledger rows, oldest first, read a batch at a time by key.

    Plain column queries, not ORM objects: a year of 10,000 matters reads in well under a
    second and only one batch is held at a time.
    """
    parent = aliased(Category)
    columns = select(
        Matter.id, Matter.number, Matter.received_on, Matter.channel, Matter.source, Matter.source_level,
        Matter.persons, Matter.place, Matter.purpose, Matter.title, Matter.demand, Matter.collective,
        Matter.joint, Matter.anonymous, Matter.skip_level, Matter.repeat, Matter.decision, Matter.proposal,
        Matter.competent_body, Matter.due_on, Matter.result, Matter.reply_text, Matter.decision_reason,
        Matter.closed_on, Matter.satisfaction, Matter.status, Matter.note,
        Category.name.label("category"), parent.name.label("parent_category"),
    ).outerjoin(Category, Category.id == Matter.category_id).outerjoin(parent, parent.id == Category.parent_id)
    people = select(
        MatterPetitioner.matter_id, Petitioner.name, Petitioner.id_number, Petitioner.phone, Petitioner.address
    ).join(Petitioner, Petitioner.id == MatterPetitioner.petitioner_id).order_by(
        MatterPetitioner.matter_id, MatterPetitioner.position
    )
    transfers = select(Transfer.matter_id, Unit.name, Transfer.sent_on).join(Unit, Unit.id == Transfer.unit_id).order_by(
        Transfer.id
    )
    feedback = (
        select(Transfer.matter_id, func.max(Feedback.received_on).label("day"))
        .join(Feedback, Feedback.transfer_id == Transfer.id)
        .where(Feedback.accepted.is_(True))
        .group_by(Transfer.matter_id)
    )
    instructions = select(Instruction.matter_id, Instruction.leader, Instruction.text).order_by(Instruction.id)
    after: tuple[date, int] | None = None
    while True:
        query = _apply_filter(columns, flt)
        if after is not None:
            query = query.where(
                or_(Matter.received_on > after[0], and_(Matter.received_on == after[0], Matter.id > after[1]))
            )
        matters = session.execute(query.order_by(Matter.received_on, Matter.id).limit(batch)).all()
        if not matters:
            return
        ids = [m.id for m in matters]
        people_of = _by_matter(session, people, MatterPetitioner.matter_id, ids)
        transfers_of = _by_matter(session, transfers, Transfer.matter_id, ids)
        feedback_of = _by_matter(session, feedback, Transfer.matter_id, ids)
        instructions_of = _by_matter(session, instructions, Instruction.matter_id, ids)
        for m in matters:
            persons = people_of.get(m.id, [])
            sent = transfers_of.get(m.id, [])
            answered = feedback_of.get(m.id)
            category = f"{m.parent_category}/{m.category}" if m.parent_category else (m.category or "")
            yield LedgerRow(
                number=m.number,
                received_on=m.received_on,
                channel=m.channel.value,
                source=_source_text(m.source, m.source_level),
                # a blank 信访人 cell reads as a gap in the ledger: say why it is blank
                petitioners="、".join(p.name for p in persons) or (ANONYMOUS if m.anonymous else ""),
                id_numbers=_joined([p.id_number for p in persons]),
                phones=_joined([p.phone for p in persons]),
                addresses=_joined([p.address for p in persons]),
                persons=m.persons,
                place=m.place,
                category=category,
                purpose=m.purpose.value,
                title=m.title,
                demand=m.demand,
                collective=m.collective,
                joint=m.joint,
                anonymous=m.anonymous,
                skip_level=m.skip_level.value if m.skip_level else "",
                repeat=m.repeat,
                instruction="；".join(f"{i.leader}：{i.text}" for i in instructions_of.get(m.id, [])),
                handling=m.decision.value if m.decision is not None else m.proposal,
                units="、".join(t.name for t in sent) or m.competent_body,
                transferred_on=sent[0].sent_on if sent else None,
                due_on=m.due_on,
                feedback_on=answered[0].day if answered else None,
                result=m.result or m.reply_text or m.decision_reason,
                closed_on=m.closed_on,
                satisfaction=m.satisfaction.value if m.satisfaction else "",
                status=m.status.value,
                note=m.note,
            )
        after = (matters[-1].received_on, matters[-1].id)


# import ---------------------------------------------------------------------------------------
_ROW_FIELDS = tuple(f.name for f in fields(LedgerRow))


def import_key(values: LedgerRow) -> str:
    """A stable key from the row's own content: the same row imported again is recognised."""
    # the fields one by one: astuple() deep-copies each value, a tenth of an import's time
    text = "\x1f".join("" if v is None else str(v) for v in (getattr(values, f) for f in _ROW_FIELDS))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _channel(text: str) -> tuple[Channel, str | None]:
    text = text.strip()
    for channel in Channel:
        if text == channel.value:
            return channel, None
    keywords = (
        (("网", "信箱", "邮件", "微信", "12345"), Channel.ONLINE),
        (("电",), Channel.CALL),
        (("传真",), Channel.FAX),
        (("访",), Channel.VISIT),
        (("信", "函"), Channel.LETTER),
    )
    for words, channel in keywords:
        if any(w in text for w in words):
            return channel, None
    if not text:
        return Channel.OTHER, "未填写信访形式，按“其他”登记"
    return Channel.OTHER, f"信访形式“{text}”无法识别，按“其他”登记"


def _purpose(text: str) -> tuple[Purpose, str | None]:
    text = text.strip()
    for purpose in Purpose:
        if text == purpose.value:
            return purpose, None
    keywords = (
        (("咨询",), Purpose.CONSULTATION),
        (("检举", "控告", "举报", "投诉"), Purpose.ACCUSATION),
        (("建议", "意见"), Purpose.SUGGESTION),
        (("申诉", "求决"), Purpose.CLAIM),
    )
    for words, purpose in keywords:
        if any(w in text for w in words):
            return purpose, None
    if not text:
        return Purpose.CLAIM, None
    return Purpose.CLAIM, f"信访目的“{text}”无法识别，按“申诉求决类”登记"


def _source(text: str) -> tuple[Source, SourceLevel | None, str | None]:
    text = text.strip()
    if not text:
        return Source.DIRECT, None, None
    for source in Source:
        if text.startswith(source.value):
            if source is not Source.ASSIGNED_FROM_ABOVE:
                return source, None, None
            break
    if "交办" in text or "转" in text and any(level.value in text for level in SourceLevel):
        for level in (SourceLevel.NATIONAL, SourceLevel.PROVINCE, SourceLevel.CITY, SourceLevel.COUNTY):
            if level.value in text.replace("上级交办", ""):
                return Source.ASSIGNED_FROM_ABOVE, level, None
        return Source.ASSIGNED_FROM_ABOVE, SourceLevel.COUNTY, f"来源“{text}”未注明交办层级，按“县”登记"
    if "代表" in text:
        return Source.DEPUTY, None, None
    if "批示" in text or "领导" in text:
        return Source.LEADER, None, None
    if "群众" in text or "直接" in text or "本人" in text:
        return Source.DIRECT, None, None
    return Source.DIRECT, None, f"来源“{text}”无法识别，按“群众直接”登记"


def _skip_level(text: str) -> tuple[SkipLevel | None, str | None]:
    text = text.strip()
    if not text or text in ("否", "无", "N", "n", "×"):
        return None, None
    for level in SkipLevel:
        if level.value in text:
            return level, None
    if "京" in text:
        return SkipLevel.CAPITAL, None
    if "省" in text:
        return SkipLevel.PROVINCE, None
    if "市" in text:
        return SkipLevel.CITY, None
    return SkipLevel.CITY, f"越级“{text}”未注明层级，按“到市”登记"


_DECISION_WORDS = (
    ("不予受理", Decision.REJECT),
    ("直接答复", Decision.ANSWER),
    ("当场答复", Decision.ANSWER),
    ("存查", Decision.FILE),
    ("转送", Decision.FORWARD),
    ("交办", Decision.ASSIGN),
    ("转办", Decision.ASSIGN),
    ("受理", Decision.ACCEPT),
)


def _decision(text: str, units: str) -> tuple[Decision | None, str]:
    """The 受理决定 the ledger's 处理方式 names, or None and the text kept as 拟办意见."""
    text = text.strip()
    for decision in Decision:
        if text == decision.value:
            return decision, ""
    if text and not text.startswith("拟"):
        for word, decision in _DECISION_WORDS:
            if word in text:
                return decision, text
    if not text and units.strip():
        return Decision.ASSIGN, ""
    return None, text


def _status(text: str) -> Status | None:
    text = text.strip()
    for status in Status:
        if text == status.value:
            return status
    if text in ("是", "√", "✓", "Y", "y", "办结", "已结", "结案"):
        return Status.CLOSED
    if text in ("否", "未办结", "在办", "办理中", "未结"):
        return Status.IN_PROGRESS
    if "作废" in text:
        return Status.VOIDED
    return None


def _satisfaction(text: str) -> Satisfaction | None:
    text = text.strip()
    for s in (Satisfaction.BASICALLY, Satisfaction.UNSATISFIED, Satisfaction.SATISFIED):
        if s.value in text:
            return s
    return None


def _split(text: str, pattern: re.Pattern[str] = _SPLIT) -> list[str]:
    return [part.strip() for part in pattern.split(text)] if text.strip() else []


def _names(text: str) -> list[str]:
    """The persons a 信访人 cell names; "匿名" names nobody."""
    return [n for n in _split(text) if n and n != ANONYMOUS]


@dataclass(frozen=True)
class _Plan:
    """What the ledger says happened to a matter after 登记, read once for either way of writing it."""

    instructions: tuple[tuple[str, str], ...]  # (leader, text)
    decision: Decision | None
    decided_on: date
    status: Status | None
    satisfaction: Satisfaction | None


@dataclass
class _Person:
    """A petitioner of this import, known by 身份证号 (or new): written once, updated if a later row says more."""

    id: int
    name: str
    sex: str | None
    id_number: str
    phone: str
    address: str
    region: str
    stored: bool  # already in the database (an earlier batch or before this import)
    changed: bool = False

    def row(self) -> tuple[Any, ...]:
        return (self.id, self.name, self.sex, self.id_number, self.phone, self.address, self.region)


@dataclass
class _DraftTransfer:
    id: int
    unit: str  # by name: the unit is found or added once the row is sure to go in
    kind: TransferKind
    role: TransferRole
    sent_on: date
    due_on: date | None
    state: TransferState = TransferState.WAITING
    feedback: list[tuple[date, str, str]] = field(default_factory=list)  # (day, text, result)


def _day(value: date | None) -> str | None:
    return value.isoformat() if value is not None else None


def _value(member: Any) -> Any:
    return member.value if member is not None else None


class _Importer:
    """One import run inside the caller's transaction.

    A row is first replayed in memory under the services' own rules (the status machine,
    the clock, the checks of 登记) and its rows go to the database in batches with
    executemany: through the ORM a row costs about 10 ms, this way well under one. A row
    the replay refuses at any step is then done through the services themselves, in a
    savepoint, where a refused 登记 becomes a skipped row and a refused later step a
    warning, with the services' own message.
    """

    def __init__(self, session: Session, source_name: str) -> None:
        self.session = session
        self.source_name = source_name
        self.warnings: list[RowProblem] = []
        self.units: dict[str, UnitInfo | None] = {}  # by name as the ledger writes it; None: not on our list
        self.categories: dict[str, int | None] = {}
        self.current: Matter | None = None
        self.clock = clock(session)
        self.prefix = str(get_setting(session, "number_prefix"))
        self.actor = str(get_setting(session, "clerk_name"))
        self.today = today()
        self.batch = RowBatch()
        self.ids = next_ids(session)
        self.numbers: set[str] = set()  # the 编号 this import has given, written or not yet
        self.people: dict[str, _Person] = {}  # by 身份证号
        self.new_people: dict[int, _Person] = {}  # not yet written, by id
        self.changed_people: dict[int, _Person] = {}

    def warn(self, row: ParsedRow, text: str) -> None:
        self.warnings.append(RowProblem(row.sheet, row.row, text))

    # reference lists: found by name, added when the ledger names one we do not have
    def unit_id(self, row: ParsedRow, name: str) -> int:
        found = self.unit_info(name)
        if found is None:
            kind = UnitKind.TOWNSHIP if name.endswith(("镇", "乡", "镇人民政府", "乡人民政府", "街道")) else UnitKind.OTHER
            found = self.units[name] = add_unit(self.session, name=name, kind=kind)
            self.warn(row, f"承办单位“{name}”不在单位名单中，导入时新增")
        return found.id

    def unit_info(self, name: str) -> UnitInfo | None:
        if name not in self.units:
            self.units[name] = find_unit(self.session, name)
        return self.units[name]

    def category_id(self, row: ParsedRow, label: str) -> int | None:
        label = label.strip()
        if not label:
            return None
        if label not in self.categories:
            found = find_category(self.session, label)
            if found is None:
                parts = [p for p in re.split(r"[/／\-－、]", label) if p.strip()]
                parent = find_category(self.session, parts[0]) if len(parts) > 1 else None
                if parent is None and len(parts) > 1:
                    parent = add_category(self.session, name=parts[0].strip()).id
                found = add_category(self.session, name=parts[-1].strip(), parent_id=parent).id
                self.warn(row, f"问题分类“{label}”不在分类表中，导入时新增")
            self.categories[label] = found
        return self.categories[label]
    def petitioners(self, row: ParsedRow, collective: bool) -> tuple[PetitionerInput, ...]:
        v = row.values
        names = _names(v.petitioners)
        if not names:
            return ()
        several = len(names) > 1
        ids = _split(v.id_numbers, _LIST_SPLIT) if several else [v.id_numbers.strip()]
        phones = _split(v.phones) if several else [v.phones.strip()]
        addresses = _split(v.addresses, _LIST_SPLIT) if several else [v.addresses.strip()]
        result = []
        for i, name in enumerate(names):
            # a collective visit has at most five representatives (Art. 20); others named are petitioners
            representative = collective and i < registry.MAX_REPRESENTATIVES
            role = PetitionerRole.REPRESENTATIVE if representative else PetitionerRole.PETITIONER
            number = ids[i] if i < len(ids) else ""
            if "*" in number:
                self.warn(row, f"{name}的身份证号已脱敏（{number}），未导入号码")
                number = ""
            result.append(
                PetitionerInput(
                    name=name,
                    id_number=normalize_id_number(number) if number else "",
                    phone=phones[i] if i < len(phones) else "",
                    address=addresses[i] if i < len(addresses) else "",
                    role=role,
                )
            )
        return tuple(result)

    def persons(self, row: ParsedRow, channel: Channel) -> int:
        """人数; a visit cannot count fewer people than the ledger names."""
        v = row.values
        named = len(_names(v.petitioners))
        if channel is Channel.VISIT and named > v.persons:
            if "persons" in row.columns and v.persons > 1:
                self.warn(row, f"人数{v.persons}少于登记的来访人{named}名，按{named}人登记")
            return named
        return max(v.persons, 1)

    def step(self, row: ParsedRow, what: str, action: Callable[[], object]) -> bool:
        """A later step (批示, 交办, 反馈, 办结…) that fails leaves the matter registered, with a warning."""
        try:
            with self.session.begin_nested():
                action()
            return True
        except XinfangError as exc:
            self.forget()
            self.warn(row, f"{what}未导入：{exc.message}")
            return False

    def forget(self) -> None:
        """After a rollback: a unit, category or 序号 taken in it is gone, so look them up afresh."""
        self.units.clear()
        self.categories.clear()
        registry.forget_numbering(self.session)

    # what a row says ------------------------------------------------------------------------
    def matter_input(self, row: ParsedRow) -> MatterInput:
        """The 登记 of a row, its 问题分类 not yet looked up (that may add one)."""
        v = row.values
        channel, note = _channel(v.channel)
        if note:
            self.warn(row, note)
        purpose, note = _purpose(v.purpose)
        if note:
            self.warn(row, note)
        source, level, note = _source(v.source)
        if note:
            self.warn(row, note)
        skip, note = _skip_level(v.skip_level)
        if note:
            self.warn(row, note)
        decision, proposal = _decision(v.handling, v.units)
        number = v.number.strip()
        if number.isdigit():
            number = ""  # a 序号 counts rows; the matter gets this office's own number
        return MatterInput(
            received_on=v.received_on,
            channel=channel,
            title=v.title.strip()[:200] or (v.demand.strip()[:200] if v.demand.strip() else ""),
            petitioners=self.petitioners(row, v.collective),
            source=source,
            source_level=level,
            purpose=purpose,
            place=v.place,
            demand=v.demand,
            persons=self.persons(row, channel),
            joint=v.joint,
            anonymous=v.anonymous or (ANONYMOUS in _split(v.petitioners) and not _names(v.petitioners)),
            skip_level=skip,
            proposal=proposal if decision is None else "",
            note=v.note,
            accept_id_warnings=True,  # an old ledger's numbers are history: warn, keep
            # the ledger's own flags are kept as it says; with no such column, register decides
            collective=v.collective if "collective" in row.columns else None,
            repeat=v.repeat,
            number=number or None,
        )

    def plan(self, row: ParsedRow) -> _Plan:
        v = row.values
        instructions = []
        for entry in _split(v.instruction, re.compile(r"[；;\n]")):
            if not entry:
                continue
            leader, sep, text = entry.partition("：")
            if not sep:
                leader, sep, text = entry.partition(":")
            if not sep or not text.strip():
                leader, text = "领导", entry
            instructions.append((leader.strip()[:32], text.strip()))
        decision, _ = _decision(v.handling, v.units)
        status = _status(v.status)
        if v.status.strip() and status is None:
            self.warn(row, f"状态“{v.status}”无法识别，按台账其他各列登记")
        if decision is None and (v.closed_on is not None or status in (Status.CLOSED, Status.REPLIED)):
            decision = Decision.ACCEPT  # handled without a recorded decision: it was accepted
        satisfaction = _satisfaction(v.satisfaction)
        if v.satisfaction.strip() and satisfaction is None:
            self.warn(row, f"满意度“{v.satisfaction}”无法识别，未登记回访")
        return _Plan(tuple(instructions), decision, v.transferred_on or v.received_on, status, satisfaction)

    def check_final(self, row: ParsedRow, plan: _Plan, final: Status) -> None:
        if plan.status is not None and final is not plan.status and plan.status is not Status.IN_PROGRESS:
            self.warn(row, f"台账状态为“{plan.status.value}”，导入后为“{final.value}”，请核对")

    def closing_day(self, row: ParsedRow) -> date:
        v = row.values
        closed_on = v.closed_on or v.feedback_on or v.received_on
        if v.closed_on is None:
            self.warn(row, f"台账注明已办结但没有办结日期，按{cn_date(closed_on)}登记")
        return closed_on

    def imported_event(self, row: ParsedRow, key: str) -> tuple[str, dict[str, Any]]:
        return (f"从台账“{self.source_name}”工作表“{row.sheet}”第{row.row}行导入",
                {"file": self.source_name, "sheet": row.sheet, "row": row.row, "import_key": key})

    # the careful way: through the services, each step in a savepoint -------------------------
    def register(self, row: ParsedRow, key: str) -> int:
        data = self.matter_input(row)
        data = replace(data, category_id=self.category_id(row, row.values.category))
        ref = registry.register_matter(self.session, data)
        for warning in ref.warnings:
            self.warn(row, warning)
        matter = load_matter(self.session, ref.id)
        # the identity map holds objects weakly: without this every service call reloads it
        self.current = matter
        matter.import_key = key
        text, data_ = self.imported_event(row, key)
        add_event(self.session, matter, EventKind.IMPORTED, text, data_)
        return ref.id

    def handle(self, row: ParsedRow, matter_id: int) -> None:
        """Replay what the ledger says happened, through the same services the clerk uses."""
        v = row.values
        session = self.session
        plan = self.plan(row)
        for leader, text in plan.instructions:
            self.step(row, "领导批示", partial(registry.instruct, session, matter_id=matter_id, leader=leader,
                                           on=v.received_on, text=text))
        decision = plan.decision
        if decision is not None:
            self.step(row, "受理决定", lambda: self.decide(row, matter_id, decision, plan.decided_on))
        matter = load_matter(session, matter_id)
        if v.feedback_on is not None and matter.transfers:
            for transfer in self.transfers(matter):
                self.step(row, "反馈", partial(handling.record_feedback, session, transfer_id=transfer.id,
                                             received_on=v.feedback_on or v.received_on, text=v.result or "已反馈",
                                             result=v.result))
        if plan.status is Status.REPLIED and matter.status is not Status.REPLIED:
            self.step(row, "答复", lambda: handling.reply(
                session, matter_id=matter_id, on=v.feedback_on or v.received_on, text=v.result or "已答复"))
        if v.closed_on is not None or plan.status is Status.CLOSED:
            closed_on = self.closing_day(row)
            # a closed 交办 matter whose feedback the ledger left out: its report came in by closure
            for transfer in self.transfers(load_matter(session, matter_id)):
                if transfer.kind is TransferKind.ASSIGN and not transfer.feedback:
                    self.step(row, "反馈", partial(handling.record_feedback, session, transfer_id=transfer.id,
                                                 received_on=closed_on, text=v.result or "已办结", result=v.result))
            self.step(row, "办结", lambda: handling.close(session, matter_id=matter_id, on=closed_on, result=v.result))
        satisfaction = plan.satisfaction
        if satisfaction is not None:
            on = v.closed_on or v.feedback_on or v.received_on
            self.step(row, "回访", lambda: handling.follow_up(session, matter_id=matter_id, on=on,
                                                              satisfaction=satisfaction))
        if plan.status is Status.VOIDED:
            self.step(row, "作废", lambda: registry.void(session, matter_id=matter_id, reason=VOID_REASON))
        self.check_final(row, plan, load_matter(session, matter_id).status)

    def transfers(self, matter: Matter) -> list[Transfer]:
        """The matter's transfers with their ids: flushed only when a 交办 just made them."""
        if any(t.id is None for t in matter.transfers):
            self.session.flush()
        return list(matter.transfers)
    def decide(self, row: ParsedRow, matter_id: int, decision: Decision, on: date) -> None:
        v = row.values
        session = self.session
        names = [n for n in _split(v.units, _LIST_SPLIT) if n]
        if decision is Decision.ASSIGN:
            if not names:
                raise XinfangError("台账没有写承办单位，无法登记交办")
            due = v.due_on if v.due_on is not None and v.due_on > on else None
            targets = tuple(
                TransferTarget(self.unit_id(row, name), TransferRole.LEAD if i == 0 else TransferRole.ASSIST, due)
                for i, name in enumerate(dict.fromkeys(names))
            )
            registry.decide(session, matter_id=matter_id, decision=decision, on=on, targets=targets)
        elif decision is Decision.FORWARD:
            known = [find_unit(session, n) for n in names]
            # a 转送 with a 交办日期 went to units on our list; without one, to a body named in words
            if names and v.transferred_on is not None and all(k is not None for k in known):
                targets = tuple(TransferTarget(k.id) for k in known if k is not None)
                registry.decide(session, matter_id=matter_id, decision=decision, on=on, targets=targets)
            else:
                registry.decide(session, matter_id=matter_id, decision=decision, on=on,
                                competent_body=v.units or "台账未注明")
        elif decision is Decision.REJECT:
            if not v.result.strip():
                self.warn(row, "不予受理未注明理由，理由记为“台账未注明理由”")
            registry.decide(session, matter_id=matter_id, decision=decision, on=on,
                            reason=v.result or "台账未注明理由", competent_body=v.units or "台账未注明")
        elif decision is Decision.ANSWER:
            registry.decide(session, matter_id=matter_id, decision=decision, on=on, reason=v.result or "已当场答复")
        elif decision is Decision.FILE:
            registry.decide(session, matter_id=matter_id, decision=decision, on=on, reason=v.result)
        else:
            registry.decide(session, matter_id=matter_id, decision=decision, on=on)
        matter = load_matter(session, matter_id)
        if v.due_on is not None and matter.due_on is not None and v.due_on != matter.due_on and v.due_on > on:
            # the ledger's own deadline is what was set at the time
            matter.due_on = v.due_on


    # the fast way: replayed in memory, written in batches ------------------------------------
    def person(self, p: PetitionerInput) -> _Person:
        """The petitioner row a ledger's person becomes, as 登记 would: the same 身份证号 is the same person."""
        number = normalize_id_number(p.id_number) if p.id_number.strip() else ""
        sex = _value(p.sex or (check_id_number(number).sex if number else None))
        known = self.people.get(number) if number else None
        if number and known is None:
            driver = self.session.connection().connection.driver_connection
            assert driver is not None
            found = driver.execute(
                "SELECT id, name, sex, phone, address, region FROM petitioners WHERE id_number = ? LIMIT 1", (number,)
            ).fetchone()
            if found is not None:
                known = _Person(found[0], found[1], found[2], number, found[3], found[4], found[5], stored=True)
        if known is not None:
            update = {a: getattr(p, a).strip() for a in ("phone", "address", "region") if getattr(p, a).strip()}
            if p.name.strip():
                update["name"] = p.name.strip()
            if not known.sex and sex:
                update["sex"] = sex
            return replace(known, **update, changed=known.changed or any(
                getattr(known, a) != value for a, value in update.items()))
        return _Person(0, require_text(p.name, "姓名", max_len=64), sex, number, p.phone.strip(), p.address.strip(),
                       p.region.strip(), stored=False)

    def draft(self, row: ParsedRow, key: str) -> int:
        """Replay a row in memory and add its rows to the batch; raise on the first step the services would refuse.

        Nothing is kept of a row that raises: its ids, 序号, units and categories are taken only
        once every check has passed.
        """
        v = row.values
        data = self.matter_input(row)
        registry.validate_matter_input(data, self.today)
        id_warnings = registry.check_petitioners(data.petitioners)
        people: list[tuple[_Person, PetitionerRole]] = []
        for p in data.petitioners:
            if p.name.strip() or p.id_number.strip():
                person = self.person(p)
                if not any(person.id_number and person.id_number == other.id_number for other, _ in people):
                    people.append((person, p.role))
        received = data.received_on
        collective = data.collective
        if collective is None:
            collective = data.channel is Channel.VISIT and data.persons >= registry.COLLECTIVE_PERSONS
        m: dict[str, Any] = {
            "status": Status.PENDING, "decision": None, "decided_on": None, "decision_reason": "",
            "competent_body": "", "due_on": None, "replied_on": None, "reply_text": "", "followed_up_on": None,
            "satisfaction": None, "closed_on": None, "result": "", "void_reason": "",
        }
        notice_due = self.clock.notice_due(received)
        events: list[tuple[str, str, dict[str, Any] | None]] = [(EventKind.REGISTERED, registered_text(data), None)]
        if id_warnings:
            events.append((EventKind.ID_OVERRIDE, "经确认按原号码保存：" + "；".join(id_warnings), None))
        if data.proposal.strip():
            events.append((EventKind.PROPOSED, data.proposal.strip(), None))
        events.append((EventKind.IMPORTED, *self.imported_event(row, key)))

        plan = self.plan(row)
        instructions = []
        for leader, text in plan.instructions:
            require(Action.INSTRUCT, m["status"])
            leader, text = require_text(leader, "批示领导", max_len=32), require_text(text, "批示内容")
            instructions.append((leader, text))
            events.append((EventKind.INSTRUCTED, f"{leader}于{cn_date(received)}批示：{text}", None))
        transfers: list[_DraftTransfer] = []
        if plan.decision is not None:
            transfers = self.draft_decision(row, m, events, plan.decision, plan.decided_on, notice_due)

        def feedback(t: _DraftTransfer, on: date, text: str) -> None:
            require(Action.FEEDBACK, m["status"])
            if t.state is TransferState.ANSWERED:
                raise InvalidTransitionError(f"{t.unit}的反馈已经采纳，不能重复登记", field="反馈")
            require_not_before(on, t.sent_on, "反馈日期", "交办日期")
            require_not_future(on, "反馈日期", now=self.today)
            text = require_text(text, "反馈内容")
            t.feedback.append((on, text, v.result.strip()))
            t.state = TransferState.ANSWERED
            if v.result.strip():
                m["result"] = v.result.strip()
            events.append((EventKind.FEEDBACK, f"{cn_date(on)}收到{t.unit}反馈：{text}", {"transfer": t}))

        def unanswered(what: str) -> None:
            waiting = [t.unit for t in transfers if t.kind is TransferKind.ASSIGN and t.state is not TransferState.ANSWERED]
            if waiting:
                raise InvalidTransitionError(f"尚未收到{'、'.join(waiting)}的办理反馈，不能{what}", field=what)

        if v.feedback_on is not None:
            for t in transfers:
                feedback(t, v.feedback_on, v.result or "已反馈")
        if plan.status is Status.REPLIED and m["status"] is not Status.REPLIED:
            on = v.feedback_on or received
            require(Action.REPLY, m["status"])
            unanswered("答复")
            require_not_before(on, received, "答复日期", "登记日期")
            require_not_future(on, "答复日期", now=self.today)
            m.update(reply_text=require_text(v.result or "已答复", "答复内容"), replied_on=on, status=Status.REPLIED)
            events.append((EventKind.REPLIED, f"{cn_date(on)}书面答复：{m['reply_text']}", None))
        if v.closed_on is not None or plan.status is Status.CLOSED:
            closed_on = self.closing_day(row)
            for t in transfers:
                if t.kind is TransferKind.ASSIGN and not t.feedback:
                    feedback(t, closed_on, v.result or "已办结")
            require(Action.CLOSE, m["status"])
            unanswered("办结")
            require_not_before(closed_on, received, "办结日期", "登记日期")
            require_not_future(closed_on, "办结日期", now=self.today)
            if v.result.strip():
                m["result"] = v.result.strip()
            m.update(closed_on=closed_on, status=Status.CLOSED)
            events.append((EventKind.CLOSED, f"{cn_date(closed_on)}办结" + (f"：{m['result']}" if m["result"] else ""),
                           None))
        if plan.satisfaction is not None:
            on = v.closed_on or v.feedback_on or received
            require(Action.FOLLOW_UP, m["status"])
            require_not_before(on, m["replied_on"] or m["closed_on"] or received, "回访日期", "答复日期")
            require_not_future(on, "回访日期", now=self.today)
            m.update(followed_up_on=on, satisfaction=plan.satisfaction)
            events.append((EventKind.FOLLOWED_UP, f"{cn_date(on)}回访：{plan.satisfaction.value}", None))
        if plan.status is Status.VOIDED:
            require(Action.VOID, m["status"])
            events.append((EventKind.VOIDED, f"作废（原状态：{m['status'].value}）：{VOID_REASON}", None))
            m.update(status=Status.VOIDED, void_reason=VOID_REASON)

        # every check has passed: from here the row goes in
        category_id = self.category_id(row, v.category)
        unit_ids = [self.unit_id(row, t.unit) for t in transfers]
        for warning in id_warnings:
            self.warn(row, warning)
        self.check_final(row, plan, m["status"])
        seq = registry.next_seq(self.session, received.year)
        number = data.number.strip() if data.number else registry.format_number(self.prefix, received.year, seq)
        ids = self.ids
        matter_id = ids["matters"]
        ids["matters"] += 1
        self.numbers.add(number)
        rows = self.batch.rows
        rows["matters"].append((
            matter_id, received.year, seq, number, received.isoformat(), data.channel.value, data.source.value,
            _value(data.source_level if data.source is Source.ASSIGNED_FROM_ABOVE else None), data.purpose.value,
            _value(data.route or (Route.ORDINARY if data.purpose is Purpose.CLAIM else None)), category_id,
            data.place.strip(), data.title.strip(), data.content.strip(), data.demand.strip(), data.persons,
            collective, data.joint, data.anonymous, _value(data.skip_level), bool(data.repeat), None,
            data.involves_deputy, data.in_scope, data.receiving_leader.strip(), data.proposal.strip(),
            _value(m["decision"]), _day(m["decided_on"]), m["decision_reason"], m["competent_body"],
            notice_due.isoformat(), _day(m["due_on"]), False, "", m["status"].value, False, _day(m["replied_on"]),
            m["reply_text"], _day(m["followed_up_on"]), _value(m["satisfaction"]), _day(m["closed_on"]), m["result"],
            False, None, ReviewStage.FIRST.value, None, False, m["void_reason"], data.note.strip(), key,
            datetime.now().isoformat(" "),
        ))
        for position, (person, role) in enumerate(people):
            if not person.id:
                person.id = ids["petitioners"]
                ids["petitioners"] += 1
            if not person.stored:
                self.new_people[person.id] = person  # a later row's newer phone or address replaces it
            elif person.changed:
                self.changed_people[person.id] = person
            if person.id_number:
                self.people[person.id_number] = person
            rows["matter_petitioners"].append((matter_id, person.id, role.value, position))
        for t, unit_id in zip(transfers, unit_ids):
            t.id = ids["transfers"]
            ids["transfers"] += 1
            rows["transfers"].append((t.id, matter_id, unit_id, t.kind.value, t.role.value, t.sent_on.isoformat(),
                                      _day(t.due_on), t.state.value, 0))
            for on, text, result in t.feedback:
                rows["feedback"].append((ids["feedback"], t.id, on.isoformat(), text, result, True, ""))
                ids["feedback"] += 1
        for leader, text in instructions:
            rows["instructions"].append((ids["instructions"], matter_id, leader, received.isoformat(), text))
            ids["instructions"] += 1
        at = datetime.now().isoformat(" ")
        for kind, text, extra in events:
            if kind == EventKind.REGISTERED:
                extra = {"number": number}
            elif extra is not None and "transfer" in extra:
                extra = {"transfer_id": extra["transfer"].id}
            # as the ORM's JSON column stores it: no data is the JSON null
            rows["events"].append((ids["events"], matter_id, at, self.actor, kind, text, json.dumps(extra)))
            ids["events"] += 1
        return matter_id

    def draft_decision(self, row: ParsedRow, m: dict[str, Any], events: list[tuple[str, str, dict[str, Any] | None]],
                       decision: Decision, on: date, notice_due: date) -> list[_DraftTransfer]:
        """受理决定 as registry.decide makes it, on the draft."""
        v = row.values
        require(Action.DECIDE, m["status"])
        require_not_before(on, v.received_on, "决定日期", "登记日期")
        require_not_future(on, "决定日期", now=self.today)
        names = list(dict.fromkeys(n for n in _split(v.units, _LIST_SPLIT) if n))
        text = f"{cn_date(on)}决定{decision.value}"
        reason = body = ""
        transfers: list[_DraftTransfer] = []

        def send(kind: TransferKind, due: date | None) -> None:
            for i, name in enumerate(names):
                unit = self.unit_info(name)
                if unit is not None and not unit.active:
                    raise ValidationError(f"承办单位“{unit.name}”已停用，请选择其他单位", field="承办单位")
                role = TransferRole.LEAD if i == 0 or kind is TransferKind.FORWARD else TransferRole.ASSIST
                transfers.append(_DraftTransfer(0, name, kind, role, on, due))

        if decision is Decision.ASSIGN:
            if not names:
                raise ValidationError("台账没有写承办单位，无法登记交办", field="承办单位")
            send(TransferKind.ASSIGN, v.due_on if v.due_on is not None and v.due_on > on else self.clock.transfer_due(on))
            m["due_on"] = max(t.due_on for t in transfers if t.due_on is not None)
            text += "：" + "；".join(f"{t.unit}（{t.role.value}，限{cn_date(t.due_on)}前报结）"
                                    for t in transfers if t.due_on is not None)
        elif decision is Decision.FORWARD:
            if names and v.transferred_on is not None and all(self.unit_info(n) is not None for n in names):
                if len(names) != len([n for n in _split(v.units, _LIST_SPLIT) if n]):  # named twice: decide refuses
                    raise ValidationError("同一承办单位选择了两次，请去掉重复的单位", field="承办单位")
                send(TransferKind.FORWARD, None)
                body = "、".join(names)
            body = require_text(body or v.units or "台账未注明", "转送机关")
            text += f"至{body}"
        elif decision is Decision.REJECT:
            if not v.result.strip():
                self.warn(row, "不予受理未注明理由，理由记为“台账未注明理由”")
            reason = require_text(v.result or "台账未注明理由", "不予受理理由")
            body = require_text(v.units or "台账未注明", "有权处理机关")
            text += f"：{reason}；告知向{body}提出"
        elif decision is Decision.ANSWER:
            reason = require_text(v.result or "已当场答复", "答复内容")
            m.update(reply_text=reason, replied_on=on)
            text += f"：{reason}"
        elif decision is Decision.FILE:
            reason = v.result.strip()
            if reason:
                text += f"：{reason}"
        elif decision is Decision.ACCEPT:
            m["due_on"] = self.clock.handling_due(on)
            text += f"，限{cn_date(m['due_on'])}前办结"
        if on > notice_due:
            text += f"（超过{self.clock.periods.notice_days}日告知期限）"
        m.update(decision=decision, decided_on=on, decision_reason=reason, competent_body=body,
                 status=AFTER_DECISION[decision])
        events.append((EventKind.DECIDED, text, {"decision": decision.value}))
        if v.due_on is not None and m["due_on"] is not None and v.due_on != m["due_on"] and v.due_on > on:
            m["due_on"] = v.due_on  # the ledger's own deadline is what was set at the time
        return transfers

    def write(self) -> None:
        """The batch and the petitioners it made or changed, into the database."""
        self.batch.rows["petitioners"].extend(p.row() for p in self.new_people.values())
        for p in self.new_people.values():
            p.stored, p.changed = True, False
        self.new_people.clear()
        self.batch.write(self.session)
        if self.changed_people:
            driver = self.session.connection().connection.driver_connection
            assert driver is not None
            driver.executemany("UPDATE petitioners SET name = ?, sex = ?, phone = ?, address = ?, region = ? "
                               "WHERE id = ?", [(p.name, p.sex, p.phone, p.address, p.region, p.id)
                                                for p in self.changed_people.values()])
            for p in self.changed_people.values():
                p.changed = False
            self.changed_people.clear()


def import_ledger(
    session: Session,
    ledger: ParsedLedger,
    *,
    progress: Callable[[int, int], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> ImportReport:
    """Register every readable row of a parsed ledger, in the caller's one transaction.

    A row already imported (same content) or whose 编号 is already used adds nothing. A row
    the services refuse is reported as skipped. Raise nothing for a row; the caller commits
    (or, for a preview or dry run, rolls back).
    """
    importer = _Importer(session, ledger.source_name)
    skipped: list[SkippedRow] = list(ledger.skipped)
    for parsed in ledger.rows:
        for text in parsed.warnings:
            importer.warn(parsed, text)
    imported: list[int] = []
    order = {sheet.name: i for i, sheet in enumerate(ledger.sheets)}
    # this import's rows so far; earlier ones are asked of the unique indexes row by row, which
    # at a million matters beats reading every 编号 into memory
    seen: set[str] = set()
    numbers = importer.numbers
    driver = session.connection().connection.driver_connection
    assert driver is not None

    def stored(column: str, value: str) -> bool:
        return driver.execute(f"SELECT 1 FROM matters WHERE {column} = ?", (value,)).fetchone() is not None

    duplicates = 0
    registry.hold_numbering(session)
    try:
        total = len(ledger.rows)
        for done, row in enumerate(ledger.rows, 1):
            key = import_key(row.values)
            number = row.values.number.strip()
            if key in seen or stored("import_key", key):
                duplicates += 1
            elif number and not number.isdigit() and (number in numbers or stored("number", number)):
                seen.add(key)
                importer.warn(row, f"编号“{number}”已在数据库中，视为已导入，未重复登记")
                duplicates += 1
            else:
                seen.add(key)
                matter_id = _import_row(session, importer, row, key, skipped)
                if matter_id is not None:
                    imported.append(matter_id)
            if len(importer.batch) >= BATCH:
                importer.write()
            if done % PROGRESS_EVERY == 0 or done == total:
                if progress is not None:
                    progress(done, total)
                if cancelled is not None and cancelled():
                    raise XinfangError("导入已取消，未写入任何数据")
        importer.write()
    finally:
        registry.hold_numbering(session, on=False)
    skipped.sort(key=lambda s: (order.get(s.sheet, 0), s.row))
    log.info("ledger %s: %d imported, %d duplicates, %d skipped", ledger.source_name, len(imported), duplicates,
             len(skipped))
    return ImportReport(
        rows_read=ledger.rows_read,
        imported=len(imported),
        duplicates=duplicates,
        skipped=tuple(skipped),
        warnings=tuple(importer.warnings),
        matter_ids=tuple(imported),
    )


def _import_row(session: Session, importer: _Importer, row: ParsedRow, key: str,
                skipped: list[SkippedRow]) -> int | None:
    """Import one row: replayed in memory, or (when that is refused) through the services; None if skipped."""
    warned, ids = len(importer.warnings), dict(importer.ids)
    try:
        return importer.draft(row, key)
    except XinfangError:
        del importer.warnings[warned:]
        importer.ids = ids
    # the services must see every earlier row, and their rows take ids after the batch's
    importer.write()
    try:
        with session.begin_nested():
            matter_id = importer.register(row, key)
            importer.handle(row, matter_id)
        importer.numbers.add(load_matter(session, matter_id).number)
    except XinfangError as exc:
        importer.forget()
        skipped.append(SkippedRow(row.sheet, row.row, exc.message, row.raw))
        return None
    finally:
        importer.current = None
        session.flush()
        session.expunge_all()
        importer.ids = next_ids(session)
    return matter_id
