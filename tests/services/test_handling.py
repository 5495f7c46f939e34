"""督办 to 办结 and 复查/复核: each step recorded on the timeline, each refusal leaving nothing changed."""

from __future__ import annotations

from datetime import date

import pytest

from tests.helpers.builders import assigned, events_of, refused, register, unit_id
from xinfang_desktop.db.database import Database
from xinfang_desktop.domain.enums import (
    Decision,
    Delivery,
    EventKind,
    ReviewStage,
    Satisfaction,
    Status,
    TransferState,
)
from xinfang_desktop.domain.errors import InvalidTransitionError, ValidationError
from xinfang_desktop.domain.letters import DocumentKind
from xinfang_desktop.services.convert import get_matter
from xinfang_desktop.services.documents import issue_document, record_delivery
from xinfang_desktop.services.handling import (
    close,
    extend,
    follow_up,
    record_feedback,
    remind,
    reply,
    request_review,
    review_deadline,
    set_key_supervision,
    settle,
)
from xinfang_desktop.services.registry import decide
from xinfang_desktop.services.repeats import find_repeats

D = date.fromisoformat


def _detail(db: Database, matter_id: int):  # type: ignore[no-untyped-def]
    with db.read() as s:
        return get_matter(s, matter_id)


def _transfer_id(db: Database, matter_id: int, index: int = 0) -> int:
    return _detail(db, matter_id).transfers[index].id


def _answered(db: Database, on: date = D("2026-04-20")) -> int:
    matter_id = assigned(db)
    with db.begin() as s:
        record_feedback(s, transfer_id=_transfer_id(db, matter_id), received_on=on, text="已调查核实并处理",
                        result="已解决")
    return matter_id


def _replied(db: Database, on: date = D("2026-04-25")) -> int:
    matter_id = _answered(db)
    with db.begin() as s:
        reply(s, matter_id=matter_id, on=on, text="经核查，现答复如下")
    return matter_id


# 催办, 重点督办 -------------------------------------------------------------------------------------
def test_reminders_are_counted_and_on_the_timeline(db: Database) -> None:
    matter_id = assigned(db)
    tid = _transfer_id(db, matter_id)
    with db.begin() as s:
        remind(s, transfer_id=tid, on=D("2026-05-05"), note="请尽快报结")
        remind(s, transfer_id=tid, on=D("2026-05-10"))
    m = _detail(db, matter_id)
    assert m.transfers[0].reminders == 2
    texts = [t for k, t in events_of(db, matter_id) if k == EventKind.REMINDED]
    assert len(texts) == 2 and "第1次" in texts[0] and "请尽快报结" in texts[0] and "第2次" in texts[1]


def test_reminder_refused_before_sending_or_after_feedback(db: Database) -> None:
    matter_id = assigned(db)
    tid = _transfer_id(db, matter_id)
    refused(db, matter_id, lambda s: remind(s, transfer_id=tid, on=D("2026-03-04")), ValidationError,
            "早于交办日期", "催办日期")
    with db.begin() as s:
        record_feedback(s, transfer_id=tid, received_on=D("2026-04-01"), text="已处理")
    refused(db, matter_id, lambda s: remind(s, transfer_id=tid, on=D("2026-04-02")), InvalidTransitionError,
            "已反馈，无需催办")


def test_key_supervision_on_and_off(db: Database) -> None:
    matter_id = assigned(db)
    with db.begin() as s:
        set_key_supervision(s, matter_id=matter_id, on=True, reason="群众反映强烈")
        set_key_supervision(s, matter_id=matter_id, on=True)  # no second event for no change
    assert _detail(db, matter_id).key_supervision
    with db.begin() as s:
        set_key_supervision(s, matter_id=matter_id, on=False)
    kinds = [(k, t) for k, t in events_of(db, matter_id) if k == EventKind.KEY_SUPERVISION]
    assert kinds == [(EventKind.KEY_SUPERVISION, "列为重点督办：群众反映强烈"), (EventKind.KEY_SUPERVISION, "取消重点督办")]
    assert not _detail(db, matter_id).key_supervision


# 反馈, 退回补办 -----------------------------------------------------------------------------------
def test_feedback_accepted_answers_the_transfer(db: Database) -> None:
    matter_id = _answered(db)
    m = _detail(db, matter_id)
    assert m.transfers[0].state is TransferState.ANSWERED
    assert m.result == "已解决"
    assert [f.accepted for f in m.transfers[0].feedback] == [True]
    tid = m.transfers[0].id
    refused(db, matter_id, lambda s: record_feedback(s, transfer_id=tid, received_on=D("2026-04-21"), text="再报"),
            InvalidTransitionError, "不能重复登记")


