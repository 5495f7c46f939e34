"""The 督办 board: every open deadline, its days left, and the queries behind the board and `overdue`."""

from __future__ import annotations

import json
import re
import sqlite3
from collections.abc import Callable, Mapping, Sequence
from datetime import date, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from xinfang_desktop.db.dialect import driver, on_server
from xinfang_desktop.db.models import (
    Instruction,
    LeaderCharge,
    Matter,
    MatterPetitioner,
    Petitioner,
    Unit,
    Verification,
)
from xinfang_desktop.domain.clock import DUE_SOON, OVERDUE
from xinfang_desktop.domain.enums import Status, TransferKind, TransferState
from xinfang_desktop.domain.values import BoardKey, DecisionRow, SupervisionRow
from xinfang_desktop.services import handling
from xinfang_desktop.services.cases import check_versions
from xinfang_desktop.services.settings import periods
from xinfang_desktop.wallclock import today

AWAITING_DECISION = "待受理"
AWAITING_FEEDBACK = "待反馈"
RETURNED = "退回补办"
AWAITING_FOLLOW_UP = "待回访"
AWAITING_REPLY = "待答复"
AWAITING_CLOSE = "待办结"
AWAITING_VERIFICATION = "待验证"
DISPUTES_PAST_DUE = "排查超期"
IN_HAND = "办理中"


def days_text(days_left: int) -> str:
    """剩3天 / 今日到期 / 超期2天: how the board, the queue and `xinfang overdue` say a deadline."""
    if days_left < 0:
        return f"超期{-days_left}天"
    if days_left == 0:
        return "今日到期"
    return f"剩{days_left}天"


# The board is read in two steps so that it opens fast over a million matters: first the keys
# of every open deadline (dates, states and ids only, from indexes: the open 交办 transfers
# have a partial covering index of their own, migration 0005), then number, title and flags
# for just the rows on screen (`board_details`). Enum values are written into the SQL because
# SQLite uses a partial index only when the query repeats its WHERE terms literally.
_OPEN = f"t.kind = '{TransferKind.ASSIGN.value}' AND t.state IN ('{TransferState.WAITING.value}', " \
        f"'{TransferState.RETURNED.value}')"
_OPEN_INDEX = "INDEXED BY ix_transfers_open"
_IN_HAND = f"'{Status.IN_PROGRESS.value}'"
# days left computed by SQLite: a small int per row instead of a date string to decode and parse
_DAYS = "CAST(julianday({column}) - julianday(:today) AS INTEGER)"
# Dates are stored as ISO text, so a window of days left is a plain range on the stored date
# (:low/:high are today + the bounds): the matters' own deadlines then seek ix_matters_status_due.
# `page` adds `LIMIT :limit` for a caller that asks for one page.


def _window(column: str, low: int | None, high: int | None) -> str:
    return (f" AND {column} >= :low" if low is not None else "") + (f" AND {column} <= :high" if high is not None else "")


def _narrow(low: int | None, high: int | None) -> bool:
    """A window of about a month or less: few transfers fall in it, out of tens of thousands."""
    return low is not None and high is not None and high - low <= 31


def _transfers_from(window: str, *, narrow: bool) -> str:
    # a window of a few days holds few transfers: look up each one's matter by id; otherwise read
    # the matters in hand once from the status index and probe that list (each is slow on the other)
    in_hand = (f"(SELECT status FROM matters WHERE id = t.matter_id) = {_IN_HAND}" if narrow
               # unary +: scan the small index, probing the matters in hand, rather than the other way round
               else f"+t.matter_id IN (SELECT id FROM matters WHERE status = {_IN_HAND})")
    return (f" FROM transfers t {{index}}"
            f" WHERE {_OPEN} AND t.due_on IS NOT NULL{window.format(column='t.due_on')} AND {in_hand}")


def _pending_from(window: str) -> str:
    return f" FROM matters WHERE status = '{Status.PENDING.value}'{window.format(column='notice_due')}"


def _own_from(window: str) -> str:
    # in hand with no unit still owing a report: the 答复 is owed here (待答复), or the office handles it itself
    return (f" FROM matters m WHERE m.status = {_IN_HAND} AND m.due_on IS NOT NULL{window.format(column='m.due_on')}"
            f" AND m.id NOT IN (SELECT t.matter_id FROM transfers t {{index}} WHERE {_OPEN})")


