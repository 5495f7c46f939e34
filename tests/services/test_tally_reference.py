"""The tally's grouped, packed pass against a row-by-row reference count over a demo database."""

from __future__ import annotations

from collections import Counter
from dataclasses import asdict
from datetime import date

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from xinfang_desktop.db.database import Database
from xinfang_desktop.db.models import (
    Feedback,
    Instruction,
    LeaderCharge,
    LeaderMeeting,
    Matter,
    Transfer,
    Unit,
    Verification,
)
from xinfang_desktop.domain.enums import (
    Channel,
    Decision,
    MeetingKind,
    Purpose,
    Satisfaction,
    Source,
    Status,
    TransferKind,
    TransferRole,
    TransferState,
    VerifyResult,
)
from xinfang_desktop.domain.tally import HeadCounts, Tally, UnitFigures, mean_days, percent
from xinfang_desktop.services import statistics
from xinfang_desktop.services.demo import generate
from xinfang_desktop.services.statistics import tally, tally_year

AS_OF = date(2026, 5, 20)


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Database:
    db = Database(tmp_path_factory.mktemp("tally") / "demo.sqlite3")
    with db.begin() as s:
        generate(s, cases=2500, seed=11, end=date(2026, 6, 30), years=3)
    return db


def _value(x: object) -> object:
    return getattr(x, "value", x)


def _leaders_reference(s: Session, date_from: date, date_to: date) -> dict[str, int]:
    """约访, 下访, 包案 and 验证 by the day each happened, row by row; voided matters' records left out."""
    live = {m.id: m for m in s.scalars(select(Matter)) if m.status != Status.VOIDED}
    charges = [c for c in s.scalars(select(LeaderCharge)) if date_from <= c.assigned_on <= date_to and c.matter_id in live]
    checks = [v for v in s.scalars(select(Verification)) if date_from <= v.checked_on <= date_to and v.matter_id in live]
    met = [m for m in s.scalars(select(LeaderMeeting))
           if date_from <= m.held_on <= date_to and (m.matter_id is None or m.matter_id in live)]
    invited = [m for m in met if m.kind == MeetingKind.INVITED]
    visits = [m for m in met if m.kind == MeetingKind.VISITING]
    return {
        "leader_charged": len(charges),
        "leader_charged_closed": sum(live[c.matter_id].status == Status.CLOSED for c in charges),
        "leader_charged_settled": sum(live[c.matter_id].settled for c in charges),
        "verified": len({v.matter_id for v in checks}),
        "verified_not_done": len({v.matter_id for v in checks if v.result == VerifyResult.NOT_DONE}),
        "leader_invited": len(invited), "leader_invited_persons": sum(m.persons for m in invited),
        "leader_visits": len(visits), "leader_visit_batches": sum(m.batches for m in visits),
        "leader_visit_persons": sum(m.persons for m in visits),
    }


