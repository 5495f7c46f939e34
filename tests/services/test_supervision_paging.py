"""A page of a board query is the head of the full list, and the cheap counts match the full lists.

The board is built here, each deadline given, so that what is tested is the paging, not the demo's timing."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy.orm import Session

from xinfang_desktop.db.database import Database
from xinfang_desktop.domain.enums import Channel, Decision, TransferRole
from xinfang_desktop.domain.values import MatterInput, PetitionerInput, TransferTarget
from xinfang_desktop.services.convert import get_matter
from xinfang_desktop.services.handling import record_feedback
from xinfang_desktop.services.reference import list_units
from xinfang_desktop.services.registry import decide, register_matter
from xinfang_desktop.services.settings import periods
from xinfang_desktop.services.supervision import (
    awaiting_feedback,
    board_counts,
    board_keys,
    count_awaiting_feedback,
    count_due_within,
    count_overdue,
    count_rows,
    due_within,
    overdue,
)

END = date(2026, 6, 30)  # the day the board is read on (and END - 40 days)
SENT = END - timedelta(days=100)
# each 交办's deadline in days from END: long past, just past (two on one day), today, within 5, 30, 60 and 90 days
TRANSFER_DUE = (-60, -50, -10, -1, -1, 0, 3, 5, 20, 45, 80)


def _register(s: Session, title: str, received: date) -> int:
    return register_matter(s, MatterInput(received_on=received, channel=Channel.LETTER, title=title,
                                          petitioners=(PetitionerInput(name="王秀英"),))).id


def _day(offset: int) -> date:
    return END + timedelta(days=offset)


@pytest.fixture
def board_db(db: Database) -> Database:
    """Every kind of row the board holds, each deadline given: the 交办 awaiting their report (a 主办 and a 协办
    of one matter among them), one 退回补办, matters awaiting a decision, and the office's own deadlines."""
    with db.begin() as s:
        lead, assist = (u.id for u in list_units(s)[:2])
        for n, left in enumerate(TRANSFER_DUE):
            matter_id = _register(s, f"反映第{n + 1}件交办的问题", SENT)
            targets = (TransferTarget(lead, TransferRole.LEAD, _day(left)),)
            if n % 3 == 0:  # two rows of one matter, on the same day
                targets += (TransferTarget(assist, TransferRole.ASSIST, _day(left)),)
            decide(s, matter_id=matter_id, decision=Decision.ASSIGN, on=SENT, targets=targets)
        returned = _register(s, "反映退回补办的问题", SENT)
        decide(s, matter_id=returned, decision=Decision.ASSIGN, on=SENT, targets=(TransferTarget(lead, due_on=_day(-30)),))
        record_feedback(s, transfer_id=get_matter(s, returned).transfers[0].id, received_on=_day(-35), text="已核实",
                        accept=False, return_reason="未附调查材料", new_due_on=_day(7))
        reported = _register(s, "反映单位已报结待答复的问题", SENT)
        decide(s, matter_id=reported, decision=Decision.ASSIGN, on=SENT, targets=(TransferTarget(lead, due_on=_day(10)),))
        record_feedback(s, transfer_id=get_matter(s, reported).transfers[0].id, received_on=_day(-20), text="已办结")
        for due in (-5, 25):  # 受理, handled by the office itself
            own = _register(s, f"反映本机关办理的问题（{due}）", SENT)
            decide(s, matter_id=own, decision=Decision.ACCEPT, on=SENT, due_on=_day(due))
        for received in (-25, -12, -2):  # awaiting a decision: 15 days from receipt
            _register(s, f"反映待受理的问题（{received}）", _day(received))
    return db


def _ids(rows):  # type: ignore[no-untyped-def]
    return [(r.matter_id, r.transfer_id, r.due_on, r.days_left, r.state, r.number, r.title) for r in rows]


