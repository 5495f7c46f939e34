"""领导包案 and 验证 through the services: written in their tables, shown in the 卷宗 and on the 督办 board."""

from __future__ import annotations

from datetime import date

from tests.helpers.builders import assigned, events_of, refused, register
from xinfang_desktop.db.database import Database
from xinfang_desktop.domain.enums import EventKind, Status, VerifyResult
from xinfang_desktop.domain.errors import InvalidTransitionError, ValidationError
from xinfang_desktop.services import handling, registry
from xinfang_desktop.services.convert import get_matter
from xinfang_desktop.services.supervision import awaiting_verification, board_details, board_keys, flagged_matters

D = date.fromisoformat
TODAY = D("2026-06-30")


def _closed(db: Database) -> int:
    matter_id = assigned(db)
    with db.read() as s:
        tid = get_matter(s, matter_id).transfers[0].id
    with db.begin() as s:
        handling.record_feedback(s, transfer_id=tid, received_on=D("2026-04-01"), text="已调解", result="已退还承包地")
        handling.reply(s, matter_id=matter_id, on=D("2026-04-05"), text="经调查，已责成村组退还")
        handling.close(s, matter_id=matter_id, on=D("2026-04-06"))
    return matter_id


def test_a_charge_is_in_the_case_file_and_on_the_board_with_its_filter(db: Database) -> None:
    matter_id = assigned(db)
    other = assigned(db)
    with db.begin() as s:
        handling.take_charge(s, matter_id=matter_id, leader="李明", post="副镇长", measures="召集村组调解",
                             resolve_by=D("2026-04-30"), on=D("2026-03-10"))
    with db.read() as s:
        detail = get_matter(s, matter_id)
        assert detail.charge is not None
        assert (detail.charge.leader, detail.charge.post, detail.charge.resolve_by) == ("李明", "副镇长", D("2026-04-30"))
        assert flagged_matters(s, charged=True) == {matter_id}
        rows = {r.matter_id: r for r in board_details(s, board_keys(s, on=TODAY))}
    assert rows[matter_id].leader == "李明" and rows[other].leader == ""
    assert (EventKind.CHARGED.value, "2026年3月10日由副镇长李明包案，限2026年4月30日前化解：召集村组调解") in events_of(
        db, matter_id)
    # handed to another leader: one row still, the timeline keeps both
    with db.begin() as s:
        handling.take_charge(s, matter_id=matter_id, leader="王芳", post="镇长", measures="包案化解",
                             resolve_by=D("2026-05-15"), on=D("2026-03-20"))
    with db.read() as s:
        charge = get_matter(s, matter_id).charge
    assert charge is not None and (charge.leader, charge.resolve_by) == ("王芳", D("2026-05-15"))
    assert [k for k, _ in events_of(db, matter_id)].count(EventKind.CHARGED.value) == 2


def test_a_refused_charge_or_verification_writes_nothing(db: Database) -> None:
    matter_id = register(db)
    refused(db, matter_id, lambda s: handling.take_charge(
        s, matter_id=matter_id, leader="李明", post="副镇长", measures="调解", resolve_by=D("2026-03-05"),
        on=D("2026-03-10")), ValidationError, "早于包案日期", "化解期限")
    with db.begin() as s:
        registry.void(s, matter_id=matter_id, reason="重复登记")
    refused(db, matter_id, lambda s: handling.take_charge(
        s, matter_id=matter_id, leader="李明", post="副镇长", measures="调解", resolve_by=D("2026-04-05"),
        on=D("2026-03-10")), InvalidTransitionError, "已作废", "状态")
    refused(db, matter_id, lambda s: handling.verify(
        s, matter_id=matter_id, on=D("2026-04-10"), checker="张红", method="实地查看", result=VerifyResult.CONFIRMED),
        InvalidTransitionError, "已作废", "状态")