def test_returned_feedback_then_accepted(db: Database) -> None:
    matter_id = assigned(db)
    tid = _transfer_id(db, matter_id)
    refused(db, matter_id, lambda s: record_feedback(s, transfer_id=tid, received_on=D("2026-04-01"), text="已处理",
                                                      accept=False), ValidationError, "退回理由", "退回理由")
    refused(db, matter_id, lambda s: record_feedback(s, transfer_id=tid, received_on=D("2026-03-01"), text="已处理"),
            ValidationError, "早于交办日期", "反馈日期")
    with db.begin() as s:
        record_feedback(s, transfer_id=tid, received_on=D("2026-04-01"), text="已处理", accept=False,
                        return_reason="未附调查笔录", new_due_on=D("2026-04-30"))
    m = _detail(db, matter_id)
    assert m.transfers[0].state is TransferState.RETURNED and m.transfers[0].due_on == D("2026-04-30")
    assert events_of(db, matter_id)[-1] == (EventKind.RETURNED, "退回城关镇人民政府补办：未附调查笔录，限2026年4月30日前重新报结")
    with db.begin() as s:
        record_feedback(s, transfer_id=tid, received_on=D("2026-04-20"), text="补充调查笔录")
    m = _detail(db, matter_id)
    assert m.transfers[0].state is TransferState.ANSWERED
    assert [(f.accepted, f.return_reason) for f in m.transfers[0].feedback] == [(False, "未附调查笔录"), (True, "")]


# 延期 ---------------------------------------------------------------------------------------------
def test_one_extension_of_at_most_thirty_days(db: Database) -> None:
    matter_id = assigned(db)  # due 2026-05-04
    assert _detail(db, matter_id).due_on == D("2026-05-04")
    refused(db, matter_id, lambda s: extend(s, matter_id=matter_id, new_due_on=D("2026-06-04"), reason="情况复杂",
                                            on=D("2026-04-28")), ValidationError, "延期不得超过30日", "延期至")
    refused(db, matter_id, lambda s: extend(s, matter_id=matter_id, new_due_on=D("2026-05-20"), reason=" ",
                                            on=D("2026-04-28")), ValidationError, "延期理由", "延期理由")
    refused(db, matter_id, lambda s: extend(s, matter_id=matter_id, new_due_on=D("2026-05-04"), reason="复杂",
                                            on=D("2026-04-28")), ValidationError, "应晚于原期限", "延期至")
    with db.begin() as s:
        extend(s, matter_id=matter_id, new_due_on=D("2026-06-03"), reason="涉及多个部门", on=D("2026-04-28"))
    m = _detail(db, matter_id)
    assert (m.due_on, m.extended) == (D("2026-06-03"), True)
    assert m.transfers[0].due_on == D("2026-06-03")  # the unit's deadline moves with it
    assert "由2026年5月4日延至2026年6月3日" in events_of(db, matter_id)[-1][1]
    refused(db, matter_id, lambda s: extend(s, matter_id=matter_id, new_due_on=D("2026-06-10"), reason="又复杂",
                                            on=D("2026-05-28")), InvalidTransitionError, "不能再次延期", "延期")


# 答复, 回访, 办结, 息访 ----------------------------------------------------------------------------------
def test_reply_refused_before_feedback_on_an_assigned_matter(db: Database) -> None:
    matter_id = assigned(db)
    refused(db, matter_id, lambda s: reply(s, matter_id=matter_id, on=D("2026-04-01"), text="答复"),
            InvalidTransitionError, "尚未收到城关镇人民政府的办理反馈", "答复")


def test_reply_follow_up_close_and_settle(db: Database) -> None:
    matter_id = _replied(db)
    assert _detail(db, matter_id).status is Status.REPLIED
    refused(db, matter_id, lambda s: follow_up(s, matter_id=matter_id, on=D("2026-04-24"),
                                               satisfaction=Satisfaction.SATISFIED), ValidationError, "早于答复日期")
    with db.begin() as s:
        follow_up(s, matter_id=matter_id, on=D("2026-05-01"), satisfaction=Satisfaction.BASICALLY, note="电话回访")
        close(s, matter_id=matter_id, on=D("2026-05-02"), result="已解决")
    m = _detail(db, matter_id)
    assert (m.status, m.closed_on, m.satisfaction, m.followed_up_on) == (
        Status.CLOSED, D("2026-05-02"), Satisfaction.BASICALLY, D("2026-05-01"))
    assert not m.settled  # 办结 is not 息访
    with db.begin() as s:
        settle(s, matter_id=matter_id, on=D("2026-05-10"))
    assert (_detail(db, matter_id).settled, _detail(db, matter_id).settled_on) == (True, D("2026-05-10"))
    refused(db, matter_id, lambda s: settle(s, matter_id=matter_id, on=D("2026-05-11")), InvalidTransitionError,
            "已登记息访")
    kinds = [k for k, _ in events_of(db, matter_id)]
    assert kinds[-4:] == [EventKind.REPLIED, EventKind.FOLLOWED_UP, EventKind.CLOSED, EventKind.SETTLED]


