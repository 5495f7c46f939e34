"""领导包案 and 验证 as workflow steps: what they record, what 未落实 does, and the input they refuse."""

from __future__ import annotations

from datetime import date

import pytest

from xinfang_desktop.domain import workflow
from xinfang_desktop.domain.clock import Clock, HolidayCalendar, Periods
from xinfang_desktop.domain.enums import Channel, Decision, EventKind, Status, VerifyResult
from xinfang_desktop.domain.errors import InvalidTransitionError, ValidationError
from xinfang_desktop.domain.values import MatterInput, PetitionerInput
from xinfang_desktop.domain.workflow.state import Case

RULES = workflow.Rules(Clock(Periods(), HolidayCalendar({})), date(2026, 6, 30))


def registered() -> Case:
    data = MatterInput(received_on=date(2026, 3, 2), channel=Channel.LETTER, title="反映拖欠工资",
                       petitioners=(PetitionerInput("王建国"),))
    return workflow.register(data, RULES, number="信〔2026〕0001号", seq=1).case


def closed() -> Case:
    case = workflow.decide(registered(), Decision.ACCEPT, on=date(2026, 3, 3), rules=RULES).case
    case = workflow.reply(case, on=date(2026, 4, 1), text="已补发工资", rules=RULES).case
    return workflow.close(case, on=date(2026, 4, 2), rules=RULES).case


def charge(case: Case, **kw: object) -> workflow.Outcome:
    values: dict[str, object] = {"leader": "李明", "post": "副镇长", "measures": "约谈企业负责人，督促补发",
                                 "resolve_by": date(2026, 4, 30), "on": date(2026, 3, 5), "rules": RULES, **kw}
    return workflow.take_charge(case, **values)  # type: ignore[arg-type]


def test_a_charge_records_the_leader_measures_and_date_on_the_timeline() -> None:
    out = charge(registered())
    assert out.case.charge == workflow.Charge("李明", "副镇长", "约谈企业负责人，督促补发", date(2026, 4, 30),
                                              date(2026, 3, 5))
    assert [line.kind for line in out.lines] == [EventKind.CHARGED]
    assert "副镇长李明包案" in out.lines[0].text and "2026年4月30日" in out.lines[0].text
    assert out.case.matter == registered().matter  # the matter's own columns are untouched


def test_a_second_charge_hands_the_matter_over_and_names_the_first_leader() -> None:
    first = Case(registered().matter, charge=workflow.Charge("李明", "副镇长", "约谈", date(2026, 4, 30),
                                                           date(2026, 3, 5), id=7))
    out = charge(first, leader="王芳", post="镇长", on=date(2026, 3, 10))
    assert out.case.charge is not None and (out.case.charge.leader, out.case.charge.id) == ("王芳", 7)
    assert "原包案领导：副镇长李明" in out.lines[0].text


@pytest.mark.parametrize(("kw", "field"), [
    ({"leader": " "}, "包案领导"), ({"post": ""}, "领导职务"), ({"measures": ""}, "包案措施"),
    ({"resolve_by": date(2026, 3, 4)}, "化解期限"), ({"on": date(2026, 3, 1)}, "包案日期"),
    ({"on": date(2026, 7, 1)}, "包案日期"),
])
def test_a_charge_refuses_bad_input_naming_the_field(kw: dict[str, object], field: str) -> None:
    with pytest.raises(ValidationError) as exc:
        charge(registered(), **kw)
    assert exc.value.field == field and field in exc.value.message


def test_a_voided_matter_is_neither_charged_nor_verified() -> None:
    voided = workflow.void(registered(), reason="重复登记").case
    with pytest.raises(InvalidTransitionError) as exc:
        charge(voided)
    assert exc.value.field == "状态" and "已作废" in exc.value.message and "领导包案" in exc.value.message
    with pytest.raises(InvalidTransitionError) as exc:
        workflow.verify(voided, on=date(2026, 4, 3), checker="张红", method="实地查看", result=VerifyResult.CONFIRMED,
                        rules=RULES)
    assert exc.value.field == "状态" and "已作废" in exc.value.message and "验证" in exc.value.message


def test_a_closed_matter_confirmed_stays_closed() -> None:
    out = workflow.verify(closed(), on=date(2026, 4, 10), checker="张红", method="电话回访", result=VerifyResult.CONFIRMED,
                          rules=RULES)
    assert out.case.matter.status is Status.CLOSED and out.case.matter.closed_on == date(2026, 4, 2)
    assert out.case.verifications == (workflow.Verification(date(2026, 4, 10), "张红", "电话回访",
                                                            VerifyResult.CONFIRMED),)
    assert [line.kind for line in out.lines] == [EventKind.VERIFIED]


def test_not_carried_out_puts_the_matter_back_under_key_supervision_with_its_reason() -> None:
    out = workflow.verify(closed(), on=date(2026, 4, 10), checker="张红", method="实地查看", result=VerifyResult.NOT_DONE,
                          reason="工资仍欠两个月", rules=RULES)
    m = out.case.matter
    assert (m.status, m.closed_on, m.key_supervision) == (Status.IN_PROGRESS, None, True)
    assert [line.kind for line in out.lines] == [EventKind.VERIFIED, EventKind.KEY_SUPERVISION]
    assert "工资仍欠两个月" in out.lines[1].text
    # and it can be closed again once it really is carried out
    again = workflow.close(out.case, on=date(2026, 4, 20), rules=RULES).case
    assert again.matter.status is Status.CLOSED and len(again.verifications) == 1


@pytest.mark.parametrize(("kw", "field"), [
    ({"checker": ""}, "验证人"), ({"method": " "}, "验证方式"), ({"on": date(2026, 4, 1)}, "验证日期"),
    ({"result": VerifyResult.NOT_DONE, "reason": ""}, "未落实原因"),
])
def test_a_verification_refuses_bad_input_naming_the_field(kw: dict[str, object], field: str) -> None:
    values: dict[str, object] = {"on": date(2026, 4, 10), "checker": "张红", "method": "实地查看",
                                 "result": VerifyResult.CONFIRMED, "rules": RULES, **kw}
    with pytest.raises(ValidationError) as exc:
        workflow.verify(closed(), **values)  # type: ignore[arg-type]
    assert exc.value.field == field and field in exc.value.message


def test_a_matter_still_in_hand_is_not_verified() -> None:
    with pytest.raises(InvalidTransitionError, match="不能验证"):
        workflow.verify(registered(), on=date(2026, 4, 10), checker="张红", method="实地查看",
                        result=VerifyResult.CONFIRMED, rules=RULES)
