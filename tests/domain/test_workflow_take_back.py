"""撤销作废 and 撤销受理决定 without a database: a matter voided, rejected or filed by mistake goes back to where it was."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings

from tests.domain.test_workflow import _STEPS, LEAD, RULES, _apply, assigned, registered
from xinfang_desktop.domain import workflow
from xinfang_desktop.domain.enums import Decision, EventKind, Satisfaction, Status, TransferState
from xinfang_desktop.domain.errors import InvalidTransitionError, ValidationError, XinfangError


def test_restore_gives_back_the_state_and_the_transfers_the_void_closed() -> None:
    case = workflow.feedback(assigned(), 0, received_on=date(2026, 4, 2), text="已办", rules=RULES).case
    case = workflow.feedback(case, 1, received_on=date(2026, 4, 3), text="未核实", rules=RULES, accept=False,
                             return_reason="请补充核实").case
    assert [t.state for t in case.transfers] == [TransferState.ANSWERED, TransferState.RETURNED]
    voided = workflow.void(case, reason="误作废")
    assert voided.lines[0].data == {"status": Status.IN_PROGRESS.value}  # what a 撤销作废 goes back to
    out = workflow.restore(voided.case, reason="作废错了事项", before=Status.IN_PROGRESS)
    assert out.case.matter == case.matter  # void_reason emptied, status as before
    assert [t.state for t in out.case.transfers] == [TransferState.ANSWERED, TransferState.RETURNED]
    (line,) = out.lines
    assert line.kind == EventKind.RESTORED and line.text == "撤销作废，恢复为“办理中”：作废错了事项"
    # the transfer waits for the unit's 补办 again: it can be reminded and its report recorded
    workflow.remind(out.case, 1, on=date(2026, 4, 5), rules=RULES)
    again = workflow.feedback(out.case, 1, received_on=date(2026, 4, 6), text="已补办", rules=RULES).case
    assert workflow.close(again, on=date(2026, 4, 7), rules=RULES).case.matter.status is Status.CLOSED


def test_a_transfer_without_a_report_waits_again_and_a_closed_matter_is_closed_again() -> None:
    voided = workflow.void(assigned(), reason="重复登记").case
    assert {t.state for t in voided.transfers} == {TransferState.CANCELLED}
    back = workflow.restore(voided, reason="并非重复", before=Status.IN_PROGRESS).case
    assert {t.state for t in back.transfers} == {TransferState.WAITING}
    closed = workflow.close(workflow.decide(registered(), Decision.ACCEPT, on=date(2026, 3, 3), rules=RULES).case,
                            on=date(2026, 3, 20), result="已解决", rules=RULES).case
    restored = workflow.restore(workflow.void(closed, reason="x").case, reason="误作废", before=Status.CLOSED).case
    assert restored.matter == closed.matter
    workflow.follow_up(restored, on=date(2026, 3, 25), satisfaction=Satisfaction.SATISFIED, rules=RULES)


def test_restore_is_refused_unless_voided_without_a_reason_or_without_a_state_to_go_back_to() -> None:
    case = assigned()
    with pytest.raises(InvalidTransitionError, match="不能撤销作废"):
        workflow.restore(case, reason="x", before=Status.IN_PROGRESS)
    voided = workflow.void(case, reason="x").case
    with pytest.raises(ValidationError) as no_reason:
        workflow.restore(voided, reason="  ", before=Status.IN_PROGRESS)
    assert no_reason.value.field == "撤销原因"
    with pytest.raises(InvalidTransitionError, match="作废前的状态"):
        workflow.restore(voided, reason="x", before=Status.VOIDED)


@settings(max_examples=200, deadline=None)
@given(_STEPS)
def test_void_then_restore_is_the_matter_as_it_was_after_any_steps(steps: list[tuple[str, date, int]]) -> None:
    case = registered(date(2026, 3, 1))
    for name, on, n in steps:
        if name == "void":
            continue
        try:
            case = _apply(case, name, on, n)
        except XinfangError:
            continue
    if case.matter.final:
        return  # a matter after its final review is not voided
    voided = workflow.void(case, reason="误作废")
    before = Status(voided.lines[0].data["status"])  # type: ignore[index]
    back = workflow.restore(voided.case, reason="撤销", before=before).case
    assert back.matter == case.matter
    assert back.transfers == case.transfers
    assert workflow.allowed_steps(back.matter) == workflow.allowed_steps(case.matter)


# 撤销受理决定 -------------------------------------------------------------------------------------
@pytest.mark.parametrize("decision", [Decision.REJECT, Decision.FILE])
def test_a_rejection_or_filing_by_mistake_is_taken_back_and_decided_anew(decision: Decision) -> None:
    case = registered()
    kw = {"reason": "不属于本机关职权范围", "competent_body": "县人民法院"} if decision is Decision.REJECT else {}
    decided = workflow.decide(case, decision, on=date(2026, 3, 4), rules=RULES, **kw).case
    out = workflow.revoke(decided, reason="误选")
    assert out.case.matter == case.matter  # as registered: no decision, 待处理, its 告知 deadline as it was
    (line,) = out.lines
    assert (line.kind, line.text) == (EventKind.DECISION_REVOKED, f"撤销受理决定“{decision.value}”：误选")
    again = workflow.decide(out.case, Decision.ASSIGN, on=date(2026, 3, 5), rules=RULES,
                            targets=(workflow.Target(LEAD),)).case
    assert again.matter.status is Status.IN_PROGRESS and len(again.transfers) == 1


def test_only_a_rejection_or_filing_is_taken_back_and_with_a_reason() -> None:
    with pytest.raises(InvalidTransitionError, match="不能撤销受理决定"):
        workflow.revoke(assigned(), reason="x")  # a 交办 has gone to its units
    filed = workflow.decide(registered(), Decision.FILE, on=date(2026, 3, 4), rules=RULES).case
    with pytest.raises(ValidationError) as no_reason:
        workflow.revoke(filed, reason="")
    assert no_reason.value.field == "撤销原因"
