"""The life cycle without a database: each step's outcome, its refusals, and invariants over random step sequences."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from xinfang_desktop.domain import workflow
from xinfang_desktop.domain.clock import Clock, HolidayCalendar, Periods
from xinfang_desktop.domain.enums import (
    Channel,
    Decision,
    EventKind,
    Purpose,
    ReviewStage,
    Satisfaction,
    Status,
    TransferRole,
    TransferState,
)
from xinfang_desktop.domain.errors import InvalidTransitionError, ValidationError, XinfangError
from xinfang_desktop.domain.status import Action
from xinfang_desktop.domain.values import MatterInput, PetitionerInput
from xinfang_desktop.domain.workflow.state import changed_matter

TODAY = date(2026, 6, 30)
RULES = workflow.Rules(Clock(Periods(), HolidayCalendar({})), TODAY)
LEAD = workflow.Unit(1, "城关镇人民政府")
HELPER = workflow.Unit(2, "县人力资源和社会保障局")


def registered(on: date = date(2026, 3, 2), **kw: object) -> workflow.Case:
    fields: dict[str, object] = {"title": "反映拖欠工资", "petitioners": (PetitionerInput("王建国"),), **kw}
    data = MatterInput(received_on=on, channel=Channel.LETTER, **fields)  # type: ignore[arg-type]
    return workflow.register(data, RULES, number="信〔2026〕0001号", seq=1).case


def assigned(on: date = date(2026, 3, 3)) -> workflow.Case:
    return workflow.decide(registered(), Decision.ASSIGN, on=on, rules=RULES,
                           targets=(workflow.Target(LEAD), workflow.Target(HELPER, TransferRole.ASSIST))).case


def test_register_gives_the_first_state_and_line() -> None:
    out = workflow.register(MatterInput(received_on=date(2026, 3, 2), channel=Channel.VISIT, title="集体反映",
                                        persons=8, petitioners=(PetitionerInput("张三"),)),
                            RULES, number="信〔2026〕0007号", seq=7)
    m = out.case.matter
    assert (m.status, m.collective, m.number, m.notice_due) == (Status.PENDING, True, "信〔2026〕0007号",
                                                                 date(2026, 3, 17))
    assert [line.kind for line in out.lines] == [EventKind.REGISTERED]
    assert "张三" in out.lines[0].text and "人数8" in out.lines[0].text


@pytest.mark.parametrize(("kw", "field"), [
    ({"persons": 0}, "人数"), ({"persons": 100_001}, "人数"), ({"title": " "}, "标题"),
])
def test_register_refuses_bad_input_naming_the_field(kw: dict[str, object], field: str) -> None:
    with pytest.raises(ValidationError) as exc:
        registered(**kw)
    assert exc.value.field == field


@pytest.mark.parametrize("on", [date(1, 1, 1), date(1900, 5, 1), date(1979, 12, 31), TODAY + timedelta(days=1)])
def test_dates_outside_the_earliest_setting_and_today_are_refused(on: date) -> None:
    with pytest.raises(ValidationError) as exc:
        registered(on)
    assert exc.value.field == "登记日期"


def test_a_decision_to_assign_makes_lead_and_assisting_transfers_and_offers_the_letter() -> None:
    out = workflow.decide(registered(), Decision.ASSIGN, on=date(2026, 3, 3), rules=RULES,
                          targets=(workflow.Target(LEAD), workflow.Target(HELPER, TransferRole.ASSIST)))
    assert [(t.unit, t.role, t.due_on) for t in out.case.transfers] == [
        ("城关镇人民政府", TransferRole.LEAD, date(2026, 5, 2)), ("县人力资源和社会保障局", TransferRole.ASSIST, date(2026, 5, 2))]
    assert out.case.matter.status is Status.IN_PROGRESS and out.document == "交办函"
    m = out.case.matter
    assert (m.decision, m.decided_on, m.due_on) == (Decision.ASSIGN, date(2026, 3, 3), date(2026, 5, 2))


def test_two_lead_units_are_refused() -> None:
    with pytest.raises(ValidationError, match="主办单位只能有一个"):
        workflow.decide(registered(), Decision.ASSIGN, on=date(2026, 3, 3), rules=RULES,
                        targets=(workflow.Target(LEAD), workflow.Target(HELPER)))


def test_a_later_assisting_unit_joins_the_lead_and_a_second_lead_is_refused() -> None:
    third = workflow.Unit(3, "县住房和城乡建设局")
    later = workflow.transfer(assigned(), (workflow.Target(third, TransferRole.ASSIST),), on=date(2026, 3, 10),
                              rules=RULES)
    assert [(t.unit, t.role) for t in later.case.transfers][-1] == ("县住房和城乡建设局", TransferRole.ASSIST)
    with pytest.raises(ValidationError, match="已由“城关镇人民政府”主办"):
        workflow.transfer(assigned(), (workflow.Target(third),), on=date(2026, 3, 10), rules=RULES)


def test_an_assisting_units_result_does_not_become_the_matters_result() -> None:
    case = assigned()
    case = workflow.feedback(case, 1, received_on=date(2026, 4, 1), text="已配合核实", result="配合核实",
                             rules=RULES).case
    assert case.matter.result == ""
    assert case.transfers[1].feedback[0].result == "配合核实"
    case = workflow.feedback(case, 0, received_on=date(2026, 4, 2), text="已支付", result="已全部支付", rules=RULES).case
    assert case.matter.result == "已全部支付"
    closed = workflow.close(case, on=date(2026, 4, 5), rules=RULES).case
    assert closed.matter.result == "已全部支付" and closed.matter.status is Status.CLOSED


def test_close_waits_for_every_assigned_units_report() -> None:
    case = workflow.feedback(assigned(), 0, received_on=date(2026, 4, 2), text="已办", rules=RULES).case
    with pytest.raises(InvalidTransitionError, match="县人力资源和社会保障局"):
        workflow.close(case, on=date(2026, 4, 5), rules=RULES)


def test_void_closes_open_transfers_and_keeps_answered_ones() -> None:
    case = workflow.feedback(assigned(), 0, received_on=date(2026, 4, 2), text="已办", rules=RULES).case
    out = workflow.void(case, reason="重复登记")
    assert [t.state for t in out.case.transfers] == [TransferState.ANSWERED, TransferState.CANCELLED]
    assert out.case.matter.status is Status.VOIDED
    with pytest.raises(InvalidTransitionError):
        workflow.remind(out.case, 1, on=date(2026, 4, 3), rules=RULES)


@pytest.mark.parametrize(("purpose", "letter"), [(Purpose.CLAIM, "信访处理意见书"), (Purpose.CONSULTATION, "复信"),
                                                (Purpose.SUGGESTION, "复信")])
def test_the_reply_offers_the_letter_its_purpose_calls_for(purpose: Purpose, letter: str) -> None:
    case = workflow.decide(registered(purpose=purpose), Decision.ACCEPT, on=date(2026, 3, 3), rules=RULES).case
    out = workflow.reply(case, on=date(2026, 3, 10), text="答复如下", rules=RULES)
    assert out.document == letter == workflow.reply_document(ReviewStage.FIRST, purpose).value


def test_a_review_request_after_its_window_says_so_and_how_to_go_on() -> None:
    case = workflow.decide(registered(), Decision.ACCEPT, on=date(2026, 3, 3), rules=RULES).case
    case = workflow.reply(case, on=date(2026, 3, 10), text="答复如下", rules=RULES).case
    with pytest.raises(InvalidTransitionError) as exc:
        workflow.request_review(case, on=date(2026, 4, 20), reason="不服", rules=RULES, number="x", seq=2)
    assert "已于2026年4月9日届满" in exc.value.message and "新的信访事项" in exc.value.message
    out = workflow.request_review(case, on=date(2026, 4, 1), reason="不服", rules=RULES, number="信〔2026〕0002号",
                                  seq=2)
    assert out.child is not None
    child = out.child.case.matter
    assert (child.stage, child.status, child.due_on, child.number) == (
        ReviewStage.REVIEW, Status.IN_PROGRESS, date(2026, 5, 1), "信〔2026〕0002号")
    assert out.child.document == "复查受理告知书"


@given(replied=st.dates(date(2026, 3, 3), RULES.today), received=st.none() | st.integers(-40, 40))
def test_the_review_window_is_thirty_days_from_receipt_and_never_starts_before_the_reply(
        replied: date, received: int | None) -> None:
    case = workflow.decide(registered(), Decision.ACCEPT, on=date(2026, 3, 3), rules=RULES).case
    m = workflow.reply(case, on=replied, text="答复如下", rules=RULES).case.matter
    day = None if received is None else replied + timedelta(days=received)
    start = replied if day is None else max(day, replied)
    assert workflow.review_window(m, RULES, reply_received_on=day) == start + timedelta(days=30)


def test_the_same_facts_are_no_longer_accepted_after_the_window_or_after_the_recheck() -> None:
    case = workflow.decide(registered(), Decision.ACCEPT, on=date(2026, 3, 3), rules=RULES).case
    m = workflow.reply(case, on=date(2026, 3, 10), text="答复如下", rules=RULES).case.matter
    received = date(2026, 3, 20)  # the 意见书 reached the petitioner ten days after the 答复
    last = received + timedelta(days=30)
    assert not workflow.no_longer_accepted(m, RULES, on=last, reply_received_on=received)
    assert workflow.no_longer_accepted(m, RULES, on=last + timedelta(days=1), reply_received_on=received)
    # without the 送达 the window runs from the 答复 itself
    assert workflow.no_longer_accepted(m, RULES, on=date(2026, 4, 10))
    # a 咨询 is answered, never 不再受理 for its lapse; a 复核 answered is final at once (Art. 36)
    assert not workflow.no_longer_accepted(replace(m, purpose=Purpose.CONSULTATION), RULES, on=date(2027, 1, 1))
    assert workflow.no_longer_accepted(replace(m, stage=ReviewStage.RECHECK), RULES, on=date(2026, 3, 11))
    assert not workflow.no_longer_accepted(replace(m, stage=ReviewStage.RECHECK, replied_on=None,
                                                   status=Status.IN_PROGRESS), RULES, on=date(2027, 1, 1))


def test_correcting_names_before_and_after_with_the_reason() -> None:
    out = workflow.correct(registered(), {"persons": 6, "title": "反映拖欠工资问题"}, RULES, reason="录入错误")
    assert out.case.matter.persons == 6
    assert out.lines[0].text == "标题：反映拖欠工资 → 反映拖欠工资问题；人数：1 → 6（原因：录入错误）"
    with pytest.raises(ValidationError):
        workflow.correct(registered(), {"persons": 10 ** 9}, RULES)
    with pytest.raises(ValidationError):
        workflow.correct(registered(), {"received_on": date(1948, 1, 1)}, RULES)


def test_an_extension_is_approved_before_the_deadline_passes() -> None:
    case = workflow.decide(registered(), Decision.ACCEPT, on=date(2026, 3, 3), rules=RULES).case
    due = case.matter.due_on
    assert due is not None
    with pytest.raises(ValidationError, match="已过原办理期限") as refused:
        workflow.extend(case, new_due_on=due + timedelta(days=20), reason="复杂", on=due + timedelta(days=1),
                        rules=RULES)
    assert refused.value.field == "批准日期"
    on_the_day = workflow.extend(case, new_due_on=due + timedelta(days=20), reason="复杂", on=due, rules=RULES)
    assert on_the_day.case.matter.due_on == due + timedelta(days=20)


# invariants over any sequence of steps ---------------------------------------------------------
_DAY = st.integers(min_value=0, max_value=120).map(lambda n: date(2026, 3, 1) + timedelta(days=n))
_STEPS = st.lists(st.tuples(st.sampled_from(["decide", "assign", "feedback", "return", "extend", "reply",
                                              "follow_up", "close", "settle", "void", "remind", "correct"]),
                            _DAY, st.integers(min_value=-10, max_value=60)), max_size=14)


def _apply(case: workflow.Case, name: str, on: date, n: int) -> workflow.Case:
    if name == "decide":
        return workflow.decide(case, Decision.ACCEPT, on=on, rules=RULES).case
    if name == "assign":
        return workflow.decide(case, Decision.ASSIGN, on=on, rules=RULES, targets=(workflow.Target(LEAD),)).case
    if name in ("feedback", "return"):
        return workflow.feedback(case, 0, received_on=on, text="已办", rules=RULES, accept=name == "feedback",
                                 return_reason="不完整").case
    if name == "extend":
        due = case.matter.due_on or on
        return workflow.extend(case, new_due_on=due + timedelta(days=n), reason="复杂", on=on, rules=RULES).case
    if name == "reply":
        return workflow.reply(case, on=on, text="答复", rules=RULES).case
    if name == "follow_up":
        return workflow.follow_up(case, on=on, satisfaction=Satisfaction.SATISFIED, rules=RULES).case
    if name == "close":
        return workflow.close(case, on=on, rules=RULES).case
    if name == "settle":
        return workflow.settle(case, on=on, rules=RULES).case
    if name == "void":
        return workflow.void(case, reason="误登").case
    if name == "remind":
        return workflow.remind(case, 0, on=on, rules=RULES).case
    return workflow.correct(case, {"received_on": on}, RULES).case


@settings(max_examples=300, deadline=None)
@given(_STEPS)
def test_invariants_hold_after_any_sequence_of_steps(steps: list[tuple[str, date, int]]) -> None:
    case = registered(date(2026, 3, 1))
    extensions = 0
    for name, on, n in steps:
        before = case
        try:
            case = _apply(case, name, on, n)
        except XinfangError as exc:
            assert exc.message  # every refusal says why, in Chinese
            assert case is before
            continue
        m = case.matter
        if name == "extend":
            extensions += 1
            assert before.matter.due_on is not None and m.due_on is not None
            assert m.due_on <= RULES.clock.extension_limit(before.matter.due_on)
            assert on <= before.matter.due_on  # approved while the period still ran
        assert extensions <= 1  # at most one extension (Art. 34)
        if m.closed_on is not None:
            assert m.closed_on >= m.received_on  # a closing date never before registration
        if m.decided_on is not None:
            assert m.decided_on >= m.received_on
        assert before.matter.status is not Status.VOIDED  # nothing is done to a voided matter
        assert len(case.transfers) <= 1


@settings(max_examples=100, deadline=None)
@given(st.lists(st.sampled_from(["decide", "reply", "close", "remind", "extend", "void", "correct", "assign"]),
                max_size=6))
def test_nothing_changes_a_matter_after_its_final_review(steps: list[str]) -> None:
    case = registered(date(2026, 3, 1))
    final = workflow.finalize(workflow.close(
        workflow.decide(case, Decision.ACCEPT, on=date(2026, 3, 2), rules=RULES).case,
        on=date(2026, 3, 5), rules=RULES).case, by_number="信〔2026〕0009号").case
    assert final.matter.final
    for name in steps:
        with pytest.raises(XinfangError):
            _apply(final, name, date(2026, 4, 1), 5)
    # what may still be recorded: a 回访 and 息访
    assert workflow.settle(final, on=date(2026, 4, 1), rules=RULES).case.matter.settled


def test_allowed_steps_follow_the_state_and_the_steps_own_checks() -> None:
    case = assigned()
    owed = case
    for i in range(len(case.transfers)):
        owed = workflow.feedback(owed, i, received_on=date(2026, 3, 20), text="已核实", rules=RULES).case
    replied = workflow.reply(owed, on=date(2026, 4, 1), text="答复", rules=RULES).case
    closed = workflow.close(replied, on=date(2026, 4, 2), rules=RULES).case
    A = workflow.allowed_steps
    assert Action.CLOSE in A(case.matter) and Action.REQUEST_REVIEW not in A(case.matter)
    assert A(closed.matter) == (Action.EDIT, Action.AMEND, Action.FOLLOW_UP, Action.SETTLE, Action.REQUEST_REVIEW, Action.VOID,
                                Action.DOCUMENT, Action.CHARGE, Action.VERIFY, Action.MEET)
    settled = workflow.settle(closed, on=date(2026, 4, 3), rules=RULES).case
    assert Action.SETTLE not in A(settled.matter)
    # closed without a written reply: nothing to ask a 复查 of
    unreplied = workflow.close(owed, on=date(2026, 4, 2), rules=RULES).case
    assert Action.REQUEST_REVIEW not in A(unreplied.matter)
    # a 复查 matter offers a 复核 request, a 复核 none; a voided matter nothing but 撤销作废
    review = replace(closed.matter, stage=ReviewStage.REVIEW)
    assert Action.REQUEST_RECHECK in A(review) and Action.REQUEST_REVIEW not in A(review)
    assert not {Action.REQUEST_REVIEW, Action.REQUEST_RECHECK} & set(A(replace(closed.matter,
                                                                              stage=ReviewStage.RECHECK)))
    assert A(workflow.void(closed, reason="重复登记").case.matter) == (Action.RESTORE,)
    # after 终结 only what AFTER_FINAL lets through
    assert set(A(replace(closed.matter, final=True))) == {Action.AMEND, Action.FOLLOW_UP, Action.SETTLE, Action.DOCUMENT}
    # every step offered passes the step itself: here 息访, 回访 and the 复查 request on the closed matter
    workflow.settle(closed, on=date(2026, 4, 3), rules=RULES)
    workflow.follow_up(closed, on=date(2026, 4, 3), satisfaction=Satisfaction.SATISFIED, rules=RULES)
    workflow.request_review(closed, on=date(2026, 4, 3), reason="不服", rules=RULES, number="n", seq=2)


def test_correct_petitioner_names_each_change_masks_the_number_and_refuses_a_bad_one() -> None:
    case = registered()
    before = PetitionerInput("王建国", phone="13800001111")
    out, person = workflow.correct_petitioner(
        case, before, PetitionerInput(" 王建军 ", id_number="11010519491231002x", phone="１３８００００２２２２"),
        reason="登记错字")
    assert (person.name, person.id_number, person.phone) == ("王建军", "11010519491231002X", "13800002222")
    [line] = out.lines
    assert line.text == ("信访人王建国：姓名：王建国 → 王建军；身份证号：（空） → 110105********002X；"
                         "联系电话：13800001111 → 13800002222（原因：登记错字）")
    assert out.case == case  # the matter itself is unchanged
    for after, reason, field in ((PetitionerInput("王建国", id_number="110105194912310021"), "x", "身份证号"),
                                 (PetitionerInput("王建国", phone="无"), "x", "联系电话"),
                                 (PetitionerInput(""), "x", "姓名"),
                                 (PetitionerInput("王建军"), "", "修改原因"),
                                 (before, "x", "姓名")):
        with pytest.raises(ValidationError) as exc:
            workflow.correct_petitioner(case, before, after, reason=reason)
        assert exc.value.field == field
    with pytest.raises(InvalidTransitionError):
        workflow.correct_petitioner(workflow.void(case, reason="重复").case, before, PetitionerInput("王建军"),
                                    reason="x")


def test_a_changed_matter_is_the_value_replace_would_build_and_the_original_stays() -> None:
    before = registered().matter
    changes = {"status": Status.CLOSED, "closed_on": date(2026, 3, 9), "result": "已办结"}
    after = changed_matter(before, changes)
    assert after == replace(before, **changes) and hash(after) == hash(replace(before, **changes))
    assert before.status is Status.PENDING and before.closed_on is None
    with pytest.raises(TypeError, match="colour"):
        changed_matter(before, {"colour": "red"})
