"""The tally's per-day cache (tally_days, migration 0007): equal to counting afresh, dropped day by day by triggers."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.orm import Session

from xinfang_desktop.db.database import Database
from xinfang_desktop.db.dialect import SECOND_READER, as_date, on_server, second_reader
from xinfang_desktop.domain.enums import Channel, Decision, Satisfaction
from xinfang_desktop.domain.tally import Tally
from xinfang_desktop.domain.values import MatterInput, PetitionerInput, TransferTarget
from xinfang_desktop.services import handling, registry, statistics
from xinfang_desktop.services.demo import generate
from xinfang_desktop.services.office import seed_demo_office
from xinfang_desktop.services.reference import list_units, seed_defaults
from xinfang_desktop.services.statistics import cache, fill_cache, queries, tally, tally_year

AS_OF = date(2025, 12, 1)
YEAR = (date(2025, 1, 1), date(2025, 12, 31))
UNRELATED = date(2025, 7, 1)  # M4's day: no change below touches it


@dataclass
class Built:
    db: Database
    ids: dict[str, int]  # matter ids by name
    transfers: dict[str, int]  # transfer ids by matter name
    units: list[int]


def _register(s: Session, received: date, channel: Channel = Channel.LETTER, persons: int = 1) -> int:
    return registry.register_matter(s, MatterInput(
        received_on=received, channel=channel, title="反映问题", persons=persons,
        petitioners=(PetitionerInput(name="王伟"),), category_id=None, place="城关镇/东街社区",
    ), now=date(2026, 1, 1)).id


def _transfer_of(s: Session, matter_id: int) -> int:
    return int(s.execute(text("SELECT max(id) FROM transfers WHERE matter_id = :m"), {"m": matter_id}).scalar_one())


@pytest.fixture
def built(db: Database) -> Built:
    """A few matters over 2024 and 2025 in every state the figures distinguish."""
    ids: dict[str, int] = {}
    transfers: dict[str, int] = {}
    with db.begin() as s:
        units = [u.id for u in list_units(s)][:3]
        a, b = units[0], units[1]
        # M1: accepted, still in hand, past its deadline at AS_OF
        ids["m1"] = _register(s, date(2025, 3, 10))
        registry.decide(s, matter_id=ids["m1"], decision=Decision.ACCEPT, on=date(2025, 3, 12))
        # M2: a collective visit assigned, reminded, reported late, closed, followed up
        ids["m2"] = _register(s, date(2025, 4, 2), Channel.VISIT, persons=6)
        registry.decide(s, matter_id=ids["m2"], decision=Decision.ASSIGN, on=date(2025, 4, 3),
                        targets=(TransferTarget(unit_id=a, due_on=date(2025, 5, 10)),))
        transfers["m2"] = _transfer_of(s, ids["m2"])
        handling.remind(s, transfer_id=transfers["m2"], on=date(2025, 5, 1))
        handling.record_feedback(s, transfer_id=transfers["m2"], received_on=date(2025, 5, 20), text="已处理")
        handling.close(s, matter_id=ids["m2"], on=date(2025, 5, 25))
        handling.follow_up(s, matter_id=ids["m2"], on=date(2025, 5, 28), satisfaction=Satisfaction.SATISFIED)
        # M3: assigned, no report: past due at AS_OF
        ids["m3"] = _register(s, date(2025, 6, 15), Channel.CALL)
        registry.decide(s, matter_id=ids["m3"], decision=Decision.ASSIGN, on=date(2025, 6, 16),
                        targets=(TransferTarget(unit_id=b, due_on=date(2025, 8, 1)),))
        transfers["m3"] = _transfer_of(s, ids["m3"])
        # M4: forwarded and closed (the unrelated day)
        ids["m4"] = _register(s, UNRELATED, Channel.ONLINE)
        registry.decide(s, matter_id=ids["m4"], decision=Decision.FORWARD, on=UNRELATED, competent_body="县公安局")
        handling.close(s, matter_id=ids["m4"], on=date(2025, 7, 20))
        # M5: assigned, reported once and sent back (退回补办) with a new deadline
        ids["m5"] = _register(s, date(2025, 9, 9))
        registry.decide(s, matter_id=ids["m5"], decision=Decision.ASSIGN, on=date(2025, 9, 10),
                        targets=(TransferTarget(unit_id=a, due_on=date(2025, 10, 30)),))
        transfers["m5"] = _transfer_of(s, ids["m5"])
        handling.record_feedback(s, transfer_id=transfers["m5"], received_on=date(2025, 10, 1), text="初步核查",
                                 accept=False, return_reason="不完整", new_due_on=date(2025, 11, 20))
        # M6: received, nothing decided yet
        ids["m6"] = _register(s, date(2025, 8, 8))
        # M7: accepted, in hand, due after AS_OF; used for 交办 after the decision
        ids["m7"] = _register(s, date(2025, 11, 20))
        registry.decide(s, matter_id=ids["m7"], decision=Decision.ACCEPT, on=date(2025, 11, 21))
        # last year: the same kinds, for 同比 and the range across the new year
        ids["l1"] = _register(s, date(2024, 4, 2), Channel.VISIT, persons=2)
        registry.decide(s, matter_id=ids["l1"], decision=Decision.ASSIGN, on=date(2024, 4, 3),
                        targets=(TransferTarget(unit_id=b, due_on=date(2024, 5, 10)),))
        transfers["l1"] = _transfer_of(s, ids["l1"])
        handling.record_feedback(s, transfer_id=transfers["l1"], received_on=date(2024, 5, 2), text="已处理")
        handling.close(s, matter_id=ids["l1"], on=date(2024, 5, 5))
        ids["l2"] = _register(s, date(2024, 12, 20))
        registry.decide(s, matter_id=ids["l2"], decision=Decision.ASSIGN, on=date(2024, 12, 21),
                        targets=(TransferTarget(unit_id=units[2], due_on=date(2025, 1, 20)),))
        ids["l3"] = _register(s, date(2025, 1, 5), Channel.FAX)
        registry.instruct(s, matter_id=ids["l3"], leader="李书记", on=date(2025, 1, 6), text="请核查")
    return Built(db, ids, transfers, units)


def _cached(db: Database, period: tuple[date, date], as_of: date = AS_OF) -> Tally:
    with db.begin() as s:
        return tally(s, date_from=period[0], date_to=period[1], as_of=as_of)


def _fresh(db: Database, period: tuple[date, date], as_of: date = AS_OF) -> Tally:
    with db.read() as s:
        return tally(s, date_from=period[0], date_to=period[1], as_of=as_of, use_cache=False)


def _cached_days(db: Database) -> set[date]:
    with db.read() as s:
        return {as_date(d) for d in s.scalars(text("SELECT day FROM tally_days"))}


def _day_of(db: Database, matter_id: int) -> date:
    with db.read() as s:
        return as_date(s.execute(text("SELECT received_on FROM matters WHERE id = :m"),
                                            {"m": matter_id}).scalar_one())


@pytest.fixture
def counted(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[date]]:
    """The days the tally counts afresh, in order (a spy on the per-day queries)."""
    days: list[date] = []
    count = cache._count_days

    def spy(session: Session, scans: list[tuple[queries._Scan, bool]], live: queries.Beside | None = None
            ) -> tuple[dict[date, queries._Day], dict[str, object]]:
        result, live_results = count(session, scans, live)
        days.extend(result)
        return result, live_results

    monkeypatch.setattr(cache, "_count_days", spy)
    yield days


def _each(first: date, last: date) -> set[date]:
    return {first + timedelta(days=k) for k in range((last - first).days + 1)}


@pytest.mark.parametrize("period", [
    YEAR,
    (date(2025, 3, 15), date(2025, 9, 10)),  # an odd range: last year's is not adjacent
    (date(2024, 11, 20), date(2025, 2, 10)),  # across the new year
])
def test_cached_tally_equals_the_tally_counted_afresh(built: Built, period: tuple[date, date],
                                                      counted: list[date]) -> None:
    fresh = _fresh(built.db, period)
    counted.clear()
    cold = _cached(built.db, period)
    last = (statistics.one_year_earlier(period[0]), statistics.one_year_earlier(period[1]))
    assert set(counted) == _each(*period) | _each(*last)  # every day of both periods, days without matters too
    assert _cached_days(built.db) >= _each(*period) | _each(*last)
    counted.clear()
    warm = _cached(built.db, period)
    assert counted == []  # read from tally_days alone
    assert cold == warm == fresh
    assert fresh.this.total and fresh.by_unit and fresh.by_place and fresh.by_category


def test_last_years_days_get_their_breakdowns_when_their_own_year_is_tallied(built: Built,
                                                                             counted: list[date]) -> None:
    """A tally of 2025 counts 2024 only for 同比; a tally of 2024 then counts its 承办单位, 分类, 发生地."""
    _cached(built.db, YEAR)
    counted.clear()
    year_2024 = (date(2024, 1, 1), date(2024, 12, 31))
    assert _cached(built.db, year_2024) == _fresh(built.db, year_2024)
    assert set(counted) == _each(*year_2024) | _each(date(2023, 1, 1), date(2023, 12, 31))
    assert _fresh(built.db, year_2024).by_unit  # the breakdown that 2025's tally had left uncounted


def _assign_m7(b: Built, s: Session) -> list[int]:
    registry.transfer(s, matter_id=b.ids["m7"], targets=(TransferTarget(unit_id=b.units[2], due_on=date(2025, 11, 25)),),
                      on=date(2025, 11, 22))
    return [b.ids["m7"]]


def _move_m1(b: Built, s: Session) -> list[date]:
    registry.update_matter(s, matter_id=b.ids["m1"], changes={"received_on": date(2025, 2, 28)})
    return [date(2025, 3, 10), date(2025, 2, 28)]  # the day it left and the day it joined


# each change through the services, and the matters whose days it must drop from the cache
CHANGES: dict[str, Callable[[Built, Session], list[int] | list[date]]] = {
    "register": lambda b, s: [_register(s, date(2025, 5, 5), Channel.VISIT, persons=5)],
    "edit": lambda b, s: [registry.update_matter(s, matter_id=b.ids["m6"],
                                                 changes={"channel": Channel.VISIT, "persons": 7}).id],
    "void": lambda b, s: [registry.void(s, matter_id=b.ids["m3"], reason="重复登记").id],
    "move to another day": _move_m1,
    "decide (交办)": lambda b, s: [registry.decide(
        s, matter_id=b.ids["m6"], decision=Decision.ASSIGN, on=date(2025, 8, 9),
        targets=(TransferTarget(unit_id=b.units[0], due_on=date(2025, 9, 1)),)).id],
    "transfer": _assign_m7,
    "remind": lambda b, s: [handling.remind(s, transfer_id=b.transfers["m3"], on=date(2025, 7, 1)).id],
    "feedback accepted": lambda b, s: [handling.record_feedback(
        s, transfer_id=b.transfers["m3"], received_on=date(2025, 7, 30), text="已处理").id],
    "feedback returned": lambda b, s: [handling.record_feedback(
        s, transfer_id=b.transfers["m3"], received_on=date(2025, 7, 30), text="初查", accept=False,
        return_reason="不完整").id],
    "instruction": lambda b, s: [registry.instruct(s, matter_id=b.ids["m6"], leader="张县长", on=date(2025, 8, 9),
                                                   text="阅").id],
    "key supervision": lambda b, s: [handling.set_key_supervision(s, matter_id=b.ids["m1"]).id],
    "extend": lambda b, s: [handling.extend(s, matter_id=b.ids["m1"], new_due_on=date(2025, 6, 5), reason="复杂",
                                            on=date(2025, 5, 10)).id],
    "close": lambda b, s: [handling.close(s, matter_id=b.ids["m1"], on=date(2025, 6, 1)).id],
    "follow-up (回访)": lambda b, s: [handling.follow_up(s, matter_id=b.ids["m2"], on=date(2025, 6, 2),
                                                       satisfaction=Satisfaction.UNSATISFIED).id],
    "settle (息访)": lambda b, s: [handling.settle(s, matter_id=b.ids["m2"], on=date(2025, 6, 2)).id],
}
# changes that move no figure of this dataset at AS_OF (M1 is past due either way): dropped all the same
INVISIBLE = {"extend"}


@pytest.mark.parametrize("change", list(CHANGES))
def test_a_change_drops_its_day_and_the_next_tally_shows_it(built: Built, change: str) -> None:
    before = _cached(built.db, YEAR)
    assert UNRELATED in _cached_days(built.db)
    with built.db.begin() as s:
        touched = CHANGES[change](built, s)
    days = [t if isinstance(t, date) else _day_of(built.db, t) for t in touched]
    cached = _cached_days(built.db)
    assert not set(days) & cached, f"{change}: the changed day is still cached"
    assert UNRELATED in cached
    after = _cached(built.db, YEAR)
    assert after == _fresh(built.db, YEAR)
    assert (after == before) == (change in INVISIBLE), f"{change} changes a figure"
    assert set(days) <= _cached_days(built.db)  # counted again and kept


# a write that only one trigger sees, straight in SQL (a future service, an import, a repair)
RAW: dict[str, tuple[str, Callable[[Built], dict[str, object]], Callable[[Built], list[str]]]] = {
    "matters delete": ("DELETE FROM matters WHERE id = :bare", lambda b: {}, lambda b: ["bare"]),
    "transfers move": ("UPDATE transfers SET matter_id = :l2 WHERE id = :t3",
                       lambda b: {"l2": b.ids["l2"], "t3": b.transfers["m3"]}, lambda b: ["m3", "l2"]),
    "transfers delete": ("DELETE FROM transfers WHERE id = :t3", lambda b: {"t3": b.transfers["m3"]},
                         lambda b: ["m3"]),
    # a second accepted report of one transfer, earlier than the first (the workflow refuses one, a
    # hand-made row could add it): the transfer's report date is its first accepted one, now on time
    "feedback insert": ("INSERT INTO feedback (transfer_id, received_on, text, result, accepted, return_reason)"
                        " VALUES (:t2, '2025-05-01', '补充', '', TRUE, '')", lambda b: {"t2": b.transfers["m2"]},
                        lambda b: ["m2"]),
    "feedback date": ("UPDATE feedback SET received_on = '2025-05-01' WHERE transfer_id = :t2",
                      lambda b: {"t2": b.transfers["m2"]}, lambda b: ["m2"]),
    "feedback not accepted": ("UPDATE feedback SET accepted = FALSE WHERE transfer_id = :t2",
                              lambda b: {"t2": b.transfers["m2"]}, lambda b: ["m2"]),
    "feedback move": ("UPDATE feedback SET transfer_id = :t3 WHERE transfer_id = :t2",
                      lambda b: {"t2": b.transfers["m2"], "t3": b.transfers["m3"]}, lambda b: ["m2", "m3"]),
    "feedback delete": ("DELETE FROM feedback WHERE transfer_id = :t2", lambda b: {"t2": b.transfers["m2"]},
                        lambda b: ["m2"]),
    "instruction move": ("UPDATE instructions SET matter_id = :l2 WHERE matter_id = :l3",
                         lambda b: {"l2": b.ids["l2"], "l3": b.ids["l3"]}, lambda b: ["l3", "l2"]),
    "instruction delete": ("DELETE FROM instructions WHERE matter_id = :l3", lambda b: {"l3": b.ids["l3"]},
                           lambda b: ["l3"]),
}


@pytest.mark.parametrize("case", list(RAW))
def test_every_trigger_drops_the_days_it_touches(built: Built, case: str) -> None:
    """Writes the services never make (a delete, a move between matters) each fire one trigger only."""
    with built.db.begin() as s:  # a matter with nothing hanging on it, so that it can be deleted
        s.execute(text(
            "INSERT INTO matters (year, seq, number, received_on, channel, source, purpose, place, title, content,"
            " demand, persons, collective, joint, anonymous, repeat, involves_deputy, in_scope, receiving_leader,"
            " proposal, decision_reason, competent_body, notice_due, extended, extension_reason, status,"
            " key_supervision, reply_text, result, settled, stage, final, void_reason, note, created_at) VALUES"
            " (2025, 999, 'bare', '2025-10-10', '来信', '群众直接', '咨询', '', '无', '', '', 1, FALSE, FALSE, FALSE,"
            " FALSE, FALSE, TRUE, '', '', '', '', '2025-10-25', FALSE, '', '待处理', FALSE, '', '', FALSE, '初次', FALSE,"
            " '', '', '2025-10-10 09:00:00')"))
        built.ids["bare"] = int(s.execute(text("SELECT id FROM matters WHERE number = 'bare'")).scalar_one())
    before = _cached(built.db, YEAR)
    statement, params, touched = RAW[case]
    days = [_day_of(built.db, built.ids[name]) for name in touched(built)]
    with built.db.begin() as s:
        s.execute(text(statement), {**params(built), "bare": built.ids["bare"]})
    cached = _cached_days(built.db)
    assert not set(days) & cached, f"{case}: a changed day is still cached"
    assert UNRELATED in cached
    after = _cached(built.db, YEAR)
    assert after == _fresh(built.db, YEAR)
    assert after != before


def test_a_write_outside_the_tallied_columns_keeps_the_cache(built: Built) -> None:
    """Triggers watch only the columns the tally reads: editing a title keeps the day cached."""
    _cached(built.db, YEAR)
    with built.db.begin() as s:
        registry.update_matter(s, matter_id=built.ids["m1"], changes={"title": "反映土地承包问题"})
        registry.propose(s, matter_id=built.ids["m1"], text="拟交城关镇办理")
    assert date(2025, 3, 10) in _cached_days(built.db)


def test_overdue_follows_the_as_of_date_without_any_write(built: Built, counted: list[date]) -> None:
    dates = (date(2025, 7, 1), date(2025, 9, 1), date(2025, 12, 1))
    fresh = {as_of: _fresh(built.db, YEAR, as_of=as_of) for as_of in dates}
    _cached(built.db, YEAR, as_of=date(2025, 7, 1))
    counted.clear()
    figures = {}
    for as_of in dates:
        cached = _cached(built.db, YEAR, as_of=as_of)
        assert cached == fresh[as_of]
        units = {u.unit: u.overdue for u in cached.by_unit}
        figures[as_of] = (cached.this.overdue_open, sum(units.values()))
    assert counted == []  # no day counted again: the as-of parts are live
    # M1 (办理中, due in May) is overdue from July; M3's transfer (due 1 August) from September;
    # M5's returned transfer (due 20 November) from December
    assert figures[date(2025, 7, 1)][0] < figures[date(2025, 12, 1)][0]
    assert figures[date(2025, 7, 1)][1] < figures[date(2025, 9, 1)][1] < figures[date(2025, 12, 1)][1]


@pytest.mark.sqlite_only
def test_a_read_only_database_still_tallies(built: Built, tmp_path: Path) -> None:
    expected = _fresh(built.db, YEAR)
    built.db.close()
    engine = create_engine(f"sqlite:///file:{built.db.path}?mode=ro&uri=true")
    try:
        with Session(engine) as s:
            assert tally_year(s, year=2025, as_of=AS_OF) == expected
            assert s.scalar(text("SELECT count(*) FROM tally_days")) == 0
    finally:
        engine.dispose()


def test_a_refused_cache_write_leaves_the_figures_and_the_transaction(built: Built) -> None:
    """A write refused (here by query_only, or a read-only transaction on the server; in life a busy or
    moved-on database) is not an error."""
    expected = _fresh(built.db, YEAR)
    with built.db.begin() as s:
        server = on_server(s)
        s.execute(text("SET TRANSACTION READ ONLY" if server else "PRAGMA query_only = ON"))
        try:
            assert tally_year(s, year=2025, as_of=AS_OF) == expected
            assert s.execute(text("SELECT count(*) FROM matters")).scalar_one()  # the transaction goes on
        finally:
            if not server:  # the server's read-only transaction ends with the block
                s.execute(text("PRAGMA query_only = OFF"))
    assert _cached_days(built.db) == set()
    assert _cached(built.db, YEAR) == expected  # and the next tally, writable, keeps its days
    assert UNRELATED in _cached_days(built.db)


def test_a_database_without_the_cache_table_tallies(built: Built) -> None:
    """A read-only copy of a database from before 0007 has no tally_days."""
    expected = _fresh(built.db, YEAR)
    with built.db.begin() as s:
        s.execute(text("DROP TABLE tally_days"))
        assert tally_year(s, year=2025, as_of=AS_OF) == expected
        assert fill_cache(s, date_from=YEAR[0], date_to=YEAR[1]) == 0


def test_days_of_another_layout_are_counted_again(built: Built, counted: list[date]) -> None:
    _cached(built.db, YEAR)
    with built.db.begin() as s:
        s.execute(text("UPDATE tally_days SET version = 0, matters = '{}' WHERE day = '2025-04-02'"))
    expected = _fresh(built.db, YEAR)
    counted.clear()
    assert _cached(built.db, YEAR) == expected
    assert counted == [date(2025, 4, 2)]


def test_fill_cache_counts_only_what_is_missing(built: Built) -> None:
    with built.db.begin() as s:
        assert fill_cache(s, date_from=date(2025, 1, 1), date_to=date(2025, 1, 31)) == 31
        assert fill_cache(s, date_from=date(2025, 1, 1), date_to=date(2025, 2, 28)) == 28
        assert fill_cache(s, date_from=date(2025, 1, 1), date_to=date(2025, 2, 28)) == 0
    assert _cached_days(built.db) == _each(date(2025, 1, 1), date(2025, 2, 28))


def test_demo_data_comes_with_a_warm_cache(tmp_path: Path, counted: list[date]) -> None:
    db = Database(tmp_path / "demo.sqlite3")
    with db.begin() as s:
        generate(s, cases=300, seed=5, end=date(2025, 10, 31), years=2)
    counted.clear()
    with db.begin() as s:
        warm = tally_year(s, year=2025, as_of=AS_OF)
    assert counted == []  # generate() cached every day of the years it filled
    assert warm == _fresh(db, YEAR)
    assert warm.this.total > 100
    db.close()


def test_missing_days_are_counted_as_long_ranges_and_one_list_of_the_rest() -> None:
    """A run of days is one range per query; scattered days (a day's work) share one query."""
    run = sorted(_each(date(2025, 1, 1), date(2025, 1, 10)))
    scattered = [date(2025, 2, 3), date(2025, 2, 4), date(2025, 6, 30)]
    scans = cache._missing_scans(scattered + run)
    assert scans == [queries._Scan(date(2025, 1, 1), date(2025, 1, 10)),
                     queries._Scan(date(2025, 2, 3), date(2025, 6, 30), tuple(scattered))]
    assert [d for scan in scans for d in scan.each()] == run + scattered


def _not_kept(db: Database) -> list[date]:
    """The days of the data's years that have no kept row (with its breakdowns) of this layout."""
    with db.read() as s:
        first, last = s.execute(text("SELECT min(received_on), max(received_on) FROM matters")).one()
        kept = {as_date(d) for d in s.scalars(text("SELECT day FROM tally_days WHERE version = :v AND units <> 'null'"),
                                              {"v": cache._CACHE_VERSION})}
    return sorted(_each(date(as_date(first).year, 1, 1), date(as_date(last).year, 12, 31)) - kept)


def _checked_against_a_count_of_each_row(db: Database, counted: list[date]) -> None:
    """A tally of 2025 counts no day afresh, and equals the row-by-row reference count."""
    from tests.services import test_tally_reference as reference

    counted.clear()
    with db.begin() as s:
        result = tally_year(s, year=2025, as_of=reference.AS_OF)
    assert counted == []
    reference._check(result, db)


def test_an_upgrade_counts_every_day_of_the_data_years(tmp_path: Path, counted: list[date]) -> None:
    from alembic import command

    path = tmp_path / "old.sqlite3"
    db = Database(path)
    with db.begin() as s:
        generate(s, cases=400, seed=7, end=date(2025, 10, 31), years=2)
    # as the release before 0018 left it: its indexes, and days kept in the layout it wrote
    cfg = db._alembic_config()
    with db.engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "0017")
        conn.execute(text("UPDATE tally_days SET version = 12345"))
    db.close()
    counted.clear()
    db = Database(path)
    assert db.current_revision() == db.head_revision()
    assert len(counted) == 366 + 365 and _not_kept(db) == []  # counted by the upgrade, before any tally
    _checked_against_a_count_of_each_row(db, counted)
    with db.read() as s:
        plan = " ".join(r[3] for r in s.execute(text(
            "EXPLAIN QUERY PLAN SELECT count(DISTINCT matter_id) FROM verifications"
            " WHERE checked_on BETWEEN '2025-01-01' AND '2025-12-31' AND result = '未落实'")))
    assert "COVERING INDEX ix_verifications_checked_on" in plan
    db.close()


