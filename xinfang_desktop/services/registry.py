"""登记, 拟办, 领导批示, 受理决定, edits, attachments and 作废: a matter's first steps."""

from __future__ import annotations

import hashlib
import logging
import shutil
from datetime import date, datetime
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from xinfang_desktop.db.models import (
    Attachment,
    Category,
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
    Source,
    Status,
    TransferKind,
    TransferRole,
)
from xinfang_desktop.domain.errors import (
    ConfirmationRequired,
    NotFoundError,
    ValidationError,
)
from xinfang_desktop.domain.idcard import check_id_number, normalize_id_number
from xinfang_desktop.domain.status import AFTER_DECISION, Action
from xinfang_desktop.domain.validation import check_petitioner_phones
from xinfang_desktop.domain.values import (
    MatterInput,
    MatterRef,
    PetitionerInput,
    TransferTarget,
)
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
from xinfang_desktop.services.convert import matter_ref

log = logging.getLogger(__name__)

MAX_REPRESENTATIVES = 5  # Art. 20
COLLECTIVE_PERSONS = 5  # a visit of five or more is a 集体访


def format_number(prefix: str, year: int, seq: int) -> str:
    return f"{prefix}〔{year}〕{seq:04d}号"


# A bulk job (the ledger import) keeps the last 序号 of each year instead of asking per matter.
_HELD_SEQ = "xinfang_held_seq"


def next_seq(session: Session, year: int) -> int:
    held: dict[int, int] | None = session.info.get(_HELD_SEQ)
    if held is not None and year in held:
        held[year] += 1
        return held[year]
    seq = (session.scalar(select(func.max(Matter.seq)).where(Matter.year == year)) or 0) + 1
    if held is not None:
        held[year] = seq
    return seq


def hold_numbering(session: Session, on: bool = True) -> None:
    """Keep (or stop keeping) each year's last 序号 in the session; the one writer must be this module."""
    if on:
        session.info[_HELD_SEQ] = {}
    else:
        session.info.pop(_HELD_SEQ, None)


def forget_numbering(session: Session) -> None:
    """After a rollback the kept 序号 may be ahead of the database: read them afresh."""
    held = session.info.get(_HELD_SEQ)
    if held is not None:
        held.clear()


def validate_matter_input(data: MatterInput, now: date) -> None:
    """The checks of 登记 that need nothing but the form (and today)."""
    require_text(data.title, "标题", max_len=200)
    require_not_future(data.received_on, "登记日期", now=now)
    if data.persons < 1:
        raise ValidationError("“人数”至少为1，请填写来访或联名的人数", field="人数")
    if data.persons > 100000:
        raise ValidationError("“人数”过大，请核对", field="人数")
    reps = [p for p in data.petitioners if p.role is PetitionerRole.REPRESENTATIVE]
    if len(reps) > MAX_REPRESENTATIVES:
        raise ValidationError(
            f"多人来访推选的代表人不超过{MAX_REPRESENTATIVES}人（信访工作条例第二十条），现在是{len(reps)}人",
            field="代表人",
        )
    named = [p for p in data.petitioners if p.name.strip()]
    if not data.anonymous and not named:
        raise ValidationError("请填写信访人“姓名”；不愿留名的请勾选“匿名”", field="姓名")
    if len(named) > data.persons and data.channel is Channel.VISIT:
        raise ValidationError(
            f"登记了{len(named)}名来访人，但“人数”只有{data.persons}，请核对人数", field="人数"
        )
    if data.source is Source.ASSIGNED_FROM_ABOVE and data.source_level is None:
        raise ValidationError("上级交办件请选择交办层级（国家/省/市/县）", field="来源层级")
    if data.route is not None and data.purpose is not Purpose.CLAIM:
        raise ValidationError("只有申诉求决类事项需要选择办理途径", field="办理途径")


