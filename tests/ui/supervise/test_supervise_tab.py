"""The 督办 tab driven as the clerk does: 交办 → 催办 → 反馈 → 退回补办 → 反馈 → 答复 → 回访 → 办结, 延期 and 复查, refusals."""

from __future__ import annotations

import sqlite3
from datetime import date, timedelta

import pytest
from PySide6.QtCore import Qt

from tests.helpers.action_dialogs import Script, script  # noqa: F401 - the fixture
from tests.helpers.qt import WAIT_MS
from xinfang_desktop import wallclock
from xinfang_desktop.db.database import Database
from xinfang_desktop.domain.enums import (
    Channel,
    Decision,
    EventKind,
    ReplyOpinion,
    ReviewStage,
    Satisfaction,
    Status,
    TransferRole,
    TransferState,
)
from xinfang_desktop.domain.values import (
    MatterDetail,
    MatterInput,
    PetitionerInput,
    SupervisionRow,
)
from xinfang_desktop.services import demo
from xinfang_desktop.services.convert import get_matter
from xinfang_desktop.services.reference import list_units
from xinfang_desktop.ui.action_dialogs import ACCEPT, RETURN
from xinfang_desktop.ui.actions import ActionRunner
from xinfang_desktop.ui.decide.decide_tab import DecideTab
from xinfang_desktop.ui.palette import DUE_SOON_COLOUR, OVERDUE_COLOUR
from xinfang_desktop.ui.supervise.board_model import BoardModel
from xinfang_desktop.ui.supervise.supervise_tab import SuperviseTab

T = wallclock.today()


@pytest.fixture(autouse=True)
def _today_of_this_test() -> None:
    """Read today per test, not at import: a run that passes midnight must not mix two days."""
    global T
    T = wallclock.today()


def ago(days: int) -> date:
    return T - timedelta(days=days)


def later(days: int) -> date:
    return T + timedelta(days=days)


@pytest.fixture
def runner(db: Database) -> ActionRunner:
    return ActionRunner(db)


@pytest.fixture
def tabs(qtbot, runner: ActionRunner) -> tuple[DecideTab, SuperviseTab]:  # type: ignore[no-untyped-def]
    decide_tab, supervise_tab = DecideTab(runner), SuperviseTab(runner)
    qtbot.addWidget(decide_tab)
    qtbot.addWidget(supervise_tab)
    # what the main window does: every view reloads from the one signal
    runner.data_changed.connect(lambda _w: decide_tab.refresh())
    runner.data_changed.connect(lambda _w: supervise_tab.refresh())
    return decide_tab, supervise_tab


def register(db: Database, title: str, days_ago: int) -> int:
    from xinfang_desktop.services.registry import register_matter

    with db.begin() as s:
        return register_matter(
            s, MatterInput(received_on=ago(days_ago), channel=Channel.LETTER, title=title,
                           petitioners=(PetitionerInput(name="王秀英"),)),
        ).id


def units(db: Database) -> list[int]:
    with db.read() as s:
        return [u.id for u in list_units(s)]


def detail(db: Database, matter_id: int) -> MatterDetail:
    with db.read() as s:
        return get_matter(s, matter_id)


def kinds(db: Database, matter_id: int) -> list[str]:
    return [e.kind for e in detail(db, matter_id).events]


def assign_in_tab(decide_tab: DecideTab, script: Script, matter_id: int, on: date,  # noqa: F811
                  *targets: tuple[int, TransferRole, date | None]) -> None:
    assert decide_tab.select_matter(matter_id)
    script.transfer(on, *targets)
    decide_tab.actions[Decision.ASSIGN.value].trigger()


def pick(tab: SuperviseTab, matter_id: int, transfer: bool | None = None) -> SupervisionRow:
    def wanted(r: SupervisionRow) -> bool:
        return r.matter_id == matter_id and (transfer is None or (r.transfer_id is not None) == transfer)

    assert tab.select_rows(wanted) == 1, f"matter {matter_id} not shown once under {tab.filter_combo.currentText()}"
    return tab.selected_rows()[0]


def test_board_model_passes_the_model_tester(qtmodeltester, db: Database) -> None:  # type: ignore[no-untyped-def]
    with db.begin() as s:
        demo.generate(s, cases=120)
    from xinfang_desktop.services.supervision import board

    model = BoardModel()
    with db.read() as s:
        model.set_rows(board(s))
    assert model.rowCount() > 0
    qtmodeltester.check(model)
    model.sort(BoardModel.COL_DAYS, Qt.SortOrder.DescendingOrder)
    days = [model.row_at(i).days_left for i in range(model.rowCount())]
    assert days == sorted(days, reverse=True)


