"""The 交办 tab: the queue oldest first, 拟办 and 批示, and each of the six decisions."""

from __future__ import annotations

from datetime import timedelta

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from tests.helpers.action_dialogs import Script, script  # noqa: F401 - the fixture
from xinfang_desktop import wallclock
from xinfang_desktop.db.database import Database
from xinfang_desktop.domain.enums import Channel, Decision, Status, TransferRole
from xinfang_desktop.domain.values import MatterDetail, MatterInput, PetitionerInput
from xinfang_desktop.services.common import clock
from xinfang_desktop.services.convert import get_matter
from xinfang_desktop.services.reference import list_units
from xinfang_desktop.services.registry import register_matter
from xinfang_desktop.services.supervision import decision_queue
from xinfang_desktop.ui.action_dialogs import TransferDialog
from xinfang_desktop.ui.actions import ActionRunner
from xinfang_desktop.ui.decide.decide_tab import DecideTab
from xinfang_desktop.ui.palette import OVERDUE_COLOUR
from xinfang_desktop.ui.supervise.board_model import DecisionQueueModel

T = wallclock.today()


@pytest.fixture(autouse=True)
def _today_of_this_test() -> None:
    """Read today per test, not at import: a run that passes midnight must not mix two days."""
    global T
    T = wallclock.today()


def register(db: Database, title: str, days_ago: int) -> int:
    with db.begin() as s:
        return register_matter(
            s, MatterInput(received_on=T - timedelta(days=days_ago), channel=Channel.VISIT, title=title,
                           petitioners=(PetitionerInput(name="李建国"),)),
        ).id


def detail(db: Database, matter_id: int) -> MatterDetail:
    with db.read() as s:
        return get_matter(s, matter_id)


@pytest.fixture
def tab(qtbot, db: Database) -> DecideTab:  # type: ignore[no-untyped-def]
    runner = ActionRunner(db)
    widget = DecideTab(runner)
    qtbot.addWidget(widget)
    runner.data_changed.connect(lambda _w: widget.refresh())
    return widget


def test_queue_is_oldest_first_and_red_past_the_15_days(  # type: ignore[no-untyped-def]
    db: Database, tab: DecideTab, qtmodeltester
) -> None:
    newer = register(db, "反映路灯不亮", 1)
    older = register(db, "反映征地补偿不到位", 17)
    tab.refresh()
    assert [r.matter_id for r in tab.model.rows()] == [older, newer]
    qtmodeltester.check(tab.model)
    late = tab.model.index(0, DecisionQueueModel.COL_DAYS)
    assert tab.model.data(late, Qt.ItemDataRole.DisplayRole) == "超期2天"
    assert tab.model.data(late, Qt.ItemDataRole.BackgroundRole).color() == OVERDUE_COLOUR
    assert tab.model.data(tab.model.index(1, DecisionQueueModel.COL_DAYS), Qt.ItemDataRole.BackgroundRole) is None
    assert "超过告知期限 1 件" in tab.count_label.text()
    assert "征地补偿" in tab.detail.toPlainText()  # the oldest is selected and shown


def test_proposal_and_instruction_show_in_the_queue(db: Database, tab: DecideTab, script: Script) -> None:  # noqa: F811
    matter_id = register(db, "反映低保评定不公", 3)
    tab.refresh()
    tab.select_matter(matter_id)
    script.form(text="建议交民政局核查")
    tab.actions["拟办意见"].trigger()
    script.form(leader="王书记", on=T, text="同意，请民政局牵头办理")
    tab.actions["领导批示"].trigger()
    row = tab.model.rows()[0]
    assert row.proposal == "建议交民政局核查"
    assert row.instruction.startswith("王书记") and "民政局牵头" in row.instruction
    script.done()


@pytest.mark.parametrize(
    ("decision", "answers", "status", "documents"),
    [
        (Decision.ACCEPT, {}, Status.IN_PROGRESS, ["受理告知书"]),
        (Decision.REJECT, {"reason": "属于诉讼程序", "competent_body": "县人民法院"}, Status.REJECTED,
         ["不予受理告知书"]),
        (Decision.FORWARD, {"competent_body": "县人力资源和社会保障局"}, Status.FORWARDED, ["转送函", "转送告知书"]),
        (Decision.ANSWER, {"reason": "经查询，相关政策如下"}, Status.REPLIED, ["复信"]),
        (Decision.FILE, {"reason": "内容不清，存查"}, Status.FILED, []),
    ],
)
def test_each_decision_moves_the_matter_and_leaves_the_queue(  # type: ignore[no-untyped-def]
    db: Database, tab: DecideTab, script: Script, decision, answers, status, documents  # noqa: F811
) -> None:
    matter_id = register(db, "反映邻里纠纷", 4)
    tab.refresh()
    tab.select_matter(matter_id)
    script.form(on=T, **answers)
    tab.actions[decision.value].trigger()
    m = detail(db, matter_id)
    assert m.status is status and m.decision is decision and m.decided_on == T
    assert tab.model.rowCount() == 0
    assert [kind for _m, kind, _t in script.documents] == documents
    assert script.warnings == []
    script.done()


