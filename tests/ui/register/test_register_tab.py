"""The 登记 tab driven from the keyboard: a letter, a 集体访, a call, bad input, and the person's history."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot

from tests.helpers.qt import WAIT_MS, type_text
from xinfang_desktop.db.database import Database
from xinfang_desktop.domain.enums import Channel, EventKind, PetitionerRole, Sex
from xinfang_desktop.domain.idcard import check_digit
from xinfang_desktop.domain.values import MatterInput, MatterRef, PetitionerInput
from xinfang_desktop.services.convert import get_matter
from xinfang_desktop.services.registry import register_matter
from xinfang_desktop.services.search import count_matters
from xinfang_desktop.ui.actions import ActionRunner
from xinfang_desktop.ui.register.register_tab import RegisterTab
from xinfang_desktop.wallclock import today


def valid_id(first17: str = "33010219800101123") -> str:
    return first17 + check_digit(first17)


class Boxes:
    """Records every message box instead of showing it; `answer` is what question() returns."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.shown: list[tuple[str, str]] = []
        self.answer = QMessageBox.StandardButton.Yes
        for kind in ("warning", "critical", "information"):
            monkeypatch.setattr(QMessageBox, kind, self._record(kind))
        monkeypatch.setattr(QMessageBox, "question", self._question)

    def _record(self, kind: str):  # type: ignore[no-untyped-def]
        def show(_parent, title, text, *args, **kwargs):  # type: ignore[no-untyped-def]
            self.shown.append((kind, text))
            return QMessageBox.StandardButton.Ok
        return show

    def _question(self, _parent, title, text, *args, **kwargs):  # type: ignore[no-untyped-def]
        self.shown.append(("question", text))
        return self.answer


@pytest.fixture
def boxes(monkeypatch: pytest.MonkeyPatch) -> Boxes:
    return Boxes(monkeypatch)


@pytest.fixture
def tab(qtbot: QtBot, db: Database) -> RegisterTab:
    runner = ActionRunner(db)
    widget = RegisterTab(runner)
    qtbot.addWidget(widget)
    widget.resize(1280, 800)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def choose(combo, data) -> None:  # type: ignore[no-untyped-def]
    index = combo.findData(data)
    assert index >= 0, data
    combo.setCurrentIndex(index)


def press_save(qtbot: QtBot, tab: RegisterTab) -> None:
    """Ctrl+S as the clerk presses it, in the field that has focus."""
    tab.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is tab, timeout=WAIT_MS)
    focus = QApplication.focusWidget() or tab.ui.title_edit
    qtbot.keyClick(focus, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)


def test_register_a_letter_from_the_keyboard(qtbot: QtBot, tab: RegisterTab, db: Database, boxes: Boxes) -> None:
    ui = tab.ui
    choose(ui.channel_combo, Channel.LETTER)
    type_text(ui.name_edit, "王秀英")
    type_text(ui.id_edit, valid_id("33010219800101124"))
    assert "1980年1月1日" in ui.id_info_label.text() and "女" in ui.id_info_label.text()
    type_text(ui.phone_edit, "13800001111")
    choose(ui.town_combo, ui.town_combo.itemData(1))
    type_text(ui.address_edit, "城关镇东街12号")
    type_text(ui.category_combo, "劳动社保/拖欠工资")
    type_text(ui.title_edit, "反映某公司拖欠工资问题")
    type_text(ui.content_edit, "本人在某公司打工，工资被拖欠三个月。")
    type_text(ui.demand_edit, "请求督促公司支付工资")
    type_text(ui.proposal_edit, "拟交县人社局办理")
    press_save(qtbot, tab)

    assert not boxes.shown, boxes.shown
    assert tab.last_saved is not None
    number = tab.last_saved.number
    assert number == f"信〔{today().year}〕0001号"
    assert number in ui.saved_label.text()
    assert ui.name_edit.text() == "" and ui.title_edit.text() == ""  # ready for the next one
    with db.read() as s:
        d = get_matter(s, tab.last_saved.id)
    assert d.channel is Channel.LETTER
    assert d.category == "劳动社保/拖欠工资"
    assert d.demand == "请求督促公司支付工资" and d.proposal == "拟交县人社局办理"
    assert len(d.petitioners) == 1
    p = d.petitioners[0]
    assert (p.name, p.sex, p.phone) == ("王秀英", Sex.FEMALE, "13800001111")
    assert p.region == ui.town_combo.itemData(1)
    # the list beside the form shows it once the runner's signal has reloaded it
    tab.refresh()
    assert tab.matter_list.model.rowCount() == 1