def test_first_matter_from_assignment_to_close(  # type: ignore[no-untyped-def]
    db: Database, tabs, script: Script  # noqa: F811
) -> None:
    decide_tab, board_tab = tabs
    matter_id = register(db, "反映修路占用耕地未补偿", 20)
    decide_tab.refresh()
    lead = units(db)[0]
    assign_in_tab(decide_tab, script, matter_id, ago(18), (lead, TransferRole.LEAD, later(10)))
    assert detail(db, matter_id).status is Status.IN_PROGRESS
    assert matter_id not in [r.matter_id for r in decide_tab.model.rows()]

    # 催办
    row = pick(board_tab, matter_id, transfer=True)
    assert row.state == TransferState.WAITING.value
    script.form(on=ago(5), note="请尽快报送办理结果")
    board_tab.actions["催办"].trigger()
    assert detail(db, matter_id).transfers[0].reminders == 1

    # 反馈, sent back: 退回补办
    pick(board_tab, matter_id, transfer=True)
    script.form(received_on=ago(3), text="已初步核实", result="正在协调", verdict=RETURN,
                return_reason="未附调查材料，请补充后重新报送")
    board_tab.actions["登记反馈"].trigger()
    assert detail(db, matter_id).transfers[0].state is TransferState.RETURNED
    assert pick(board_tab, matter_id, transfer=True).state == "退回补办"

    # 反馈 again, accepted
    script.form(received_on=ago(1), text="已补偿到位并附调查材料", result="已补偿", verdict=ACCEPT)
    board_tab.actions["登记反馈"].trigger()
    assert detail(db, matter_id).transfers[0].state is TransferState.ANSWERED

    # 答复: the matter now waits on the office
    row = pick(board_tab, matter_id)
    assert row.state == "待答复" and row.transfer_id is None
    script.form(on=T, opinion=ReplyOpinion.SUPPORT.value, findings="修路占用耕地属实，补偿款未及时发放",
                text="经核查，补偿款已于近日发放到位。")
    board_tab.actions["答复"].trigger()
    assert detail(db, matter_id).status is Status.REPLIED
    assert any("处理意见：予以支持" in e.text for e in detail(db, matter_id).events if e.kind == EventKind.REPLIED)
    assert matter_id not in [r.matter_id for r in board_tab.model.rows()]

    # 回访, from the 待回访 list
    board_tab.set_filter("待回访")
    pick(board_tab, matter_id)
    script.form(on=T, satisfaction=Satisfaction.BASICALLY.value, note="对结果基本认可", petitioner_view="希望早日复耕")
    board_tab.actions["回访"].trigger()
    assert detail(db, matter_id).satisfaction is Satisfaction.BASICALLY
    assert any("信访人意见：希望早日复耕" in e.text for e in detail(db, matter_id).events)

    # 办结, from the 待办结 list
    board_tab.set_filter("待办结")
    pick(board_tab, matter_id)
    script.form(on=T)
    board_tab.actions["办结"].trigger()

    final = detail(db, matter_id)
    assert final.status is Status.CLOSED and final.closed_on == T and final.result == "已补偿"
    assert kinds(db, matter_id) == [
        EventKind.REGISTERED, EventKind.DECIDED, EventKind.REMINDED, EventKind.FEEDBACK, EventKind.RETURNED,
        EventKind.FEEDBACK, EventKind.REPLIED, EventKind.FOLLOWED_UP, EventKind.CLOSED,
    ]
    transfer_id = final.transfers[0].id
    assert script.documents == [(matter_id, "交办函", transfer_id), (matter_id, "受理告知书（交办）", None),
                                (matter_id, "催办单", transfer_id),
                                (matter_id, "信访处理意见书", None), (matter_id, "回访记录", None)]
    assert script.warnings == []
    script.done()


