"""台账 in and out: matters as ledger rows (streamed), and parsed ledger rows registered through the usual services."""

from __future__ import annotations

import hashlib
import logging
import re
from collections.abc import Callable, Iterator
from dataclasses import astuple, dataclass, field
from datetime import date
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
    Satisfaction,
    SkipLevel,
    Source,
    SourceLevel,
    Status,
    TransferKind,
    TransferRole,
    UnitKind,
)
from xinfang_desktop.domain.errors import XinfangError
from xinfang_desktop.domain.idcard import normalize_id_number
from xinfang_desktop.domain.ledger import (
    ImportReport,
    LedgerRow,
    ParsedLedger,
    ParsedRow,
    RowProblem,
    SkippedRow,
)
from xinfang_desktop.domain.values import (
    MatterFilter,
    MatterInput,
    PetitionerInput,
    TransferTarget,
)
from xinfang_desktop.services import handling, registry
from xinfang_desktop.services.common import (
    add_event,
    cn_date,
    drop_held_events,
    get_setting,
    hold_events,
    load_matter,
    write_held_events,
)
from xinfang_desktop.services.reference import (
    add_category,
    add_unit,
    find_category,
    find_unit,
)
from xinfang_desktop.services.search import _apply_filter

log = logging.getLogger(__name__)

BATCH = 500
FAST_BATCH = 25  # rows tried together without savepoints; a batch with a failure is redone row by row
EXPUNGE_EVERY = 200  # a multiple of FAST_BATCH
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
                petitioners="、".join(p.name for p in persons),
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
def import_key(values: LedgerRow) -> str:
    """A stable key from the row's own content: the same row imported again is recognised."""
    text = "\x1f".join("" if v is None else str(v) for v in astuple(values))
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


