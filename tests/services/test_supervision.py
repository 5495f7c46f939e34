"""督办 queries: due within N days, overdue, awaiting feedback, awaiting follow-up, against independent counts."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from tests.helpers.builders import assigned, register, unit_id
from xinfang_desktop.db.database import Database
from xinfang_desktop.domain.enums import (
    Decision,
    Satisfaction,
    Status,
    TransferKind,
    TransferRole,
    TransferState,
)
from xinfang_desktop.domain.values import MatterDetail, TransferTarget
from xinfang_desktop.services.convert import get_matter
from xinfang_desktop.services.demo import generate
from xinfang_desktop.services.handling import follow_up, record_feedback
from xinfang_desktop.services.registry import decide, void
from xinfang_desktop.services.supervision import (
    AWAITING_DECISION,
    awaiting_feedback,
    awaiting_follow_up,
    board_counts,
    due_within,
    overdue,
)

D = date.fromisoformat
ON = D("2026-05-01")


def _all(db: Database) -> list[MatterDetail]:
    from sqlalchemy import select

    from xinfang_desktop.db.models import Matter
    with db.read() as s:
        return [get_matter(s, mid) for mid in s.scalars(select(Matter.id))]


def _oracle(matters: list[MatterDetail]) -> tuple[set[tuple[int, int | None, date]], set[int]]:
    """Open deadlines and matters awaiting 回访, read off each 卷宗 without the board's SQL."""
    deadlines: set[tuple[int, int | None, date]] = set()
    follow: set[int] = set()
    for m in matters:
        owing = [t for t in m.transfers if t.kind is TransferKind.ASSIGN and t.state is not TransferState.ANSWERED]
        if m.status is Status.IN_PROGRESS:
            deadlines |= {(m.id, t.id, t.due_on) for t in owing if t.due_on is not None}
            if not owing and m.due_on is not None:
                deadlines.add((m.id, None, m.due_on))
        if m.status is Status.PENDING:
            deadlines.add((m.id, None, m.notice_due))
        if m.status in (Status.REPLIED, Status.CLOSED) and m.replied_on and m.followed_up_on is None:
            follow.add(m.id)
    return deadlines, follow


def _keys(rows) -> set[tuple[int, int | None, date]]:  # type: ignore[no-untyped-def]
    return {(r.matter_id, r.transfer_id, r.due_on) for r in rows}


@pytest.fixture
def office(db: Database) -> dict[str, int]:
    """A handful of matters in known states on 1 May 2026."""
    town = unit_id(db, "城关镇人民政府")
    ids = {
        "due_soon": assigned(db),  # due 2026-05-04: 3 days left
        "overdue": register(db, title="反映拖欠工资问题"),
        "answered": assigned(db, title="反映低保评定不公问题"),
        "returned": assigned(db, title="反映道路问题"),
        "pending": register(db, received_on=D("2026-04-20"), title="请求修缮道路"),  # notice due 5 May
        "pending_old": register(db, received_on=D("2026-04-01"), title="咨询入学政策"),  # notice due 16 Apr
        "replied": register(db, title="咨询社保政策"),
        "followed": register(db, title="咨询医保政策"),
        "voided": assigned(db, title="误登记"),
    }
    with db.begin() as s:
        decide(s, matter_id=ids["overdue"], decision=Decision.ASSIGN, on=D("2026-03-05"),
               targets=(TransferTarget(town, TransferRole.LEAD, due_on=D("2026-04-20")),))
    with db.begin() as s:
        for key, accept in (("answered", True), ("returned", False)):
            tid = get_matter(s, ids[key]).transfers[0].id
            record_feedback(s, transfer_id=tid, received_on=D("2026-04-10"), text="已处理", accept=accept,
                            return_reason="" if accept else "材料不全")
        for key in ("replied", "followed"):
            decide(s, matter_id=ids[key], decision=Decision.ANSWER, on=D("2026-03-10"), reason="已解答")
        follow_up(s, matter_id=ids["followed"], on=D("2026-03-20"), satisfaction=Satisfaction.SATISFIED)
        void(s, matter_id=ids["voided"], reason="误登记")
    return ids