def test_second_matter_extended_then_review_requested(  # type: ignore[no-untyped-def]
    db: Database, tabs, script: Script  # noqa: F811
) -> None:
    decide_tab, board_tab = tabs
    matter_id = register(db, "反映低保资格被取消", 40)
    decide_tab.refresh()
    lead, helper = units(db)[:2]
    assign_in_tab(decide_tab, script, matter_id, ago(38), (lead, TransferRole.LEAD, later(2)),
                  (helper, TransferRole.ASSIST, later(2)))
    rows = [r for r in board_tab.model.rows() if r.matter_id == matter_id]
    assert len(rows) == 2
    index = board_tab.model.index(board_tab.model.rows().index(rows[0]), 0)
    assert board_tab.model.data(index, Qt.ItemDataRole.BackgroundRole).color() == DUE_SOON_COLOUR  # 临期

    # 延期: 30 days past the old deadline, the most allowed
    pick_first = [r for r in board_tab.model.rows() if r.matter_id == matter_id][0]
    board_tab.select_rows(lambda r: r == pick_first)
    script.form(on=T, new_due_on=later(32), reason="涉及多个部门，需进一步核实")
    board_tab.actions["延期"].trigger()
    extended = detail(db, matter_id)
    assert extended.extended and extended.due_on == later(32)
    assert {t.due_on for t in extended.transfers} == {later(32)}
    shown = [i for i, k in enumerate(board_tab.model.keys()) if k.matter_id == matter_id]
    assert shown and all("已延期" in board_tab.model.display(i, BoardModel.COL_FLAGS) for i in shown)

    # both units report; then the reply
    for transfer in extended.transfers:
        board_tab.select_rows(lambda r, t=transfer.id: r.transfer_id == t)
        script.form(received_on=ago(1), text="经复核，符合低保条件", result="已恢复低保", verdict=ACCEPT)
        board_tab.actions["登记反馈"].trigger()
    pick(board_tab, matter_id)
    script.form(on=T, text="经复核，已恢复您的低保待遇。")
    board_tab.actions["答复"].trigger()

    # 复查 requested from the 待回访 list: a new linked matter with its own 30-day clock
    board_tab.set_filter("待回访")
    pick(board_tab, matter_id)
    script.form(on=T, reason="对恢复时间有异议")
    board_tab.actions["复查/复核申请"].trigger()
    assert script.titles[-1] == "复查申请"
    assert EventKind.REVIEW_REQUESTED in kinds(db, matter_id)
    board_tab.set_filter("全部在办")
    child_rows = [r for r in board_tab.model.rows() if r.title.startswith("复查申请")]
    assert len(child_rows) == 1
    child = detail(db, child_rows[0].matter_id)
    assert child.stage is ReviewStage.REVIEW and child.parent_id == matter_id and child.due_on == later(30)
    assert [kind for _m, kind, _t in script.documents] == [
        "交办函", "交办函", "受理告知书（交办）", "延期办理告知书", "信访处理意见书", "复查受理告知书"]
    assert script.documents[-1][0] == child.id

    # the 复查 is answered here; disagreeing again, the petitioner asks for 复核
    pick(board_tab, child.id)
    script.form(on=T, text="经复查，维持原处理意见。")
    board_tab.actions["答复"].trigger()
    assert script.documents[-1] == (child.id, "复查意见书", None)
    board_tab.set_filter("待办结")
    pick(board_tab, child.id)
    script.form(on=T, reason="仍不服复查意见")
    board_tab.actions["复查/复核申请"].trigger()
    assert script.titles[-1] == "复核申请"
    board_tab.set_filter("全部在办")
    recheck = detail(db, next(r.matter_id for r in board_tab.model.rows() if r.title.startswith("复核申请")))
    assert recheck.stage is ReviewStage.RECHECK and recheck.parent_id == child.id
    assert script.documents[-1] == (recheck.id, "复核受理告知书", None)
    assert script.warnings == []
    script.done()