class _Importer:
    """One import run inside the caller's transaction; each row in its own savepoint."""

    def __init__(self, session: Session, source_name: str) -> None:
        self.session = session
        self.source_name = source_name
        self.warnings: list[RowProblem] = []
        self.units: dict[str, int] = {}
        self.categories: dict[str, int | None] = {}
        self.current: Matter | None = None
        self.careful = True  # each row and step in its own savepoint

    def warn(self, row: ParsedRow, text: str) -> None:
        self.warnings.append(RowProblem(row.sheet, row.row, text))

    # reference lists: found by name, added when the ledger names one we do not have
    def unit_id(self, row: ParsedRow, name: str) -> int:
        if name not in self.units:
            found = find_unit(self.session, name)
            if found is None:
                kind = UnitKind.TOWNSHIP if name.endswith(("镇", "乡", "镇人民政府", "乡人民政府", "街道")) else UnitKind.OTHER
                found = add_unit(self.session, name=name, kind=kind)
                self.warn(row, f"承办单位“{name}”不在单位名单中，导入时新增")
            self.units[name] = found.id
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
        names = [n for n in _split(v.petitioners) if n]
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
        named = len([n for n in _split(v.petitioners) if n])
        if channel is Channel.VISIT and named > v.persons:
            if "persons" in row.columns and v.persons > 1:
                self.warn(row, f"人数{v.persons}少于登记的来访人{named}名，按{named}人登记")
            return named
        return max(v.persons, 1)

    def step(self, row: ParsedRow, what: str, action: Callable[[], object]) -> bool:
        """A later step (批示, 交办, 反馈, 办结…) that fails leaves the matter registered, with a warning.

        In a fast pass the step runs bare and a failure goes up, to have the batch redone carefully.
        """
        if not self.careful:
            action()
            return True
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

    def register(self, row: ParsedRow, key: str) -> int:
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
        data = MatterInput(
            received_on=v.received_on,
            channel=channel,
            title=v.title.strip()[:200] or (v.demand.strip()[:200] if v.demand.strip() else ""),
            petitioners=self.petitioners(row, v.collective),
            source=source,
            source_level=level,
            purpose=purpose,
            category_id=self.category_id(row, v.category),
            place=v.place,
            demand=v.demand,
            persons=self.persons(row, channel),
            joint=v.joint,
            anonymous=v.anonymous,
            skip_level=skip,
            proposal=proposal if decision is None else "",
            note=v.note,
            accept_id_warnings=True,  # an old ledger's numbers are history: warn, keep
            # the ledger's own flags are kept as it says; with no such column, register decides
            collective=v.collective if "collective" in row.columns else None,
            repeat=v.repeat,
            number=number or None,
        )
        ref = registry.register_matter(self.session, data)
        for warning in ref.warnings:
            self.warn(row, warning)
        matter = load_matter(self.session, ref.id)
        # the identity map holds objects weakly: without this every service call reloads it
        self.current = matter
        matter.import_key = key
        add_event(
            self.session,
            matter,
            EventKind.IMPORTED,
            f"从台账“{self.source_name}”工作表“{row.sheet}”第{row.row}行导入",
            {"file": self.source_name, "sheet": row.sheet, "row": row.row, "import_key": key},
        )
        return ref.id

    def handle(self, row: ParsedRow, matter_id: int) -> None:
        """Replay what the ledger says happened, through the same services the clerk uses."""
        v = row.values
        session = self.session
        for entry in _split(v.instruction, re.compile(r"[；;\n]")):
            if not entry:
                continue
            leader, sep, text = entry.partition("：")
            if not sep:
                leader, sep, text = entry.partition(":")
            if not sep or not text.strip():
                leader, text = "领导", entry
            self.step(row, "领导批示", lambda leader=leader, text=text: registry.instruct(
                session, matter_id=matter_id, leader=leader.strip()[:32], on=v.received_on, text=text.strip()))
        decision, _ = _decision(v.handling, v.units)
        status = _status(v.status)
        if v.status.strip() and status is None:
            self.warn(row, f"状态“{v.status}”无法识别，按台账其他各列登记")
        decided_on = v.transferred_on or v.received_on
        if decision is None and (v.closed_on is not None or status in (Status.CLOSED, Status.REPLIED)):
            decision = Decision.ACCEPT  # handled without a recorded decision: it was accepted
        if decision is not None:
            self.step(row, "受理决定", lambda: self.decide(row, matter_id, decision, decided_on))
        matter = load_matter(session, matter_id)
        if v.feedback_on is not None and matter.transfers:
            for transfer in self.transfers(matter):
                self.step(row, "反馈", lambda t=transfer: handling.record_feedback(
                    session, transfer_id=t.id, received_on=v.feedback_on or v.received_on,
                    text=v.result or "已反馈", result=v.result))
        if status is Status.REPLIED and matter.status is not Status.REPLIED:
            self.step(row, "答复", lambda: handling.reply(
                session, matter_id=matter_id, on=v.feedback_on or v.received_on, text=v.result or "已答复"))
        if v.closed_on is not None or status is Status.CLOSED:
            closed_on = v.closed_on or v.feedback_on or v.received_on
            if v.closed_on is None:
                self.warn(row, f"台账注明已办结但没有办结日期，按{cn_date(closed_on)}登记")
            # a closed 交办 matter whose feedback the ledger left out: its report came in by closure
            for transfer in self.transfers(load_matter(session, matter_id)):
                if transfer.kind is TransferKind.ASSIGN and not transfer.feedback:
                    self.step(row, "反馈", lambda t=transfer: handling.record_feedback(
                        session, transfer_id=t.id, received_on=closed_on, text=v.result or "已办结",
                        result=v.result))
            self.step(row, "办结", lambda: handling.close(session, matter_id=matter_id, on=closed_on, result=v.result))
        satisfaction = _satisfaction(v.satisfaction)
        if v.satisfaction.strip() and satisfaction is None:
            self.warn(row, f"满意度“{v.satisfaction}”无法识别，未登记回访")
        if satisfaction is not None:
            on = v.closed_on or v.feedback_on or v.received_on
            self.step(row, "回访", lambda: handling.follow_up(session, matter_id=matter_id, on=on,
                                                              satisfaction=satisfaction))
        if status is Status.VOIDED:
            self.step(row, "作废", lambda: registry.void(session, matter_id=matter_id, reason="台账注明已作废"))
        final = load_matter(session, matter_id).status
        if status is not None and final is not status and status is not Status.IN_PROGRESS:
            self.warn(row, f"台账状态为“{status.value}”，导入后为“{final.value}”，请核对")

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