def _transfers_sql(window: str, *, narrow: bool, page: bool = False) -> str:
    return (f"SELECT {_DAYS.format(column='t.due_on')}, t.matter_id, t.id, t.unit_id,"
            f" t.state = '{TransferState.RETURNED.value}', t.reminders" + _transfers_from(window, narrow=narrow)
            + " ORDER BY 1, 2, 3" + (" LIMIT :limit" if page else ""))


_OPEN_TRANSFERS_SQL = _transfers_sql("", narrow=False)


def _pending_sql(window: str, *, page: bool) -> str:
    return (f"SELECT {_DAYS.format(column='notice_due')}, id" + _pending_from(window)
            + " ORDER BY 1, 2" + (" LIMIT :limit" if page else ""))


def _own_sql(window: str, *, page: bool) -> str:
    # {probe}: PostgreSQL would hash every 交办 of the file to answer this for a few thousand matters
    # (1.2 s of the board's 1.4 s at a million matters); OFFSET 0 keeps it an index probe per row (0.3 s)
    return (f"SELECT {_DAYS.format(column='m.due_on')}, m.id, EXISTS (SELECT 1 FROM transfers a"
            f" WHERE a.matter_id = m.id AND a.kind = '{TransferKind.ASSIGN.value}'{{probe}})" + _own_from(window)
            + " ORDER BY 1, 2" + (" LIMIT :limit" if page else ""))


# counts read the same rows as the keys and build nothing: the matters (each once, though a 主办 and
# its 协办 are two rows) overdue, due today, due today..:high, and with any deadline at all
_TALLY = "SELECT " + ", ".join(f"count(DISTINCT CASE WHEN {when} THEN {{m}} END)" for when in (
    "{c} < :today", "{c} = :today", "{c} >= :today AND {c} <= :high", "{c} IS NOT NULL"))
# the whole board in one pass over the matters in hand: each one's open transfers, or, where it has
# none, its own deadline (a transfer without a date counts as open but has no deadline to count)
_IN_HAND_DUE = "coalesce(t.due_on, CASE WHEN t.id IS NULL THEN m.due_on END)"
_TALLY_SQL = (
    _TALLY.format(c=_IN_HAND_DUE, m="m.id") + f" FROM matters m INDEXED BY ix_matters_status_due"
    f" LEFT JOIN transfers t {{index}} ON t.matter_id = m.id AND {_OPEN} WHERE m.status = {_IN_HAND}",
    _TALLY.format(c="notice_due", m="id") + _pending_from(""),
)

OWN_UNIT = "本机关"


_INDEXED_BY = re.compile(r" INDEXED BY \w+")
Fetch = Callable[[str, dict[str, Any]], Sequence[Sequence[Any]]]


def _reader(session: Session) -> Fetch:
    """Runs the board's SQL through the DB-API connection under the session (services.bulk's driver):
    tens of thousands of plain tuples, without SQLAlchemy's Row for each (at a million matters on the
    server that was most of the board's Python). SQLite is told the partial index (a database not yet
    migrated to 0005, a read-only copy, is read without it); PostgreSQL's planner finds it itself, and
    SQLite's INDEXED BY is no PostgreSQL."""
    conn = driver(session)
    if on_server(session):
        return lambda sql, params: conn.execute(
            _INDEXED_BY.sub("", sql.format(index="", probe=" OFFSET 0")), params).fetchall()

    def fetch(sql: str, params: dict[str, Any]) -> Sequence[Sequence[Any]]:
        try:
            return conn.execute(sql.format(index=_OPEN_INDEX, probe=""), params).fetchall()  # type: ignore[no-any-return]
        except sqlite3.OperationalError as exc:
            if "ix_transfers_open" not in str(exc):
                raise
            return conn.execute(sql.format(index="", probe=""), params).fetchall()  # type: ignore[no-any-return]
    return fetch


def _params(current: date, low: int | None, high: int | None, limit: int | None) -> dict[str, Any]:
    params: dict[str, Any] = {"today": current.isoformat(), "limit": limit}
    if low is not None:
        params["low"] = (current + timedelta(days=low)).isoformat()
    if high is not None:
        params["high"] = (current + timedelta(days=high)).isoformat()
    return params