def test_third_matter_refused_at_each_bad_step_with_nothing_changed(  # type: ignore[no-untyped-def]
    db: Database, tabs, script: Script  # noqa: F811
) -> None:
    decide_tab, board_tab = tabs
    matter_id = register(db, "反映企业拖欠工资", 20)
    other_id = register(db, "反映噪音扰民", 5)
    decide_tab.refresh()
    lead = units(db)[0]

    def refused(action: str, fragment: str, tab: object = board_tab, matter: int = matter_id) -> None:
        before = detail(db, matter)
        count = len(script.warnings)
        tab.actions[action].trigger()  # type: ignore[attr-defined]
        assert len(script.warnings) == count + 1, f"{action} was not refused"
        assert fragment in script.warnings[-1], script.warnings[-1]
        assert detail(db, matter) == before, f"{action} changed the matter although refused"

    # 交办 without a unit; 不予受理 without a reason
    decide_tab.select_matter(other_id)
    script.transfer(T)
    refused(Decision.ASSIGN.value, "请选择至少一个承办单位", decide_tab, other_id)
    decide_tab.select_matter(other_id)
    script.form(on=T, competent_body="县人民法院").cancel()  # refused: the form comes back, cancelled
    refused(Decision.REJECT.value, "不予受理理由", decide_tab, other_id)

    assign_in_tab(decide_tab, script, matter_id, ago(18), (lead, TransferRole.LEAD, later(10)))

    # a feedback dated before the transfer
    pick(board_tab, matter_id, transfer=True)
    script.form(received_on=ago(19), text="已处理", verdict=ACCEPT).cancel()  # refused: the form comes back, cancelled
    refused("登记反馈", "早于交办日期")
    # 退回补办 without a reason
    script.form(received_on=ago(1), text="已处理", verdict=RETURN).cancel()  # refused: the form comes back, cancelled
    refused("登记反馈", "退回理由")
    # 办结 and 答复 before any feedback on a 交办 matter
    script.form(on=T).cancel()  # refused: the form comes back, cancelled
    refused("办结", "尚未收到")
    script.form(on=T, text="答复如下").cancel()  # refused: the form comes back, cancelled
    refused("答复", "尚未收到")
    # 延期 past the 30 days, then a second 延期
    script.form(on=T, new_due_on=later(41), reason="情况复杂").cancel()  # refused: the form comes back, cancelled
    refused("延期", "延期不得超过30日")
    script.form(on=T, new_due_on=later(40), reason="情况复杂")
    board_tab.actions["延期"].trigger()
    assert detail(db, matter_id).due_on == later(40)
    pick(board_tab, matter_id, transfer=True)
    script.form(on=T, new_due_on=later(45), reason="仍需时间").cancel()  # refused: the form comes back, cancelled
    refused("延期", "不能再次延期")
    # a cancelled dialog writes nothing either
    before = detail(db, matter_id)
    script.cancel()
    board_tab.actions["催办"].trigger()
    assert detail(db, matter_id) == before
    # documents only for what was done: the 交办 and the one 延期
    assert [kind for _m, kind, _t in script.documents] == ["交办函", "受理告知书（交办）", "延期办理告知书"]
    script.done()


def test_remind_and_key_supervision_on_several_rows_at_once(  # type: ignore[no-untyped-def]
    db: Database, tabs, script: Script  # noqa: F811
) -> None:
    decide_tab, board_tab = tabs
    first, second = register(db, "反映事项一", 10), register(db, "反映事项二", 10)
    decide_tab.refresh()
    a, b = units(db)[:2]
    assign_in_tab(decide_tab, script, first, ago(8), (a, TransferRole.LEAD, later(20)))
    assign_in_tab(decide_tab, script, second, ago(8), (b, TransferRole.LEAD, later(20)))
    assert board_tab.select_rows(lambda r: r.matter_id in (first, second)) == 2
    script.form(on=T)
    board_tab.actions["催办"].trigger()
    assert [detail(db, m).transfers[0].reminders for m in (first, second)] == [1, 1]
    assert board_tab.select_rows(lambda r: r.matter_id in (first, second)) == 2
    board_tab.actions["重点督办"].trigger()
    assert detail(db, first).key_supervision and detail(db, second).key_supervision
    board_tab.set_filter("重点督办")
    assert {r.matter_id for r in board_tab.model.rows()} == {first, second}
    script.done()


def _independent_counts(path: str, today: date, soon: int) -> dict[str, int]:
    """The board's figures straight from the stored dates, without the services."""
    con = sqlite3.connect(path)
    rows = list(con.execute(
        "SELECT t.due_on, m.id FROM transfers t JOIN matters m ON m.id = t.matter_id WHERE t.kind = '交办' "
        "AND t.state IN ('待反馈', '退回补办') AND t.due_on IS NOT NULL AND m.status = '办理中'"))
    rows += list(con.execute("SELECT notice_due, id FROM matters WHERE status = '待处理'"))
    rows += list(con.execute(
        "SELECT due_on, id FROM matters m WHERE status = '办理中' AND due_on IS NOT NULL AND NOT EXISTS "
        "(SELECT 1 FROM transfers t WHERE t.matter_id = m.id AND t.kind = '交办' AND t.state != '已反馈')"))
    con.close()
    left = [((date.fromisoformat(d) - today).days, matter) for d, matter in rows]
    # matters, each once: a 主办 and its 协办 are two rows of the board but one matter
    return {"今日到期": len({m for d, m in left if d == 0}), "临期": len({m for d, m in left if 0 <= d <= soon}),
            "超期": len({m for d, m in left if d < 0}), "在办": len({m for _, m in left})}


