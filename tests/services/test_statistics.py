"""The tally against counts computed independently from a dataset built here through the services."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta

import pytest

from xinfang_desktop.db.database import Database
from xinfang_desktop.domain.enums import (
    Channel,
    Decision,
    Purpose,
    Satisfaction,
    SkipLevel,
    Source,
    SourceLevel,
)
from xinfang_desktop.domain.errors import ValidationError
from xinfang_desktop.domain.tally import change, percent
from xinfang_desktop.domain.values import MatterInput, PetitionerInput, TransferTarget
from xinfang_desktop.services import handling, registry
from xinfang_desktop.services.common import clock
from xinfang_desktop.services.lists import category_tree
from xinfang_desktop.services.reference import list_units
from xinfang_desktop.services.statistics import tally, tally_year, years_with_matters

AS_OF = date(2025, 12, 1)


@dataclass
class Spec:
    """What the test did to one matter: the facts the expected counts are computed from."""

    received: date
    channel: Channel
    persons: int
    purpose: Purpose
    source: Source
    first_category: str
    category_id: int
    place: str
    joint: bool = False
    anonymous: bool = False
    skip: SkipLevel | None = None
    repeat: bool = False
    leader: str = ""
    decision: Decision | None = None
    due: date | None = None
    unit: str = ""
    transfer_due: date | None = None
    feedback_on: date | None = None  # accepted report
    returned: bool = False
    reminders: int = 0
    key: bool = False
    instructed: bool = False
    closed_on: date | None = None
    satisfaction: Satisfaction | None = None
    settled: bool = False
    voided: bool = False
    sent: date | None = None  # 交办日期


def _build(db: Database, seed: int) -> list[Spec]:
    rng = random.Random(seed)
    with db.read() as s:
        cats = [(first.name, child.id) for first in category_tree(s) for child in first.children]
        cats += [(first.name, first.id) for first in category_tree(s) if not first.children]
        units = [(u.id, u.name) for u in list_units(s)]
        the_clock = clock(s)
    specs: list[Spec] = []
    # a fixed number in each year, received on chosen days
    days = [date(2024, 1, 1) + timedelta(days=rng.randrange(366)) for _ in range(45)]
    days += [date(2025, 1, 1) + timedelta(days=rng.randrange(365)) for _ in range(70)]
    days.append(date(2025, 12, 31))  # the last day belongs to the year
    days.append(date(2026, 1, 1))  # the next year does not
    for received in days:
        channel = rng.choice(list(Channel))
        persons = rng.choice((1, 1, 2, 3, 5, 8, 20)) if channel is Channel.VISIT else (
            rng.choice((2, 6)) if channel is Channel.LETTER and rng.random() < 0.2 else 1)
        first, cat_id = rng.choice(cats)
        source = rng.choice(list(Source))
        spec = Spec(
            received=received, channel=channel, persons=persons, purpose=rng.choice(list(Purpose)), source=source,
            first_category=first, category_id=cat_id, place=rng.choice(("城关镇/东街社区", "青石镇/石桥村", "柳溪乡")),
            joint=channel is Channel.LETTER and persons > 1, anonymous=rng.random() < 0.1,
            skip=rng.choice((None, None, None, SkipLevel.CITY, SkipLevel.PROVINCE, SkipLevel.CAPITAL)),
            repeat=rng.random() < 0.15,
            leader=rng.choice(("", "", "张县长")) if channel is Channel.VISIT else "",
        )
        with db.begin() as s:
            ref = registry.register_matter(s, MatterInput(
                received_on=received, channel=channel, title="反映问题", persons=persons,
                petitioners=() if spec.anonymous else (PetitionerInput(name="王伟"),), source=source,
                source_level=SourceLevel.COUNTY if source is Source.ASSIGNED_FROM_ABOVE else None,
                purpose=spec.purpose, category_id=cat_id, place=spec.place, joint=spec.joint,
                anonymous=spec.anonymous, skip_level=spec.skip, repeat=spec.repeat, receiving_leader=spec.leader,
            ), now=date(2026, 6, 1))
            mid = ref.id
            if rng.random() < 0.3:
                registry.instruct(s, matter_id=mid, leader="李书记", on=received + timedelta(days=1), text="请核查")
                spec.instructed = True
            roll = rng.random()
            decided = received + timedelta(days=rng.randint(0, 10))
            if roll < 0.1:
                pass  # still awaiting a decision
            elif roll < 0.2:
                spec.decision = Decision.REJECT
                registry.decide(s, matter_id=mid, decision=Decision.REJECT, on=decided, reason="不属于本机关",
                                competent_body="县法院")
            elif roll < 0.28:
                spec.decision = Decision.FILE
                registry.decide(s, matter_id=mid, decision=Decision.FILE, on=decided)
            elif roll < 0.4:
                spec.decision = Decision.ANSWER
                registry.decide(s, matter_id=mid, decision=Decision.ANSWER, on=decided, reason="当场解答")
                if rng.random() < 0.6:
                    spec.closed_on = decided + timedelta(days=rng.randint(0, 3))
            elif roll < 0.5:
                spec.decision = Decision.FORWARD
                registry.decide(s, matter_id=mid, decision=Decision.FORWARD, on=decided, competent_body="县公安局")
                if rng.random() < 0.5:
                    spec.closed_on = decided + timedelta(days=rng.randint(1, 40))
            elif roll < 0.62:
                spec.decision = Decision.ACCEPT
                registry.decide(s, matter_id=mid, decision=Decision.ACCEPT, on=decided)
                spec.due = the_clock.handling_due(decided)
                if rng.random() < 0.6:
                    spec.closed_on = decided + timedelta(days=rng.randint(10, 90))
            else:
                spec.decision = Decision.ASSIGN
                unit_id, spec.unit = rng.choice(units[:4])
                spec.transfer_due = decided + timedelta(days=rng.choice((30, 60)))
                spec.due = spec.transfer_due
                spec.sent = decided
                registry.decide(s, matter_id=mid, decision=Decision.ASSIGN, on=decided,
                                targets=(TransferTarget(unit_id=unit_id, due_on=spec.transfer_due),))
                transfer_id = s.execute(
                    __import__("sqlalchemy").text("select id from transfers where matter_id = :m"), {"m": mid}
                ).scalar_one()
                spec.reminders = rng.choice((0, 0, 1, 2))
                for k in range(spec.reminders):
                    handling.remind(s, transfer_id=transfer_id, on=decided + timedelta(days=5 + k))
                fate = rng.random()
                if fate < 0.15:
                    spec.returned = True
                    handling.record_feedback(s, transfer_id=transfer_id, received_on=decided + timedelta(days=20),
                                             text="初步核查", accept=False, return_reason="不完整")
                elif fate < 0.85:
                    spec.feedback_on = decided + timedelta(days=rng.randint(10, 80))
                    handling.record_feedback(s, transfer_id=transfer_id, received_on=spec.feedback_on,
                                             text="已处理", result="已解决")
                    if rng.random() < 0.8:
                        spec.closed_on = spec.feedback_on + timedelta(days=rng.randint(0, 5))
            if spec.decision in (None, Decision.ACCEPT, Decision.ASSIGN) and rng.random() < 0.15:
                handling.set_key_supervision(s, matter_id=mid)
                spec.key = True
            if spec.closed_on is not None:
                handling.close(s, matter_id=mid, on=spec.closed_on)
                if rng.random() < 0.7:
                    spec.satisfaction = rng.choice(list(Satisfaction))
                    handling.follow_up(s, matter_id=mid, on=spec.closed_on + timedelta(days=3),
                                       satisfaction=spec.satisfaction)
                if rng.random() < 0.6:
                    handling.settle(s, matter_id=mid, on=spec.closed_on)
                    spec.settled = True
            if rng.random() < 0.05:
                registry.void(s, matter_id=mid, reason="重复登记")
                spec.voided = True
        specs.append(spec)
    return specs


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Database, list[Spec]]:
    from xinfang_desktop.services.office import seed_demo_office
    from xinfang_desktop.services.reference import seed_defaults

    database = Database(tmp_path_factory.mktemp("tally") / "t.sqlite3")
    with database.begin() as s:
        seed_defaults(s)
        seed_demo_office(s)
    specs = _build(database, seed=20251231)
    return database, specs


def _expected(specs: list[Spec], year: int) -> dict[str, object]:
    """Every head count, computed straight from what the test did, by DOMAIN §4's definitions."""
    rows = [m for m in specs if m.received.year == year and not m.voided]
    closed = [m for m in rows if m.closed_on is not None]
    on_time = [m for m in closed if m.due is None or m.closed_on <= m.due]  # type: ignore[operator]
    open_late = [m for m in rows if m.closed_on is None and m.decision in (Decision.ACCEPT, Decision.ASSIGN)
                 and m.due is not None and m.due < AS_OF]
    closed_late = [m for m in closed if m.due is not None and m.closed_on > m.due]  # type: ignore[operator]
    assigned = [m for m in rows if m.decision is Decision.ASSIGN]
    evaluated = [m for m in rows if m.satisfaction is not None]
    return {
        "total": len(rows),
        "by_channel": {c.value: sum(1 for m in rows if m.channel is c) for c in Channel},
        "visit_persons": sum(m.persons for m in rows if m.channel is Channel.VISIT),
        "consultations": sum(1 for m in rows if m.purpose is Purpose.CONSULTATION),
        "collective_batches": sum(1 for m in rows if m.channel is Channel.VISIT and m.persons >= 5),
        "collective_persons": sum(m.persons for m in rows if m.channel is Channel.VISIT and m.persons >= 5),
        "joint_letters": sum(1 for m in rows if m.joint),
        "anonymous": sum(1 for m in rows if m.anonymous),
        "skip_level": sum(1 for m in rows if m.skip is not None),
        "skip_by_level": {s.value: sum(1 for m in rows if m.skip is s) for s in SkipLevel},
        "repeat": sum(1 for m in rows if m.repeat),
        "required": sum(1 for m in rows if m.decision not in (Decision.REJECT, Decision.FILE)),
        "closed": len(closed),
        "closed_on_time": len(on_time),
        "overdue_open": len(open_late),
        "overdue_closed": len(closed_late),
        "closed_days": float(sum((m.closed_on - m.received).days for m in closed)),  # type: ignore[operator]
        "assigned_transfers": len(assigned),
        "transfers_with_feedback": sum(1 for m in assigned if m.feedback_on is not None or m.returned),
        "evaluated": len(evaluated),
        "satisfied": sum(1 for m in evaluated if m.satisfaction is Satisfaction.SATISFIED),
        "basically_satisfied": sum(1 for m in evaluated if m.satisfaction is Satisfaction.BASICALLY),
        "supervised": sum(1 for m in rows if m.key or m.reminders),
        "reminders": sum(m.reminders for m in rows),
        "leader_reviewed": sum(1 for m in rows if m.instructed),
        "leader_received_batches": sum(1 for m in rows if m.channel is Channel.VISIT and m.leader),
        "leader_received_persons": sum(m.persons for m in rows if m.channel is Channel.VISIT and m.leader),
        "settled": sum(1 for m in rows if m.settled),
        "closed_not_settled": sum(1 for m in closed if not m.settled),
    }