def check_petitioners(petitioners: tuple[PetitionerInput, ...]) -> list[str]:
    """The ID-number warnings for the petitioners of a form, one Chinese line each."""
    warnings = []
    for p in petitioners:
        if p.id_number.strip():
            result = check_id_number(p.id_number)
            if not result.ok:
                warnings.append(f"{p.name or '信访人'}的身份证号{result.number}：{result.reason}")
    return warnings


def _petitioner_row(session: Session, data: PetitionerInput, made: dict[str, Petitioner]) -> Petitioner:
    """The same 身份证号 is the same person: reuse the row, refresh what the clerk typed anew.

    `made` holds the rows this form added by number, not yet flushed (a query cannot see them).
    """
    number = normalize_id_number(data.id_number) if data.id_number.strip() else ""
    sex = data.sex
    if number:
        checked = check_id_number(number)
        sex = sex or checked.sex
        existing = made.get(number)
        if existing is None:
            existing = session.scalar(select(Petitioner).where(Petitioner.id_number == number).limit(1))
        if existing is not None:
            for attr in ("phone", "address", "region"):
                value = getattr(data, attr).strip()
                if value:
                    setattr(existing, attr, value)
            if data.name.strip():
                existing.name = data.name.strip()
            existing.sex = existing.sex or sex
            return existing
    row = Petitioner(
        name=require_text(data.name, "姓名", max_len=64),
        sex=sex,
        id_number=number,
        phone=data.phone.strip(),
        address=data.address.strip(),
        region=data.region.strip(),
    )
    session.add(row)
    if number:
        made[number] = row
    return row


def register_matter(session: Session, data: MatterInput, *, now: date | None = None) -> MatterRef:
    """登记: a new matter with its petitioners; returns its number and any warnings.

    A bad ID check digit raises ConfirmationRequired unless `accept_id_warnings` is set,
    in which case the override is written on the timeline.
    """
    current = now or today()
    validate_matter_input(data, current)
    check_petitioner_phones(data.petitioners)
    id_warnings = check_petitioners(data.petitioners)
    if id_warnings and not data.accept_id_warnings:
        raise ConfirmationRequired("；".join(id_warnings) + "。确认号码无误仍要保存吗？", field="身份证号")
    if data.category_id is not None and session.get(Category, data.category_id) is None:
        raise NotFoundError("所选问题分类不存在，请重新选择", field="问题分类")
    repeat_of = None
    if data.repeat_of_id is not None:
        repeat_of = load_matter(session, data.repeat_of_id)

    year = data.received_on.year
    if data.number:
        number = data.number.strip()
        if session.scalar(select(Matter.id).where(Matter.number == number)) is not None:
            raise ValidationError(f"编号“{number}”已被使用，请换一个编号", field="编号")
        seq = next_seq(session, year)
    else:
        seq = next_seq(session, year)
        number = format_number(str(get_setting(session, "number_prefix")), year, seq)
    route = data.route
    if data.purpose is Purpose.CLAIM and route is None:
        route = Route.ORDINARY
    collective = data.collective
    if collective is None:
        collective = data.channel is Channel.VISIT and data.persons >= COLLECTIVE_PERSONS
    matter = Matter(
        year=year,
        seq=seq,
        number=number,
        received_on=data.received_on,
        channel=data.channel,
        source=data.source,
        source_level=data.source_level if data.source is Source.ASSIGNED_FROM_ABOVE else None,
        purpose=data.purpose,
        route=route,
        category_id=data.category_id,
        place=data.place.strip(),
        title=data.title.strip(),
        content=data.content.strip(),
        demand=data.demand.strip(),
        persons=data.persons,
        collective=collective,
        joint=data.joint,
        anonymous=data.anonymous,
        skip_level=data.skip_level,
        repeat=bool(data.repeat) or repeat_of is not None,
        repeat_of_id=repeat_of.id if repeat_of is not None else None,
        involves_deputy=data.involves_deputy,
        in_scope=data.in_scope,
        receiving_leader=data.receiving_leader.strip(),
        proposal=data.proposal.strip(),
        notice_due=clock(session).notice_due(data.received_on),
        status=Status.PENDING,
        stage=ReviewStage.FIRST,
        note=data.note.strip(),
        created_at=datetime.now(),
    )
    session.add(matter)
    # links by relationship, one flush at the end: a flush per row costs more than its SQL
    made: dict[str, Petitioner] = {}
    linked: list[Petitioner] = []
    for position, p in enumerate(x for x in data.petitioners if x.name.strip() or x.id_number.strip()):
        row = _petitioner_row(session, p, made)
        if any(row is other for other in linked):
            continue
        linked.append(row)
        session.add(MatterPetitioner(matter=matter, petitioner=row, role=p.role, position=position))
    session.flush()
    add_event(session, matter, EventKind.REGISTERED, registered_text(data), {"number": number})
    warnings: list[str] = []
    if id_warnings:
        add_event(session, matter, EventKind.ID_OVERRIDE, "经确认按原号码保存：" + "；".join(id_warnings))
        warnings.extend(id_warnings)
    if data.proposal.strip():
        add_event(session, matter, EventKind.PROPOSED, data.proposal.strip())
    if repeat_of is not None:
        add_event(session, matter, EventKind.REPEAT_LINKED, f"确认为重复信访，原事项{repeat_of.number}")
        if repeat_of.final:
            warnings.append(f"原事项{repeat_of.number}已复核终结：同一事实和理由不再受理（条例第三十六条）")
    log.info("registered %s", number)
    return matter_ref(matter, tuple(warnings))


