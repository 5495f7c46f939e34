"""更正办理结果 without a database: the record of a 答复, 办结 or 回访 corrected, each date checked as its step checks it."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.domain.test_workflow import RULES, registered
from xinfang_desktop.domain import workflow
from xinfang_desktop.domain.enums import Decision, EventKind, Satisfaction, Status
from xinfang_desktop.domain.errors import InvalidTransitionError, ValidationError


def closed(*, followed_up: bool = True) -> workflow.Case:
    case = workflow.decide(registered(date(2026, 3, 2)), Decision.ACCEPT, on=date(2026, 3, 4), rules=RULES).case
    case = workflow.reply(case, on=date(2026, 3, 20), text="经核实，已补发工资", rules=RULES).case
    case = workflow.close(case, on=date(2026, 4, 10), result="已解决", rules=RULES).case
    if followed_up:
        case = workflow.follow_up(case, on=date(2026, 4, 12), satisfaction=Satisfaction.UNSATISFIED, rules=RULES).case
    return case


def test_a_closing_date_typed_wrong_is_corrected_with_the_reason_on_the_timeline() -> None:
    case = closed()
    out = workflow.amend(case, {"closed_on": date(2026, 3, 21), "satisfaction": Satisfaction.SATISFIED}, RULES,
                         reason="录入笔误")
    m = out.case.matter
    assert (m.closed_on, m.satisfaction, m.status) == (date(2026, 3, 21), Satisfaction.SATISFIED, Status.CLOSED)
    assert replace(m, closed_on=case.matter.closed_on, satisfaction=case.matter.satisfaction) == case.matter
    (line,) = out.lines
    assert line.kind == EventKind.EDITED
    assert line.text == ("更正办理结果：办结日期：2026年4月10日 → 2026年3月21日；满意度：不满意 → 满意"
                         "（原因：录入笔误）")


def test_each_date_is_checked_as_its_step_checks_it() -> None:
    case = closed()
    with pytest.raises(ValidationError) as before_decision:
        workflow.amend(case, {"closed_on": date(2026, 3, 3)}, RULES, reason="x")
    assert before_decision.value.field == "办结日期" and "早于受理决定日期2026年3月4日" in before_decision.value.message
    with pytest.raises(ValidationError, match="晚于今天"):
        workflow.amend(case, {"replied_on": date(2026, 7, 1)}, RULES, reason="x")
    # the 回访 stays after the answer as corrected
    with pytest.raises(ValidationError) as follow_up:
        workflow.amend(case, {"replied_on": date(2026, 4, 13)}, RULES, reason="x")
    assert follow_up.value.field == "回访日期"
    with pytest.raises(ValidationError) as early:
        workflow.amend(case, {"followed_up_on": date(2026, 3, 19)}, RULES, reason="x")
    assert early.value.field == "回访日期" and "早于答复日期2026年3月20日" in early.value.message


def test_only_steps_taken_are_corrected_a_change_needs_a_reason_and_no_change_writes_nothing() -> None:
    case = closed(followed_up=False)
    assert workflow.amendable(case.matter) == ("replied_on", "reply_text", "closed_on", "result")
    with pytest.raises(ValidationError, match="这些项不能更正：满意度"):
        workflow.amend(case, {"satisfaction": Satisfaction.SATISFIED}, RULES, reason="x")
    with pytest.raises(ValidationError) as no_reason:
        workflow.amend(case, {"result": "部分解决"}, RULES, reason=" ")
    assert no_reason.value.field == "更正原因"
    with pytest.raises(ValidationError) as empty:
        workflow.amend(case, {"reply_text": "  "}, RULES, reason="x")
    assert empty.value.field == "答复内容"
    same = workflow.amend(case, {"result": "已解决", "closed_on": date(2026, 4, 10)}, RULES, reason="")
    assert same.case == case and same.lines == ()
    in_hand = workflow.decide(registered(), Decision.ACCEPT, on=date(2026, 3, 4), rules=RULES).case
    with pytest.raises(InvalidTransitionError, match="不能更正办理结果"):
        workflow.amend(in_hand, {}, RULES, reason="x")


def test_a_matter_after_its_final_review_is_still_corrected() -> None:
    final = workflow.finalize(closed(), by_number="信〔2026〕0009号").case
    assert final.matter.final
    out = workflow.amend(final, {"result": "已解决，补发工资12000元"}, RULES, reason="补全办理结果")
    assert out.case.matter.result == "已解决，补发工资12000元" and out.case.matter.final


@settings(max_examples=100, deadline=None)
@given(st.dates(date(2025, 12, 1), date(2026, 8, 31)))
def test_a_closing_date_is_corrected_exactly_when_close_would_take_it(day: date) -> None:
    case = closed(followed_up=False)
    reopened = workflow.decide(registered(date(2026, 3, 2)), Decision.ACCEPT, on=date(2026, 3, 4), rules=RULES).case
    reopened = workflow.reply(reopened, on=date(2026, 3, 20), text="经核实，已补发工资", rules=RULES).case
    try:
        workflow.close(reopened, on=day, rules=RULES)
        takes = True
    except ValidationError:
        takes = False
    try:
        workflow.amend(case, {"closed_on": day}, RULES, reason="x")
        corrected = True
    except ValidationError:
        corrected = False
    assert corrected == takes


def test_a_reply_is_never_dated_before_its_decision_nor_moved_once_a_review_was_asked_of_it() -> None:
    """review7: the 更正 took a 答复日期 before the 受理决定, and one after the 复查 it had been asked of."""
    case = closed()  # decided 3-4, replied 3-20
    with pytest.raises(ValidationError) as early:
        workflow.amend(case, {"replied_on": date(2026, 3, 3)}, RULES, reason="x")
    assert early.value.field == "答复日期" and "早于受理决定日期2026年3月4日" in early.value.message
    accepted = workflow.decide(registered(date(2026, 3, 2)), Decision.ACCEPT, on=date(2026, 3, 4), rules=RULES).case
    with pytest.raises(ValidationError, match="早于受理决定日期"):
        workflow.reply(accepted, on=date(2026, 3, 3), text="答复", rules=RULES)  # the step itself, the same rule
    with pytest.raises(ValidationError) as asked:
        workflow.amend(case, {"replied_on": date(2026, 3, 21)}, RULES, reason="x", review="信〔2026〕0005号")
    assert asked.value.field == "答复日期" and "信〔2026〕0005号" in asked.value.message
    # the rest of the record may still be corrected
    out = workflow.amend(case, {"result": "已解决，补发工资"}, RULES, reason="补全", review="信〔2026〕0005号")
    assert out.case.matter.result == "已解决，补发工资"
