"""The 督办 board: every open deadline, its days left, and the queries behind the board and `overdue`."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from xinfang_desktop.db.models import Instruction, Matter, MatterPetitioner, Petitioner, Transfer, Unit
from xinfang_desktop.domain.enums import Status, TransferKind, TransferState
from xinfang_desktop.domain.values import DecisionRow, SupervisionRow
from xinfang_desktop.services.common import periods, today

OVERDUE = "超期"
DUE_SOON = "临期"
NORMAL = "正常"
AWAITING_DECISION = "待受理"
AWAITING_FEEDBACK = "待反馈"
RETURNED = "退回补办"
AWAITING_FOLLOW_UP = "待回访"
AWAITING_REPLY = "待答复"
AWAITING_CLOSE = "待办结"
IN_HAND = "办理中"


def deadline_state(days_left: int, due_soon_days: int) -> str:
    if days_left < 0:
        return OVERDUE
    if days_left <= due_soon_days:
        return DUE_SOON
    return NORMAL


def _transfer_rows(session: Session, on: date, until: date | None, unit_id: int | None) -> list[SupervisionRow]:
    # plain columns, not ORM entities: the board opens at every start-up, over a million matters
    query = (
        select(Matter.id, Matter.number, Matter.title, Transfer.id, Unit.name, Transfer.due_on, Transfer.state,
               Matter.key_supervision, Matter.extended, Transfer.reminders)
        .join(Matter, Matter.id == Transfer.matter_id)
        .join(Unit, Unit.id == Transfer.unit_id)
        .where(
            Transfer.kind == TransferKind.ASSIGN,
            Transfer.state.in_([TransferState.WAITING, TransferState.RETURNED]),
            Transfer.due_on.is_not(None),
            Matter.status == Status.IN_PROGRESS,
        )
    )
    if until is not None:
        query = query.where(Transfer.due_on <= until)
    if unit_id is not None:
        query = query.where(Transfer.unit_id == unit_id)
    return [
        SupervisionRow(mid, number, title, tid, unit, due, (due - on).days, state.value, bool(key), bool(ext),
                       reminders)
        for mid, number, title, tid, unit, due, state, key, ext, reminders in session.execute(query)
    ]


def _matter_rows(session: Session, on: date, until: date | None) -> list[SupervisionRow]:
    """Matters whose own clock runs: awaiting a decision (15 days), handled here, or awaiting the 答复."""
    columns = (Matter.id, Matter.number, Matter.title, Matter.key_supervision, Matter.extended)
    pending = select(*columns, Matter.notice_due).where(Matter.status == Status.PENDING)
    if until is not None:
        pending = pending.where(Matter.notice_due <= until)
    rows = [
        SupervisionRow(mid, number, title, None, "", due, (due - on).days, AWAITING_DECISION, bool(key), bool(ext), 0)
        for mid, number, title, key, ext, due in session.execute(pending)
    ]
    any_assign = (
        select(Transfer.id)
        .where(Transfer.matter_id == Matter.id, Transfer.kind == TransferKind.ASSIGN)
        .exists()
    )
    unanswered = (
        select(Transfer.id)
        .where(Transfer.matter_id == Matter.id, Transfer.kind == TransferKind.ASSIGN,
               Transfer.state != TransferState.ANSWERED)
        .exists()
    )
    # every unit has reported: the matter's own deadline now runs against the office, for the 答复
    own = select(*columns, Matter.due_on, any_assign).where(
        Matter.status == Status.IN_PROGRESS, Matter.due_on.is_not(None), ~unanswered
    )
    if until is not None:
        own = own.where(Matter.due_on <= until)
    for mid, number, title, key, ext, due, assigned in session.execute(own):
        rows.append(SupervisionRow(mid, number, title, None, "本机关", due, (due - on).days,
                                   AWAITING_REPLY if assigned else IN_HAND, bool(key), bool(ext), 0))
    return rows


def board(session: Session, *, on: date | None = None, unit_id: int | None = None) -> list[SupervisionRow]:
    """Every open deadline, soonest first."""
    current = on or today()
    rows = _transfer_rows(session, current, None, unit_id)
    if unit_id is None:
        rows += _matter_rows(session, current, None)
    return sorted(rows, key=lambda r: (r.due_on, r.number))


def due_within(session: Session, *, days: int, on: date | None = None) -> list[SupervisionRow]:
    """Open deadlines from today through today + days (not yet overdue)."""
    current = on or today()
    until = current + timedelta(days=days)
    rows = _transfer_rows(session, current, until, None) + _matter_rows(session, current, until)
    return sorted((r for r in rows if r.days_left >= 0), key=lambda r: (r.due_on, r.number))


def overdue(session: Session, *, on: date | None = None) -> list[SupervisionRow]:
    current = on or today()
    until = current - timedelta(days=1)
    rows = _transfer_rows(session, current, until, None) + _matter_rows(session, current, until)
    return sorted(rows, key=lambda r: (r.due_on, r.number))


def awaiting_feedback(session: Session, *, on: date | None = None) -> list[SupervisionRow]:
    return sorted(_transfer_rows(session, on or today(), None, None), key=lambda r: (r.due_on, r.number))


def awaiting_follow_up(session: Session, *, on: date | None = None, limit: int = 500) -> list[SupervisionRow]:
    """Replied or closed matters with nobody asked yet whether they are satisfied."""
    current = on or today()
    query = (
        select(Matter)
        .where(
            Matter.status.in_([Status.REPLIED, Status.CLOSED]),
            Matter.followed_up_on.is_(None),
            Matter.replied_on.is_not(None),
        )
        .order_by(Matter.replied_on)
        .limit(limit)
    )
    rows = []
    for m in session.scalars(query):
        assert m.replied_on is not None
        rows.append(SupervisionRow(m.id, m.number, m.title, None, "", m.replied_on, (m.replied_on - current).days,
                                   AWAITING_FOLLOW_UP, m.key_supervision, m.extended, 0))
    return rows


def awaiting_close(session: Session, *, on: date | None = None, limit: int = 500) -> list[SupervisionRow]:
    """Replied matters not yet 办结: the reply is out, the case file still open."""
    current = on or today()
    query = (
        select(Matter.id, Matter.number, Matter.title, Matter.replied_on, Matter.key_supervision, Matter.extended)
        .where(Matter.status == Status.REPLIED, Matter.replied_on.is_not(None))
        .order_by(Matter.replied_on, Matter.id)
        .limit(limit)
    )
    return [
        SupervisionRow(mid, number, title, None, "", replied, (replied - current).days, AWAITING_CLOSE, bool(key),
                       bool(ext), 0)
        for mid, number, title, replied, key, ext in session.execute(query)
    ]


def decision_queue(session: Session, *, on: date | None = None, limit: int = 1000) -> list[DecisionRow]:
    """The 交办 queue: matters awaiting a 受理决定, oldest first, with the days left of the 15."""
    current = on or today()
    query = (
        select(Matter.id, Matter.number, Matter.received_on, Matter.notice_due, Matter.channel, Matter.title,
               Matter.proposal, Matter.key_supervision)
        .where(Matter.status == Status.PENDING)
        .order_by(Matter.received_on, Matter.id)
        .limit(limit)
    )
    found = list(session.execute(query))
    ids = [r[0] for r in found]
    latest: dict[int, str] = {}
    names: dict[int, list[str]] = {}
    for chunk in (ids[i:i + 500] for i in range(0, len(ids), 500)):
        for mid, leader, day, text in session.execute(
            select(Instruction.matter_id, Instruction.leader, Instruction.on, Instruction.text)
            .where(Instruction.matter_id.in_(chunk))
            .order_by(Instruction.on, Instruction.id)
        ):
            latest[mid] = f"{leader}（{day.month}月{day.day}日）：{text}"
        for mid, name in session.execute(
            select(MatterPetitioner.matter_id, Petitioner.name)
            .join(Petitioner, Petitioner.id == MatterPetitioner.petitioner_id)
            .where(MatterPetitioner.matter_id.in_(chunk))
            .order_by(MatterPetitioner.matter_id, MatterPetitioner.position)
        ):
            names.setdefault(mid, []).append(name)
    return [
        DecisionRow(mid, number, received, channel, "、".join(names.get(mid, [])) or "匿名", title, due,
                    (due - current).days, proposal, latest.get(mid, ""), bool(key))
        for mid, number, received, due, channel, title, proposal, key in found
    ]


def count_rows(rows: list[SupervisionRow], due_soon_days: int) -> dict[str, int]:
    """今日到期, 临期 (today included), 超期 and 在办 of board rows already loaded."""
    return {
        "今日到期": sum(1 for r in rows if r.days_left == 0),
        DUE_SOON: sum(1 for r in rows if 0 <= r.days_left <= due_soon_days),
        OVERDUE: sum(1 for r in rows if r.days_left < 0),
        "在办": len(rows),
    }


def board_counts(session: Session, *, on: date | None = None) -> dict[str, int]:
    """今日到期, 临期, 超期 for the morning banner and the status bar."""
    current = on or today()
    return count_rows(board(session, on=current), periods(session).due_soon_days)