def registered_text(data: MatterInput) -> str:
    """The timeline's line for 登记."""
    names = "、".join(p.name for p in data.petitioners if p.name.strip()) or "匿名"
    return f"登记{data.channel.value}：{data.title.strip()}（信访人：{names}，人数{data.persons}）"


_EDITABLE = {
    "received_on": "登记日期",
    "channel": "信访形式",
    "source": "来源",
    "source_level": "来源层级",
    "purpose": "信访目的",
    "route": "办理途径",
    "category_id": "问题分类",
    "place": "问题发生地",
    "title": "标题",
    "content": "反映内容",
    "demand": "诉求",
    "persons": "人数",
    "joint": "联名信",
    "anonymous": "匿名",
    "skip_level": "越级",
    "repeat": "重复信访",
    "involves_deputy": "涉及人大代表",
    "in_scope": "属于本机关受理范围",
    "receiving_leader": "接访领导",
    "note": "备注",
}


def update_matter(session: Session, *, matter_id: int, changes: dict[str, object]) -> MatterRef:
    """Correct registered fields; each change is named on the timeline with old and new value."""
    matter = load_matter(session, matter_id, Action.EDIT)
    unknown = set(changes) - set(_EDITABLE)
    if unknown:
        raise ValidationError(f"这些项不能在此修改：{'、'.join(sorted(unknown))}")
    if "title" in changes:
        changes = {**changes, "title": require_text(str(changes["title"]), "标题", max_len=200)}
    if "persons" in changes and int(str(changes["persons"])) < 1:
        raise ValidationError("“人数”至少为1", field="人数")
    if "received_on" in changes:
        received = changes["received_on"]
        assert isinstance(received, date)
        require_not_future(received, "登记日期")
        if matter.decided_on is not None and received > matter.decided_on:
            raise ValidationError(
                f"“登记日期”{cn_date(received)}晚于受理决定日期{cn_date(matter.decided_on)}，请核对日期", field="登记日期"
            )
    lines = []
    for key, value in changes.items():
        old = getattr(matter, key)
        if old != value:
            setattr(matter, key, value)
            lines.append(f"{_EDITABLE[key]}：{_show(old)} → {_show(value)}")
    if "persons" in changes or "channel" in changes:
        matter.collective = matter.channel is Channel.VISIT and matter.persons >= COLLECTIVE_PERSONS
    if "received_on" in changes:
        # the 15-day notice runs from receipt: a corrected 登记日期 moves it
        matter.notice_due = clock(session).notice_due(matter.received_on)
    if lines:
        add_event(session, matter, EventKind.EDITED, "；".join(lines))
    session.flush()
    return matter_ref(matter)


