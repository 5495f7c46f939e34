"""A matter's life from its 卷宗 and from the board's 已办结 filter: 修改, 作废, and what comes after 办结.

Each test drives the window as the clerk does (the 办理 menu, scripted forms) and checks what the
database and the timeline hold afterwards.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from PySide6.QtWidgets import QMessageBox

from tests.helpers.action_dialogs import Script, script  # noqa: F401 - the fixture
from xinfang_desktop import wallclock
from xinfang_desktop.db.database import Database
from xinfang_desktop.domain.enums import (
    Channel,
    Decision,
    EventKind,
    PetitionerRole,
    ReviewStage,
    Satisfaction,
    Status,
    TransferRole,
    TransferState,
)
from xinfang_desktop.domain.status import Action
from xinfang_desktop.domain.values import MatterDetail, MatterFilter, MatterInput, PetitionerInput, TransferTarget
from xinfang_desktop.domain.workflow.checks import cn_date as cn
from xinfang_desktop.services import handling, registry
from xinfang_desktop.services.common import set_setting
from xinfang_desktop.services.convert import get_matter
from xinfang_desktop.services.reference import list_units
from xinfang_desktop.services.search import count_matters, list_matters
from xinfang_desktop.services.supervision import board_keys
from xinfang_desktop.ui.actions import ActionRunner
from xinfang_desktop.ui.documents import documents_hook
from xinfang_desktop.ui.matter.matter_dialog import MatterDialog
from xinfang_desktop.ui.register.matter_list import MatterListView
from xinfang_desktop.ui.supervise.board_filters import CLOSED
from xinfang_desktop.ui.supervise.supervise_tab import SuperviseTab

OFFER_DOCUMENT = documents_hook.offer_document  # before the script fixture records offers instead


@pytest.fixture
def today() -> date:
    """Today, read once per test: the workflow refuses a date after today, so the data runs up to it."""
    return wallclock.today()


@pytest.fixture
def runner(db: Database) -> ActionRunner:
    return ActionRunner(db)


def _register(db: Database, on: date, title: str = "反映拖欠工资") -> int:
    with db.begin() as s:
        return registry.register_matter(s, MatterInput(
            received_on=on, channel=Channel.VISIT, title=title, persons=2,
            petitioners=(PetitionerInput("王建国", phone="13800001111"),
                         PetitionerInput("李秀英", role=PetitionerRole.PETITIONER))), now=on).id


def _closed(db: Database, today: date, *, replied_days_ago: int) -> int:
    """A matter accepted, answered `replied_days_ago` days ago and closed the same day."""
    replied = today - timedelta(days=replied_days_ago)
    matter_id = _register(db, replied - timedelta(days=10))
    with db.begin() as s:
        registry.decide(s, matter_id=matter_id, decision=Decision.ACCEPT, on=replied - timedelta(days=9))
        handling.reply(s, matter_id=matter_id, on=replied, text="已督促用人单位支付工资")
        handling.close(s, matter_id=matter_id, on=replied, result="工资已支付")
    return matter_id


def _dialog(qtbot, runner: ActionRunner, matter_id: int) -> MatterDialog:  # type: ignore[no-untyped-def]
    dialog = MatterDialog(runner, matter_id)
    qtbot.addWidget(dialog)
    return dialog


def _menu(dialog: MatterDialog) -> list[str]:
    return [a.text() for a in dialog.steps_menu.actions() if not a.isSeparator()]


def _lines(detail: MatterDetail, kind: str) -> list[str]:
    return [e.text for e in detail.events if e.kind == kind]


def test_the_menu_after_close_offers_exactly_what_the_workflow_allows(qtbot, runner: ActionRunner, db: Database,
                                                                      today: date) -> None:
    dialog = _dialog(qtbot, runner, _closed(db, today, replied_days_ago=5))
    assert _menu(dialog) == ["回访…", "息访…", "复查申请…", "修改登记内容…", "修改信访人", "更正办理结果…", "作废…"]
    assert dialog.document_button.isEnabled()
    # nothing the workflow refuses for a closed matter: no second 办结, no 答复, no 延期
    assert not {Action.CLOSE, Action.REPLY, Action.EXTEND, Action.REMIND} & set(dialog.detail.steps)


def test_correcting_fields_writes_before_and_after_with_the_reason(qtbot, runner: ActionRunner, db: Database,
                                                                   script: Script, today: date) -> None:  # noqa: F811
    matter_id = _register(db, today - timedelta(days=3))
    dialog = _dialog(qtbot, runner, matter_id)
    # first without a reason: refused, the same form comes back with what was typed
    script.form(title="反映拖欠农民工工资", persons="3")
    script.form(reason="登记时笔误", title="反映拖欠农民工工资", persons="3")
    assert dialog.run_step(Action.EDIT)
    script.done()
    assert script.titles == [f"修改　{dialog.detail.number}"] * 2
    assert script.warnings == ["请填写“修改原因”"]
    detail = runner.read(get_matter, matter_id)
    assert (detail.title, detail.persons) == ("反映拖欠农民工工资", 3)
    assert _lines(detail, EventKind.EDITED) == [
        "标题：反映拖欠工资 → 反映拖欠农民工工资；人数：2 → 3（原因：登记时笔误）"]
    # the 卷宗 shows the correction at once
    assert "反映拖欠农民工工资" in dialog.header.text()


def test_correcting_a_petitioner_name_and_phone(qtbot, runner: ActionRunner, db: Database,
                                               script: Script, today: date) -> None:  # noqa: F811
    matter_id = _register(db, today - timedelta(days=3))
    other = _register(db, today - timedelta(days=2), title="另一件")
    with db.begin() as s:
        registry.correct_petitioner(s, matter_id=other, petitioner_id=runner.read(get_matter, other).petitioners[1].id,
                                    name="李秀英", id_number="11010519491231002X", reason="补录身份证号")
    dialog = _dialog(qtbot, runner, matter_id)
    wang = dialog.detail.petitioners[0]
    # a bad phone, then another person's ID number: each refused naming the field, the form comes back
    script.form(reason="姓名登记错字", name="王建军", phone="无")
    script.form(reason="姓名登记错字", name="王建军", phone="13800002222", id_number="11010519491231002X")
    script.form(reason="姓名登记错字", name="王建军", phone="13800002222", id_number="")
    assert dialog.correct_petitioner(wang.id)
    script.done()
    assert "联系电话" in script.warnings[0]
    assert script.warnings[1] == "身份证号11010519491231002X已登记为另一信访人“李秀英”，请核对"
    detail = runner.read(get_matter, matter_id)
    assert [(p.name, p.phone) for p in detail.petitioners][0] == ("王建军", "13800002222")
    assert _lines(detail, EventKind.EDITED) == [
        "信访人王建国：姓名：王建国 → 王建军；联系电话：13800001111 → 13800002222（原因：姓名登记错字）"]
    assert "王建军" in [a.text() for a in dialog.steps_menu.actions()[-2].menu().actions()]


def test_correcting_nothing_is_refused_and_nothing_is_written(qtbot, runner: ActionRunner, db: Database,
                                                              script: Script, today: date) -> None:  # noqa: F811
    matter_id = _register(db, today - timedelta(days=3))
    dialog = _dialog(qtbot, runner, matter_id)
    script.form(reason="核对").cancel()
    assert not dialog.run_step(Action.EDIT)
    assert script.warnings == ["没有修改任何一项：请改正要更正的内容，或按“取消”"]
    assert _lines(runner.read(get_matter, matter_id), EventKind.EDITED) == []


def test_voiding_closes_the_open_transfers_and_the_matter_leaves_the_lists(qtbot, runner: ActionRunner, db: Database,
                                                                         script: Script, today: date) -> None:  # noqa: F811
    matter_id = _register(db, today - timedelta(days=4), title="重复登记的一件")
    kept = _register(db, today - timedelta(days=4), title="另一件")
    unit = runner.read(list_units)[0]
    with db.begin() as s:
        registry.decide(s, matter_id=matter_id, decision=Decision.ASSIGN, on=today - timedelta(days=3),
                        targets=(TransferTarget(unit.id, TransferRole.LEAD),))
    assert matter_id in {k.matter_id for k in runner.read(board_keys)}
    listing = MatterListView(runner)
    qtbot.addWidget(listing)
    listing.apply_filter()
    assert listing.model.rowCount() == 2

    dialog = _dialog(qtbot, runner, matter_id)
    script.form(reason="与另一件重复登记")
    assert dialog.run_step(Action.VOID)
    detail = runner.read(get_matter, matter_id)
    assert (detail.status, detail.void_reason) == (Status.VOIDED, "与另一件重复登记")
    assert [t.state for t in detail.transfers] == [TransferState.CANCELLED]
    assert _lines(detail, EventKind.VOIDED) == ["作废（原状态：办理中）：与另一件重复登记"]
    # the 卷宗 now offers nothing to do but take the 作废 back; the board, the list and the year's count leave it out
    assert _menu(dialog) == ["撤销作废…"]
    assert matter_id not in {k.matter_id for k in runner.read(board_keys)}
    listing.refresh()
    assert listing.model.rowCount() == 1 and listing.model.summary(0).id == kept  # type: ignore[union-attr]
    assert runner.read(count_matters, MatterFilter(include_voided=False)) == 1
    # and it is found again with the status filter 已作废
    listing.status_combo.setCurrentIndex(listing.status_combo.findData(Status.VOIDED))
    assert listing.model.rowCount() == 1 and listing.model.summary(0).id == matter_id  # type: ignore[union-attr]

    # 撤销作废: voided by mistake, it is back where it was, its transfer waiting again
    script.form(reason="作废有误")
    assert dialog.run_step(Action.RESTORE)
    detail = runner.read(get_matter, matter_id)
    assert (detail.status, detail.void_reason) == (Status.IN_PROGRESS, "")
    assert [t.state for t in detail.transfers] == [TransferState.WAITING]
    assert _lines(detail, EventKind.RESTORED) == ["撤销作废，恢复为“办理中”：作废有误"]
    assert "撤销作废…" not in _menu(dialog) and "作废…" in _menu(dialog)
    assert matter_id in {k.matter_id for k in runner.read(board_keys)}
    assert runner.read(count_matters, MatterFilter(include_voided=False)) == 2


def test_a_rejection_by_mistake_is_taken_back_from_the_dossier(qtbot, runner: ActionRunner, db: Database,
                                                                script: Script, today: date) -> None:  # noqa: F811
    matter_id = _register(db, today - timedelta(days=4))
    with db.begin() as s:
        registry.decide(s, matter_id=matter_id, decision=Decision.REJECT, on=today - timedelta(days=3),
                        reason="不属于本机关职权范围", competent_body="县人民法院")
    dialog = _dialog(qtbot, runner, matter_id)
    assert "撤销受理决定…" in _menu(dialog)
    script.form(reason="误选不予受理")
    assert dialog.run_step(Action.REVOKE)
    detail = runner.read(get_matter, matter_id)
    assert (detail.status, detail.decision) == (Status.PENDING, None)
    assert _lines(detail, EventKind.DECISION_REVOKED) == ["撤销受理决定“不予受理”：误选不予受理"]
    assert "撤销受理决定…" not in _menu(dialog)


def test_settle_after_close_from_the_dossier(qtbot, runner: ActionRunner, db: Database, script: Script,  # noqa: F811
                                            today: date) -> None:
    matter_id = _closed(db, today, replied_days_ago=5)
    dialog = _dialog(qtbot, runner, matter_id)
    script.form(on=today)
    assert dialog.run_step(Action.SETTLE)
    detail = runner.read(get_matter, matter_id)
    assert (detail.status, detail.settled, detail.settled_on) == (Status.CLOSED, True, today)
    assert _lines(detail, EventKind.SETTLED) == [f"{today.year}年{today.month}月{today.day}日息访"]
    assert "息访…" not in _menu(dialog)  # once only


def test_a_closing_date_typed_wrong_is_corrected_from_the_dossier(qtbot, runner: ActionRunner, db: Database,
                                                                    script: Script, today: date) -> None:  # noqa: F811
    matter_id = _closed(db, today, replied_days_ago=5)
    dialog = _dialog(qtbot, runner, matter_id)
    assert "更正办理结果…" in _menu(dialog)
    before = runner.read(get_matter, matter_id)
    # the form holds what is recorded: here 答复 and 办结, no 回访 yet (no 满意度 to correct)
    script.form(reason="办结日期录入笔误", closed_on=today - timedelta(days=1))
    assert dialog.run_step(Action.AMEND)
    assert script.titles[-1] == f"更正办理结果　{before.number}"
    detail = runner.read(get_matter, matter_id)
    assert (detail.closed_on, detail.result, detail.status) == (today - timedelta(days=1), before.result, Status.CLOSED)
    assert _lines(detail, EventKind.EDITED)[-1].startswith(
        f"更正办理结果：办结日期：{cn(before.closed_on)} → {cn(today - timedelta(days=1))}（原因：办结日期录入笔误）")
    # a date its step would refuse is refused here too, and the form comes back over what was typed
    script.form(reason="x", closed_on=today + timedelta(days=1)).cancel()
    assert not dialog.run_step(Action.AMEND)
    assert any("晚于今天" in w for w in script.warnings)
    assert runner.read(get_matter, matter_id).closed_on == today - timedelta(days=1)


def test_a_late_follow_up_after_close(qtbot, runner: ActionRunner, db: Database, script: Script,  # noqa: F811
                                      today: date) -> None:
    matter_id = _closed(db, today, replied_days_ago=20)
    dialog = _dialog(qtbot, runner, matter_id)
    script.form(on=today, satisfaction=Satisfaction.BASICALLY.value, note="电话回访", petitioner_view="工资已到账")
    assert dialog.run_step(Action.FOLLOW_UP)
    detail = runner.read(get_matter, matter_id)
    assert (detail.followed_up_on, detail.satisfaction, detail.status) == (today, Satisfaction.BASICALLY,
                                                                           Status.CLOSED)
    assert _lines(detail, EventKind.FOLLOWED_UP)[0].endswith("电话回访；信访人意见：工资已到账")
    assert script.documents == [(matter_id, "回访记录", None)]


def test_review_within_its_days_opens_a_linked_matter(qtbot, runner: ActionRunner, db: Database, script: Script,  # noqa: F811
                                                      today: date) -> None:
    matter_id = _closed(db, today, replied_days_ago=5)
    dialog = _dialog(qtbot, runner, matter_id)
    script.form(on=today, reason="对处理意见不服")
    assert dialog.run_step(Action.REQUEST_REVIEW)
    original = runner.read(get_matter, matter_id)
    [child] = [m for m in runner.read(list_matters) if m.id != matter_id]
    review = runner.read(get_matter, child.id)
    assert (review.stage, review.parent_id, review.status, review.content) == (
        ReviewStage.REVIEW, matter_id, Status.IN_PROGRESS, "对处理意见不服")
    assert [p.name for p in review.petitioners] == ["王建国", "李秀英"]
    assert _lines(original, EventKind.REVIEW_REQUESTED)[0].endswith(f"信访人申请复查，登记为{review.number}")
    assert script.documents == [(review.id, "复查受理告知书", None)]
    # the original's 卷宗 no longer offers a 复查 the workflow would refuse (one per decision)
    assert _menu(_dialog(qtbot, runner, matter_id)) == ["回访…", "息访…", "修改登记内容…", "修改信访人", "更正办理结果…", "作废…"]


def test_review_after_its_days_is_told_so_and_registered_as_a_new_matter(
        qtbot, runner: ActionRunner, db: Database, script: Script, today: date,  # noqa: F811
        monkeypatch: pytest.MonkeyPatch) -> None:
    asked: list[str] = []
    monkeypatch.setattr(QMessageBox, "question",
                        lambda _p, _t, text, *a, **k: asked.append(text) or QMessageBox.StandardButton.Yes)
    matter_id = _closed(db, today, replied_days_ago=60)
    dialog = _dialog(qtbot, runner, matter_id)
    script.form(on=today, reason="工资仍差两个月，提出新的情况")
    assert dialog.run_step(Action.REQUEST_REVIEW)
    # one box says it all: the window is past, and what may still be done
    assert script.warnings == []
    assert len(asked) == 1
    assert "申请复查的期限已于" in asked[0] and "不再受理复查" in asked[0] and "可以作为新的信访事项登记" in asked[0]
    assert "现在登记为新事项吗" in asked[0]
    [new] = [m for m in runner.read(list_matters) if m.id != matter_id]
    fresh = runner.read(get_matter, new.id)
    original = runner.read(get_matter, matter_id)
    assert (fresh.status, fresh.stage, fresh.parent_id, fresh.received_on) == (
        Status.PENDING, ReviewStage.FIRST, None, today)
    assert (fresh.title, fresh.content, fresh.persons) == (original.title, "工资仍差两个月，提出新的情况", 2)
    assert [(p.id, p.name) for p in fresh.petitioners] == [(p.id, p.name) for p in original.petitioners]
    assert original.number in fresh.note
    assert _lines(original, EventKind.REVIEW_REQUESTED) == [
        f"{today.year}年{today.month}月{today.day}日信访人申请复查，已过申请期限，作为新的信访事项登记为{fresh.number}"]
    assert script.infos == [f"已登记为新的信访事项{fresh.number}，请在“交办”页作出受理决定。"]
    assert script.documents == []  # no 复查受理告知书: no 复查 was accepted


def test_a_letter_a_step_owes_is_said_when_a_body_it_names_is_not_set(
        qtbot, real_db: Database, script: Script, today: date, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: F811
    # the real offer, as after every step: a letter refused for want of a setting is said, as for the 机关名称
    monkeypatch.setattr(documents_hook, "offer_document", OFFER_DOCUMENT)
    matter_id = _closed(real_db, today, replied_days_ago=5)
    with real_db.begin() as s:
        set_setting(s, "office_name", "青石县河口镇人民政府")
        set_setting(s, "review_body", "青石县人民政府")
        review_id = handling.request_review(s, matter_id=matter_id, on=today, reason="对处理意见不服").id
    runner = ActionRunner(real_db)
    missing = "尚未填写“复核机关”，{}无法写明，未出具；请在“设置”菜单的“机关信息”中填写“复核机关”后再出具"
    script.form(on=today, text="维持原处理意见")
    assert _dialog(qtbot, runner, review_id).run_step(Action.REPLY)
    assert script.infos == [missing.format("复查意见书")]
    script.form(on=today, reason="不服复查意见")
    assert _dialog(qtbot, runner, review_id).run_step(Action.REQUEST_RECHECK)
    assert script.infos[1:] == [missing.format("复核受理告知书")]
    assert script.warnings == []
    script.done()


def test_a_late_review_declined_as_new_writes_nothing(qtbot, runner: ActionRunner, db: Database, script: Script,  # noqa: F811
                                                      today: date, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.No)
    matter_id = _closed(db, today, replied_days_ago=60)
    dialog = _dialog(qtbot, runner, matter_id)
    script.form(on=today, reason="不服").cancel()
    assert not dialog.run_step(Action.REQUEST_REVIEW)
    assert runner.read(count_matters) == 1
    assert _lines(runner.read(get_matter, matter_id), EventKind.REVIEW_REQUESTED) == []


def test_the_board_lists_closed_matters_and_records_settle_from_there(qtbot, runner: ActionRunner, db: Database,
                                                                      script: Script, today: date) -> None:  # noqa: F811
    closed = [_closed(db, today, replied_days_ago=days) for days in (3, 8)]
    _register(db, today - timedelta(days=1), title="还在办的一件")
    tab = SuperviseTab(runner)
    qtbot.addWidget(tab)
    runner.data_changed.connect(lambda _c: tab.refresh())
    tab.set_filter(CLOSED)
    assert tab.view.model() is tab.closed_model
    assert tab.closed_model.rowCount() == 2
    assert {tab.closed_model.summary(r).id for r in range(2)} == set(closed)  # type: ignore[union-attr]
    assert "当前显示 2 条" in tab.counts_label.text()
    assert tab.select_matter(closed[1])
    script.form(on=today)
    tab.settle()
    assert runner.read(get_matter, closed[1]).settled
    # still selected after the refresh the action caused
    assert [r.matter_id for r in tab.selected_rows()] == [closed[1]]
    # its 卷宗, with the steps after 办结, opens from the row
    dialog = tab.open_current()
    assert dialog is not None
    qtbot.addWidget(dialog)
    assert _menu(dialog) == ["回访…", "复查申请…", "修改登记内容…", "修改信访人", "更正办理结果…", "作废…"]
    # back to the open deadlines: the board's own model again
    tab.set_filter("全部在办")
    assert tab.view.model() is tab.model and tab.model.rowCount() == 1


def test_key_supervision_on_closed_rows_is_refused_when_another_clerk_changed_one(
        qtbot, runner: ActionRunner, db: Database, monkeypatch: pytest.MonkeyPatch, today: date) -> None:  # type: ignore[no-untyped-def]
    """The 已办结 window's rows carry the version they were read at, as the board's do: a bulk 重点督办
    over them is checked against another clerk's change, and refused as a whole."""
    from tests.helpers.database import second_program
    from tests.helpers.qt import record_boxes

    closed = [_closed(db, today, replied_days_ago=days) for days in (3, 8)]
    tab = SuperviseTab(runner)
    qtbot.addWidget(tab)
    tab.set_filter(CLOSED)
    tab.view.selectAll()  # Ctrl+A, as the clerk selects the window's rows
    assert {r.matter_id for r in tab.selected_rows()} == set(closed)
    other = second_program(db)
    try:
        with other.begin() as s:
            registry.update_matter(s, matter_id=closed[0], changes={"title": "反映拖欠农民工工资"}, reason="标题有误")
    finally:
        other.close()
    shown = record_boxes(monkeypatch)
    tab.actions["重点督办"].trigger()
    number = runner.read(get_matter, closed[0]).number
    assert len(shown) == 1 and f"所选的2件事项中，{number}（" in shown[0] and "已被修改，请刷新后再改" in shown[0], shown
    assert not any(runner.read(get_matter, m).key_supervision for m in closed)