def test_an_import_leaves_every_day_of_its_years_kept(tmp_path: Path, counted: list[date]) -> None:
    from xinfang_desktop.domain.values import MatterFilter
    from xinfang_desktop.services.ledger.files import export_ledger_file, import_ledger_file

    source = Database(tmp_path / "source.sqlite3")
    with source.begin() as s:
        generate(s, cases=300, seed=8, end=date(2025, 10, 31), years=2)
    ledger = tmp_path / "台账.xlsx"
    assert export_ledger_file(source, ledger, flt=MatterFilter(year=2025), full_id=True) > 100
    db = Database(tmp_path / "office.sqlite3")
    with db.begin() as s:
        generate(s, cases=200, seed=9, end=date(2025, 10, 31), years=2)
    assert _not_kept(db) == []
    outcome = import_ledger_file(db, ledger, renumber=True)  # the two demos share 编号
    assert outcome.committed and outcome.report.imported > 100
    assert _not_kept(db) == []
    _checked_against_a_count_of_each_row(db, counted)
    source.close()
    db.close()


def test_a_restored_backup_brings_its_own_kept_days(tmp_path: Path, counted: list[date]) -> None:
    """A backup is a copy of the file: its kept days are those of its own data, right as they are."""
    from xinfang_desktop.services.backups import restore_backup

    db = Database(tmp_path / "office.sqlite3")
    with db.begin() as s:
        generate(s, cases=300, seed=10, end=date(2025, 10, 31), years=2)
    backup = db.backup()
    with db.begin() as s:
        for day in (date(2025, 3, 3), date(2025, 3, 4), date(2025, 9, 9)):
            _register(s, day, Channel.VISIT, persons=6)
    with db.begin() as s:
        tally_year(s, year=2025, as_of=AS_OF)  # the new days kept in the file, not in the backup
    path = db.path
    db.close()
    restore_backup(path, backup)
    db = Database(path)
    assert _not_kept(db) == []
    _checked_against_a_count_of_each_row(db, counted)
    db.close()