def test_board_counts_equal_counts_from_the_stored_dates(  # type: ignore[no-untyped-def]
    db: Database, runner: ActionRunner, qtbot
) -> None:
    with db.begin() as s:
        demo.generate(s, cases=400, seed=7)
    tab = SuperviseTab(runner)
    qtbot.addWidget(tab)
    expected = _independent_counts(str(db.path), T, 5)
    assert expected["在办"] > 0 and expected["超期"] > 0
    assert tab.counts == expected
    assert f"超期 {expected['超期']} 件" in tab.counts_label.text()
    for name in ("超期", "临期", "今日到期"):
        tab.set_filter(name)
        assert len({r.matter_id for r in tab.model.rows()}) == expected[name]
    tab.set_filter("超期")
    index = tab.model.index(0, BoardModel.COL_DAYS)
    assert tab.model.data(index, Qt.ItemDataRole.BackgroundRole).color() == OVERDUE_COLOUR
    assert tab.model.data(index, Qt.ItemDataRole.DisplayRole).startswith("超期")
    tab.set_filter("全部在办")
    first_unit = next(r.unit for r in tab.model.rows() if r.transfer_id is not None)
    tab.set_unit(next(u.id for u in runner.read(list_units) if u.name == first_unit))
    assert tab.model.rowCount() > 0 and {r.unit for r in tab.model.rows()} == {first_unit}


def test_feedback_dialog_asks_the_return_reason_only_for_a_return(qtbot) -> None:  # type: ignore[no-untyped-def]
    from xinfang_desktop.ui.action_dialogs import FormDialog, feedback_fields

    dialog = FormDialog("登记反馈", feedback_fields())
    qtbot.addWidget(dialog)
    assert not dialog.widgets["return_reason"].isEnabled()
    assert dialog.value("new_due_on") is None  # not chosen: the old deadline stays
    dialog.set_value("verdict", RETURN)
    assert dialog.widgets["return_reason"].isEnabled()
    dialog.set_value("new_due_on", later(10))
    assert dialog.value("new_due_on") == later(10)


def test_the_reply_asks_for_the_opinion_and_never_picks_one_itself(  # type: ignore[no-untyped-def]
    qtbot, monkeypatch: pytest.MonkeyPatch
) -> None:
    from PySide6.QtWidgets import QDialog, QMessageBox

    from xinfang_desktop.ui.action_dialogs import FormDialog, reply_fields

    said: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, _t, text, *a, **k: said.append(text))
    dialog = FormDialog("答复", reply_fields("已补发", document="信访处理意见书"))
    qtbot.addWidget(dialog)
    assert dialog.value("opinion") == ""  # a clerk who skips it is asked, not given 作出解释说明
    dialog.accept()
    assert dialog.result() != QDialog.DialogCode.Accepted and said and "处理意见" in said[0]
    dialog.set_value("opinion", ReplyOpinion.REFUSE.value)
    dialog.accept()
    assert dialog.result() == QDialog.DialogCode.Accepted and len(said) == 1


def accepted_in_tab(db: Database, decide_tab: DecideTab, answers: Script) -> int:
    """A matter registered six days ago and 受理 in the 交办 tab the day after, handled here."""
    matter_id = register(db, "反映农田灌溉渠损毁", 6)
    decide_tab.refresh()
    decide_tab.select_matter(matter_id)
    answers.form(on=ago(5))
    decide_tab.actions[Decision.ACCEPT.value].trigger()
    return matter_id


def test_accepted_matter_assigned_later_from_the_board(  # type: ignore[no-untyped-def]
    db: Database, tabs, script: Script  # noqa: F811
) -> None:
    decide_tab, board_tab = tabs
    matter_id = accepted_in_tab(db, decide_tab, script)
    assert pick(board_tab, matter_id).state == "办理中"  # handled here, on its own 60 days
    unit = units(db)[3]
    script.transfer(ago(4), (unit, TransferRole.LEAD, later(20)))
    board_tab.actions["追加交办"].trigger()
    m = detail(db, matter_id)
    assert [(t.unit_id, t.due_on) for t in m.transfers] == [(unit, later(20))]
    row = pick(board_tab, matter_id)
    assert row.transfer_id == m.transfers[0].id and row.state == TransferState.WAITING.value
    assert script.documents[-1] == (matter_id, "交办函", m.transfers[0].id)
    script.done()