def test_register_a_collective_visit_of_twelve_with_three_representatives(
    qtbot: QtBot, tab: RegisterTab, db: Database, boxes: Boxes
) -> None:
    ui = tab.ui
    choose(ui.channel_combo, Channel.VISIT)
    type_text(ui.name_edit, "李建国")
    ui.persons_spin.setValue(4)
    assert ui.collective_label.isHidden()
    ui.persons_spin.setValue(12)
    assert not ui.collective_label.isHidden()  # 集体访 shown at 5 or more
    for name in ("赵大成", "钱小明"):
        row = tab.add_other_row()
        tab.set_other(row, name=name, representative=True)
    type_text(ui.leader_edit, "张副县长")
    type_text(ui.title_edit, "反映征地补偿款未发放问题")
    press_save(qtbot, tab)

    assert tab.last_saved is not None, boxes.shown
    with db.read() as s:
        d = get_matter(s, tab.last_saved.id)
    assert d.persons == 12 and d.collective
    assert d.receiving_leader == "张副县长"
    reps = [p.name for p in d.petitioners if p.role is PetitionerRole.REPRESENTATIVE]
    assert sorted(reps) == sorted(["李建国", "赵大成", "钱小明"])


def test_six_representatives_are_refused_and_the_table_gets_focus(
    qtbot: QtBot, tab: RegisterTab, db: Database, boxes: Boxes
) -> None:
    ui = tab.ui
    choose(ui.channel_combo, Channel.VISIT)
    type_text(ui.name_edit, "李建国")
    ui.persons_spin.setValue(20)
    for i in range(5):
        tab.set_other(tab.add_other_row(), name=f"代表{i}", representative=True)
    type_text(ui.title_edit, "反映问题")
    assert tab.save() is None
    assert any("不超过5人" in text for _, text in boxes.shown)
    assert ui.others_table.hasFocus()
    with db.read() as s:
        assert count_matters(s) == 0


def test_a_second_signature_makes_a_joint_letter_of_two(qtbot: QtBot, tab: RegisterTab, db: Database,
                                                         boxes: Boxes) -> None:
    ui = tab.ui
    choose(ui.channel_combo, Channel.LETTER)
    type_text(ui.name_edit, "林海")
    tab.set_other(tab.add_other_row(), name="林涛")
    assert ui.joint_check.isChecked() and ui.persons_spin.value() == 2
    type_text(ui.title_edit, "联名反映村务公开问题")
    ref = tab.save()
    assert ref is not None, boxes.shown
    with db.read() as s:
        d = get_matter(s, ref.id)
    assert d.joint and d.persons == 2 and [p.name for p in d.petitioners] == ["林海", "林涛"]


def test_add_petitioner_button_puts_the_cursor_in_the_new_name_cell(qtbot: QtBot, tab: RegisterTab) -> None:
    table = tab.ui.others_table
    tab.ui.add_person_button.click()
    assert table.rowCount() == 1
    assert table.state() == table.State.EditingState and table.currentRow() == 0 and table.currentColumn() == 0
    type_text(QApplication.focusWidget(), "周敏")
    table.setCurrentCell(0, 1)  # moving on commits the cell
    assert table.item(0, 0).text() == "周敏"


def test_register_a_call(qtbot: QtBot, tab: RegisterTab, db: Database, boxes: Boxes) -> None:
    ui = tab.ui
    choose(ui.channel_combo, Channel.CALL)
    assert not ui.leader_edit.isEnabled()  # a receiving leader belongs to a visit
    type_text(ui.name_edit, "孙丽")
    type_text(ui.phone_edit, "13911112222")
    type_text(ui.category_combo, "噪音")  # type-ahead on the second level alone
    type_text(ui.title_edit, "咨询噪音扰民投诉渠道")
    ui.title_edit.setFocus()
    press_save(qtbot, tab)
    assert tab.last_saved is not None, boxes.shown
    with db.read() as s:
        d = get_matter(s, tab.last_saved.id)
    assert d.channel is Channel.CALL and d.category == "生态环境/噪音"