def _keys(session: Session, *, on: date | None, low: int | None = None, high: int | None = None,
          transfers_only: bool = False, limit: int | None = None) -> list[BoardKey]:
    """Open deadlines with days left in low..high (either open-ended), soonest first; the first
    `limit` of them, or all. Each part is limited in SQL, so a page never reads the rest."""
    current = on or today()
    if limit is not None:
        limit = max(limit, 0)  # SQLite reads a negative LIMIT as none at all
    params = _params(current, low, high, limit)
    page = limit is not None
    window = _window("{column}", low, high)
    units = {uid: name for uid, name in session.execute(select(Unit.id, Unit.name))}
    fetch = _reader(session)
    transfers = fetch(_transfers_sql(window, narrow=_narrow(low, high), page=page), params)
    pending = [] if transfers_only else fetch(_pending_sql(window, page=page), params)
    own = [] if transfers_only else fetch(_own_sql(window, page=page), params)

    # a few hundred distinct days among tens of thousands of rows: one date object each
    lefts = {r[0] for r in transfers} | {r[0] for r in pending} | {r[0] for r in own}
    due = {left: current + timedelta(days=left) for left in lefts}
    waiting, returned = TransferState.WAITING.value, TransferState.RETURNED.value
    # tuple.__new__ straight from C: BoardKey._make is a Python-level call per row
    new = tuple.__new__
    keys = [
        new(BoardKey, (due[left], left, 0, matter_id, transfer_id, unit_id, units.get(unit_id, ""),
              returned if is_returned else waiting, reminders))
        for left, matter_id, transfer_id, unit_id, is_returned, reminders in transfers
    ]
    keys += [new(BoardKey, (due[left], left, 1, matter_id, None, None, "", AWAITING_DECISION, 0))
             for left, matter_id in pending]
    keys += [
        new(BoardKey, (due[left], left, 2, matter_id, None, None, OWN_UNIT, AWAITING_REPLY if assigned else IN_HAND, 0))
        for left, matter_id, assigned in own
    ]
    # (days_left, part, matter_id, transfer_id), as the tuples themselves compare: due_on goes with
    # days_left, and transfer_id is None only where part already differs. Three runs already sorted
    # by the database, which the sort only merges; without a key function it makes no tuple per key
    # (at a million matters 20-45 ms instead of 50-75 on a loaded machine)
    keys.sort()
    return keys if limit is None else keys[:limit]


def board_keys(session: Session, *, on: date | None = None) -> list[BoardKey]:
    """Every open deadline as a light key, soonest first: transfers awaiting feedback (of matters
    in hand), matters awaiting a decision (15 days), and matters whose own deadline runs here
    (every unit has reported and the 答复 is owed, or the office handles it itself)."""
    return _keys(session, on=on)


def board_details(session: Session, keys: list[BoardKey]) -> list[SupervisionRow]:
    """The full rows for some keys (those on screen), in the same order."""
    found: dict[int, tuple[str, str, bool, bool, str, int]] = {}
    ids = sorted({k.matter_id for k in keys})
    # one statement for any number of ids (a JSON array, not one bound parameter per id)
    elements = ("SELECT CAST(value AS INTEGER) FROM json_array_elements_text(CAST(:ids AS json))"
                if on_server(session) else "SELECT value FROM json_each(:ids)")
    sql = ("SELECT m.id, m.number, m.title, m.key_supervision, m.extended, coalesce(c.leader, ''), m.version"
           " FROM matters m"
           f" LEFT JOIN leader_charges c ON c.matter_id = m.id WHERE m.id IN ({elements})")
    fetch = _reader(session)
    for chunk in (ids[i:i + 20000] for i in range(0, len(ids), 20000)):
        for mid, number, title, key, ext, leader, version in fetch(sql, {"ids": json.dumps(chunk)}):
            found[mid] = (number, title, bool(key), bool(ext), leader, version)
    rows = []
    for k in keys:
        number, title, key, ext, leader, version = found.get(k.matter_id, ("", "", False, False, "", None))
        rows.append(SupervisionRow(k.matter_id, number, title, k.transfer_id, k.unit, k.due_on, k.days_left,
                                   k.state, key, ext, k.reminders, leader, version))
    return rows


def flagged_matters(session: Session, *, key_supervision: bool = False, extended: bool = False,
                    charged: bool = False) -> set[int]:
    """Ids of open matters marked 重点督办 or 已延期, or taken on by a leader (领导包案), for filtering board keys."""
    query = select(Matter.id).where(Matter.status.in_([Status.PENDING, Status.IN_PROGRESS]))
    if key_supervision:
        query = query.where(Matter.key_supervision.is_(True))
    if extended:
        query = query.where(Matter.extended.is_(True))
    if charged:
        query = query.where(Matter.id.in_(select(LeaderCharge.matter_id)))
    return set(session.scalars(query))