def _show(value: object) -> str:
    if value is None or value == "":
        return "（空）"
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, date):
        return cn_date(value)
    return str(getattr(value, "value", value))


def propose(session: Session, *, matter_id: int, text: str) -> MatterRef:
    """拟办意见."""
    matter = load_matter(session, matter_id, Action.PROPOSE)
    matter.proposal = require_text(text, "拟办意见")
    add_event(session, matter, EventKind.PROPOSED, matter.proposal)
    return matter_ref(matter)


def instruct(session: Session, *, matter_id: int, leader: str, on: date, text: str) -> MatterRef:
    """领导批示: who, when, what."""
    matter = load_matter(session, matter_id, Action.INSTRUCT)
    leader = require_text(leader, "批示领导", max_len=32)
    text = require_text(text, "批示内容")
    require_not_before(on, matter.received_on, "批示日期", "登记日期")
    session.add(Instruction(matter_id=matter.id, leader=leader, on=on, text=text))
    add_event(session, matter, EventKind.INSTRUCTED, f"{leader}于{cn_date(on)}批示：{text}")
    return matter_ref(matter)


def _transfer_rows(
    session: Session, matter: Matter, kind: TransferKind, targets: tuple[TransferTarget, ...], on: date
) -> list[Transfer]:
    if not targets:
        raise ValidationError("请选择至少一个承办单位", field="承办单位")
    if kind is TransferKind.ASSIGN and not any(t.role is TransferRole.LEAD for t in targets):
        raise ValidationError("请指定一个主办单位", field="承办单位")
    unit_ids = [t.unit_id for t in targets]
    if len(set(unit_ids)) != len(unit_ids):
        raise ValidationError("同一承办单位选择了两次，请去掉重复的单位", field="承办单位")
    the_clock = clock(session)
    rows = []
    for target in targets:
        unit = session.get(Unit, target.unit_id)
        if unit is None:
            raise NotFoundError("所选承办单位不存在，请重新选择", field="承办单位")
        if not unit.active:
            raise ValidationError(f"承办单位“{unit.name}”已停用，请选择其他单位", field="承办单位")
        due = None
        if kind is TransferKind.ASSIGN:
            due = target.due_on or the_clock.transfer_due(on)
            if due <= on:
                raise ValidationError(
                    f"“办理期限”{cn_date(due)}应晚于交办日期{cn_date(on)}，请重新填写", field="办理期限"
                )
        # by relationship: matter.transfers and row.unit hold without a flush
        row = Transfer(matter=matter, unit=unit, kind=kind, role=target.role, sent_on=on, due_on=due)
        session.add(row)
        rows.append(row)
    return rows


def _describe_transfers(rows: list[Transfer]) -> str:
    parts = []
    for row in rows:
        due = f"，限{cn_date(row.due_on)}前报结" if row.due_on else ""
        parts.append(f"{row.unit.name}（{row.role.value}{due}）")
    return "；".join(parts)