def test_missing_title_focuses_it_and_says_what_is_missing(
    qtbot: QtBot, tab: RegisterTab, db: Database, boxes: Boxes
) -> None:
    type_text(tab.ui.name_edit, "王五")
    tab.ui.name_edit.setFocus()
    assert tab.save() is None
    assert boxes.shown and "标题" in boxes.shown[-1][1]
    assert tab.ui.title_edit.hasFocus()
    assert tab.ui.name_edit.text() == "王五"  # nothing typed is lost


def test_missing_name_focuses_the_name(qtbot: QtBot, tab: RegisterTab, boxes: Boxes) -> None:
    type_text(tab.ui.title_edit, "反映道路破损")
    assert tab.save() is None
    assert "姓名" in boxes.shown[-1][1]
    assert tab.ui.name_edit.hasFocus()


def test_bad_id_shows_the_reason_and_saving_anyway_is_on_the_timeline(
    qtbot: QtBot, tab: RegisterTab, db: Database, boxes: Boxes
) -> None:
    good = valid_id()
    bad = good[:17] + ("0" if good[17] != "0" else "1")
    type_text(tab.ui.name_edit, "周强")
    type_text(tab.ui.id_edit, bad)
    assert "校验位" in tab.ui.id_info_label.text()
    type_text(tab.ui.title_edit, "反映宅基地纠纷")

    boxes.answer = QMessageBox.StandardButton.No
    assert tab.save() is None
    assert tab.ui.id_edit.hasFocus()
    with db.read() as s:
        assert count_matters(s) == 0

    boxes.answer = QMessageBox.StandardButton.Yes
    ref = tab.save()
    assert ref is not None
    with db.read() as s:
        d = get_matter(s, ref.id)
    assert d.petitioners[0].id_number == bad
    assert any(e.kind == EventKind.ID_OVERRIDE.value for e in d.events)


def test_an_unreadable_attachment_is_named_and_nothing_is_saved(
    qtbot: QtBot, tab: RegisterTab, db: Database, boxes: Boxes, tmp_path: Path
) -> None:
    scan = tmp_path / "来信扫描.pdf"
    scan.write_bytes(b"%PDF-1.4 scan")
    missing = tmp_path / "丢失的扫描件.jpg"
    type_text(tab.ui.name_edit, "吴敏")
    type_text(tab.ui.title_edit, "反映低保问题")
    tab.add_attachment(scan)
    tab.add_attachment(missing)
    assert tab.save() is None
    assert "丢失的扫描件.jpg" in boxes.shown[-1][1]
    with db.read() as s:
        assert count_matters(s) == 0

    tab.ui.attachments_list.setCurrentRow(1)
    tab.ui.attachments_list.item(1).setSelected(True)
    tab.ui.remove_attachment_button.click()
    ref = tab.save()
    assert ref is not None
    with db.read() as s:
        d = get_matter(s, ref.id)
    assert [a.filename for a in d.attachments] == ["来信扫描.pdf"]


def _earlier_visit(db: Database) -> tuple[str, MatterRef]:
    """陈德明's earlier visit, today: (his 身份证号, the matter)."""
    number = valid_id("41010219750505331")
    with db.begin() as s:
        return number, register_matter(s, MatterInput(
            received_on=today(), channel=Channel.VISIT, title="反映土地承包纠纷",
            petitioners=(PetitionerInput(name="陈德明", id_number=number, phone="13700001234"),),
        ))


def test_history_panel_shows_a_returning_petitioner_and_links_the_repeat(
    qtbot: QtBot, tab: RegisterTab, db: Database, boxes: Boxes
) -> None:
    number, earlier = _earlier_visit(db)
    type_text(tab.ui.name_edit, "陈德明")
    tab.update_history()  # what the typing timer does 300 ms later
    assert tab.history.table.rowCount() == 1
    assert tab.history.table.item(0, 1).text() == earlier.number

    type_text(tab.ui.id_edit, number)
    tab.update_history()
    assert "可能重复" in tab.history.status_label.text()
    assert "身份证号相同" in tab.history.status_label.text()

    tab.history.table.cellWidget(0, 4).click()  # one click links it
    assert tab.repeat_of is not None and tab.repeat_of.id == earlier.id
    assert earlier.number in tab.link_label.text()
    type_text(tab.ui.title_edit, "再次反映土地承包纠纷")
    ref = tab.save()
    assert ref is not None
    with db.read() as s:
        d = get_matter(s, ref.id)
    assert d.repeat and d.repeat_of_id == earlier.id
    assert any(e.kind == EventKind.REPEAT_LINKED.value for e in d.events)