def board(session: Session, *, on: date | None = None, unit_id: int | None = None) -> list[SupervisionRow]:
    """Every open deadline, soonest first; with `unit_id`, that unit's transfers only."""
    keys = board_keys(session, on=on)
    if unit_id is not None:
        keys = [k for k in keys if k.unit_id == unit_id]
    return board_details(session, keys)


def due_within(session: Session, *, days: int, on: date | None = None, limit: int | None = None
               ) -> list[SupervisionRow]:
    """Open deadlines from today through today + days (not yet overdue); the first `limit`, or all."""
    return board_details(session, _keys(session, on=on, low=0, high=days, limit=limit))


def overdue(session: Session, *, on: date | None = None, limit: int | None = None) -> list[SupervisionRow]:
    """Open deadlines already past, longest overdue first; the first `limit`, or all."""
    return board_details(session, _keys(session, on=on, high=-1, limit=limit))


def awaiting_feedback(session: Session, *, on: date | None = None, limit: int | None = None
                      ) -> list[SupervisionRow]:
    """Transfers still owing a report, soonest deadline first; the first `limit`, or all."""
    return board_details(session, _keys(session, on=on, transfers_only=True, limit=limit))


def _count(session: Session, *, on: date | None, low: int | None = None, high: int | None = None,
           transfers_only: bool = False) -> int:
    """How many keys `_keys` finds with the same window, counted in SQL: no rows built."""
    current = on or today()
    params = _params(current, low, high, None)
    window = _window("{column}", low, high)
    parts = [_transfers_from(window, narrow=_narrow(low, high))]
    if not transfers_only:
        parts += [_pending_from(window), _own_from(window)]
    fetch = _reader(session)
    return sum(int(fetch("SELECT count(*)" + part, params)[0][0]) for part in parts)


def count_due_within(session: Session, *, days: int, on: date | None = None) -> int:
    """How many rows `due_within` returns without a limit."""
    return _count(session, on=on, low=0, high=days)


def count_overdue(session: Session, *, on: date | None = None) -> int:
    """How many rows `overdue` returns without a limit."""
    return _count(session, on=on, high=-1)


def count_awaiting_feedback(session: Session, *, on: date | None = None) -> int:
    """How many rows `awaiting_feedback` returns without a limit."""
    return _count(session, on=on, transfers_only=True)


def awaiting_follow_up(session: Session, *, on: date | None = None, limit: int = 500) -> list[SupervisionRow]:
    """Replied or closed matters with nobody asked yet whether they are satisfied."""
    current = on or today()
    query = (
        select(Matter.id, Matter.number, Matter.title, Matter.replied_on, Matter.key_supervision, Matter.extended,
               Matter.version)
        .where(
            # `status || ''` keeps the planner off the status index (most matters are 已办结) and on the
            # partial index ix_matters_follow_up (migration 0004): 1.7 s -> 1 ms at a million matters
            Matter.status.concat("").in_([Status.REPLIED.value, Status.CLOSED.value]),
            Matter.followed_up_on.is_(None),
            Matter.replied_on.is_not(None),
        )
        .order_by(Matter.replied_on, Matter.id)
        .limit(limit)
    )
    return [
        SupervisionRow(mid, number, title, None, "", replied, (replied - current).days, AWAITING_FOLLOW_UP,
                       bool(key), bool(ext), 0, version=version)
        for mid, number, title, replied, key, ext, version in session.execute(query)
        if replied is not None  # always: the query asks for it
    ]


def awaiting_close(session: Session, *, on: date | None = None, limit: int = 500) -> list[SupervisionRow]:
    """Replied matters not yet 办结: the reply is out, the case file still open."""
    current = on or today()
    query = (
        select(Matter.id, Matter.number, Matter.title, Matter.replied_on, Matter.key_supervision, Matter.extended,
               Matter.version)
        .where(Matter.status == Status.REPLIED, Matter.replied_on.is_not(None))
        .order_by(Matter.replied_on, Matter.id)
        .limit(limit)
    )
    return [
        SupervisionRow(mid, number, title, None, "", replied, (replied - current).days, AWAITING_CLOSE, bool(key),
                       bool(ext), 0, version=version)
        for mid, number, title, replied, key, ext, version in session.execute(query)
        if replied is not None  # always: the query asks for it
    ]