def test_close_refused_without_feedback_on_an_assigned_matter(db: Database) -> None:
    matter_id = assigned(db)
    refused(db, matter_id, lambda s: close(s, matter_id=matter_id, on=D("2026-04-01")), InvalidTransitionError,
            "尚未收到城关镇人民政府的反馈，不能办结", "办结")
    # a 退回补办 transfer still owes its report
    tid = _transfer_id(db, matter_id)
    with db.begin() as s:
        record_feedback(s, transfer_id=tid, received_on=D("2026-04-01"), text="已处理", accept=False,
                        return_reason="不完整")
    refused(db, matter_id, lambda s: close(s, matter_id=matter_id, on=D("2026-04-02")), InvalidTransitionError,
            "不能办结")


def test_accepted_matter_handled_here_can_close_directly(db: Database) -> None:
    matter_id = register(db)
    with db.begin() as s:
        decide(s, matter_id=matter_id, decision=Decision.ACCEPT, on=D("2026-03-04"))
        close(s, matter_id=matter_id, on=D("2026-04-01"), result="已协调解决")
    assert _detail(db, matter_id).status is Status.CLOSED


def test_close_before_receipt_refused(db: Database) -> None:
    matter_id = _answered(db)
    refused(db, matter_id, lambda s: close(s, matter_id=matter_id, on=D("2026-03-01")), ValidationError,
            "早于登记日期", "办结日期")


@pytest.mark.parametrize("step", ["follow_up", "settle", "review"])
def test_steps_after_the_reply_refused_while_in_progress(db: Database, step: str) -> None:
    matter_id = assigned(db)
    action = {
        "follow_up": lambda s: follow_up(s, matter_id=matter_id, on=D("2026-04-01"),
                                         satisfaction=Satisfaction.SATISFIED),
        "settle": lambda s: settle(s, matter_id=matter_id, on=D("2026-04-01")),
        "review": lambda s: request_review(s, matter_id=matter_id, on=D("2026-04-01"), reason="不服"),
    }[step]
    refused(db, matter_id, action, InvalidTransitionError, "当前状态为“办理中”")


# 复查, 复核, 终结 -----------------------------------------------------------------------------------
def test_review_is_a_linked_matter_with_its_own_clock(db: Database) -> None:
    original = _replied(db)  # replied 2026-04-25
    with db.begin() as s:
        ref = request_review(s, matter_id=original, on=D("2026-05-20"), reason="对处理意见不服")
    child = _detail(db, ref.id)
    assert (child.stage, child.parent_id, child.status) == (ReviewStage.REVIEW, original, Status.IN_PROGRESS)
    assert child.received_on == D("2026-05-20") and child.due_on == D("2026-06-19")  # 30 days to answer
    assert child.title.startswith("复查申请：")
    assert [p.name for p in child.petitioners] == ["王建国"]
    assert child.number == "信〔2026〕0002号"
    assert events_of(db, original)[-1][0] == EventKind.REVIEW_REQUESTED
    assert child.number in events_of(db, original)[-1][1]


def test_a_second_review_of_the_same_decision_refused(db: Database) -> None:
    original = _replied(db)
    with db.begin() as s:
        first = request_review(s, matter_id=original, on=D("2026-05-20"), reason="对处理意见不服")
    refused(db, original, lambda s: request_review(s, matter_id=original, on=D("2026-05-22"), reason="再次申请"),
            InvalidTransitionError, f"已申请复查，登记为{first.number}", "复查复核")


def test_once_a_review_is_registered_the_original_offers_no_second_request_until_it_is_voided(db: Database) -> None:
    from xinfang_desktop.domain.status import Action
    from xinfang_desktop.services.registry import void

    original = _replied(db)
    assert Action.REQUEST_REVIEW in _detail(db, original).steps
    with db.begin() as s:
        review_id = request_review(s, matter_id=original, on=D("2026-05-20"), reason="对处理意见不服").id
    assert Action.REQUEST_REVIEW not in _detail(db, original).steps  # the workflow would refuse it
    with db.begin() as s:
        reply(s, matter_id=review_id, on=D("2026-06-10"), text="维持原处理意见")
    assert Action.REQUEST_RECHECK in _detail(db, review_id).steps
    with db.begin() as s:
        void(s, matter_id=review_id, reason="重复登记")
    assert Action.REQUEST_REVIEW in _detail(db, original).steps