@pytest.mark.parametrize(("answer", "linked"), [(QMessageBox.StandardButton.Yes, True),
                                               (QMessageBox.StandardButton.No, False),
                                               (QMessageBox.StandardButton.Cancel, None)])
def test_saving_with_a_possible_repeat_on_screen_asks_whether_it_is_one(
    qtbot: QtBot, tab: RegisterTab, db: Database, boxes: Boxes, answer: QMessageBox.StandardButton, linked: bool | None
) -> None:
    """walk6: with “可能重复” shown, Ctrl+S saved without linking, and the 重复信访 of the tally missed it."""
    number, earlier = _earlier_visit(db)
    type_text(tab.ui.name_edit, "陈德明")
    type_text(tab.ui.id_edit, number)
    type_text(tab.ui.title_edit, "再次反映土地承包纠纷")
    tab.update_history()
    assert "可能重复" in tab.history.status_label.text() and tab.repeat_of is None
    boxes.answer = answer
    ref = tab.save()
    asked = [text for kind, text in boxes.shown if kind == "question"]
    assert len(asked) == 1 and asked[0].startswith(f"可能重复：{earlier.number}（身份证号相同）反映土地承包纠纷")
    with db.read() as s:
        if linked is None:  # 取消: back to the form, nothing saved, what was typed kept
            assert ref is None and count_matters(s) == 1 and tab.ui.title_edit.text() == "再次反映土地承包纠纷"
            return
        assert ref is not None
        d = get_matter(s, ref.id)
    assert d.repeat is linked and d.repeat_of_id == (earlier.id if linked else None)


def test_the_repeat_question_is_about_the_form_as_it_stands_at_save(
    qtbot: QtBot, tab: RegisterTab, db: Database, boxes: Boxes
) -> None:
    """review7: Ctrl+S before the history's 300 ms timer ran asked about the person typed before (是 linked
    李秀英's matter to 陈德明's), and missed a repeat found by a title still being typed."""
    number, earlier = _earlier_visit(db)
    type_text(tab.ui.name_edit, "陈德明")
    type_text(tab.ui.id_edit, number)
    tab.update_history()
    assert "可能重复" in tab.history.status_label.text()
    tab.ui.name_edit.clear()
    tab.ui.id_edit.clear()
    type_text(tab.ui.name_edit, "李秀英")
    type_text(tab.ui.id_edit, valid_id("41010219800606442"))
    type_text(tab.ui.title_edit, "反映邻里宅基地纠纷")
    ref = tab.save()  # at once: the timer has not run
    assert ref is not None and not [text for kind, text in boxes.shown if kind == "question"]
    with db.read() as s:
        assert get_matter(s, ref.id).repeat_of_id is None


def test_a_known_id_number_under_another_name_is_asked_before_saving(
    qtbot: QtBot, tab: RegisterTab, db: Database, boxes: Boxes
) -> None:
    number = valid_id("41010219750505331")
    with db.begin() as s:
        earlier = register_matter(s, MatterInput(received_on=today(), channel=Channel.VISIT, title="反映土地承包纠纷",
                                                 petitioners=(PetitionerInput(name="陈德明", id_number=number),)))
    type_text(tab.ui.name_edit, "陈德民")  # a slip of the pen, or a name changed since
    type_text(tab.ui.id_edit, number)
    type_text(tab.ui.title_edit, "再次反映土地承包纠纷")
    boxes.answer = QMessageBox.StandardButton.No
    assert tab.save() is None
    asked = [text for kind, text in boxes.shown if kind == "question"]
    # the same 身份证号 is a 可能重复 too: asked first (否: a matter of its own), then the name
    assert len(asked) == 2 and asked[0].startswith("可能重复")
    assert "已登记为“陈德明”" in asked[1] and "陈德民" in asked[1]
    with db.read() as s:
        assert count_matters(s) == 1 and get_matter(s, earlier.id).petitioners[0].name == "陈德明"
    assert tab.ui.name_edit.text() == "陈德民"  # what was typed is still there to correct
    boxes.answer = QMessageBox.StandardButton.Yes
    ref = tab.save()
    assert ref is not None
    with db.read() as s:
        assert get_matter(s, earlier.id).petitioners[0].name == "陈德民"
        assert any("更正为“陈德民”" in e.text for e in get_matter(s, earlier.id).events)


