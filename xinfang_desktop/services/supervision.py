"""The 督办 board: every open deadline, its days left, and the queries behind the board and `overdue`."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from xinfang_desktop.db.models import Matter, Transfer, Unit
from xinfang_desktop.domain.enums import Status, TransferKind, TransferState
from xinfang_desktop.domain.values import SupervisionRow
from xinfang_desktop.services.common import periods, today

OVERDUE = "超期"
DUE_SOON = "临期"
NORMAL = "正常"
AWAITING_DECISION = "待受理"
AWAITING_FEEDBACK = "待反馈"
RETURNED = "退回补办"
AWAITING_FOLLOW_UP = "待回访"


def deadline_state(days_left: int, due_soon_days: int) -> str:
    if days_left < 0:
        return OVERDUE
    if days_left <= due_soon_days:
        return DUE_SOON
    return NORMAL


def _transfer_rows(session: Session, on: date, until: date | None, unit_id: int | None) -> list[SupervisionRow]:
    query = (
        select(Transfer, Matter, Unit.name)
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
    rows = []
    for t, m, unit in session.execute(query):
        rows.append(
            SupervisionRow(m.id, m.number, m.title, t.id, unit, t.due_on, (t.due_on - on).days, t.state.value,
                           m.key_supervision, m.extended, t.reminders)
        )
    return rows


def _matter_rows(session: Session, on: date, until: date | None) -> list[SupervisionRow]:
    """Matters whose own clock runs: awaiting a decision (15 days), or accepted and handled here."""
    pending = select(Matter).where(Matter.status == Status.PENDING)
    if until is not None:
        pending = pending.where(Matter.notice_due <= until)
    rows = [
        SupervisionRow(m.id, m.number, m.title, None, "", m.notice_due, (m.notice_due - on).days,
                       AWAITING_DECISION, m.key_supervision, m.extended, 0)
        for m in session.scalars(pending)
    ]
    has_open_transfer = (
        select(Transfer.id)
        .where(Transfer.matter_id == Matter.id, Transfer.kind == TransferKind.ASSIGN)
        .exists()
    )
    own = select(Matter).where(Matter.status == Status.IN_PROGRESS, Matter.due_on.is_not(None), ~has_open_transfer)
    if until is not None:
        own = own.where(Matter.due_on <= until)
    for m in session.scalars(own):
        assert m.due_on is not None
        rows.append(SupervisionRow(m.id, m.number, m.title, None, "本机关", m.due_on, (m.due_on - on).days,
                                   "办理中", m.key_supervision, m.extended, 0))
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


def board_counts(session: Session, *, on: date | None = None) -> dict[str, int]:
    """今日到期, 临期, 超期 for the morning banner and the status bar."""
    current = on or today()
    soon = periods(session).due_soon_days
    rows = board(session, on=current)
    return {
        "今日到期": sum(1 for r in rows if r.days_left == 0),
        DUE_SOON: sum(1 for r in rows if 0 <= r.days_left <= soon),
        OVERDUE: sum(1 for r in rows if r.days_left < 0),
        "在办": len(rows),
    }

