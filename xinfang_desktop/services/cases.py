"""Where a workflow outcome meets the database: load a matter as a Case, apply an Outcome, for every service.

The ledger import writes the same outcomes in batches (services/bulk.py) from the same
column values (`matter_values`, `transfer_values`), so a step's effect is written one way.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from operator import attrgetter
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from xinfang_desktop import wallclock
from xinfang_desktop.db.models import (
    Event,
    Feedback,
    Instruction,
    LeaderCharge,
    Matter,
    Transfer,
    Unit,
    Verification,
)
from xinfang_desktop.domain import workflow
from xinfang_desktop.domain.enums import ReviewStage, Status
from xinfang_desktop.domain.errors import ChangedMeanwhileError, NotFoundError
from xinfang_desktop.domain.workflow.state import MATTER_COLUMNS, TRANSFER_COLUMNS, Case, MatterState, Outcome, Rules
from xinfang_desktop.services.changes import note_change
from xinfang_desktop.services.common import actor, clock
from xinfang_desktop.services.settings import get_setting
from xinfang_desktop.wallclock import today


def rules(session: Session, *, now: date | None = None) -> Rules:
    """The rules of this database today: its clock and the earliest date a record may carry."""
    earliest = get_setting(session, "earliest_date")
    return Rules(clock(session), now or today(), date.fromisoformat(str(earliest)))


_STORED_MATTER = tuple(name for name in MATTER_COLUMNS if name != "id")
# the fields in one call each: the ledger import asks this of every row it writes
_MATTER_VALUES = attrgetter(*_STORED_MATTER)
_TRANSFER_VALUES = attrgetter(*TRANSFER_COLUMNS)


def matter_values(state: MatterState) -> dict[str, Any]:
    """A matter's columns by name (no id)."""
    return dict(zip(_STORED_MATTER, _MATTER_VALUES(state), strict=True))


def transfer_values(t: workflow.Transfer) -> dict[str, Any]:
    return dict(zip(TRANSFER_COLUMNS, _TRANSFER_VALUES(t), strict=True))


def state_of(matter: Matter) -> MatterState:
    return MatterState(**{name: getattr(matter, name) for name in MATTER_COLUMNS})


def transfer_of(row: Transfer) -> workflow.Transfer:
    return workflow.Transfer(
        unit_id=row.unit_id, unit=row.unit.name, kind=row.kind, role=row.role, sent_on=row.sent_on,
        due_on=row.due_on, state=row.state, reminders=row.reminders, id=row.id,
        feedback=tuple(workflow.Feedback(f.received_on, f.text, f.result, f.accepted, f.return_reason, f.id)
                       for f in row.feedback),
    )


def case_of(matter: Matter) -> Case:
    c = matter.charge
    charge = workflow.Charge(c.leader, c.post, c.measures, c.resolve_by, c.assigned_on, c.id) if c else None
    checks = tuple(workflow.Verification(v.checked_on, v.checker, v.method, v.result, v.reason, v.id)
                   for v in matter.verifications)
    return Case(state_of(matter), tuple(transfer_of(t) for t in matter.transfers), charge, checks)


def load_case(session: Session, matter_id: int, *, version: int | None = None) -> tuple[Matter, Case]:
    """The matter and its case; with `version` (the one the clerk's form was filled from), refused
    with ChangedMeanwhileError if someone has changed the matter since.

    Every service that writes a step of a matter takes that `version` and passes it here, so a 批示, a
    decision or a 答复 filled in from a 卷宗 another clerk has changed meanwhile is refused as a 修改 is."""
    matter = session.get(Matter, matter_id)
    if matter is None:
        raise NotFoundError(f"找不到编号为{matter_id}的信访事项，可能已被删除或数据库不同")
    if version is not None and matter.version != version:
        raise ChangedMeanwhileError(changed_meanwhile_message(session, matter))
    return matter, case_of(matter)


def changed_meanwhile_message(session: Session, matter: Matter) -> str:
    """Who changed the matter last and when, from its timeline."""
    return f"该事项（{matter.number}）已被{_last_change(session, matter.id)}修改，请刷新后再改。您这次填写的内容没有保存。"


def _last_change(session: Session, matter_id: int) -> str:
    last = session.execute(select(Event.actor, Event.at).where(Event.matter_id == matter_id)
                           .order_by(Event.id.desc()).limit(1)).first()
    return f"{last.actor or '其他人'}在{last.at:%m月%d日%H:%M}" if last is not None else "其他人"