def test_tab_leaves_the_history_of_a_returning_petitioner(qtbot: QtBot, tab: RegisterTab, db: Database) -> None:
    number = valid_id("41010219750505331")
    with db.begin() as s:
        for title in ("反映土地承包纠纷", "再次反映土地承包纠纷"):
            register_matter(s, MatterInput(received_on=today(), channel=Channel.VISIT, title=title,
                                           petitioners=(PetitionerInput(name="陈德明", id_number=number),)))
    type_text(tab.ui.name_edit, "陈德明")
    type_text(tab.ui.id_edit, number)
    tab.update_history()
    assert tab.history.table.rowCount() == 2
    tab.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is tab, timeout=WAIT_MS)
    tab.history.table.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is tab.history.table, timeout=WAIT_MS)
    panel = tab.history
    left = False
    for _ in range(12):  # the table, its two 关联重复 buttons, then out
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        focus = QApplication.focusWidget()
        if focus is not None and not panel.isAncestorOf(focus) and focus is not panel:
            left = True
            break
    assert left, "Tab keeps the focus in the 信访人以往事项 table"


def test_three_earlier_matters_are_in_sight_at_1366x728(qtbot: QtBot, tab: RegisterTab, db: Database) -> None:
    number = valid_id("41010219750505331")
    with db.begin() as s:
        for title in ("反映土地承包纠纷", "再次反映土地承包纠纷", "三次反映土地承包纠纷"):
            register_matter(s, MatterInput(received_on=today(), channel=Channel.VISIT, title=title,
                                           petitioners=(PetitionerInput(name="陈德明", id_number=number),)))
    tab.resize(1366, 620)  # what the 登记 tab has of a 1366x728 screen under the menus, tabs and status bar
    type_text(tab.ui.id_edit, number)
    tab.update_history()
    table = tab.history.table
    qtbot.waitUntil(lambda: table.rowCount() == 3, timeout=WAIT_MS)
    QApplication.processEvents()
    last = table.rowViewportPosition(2) + table.rowHeight(2)
    assert 0 <= table.rowViewportPosition(0) and last <= table.viewport().height(), (last, table.viewport().height())


def test_escape_asks_before_discarding(qtbot: QtBot, tab: RegisterTab, boxes: Boxes) -> None:
    type_text(tab.ui.title_edit, "写了一半")
    boxes.answer = QMessageBox.StandardButton.No
    tab.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is tab, timeout=WAIT_MS)
    qtbot.keyClick(tab.ui.title_edit, Qt.Key.Key_Escape)
    assert boxes.shown and boxes.shown[-1][0] == "question"
    assert tab.ui.title_edit.text() == "写了一半"
    boxes.answer = QMessageBox.StandardButton.Yes
    qtbot.keyClick(tab.ui.title_edit, Qt.Key.Key_Escape)
    assert tab.ui.title_edit.text() == ""


def test_escape_in_a_petitioner_cell_only_cancels_that_cell(qtbot: QtBot, tab: RegisterTab, boxes: Boxes) -> None:
    table = tab.ui.others_table
    row = tab.add_other_row()
    tab.set_other(row, name="赵大成")
    table.setCurrentCell(row, 0)
    table.editItem(table.item(row, 0))
    assert table.state() == table.State.EditingState
    tab.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is tab, timeout=WAIT_MS)
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Escape)
    assert boxes.shown == []  # no 放弃登记 question
    assert table.state() != table.State.EditingState
    assert table.item(row, 0).text() == "赵大成" and table.rowCount() == 1


def test_tab_order_follows_the_paper_form(tab: RegisterTab) -> None:
    ui = tab.ui
    order = [ui.channel_combo]
    widget = ui.channel_combo
    for _ in range(40):
        widget = widget.nextInFocusChain()
        while not (widget.focusPolicy() & Qt.FocusPolicy.TabFocus) or widget.focusProxy() is not None:
            widget = widget.nextInFocusChain()
        if widget is ui.channel_combo:
            break
        order.append(widget)
    names = [w.objectName() for w in order]
    expected = ["channel_combo", "received_date", "name_edit", "id_edit", "phone_edit", "title_edit",
                "content_edit", "demand_edit", "proposal_edit", "save_button"]
    positions = [names.index(n) for n in expected]
    assert positions == sorted(positions), names