def test_dataset_exercises_every_branch(built: tuple[Database, list[Spec]]) -> None:
    """Guard against a dataset so thin that zero equals zero everywhere."""
    exp = _expected(built[1], 2025)
    for name in ("closed", "overdue_open", "overdue_closed", "assigned_transfers", "evaluated", "supervised",
                 "reminders", "leader_reviewed", "leader_received_batches", "collective_batches", "joint_letters",
                 "repeat", "skip_level", "settled", "closed_not_settled", "consultations", "anonymous"):
        assert exp[name], name
    assert exp["required"] != exp["total"]
    assert exp["closed_on_time"] != exp["closed"]


def test_head_counts_equal_independent_counts(built: tuple[Database, list[Spec]]) -> None:
    db, specs = built
    with db.read() as s:
        result = tally_year(s, year=2025, as_of=AS_OF)
    for year, counts in ((2025, result.this), (2024, result.last)):
        for name, value in _expected(specs, year).items():
            assert getattr(counts, name) == value, f"{year} {name}"
    exp = _expected(specs, 2025)
    assert result.this.overdue == exp["overdue_open"] + exp["overdue_closed"]  # type: ignore[operator]
    assert result.this.closure_rate == percent(exp["closed"], exp["required"])  # type: ignore[arg-type]
    assert result.this.satisfaction_rate == percent(
        exp["satisfied"] + exp["basically_satisfied"], exp["evaluated"])  # type: ignore[operator, arg-type]
    assert result.yoy("total") == change(exp["total"], _expected(specs, 2024)["total"])  # type: ignore[arg-type]
    assert result.yoy("来信") == change(exp["by_channel"]["来信"],  # type: ignore[index]
                                      _expected(specs, 2024)["by_channel"]["来信"])  # type: ignore[index]