def test_assign_with_lead_and_assisting_units_and_default_due_dates(  # type: ignore[no-untyped-def]
    db: Database, tab: DecideTab, script: Script  # noqa: F811
) -> None:
    matter_id = register(db, "反映河道污染", 6)
    tab.refresh()
    with db.read() as s:
        lead, helper = [u.id for u in list_units(s)][:2]
        default_due = clock(s).transfer_due(T)
    tab.select_matter(matter_id)
    script.transfer(T, (lead, TransferRole.LEAD, None), (helper, TransferRole.ASSIST, T + timedelta(days=20)))
    tab.actions[Decision.ASSIGN.value].trigger()
    m = detail(db, matter_id)
    assert m.status is Status.IN_PROGRESS and m.decision is Decision.ASSIGN
    assert [(t.unit_id, t.role, t.due_on) for t in m.transfers] == [
        (lead, TransferRole.LEAD, default_due),
        (helper, TransferRole.ASSIST, T + timedelta(days=20)),
    ]
    assert m.due_on == default_due
    # one letter per unit, and the petitioner told which unit handles it
    assert script.documents == [*((matter_id, "交办函", t.id) for t in m.transfers),
                                (matter_id, "受理告知书（交办）", None)]
    script.done()


def test_transfer_dialog_keeps_one_lead_and_moves_untouched_due_dates(qtbot, db: Database) -> None:  # type: ignore[no-untyped-def]
    with db.read() as s:
        units = list_units(s)
        the_clock = clock(s)
    dialog = TransferDialog(units, the_clock.transfer_due)
    qtbot.addWidget(dialog)
    dialog.add_unit(units[0].id, TransferRole.LEAD)
    dialog.add_unit(units[1].id, TransferRole.LEAD)  # a second 主办 becomes 协办
    assert dialog.roles() == [TransferRole.LEAD, TransferRole.ASSIST]
    earlier = T - timedelta(days=10)
    dialog.on_edit.setDate(dialog.on_edit.date().addDays(-10))
    assert [t.due_on for t in dialog.targets()] == [the_clock.transfer_due(earlier)] * 2
    dialog.table.selectRow(1)
    dialog.remove_button.click()
    assert [t.unit_id for t in dialog.targets()] == [units[0].id]


def test_shortcut_opens_the_decision(db: Database, tab: DecideTab, script: Script, qtbot) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    matter_id = register(db, "咨询养老保险", 2)
    tab.refresh()
    tab.show()
    tab.activateWindow()
    qtbot.waitUntil(tab.isActiveWindow)  # shortcuts go to the active window only
    tab.select_matter(matter_id)
    tab.view.setFocus()
    script.form(on=T, reason="属咨询，已当场解答")
    QTest.keyClick(tab.view, Qt.Key.Key_5, Qt.KeyboardModifier.ControlModifier)
    assert script.titles == [Decision.ANSWER.value]
    assert detail(db, matter_id).status is Status.REPLIED
    with db.read() as s:
        assert decision_queue(s) == []
    script.done()


def test_after_a_decision_the_next_matter_is_selected_for_the_next_shortcut(  # type: ignore[no-untyped-def]
    db: Database, tab: DecideTab, script: Script  # noqa: F811
) -> None:
    oldest, middle, newest = (register(db, t, d) for t, d in (("最早一件", 9), ("中间一件", 5), ("最新一件", 1)))
    tab.refresh()
    tab.select_matter(middle)
    script.form(on=T, reason="属咨询，已当场解答")
    tab.actions[Decision.ANSWER.value].trigger()
    # the decided one left the queue; the one below it moved up into its place and is selected
    assert [r.matter_id for r in tab.model.rows()] == [oldest, newest]
    assert tab.current_row() is not None and tab.current_row().matter_id == newest
    script.form(on=T, reason="属咨询，已当场解答")
    tab.actions[Decision.ANSWER.value].trigger()
    assert tab.current_row() is not None and tab.current_row().matter_id == oldest  # the last row went: the one above
    script.done()


