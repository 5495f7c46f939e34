"""The forms on a clerk's first day: a refused dialog stays open, long titles and bad phones are said, dates typed in one go."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QApplication, QDialog, QLineEdit, QVBoxLayout, QWidget
from pytestqt.qtbot import QtBot

from tests.helpers.qt import WAIT_MS, record_boxes, type_text
from xinfang_desktop import wallclock
from xinfang_desktop.db.database import Database
from xinfang_desktop.domain.enums import Channel, Decision, TransferRole
from xinfang_desktop.domain.values import MatterFilter, MatterInput, PetitionerInput, TransferTarget
from xinfang_desktop.services.convert import get_matter
from xinfang_desktop.services.handling import close, record_feedback, reply
from xinfang_desktop.services.reference import list_units
from xinfang_desktop.services.registry import decide, register_matter
from xinfang_desktop.services.search import count_matters
from xinfang_desktop.services.settings import get_setting
from xinfang_desktop.ui import date_edit
from xinfang_desktop.ui.action_dialogs import ACCEPT, FormDialog
from xinfang_desktop.ui.actions import ActionRunner
from xinfang_desktop.ui.date_edit import DateEdit
from xinfang_desktop.ui.register.register_tab import RegisterTab
from xinfang_desktop.ui.settings.settings_dialogs import OfficeDialog
from xinfang_desktop.ui.supervise.supervise_tab import SuperviseTab


@pytest.fixture
def shown(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    return record_boxes(monkeypatch)


def _assigned(db: Database, *, received: date, assigned: date, due: date) -> int:
    with db.begin() as s:
        ref = register_matter(s, MatterInput(received_on=received, channel=Channel.LETTER, title="反映低保评定不公",
                                             petitioners=(PetitionerInput(name="王秀英"),)), now=received)
        unit = list_units(s)[0].id
        decide(s, matter_id=ref.id, decision=Decision.ASSIGN, on=assigned,
               targets=(TransferTarget(unit, TransferRole.LEAD, due),))
    return ref.id


def _focused(widget: QWidget) -> bool:
    """The widget (or the line edit inside a date) is the one focused in its window."""
    window_focus = widget.window().focusWidget()
    return window_focus is widget or (window_focus is not None and window_focus.parentWidget() is widget)


def _active(qtbot: QtBot, widget: QWidget) -> None:
    widget.show()
    qtbot.waitExposed(widget)
    widget.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is widget, timeout=WAIT_MS)


class OpenDialog:
    """Drives the FormDialog an action opens, one scripted step per time it is shown; 确定 after each."""

    def __init__(self, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch, steps: list[Any]) -> None:
        self.steps = list(steps)

        def run(dialog: FormDialog) -> int:
            dialog.show()
            qtbot.waitExposed(dialog)
            self.steps.pop(0)(dialog)
            dialog.hide()
            return QDialog.DialogCode.Accepted.value

        monkeypatch.setattr(FormDialog, "exec", run)


def test_a_refused_extension_keeps_the_dialog_open_with_the_field_focused(
    qtbot: QtBot, db: Database, monkeypatch: pytest.MonkeyPatch, shown: list[str]
) -> None:
    today = wallclock.today()
    matter_id = _assigned(db, received=today - timedelta(days=20), assigned=today - timedelta(days=18),
                          due=today + timedelta(days=10))
    tab = SuperviseTab(ActionRunner(db))
    qtbot.addWidget(tab)
    assert tab.select_rows(lambda r: r.matter_id == matter_id) >= 1
    states: list[tuple[bool, bool, str]] = []

    def too_far(dialog: FormDialog) -> None:
        dialog.set_value("new_due_on", today + timedelta(days=10 + 41))
        type_text(dialog.widgets["reason"], "涉及多个部门，需进一步核实")
        dialog.widgets["on"].setFocus()

    def corrected(dialog: FormDialog) -> None:
        # shown again after the refusal: what was typed is there, the named field focused
        states.append((True, _focused(dialog.widgets["new_due_on"]), dialog.value("reason")))
        dialog.set_value("new_due_on", today + timedelta(days=10 + 30))

    OpenDialog(qtbot, monkeypatch, [too_far, corrected])
    monkeypatch.setattr("xinfang_desktop.ui.documents.documents_hook.offer_document", lambda *a, **k: True)
    tab.actions["延期"].trigger()
    visible, focused, reason = states[0]
    assert shown and "延期不得超过30日" in shown[0]
    assert visible, "the refused dialog closed"
    assert reason == "涉及多个部门，需进一步核实", "what the clerk typed was lost"
    assert focused, "延期至 was not focused"
    with db.read() as s:
        assert get_matter(s, matter_id).due_on == today + timedelta(days=40)  # the corrected one went through
    assert len(shown) == 1


def test_a_feedback_dated_before_the_transfer_focuses_the_date(
    qtbot: QtBot, db: Database, monkeypatch: pytest.MonkeyPatch, shown: list[str]
) -> None:
    today = wallclock.today()
    matter_id = _assigned(db, received=today - timedelta(days=20), assigned=today - timedelta(days=18),
                          due=today + timedelta(days=10))
    tab = SuperviseTab(ActionRunner(db))
    qtbot.addWidget(tab)
    assert tab.select_rows(lambda r: r.matter_id == matter_id and r.transfer_id is not None) == 1
    focus: list[bool] = []

    def early(dialog: FormDialog) -> None:
        dialog.set_value("received_on", today - timedelta(days=19))
        type_text(dialog.widgets["text"], "已核实，正在处理")
        dialog.set_value("verdict", ACCEPT)
        dialog.widgets["text"].setFocus()

    def back(dialog: FormDialog) -> None:
        focus.append(_focused(dialog.widgets["received_on"]))
        assert dialog.value("text") == "已核实，正在处理"
        dialog.set_value("received_on", today)

    OpenDialog(qtbot, monkeypatch, [early, back])
    tab.actions["登记反馈"].trigger()
    assert shown and "早于交办日期" in shown[0]
    assert focus == [True], "反馈日期 was not focused"


# 催办, 领导包案 and 验证 refused: the form comes back over what was typed, the refused field focused
REFUSED_FORMS = {
    # action: (the filter, the form typed with a date too early, the field refused, the text that must stay)
    "催办": ("全部在办", {"on": -19, "note": "请于本周内报送办理情况"}, "on", ("note", "请于本周内报送办理情况")),
    "领导包案": ("全部在办", {"leader": "李明", "post": "镇党委书记", "on": -21, "measures": "约谈公司负责人，督促还款"},
             "on", ("measures", "约谈公司负责人，督促还款")),
    "验证": ("待验证", {"on": -10, "checker": "张红", "method": "实地查看"}, "on", ("checker", "张红")),
}


@pytest.mark.parametrize("action", list(REFUSED_FORMS))
def test_a_refused_board_form_comes_back_over_what_was_typed_with_the_field_focused(
    qtbot: QtBot, db: Database, monkeypatch: pytest.MonkeyPatch, shown: list[str], action: str
) -> None:
    today = wallclock.today()
    matter_id = _assigned(db, received=today - timedelta(days=20), assigned=today - timedelta(days=18),
                          due=today + timedelta(days=10))
    if action == "验证":
        with db.begin() as s:
            transfer_id = get_matter(s, matter_id).transfers[0].id
            record_feedback(s, transfer_id=transfer_id, received_on=today - timedelta(days=9), text="已核实",
                            result="已解决")
            reply(s, matter_id=matter_id, on=today - timedelta(days=8), text="已解决")
            close(s, matter_id=matter_id, on=today - timedelta(days=8), result="已解决")
    filter_name, typed, refused, (kept_key, kept) = REFUSED_FORMS[action]
    tab = SuperviseTab(ActionRunner(db))
    qtbot.addWidget(tab)
    tab.set_filter(filter_name)
    assert tab.select_rows(lambda r: r.matter_id == matter_id) >= 1
    seen: list[tuple[bool, str]] = []

    def first(dialog: FormDialog) -> None:
        for key, value in typed.items():
            if isinstance(value, int):
                dialog.set_value(key, today + timedelta(days=value))
            else:
                type_text(dialog.widgets[key], value)

    def again(dialog: FormDialog) -> None:
        seen.append((_focused(dialog.widgets[refused]), dialog.value(kept_key)))
        dialog.set_value(refused, today)

    OpenDialog(qtbot, monkeypatch, [first, again])
    monkeypatch.setattr("xinfang_desktop.ui.documents.documents_hook.offer_document", lambda *a, **k: None)
    tab.actions[action].trigger()
    assert len(shown) == 1 and "早于" in shown[0], shown
    assert seen == [(True, kept)], "the refused form closed, lost what was typed or did not focus the date"
    with db.read() as s:
        detail = get_matter(s, matter_id)
    done = {"催办": lambda: detail.transfers[0].reminders == 1, "领导包案": lambda: detail.charge is not None,
            "验证": lambda: len(detail.verifications) == 1}
    assert done[action](), "the corrected form was not recorded"


def test_a_5000_character_title_is_said_before_saving_and_not_cut(
    qtbot: QtBot, db: Database, shown: list[str]
) -> None:
    tab = RegisterTab(ActionRunner(db))
    qtbot.addWidget(tab)
    _active(qtbot, tab)
    type_text(tab.ui.name_edit, "王秀英")
    long_title = "反映" + "土地承包问题" * 833  # 5,000 characters pasted from a scanned letter
    assert len(long_title) == 5000
    type_text(tab.ui.title_edit, long_title)
    assert len(tab.ui.title_edit.text()) == 5000, "the title was cut"
    assert tab.ui.title_warning_label.isVisible()
    assert "5000个字" in tab.ui.title_warning_label.text() and "最多200个字" in tab.ui.title_warning_label.text()
    assert tab.save() is None
    assert shown and "“标题”不能超过200个字" in shown[-1]
    assert _focused(tab.ui.title_edit)
    with db.read() as s:
        assert count_matters(s, MatterFilter()) == 0
    tab.ui.title_edit.setText("反映土地承包问题")
    assert not tab.ui.title_warning_label.isVisible()


def test_a_phone_that_is_no_phone_is_refused_naming_the_field(
    qtbot: QtBot, db: Database, shown: list[str]
) -> None:
    tab = RegisterTab(ActionRunner(db))
    qtbot.addWidget(tab)
    _active(qtbot, tab)
    type_text(tab.ui.name_edit, "王秀英")
    type_text(tab.ui.title_edit, "反映噪音扰民问题")
    type_text(tab.ui.phone_edit, "abc电话")
    tab.ui.phone_edit.editingFinished.emit()
    assert "联系电话" in tab.ui.phone_edit.toolTip()
    assert tab.save() is None
    assert shown and shown[-1].startswith("“联系电话”只能填写数字") and "abc电话" in shown[-1]
    assert _focused(tab.ui.phone_edit)
    tab.ui.phone_edit.setText("0571-88881234 转 802")
    assert tab.save() is not None


def test_an_empty_office_name_names_the_field_and_the_dialog_stays(
    qtbot: QtBot, db: Database, shown: list[str]
) -> None:
    dialog = OfficeDialog(ActionRunner(db))
    qtbot.addWidget(dialog)
    _active(qtbot, dialog)
    dialog.edits["office_name"].setText("  ")
    dialog.accept()
    assert shown == ["“机关名称”不能为空，请填写"]
    assert dialog.isVisible() and dialog.result() != QDialog.DialogCode.Accepted
    assert _focused(dialog.edits["office_name"])
    with db.read() as s:
        assert get_setting(s, "office_name") == "青石县城关镇人民政府"


@pytest.fixture
def date_row(qtbot: QtBot, monkeypatch: pytest.MonkeyPatch) -> Any:
    monkeypatch.setattr(date_edit, "_today", lambda: date(2026, 6, 15))  # the year a bare 12-1 is in
    holder = QWidget()
    layout = QVBoxLayout(holder)
    edit = DateEdit(date(2025, 1, 5))
    after = QLineEdit()
    layout.addWidget(edit)
    layout.addWidget(after)
    qtbot.addWidget(holder)
    _active(qtbot, holder)
    yield edit, after
    holder.close()


@pytest.mark.parametrize("typed, meant", [
    ("20261201", date(2026, 12, 1)),
    ("2026-12-01", date(2026, 12, 1)),
    ("2026.12.1", date(2026, 12, 1)),
    ("12-1", date(2026, 12, 1)),
    ("2026/3/5", date(2026, 3, 5)),
])
def test_a_date_typed_in_one_go_then_tab_to_the_next_field(
    qtbot: QtBot, date_row: tuple[DateEdit, QLineEdit], typed: str, meant: date
) -> None:
    edit, after = date_row
    edit.setFocus()
    qtbot.waitUntil(edit.hasFocus)
    QApplication.processEvents()  # the whole date selected on focus: typing replaces it
    qtbot.keyClicks(edit, typed)
    qtbot.keyClick(edit, Qt.Key.Key_Tab)
    assert edit.date().toPython() == meant
    assert after.hasFocus(), "Tab stayed inside the date"
    assert edit.text() == meant.isoformat()


def test_a_date_that_is_none_is_said_and_the_day_kept(
    qtbot: QtBot, date_row: tuple[DateEdit, QLineEdit]
) -> None:
    edit, after = date_row
    edit.setFocus()
    qtbot.waitUntil(edit.hasFocus)
    QApplication.processEvents()
    qtbot.keyClicks(edit, "2026.2.30")
    qtbot.keyClick(edit, Qt.Key.Key_Tab)
    assert edit.date() == QDate(2025, 1, 5)
    assert "无法识别“2026.2.30”" in edit.last_message and "20261201" in edit.last_message
    assert after.hasFocus()


def test_the_register_forms_date_takes_one_tab(qtbot: QtBot, db: Database) -> None:
    tab = RegisterTab(ActionRunner(db))
    qtbot.addWidget(tab)
    _active(qtbot, tab)
    received = tab.ui.received_date
    received.setFocus()
    qtbot.waitUntil(received.hasFocus)
    QApplication.processEvents()
    qtbot.keyClicks(received, "2024.3.5")
    qtbot.keyClick(received, Qt.Key.Key_Tab)
    assert received.date() == QDate(2024, 3, 5)
    assert tab.ui.source_combo.hasFocus()


def test_drop_down_lists_are_wide_enough_for_their_longest_item(qtbot: QtBot, db: Database) -> None:
    from PySide6.QtCore import QSize
    from PySide6.QtWidgets import QComboBox, QStyle, QStyleOptionComboBox

    tab = RegisterTab(ActionRunner(db))
    qtbot.addWidget(tab)
    _active(qtbot, tab)
    ui = tab.ui

    def needed(combo: QComboBox, text: str) -> int:
        option = QStyleOptionComboBox()
        combo.initStyleOption(option)
        size = QSize(combo.fontMetrics().horizontalAdvance(text), combo.fontMetrics().height())
        return combo.style().sizeFromContents(QStyle.ContentsType.CT_ComboBox, option, size, combo).width()

    choose_town = ui.town_combo.findData("河口镇")
    ui.town_combo.setCurrentIndex(choose_town)
    assert ui.village_combo.findData("李家湾村") >= 0
    for combo, text in ((ui.village_combo, "李家湾村"), (ui.town_combo, "河口镇"), (ui.place_combo, "河口镇/李家湾村")):
        assert combo.width() >= needed(combo, text), text  # the closed box shows it whole
        assert combo.view().minimumWidth() >= needed(combo, text), text  # and so does the open list
    longest = max((ui.category_combo.itemText(i) for i in range(ui.category_combo.count())), key=len)
    assert ui.category_combo.view().minimumWidth() >= needed(ui.category_combo, longest), longest


def test_the_charts_show_names_not_dots(qtbot: QtBot, db: Database) -> None:
    from PySide6.QtCharts import QBarCategoryAxis

    from xinfang_desktop.services.demo import generate
    from xinfang_desktop.ui.stats.stats_tab import StatsTab

    with db.begin() as s:
        generate(s, cases=120, seed=3, end=date(2026, 9, 30), years=1)
    tab = StatsTab(ActionRunner(db))
    qtbot.addWidget(tab)
    tab.resize(1280, 680)
    tab.show()
    qtbot.waitUntil(lambda: tab.current is not None and not tab.is_busy(), timeout=WAIT_MS)
    for chart in (tab.category_chart, tab.unit_chart):
        axes = [a for a in chart.axes() if isinstance(a, QBarCategoryAxis)]
        assert axes and not axes[0].truncateLabels(), "Qt would draw the names as …"
        labels = axes[0].categories()
        assert labels and all(len(label) <= 8 for label in labels) and not any(set(label) == {"…"} for label in labels)
    assert "城乡建设" in [a for a in tab.category_chart.axes() if isinstance(a, QBarCategoryAxis)][0].categories()


@pytest.mark.parametrize("answer", ["back", "save"])
def test_an_office_name_left_empty_on_a_new_database_is_said(
    qtbot: QtBot, real_db: Database, monkeypatch: pytest.MonkeyPatch, shown: list[str], answer: str
) -> None:
    from PySide6.QtWidgets import QMessageBox

    asked: list[str] = []

    def question(_parent: Any, _title: str, text: str, *_a: Any) -> QMessageBox.StandardButton:
        asked.append(text)
        return QMessageBox.StandardButton.Yes if answer == "save" else QMessageBox.StandardButton.No

    monkeypatch.setattr(QMessageBox, "question", question)
    dialog = OfficeDialog(ActionRunner(real_db))
    qtbot.addWidget(dialog)
    _active(qtbot, dialog)
    dialog.edits["number_prefix"].setText("人大信")
    dialog.accept()
    assert len(asked) == 1 and "“机关名称”尚未填写" in asked[0] and "不能出具文书" in asked[0]
    with real_db.read() as s:
        saved = get_setting(s, "number_prefix")
        assert get_setting(s, "office_name") == ""
    if answer == "back":
        assert dialog.isVisible() and dialog.result() != QDialog.DialogCode.Accepted
        assert _focused(dialog.edits["office_name"])
        assert saved != "人大信"
    else:
        assert dialog.result() == QDialog.DialogCode.Accepted and saved == "人大信"
    assert shown == []
