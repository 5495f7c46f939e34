"""The 登记 tab: the register form (forms/register_form.ui), the person's history beside it, and the matter list."""

from __future__ import annotations

import logging
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import QDate, Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemDelegate,
    QAbstractItemView,
    QApplication,
    QCompleter,
    QFileDialog,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from xinfang_desktop import wallclock
from xinfang_desktop.domain.enums import Channel, Purpose, Route, SkipLevel, Source, SourceLevel
from xinfang_desktop.domain.errors import XinfangError
from xinfang_desktop.domain.idcard import check_id_number
from xinfang_desktop.domain.validation import COLLECTIVE_PERSONS, check_phone, title_length_warning
from xinfang_desktop.domain.values import MatterInput, MatterRef, MatterSummary
from xinfang_desktop.services.lists import category_tree, on_duty, region_tree
from xinfang_desktop.services.search import petitioner_history
from xinfang_desktop.ui.actions import ActionRunner
from xinfang_desktop.ui.combos import fit_to_items
from xinfang_desktop.ui.form_scroll import FormScroll
from xinfang_desktop.ui.forms.ui_register_form import Ui_RegisterForm
from xinfang_desktop.ui.register import reading
from xinfang_desktop.ui.register.history_panel import ERROR_STYLE, HistoryPanel, ask_repeat
from xinfang_desktop.ui.register.matter_list import MatterListView
from xinfang_desktop.ui.register.reading import OTHER_ID, OTHER_NAME, OTHER_PHONE, OTHER_REP
from xinfang_desktop.wallclock import today

log = logging.getLogger(__name__)

_OK_STYLE = "color: #206020;"