def _reference(db: Database, date_from: date, date_to: date) -> tuple[HeadCounts, Counter[str], Counter[tuple[str, str]]]:
    """Every head count of one period by reading each matter and transfer in Python."""
    with db.read() as s:
        matters = [m for m in s.scalars(select(Matter))
                   if date_from <= m.received_on <= date_to and m.status != Status.VOIDED]
        ids = {m.id for m in matters}
        reviewed = {i for i in s.scalars(select(Instruction.matter_id)) if i in ids}
        transfers = [t for t in s.scalars(select(Transfer)) if t.matter_id in ids]
        key = {m.id for m in matters if m.key_supervision}
        closed = [m for m in matters if m.status == Status.CLOSED]
        visits = [m for m in matters if m.channel == Channel.VISIT]
        led = [m for m in visits if m.receiving_leader != ""]
        sat = Counter(m.satisfaction for m in matters if m.satisfaction is not None)
        assigned = [t for t in transfers if t.kind == TransferKind.ASSIGN]
        skip = Counter(_value(m.skip_level) for m in matters if m.skip_level is not None)
        head = HeadCounts(
        total=len(matters),
        by_channel={c.value: sum(1 for m in matters if m.channel == c) for c in Channel},
        by_source={src.value: sum(1 for m in matters if m.source == src) for src in Source},
        by_purpose={p.value: sum(1 for m in matters if m.purpose == p) for p in Purpose},
        visit_persons=sum(m.persons for m in visits),
        consultations=sum(1 for m in matters if _value(m.purpose) == "咨询"),
        collective_batches=sum(1 for m in matters if m.collective),
        collective_persons=sum(m.persons for m in matters if m.collective),
        joint_letters=sum(1 for m in matters if m.joint),
        anonymous=sum(1 for m in matters if m.anonymous),
        skip_level=sum(skip.values()),
        repeat=sum(1 for m in matters if m.repeat),
        required=sum(1 for m in matters if m.decision not in (Decision.REJECT, Decision.FILE)),
        closed=len(closed),
        closed_on_time=sum(1 for m in closed if m.due_on is None or m.closed_on <= m.due_on),
        overdue=0,
        overdue_open=sum(1 for m in matters if m.status == Status.IN_PROGRESS and m.due_on and m.due_on < AS_OF),
        overdue_closed=sum(1 for m in closed if m.due_on and m.closed_on > m.due_on),
        closed_days=float(sum((m.closed_on - m.received_on).days for m in closed)),
        assigned_transfers=len(assigned),
        transfers_with_feedback=sum(1 for t in assigned if t.state != TransferState.WAITING),
        evaluated=sum(sat.values()),
        satisfied=sat[Satisfaction.SATISFIED],
        basically_satisfied=sat[Satisfaction.BASICALLY],
        unsatisfied=sat[Satisfaction.UNSATISFIED],
        supervised=len(key | {t.matter_id for t in transfers if t.reminders > 0}),
        key_supervision=len(key),
        reminders=sum(t.reminders for t in transfers),
        leader_reviewed=len(reviewed),
        leader_received_batches=len(led),
        leader_received_persons=sum(m.persons for m in led),
        settled=sum(1 for m in matters if m.settled),
        closed_not_settled=sum(1 for m in closed if not m.settled),
        skip_by_level={level: skip[level] for level in ("到市", "赴省", "进京")},
        )
        head = HeadCounts(**{**asdict(head), "overdue": head.overdue_open + head.overdue_closed,
                             **_leaders_reference(s, date_from, date_to)})
        months = Counter(f"{m.received_on:%Y-%m}" for m in matters)
        month_channels = Counter((f"{m.received_on:%Y-%m}", m.channel.value) for m in matters)
    return head, months, month_channels


def _check(result: Tally, db: Database) -> None:
    for head, (date_from, date_to) in ((result.this, (result.date_from, result.date_to)),
                                       (result.last, (result.last_from, result.last_to))):
        expected, months, _ = _reference(db, date_from, date_to)
        assert head == expected
        assert sum(months.values()) == head.total
    _, months, month_channels = _reference(db, result.date_from, result.date_to)
    assert dict(result.by_month) == {m: months.get(m, 0) for m, _ in result.by_month}
    for channel, counts in result.by_month_channel.items():
        assert counts == tuple(month_channels.get((m, channel), 0) for m, _ in result.by_month)
    _, last_months, _ = _reference(db, result.last_from, result.last_to)
    assert dict(result.last_by_month) == {m: last_months.get(m, 0) for m, _ in result.last_by_month}


def test_year_matches_reference(demo: Database) -> None:
    with demo.read() as s:
        result = tally_year(s, year=2025, as_of=AS_OF)
    assert result.this.total > 500 and result.last.total > 500  # the demo fills both years
    assert result.this.leader_reviewed and result.this.reminders and result.this.overdue_open
    _check(result, demo)


@pytest.mark.parametrize("period", [
    (date(2025, 3, 1), date(2025, 5, 31)),  # last year's quarter is not adjacent: two reads
    (date(2024, 7, 1), date(2026, 2, 28)),  # longer than a year: the periods overlap, one read
])
def test_other_periods_match_reference(demo: Database, period: tuple[date, date]) -> None:
    with demo.read() as s:
        result = tally(s, date_from=period[0], date_to=period[1], as_of=AS_OF)
    _check(result, demo)