def test_a_recheck_is_titled_by_the_matter_not_by_the_review_it_follows(db: Database) -> None:
    original = _replied(db)
    title = _detail(db, original).title
    with db.begin() as s:
        review_id = request_review(s, matter_id=original, on=D("2026-05-20"), reason="不服处理意见").id
        reply(s, matter_id=review_id, on=D("2026-06-10"), text="维持原处理意见")
        recheck_id = request_review(s, matter_id=review_id, on=D("2026-07-01"), reason="不服复查意见").id
    assert _detail(db, review_id).title == f"复查申请：{title}"
    assert _detail(db, recheck_id).title == f"复核申请：{title}"


def test_review_window_lapsed_refused(db: Database) -> None:
    original = _replied(db)  # replied 2026-04-25: window to 2026-05-25
    refused(db, original, lambda s: request_review(s, matter_id=original, on=D("2026-05-26"), reason="不服"),
            InvalidTransitionError, "期限已于2026年5月25日届满", "申请日期")
    refused(db, original, lambda s: request_review(s, matter_id=original, on=D("2026-05-20"), reason=" "),
            ValidationError, "申请理由")


def test_review_window_runs_from_the_day_the_written_reply_reached_the_petitioner(db: Database) -> None:
    """Art. 35: 30 days from receipt of the 意见书: its 送达 when recorded, else the day it was issued."""
    original = _replied(db)  # replied 2026-04-25: without a letter, the window ends 2026-05-25
    with db.begin() as s:
        letter = issue_document(s, matter_id=original, kind=DocumentKind.OPINION, on=D("2026-05-10"))
        assert review_deadline(s, matter_id=original) == D("2026-06-09")  # the letter is dated 5月10日
    with db.begin() as s:
        record_delivery(s, document_id=letter.id, delivery=Delivery.REGISTERED, on=D("2026-05-14"))
        assert review_deadline(s, matter_id=original) == D("2026-06-13")
    refused(db, original, lambda s: request_review(s, matter_id=original, on=D("2026-06-14"), reason="不服"),
            InvalidTransitionError, "期限已于2026年6月13日届满", "申请日期")
    with db.begin() as s:  # on the last day of the window as the petitioner received it
        ref = request_review(s, matter_id=original, on=D("2026-06-13"), reason="不服")
    assert _detail(db, ref.id).stage is ReviewStage.REVIEW


def test_after_recheck_closes_the_chain_is_final(db: Database) -> None:
    original = _replied(db)
    with db.begin() as s:
        review_id = request_review(s, matter_id=original, on=D("2026-05-20"), reason="不服处理意见").id
        reply(s, matter_id=review_id, on=D("2026-06-10"), text="维持原处理意见")
    # 复核 window runs from the 复查 reply
    refused(db, review_id, lambda s: request_review(s, matter_id=review_id, on=D("2026-07-11"), reason="不服"),
            InvalidTransitionError, "申请复核的期限已于2026年7月10日届满")
    with db.begin() as s:
        recheck_id = request_review(s, matter_id=review_id, on=D("2026-07-01"), reason="不服复查意见").id
    recheck = _detail(db, recheck_id)
    assert (recheck.stage, recheck.parent_id, recheck.due_on) == (ReviewStage.RECHECK, review_id, D("2026-07-31"))
    assert not _detail(db, original).final
    with db.begin() as s:
        reply(s, matter_id=recheck_id, on=D("2026-07-20"), text="复核维持")
        close(s, matter_id=recheck_id, on=D("2026-07-21"))
    for member in (original, review_id, recheck_id):
        m = _detail(db, member)
        assert m.final
        assert events_of(db, member)[-1][0] == EventKind.FINAL
    refused(db, recheck_id, lambda s: request_review(s, matter_id=recheck_id, on=D("2026-07-25"), reason="再申请"),
            InvalidTransitionError, "不再受理")
    refused(db, original, lambda s: request_review(s, matter_id=original, on=D("2026-07-25"), reason="再申请"),
            InvalidTransitionError, "不再受理")
    with db.read() as s:
        found = find_repeats(s, id_number="11010519491231002X", on=D("2026-08-01"))
    assert {c.matter.id for c in found} == {original, review_id, recheck_id}
    assert all(c.final for c in found)


def test_assist_units_must_report_too(db: Database) -> None:
    from xinfang_desktop.domain.enums import TransferRole
    from xinfang_desktop.domain.values import TransferTarget
    matter_id = register(db)
    with db.begin() as s:
        decide(s, matter_id=matter_id, decision=Decision.ASSIGN, on=D("2026-03-05"),
               targets=(TransferTarget(unit_id(db, "城关镇人民政府")),
                        TransferTarget(unit_id(db, "县民政局"), TransferRole.ASSIST)))
    with db.begin() as s:
        record_feedback(s, transfer_id=_transfer_id(db, matter_id, 0), received_on=D("2026-04-01"), text="已处理")
    refused(db, matter_id, lambda s: reply(s, matter_id=matter_id, on=D("2026-04-02"), text="答复"),
            InvalidTransitionError, "县民政局")