def test_two_connections_count_as_one_and_a_save_meanwhile_is_never_kept_half_seen(tmp_path: Path) -> None:
    """A file's read() and derive() count the breakdowns on a second connection at once (second_reader).
    Another program's save committed after the tally's read began and before the second connection
    reads: the second may see it, the first does not; the days counted are then not kept (the write
    of a deferred transaction whose snapshot is not the newest is refused), so no kept day mixes the two."""
    db = Database(tmp_path / "two.sqlite3")
    with db.begin() as s:
        seed_defaults(s)
        seed_demo_office(s)
        units = [u.id for u in list_units(s)][:3]
        for k in range(40):
            received = date(2025, 1, 3) + timedelta(days=9 * k)
            matter_id = _register(s, received, Channel.VISIT if k % 3 else Channel.LETTER, persons=1 + k % 7)
            if k % 2:
                registry.decide(s, matter_id=matter_id, decision=Decision.ASSIGN, on=received,
                                targets=(TransferTarget(unit_id=units[k % 3], due_on=received + timedelta(days=20)),))
    with db.begin() as s:  # a write transaction: no second reader, one connection counts every part
        one = tally_year(s, year=2025, as_of=AS_OF, use_cache=False)
    opened: list[Session] = []

    @contextmanager
    def counted_beside(session: Session) -> Iterator[Session]:
        with second_reader(session) as beside:
            opened.append(beside)
            yield beside

    with db.read() as s:
        s.info[SECOND_READER] = counted_beside
        two = tally_year(s, year=2025, as_of=AS_OF, use_cache=False)
    assert len(opened) == 1 and two == one and one.this.total == 40 and one.by_unit

    other = Database(db.path)  # another clerk's program on the same file

    @contextmanager
    def a_save_meanwhile(session: Session) -> Iterator[Session]:
        with second_reader(session) as beside:
            with other.begin() as s:
                _register(s, date(2025, 5, 5), Channel.VISIT, persons=3)
            yield beside

    with db.derive() as s:
        s.info[SECOND_READER] = a_save_meanwhile
        seen = tally_year(s, year=2025, as_of=AS_OF)
    assert seen.this.total in (40, 41)  # as the connection that took the matter pass saw it
    assert _cached_days(db) == set()  # nothing counted was kept
    assert _cached(db, YEAR) == _fresh(db, YEAR) and _fresh(db, YEAR).this.total == 41
    other.close()
    db.close()