class RegisterTab(QWidget):
    """登记: keyboard-first form; Ctrl+S saves, Ctrl+N starts anew, Esc asks before discarding."""

    matter_registered = Signal(object)  # MatterRef
    open_matter = Signal(int)

    def __init__(self, runner: ActionRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.runner = runner
        self.form_widget = QWidget()
        self.ui = Ui_RegisterForm()
        self.ui.setupUi(self.form_widget)
        self.history = HistoryPanel()
        self.matter_list = MatterListView(runner)
        self.repeat_of: MatterSummary | None = None
        self.last_saved: MatterRef | None = None
        self._saving = False
        self._categories: dict[str, int] = {}

        # the save row stays in sight below the scrolling form, whatever the screen height
        self.ui.main_layout.removeItem(self.ui.save_layout)
        scroll = FormScroll()
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.form_widget)
        form_box = QWidget()
        form_layout = QVBoxLayout(form_box)
        form_layout.setContentsMargins(0, 0, 0, 0)
        form_layout.addWidget(scroll)
        form_layout.addLayout(self.ui.save_layout)
        self.link_label = QLabel()
        self.link_label.setWordWrap(True)
        self.unlink_button = QPushButton("取消关联")
        self.unlink_button.clicked.connect(lambda: self.link_repeat(None))
        link_row = QHBoxLayout()
        link_row.addWidget(self.link_label, 1)
        link_row.addWidget(self.unlink_button)
        history_box = QWidget()
        history_layout = QVBoxLayout(history_box)
        history_layout.setContentsMargins(0, 0, 0, 0)
        history_layout.addWidget(self.history)
        history_layout.addLayout(link_row)
        list_box = QGroupBox("信访事项列表（双击打开）")
        list_layout = QVBoxLayout(list_box)
        list_layout.addWidget(self.matter_list)
        right = QSplitter(Qt.Orientation.Vertical)
        right.addWidget(history_box)
        right.addWidget(list_box)
        right.setStretchFactor(0, 1)
        right.setStretchFactor(1, 3)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(form_box)
        self.splitter.addWidget(right)
        self.splitter.setStretchFactor(0, 0)
        self.splitter.setStretchFactor(1, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.splitter)

        self._fill_choices()
        self._connect()
        self.reset_form()

    # setup ----------------------------------------------------------------------------------
    def _fill_choices(self) -> None:
        ui = self.ui
        for channel in Channel:
            ui.channel_combo.addItem(channel.value, channel)
        for source in Source:
            ui.source_combo.addItem(source.value, source)
        ui.source_level_combo.addItem("", None)
        for level in SourceLevel:
            ui.source_level_combo.addItem(level.value, level)
        for purpose in Purpose:
            ui.purpose_combo.addItem(purpose.value, purpose)
        ui.route_combo.addItem("（未定）", None)
        for number, route in enumerate(Route, start=1):
            ui.route_combo.addItem(f"{number} {route.value}", route)
        for level in SkipLevel:
            ui.skip_level_combo.addItem(level.value, level)
        header = ui.others_table.horizontalHeader()
        header.setSectionResizeMode(OTHER_ID, QHeaderView.ResizeMode.Stretch)
        char = self.fontMetrics().horizontalAdvance("中")
        ui.others_table.setColumnWidth(OTHER_NAME, 6 * char)
        ui.others_table.setColumnWidth(OTHER_PHONE, 8 * char)
        ui.others_table.setColumnWidth(OTHER_REP, 4 * char)
        ui.others_table.verticalHeader().setVisible(False)
        ui.received_date.setMaximumDate(QDate(wallclock.today()))
        self.reload_lists()

    def reload_lists(self) -> None:
        """Towns, villages and categories come from the clerk's lists; called again after 设置."""
        ui = self.ui
        self._regions = self.runner.rows(region_tree)
        for combo in (ui.town_combo, ui.place_combo):
            combo.blockSignals(True)
            combo.clear()
            combo.addItem("", "")
        for town, villages in self._regions.items():
            ui.town_combo.addItem(town, town)
            ui.place_combo.addItem(town, town)
            for village in villages:
                ui.place_combo.addItem(f"{town}/{village}", f"{town}/{village}")
        for combo in (ui.town_combo, ui.place_combo):
            combo.blockSignals(False)
            # "河口镇/李家湾村" whole; the form must still fit a 1024-pixel screen beside the list
            fit_to_items(combo, most_chars=8)
        self._fill_villages()
        self._categories = {}
        ui.category_combo.clear()
        ui.category_combo.addItem("", None)
        tree = self.runner.rows(category_tree)
        for first in tree:
            self._categories[first.name] = first.id
            ui.category_combo.addItem(first.name, first.id)
            for second in first.children:
                label = f"{first.name}/{second.name}"
                self._categories[label] = second.id
                ui.category_combo.addItem(label, second.id)
        fit_to_items(ui.category_combo, most_chars=9)  # "劳动社保/拖欠工资"; longer ones whole in the open list
        # type-ahead on either level: "工资" finds 劳动社保/拖欠工资
        for combo in (ui.category_combo, ui.place_combo):
            completer = QCompleter(combo.model(), combo)
            completer.setFilterMode(Qt.MatchFlag.MatchContains)
            completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
            combo.setCompleter(completer)
        self.matter_list.reload_categories(tree)

    def _connect(self) -> None:
        ui = self.ui
        ui.channel_combo.currentIndexChanged.connect(self._update_enabled)
        ui.source_combo.currentIndexChanged.connect(self._update_enabled)
        ui.purpose_combo.currentIndexChanged.connect(self._update_enabled)
        ui.skip_check.toggled.connect(self._update_enabled)
        ui.persons_spin.valueChanged.connect(self._update_enabled)
        ui.received_date.dateChanged.connect(lambda _d: self._offer_leaders())
        ui.channel_combo.currentIndexChanged.connect(lambda _i: self._offer_leaders())
        self.leaders_on_duty: list[str] = []
        self._offer_leaders()
        ui.town_combo.currentIndexChanged.connect(self._fill_villages)
        ui.id_edit.textChanged.connect(self._check_id)
        ui.add_person_button.clicked.connect(self._type_other)
        ui.remove_person_button.clicked.connect(self._remove_other_rows)
        ui.add_attachment_button.clicked.connect(self._choose_attachments)
        ui.remove_attachment_button.clicked.connect(self._remove_attachments)
        ui.save_button.clicked.connect(self.save)
        ui.new_button.clicked.connect(self.new_form)
        self._history_timer = QTimer(self)
        self._history_timer.setSingleShot(True)
        self._history_timer.setInterval(300)
        self._history_timer.timeout.connect(self.update_history)
        for edit in (ui.name_edit, ui.id_edit, ui.phone_edit):
            edit.textChanged.connect(self._history_timer.start)
        ui.title_edit.editingFinished.connect(self._history_timer.start)
        ui.title_edit.textChanged.connect(self._warn_title)
        ui.phone_edit.editingFinished.connect(self._check_phone)
        self.history.link_requested.connect(self.link_repeat)
        self.history.open_requested.connect(self.open_matter)
        self.matter_list.matter_activated.connect(self.open_matter)
        self.runner.error_shown.connect(self._focus_error)
        context = Qt.ShortcutContext.WidgetWithChildrenShortcut
        for keys, slot in ((QKeySequence.StandardKey.Save, self.save), (QKeySequence.StandardKey.New, self.new_form),
                           (QKeySequence(Qt.Key.Key_Escape), self.discard)):
            shortcut = QShortcut(QKeySequence(keys), self)
            shortcut.setContext(context)
            shortcut.activated.connect(slot)

    # live behaviour -------------------------------------------------------------------------
    def _update_enabled(self) -> None:
        ui = self.ui
        ui.source_level_combo.setEnabled(reading.choice(ui.source_combo, Source) is Source.ASSIGNED_FROM_ABOVE)
        ui.route_combo.setEnabled(reading.choice(ui.purpose_combo, Purpose) is Purpose.CLAIM)
        if not ui.route_combo.isEnabled():
            ui.route_combo.setCurrentIndex(0)
        ui.skip_level_combo.setEnabled(ui.skip_check.isChecked())
        visit = reading.choice(ui.channel_combo, Channel) is Channel.VISIT
        ui.leader_edit.setEnabled(visit)
        ui.collective_label.setVisible(visit and ui.persons_spin.value() >= COLLECTIVE_PERSONS)

    def _offer_leaders(self) -> None:
        """A visit on a 领导接访日: the leaders on duty that day are offered as 接访领导 (typed or picked)."""
        ui = self.ui
        day = ui.received_date.date()
        duty = self.runner.rows(on_duty, day=date(day.year(), day.month(), day.day()))
        self.leaders_on_duty = [d.leader for d in duty]
        completer = QCompleter(self.leaders_on_duty, ui.leader_edit)
        completer.setCompletionMode(QCompleter.CompletionMode.UnfilteredPopupCompletion)
        ui.leader_edit.setCompleter(completer)
        ui.leader_edit.setPlaceholderText(
            ("当日接访领导：" + "、".join(f"{d.post}{d.leader}" for d in duty)) if duty else "")

    def _fill_villages(self) -> None:
        town = self.ui.town_combo.currentData() or ""
        self.ui.village_combo.clear()
        self.ui.village_combo.addItem("", "")
        for village in self._regions.get(town, []):
            self.ui.village_combo.addItem(village, village)
        # as wide as the longest 村 of any 乡镇: the form does not jump when another 乡镇 is chosen
        fit_to_items(self.ui.village_combo, texts=(v for villages in self._regions.values() for v in villages))

    def _check_id(self, text: str) -> None:
        label = self.ui.id_info_label
        if not text.strip():
            label.setText("")
            return
        result = check_id_number(text)
        if result.ok:
            born = result.birth_date
            assert born is not None and result.sex is not None
            label.setText(f"✓ 出生日期 {born.year}年{born.month}月{born.day}日，性别 {result.sex.value}")
            label.setStyleSheet(_OK_STYLE)
        else:
            extra = ""
            if result.birth_date is not None and result.sex is not None:
                extra = f"（出生日期 {result.birth_date.isoformat()}，{result.sex.value}）"
            label.setText(f"✗ {result.reason}{extra}")
            label.setStyleSheet(ERROR_STYLE)

    def update_history(self) -> None:
        self._history_timer.stop()
        ui = self.ui
        name, id_number, phone = ui.name_edit.text().strip(), ui.id_edit.text().strip(), ui.phone_edit.text().strip()
        if not (name or id_number):
            self.history.clear()
            return
        from xinfang_desktop.services.repeats import find_repeats  # the ORM's: after the first paint

        rows = self.runner.rows(petitioner_history, name=name, id_number=id_number, phone=phone, limit=50)
        repeats = self.runner.read(find_repeats, name=name, id_number=id_number, phone=phone,
                                   title=ui.title_edit.text())
        self.history.show_history(rows, repeats, name or id_number)
        self.history.set_linked(self.repeat_of.id if self.repeat_of else None)

    def link_repeat(self, matter: MatterSummary | None) -> None:
        self.repeat_of = matter
        self.history.set_linked(matter.id if matter else None)
        if matter is None:
            self.link_label.setText("")
            self.unlink_button.setVisible(False)
        else:
            self.link_label.setText(f"本件将登记为 {matter.number}（{matter.title}）的重复信访。")
            self.unlink_button.setVisible(True)

    # petitioners and attachments ------------------------------------------------------------
    def add_other_row(self) -> int:
        table = self.ui.others_table
        row = table.rowCount()
        table.insertRow(row)
        for column in (OTHER_NAME, OTHER_ID, OTHER_PHONE):
            table.setItem(row, column, QTableWidgetItem(""))
        rep = QTableWidgetItem("")
        rep.setFlags(Qt.ItemFlag.ItemIsUserCheckable | Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
        rep.setCheckState(Qt.CheckState.Unchecked)
        table.setItem(row, OTHER_REP, rep)
        table.setCurrentCell(row, OTHER_NAME)
        # each further petitioner is one more person; several signatures on a letter make a 联名信
        self.ui.persons_spin.setValue(max(self.ui.persons_spin.value(), table.rowCount() + 1))
        if reading.choice(self.ui.channel_combo, Channel) is Channel.LETTER:
            self.ui.joint_check.setChecked(True)
        return row

    def _type_other(self) -> None:
        """The button (or Space on it): a new row, and the cursor in its 姓名 cell to type at once."""
        row = self.add_other_row()
        table = self.ui.others_table
        table.setFocus()
        table.editItem(table.item(row, OTHER_NAME))

    def set_other(self, row: int, *, name: str, id_number: str = "", phone: str = "",
                  representative: bool = False) -> None:
        table = self.ui.others_table
        for column, value in ((OTHER_NAME, name), (OTHER_ID, id_number), (OTHER_PHONE, phone)):
            table.item(row, column).setText(value)
        table.item(row, OTHER_REP).setCheckState(Qt.CheckState.Checked if representative else Qt.CheckState.Unchecked)

    def _remove_other_rows(self) -> None:
        table = self.ui.others_table
        for row in sorted({i.row() for i in table.selectedIndexes()}, reverse=True):
            table.removeRow(row)

    def _choose_attachments(self) -> None:
        files, _ = QFileDialog.getOpenFileNames(self, "选择扫描件", "", "扫描件 (*.pdf *.jpg *.jpeg *.png *.tif *.tiff);;所有文件 (*)")
        for name in files:
            self.add_attachment(Path(name))

    def add_attachment(self, path: Path) -> None:
        self.ui.attachments_list.addItem(str(path))

    def _remove_attachments(self) -> None:
        for item in self.ui.attachments_list.selectedItems():
            self.ui.attachments_list.takeItem(self.ui.attachments_list.row(item))

    # reading the form -----------------------------------------------------------------------
    def _others(self) -> list[tuple[str, str, str, bool]]:
        return reading.others(self.ui.others_table)

    def form_input(self) -> MatterInput:
        """The MatterInput the form describes; raises FormError for what only the form can check."""
        return reading.matter_input(self.ui, categories=self._categories,
                                    repeat_of_id=self.repeat_of.id if self.repeat_of else None)

    def attachment_paths(self) -> tuple[Path, ...]:
        items = self.ui.attachments_list
        return tuple(Path(items.item(i).text()) for i in range(items.count()))

    # actions --------------------------------------------------------------------------------
    def save(self) -> MatterRef | None:
        """Ctrl+S: one transaction for the matter and its scans; the new number is shown."""
        try:
            data = self.form_input()
        except reading.FormError as exc:
            QMessageBox.warning(self, "无法保存", exc.message)
            self._focus_field(exc.field)
            return None
        try:
            self.update_history()  # as the form stands now: the panel's 300 ms timer may not have run since the last key
        except XinfangError:
            pass  # the database out of reach: the save below says so, once
        candidate = self.history.candidate() if self.repeat_of is None else None
        if candidate is not None:  # a 可能重复 on screen, not linked: asked, not left to a click the clerk may forget
            linked = ask_repeat(self, candidate)
            if linked is None:
                return None
            if linked:
                self.link_repeat(candidate.matter)
                data = self.form_input()
        from xinfang_desktop.services.registry import register_with_attachments  # the ORM's: after the first paint

        self._saving = True
        try:
            ref = self.runner.run(self, register_with_attachments, data=data, files=self.attachment_paths(), what="登记",
                                  confirm=_accept_id_warnings)
        finally:
            self._saving = False
        if ref is None:
            return None
        self.last_saved = ref
        log.info("registered %s", ref.number)
        self.reset_form()
        self.ui.saved_label.setText(f"已登记：<b>{ref.number}</b>　可继续登记下一件")
        self.matter_registered.emit(ref)
        return ref

    def is_dirty(self) -> bool:
        ui = self.ui
        texts = (ui.name_edit.text(), ui.id_edit.text(), ui.phone_edit.text(), ui.address_edit.text(),
                 ui.title_edit.text(), ui.content_edit.toPlainText(), ui.demand_edit.toPlainText(),
                 ui.proposal_edit.toPlainText(), ui.leader_edit.text())
        return any(t.strip() for t in texts) or bool(self._others()) or ui.attachments_list.count() > 0

    def discard(self) -> None:
        """Esc: ask before throwing away what was typed."""
        table = self.ui.others_table
        if table.state() == QAbstractItemView.State.EditingState:
            # Esc while typing in a petitioner cell only cancels that cell, as everywhere else in Qt
            editor = table.indexWidget(table.currentIndex()) or QApplication.focusWidget()
            if editor is not None:
                table.closeEditor(editor, QAbstractItemDelegate.EndEditHint.RevertModelCache)
            return
        if not self.is_dirty():
            self.reset_form()
            return
        answer = QMessageBox.question(self, "放弃登记", "正在登记的内容尚未保存，确定放弃吗？")
        if answer == QMessageBox.StandardButton.Yes:
            self.reset_form()

    def new_form(self) -> None:
        """Ctrl+N: a fresh form (asks first when something was typed)."""
        self.discard()

    def reset_form(self) -> None:
        ui = self.ui
        for edit in (ui.name_edit, ui.id_edit, ui.phone_edit, ui.address_edit, ui.title_edit, ui.leader_edit):
            edit.clear()
        for text_edit in (ui.content_edit, ui.demand_edit, ui.proposal_edit):
            text_edit.clear()
        ui.others_table.setRowCount(0)
        ui.attachments_list.clear()
        for check in (ui.joint_check, ui.anonymous_check, ui.skip_check, ui.deputy_check):
            check.setChecked(False)
        for combo in (ui.source_combo, ui.source_level_combo, ui.purpose_combo, ui.route_combo, ui.town_combo,
                      ui.skip_level_combo):
            combo.setCurrentIndex(0)
        ui.purpose_combo.setCurrentIndex(ui.purpose_combo.findData(Purpose.CLAIM))
        ui.category_combo.setCurrentIndex(0)
        ui.category_combo.setEditText("")
        ui.place_combo.setCurrentIndex(0)
        ui.place_combo.setEditText("")
        ui.persons_spin.setValue(1)
        ui.received_date.setMaximumDate(QDate(wallclock.today()))
        ui.received_date.setDate(QDate(today().year, today().month, today().day))
        ui.id_info_label.setText("")
        ui.saved_label.setText("")
        self._check_phone()
        self.link_repeat(None)
        self.history.clear()
        self._update_enabled()
        ui.channel_combo.setFocus()

    def _warn_title(self, text: str) -> None:
        """A title too long to save is said while typing (pasted text is not cut silently)."""
        warning = title_length_warning(text)
        self.ui.title_warning_label.setText(warning)
        self.ui.title_warning_label.setVisible(bool(warning))

    def _check_phone(self) -> None:
        """A phone that is no phone is marked when the clerk leaves the field; saving refuses it."""
        edit = self.ui.phone_edit
        try:
            check_phone(edit.text())
        except XinfangError as exc:
            edit.setStyleSheet("QLineEdit { border: 1px solid #b00000; }")
            edit.setToolTip(exc.message)
            return
        edit.setStyleSheet("")
        edit.setToolTip("")

    def refresh(self) -> None:
        """Called on every data_changed: the list re-counts and re-reads."""
        self.matter_list.refresh()

    # errors ---------------------------------------------------------------------------------
    def _focus_error(self, exc: XinfangError) -> None:
        if self._saving:
            self._focus_field(exc.field)

    def _focus_field(self, label: str | None) -> None:
        ui = self.ui
        widgets: dict[str, Any] = {
            "标题": ui.title_edit, "姓名": ui.name_edit, "身份证号": ui.id_edit, "人数": ui.persons_spin,
            "代表人": ui.others_table, "来源层级": ui.source_level_combo, "办理途径": ui.route_combo,
            "登记日期": ui.received_date, "问题分类": ui.category_combo, "附件": ui.attachments_list,
            "信访人": ui.name_edit, "联系电话": ui.phone_edit,
        }
        # another petitioner's field ("李四的联系电话") is in the table of others
        widget = widgets.get(label or "", ui.others_table if (label or "").endswith("的联系电话") else None)
        if widget is not None:
            widget.setFocus(Qt.FocusReason.OtherFocusReason)


def _accept_id_warnings(kwargs: dict[str, Any]) -> dict[str, Any]:
    """The clerk confirmed a bad ID check digit: save as typed; the service notes it on the timeline."""
    return {**kwargs, "data": replace(kwargs["data"], accept_id_warnings=True)}