def test_breakdowns_equal_independent_counts(built: tuple[Database, list[Spec]]) -> None:
    db, specs = built
    rows = [m for m in specs if m.received.year == 2025 and not m.voided]
    with db.read() as s:
        result = tally_year(s, year=2025, as_of=AS_OF)
    assert [n for _, n in result.by_month] == [sum(1 for m in rows if m.received.month == k) for k in range(1, 13)]
    assert [m for m, _ in result.by_month][0] == "2025-01"
    last_rows = [m for m in specs if m.received.year == 2024 and not m.voided]
    assert [n for _, n in result.last_by_month] == [
        sum(1 for m in last_rows if m.received.month == k) for k in range(1, 13)]
    firsts = {c.first: c.count for c in result.by_category}
    for name in {m.first_category for m in rows}:
        assert firsts[name] == sum(1 for m in rows if m.first_category == name)
    assert sum(c.count for c in result.by_category) == len(rows)
    assert sum(c.count for c in result.by_subcategory) == sum(
        1 for m in rows if m.first_category != "其他")
    assert {c.name: c.count for c in result.by_purpose} == {
        p.value: sum(1 for m in rows if m.purpose is p) for p in Purpose}
    assert {c.name: c.count for c in result.by_source} == {
        src.value: sum(1 for m in rows if m.source is src) for src in Source}
    # the 统计 tab, the CLI and the workbook's 总体情况 show both breakdowns, year on year
    from xinfang_desktop.domain.tally_text import figure_rows
    shown = {r.label: (r.this, r.last) for r in figure_rows(result)}
    for src in Source:
        assert shown[f"来源：{src.value}（件）"] == (sum(1 for m in rows if m.source is src),
                                                  sum(1 for m in last_rows if m.source is src))
    for p in Purpose:
        assert shown[f"目的：{p.value}（件）"] == (sum(1 for m in rows if m.purpose is p),
                                                 sum(1 for m in last_rows if m.purpose is p))
    towns = {c.name: c.count for c in result.by_township}
    assert towns["城关镇"] == sum(1 for m in rows if m.place.startswith("城关镇"))
    assert towns["柳溪乡"] == sum(1 for m in rows if m.place == "柳溪乡")
    channel_months = result.by_month_channel
    assert sum(channel_months["来访"]) == result.this.by_channel["来访"]


