"""The 交办 queue and the board read in two steps (keys, then details), 待答复 and 待办结."""

from __future__ import annotations

from datetime import timedelta

import pytest

from xinfang_desktop import wallclock
from xinfang_desktop.db.database import Database
from xinfang_desktop.domain.enums import Channel, Decision, TransferRole
from xinfang_desktop.domain.values import MatterInput, PetitionerInput, TransferTarget
from xinfang_desktop.services.convert import get_matter
from xinfang_desktop.services.demo import generate
from xinfang_desktop.services.handling import (
    extend,
    record_feedback,
    reply,
    set_key_supervision,
)
from xinfang_desktop.services.reference import list_units
from xinfang_desktop.services.registry import decide, instruct, register_matter
from xinfang_desktop.services.supervision import (
    AWAITING_CLOSE,
    AWAITING_DECISION,
    AWAITING_REPLY,
    IN_HAND,
    awaiting_close,
    board,
    board_details,
    board_keys,
    decision_queue,
    flagged_matters,
)

TODAY = wallclock.today()


@pytest.fixture(autouse=True)
def _today_of_this_test() -> None:
    """Read today per test, not at import: a run that passes midnight must not mix two days."""
    global TODAY
    TODAY = wallclock.today()


def _register(db: Database, title: str, days_ago: int, name: str = "王秀英") -> int:
    with db.begin() as s:
        return register_matter(
            s,
            MatterInput(received_on=TODAY - timedelta(days=days_ago), channel=Channel.LETTER, title=title,
                        petitioners=(PetitionerInput(name=name),)),
        ).id


def _assign(db: Database, matter_id: int, sent_ago: int, due_in: int, unit_index: int = 0) -> int:
    with db.begin() as s:
        unit = list_units(s)[unit_index].id
        decide(s, matter_id=matter_id, decision=Decision.ASSIGN, on=TODAY - timedelta(days=sent_ago),
               targets=(TransferTarget(unit, TransferRole.LEAD, TODAY + timedelta(days=due_in)),))
    with db.read() as s:
        return get_matter(s, matter_id).transfers[0].id


def test_decision_queue_oldest_first_with_instruction_and_days_left(db: Database) -> None:
    newer = _register(db, "反映道路损坏问题", 2, "李四")
    older = _register(db, "反映拖欠工资问题", 20, "张三")
    with db.begin() as s:
        instruct(s, matter_id=newer, leader="张县长", on=TODAY, text="请城关镇核查")
    with db.read() as s:
        rows = decision_queue(s)
    assert [r.matter_id for r in rows] == [older, newer]
    assert rows[0].days_left == -5 and rows[0].petitioners == "张三"  # 15 days from receipt, 20 days ago
    assert rows[1].days_left == 13 and "张县长" in rows[1].instruction and "城关镇" in rows[1].instruction


def test_keys_carry_dates_states_and_units_and_details_fill_in_the_rest(db: Database) -> None:
    late = _register(db, "超期的交办件", 40)
    late_t = _assign(db, late, 38, -3, unit_index=1)
    pending = _register(db, "待受理的事项", 3)
    own = _register(db, "本机关受理的事项", 10)
    with db.begin() as s:
        decide(s, matter_id=own, decision=Decision.ACCEPT, on=TODAY - timedelta(days=9))
        set_key_supervision(s, matter_id=late, on=True)
    with db.read() as s:
        keys = board_keys(s)
        unit = list_units(s)[1]
        details = board_details(s, keys)
        assert board_details(s, []) == []
    assert [(k.matter_id, k.transfer_id, k.state) for k in keys] == [
        (late, late_t, "待反馈"), (pending, None, AWAITING_DECISION), (own, None, IN_HAND)]
    assert keys[0].days_left == -3 and keys[0].unit_id == unit.id and keys[0].unit == unit.name
    assert keys[2].unit == "本机关" and keys[2].days_left == 51  # 60 days from 受理
    assert [(d.number != "", d.title, d.key_supervision) for d in details] == [
        (True, "超期的交办件", True), (True, "待受理的事项", False), (True, "本机关受理的事项", False)]