def test_a_body_named_in_a_transfer_is_offered_the_next_time(  # type: ignore[no-untyped-def]
    db: Database, tab: DecideTab, script: Script, monkeypatch: pytest.MonkeyPatch  # noqa: F811
) -> None:
    from xinfang_desktop.ui.action_dialogs import FormDialog

    offered: list[list[str]] = []
    scripted = FormDialog.exec

    def exec_(dialog: FormDialog) -> int:
        completer = dialog.widgets["competent_body"].completer()
        model = completer.model()
        offered.append([model.index(i, 0).data() for i in range(model.rowCount())])
        return scripted(dialog)

    monkeypatch.setattr(FormDialog, "exec", exec_)
    first, second = register(db, "反映违建", 3), register(db, "反映违建又一件", 2)
    tab.refresh()
    tab.select_matter(first)
    script.form(on=T, competent_body="县不动产登记中心", reason="属其职权")
    tab.actions[Decision.FORWARD.value].trigger()
    assert detail(db, first).competent_body == "县不动产登记中心"
    tab.select_matter(second)
    script.form(on=T, competent_body="县不动产登记中心", reason="同上")
    tab.actions[Decision.FORWARD.value].trigger()
    assert "县不动产登记中心" not in offered[0]  # never named before
    assert offered[1][0] == "县不动产登记中心"  # named once: offered first
    with db.read() as s:
        assert {u.name for u in list_units(s)} <= set(offered[1])  # and our own units after it
    script.done()


def test_the_hook_hands_the_document_to_the_documents_dialog(  # type: ignore[no-untyped-def]
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    from xinfang_desktop.ui.documents import document_dialog, documents_hook

    offered = []
    monkeypatch.setattr(document_dialog, "offer_document",
                        lambda parent, runner, matter_id, kind, *, transfer_id=None, said=None: offered.append(
                            (matter_id, kind, transfer_id)))
    documents_hook.offer_document(None, ActionRunner(db), 7, "催办单", transfer_id=3)
    assert offered == [(7, "催办单", 3)]


@pytest.mark.parametrize("answer", ["later", "add"])
def test_on_a_new_database_without_units_assigning_offers_to_add_them_first(  # type: ignore[no-untyped-def]
    qtbot, real_db: Database, monkeypatch: pytest.MonkeyPatch, answer: str
) -> None:
    """首次设置 skipped: no 承办单位 and no 机关名称 yet. 交办 asks to add the units, and the 交办函 it then owes
    is said to be refused (where to set the 机关名称), not left out without a word."""
    from PySide6.QtWidgets import QDialog, QMessageBox

    from tests.helpers.qt import record_boxes
    from xinfang_desktop.domain.enums import UnitKind
    from xinfang_desktop.services.reference import add_unit
    from xinfang_desktop.ui.settings.units_dialog import UnitsDialog

    runner = ActionRunner(real_db)
    widget = DecideTab(runner)
    qtbot.addWidget(widget)
    matter_id = register(real_db, "反映河道污染", 2)
    widget.refresh()
    widget.select_matter(matter_id)
    asked: list[str] = []
    monkeypatch.setattr(QMessageBox, "question", lambda _p, _t, text, *_a: asked.append(text) or (
        QMessageBox.StandardButton.Yes if answer == "add" else QMessageBox.StandardButton.No))
    said = record_boxes(monkeypatch)
    lists: list[list[str]] = []

    def clerk_adds_a_unit(_dialog: UnitsDialog) -> int:
        with real_db.begin() as s:
            add_unit(s, name="河口镇司法所", kind=UnitKind.TOWNSHIP)
        return QDialog.DialogCode.Accepted.value

    def clerk_picks_it(dialog: TransferDialog) -> int:
        lists.append([u.name for u in dialog.units])
        dialog.add_unit(dialog.units[0].id, TransferRole.LEAD, None)
        return QDialog.DialogCode.Accepted.value

    monkeypatch.setattr(UnitsDialog, "exec", clerk_adds_a_unit)
    monkeypatch.setattr(TransferDialog, "exec", clerk_picks_it)
    widget.decide(Decision.ASSIGN)
    assert len(asked) == 1 and "还没有承办单位" in asked[0] and "设置" in asked[0]
    if answer == "later":
        assert lists == [] and detail(real_db, matter_id).status is Status.PENDING and said == []
        return
    assert lists == [["河口镇司法所"]]
    assert detail(real_db, matter_id).status is Status.IN_PROGRESS
    # said once for the action, not once for each letter it leads to (the 交办函 and the 受理告知书)
    assert len(said) == 1 and "尚未填写“机关名称”，交办函无法落款" in said[0] and "机关信息" in said[0]