def test_verification_confirmed_leaves_the_waiting_list_and_not_done_returns_to_the_board(db: Database) -> None:
    confirmed, failed = _closed(db), _closed(db)
    with db.read() as s:
        assert {r.matter_id for r in awaiting_verification(s, on=TODAY)} == {confirmed, failed}
        assert not {confirmed, failed} & {k.matter_id for k in board_keys(s, on=TODAY)}
    with db.begin() as s:
        handling.verify(s, matter_id=confirmed, on=D("2026-04-20"), checker="张红", method="实地查看",
                        result=VerifyResult.CONFIRMED)
        handling.verify(s, matter_id=failed, on=D("2026-04-20"), checker="张红", method="走访信访人",
                        result=VerifyResult.NOT_DONE, reason="承包地仍未退还")
    with db.read() as s:
        assert awaiting_verification(s, on=TODAY) == []
        back = get_matter(s, failed)
        assert (back.status, back.closed_on, back.key_supervision) == (Status.IN_PROGRESS, None, True)
        assert [(v.result, v.reason) for v in back.verifications] == [(VerifyResult.NOT_DONE, "承包地仍未退还")]
        assert get_matter(s, confirmed).status is Status.CLOSED
        keys = [k for k in board_keys(s, on=TODAY) if k.matter_id == failed]
        assert len(keys) == 1 and keys[0].days_left < 0  # its own deadline, long past: 超期 on the board
        assert failed in flagged_matters(s, key_supervision=True)
    # closed again once it really is carried out, and then verified 属实
    with db.begin() as s:
        handling.close(s, matter_id=failed, on=D("2026-05-10"), result="承包地已退还")
        handling.verify(s, matter_id=failed, on=D("2026-05-20"), checker="张红", method="实地查看",
                        result=VerifyResult.CONFIRMED)
    with db.read() as s:
        assert [v.result for v in get_matter(s, failed).verifications] == [VerifyResult.NOT_DONE, VerifyResult.CONFIRMED]


def test_the_tally_counts_charges_and_verifications_by_their_own_dates(db: Database) -> None:
    from xinfang_desktop.domain.tally_text import figure_rows, summary_text
    from xinfang_desktop.services.statistics import tally

    # what this test records, and its own count of what the tally must say
    plan = [  # (包案日期 or None, closed?, settled?, 验证 results in order, voided?)
        (D("2026-03-10"), True, True, [VerifyResult.CONFIRMED], False),
        (D("2026-03-12"), True, False, [VerifyResult.NOT_DONE], False),
        (D("2026-03-15"), False, False, [], False),
        (D("2025-03-15"), False, False, [], False),  # last year's 包案
        (None, True, False, [VerifyResult.NOT_DONE, VerifyResult.CONFIRMED], False),
        (D("2026-03-20"), False, False, [], True),  # voided: counts nowhere
    ]
    ids = []
    for charged_on, is_closed, is_settled, checks, voided in plan:
        if is_closed:
            matter_id = _closed(db)
        elif charged_on is not None and charged_on.year == 2025:
            matter_id = assigned(db, on=D("2025-03-05"), received_on=D("2025-03-03"))
        else:
            matter_id = assigned(db)
        with db.begin() as s:
            if charged_on is not None:
                handling.take_charge(s, matter_id=matter_id, leader="李明", post="副镇长", measures="包案化解",
                                     resolve_by=charged_on, on=charged_on)
            for k, result in enumerate(checks):
                if k:  # the earlier one found it 未落实: closed again before the next check
                    handling.close(s, matter_id=matter_id, on=D("2026-05-01"))
                handling.verify(s, matter_id=matter_id, on=D("2026-04-20") if not k else D("2026-05-05"),
                                checker="张红", method="实地查看", result=result,
                                reason="未落实" if result is VerifyResult.NOT_DONE else "")
            if is_settled:
                handling.settle(s, matter_id=matter_id, on=D("2026-04-25"))
            if voided:
                registry.void(s, matter_id=matter_id, reason="登记错误")
        ids.append(matter_id)
    with db.read() as s:
        details = [get_matter(s, i) for i in ids]
    live = [d for d in details if d.status is not Status.VOIDED]
    this_year = [d for d in live if d.charge and d.charge.assigned_on.year == 2026]
    expected = {
        "leader_charged": len(this_year),
        "leader_charged_closed": sum(d.status is Status.CLOSED for d in this_year),
        "leader_charged_settled": sum(d.settled for d in this_year),
        "verified": sum(any(v.checked_on.year == 2026 for v in d.verifications) for d in live),
        "verified_not_done": sum(any(v.result is VerifyResult.NOT_DONE for v in d.verifications) for d in live),
    }
    assert expected == {"leader_charged": 3, "leader_charged_closed": 1, "leader_charged_settled": 1, "verified": 3,
                        "verified_not_done": 2}  # what the plan above means, worked out by hand
    with db.read() as s:
        result = tally(s, date_from=D("2026-01-01"), date_to=D("2026-12-31"), as_of=TODAY, use_cache=False)
    assert {name: getattr(result.this, name) for name in expected} == expected
    assert (result.last.leader_charged, result.last.verified) == (1, 0)
    rows = {r.label: r for r in figure_rows(result)}
    assert (rows["领导包案（件）"].this, rows["领导包案（件）"].last, rows["领导包案（件）"].yoy) == (3, 1, "上升200.0%")
    assert (rows["验证（件）"].this, rows["其中未落实"].this) == (3, 2)
    text = summary_text(result)
    assert "领导包案3件，已办结1件、息访1件" in text and "验证3件，其中未落实2件，已重新督办" in text