def test_group_too_large_to_pack_is_counted_unpacked(demo: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    """A (day, 信访形式) group at the packing limit is counted again with one SUM per figure."""
    with demo.read() as s:
        packed = tally_year(s, year=2025, as_of=AS_OF, use_cache=False)
        monkeypatch.setattr(statistics.queries, "_GROUP_LIMIT", 2)  # most demo groups hold 2 or more
        unpacked = tally_year(s, year=2025, as_of=AS_OF, use_cache=False)
    assert unpacked == packed
    _check(unpacked, demo)


def _units_reference(s: Session, date_from: date, date_to: date) -> tuple[UnitFigures, ...]:
    """The 承办单位 table transfer by transfer, each report date read from its feedback rows (the first accepted)."""
    live = {m.id: m for m in s.scalars(select(Matter))
            if date_from <= m.received_on <= date_to and m.status != Status.VOIDED}
    reports: dict[int, date] = {}
    for f in s.scalars(select(Feedback).where(Feedback.accepted.is_(True))):
        reports[f.transfer_id] = min(f.received_on, reports.get(f.transfer_id, f.received_on))
    names = {u.id: u.name for u in s.scalars(select(Unit))}
    rows: dict[int, list[int]] = {}
    days: dict[int, float | None] = {}
    for t in s.scalars(select(Transfer)):
        if t.kind != TransferKind.ASSIGN or t.matter_id not in live:
            continue
        mine = rows.setdefault(t.unit_id, [0] * 7)  # assigned, closed, on time, overdue, evaluated, satisfied, 协办
        days.setdefault(t.unit_id, None)
        if t.role is TransferRole.ASSIST:
            mine[6] += 1
            continue
        report = reports.get(t.id)
        answered = t.state is TransferState.ANSWERED
        satisfaction = live[t.matter_id].satisfaction
        mine[0] += 1
        mine[1] += answered
        mine[2] += answered and report is not None and (t.due_on is None or report <= t.due_on)
        mine[3] += (answered and report is not None and t.due_on is not None and report > t.due_on) or (
            not answered and t.due_on is not None and t.due_on < AS_OF)
        mine[4] += satisfaction is not None
        mine[5] += satisfaction in (Satisfaction.SATISFIED, Satisfaction.BASICALLY)
        if answered and report is not None:
            days[t.unit_id] = (days[t.unit_id] or 0.0) + (report - t.sent_on).days
    figures = [UnitFigures(names[u], n, closed, on_time, late, mean_days(days[u], closed), evaluated, satisfied,
                           percent(satisfied, evaluated), float(days[u] or 0.0), assisted)
               for u, (n, closed, on_time, late, evaluated, satisfied, assisted) in rows.items()]
    return tuple(sorted(figures, key=lambda r: (-r.assigned, r.unit)))


@pytest.mark.parametrize("limit", [None, 2])
def test_unit_table_matches_a_transfer_by_transfer_count(demo: Database, monkeypatch: pytest.MonkeyPatch,
                                                         limit: int | None) -> None:
    """The 承办单位 table (packed per transfer, migration 0025; or, at the packing limit, a SUM per figure)."""
    if limit is not None:
        monkeypatch.setattr(statistics.queries, "_UNIT_GROUP_LIMIT", limit)  # most demo groups hold 2 or more
    with demo.read() as s:
        result = tally_year(s, year=2025, as_of=AS_OF, use_cache=False)
        expected = _units_reference(s, date(2025, 1, 1), date(2025, 12, 31))
        year = statistics.queries._Scan(date(2025, 1, 1), date(2025, 12, 31))
        assert (statistics.queries._unit_sums(s, scan=year, packed=True) is None) == (limit is not None)
    assert result.by_unit == expected
    assert 0 < sum(u.on_time for u in expected) < sum(u.closed for u in expected)
    assert sum(u.evaluated for u in expected) and sum(u.report_days for u in expected)


@pytest.mark.parametrize("use_cache", [True, False])
def test_places_and_categories_match_a_row_by_row_count(demo: Database, use_cache: bool) -> None:
    """问题发生地 and 问题分类, counted per day (and cached), equal a count of each matter."""
    with demo.read() as s:
        result = tally_year(s, year=2025, as_of=AS_OF, use_cache=use_cache)
        rows = [m for m in s.scalars(select(Matter)) if m.received_on.year == 2025 and m.status != Status.VOIDED]
        categories = Counter(m.category_id for m in rows)
        places = Counter((m.place or "").strip() or "未填写" for m in rows)
    assert {c.name: c.count for c in result.by_place} == dict(places)
    assert sum(c.count for c in result.by_category) == result.this.total == len(rows)
    assert len(categories) > 5 and len(places) > 5