@pytest.mark.parametrize("on", [END, END - timedelta(days=40)])
def test_a_page_is_the_head_of_the_full_list(board_db: Database, on: date) -> None:
    with board_db.read() as s:
        for query in (lambda **kw: due_within(s, days=60, on=on, **kw), lambda **kw: overdue(s, on=on, **kw),
                      lambda **kw: awaiting_feedback(s, on=on, **kw)):
            full = query()
            assert len(full) >= 2  # a page of one row leaves some out
            for limit in (1, 2, len(full) - 1, len(full), len(full) + 10):
                assert _ids(query(limit=limit)) == _ids(full[:limit])


@pytest.mark.parametrize("on", [END, END - timedelta(days=40)])
def test_counts_match_the_full_lists(board_db: Database, on: date) -> None:
    with board_db.read() as s:
        for days in (0, 5, 30):
            assert count_due_within(s, days=days, on=on) == len(due_within(s, days=days, on=on))
        assert count_overdue(s, on=on) == len(overdue(s, on=on)) > 0
        assert count_awaiting_feedback(s, on=on) == len(awaiting_feedback(s, on=on)) > 0
        assert board_counts(s, on=on) == count_rows(board_keys(s, on=on), periods(s).due_soon_days)


def test_windows_split_the_board_without_gaps(board_db: Database) -> None:
    with board_db.read() as s:
        keys = board_keys(s, on=END)
        late = overdue(s, on=END)
        soon = due_within(s, days=10_000, on=END)
    # every open deadline is either past or within a (very wide) window from today, in board order
    assert [(r.matter_id, r.transfer_id) for r in late + soon] == [(k.matter_id, k.transfer_id) for k in keys]


def test_a_narrow_window_reads_the_same_rows_as_a_wide_one(board_db: Database) -> None:
    # up to a month, each transfer's matter is looked up by id; wider, the matters in hand are read once
    seen = 0
    with board_db.read() as s:
        for on in (END, END - timedelta(days=40)):
            wide = due_within(s, days=90, on=on)
            for days in (0, 5, 31):
                narrow = due_within(s, days=days, on=on)
                assert _ids(narrow) == _ids([r for r in wide if r.days_left <= days])
                seen += len(narrow)
        assert seen > 0
        assert due_within(s, days=90, on=END, limit=0) == [] and overdue(s, on=END, limit=-5) == []


def test_counts_and_pages_without_the_partial_index(board_db: Database) -> None:
    from sqlalchemy import text

    with board_db.read() as s:
        before = (board_counts(s, on=END), count_overdue(s, on=END), _ids(overdue(s, on=END, limit=5)),
                  _ids(due_within(s, days=5, on=END)), count_awaiting_feedback(s, on=END))
    # a copy not yet migrated to 0005 reads the same figures the plain way
    with board_db.begin() as s:
        s.execute(text("DROP INDEX ix_transfers_open"))
    with board_db.read() as s:
        after = (board_counts(s, on=END), count_overdue(s, on=END), _ids(overdue(s, on=END, limit=5)),
                 _ids(due_within(s, days=5, on=END)), count_awaiting_feedback(s, on=END))
    assert after == before and before[0]["在办"] > 0


def test_the_board_holds_the_rows_built(board_db: Database) -> None:
    # so that the tests above page through every kind of row, whatever the demo does
    with board_db.read() as s:
        late = overdue(s, on=END)
        owed = awaiting_feedback(s, on=END)
    assert [(r.days_left, r.state) for r in late] == [
        (-60, "待反馈"), (-60, "待反馈"), (-50, "待反馈"), (-10, "待反馈"), (-10, "待受理"), (-5, "办理中"),
        (-1, "待反馈"), (-1, "待反馈"), (-1, "待反馈")]
    assert len(owed) == len(TRANSFER_DUE) + 4 + 1  # four 协办, the 退回补办
    assert ("退回补办", 7) in {(r.state, r.days_left) for r in owed}