def test_unit_table_equals_independent_counts(built: tuple[Database, list[Spec]]) -> None:
    db, specs = built
    rows = [m for m in specs if m.received.year == 2025 and not m.voided and m.decision is Decision.ASSIGN]
    with db.read() as s:
        result = tally_year(s, year=2025, as_of=AS_OF)
    by_unit = {u.unit: u for u in result.by_unit}
    assert set(by_unit) == {m.unit for m in rows}
    for name, figures in by_unit.items():
        mine = [m for m in rows if m.unit == name]
        reported = [m for m in mine if m.feedback_on is not None]
        assert figures.assigned == len(mine)
        assert figures.closed == len(reported)
        assert figures.on_time == sum(1 for m in reported if m.feedback_on <= m.transfer_due)  # type: ignore[operator]
        assert figures.overdue == sum(1 for m in reported if m.feedback_on > m.transfer_due) + sum(  # type: ignore[operator]
            1 for m in mine if m.feedback_on is None and m.transfer_due < AS_OF)  # type: ignore[operator]
        days = [(m.feedback_on - m.sent).days for m in reported]  # type: ignore[operator]
        assert figures.avg_days == (round(sum(days) / len(days) + 1e-9, 1) if days else None)
        evaluated = [m for m in mine if m.satisfaction is not None]
        good = [m for m in evaluated if m.satisfaction is not Satisfaction.UNSATISFIED]
        assert figures.evaluated == len(evaluated)
        assert figures.satisfaction_rate == percent(len(good), len(evaluated))


def test_voided_matters_count_nowhere(built: tuple[Database, list[Spec]]) -> None:
    db, specs = built
    assert any(m.voided and m.received.year in (2024, 2025) for m in specs), "the dataset must contain a voided matter"
    with db.read() as s:
        result = tally(s, date_from=date(2024, 1, 1), date_to=date(2025, 12, 31), as_of=AS_OF)
    assert result.this.total == sum(1 for m in specs if m.received.year in (2024, 2025) and not m.voided)
    assert sum(u.assigned for u in result.by_unit) == sum(
        1 for m in specs if m.received.year in (2024, 2025) and not m.voided and m.decision is Decision.ASSIGN)


def test_a_range_and_its_year_earlier(built: tuple[Database, list[Spec]]) -> None:
    db, specs = built
    with db.read() as s:
        result = tally(s, date_from=date(2025, 3, 1), date_to=date(2025, 6, 30), as_of=AS_OF)
    assert (result.last_from, result.last_to) == (date(2024, 3, 1), date(2024, 6, 30))
    assert result.this.total == sum(
        1 for m in specs if date(2025, 3, 1) <= m.received <= date(2025, 6, 30) and not m.voided)
    assert result.last.total == sum(
        1 for m in specs if date(2024, 3, 1) <= m.received <= date(2024, 6, 30) and not m.voided)
    assert [m for m, _ in result.by_month] == ["2025-03", "2025-04", "2025-05", "2025-06"]


def test_years_and_bad_range(built: tuple[Database, list[Spec]]) -> None:
    db, _ = built
    with db.read() as s:
        assert years_with_matters(s) == [2026, 2025, 2024]
        with pytest.raises(ValidationError) as err:
            tally(s, date_from=date(2025, 6, 1), date_to=date(2025, 1, 1))
    assert "统计期间" == err.value.field


def test_empty_database_gives_zeros_and_none_rates(db: Database) -> None:
    with db.read() as s:
        result = tally_year(s, year=2025)
    assert result.this.total == 0
    assert result.this.closure_rate is None
    assert result.yoy("total") is None
    assert [n for _, n in result.by_month] == [0] * 12
    assert result.by_unit == ()
