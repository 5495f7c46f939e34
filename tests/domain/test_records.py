"""The records beside the matters: 约访/下访, the 接访日 roster, 矛盾纠纷排查 and 零报告, and the input each refuses."""

from __future__ import annotations

from datetime import date

import pytest

from xinfang_desktop.domain.clock import Clock, HolidayCalendar, Periods
from xinfang_desktop.domain.enums import DisputeState, MeetingKind, RiskLevel
from xinfang_desktop.domain.errors import ValidationError
from xinfang_desktop.domain.workflow import Rules, records

RULES = Rules(Clock(Periods(), HolidayCalendar({})), date(2026, 6, 30))


def meeting(**kw: object) -> records.Meeting:
    values: dict[str, object] = {"kind": MeetingKind.VISITING, "held_on": date(2026, 6, 3), "leader": "李明",
                                 "post": "副镇长", "place": "柳溪村村委会", "people": "村民代表", "talk": "听取土地流转意见",
                                 "agreed": "下周召开村民代表会", "rules": RULES, "batches": 3, "persons": 12, **kw}
    return records.meeting(**values)  # type: ignore[arg-type]


def test_a_visit_down_with_no_matter_is_a_record_of_its_own() -> None:
    m = meeting()
    assert (m.kind, m.matter_id, m.batches, m.persons) == (MeetingKind.VISITING, None, 3, 12)
    assert records.meeting_text(m) == "2026年6月3日副镇长李明在柳溪村村委会下访村民代表：听取土地流转意见；商定：下周召开村民代表会"


@pytest.mark.parametrize(("kw", "field"), [
    ({"kind": MeetingKind.INVITED}, "信访事项"), ({"leader": ""}, "领导"), ({"place": " "}, "地点"),
    ({"people": ""}, "接谈对象"), ({"talk": ""}, "谈话内容"), ({"batches": 0}, "批次"), ({"persons": 0}, "人次"),
    ({"batches": 13}, "批次"), ({"held_on": date(2026, 7, 1)}, "下访日期"),
])
def test_a_meeting_refuses_bad_input_naming_the_field(kw: dict[str, object], field: str) -> None:
    with pytest.raises(ValidationError) as exc:
        meeting(**kw)
    assert exc.value.field == field


def test_a_roster_day_in_the_past_is_refused_for_a_new_notice() -> None:
    args = {"leader": "李明", "post": "副镇长", "place": "镇信访接待室", "hours": "上午8:30—12:00", "today": date(2026, 6, 30)}
    assert records.reception_day(day=date(2026, 6, 30), **args).leader == "李明"  # today is still to come
    with pytest.raises(ValidationError) as exc:
        records.reception_day(day=date(2026, 6, 29), **args)
    assert exc.value.field == "接访日期" and "已经过去" in exc.value.message
    with pytest.raises(ValidationError) as exc:
        records.reception_day(day=date(2026, 7, 2), taken=True, **args)
    assert exc.value.field == "接访日期" and "已有接访安排" in exc.value.message
    with pytest.raises(ValidationError) as exc:
        records.reception_day(day=date(2026, 7, 2), **{**args, "hours": ""})
    assert exc.value.field == "接访时间"


def dispute(**kw: object) -> records.Dispute:
    values: dict[str, object] = {"found_on": date(2026, 6, 5), "village": "城关镇/柳溪村", "parties": "张三、李四",
                                 "category_id": None, "summary": "宅基地界址争议", "risk": RiskLevel.SERIOUS,
                                 "responsible": "王五", "resolve_by": date(2026, 6, 20),
                                 "state": DisputeState.RESOLVING, "rules": RULES, **kw}
    return records.dispute(**values)  # type: ignore[arg-type]


def test_a_dispute_and_when_it_is_past_due() -> None:
    d = dispute()
    assert not d.past_due(date(2026, 6, 20)) and d.past_due(date(2026, 6, 21))
    assert not dispute(state=DisputeState.RESOLVED).past_due(date(2026, 6, 21))


@pytest.mark.parametrize(("kw", "field"), [
    ({"resolve_by": date(2026, 6, 4)}, "化解期限"), ({"village": ""}, "村"), ({"parties": ""}, "当事人"),
    ({"summary": ""}, "简要情况"), ({"responsible": ""}, "责任人"), ({"found_on": date(2026, 7, 1)}, "排查日期"),
    ({"zero_reported": True}, "村"),
])
def test_a_dispute_refuses_bad_input_naming_the_field(kw: dict[str, object], field: str) -> None:
    with pytest.raises(ValidationError) as exc:
        dispute(**kw)
    assert exc.value.field == field and (field in exc.value.message or "零报告" in exc.value.message)


def test_a_zero_report_is_refused_for_a_village_that_reported_a_dispute_that_month() -> None:
    assert records.zero_report(month="2026-6", village="城关镇/柳溪村", reported_on=date(2026, 6, 28), rules=RULES,
                               disputes=0) == ("2026-06", "城关镇/柳溪村", date(2026, 6, 28))
    with pytest.raises(ValidationError) as exc:
        records.zero_report(month="2026-06", village="城关镇/柳溪村", reported_on=date(2026, 6, 28), rules=RULES,
                            disputes=2)
    assert exc.value.field == "村" and "已上报2件矛盾纠纷" in exc.value.message
    with pytest.raises(ValidationError) as exc:
        records.zero_report(month="2026-13", village="城关镇/柳溪村", reported_on=date(2026, 6, 28), rules=RULES,
                            disputes=0)
    assert exc.value.field == "月份"
