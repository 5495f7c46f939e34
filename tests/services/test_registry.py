"""登记, 拟办, 领导批示, 受理决定, 交办 and 作废: numbering, flags, refusals that leave nothing behind."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from tests.helpers.builders import (
    RECEIVED,
    VALID_ID,
    events_of,
    matter_input,
    refused,
    register,
    snapshot,
    unit_id,
)
from xinfang_desktop.db.database import Database
from xinfang_desktop.db.models import Matter, Petitioner, Transfer
from xinfang_desktop.domain.enums import (
    Channel,
    Decision,
    EventKind,
    PetitionerRole,
    Status,
    TransferKind,
    TransferRole,
    TransferState,
)
from xinfang_desktop.domain.errors import (
    ConfirmationRequired,
    InvalidTransitionError,
    ValidationError,
)
from xinfang_desktop.domain.values import MatterInput, PetitionerInput, TransferTarget
from xinfang_desktop.services.common import set_calendar_day, set_setting
from xinfang_desktop.services.convert import get_matter
from xinfang_desktop.services.registry import (
    decide,
    instruct,
    propose,
    register_matter,
    transfer,
    update_matter,
    void,
)

NOW = date(2026, 11, 1)


def _count(db: Database, model: type) -> int:
    with db.read() as s:
        return s.scalar(select(func.count()).select_from(model)) or 0


def _detail(db: Database, matter_id: int):  # type: ignore[no-untyped-def]
    with db.read() as s:
        return get_matter(s, matter_id)


# 登记 ----------------------------------------------------------------------------------------
def test_numbers_run_per_year_with_the_prefix(db: Database) -> None:
    first = register(db)
    second = register(db)
    older = register(db, received_on=date(2025, 12, 30))
    with db.begin() as s:
        set_setting(s, "number_prefix", "人大信")
    fourth = register(db)
    assert [_detail(db, i).number for i in (first, second, older, fourth)] == [
        "信〔2026〕0001号", "信〔2026〕0002号", "信〔2025〕0001号", "人大信〔2026〕0003号"]


def test_register_records_the_matter_petitioners_and_notice_due(db: Database) -> None:
    matter_id = register(db)
    m = _detail(db, matter_id)
    assert m.status is Status.PENDING
    assert m.notice_due == date(2026, 3, 18)  # 15 days from 3 March
    assert [(p.name, p.id_number, p.phone) for p in m.petitioners] == [("王建国", VALID_ID, "13812345678")]
    assert m.events[0].kind == EventKind.REGISTERED and "王建国" in m.events[0].text
    assert m.route is not None  # a 申诉求决 matter defaults to the ordinary route


@pytest.mark.parametrize("channel, persons, collective", [
    (Channel.VISIT, 5, True), (Channel.VISIT, 60, True), (Channel.VISIT, 4, False), (Channel.LETTER, 6, False)])
def test_collective_visit_from_five_persons(db: Database, channel: Channel, persons: int, collective: bool) -> None:
    matter_id = register(db, channel=channel, persons=persons)
    assert _detail(db, matter_id).collective is collective


def test_five_representatives_accepted_six_refused(db: Database) -> None:
    reps = tuple(PetitionerInput(f"代表{i}", role=PetitionerRole.REPRESENTATIVE) for i in range(6))
    ok = register(db, channel=Channel.VISIT, persons=30, petitioners=reps[:5])
    assert [p.role for p in _detail(db, ok).petitioners] == [PetitionerRole.REPRESENTATIVE] * 5
    matters, people = _count(db, Matter), _count(db, Petitioner)
    with pytest.raises(ValidationError) as caught, db.begin() as s:
        register_matter(s, matter_input(channel=Channel.VISIT, persons=30, petitioners=reps), now=NOW)
    assert caught.value.field == "代表人" and "不超过5人" in caught.value.message
    assert (_count(db, Matter), _count(db, Petitioner)) == (matters, people)


@pytest.mark.parametrize("changes, field, fragment", [
    ({"persons": 0}, "人数", "至少为1"),
    ({"persons": -3}, "人数", "至少为1"),
    ({"title": "  "}, "标题", "请填写“标题”"),
    ({"title": "长" * 201}, "标题", "不能超过200个字"),
    ({"petitioners": ()}, "姓名", "匿名"),
    ({"received_on": NOW + timedelta(days=1)}, "登记日期", "晚于今天"),
    ({"channel": Channel.VISIT, "persons": 1,
      "petitioners": (PetitionerInput("甲"), PetitionerInput("乙"))}, "人数", "“人数”只有1"),
])
def test_bad_registrations_refused_naming_the_field(db: Database, changes: dict, field: str, fragment: str) -> None:
    with pytest.raises(ValidationError) as caught, db.begin() as s:
        register_matter(s, matter_input(**changes), now=NOW)
    assert caught.value.field == field
    assert fragment in caught.value.message
    assert _count(db, Matter) == 0 and _count(db, Petitioner) == 0


def test_anonymous_letter_needs_no_name(db: Database) -> None:
    matter_id = register(db, anonymous=True, petitioners=())
    assert _detail(db, matter_id).petitioners == ()


def test_bad_id_number_asks_for_confirmation_then_the_override_is_on_the_timeline(db: Database) -> None:
    bad = VALID_ID[:-1] + "3"
    data = matter_input(petitioners=(PetitionerInput("李秀英", id_number=bad),))
    with pytest.raises(ConfirmationRequired) as caught, db.begin() as s:
        register_matter(s, data, now=NOW)
    assert caught.value.field == "身份证号" and "校验位" in caught.value.message and "李秀英" in caught.value.message
    assert _count(db, Matter) == 0
    with db.begin() as s:
        ref = register_matter(s, replace(data, accept_id_warnings=True), now=NOW)
    assert ref.warnings and "校验位" in ref.warnings[0]
    kinds = [k for k, _ in events_of(db, ref.id)]
    assert kinds == [EventKind.REGISTERED, EventKind.ID_OVERRIDE]
    assert bad in events_of(db, ref.id)[1][1]
    assert _detail(db, ref.id).petitioners[0].id_number == bad


def test_the_same_id_number_is_the_same_person(db: Database) -> None:
    first = register(db)
    second = register(db, petitioners=(PetitionerInput("王建国", id_number=VALID_ID.lower(), phone="13900000000"),))
    assert _count(db, Petitioner) == 1
    a, b = _detail(db, first).petitioners[0], _detail(db, second).petitioners[0]
    assert a.id == b.id and b.phone == "13900000000"  # the newer phone is kept


def test_a_known_id_number_under_another_name_is_asked_and_never_renames_silently(db: Database) -> None:
    first = register(db)  # 王建国, VALID_ID
    data = matter_input(petitioners=(PetitionerInput("王建图", id_number=VALID_ID),))
    with pytest.raises(ConfirmationRequired) as caught, db.begin() as s:
        register_matter(s, data, now=NOW)
    asked = caught.value.message
    assert caught.value.field == "姓名" and "王建国" in asked and "王建图" in asked and VALID_ID in asked
    assert "以往事项1件" in asked
    assert _count(db, Matter) == 1 and _detail(db, first).petitioners[0].name == "王建国"  # nothing changed
    with db.begin() as s:
        ref = register_matter(s, replace(data, accept_id_warnings=True), now=NOW)
    # confirmed: one person, under the new name, and both timelines say what was corrected
    assert _count(db, Petitioner) == 1 and _detail(db, first).petitioners[0].name == "王建图"
    said = "信访人姓名由“王建国”更正为“王建图”"
    assert [k for k, t in events_of(db, first) if said in t] == [EventKind.EDITED]
    assert [k for k, t in events_of(db, ref.id) if said in t] == [EventKind.ID_OVERRIDE]


def test_upper_level_matter_needs_its_level(db: Database) -> None:
    from xinfang_desktop.domain.enums import Source
    with pytest.raises(ValidationError) as caught, db.begin() as s:
        register_matter(s, matter_input(source=Source.ASSIGNED_FROM_ABOVE), now=NOW)
    assert caught.value.field == "来源层级"


# 拟办, 批示, 修改 ------------------------------------------------------------------------------
def test_propose_instruct_and_edit_are_on_the_timeline(db: Database) -> None:
    matter_id = register(db)
    with db.begin() as s:
        propose(s, matter_id=matter_id, text="拟交城关镇人民政府调查处理")
        instruct(s, matter_id=matter_id, leader="张县长", on=date(2026, 3, 4), text="请城关镇依法处理")
        update_matter(s, matter_id=matter_id, changes={"persons": 6, "channel": Channel.VISIT})
    m = _detail(db, matter_id)
    assert m.proposal == "拟交城关镇人民政府调查处理"
    assert [(i.leader, i.on) for i in m.instructions] == [("张县长", date(2026, 3, 4))]
    assert m.collective  # the edit recomputed the flag
    kinds = [e.kind for e in m.events]
    assert kinds == [EventKind.REGISTERED, EventKind.PROPOSED, EventKind.INSTRUCTED, EventKind.EDITED]
    assert "人数：1 → 6" in m.events[-1].text


def test_instruction_before_receipt_refused(db: Database) -> None:
    matter_id = register(db)
    refused(db, matter_id, lambda s: instruct(s, matter_id=matter_id, leader="张县长", on=date(2026, 3, 1),
                                              text="阅"), ValidationError, "早于登记日期", "批示日期")


# 受理决定 ---------------------------------------------------------------------------------------
def test_accept_runs_the_sixty_day_clock(db: Database) -> None:
    matter_id = register(db)
    with db.begin() as s:
        ref = decide(s, matter_id=matter_id, decision=Decision.ACCEPT, on=date(2026, 3, 10))
    m = _detail(db, matter_id)
    assert ref.status is Status.IN_PROGRESS
    assert (m.decision, m.decided_on, m.due_on) == (Decision.ACCEPT, date(2026, 3, 10), date(2026, 5, 9))
    assert m.events[-1].kind == EventKind.DECIDED and "2026年5月9日" in m.events[-1].text


def test_reject_needs_reason_and_competent_body(db: Database) -> None:
    matter_id = register(db)
    refused(db, matter_id, lambda s: decide(s, matter_id=matter_id, decision=Decision.REJECT, on=date(2026, 3, 5)),
            ValidationError, "不予受理理由", "不予受理理由")
    refused(db, matter_id, lambda s: decide(s, matter_id=matter_id, decision=Decision.REJECT, on=date(2026, 3, 5),
                                            reason="属于诉讼程序"), ValidationError, "有权处理机关", "有权处理机关")
    with db.begin() as s:
        decide(s, matter_id=matter_id, decision=Decision.REJECT, on=date(2026, 3, 5), reason="属于诉讼程序",
               competent_body="县人民法院")
    m = _detail(db, matter_id)
    assert (m.status, m.decision_reason, m.competent_body) == (Status.REJECTED, "属于诉讼程序", "县人民法院")


def test_forward_needs_a_body_and_records_transfers_without_a_deadline(db: Database) -> None:
    matter_id = register(db)
    refused(db, matter_id, lambda s: decide(s, matter_id=matter_id, decision=Decision.FORWARD, on=date(2026, 3, 5)),
            ValidationError, "转送机关")
    court = unit_id(db, "县人民法院")
    with db.begin() as s:
        decide(s, matter_id=matter_id, decision=Decision.FORWARD, on=date(2026, 3, 5),
               targets=(TransferTarget(court),))
    m = _detail(db, matter_id)
    assert m.status is Status.FORWARDED and m.competent_body == "县人民法院"
    assert [(t.kind, t.due_on) for t in m.transfers] == [(TransferKind.FORWARD, None)]


def test_answer_needs_text_and_replies_at_once(db: Database) -> None:
    matter_id = register(db)
    refused(db, matter_id, lambda s: decide(s, matter_id=matter_id, decision=Decision.ANSWER, on=date(2026, 3, 3)),
            ValidationError, "答复内容")
    with db.begin() as s:
        decide(s, matter_id=matter_id, decision=Decision.ANSWER, on=date(2026, 3, 3), reason="已当场解答政策")
    m = _detail(db, matter_id)
    assert (m.status, m.replied_on, m.reply_text) == (Status.REPLIED, date(2026, 3, 3), "已当场解答政策")


def test_file_only(db: Database) -> None:
    matter_id = register(db)
    with db.begin() as s:
        decide(s, matter_id=matter_id, decision=Decision.FILE, on=date(2026, 3, 4), reason="内容不清")
    assert _detail(db, matter_id).status is Status.FILED


def test_late_decision_says_it_missed_the_notice_period(db: Database) -> None:
    matter_id = register(db)
    with db.begin() as s:
        decide(s, matter_id=matter_id, decision=Decision.FILE, on=date(2026, 3, 19))
    assert "超过15日告知期限" in _detail(db, matter_id).events[-1].text


def test_decision_refusals_change_nothing(db: Database) -> None:
    matter_id = register(db)
    refused(db, matter_id, lambda s: decide(s, matter_id=matter_id, decision=Decision.ACCEPT, on=date(2026, 3, 2)),
            ValidationError, "早于登记日期", "决定日期")
    with db.begin() as s:
        decide(s, matter_id=matter_id, decision=Decision.ACCEPT, on=date(2026, 3, 4))
    refused(db, matter_id, lambda s: decide(s, matter_id=matter_id, decision=Decision.FILE, on=date(2026, 3, 5)),
            InvalidTransitionError, "不能受理决定", "状态")


# 交办 -----------------------------------------------------------------------------------------
def test_assign_to_lead_and_assisting_units_with_due_dates_from_the_clock(db: Database) -> None:
    matter_id = register(db)
    town, land = unit_id(db, "城关镇人民政府"), unit_id(db, "县自然资源局")
    with db.begin() as s:
        decide(s, matter_id=matter_id, decision=Decision.ASSIGN, on=date(2026, 3, 5),
               targets=(TransferTarget(town, TransferRole.LEAD),
                        TransferTarget(land, TransferRole.ASSIST, due_on=date(2026, 6, 3))))
    m = _detail(db, matter_id)
    assert m.status is Status.IN_PROGRESS
    rows = [(t.unit, t.kind, t.role, t.sent_on, t.due_on, t.state) for t in m.transfers]
    assert rows == [
        ("城关镇人民政府", TransferKind.ASSIGN, TransferRole.LEAD, date(2026, 3, 5), date(2026, 5, 4),
         TransferState.WAITING),
        ("县自然资源局", TransferKind.ASSIGN, TransferRole.ASSIST, date(2026, 3, 5), date(2026, 6, 3),
         TransferState.WAITING),
    ]
    assert m.due_on == date(2026, 6, 3)  # the matter waits for the last unit
    assert "主办" in m.events[-1].text and "协办" in m.events[-1].text


def test_assign_follows_the_period_setting_and_working_days(db: Database) -> None:
    with db.begin() as s:
        set_setting(s, "periods", {"transfer_days": 10, "working_days": True})
        set_calendar_day(s, day=date(2026, 3, 9), is_workday=False, note="测试：单位放假")
    matter_id = register(db)
    with db.begin() as s:
        decide(s, matter_id=matter_id, decision=Decision.ASSIGN, on=date(2026, 3, 5),
               targets=(TransferTarget(unit_id(db, "城关镇人民政府")),))
    # Fri 6, (Mon 9 off), 10..13, 16..19, 20 -> the tenth working day is Fri 20 March
    assert _detail(db, matter_id).transfers[0].due_on == date(2026, 3, 20)
    assert _detail(db, matter_id).notice_due == date(2026, 3, 25)  # 15 working days, the 9th skipped


@pytest.mark.parametrize("targets, field, fragment", [
    ((), "承办单位", "至少一个"),
    (("assist-only",), "承办单位", "主办单位"),
    (("twice",), "承办单位", "选择了两次"),
    (("due-before",), "办理期限", "应晚于交办日期"),
])
def test_bad_transfers_refused(db: Database, targets: tuple, field: str, fragment: str) -> None:
    matter_id = register(db)
    town = unit_id(db, "城关镇人民政府")
    built = {
        (): (),
        ("assist-only",): (TransferTarget(town, TransferRole.ASSIST),),
        ("twice",): (TransferTarget(town), TransferTarget(town, TransferRole.ASSIST)),
        ("due-before",): (TransferTarget(town, due_on=RECEIVED - timedelta(days=1)),),
    }[targets]
    refused(db, matter_id, lambda s: decide(s, matter_id=matter_id, decision=Decision.ASSIGN, on=date(2026, 3, 5),
                                            targets=built), ValidationError, fragment, field)
    assert _count(db, Transfer) == 0


def test_a_further_transfer_after_the_decision(db: Database) -> None:
    matter_id = register(db)
    with db.begin() as s:
        decide(s, matter_id=matter_id, decision=Decision.ACCEPT, on=date(2026, 3, 5))
        transfer(s, matter_id=matter_id, targets=(TransferTarget(unit_id(db, "县民政局")),), on=date(2026, 3, 6))
    m = _detail(db, matter_id)
    assert [(t.unit, t.due_on) for t in m.transfers] == [("县民政局", date(2026, 5, 5))]
    assert m.due_on == date(2026, 5, 5)
    assert m.events[-1].kind == EventKind.TRANSFERRED


def test_transfer_of_a_pending_matter_refused(db: Database) -> None:
    matter_id = register(db)
    refused(db, matter_id, lambda s: transfer(s, matter_id=matter_id, on=date(2026, 3, 6),
                                              targets=(TransferTarget(unit_id(db, "县民政局")),)),
            InvalidTransitionError, "不能交办")


# 作废 -----------------------------------------------------------------------------------------
def test_void_keeps_the_matter_and_its_timeline(db: Database) -> None:
    matter_id = register(db)
    refused(db, matter_id, lambda s: void(s, matter_id=matter_id, reason=" "), ValidationError, "作废原因")
    before, _ = snapshot(db, matter_id)
    with db.begin() as s:
        void(s, matter_id=matter_id, reason="重复登记")
    after = _detail(db, matter_id)
    assert after.status is Status.VOIDED and after.void_reason == "重复登记"
    assert after.events[: len(before.events)] == before.events
    assert after.events[-1].kind == EventKind.VOIDED and "待处理" in after.events[-1].text
    assert _count(db, Matter) == 1
    refused(db, matter_id, lambda s: decide(s, matter_id=matter_id, decision=Decision.FILE, on=date(2026, 3, 5)),
            InvalidTransitionError, "已作废")


def test_correcting_the_receipt_date_moves_the_notice_due(db: Database) -> None:
    matter_id = register(db)
    with db.begin() as s:
        update_matter(s, matter_id=matter_id, changes={"received_on": date(2026, 3, 1)})
    m = _detail(db, matter_id)
    assert (m.received_on, m.notice_due) == (date(2026, 3, 1), date(2026, 3, 16))
    assert "登记日期：2026年3月3日 → 2026年3月1日" in m.events[-1].text
    with db.begin() as s:
        decide(s, matter_id=matter_id, decision=Decision.ACCEPT, on=date(2026, 3, 5))
    refused(db, matter_id, lambda s: update_matter(s, matter_id=matter_id, changes={"received_on": date(2026, 3, 6)}),
            ValidationError, "晚于受理决定日期", "登记日期")


def test_period_settings_change_one_at_a_time_and_refuse_bad_values(db: Database) -> None:
    from xinfang_desktop.services.settings import periods
    with db.begin() as s:
        set_setting(s, "periods", {"handling_days": 90})
        set_setting(s, "periods", {"notice_days": 10})
    with db.read() as s:
        assert (periods(s).handling_days, periods(s).notice_days) == (90, 10)
    with pytest.raises(ValidationError) as caught, db.begin() as s:
        set_setting(s, "periods", {"extension_max_days": 0})
    assert caught.value.field == "延期最长期限（日）"
    with db.read() as s:
        assert periods(s).extension_max_days == 30
    assert _detail(db, register(db)).notice_due == date(2026, 3, 13)  # the new 10 days


def test_a_category_is_renamed_or_deactivated_never_deleted(db: Database) -> None:
    from xinfang_desktop.services.lists import category_label, category_tree
    from xinfang_desktop.services.reference import update_category

    with db.read() as s:
        first = category_tree(s)[0]
        second = first.children[0]
    with db.begin() as s:
        update_category(s, category_id=second.id, name="承包地调整")
    with db.read() as s:
        assert category_label(s, second.id) == f"{first.name}/承包地调整"
    sibling = first.children[1].name
    with pytest.raises(ValidationError) as caught, db.begin() as s:
        update_category(s, category_id=second.id, name=sibling)
    assert caught.value.field == "分类名称" and sibling in caught.value.message
    with db.begin() as s:
        update_category(s, category_id=second.id, active=False)
    with db.read() as s:
        offered = [c.id for c in category_tree(s)[0].children]
        kept = [c.id for c in category_tree(s, include_inactive=True)[0].children]
        assert category_label(s, second.id) == f"{first.name}/承包地调整"  # old matters keep their label
    assert second.id not in offered and second.id in kept


def test_a_phone_that_is_not_one_is_refused_and_nothing_is_registered(db: Database) -> None:
    data = MatterInput(received_on=date(2026, 3, 2), channel=Channel.CALL, title="反映噪音问题",
                       petitioners=(PetitionerInput(name="王芳", phone="abc电话"),))
    with pytest.raises(ValidationError) as caught, db.begin() as s:
        register_matter(s, data, now=date(2026, 3, 2))
    assert caught.value.field == "联系电话" and "abc电话" in caught.value.message
    with db.read() as s:
        assert s.scalar(select(func.count()).select_from(Matter)) == 0