def decide(
    session: Session,
    *,
    matter_id: int,
    decision: Decision,
    on: date,
    reason: str = "",
    competent_body: str = "",
    targets: tuple[TransferTarget, ...] = (),
) -> MatterRef:
    """受理决定: 受理 / 不予受理 / 转送 / 交办 / 直接答复 / 存查."""
    matter = load_matter(session, matter_id, Action.DECIDE)
    require_not_before(on, matter.received_on, "决定日期", "登记日期")
    require_not_future(on, "决定日期")
    reason = reason.strip()
    competent_body = competent_body.strip()
    the_clock = clock(session)
    text = f"{cn_date(on)}决定{decision.value}"
    if decision is Decision.REJECT:
        reason = require_text(reason, "不予受理理由")
        competent_body = require_text(competent_body, "有权处理机关")
        text += f"：{reason}；告知向{competent_body}提出"
    elif decision is Decision.ACCEPT:
        matter.due_on = the_clock.handling_due(on)
        text += f"，限{cn_date(matter.due_on)}前办结"
    elif decision is Decision.ASSIGN:
        rows = _transfer_rows(session, matter, TransferKind.ASSIGN, targets, on)
        matter.due_on = max(r.due_on for r in rows if r.due_on is not None)
        text += "：" + _describe_transfers(rows)
    elif decision is Decision.FORWARD:
        if targets:
            rows = _transfer_rows(session, matter, TransferKind.FORWARD, targets, on)
            competent_body = competent_body or "、".join(r.unit.name for r in rows)
        competent_body = require_text(competent_body, "转送机关")
        text += f"至{competent_body}"
    elif decision is Decision.ANSWER:
        matter.reply_text = require_text(reason, "答复内容")
        matter.replied_on = on
        text += f"：{matter.reply_text}"
    elif decision is Decision.FILE and reason:
        text += f"：{reason}"
    if on > matter.notice_due:
        text += f"（超过{the_clock.periods.notice_days}日告知期限）"
    matter.decision = decision
    matter.decided_on = on
    matter.decision_reason = reason
    matter.competent_body = competent_body
    matter.status = AFTER_DECISION[decision]
    add_event(session, matter, EventKind.DECIDED, text, {"decision": decision.value})
    return matter_ref(matter)


def transfer(session: Session, *, matter_id: int, targets: tuple[TransferTarget, ...], on: date) -> MatterRef:
    """交办 an accepted matter to (more) units after the decision."""
    matter = load_matter(session, matter_id, Action.TRANSFER)
    require_not_before(on, matter.received_on, "交办日期", "登记日期")
    rows = _transfer_rows(session, matter, TransferKind.ASSIGN, targets, on)
    dues = [r.due_on for r in rows if r.due_on is not None] + ([matter.due_on] if matter.due_on else [])
    matter.due_on = max(dues)
    add_event(session, matter, EventKind.TRANSFERRED, f"{cn_date(on)}交办：" + _describe_transfers(rows))
    return matter_ref(matter)


def void(session: Session, *, matter_id: int, reason: str) -> MatterRef:
    """作废 with a reason; the matter and its timeline stay."""
    matter = load_matter(session, matter_id, Action.VOID)
    reason = require_text(reason, "作废原因")
    before = matter.status
    matter.status = Status.VOIDED
    matter.void_reason = reason
    add_event(session, matter, EventKind.VOIDED, f"作废（原状态：{before.value}）：{reason}")
    return matter_ref(matter)


def add_attachment(session: Session, *, matter_id: int, source: Path, store_dir: Path) -> MatterRef:
    """Copy a scan into the attachments folder (named by its sha256) and record it."""
    matter = load_matter(session, matter_id)
    try:
        data = source.read_bytes()
    except OSError as exc:
        raise ValidationError(f"附件“{source.name}”无法读取（{exc.strerror}），请检查文件后重试", field="附件") from exc
    digest = hashlib.sha256(data).hexdigest()
    store_dir.mkdir(parents=True, exist_ok=True)
    target = store_dir / f"{digest}{source.suffix.lower()}"
    if not target.exists():
        tmp = target.with_suffix(target.suffix + ".part")
        tmp.write_bytes(data)
        shutil.move(tmp, target)
    session.add(
        Attachment(
            matter_id=matter.id,
            filename=source.name,
            stored_path=target.name,
            sha256=digest,
            size=len(data),
            added_at=datetime.now(),
        )
    )
    add_event(session, matter, EventKind.ATTACHED, f"添加附件：{source.name}（{len(data)}字节）")
    return matter_ref(matter)


def register_with_attachments(
    session: Session, data: MatterInput, *, files: tuple[Path, ...], store_dir: Path
) -> MatterRef:
    """登记 and attach scans in one action: an unreadable file stops the whole registration."""
    for path in files:
        if not path.is_file():
            raise ValidationError(f"附件“{path.name}”不存在或无法读取，请重新选择", field="附件")
    ref = register_matter(session, data)
    for path in files:
        add_attachment(session, matter_id=ref.id, source=path, store_dir=store_dir)
    return ref
