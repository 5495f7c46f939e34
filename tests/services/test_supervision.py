"""The 督办 board queries: the 交办 queue, transfers due and late, 待答复 and 待办结."""

from __future__ import annotations

from datetime import date, timedelta

from xinfang_desktop.db.database import Database
from xinfang_desktop.domain.enums import Channel, Decision, TransferRole
from xinfang_desktop.domain.values import MatterInput, PetitionerInput, TransferTarget
from xinfang_desktop.services.handling import record_feedback, reply
from xinfang_desktop.services.reference import list_units
from xinfang_desktop.services.registry import decide, instruct, register_matter
from xinfang_desktop.services.search import get_matter
from xinfang_desktop.services.supervision import (
    AWAITING_CLOSE,
    AWAITING_DECISION,
    AWAITING_REPLY,
    board,
    board_counts,
    count_rows,
    decision_queue,
    due_within,
    overdue,
    awaiting_close,
)

TODAY = date.today()


def _register(db: Database, title: str, days_ago: int, name: str = "王秀英") -> int:
    with db.begin() as s:
        return register_matter(
            s,
            MatterInput(received_on=TODAY - timedelta(days=days_ago), channel=Channel.LETTER, title=title,
                        petitioners=(PetitionerInput(name=name),)),
        ).id


def _assign(db: Database, matter_id: int, sent_ago: int, due_in: int) -> int:
    with db.begin() as s:
        unit = list_units(s)[0].id
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


def test_board_rows_and_counts_follow_the_transfer_due_dates(db: Database) -> None:
    late = _assign(db, _register(db, "超期的交办件", 40), 38, -3)
    soon = _assign(db, _register(db, "临期的交办件", 30), 28, 2)
    today = _assign(db, _register(db, "今日到期的交办件", 30), 28, 0)
    _assign(db, _register(db, "正常的交办件", 10), 8, 40)
    pending = _register(db, "待受理的事项", 3)
    with db.read() as s:
        rows = board(s)
        counts = board_counts(s)
        late_ids = [r.transfer_id for r in overdue(s)]
        soon_ids = [r.transfer_id for r in due_within(s, days=5) if r.transfer_id]
    assert len(rows) == 5
    assert {r.state for r in rows if r.matter_id == pending} == {AWAITING_DECISION}
    assert counts == {"今日到期": 1, "临期": 2, "超期": 1, "在办": 5}
    assert count_rows(rows, 5) == counts
    assert late_ids == [late]
    assert soon_ids == [today, soon]


def test_answered_matter_stays_on_the_board_until_replied_then_awaits_close(db: Database) -> None:
    matter_id = _register(db, "反映村务不公开", 20)
    transfer_id = _assign(db, matter_id, 18, 30)
    with db.begin() as s:
        record_feedback(s, transfer_id=transfer_id, received_on=TODAY - timedelta(days=1), text="已公开", result="已解决")
    with db.read() as s:
        rows = [r for r in board(s) if r.matter_id == matter_id]
    # every unit reported: the office still owes the 答复, against the matter's own deadline
    assert [(r.state, r.transfer_id) for r in rows] == [(AWAITING_REPLY, None)]
    with db.begin() as s:
        reply(s, matter_id=matter_id, on=TODAY, text="经核查已公开")
    with db.read() as s:
        assert not [r for r in board(s) if r.matter_id == matter_id]
        closing = awaiting_close(s)
    assert [(r.matter_id, r.state, r.days_left) for r in closing] == [(matter_id, AWAITING_CLOSE, 0)]