def test_a_unit_added_later_is_the_lead_units_helper(  # type: ignore[no-untyped-def]
    db: Database, tabs, script: Script  # noqa: F811
) -> None:
    decide_tab, board_tab = tabs
    matter_id = accepted_in_tab(db, decide_tab, script)
    first, second = units(db)[3], units(db)[4]
    script.transfer(ago(4), (first, TransferRole.LEAD, later(20)))
    pick(board_tab, matter_id)
    board_tab.actions["追加交办"].trigger()
    pick(board_tab, matter_id)
    # the clerk adds a second unit with the dialog's default role: it joins the 主办 as its 协办
    script.transfer(ago(3), (second, TransferRole.LEAD, later(20)))
    board_tab.actions["追加交办"].trigger()
    assert not script.warnings
    assert [(t.unit_id, t.role) for t in detail(db, matter_id).transfers] == [
        (first, TransferRole.LEAD), (second, TransferRole.ASSIST)]
    script.done()


def test_morning_banner_counts_and_opens_the_board_filtered(  # type: ignore[no-untyped-def]
    db: Database, runner: ActionRunner, qtbot
) -> None:
    from PySide6.QtWidgets import QLabel, QTabWidget

    from xinfang_desktop.ui.supervise.morning_banner import install_morning_banner

    with db.begin() as s:
        demo.generate(s, cases=400, seed=7)
    tabs = QTabWidget()
    qtbot.addWidget(tabs)
    board_tab = SuperviseTab(runner)
    tabs.addTab(QLabel("登记"), "登记")
    tabs.addTab(board_tab, "督办")
    banner = install_morning_banner(runner, tabs, board_tab)
    qtbot.addWidget(banner)
    expected = _independent_counts(str(db.path), T, 5)
    assert banner.text() == f"今日到期 {expected['今日到期']} 件，临期 {expected['临期']} 件，超期 {expected['超期']} 件"
    with qtbot.waitSignal(banner.filter_requested):
        banner.label.linkActivated.emit("超期")  # the clerk clicks 超期 N 件
    assert tabs.currentWidget() is board_tab
    assert board_tab.filter_combo.currentText() == "超期"
    assert len({r.matter_id for r in board_tab.model.rows()}) == expected["超期"]


def test_selected_rows_give_one_numbered_pdf_of_their_reminders(  # type: ignore[no-untyped-def]
    db: Database, tabs, script: Script, qtbot, monkeypatch: pytest.MonkeyPatch, tmp_path  # noqa: F811
) -> None:
    from PySide6.QtWidgets import QMessageBox

    from tests.helpers.pdf import page_sizes, pdf_text
    from xinfang_desktop.ui.documents import document_dialog as dd

    decide_tab, board_tab = tabs
    matters = [register(db, f"反映事项{n}", 40) for n in range(3)]
    decide_tab.refresh()
    unit = units(db)[0]
    for matter_id in matters:
        assign_in_tab(decide_tab, script, matter_id, ago(38), (unit, TransferRole.LEAD, ago(2)))
    board_tab.actions["批量催办单"].trigger()  # nothing selected: told what to select
    assert "请选择要出具催办单的交办件" in script.infos[-1]
    questions: list[str] = []
    monkeypatch.setattr(QMessageBox, "question",
                        lambda _p, _t, text, *a, **k: questions.append(text) or QMessageBox.StandardButton.Yes)
    shown: list[tuple[str, bytes]] = []
    monkeypatch.setattr(dd.DocumentDialog, "exec", lambda self: shown.append((self.status.text(), self.preview.pdf)) or 0)
    board_tab.set_filter("超期")
    assert board_tab.select_rows(lambda r: r.matter_id in (matters[0], matters[2])) == 2
    job = board_tab.print_reminders()
    assert job is not None and "选中的2个交办件" in questions[0]
    qtbot.waitUntil(lambda: bool(shown), timeout=WAIT_MS)  # the batch runs in a pool thread
    status, pdf = shown[0]
    assert f"已出具催办单2份：信告〔{T.year}〕1号至信告〔{T.year}〕2号" in status
    text = pdf_text(pdf, tmp_path).replace("\n", "")
    assert len(page_sizes(pdf)) == 2 and "反映事项0" in text and "反映事项2" in text and "反映事项1" not in text
    assert [detail(db, m).transfers[0].reminders for m in matters] == [1, 0, 1]
    assert [len(detail(db, m).documents) for m in matters] == [1, 0, 1]
    script.done()