def import_ledger(
    session: Session,
    ledger: ParsedLedger,
    *,
    progress: Callable[[int, int], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> ImportReport:
    """Register every readable row of a parsed ledger, in the caller's one transaction.

    A row already imported (same content) or whose 编号 is already used adds nothing. A row
    the services refuse is rolled back to its savepoint and reported as skipped. Raise
    nothing for a row; the caller commits (or, for a preview or dry run, rolls back).
    """
    importer = _Importer(session, ledger.source_name)
    skipped: list[SkippedRow] = list(ledger.skipped)
    for parsed in ledger.rows:
        for text in parsed.warnings:
            importer.warn(parsed, text)
    imported: list[int] = []
    order = {sheet.name: i for i, sheet in enumerate(ledger.sheets)}
    # what is already in the database, read once rather than asked row by row
    seen: set[str] = set(session.scalars(select(Matter.import_key).where(Matter.import_key.is_not(None))))
    numbers: set[str] = set(session.scalars(select(Matter.number)))
    state = _State(seen, numbers, imported, skipped)
    registry.hold_numbering(session)
    try:
        _import_rows(session, importer, ledger, state, progress, cancelled)
    finally:
        registry.hold_numbering(session, on=False)
    duplicates = state.duplicates
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


def _import_rows(
    session: Session,
    importer: _Importer,
    ledger: ParsedLedger,
    state: _State,
    progress: Callable[[int, int], None] | None,
    cancelled: Callable[[], bool] | None,
) -> None:
    """The rows in batches: a fast pass each, redone row by row when any part fails."""
    rows = ledger.rows
    total = len(rows)
    with session.no_autoflush:
        held = _hold_lists(session)
        for start in range(0, total, FAST_BATCH):
            batch = rows[start : start + FAST_BATCH]
            if not _fast_pass(session, importer, batch, state):
                # start the careful redo from a clean session: nothing of the undone pass lingers
                session.expunge_all()
                held = _hold_lists(session)
                for row in batch:
                    state.duplicates += _import_row(session, importer, row, state)
            done = start + len(batch)
            if done % EXPUNGE_EVERY == 0:
                # every row is flushed; letting go of its objects keeps each flush small
                session.expunge_all()
                held = _hold_lists(session)
            if progress is not None:
                progress(done, total)
            if cancelled is not None and cancelled():
                raise XinfangError("导入已取消，未写入任何数据")
        del held


def _hold_lists(session: Session) -> list[object]:
    """Units and categories held in the session: the services read them on every row.

    The session's identity map holds objects weakly, so each read of an object nobody holds
    is a query again; the caller keeps the list returned for as long as it imports.
    """
    return [*session.scalars(select(Unit)), *session.scalars(select(Category))]


@dataclass
class _State:
    """What an import has done so far, with a journal of the keys a fast pass added (to undo them)."""

    seen: set[str]
    numbers: set[str]
    imported: list[int]
    skipped: list[SkippedRow]
    duplicates: int = 0
    journal: list[tuple[set[str], str]] = field(default_factory=list)

    def add(self, target: set[str], value: str) -> None:
        if value not in target:
            target.add(value)
            self.journal.append((target, value))


def _fast_pass(session: Session, importer: _Importer, batch: tuple[ParsedRow, ...], state: _State) -> bool:
    """Import a batch in one savepoint, with none per row or step; False (all undone) if any part fails.

    A savepoint per row and per step is a fifth of the import's time; most ledger rows go
    in cleanly, so a batch goes first without them and only a batch with a failure is redone
    row by row, where the failure becomes a skipped row or a warning as it should.
    """
    marks = (len(importer.warnings), len(state.imported), len(state.skipped), state.duplicates)
    state.journal.clear()
    importer.careful = False
    hold_events(session)  # the batch's timeline goes in as one executemany
    try:
        with session.begin_nested():
            for row in batch:
                state.duplicates += _import_row(session, importer, row, state)
            write_held_events(session)
        return True
    except XinfangError:
        drop_held_events(session)
        for target, value in state.journal:
            target.discard(value)
        del importer.warnings[marks[0] :]
        del state.imported[marks[1] :]
        del state.skipped[marks[2] :]
        state.duplicates = marks[3]
        importer.forget()
        importer.current = None
        return False
    finally:
        drop_held_events(session)
        state.journal.clear()
        importer.careful = True


def _import_row(session: Session, importer: _Importer, row: ParsedRow, state: _State) -> int:
    """Import one row (in its own savepoint when careful); returns 1 when it was already there."""
    key = import_key(row.values)
    number = row.values.number.strip()
    if key in state.seen:
        return 1
    state.add(state.seen, key)
    if number and not number.isdigit() and number in state.numbers:
        importer.warn(row, f"编号“{number}”已在数据库中，视为已导入，未重复登记")
        return 1
    if not importer.careful:
        matter_id = importer.register(row, key)
        importer.handle(row, matter_id)
    else:
        try:
            with session.begin_nested():
                matter_id = importer.register(row, key)
                importer.handle(row, matter_id)
        except XinfangError as exc:
            importer.forget()
            state.skipped.append(SkippedRow(row.sheet, row.row, exc.message, row.raw))
            return 0
    state.imported.append(matter_id)
    state.add(state.numbers, session.get(Matter, matter_id).number)  # type: ignore[union-attr]
    importer.current = None
    return 0
