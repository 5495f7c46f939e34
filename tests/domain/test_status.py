"""The status machine: every (action, status) pair, allowed or refused with a Chinese reason."""

from __future__ import annotations

import pytest

from xinfang_desktop.domain.enums import Decision, Status
from xinfang_desktop.domain.errors import InvalidTransitionError
from xinfang_desktop.domain.status import (
    AFTER_DECISION,
    Action,
    is_open,
    refusal,
    require,
)

P, I, F, R, C, J, L, V = (Status.PENDING, Status.IN_PROGRESS, Status.FORWARDED, Status.REPLIED, Status.CLOSED,  # noqa: E741 - a one-letter table of states
                          Status.REJECTED, Status.FILED, Status.VOIDED)

# written out independently from status.ALLOWED, as the workflow of DOMAIN §1 reads
EXPECTED: dict[Action, set[Status]] = {
    Action.PROPOSE: {P, I},
    Action.INSTRUCT: {P, I, F, R},
    Action.EDIT: {P, I, F, R, C, J, L},
    Action.AMEND: {R, C},
    Action.DECIDE: {P},
    Action.REVOKE: {J, L},
    Action.TRANSFER: {I},
    Action.REMIND: {I, F},
    Action.KEY_SUPERVISE: {P, I, F},
    Action.FEEDBACK: {I, F},
    Action.RETURN: {I},
    Action.EXTEND: {I},
    Action.REPLY: {I, F},
    Action.FOLLOW_UP: {R, C},
    Action.CLOSE: {I, F, R},
    Action.SETTLE: {R, C},
    Action.REQUEST_REVIEW: {R, C},
    Action.REQUEST_RECHECK: {R, C},
    Action.VOID: {P, I, F, R, C, J, L},
    Action.RESTORE: {V},
    Action.DOCUMENT: {P, I, F, R, C, J, L},
    Action.CHARGE: {P, I, F, R, C},
    Action.VERIFY: {C},
    Action.MEET: {P, I, F, R, C},
}

PAIRS = [(a, s) for a in Action for s in Status]


def test_every_action_is_in_the_table() -> None:
    assert set(EXPECTED) == set(Action)


@pytest.mark.parametrize("action, status", PAIRS, ids=[f"{a.name}-{s.name}" for a, s in PAIRS])
def test_each_pair(action: Action, status: Status) -> None:
    reason = refusal(action, status)
    if status in EXPECTED[action]:
        assert reason is None
        require(action, status)  # does not raise
    else:
        assert reason is not None
        assert f"当前状态为“{status.value}”" in reason and f"不能{action.value}" in reason
        with pytest.raises(InvalidTransitionError) as caught:
            require(action, status)
        assert caught.value.message == reason
        assert caught.value.field == "状态"


def test_a_voided_matter_allows_nothing_but_taking_the_void_back() -> None:
    assert [a for a in Action if refusal(a, V) is None] == [Action.RESTORE]
    assert "已作废" in refusal(Action.VOID, V) and "可撤销作废" in refusal(Action.VOID, V)


def test_decisions_lead_where_domain_says() -> None:
    assert AFTER_DECISION == {
        Decision.ACCEPT: I, Decision.ASSIGN: I, Decision.FORWARD: F,
        Decision.ANSWER: R, Decision.REJECT: J, Decision.FILE: L,
    }


def test_open_states() -> None:
    assert {s for s in Status if is_open(s)} == {P, I, F, R}