def test_due_within_n_days(db: Database, office: dict[str, int]) -> None:
    with db.read() as s:
        rows = due_within(s, days=5, on=ON)
        assert {r.matter_id for r in rows} == {office["due_soon"], office["returned"], office["answered"],
                                               office["pending"]}
        by_matter = {r.matter_id: r for r in rows}
        assert by_matter[office["due_soon"]].days_left == 3 and by_matter[office["due_soon"]].unit == "城关镇人民政府"
        assert by_matter[office["pending"]].state == AWAITING_DECISION
        assert by_matter[office["pending"]].days_left == 4
        assert by_matter[office["returned"]].state == TransferState.RETURNED.value
        assert by_matter[office["answered"]].transfer_id is None  # all reported: the reply is now due here
        assert [r.due_on for r in rows] == sorted(r.due_on for r in rows)
        assert {r.matter_id for r in due_within(s, days=2, on=ON)} == set()
        assert {r.matter_id for r in due_within(s, days=3, on=ON)} == {
            office["due_soon"], office["returned"], office["answered"]}


def test_overdue(db: Database, office: dict[str, int]) -> None:
    with db.read() as s:
        rows = overdue(s, on=ON)
    assert {(r.matter_id, r.days_left) for r in rows} == {(office["overdue"], -11), (office["pending_old"], -15)}
    assert all(r.matter_id != office["voided"] for r in rows)


def test_awaiting_feedback(db: Database, office: dict[str, int]) -> None:
    with db.read() as s:
        rows = awaiting_feedback(s, on=ON)
    assert {r.matter_id for r in rows} == {office["due_soon"], office["overdue"], office["returned"]}
    assert all(r.transfer_id is not None for r in rows)


def test_awaiting_follow_up(db: Database, office: dict[str, int]) -> None:
    with db.read() as s:
        rows = awaiting_follow_up(s, on=ON)
    assert [r.matter_id for r in rows] == [office["replied"]]
    assert rows[0].days_left == (D("2026-03-10") - ON).days


def test_board_counts(db: Database, office: dict[str, int]) -> None:
    with db.read() as s:
        counts = board_counts(s, on=ON)
    assert counts["超期"] == 2 and counts["临期"] == 4 and counts["今日到期"] == 0
    assert counts["在办"] == 6  # 4 due soon and 2 overdue: nothing further out


def test_queries_agree_with_each_case_file_on_demo_data(db: Database) -> None:
    end = D("2026-06-30")
    with db.begin() as s:
        generate(s, cases=400, seed=7, end=end, years=2)
    deadlines, follow = _oracle(_all(db))
    assert len(deadlines) > 10 and len(follow) > 10  # the data exercises every query
    for on in (end, end - timedelta(days=40)):
        with db.read() as s:
            assert _keys(overdue(s, on=on)) == {k for k in deadlines if k[2] < on}
            assert _keys(due_within(s, days=7, on=on)) == {k for k in deadlines if on <= k[2] <= on + timedelta(days=7)}
            assert _keys(awaiting_feedback(s, on=on)) == {k for k in deadlines if k[1] is not None}
            assert {r.matter_id for r in awaiting_follow_up(s, on=on, limit=10_000)} == follow
    with db.read() as s:
        assert any(r.days_left < 0 for r in overdue(s, on=end))  # the demo has overdue matters


def test_days_text_says_the_deadline_as_the_board_and_the_cli_do() -> None:
    from xinfang_desktop.services.supervision import days_text

    assert [days_text(d) for d in (-2, -1, 0, 1, 15)] == ["超期2天", "超期1天", "今日到期", "剩1天", "剩15天"]


def test_board_counts_count_matters_not_transfers(db: Database) -> None:
    """A matter whose 主办 and 协办 are both past due is one 超期 matter; both due today, one 今日到期."""
    from tests.helpers.builders import matter_input
    from xinfang_desktop.services.reference import list_units
    from xinfang_desktop.services.registry import register_matter
    from xinfang_desktop.services.settings import periods
    from xinfang_desktop.services.supervision import board_keys, count_rows

    with db.begin() as s:
        lead, helper = [u.id for u in list_units(s)][:2]
        for due in (ON - timedelta(days=3), ON):
            matter = register_matter(s, matter_input(), now=date(2026, 11, 1)).id
            decide(s, matter_id=matter, decision=Decision.ASSIGN, on=D("2026-03-05"),
                   targets=(TransferTarget(lead, TransferRole.LEAD, due_on=due),
                            TransferTarget(helper, TransferRole.ASSIST, due_on=due)))
    with db.read() as s:
        keys = board_keys(s, on=ON)
        assert len(keys) == 4  # the board itself shows each unit's deadline on a row of its own
        counted = board_counts(s, on=ON)
        assert count_rows(keys, periods(s).due_soon_days) == counted
    assert counted == {"超期": 1, "今日到期": 1, "临期": 1, "在办": 2}