def awaiting_verification(session: Session, *, on: date | None = None, limit: int = 500) -> list[SupervisionRow]:
    """Closed matters whose result nobody has yet checked was carried out (验证), longest closed first."""
    current = on or today()
    query = (
        select(Matter.id, Matter.number, Matter.title, Matter.closed_on, Matter.key_supervision, Matter.extended,
               LeaderCharge.leader, Matter.version)
        .outerjoin(LeaderCharge, LeaderCharge.matter_id == Matter.id)
        .where(Matter.status == Status.CLOSED, Matter.closed_on.is_not(None),
               ~Matter.id.in_(select(Verification.matter_id)))
        .order_by(Matter.closed_on, Matter.id)
        .limit(limit)
    )
    return [
        SupervisionRow(mid, number, title, None, "", closed, (closed - current).days, AWAITING_VERIFICATION,
                       bool(key), bool(ext), 0, leader or "", version)
        for mid, number, title, closed, key, ext, leader, version in session.execute(query)
        if closed is not None  # always: the query asks for it
    ]


def disputes_past_due(session: Session, *, on: date | None = None) -> list[SupervisionRow]:
    """矛盾纠纷 not yet 已化解 past their 化解期限, as board rows: the 责任人 in the unit column, the matter
    (if the dispute became one) in the number column; matter id 0 when it did not."""
    from xinfang_desktop.services.screening import past_due

    current = on or today()
    disputes = past_due(session, on=current)
    linked = [d.matter_id for d in disputes if d.matter_id]
    versions = {mid: v for mid, v in session.execute(select(Matter.id, Matter.version).where(Matter.id.in_(linked)))}
    return [
        SupervisionRow(d.matter_id or 0, d.matter_number, f"【排查】{d.village}：{d.summary}", None, d.responsible,
                       d.resolve_by, (d.resolve_by - current).days, DISPUTES_PAST_DUE, d.risk.value == "重大", False, 0,
                       version=versions.get(d.matter_id) if d.matter_id else None)
        for d in disputes
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


def decision_queue_counts(session: Session, *, on: date | None = None) -> tuple[int, int]:
    """(awaiting a decision, of which past the 15 days): the whole queue, even where the list stops."""
    current = on or today()
    pending = Matter.status == Status.PENDING
    total = session.scalar(select(func.count(Matter.id)).where(pending)) or 0
    late = session.scalar(select(func.count(Matter.id)).where(pending, Matter.notice_due < current)) or 0
    return total, late


def count_rows(rows: Sequence[SupervisionRow | BoardKey], due_soon_days: int) -> dict[str, int]:
    """今日到期, 临期 (today included), 超期 and 在办 of board rows already loaded: matters, each once
    (a matter with a 主办 and a 协办 has two rows). A matter whose 主办 is past due and whose 协办 is
    due soon counts under both, as the board's 超期 and 临期 filters each show it."""
    return {
        "今日到期": len({r.matter_id for r in rows if r.days_left == 0}),
        DUE_SOON: len({r.matter_id for r in rows if 0 <= r.days_left <= due_soon_days}),
        OVERDUE: len({r.matter_id for r in rows if r.days_left < 0}),
        "在办": len({r.matter_id for r in rows}),
    }


def board_counts(session: Session, *, on: date | None = None) -> dict[str, int]:
    """今日到期, 临期, 超期 and 在办 (matters, each once) for the morning banner and the status bar:
    counted in SQL, no rows built."""
    current = on or today()
    soon = periods(session).due_soon_days
    params = {"today": current.isoformat(), "high": (current + timedelta(days=soon)).isoformat()}
    fetch = _reader(session)
    found = [fetch(sql, params)[0] for sql in _TALLY_SQL]
    late, due_today, within, matters = (sum(row[i] for row in found) for i in range(4))
    return {"今日到期": due_today, DUE_SOON: within, OVERDUE: late, "在办": matters}


# the board's actions on several rows at once: one transaction, all done or (on a refusal) none; each
# refused as a whole if any of its matters has changed since the board's rows were read (`versions`,
# matter id -> SupervisionRow.version), as a single step is (services.cases.load_case)
def remind_transfers(session: Session, *, transfer_ids: Sequence[int], on: date, note: str = "",
                     versions: Mapping[int, int]) -> int:
    """催办 several transfers as one action; how many were reminded."""
    check_versions(session, versions, what="催办")
    for transfer_id in transfer_ids:
        handling.remind(session, transfer_id=transfer_id, on=on, note=note)
    return len(transfer_ids)


def set_key_supervision_all(session: Session, *, matter_ids: Sequence[int], on: bool,
                            versions: Mapping[int, int]) -> int:
    """重点督办 on (or off) for several matters as one action; how many."""
    check_versions(session, versions, what="重点督办")
    for matter_id in matter_ids:
        handling.set_key_supervision(session, matter_id=matter_id, on=on)
    return len(matter_ids)
