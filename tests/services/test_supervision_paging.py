"""A page of a board query is the head of the full list, and the cheap counts match the full lists."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from xinfang_desktop.db.database import Database
from xinfang_desktop.services.common import periods
from xinfang_desktop.services.demo import generate
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

END = date(2026, 6, 30)


@pytest.fixture
def demo_db(db: Database) -> Database:
    with db.begin() as s:
        generate(s, cases=400, seed=7, end=END, years=2)
    return db


def _ids(rows):  # type: ignore[no-untyped-def]
    return [(r.matter_id, r.transfer_id, r.due_on, r.days_left, r.state, r.number, r.title) for r in rows]


@pytest.mark.parametrize("on", [END, END - timedelta(days=40)])
def test_a_page_is_the_head_of_the_full_list(demo_db: Database, on: date) -> None:
    with demo_db.read() as s:
        for query in (lambda **kw: due_within(s, days=60, on=on, **kw), lambda **kw: overdue(s, on=on, **kw),
                      lambda **kw: awaiting_feedback(s, on=on, **kw)):
            full = query()
            assert len(full) >= 2  # a page of one row leaves some out
            for limit in (1, 2, len(full) - 1, len(full), len(full) + 10):
                assert _ids(query(limit=limit)) == _ids(full[:limit])


@pytest.mark.parametrize("on", [END, END - timedelta(days=40)])
def test_counts_match_the_full_lists(demo_db: Database, on: date) -> None:
    with demo_db.read() as s:
        for days in (0, 5, 30):
            assert count_due_within(s, days=days, on=on) == len(due_within(s, days=days, on=on))
        assert count_overdue(s, on=on) == len(overdue(s, on=on)) > 0
        assert count_awaiting_feedback(s, on=on) == len(awaiting_feedback(s, on=on)) > 0
        assert board_counts(s, on=on) == count_rows(board_keys(s, on=on), periods(s).due_soon_days)


def test_windows_split_the_board_without_gaps(demo_db: Database) -> None:
    with demo_db.read() as s:
        keys = board_keys(s, on=END)
        late = overdue(s, on=END)
        soon = due_within(s, days=10_000, on=END)
    # every open deadline is either past or within a (very wide) window from today, in board order
    assert [(r.matter_id, r.transfer_id) for r in late + soon] == [(k.matter_id, k.transfer_id) for k in keys]


def test_a_narrow_window_reads_the_same_rows_as_a_wide_one(demo_db: Database) -> None:
    # up to a month, each transfer's matter is looked up by id; wider, the matters in hand are read once
    seen = 0
    with demo_db.read() as s:
        for on in (END, END - timedelta(days=40)):
            wide = due_within(s, days=90, on=on)
            for days in (0, 5, 31):
                narrow = due_within(s, days=days, on=on)
                assert _ids(narrow) == _ids([r for r in wide if r.days_left <= days])
                seen += len(narrow)
        assert seen > 0
        assert due_within(s, days=90, on=END, limit=0) == [] and overdue(s, on=END, limit=-5) == []


def test_counts_and_pages_without_the_partial_index(demo_db: Database) -> None:
    from sqlalchemy import text

    with demo_db.read() as s:
        before = (board_counts(s, on=END), count_overdue(s, on=END), _ids(overdue(s, on=END, limit=5)),
                  _ids(due_within(s, days=5, on=END)), count_awaiting_feedback(s, on=END))
    # a copy not yet migrated to 0005 reads the same figures the plain way
    with demo_db.begin() as s:
        s.execute(text("DROP INDEX ix_transfers_open"))
    with demo_db.read() as s:
        after = (board_counts(s, on=END), count_overdue(s, on=END), _ids(overdue(s, on=END, limit=5)),
                 _ids(due_within(s, days=5, on=END)), count_awaiting_feedback(s, on=END))
    assert after == before and before[0]["在办"] > 0