def test_flags_and_unit_filter(db: Database) -> None:
    first = _register(db, "交办件一", 10)
    _assign(db, first, 8, 20, unit_index=0)
    second = _register(db, "交办件二", 10)
    _assign(db, second, 8, 20, unit_index=2)
    with db.begin() as s:
        set_key_supervision(s, matter_id=second, on=True)
        extend(s, matter_id=first, new_due_on=TODAY + timedelta(days=40), reason="情况复杂", on=TODAY)
    with db.read() as s:
        assert flagged_matters(s, key_supervision=True) == {second}
        assert flagged_matters(s, extended=True) == {first}
        unit = list_units(s)[2].id
        assert [r.matter_id for r in board(s, unit_id=unit)] == [second]


def test_answered_matter_awaits_the_reply_then_the_close(db: Database) -> None:
    matter_id = _register(db, "反映村务不公开", 20)
    transfer_id = _assign(db, matter_id, 18, 30)
    with db.begin() as s:
        record_feedback(s, transfer_id=transfer_id, received_on=TODAY - timedelta(days=1), text="已公开", result="已解决")
    with db.read() as s:
        rows = [r for r in board(s) if r.matter_id == matter_id]
    assert [(r.state, r.transfer_id) for r in rows] == [(AWAITING_REPLY, None)]
    with db.begin() as s:
        reply(s, matter_id=matter_id, on=TODAY, text="经核查已公开")
    with db.read() as s:
        assert not [r for r in board(s) if r.matter_id == matter_id]
        closing = awaiting_close(s)
    assert [(r.matter_id, r.state, r.days_left) for r in closing] == [(matter_id, AWAITING_CLOSE, 0)]


def test_two_step_board_equals_the_keys_on_demo_data(db: Database) -> None:
    with db.begin() as s:
        generate(s, cases=300, seed=3)
    with db.read() as s:
        keys = board_keys(s)
        rows = board(s)
    assert len(keys) == len(rows) > 0
    assert [(k.matter_id, k.transfer_id, k.due_on, k.state) for k in keys] == [
        (r.matter_id, r.transfer_id, r.due_on, r.state) for r in rows]
    assert [k.due_on for k in keys] == sorted(k.due_on for k in keys)


@pytest.mark.sqlite_only
def test_open_transfers_are_read_from_their_partial_index_or_without_it(db: Database) -> None:
    from sqlalchemy import text

    from xinfang_desktop.services import supervision

    matter_id = _register(db, "反映排水不畅", 10)
    _assign(db, matter_id, 8, 20)
    sql = supervision._OPEN_TRANSFERS_SQL.format(index=supervision._OPEN_INDEX)
    with db.read() as s:
        plan = " ".join(str(r[-1]) for r in s.execute(text("EXPLAIN QUERY PLAN " + sql), {"today": "2026-01-01"}))
        with_index = board_keys(s)
    assert "COVERING INDEX ix_transfers_open" in plan  # the table itself is not read
    # a copy not yet migrated to 0005 (e.g. a read-only benchmark database) still gets the board
    with db.begin() as s:
        s.execute(text("DROP INDEX ix_transfers_open"))
    with db.read() as s:
        assert board_keys(s) == with_index and [k.matter_id for k in with_index] == [matter_id]


def test_queue_counts_the_whole_queue_where_the_list_stops(db: Database) -> None:
    from xinfang_desktop.services.supervision import decision_queue_counts

    late = _register(db, "已过告知期限", 16)
    middle = _register(db, "第二件", 5)
    _register(db, "第三件", 1)
    with db.read() as s:
        assert [r.matter_id for r in decision_queue(s, limit=2)] == [late, middle]
        assert decision_queue_counts(s) == (3, 1)