def check_versions(session: Session, versions: Mapping[int, int], *, what: str) -> None:
    """One action on several matters at once (the board's 催办, 重点督办): refused as a whole, with
    ChangedMeanwhileError naming each matter changed since the clerk's list was read (`versions`:
    matter id -> the version the clerk saw), before anything of it is written.

    Checked up front rather than matter by matter in load_case: two transfers of one matter are two
    steps of this one action, and the first would otherwise refuse the second."""
    if not versions:
        return
    stored = {mid: (number, version) for mid, number, version in session.execute(
        select(Matter.id, Matter.number, Matter.version).where(Matter.id.in_(sorted(versions))))}
    changed = [(mid, stored[mid][0]) for mid in sorted(versions) if mid in stored and stored[mid][1] != versions[mid]]
    if not changed:
        return
    named = "、".join(f"{number}（{_last_change(session, mid)}修改）" for mid, number in changed[:5])
    more = f"等{len(changed)}件" if len(changed) > 5 else ""
    raise ChangedMeanwhileError(f"所选的{len(versions)}件事项中，{named}{more}已被修改，请刷新后再改。"
                                f"这次{what}一件也没有办理。")


def transfer_index(case: Case, transfer_id: int) -> int:
    for i, t in enumerate(case.transfers):
        if t.id == transfer_id:
            return i
    raise NotFoundError("找不到该交办记录")


def review_registered(session: Session, matter: Matter) -> str | None:
    """The number of the 复查 (复核) already registered on this matter's reply, if any: one per decision
    (ix_matters_parent, 0024)."""
    stage = ReviewStage.REVIEW if matter.stage is ReviewStage.FIRST else ReviewStage.RECHECK
    return session.scalar(select(Matter.number).where(Matter.parent_id == matter.id, Matter.stage == stage,
                                                      Matter.status != Status.VOIDED).limit(1))


def load_transfer(session: Session, transfer_id: int) -> Transfer:
    row = session.get(Transfer, transfer_id)
    if row is None:
        raise NotFoundError("找不到该交办记录")
    return row


def load_transfer_case(session: Session, transfer_id: int, *, version: int | None = None
                       ) -> tuple[Matter, Case, int]:
    """The case of a transfer's matter and the transfer's place in it; `version` as for load_case."""
    matter, case = load_case(session, load_transfer(session, transfer_id).matter_id, version=version)
    return matter, case, transfer_index(case, transfer_id)


def units(session: Session, ids: list[int]) -> dict[int, workflow.Unit]:
    found = {}
    for unit_id in ids:
        unit = session.get(Unit, unit_id)
        if unit is None:
            raise NotFoundError("所选承办单位不存在，请重新选择", field="承办单位")
        found[unit_id] = workflow.Unit(unit.id, unit.name, unit.active)
    return found


def apply(session: Session, matter: Matter | None, out: Outcome, *, created_at: datetime | None = None) -> Matter:
    """Write an outcome: the matter's changed columns (or a new matter), its transfers, feedback, 批示, lines."""
    state = out.case.matter
    if matter is None:
        matter = Matter(**matter_values(state), created_at=created_at or wallclock.now())
        session.add(matter)
    else:
        for name, value in matter_values(state).items():
            if getattr(matter, name) != value:
                setattr(matter, name, value)
        matter.version += 1  # every step changes the matter, a 催办 or a 批示 as much as an edit
    rows: dict[int, Transfer] = {t.id: t for t in matter.transfers}
    written: list[Transfer] = []
    for t in out.case.transfers:
        row = rows.get(t.id) if t.id is not None else None
        if row is None:
            row = Transfer(matter=matter, unit_id=t.unit_id, **{k: v for k, v in transfer_values(t).items()
                                                                 if k != "unit_id"})
            session.add(row)
        else:
            for name, value in transfer_values(t).items():
                if getattr(row, name) != value:
                    setattr(row, name, value)
        for f in t.feedback:
            if f.id is None:
                row.feedback.append(Feedback(received_on=f.received_on, text=f.text, result=f.result,
                                             accepted=f.accepted, return_reason=f.return_reason))
        written.append(row)
    for i in out.instructions:
        matter.instructions.append(Instruction(leader=i.leader, on=i.on, text=i.text))
    charge = out.case.charge
    if charge is not None:
        values = {"leader": charge.leader, "post": charge.post, "measures": charge.measures,
                  "resolve_by": charge.resolve_by, "assigned_on": charge.assigned_on}
        if matter.charge is None:
            matter.charge = LeaderCharge(**values)
        else:
            for name, value in values.items():
                if getattr(matter.charge, name) != value:
                    setattr(matter.charge, name, value)
    for v in out.case.verifications:
        if v.id is None:
            matter.verifications.append(Verification(checked_on=v.checked_on, checker=v.checker, method=v.method,
                                                     result=v.result, reason=v.reason))
    session.flush()
    who = actor(session)
    at = wallclock.now()
    for line in out.lines:
        data = line.data
        if line.transfer is not None:
            data = {**(data or {}), "transfer_id": written[line.transfer].id}
        session.add(Event(matter_id=matter.id, at=at, actor=who, kind=line.kind, text=line.text, data=data))
    note_change(session, "matters", matter.id)
    if written:
        note_change(session, "transfers", *(t.id for t in written))
    return matter

