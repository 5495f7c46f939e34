"""The 督办 tab: the board of open deadlines, filtered and sorted, and the actions from 催办 to 办结."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QTableView,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from xinfang_desktop.domain.clock import DUE_SOON, OVERDUE
from xinfang_desktop.domain.enums import MeetingKind, Status, VerifyResult
from xinfang_desktop.domain.letters import DocumentKind
from xinfang_desktop.domain.values import MatterDetail, MatterFilter, SupervisionRow
from xinfang_desktop.domain.workflow import lead_unit
from xinfang_desktop.services import handling, reference, registry
from xinfang_desktop.services.common import clock
from xinfang_desktop.services.convert import get_matter, matter_version
from xinfang_desktop.services.search import matter_row
from xinfang_desktop.services.settings import periods
from xinfang_desktop.services.supervision import (
    AWAITING_CLOSE,
    AWAITING_FOLLOW_UP,
    AWAITING_VERIFICATION,
    DISPUTES_PAST_DUE,
    awaiting_close,
    awaiting_follow_up,
    awaiting_verification,
    board_counts,
    board_details,
    board_keys,
    count_rows,
    disputes_past_due,
    flagged_matters,
    remind_transfers,
    set_key_supervision_all,
)
from xinfang_desktop.ui import action_dialogs as dialogs
from xinfang_desktop.ui.action_dialogs import TransferDialog
from xinfang_desktop.ui.actions import ActionRunner, add_tool_action
from xinfang_desktop.ui.combos import fit_to_items
from xinfang_desktop.ui.documents import documents_hook
from xinfang_desktop.ui.documents.document_dialog import print_reminder_batch
from xinfang_desktop.ui.matter import steps
from xinfang_desktop.ui.register.matter_list import MatterTableModel
from xinfang_desktop.ui.supervise.board_filters import ALL, CHARGED, CLOSED, EXTENDED, FILTER_NAMES, FILTERS, KEY, TODAY
from xinfang_desktop.ui.supervise.board_model import BoardModel
from xinfang_desktop.ui.supervise.board_place import place_of, restore_place
from xinfang_desktop.ui.workers import Job


def _versions(rows: list[SupervisionRow]) -> dict[int, int]:
    """What the clerk saw of each selected matter, for the bulk actions' check (a 排查 row is no matter)."""
    return {r.matter_id: r.version for r in rows if r.version is not None}


class SuperviseTab(QWidget):
    """The 督办 board. Multi-select for 催办 and 重点督办; the other actions take the current row."""

    def __init__(self, runner: ActionRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.runner = runner
        self.model = BoardModel(lambda keys: self.runner.read(board_details, keys), parent=self)
        self.actions: dict[str, QAction] = {}
        self.counts: dict[str, int] = {}
        self._loading = True  # no refresh while the widgets are built: one at the end

        layout = QVBoxLayout(self)
        self.toolbar = QToolBar()
        self.toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        layout.addWidget(self.toolbar)
        self._action("催办", "Ctrl+R", self.remind)
        self._action("批量催办单", "Ctrl+Shift+P", self.print_reminders)
        self._action("重点督办", "Ctrl+K", self.key_supervise)
        self._action("追加交办", "Ctrl+T", self.assign_more)
        self._action("领导包案", "Ctrl+B", self.take_charge)
        self._action("约访", "Ctrl+Shift+Y", lambda: self.meet(MeetingKind.INVITED))
        self._action("下访", "Ctrl+Shift+X", lambda: self.meet(MeetingKind.VISITING))
        self.toolbar.addSeparator()
        self._action("登记反馈", "Ctrl+F", self.feedback)
        self._action("延期", "Ctrl+E", self.extend)
        self._action("答复", "Ctrl+Y", self.reply)
        self._action("回访", "Ctrl+H", self.follow_up)
        self._action("办结", "Ctrl+J", self.close_matter)
        self._action("验证", "Ctrl+Shift+V", self.verify)
        self._action("息访", "Ctrl+X", self.settle)
        self._action("复查/复核申请", "Ctrl+Shift+R", self.request_review)

        bar = QHBoxLayout()
        self.counts_label = QLabel()
        self.counts_label.setTextFormat(Qt.TextFormat.RichText)
        self.counts_label.linkActivated.connect(self.set_filter)
        bar.addWidget(self.counts_label)
        bar.addStretch(1)
        bar.addWidget(QLabel("显示："))
        self.filter_combo = QComboBox()
        self.filter_combo.addItems(list(FILTER_NAMES))
        self.filter_combo.currentTextChanged.connect(lambda _t: self.refresh())
        bar.addWidget(self.filter_combo)
        bar.addWidget(QLabel("承办单位："))
        self.unit_combo = QComboBox()
        self.unit_combo.setMinimumWidth(180)
        self.unit_combo.currentIndexChanged.connect(lambda _i: self.refresh())
        bar.addWidget(self.unit_combo)
        layout.addLayout(bar)
        self.closed_hint = QLabel("已办结的事项，最近登记的在前。双击打开卷宗：可回访、息访、申请复查或复核、修改登记内容或作废。")
        self.closed_hint.setWordWrap(True)
        self.closed_hint.hide()
        layout.addWidget(self.closed_hint)

        self.view = QTableView()
        self.view.setModel(self.model)
        self.closed_model = MatterTableModel(runner, self, closed_dates=True)
        self.view.doubleClicked.connect(lambda _index: self.open_current())
        self.view.activated.connect(lambda _index: self.open_current())
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.view.setSortingEnabled(True)
        self.view.sortByColumn(BoardModel.COL_DAYS, Qt.SortOrder.AscendingOrder)  # the board's own order
        self.view.verticalHeader().setVisible(False)
        self.view.verticalHeader().setDefaultSectionSize(26)
        self.view.setWordWrap(False)
        self.view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.view.horizontalHeader().setStretchLastSection(True)
        for column, width in ((0, 150), (1, 300), (2, 150), (3, 90), (4, 80), (5, 70), (6, 80), (7, 110), (8, 50)):
            self.view.setColumnWidth(column, width)
        layout.addWidget(self.view, 1)
        self._load_units()
        self._loading = False
        self.refresh()

    def _action(self, text: str, keys: str, slot: Callable[..., Any]) -> QAction:
        self.actions[text] = add_tool_action(self, self.toolbar, text, keys, slot)
        return self.actions[text]

    def _load_units(self) -> None:
        current = self.unit_combo.currentData()
        was_loading, self._loading = self._loading, True
        self.unit_combo.clear()
        self.unit_combo.addItem("全部单位", None)
        for unit in self.runner.read(reference.list_units, include_inactive=True):
            self.unit_combo.addItem(unit.name + ("" if unit.active else "（已停用）"), unit.id)
        fit_to_items(self.unit_combo)
        index = self.unit_combo.findData(current)
        self.unit_combo.setCurrentIndex(max(index, 0))
        self._loading = was_loading

    # loading ------------------------------------------------------------------------------
    def set_filter(self, name: str) -> None:
        """Show one part of the board (the morning banner's links land here)."""
        if name not in FILTER_NAMES:
            return
        if self.filter_combo.currentText() == name:
            self.refresh()
        else:
            self.filter_combo.setCurrentText(name)  # refreshes through currentTextChanged

    def set_unit(self, unit_id: int | None) -> None:
        self.unit_combo.setCurrentIndex(max(self.unit_combo.findData(unit_id), 0))

    def refresh(self) -> None:
        """Reload from the database; called on every data_changed."""
        if self._loading:
            return
        name = self.filter_combo.currentText()
        if name == CLOSED:
            self._show_closed()
            return
        if self.view.model() is not self.model:
            self._use_model(self.model)
        unit_id = self.unit_combo.currentData()
        place = place_of(self.view, self.model)
        with self.runner.db.read() as session:
            soon = periods(session).due_soon_days
            keys = board_keys(session)
            if unit_id is not None:
                keys = [k for k in keys if k.unit_id == unit_id]
            rows: list[SupervisionRow] | None = None
            if name == AWAITING_FOLLOW_UP:
                rows = awaiting_follow_up(session)
            elif name == AWAITING_CLOSE:
                rows = awaiting_close(session)
            elif name == AWAITING_VERIFICATION:
                rows = awaiting_verification(session)
            elif name == DISPUTES_PAST_DUE:
                rows = disputes_past_due(session)
            elif name in (EXTENDED, KEY, CHARGED):
                flagged = flagged_matters(session, extended=name == EXTENDED, key_supervision=name == KEY,
                                          charged=name == CHARGED)
                shown = [k for k in keys if k.matter_id in flagged]
            elif name == ALL:
                shown = keys
            else:
                keep = FILTERS[name]
                shown = [k for k in keys if keep(k, soon)]
        self.counts = count_rows(keys, soon)
        if rows is not None:
            self.model.set_rows(rows, soon)
        else:
            self.model.set_keys(shown, soon)
        self._show_counts(soon, self.model.rowCount())
        restore_place(self.view, self.model, place)

    def _show_counts(self, soon: int, shown_count: int) -> None:
        c = self.counts
        self.counts_label.setText(
            f"在办 {c['在办']} 件：<a href='{TODAY}'>今日到期 {c[TODAY]} 件</a>，"
            f"<a href='{DUE_SOON}'>临期 {c[DUE_SOON]} 件</a>（{soon}日内），"
            f"<a href='{OVERDUE}'><span style='color:#a00000'>超期 {c[OVERDUE]} 件</span></a>　"
            f"当前显示 {shown_count} 条"
        )

    def _use_model(self, model: BoardModel | MatterTableModel) -> None:
        """Show the board or the 已办结 window; the unit filter and sorting belong to the board only."""
        board = model is self.model
        self.view.setModel(model)
        self.view.setSortingEnabled(board)  # the 已办结 window's order is the SQL's: newest first
        self.unit_combo.setEnabled(board)
        self.closed_hint.setVisible(not board)
        widths = (150, 300, 150, 90, 80, 70, 80, 110) if board else (150, 90, 70, 110, 300, 120, 70, 90)
        for column, width in enumerate(widths):
            self.view.setColumnWidth(column, width)

    def _show_closed(self) -> None:
        """已办结: counted and read a block at a time like the matter list, the selected matter kept."""
        keep = {r.matter_id for r in self.selected_rows()} if self.view.model() is self.closed_model else set()
        scroll = self.view.verticalScrollBar().value()
        if self.view.model() is not self.closed_model:
            self._use_model(self.closed_model)
        self.closed_model.set_filter(MatterFilter(status=Status.CLOSED))
        with self.runner.db.read() as session:
            soon = periods(session).due_soon_days
            self.counts = board_counts(session)
            rows = [matter_row(session, self.closed_model.filter, matter_id=m) for m in sorted(keep)]
        self._show_counts(soon, self.closed_model.rowCount())
        self.view.verticalScrollBar().setValue(scroll)
        for row in rows:
            if row is not None:
                self._select_closed(row)

    def _select_closed(self, row: int) -> None:
        index = self.closed_model.index(row, 0)
        selection = self.view.selectionModel()
        selection.setCurrentIndex(index, selection.SelectionFlag.ClearAndSelect | selection.SelectionFlag.Rows)
        self.view.scrollTo(index, QAbstractItemView.ScrollHint.EnsureVisible)

    def select_matter(self, matter_id: int) -> bool:
        """Select a matter's first row in what is shown (the 已办结 window finds its place in SQL)."""
        if self.view.model() is self.closed_model:
            row = self.runner.read(matter_row, self.closed_model.filter, matter_id=matter_id)
            if row is None:
                return False
            self._select_closed(row)
            return True
        return self.select_rows(lambda r: r.matter_id == matter_id) > 0

    def select_rows(self, predicate: Callable[[SupervisionRow], bool]) -> int:
        """Select every shown row matching `predicate` (tests, and finding a matter by number)."""
        self.view.clearSelection()
        selection = self.view.selectionModel()
        found = 0
        for row, item in enumerate(self.model.rows()):
            if predicate(item):
                flags = selection.SelectionFlag.Select | selection.SelectionFlag.Rows
                if not found:
                    flags |= selection.SelectionFlag.Current
                selection.setCurrentIndex(self.model.index(row, 0), flags)
                found += 1
        return found

    def selected_rows(self) -> list[SupervisionRow]:
        selection = self.view.selectionModel()
        if selection is None:
            return []
        if self.view.model() is self.closed_model:
            return [r for r in map(self._closed_row, sorted(i.row() for i in selection.selectedRows()))
                    if r is not None]
        return [self.model.row_at(i.row()) for i in sorted(selection.selectedRows(), key=lambda i: i.row())]

    def _closed_row(self, row: int) -> SupervisionRow | None:
        """A row of the 已办结 window as the actions take it: a matter, no transfer, no deadline left."""
        item = self.closed_model.summary(row)
        if item is None:
            return None
        due = item.due_on or item.received_on
        return SupervisionRow(item.id, item.number, item.title, None, "", due, 0, CLOSED, False, False, 0,
                              version=item.version)

    def _one_row(self) -> SupervisionRow | None:
        rows = self.selected_rows()
        matters = {r.matter_id for r in rows}
        if len(matters) != 1:
            QMessageBox.information(self, "请选择事项", "请选择一件事项（此操作一次只能办理一件）")
            return None
        if matters == {0}:  # a 排查 row whose dispute has not become a matter
            QMessageBox.information(self, "请选择事项", "该矛盾纠纷尚未登记为信访事项，请在“排查”页办理")
            return None
        current = self.view.selectionModel().currentIndex()
        if current.isValid() and self.view.model() is self.model and self.model.row_at(current.row()).matter_id in matters:
            return self.model.row_at(current.row())
        return rows[0]

    # actions ------------------------------------------------------------------------------
    def remind(self) -> None:
        rows = self.selected_rows()
        transfers = [r for r in rows if r.transfer_id is not None]
        if not transfers:
            QMessageBox.information(self, "催办", "请选择要催办的交办件（有承办单位的行，可多选）")
            return
        units = "、".join(sorted({r.unit for r in transfers}))
        done = steps.ask_and_run(
            self, self.runner, "催办", dialogs.remind_fields(),
            lambda v: self.runner.run(self, remind_transfers, transfer_ids=[r.transfer_id for r in transfers],
                                      on=v["on"], note=v["note"], versions=_versions(transfers), what="催办"),
            note=f"向{units}催办{len(transfers)}件")
        if done:
            said: set[str] = set()  # no 机关名称: said once, not once a row
            for row in transfers:
                documents_hook.offer_document(self, self.runner, row.matter_id, DocumentKind.REMINDER.value,
                                              transfer_id=row.transfer_id, said=said)

    def print_reminders(self) -> Job | None:
        """A 催办单 to each selected transfer, each numbered and counted as a 催办, printed as one PDF."""
        rows = [r for r in self.selected_rows() if r.transfer_id is not None]
        transfers = [r.transfer_id for r in rows]
        if not transfers:
            QMessageBox.information(self, "批量催办单",
                                    "请选择要出具催办单的交办件（有承办单位的行，可多选；如选“超期”后按Ctrl+A全选）")
            return None
        return print_reminder_batch(self, self.runner, transfer_ids=list(dict.fromkeys(transfers)),
                                    versions=_versions(rows))

    def key_supervise(self) -> None:
        rows = self.selected_rows()
        if not rows:
            QMessageBox.information(self, "重点督办", "请先选择事项（可多选）")
            return
        matter_ids = sorted({r.matter_id for r in rows})
        # all already marked: the same key takes the mark off
        on = not all(r.key_supervision for r in rows)
        self.runner.run(self, set_key_supervision_all, matter_ids=matter_ids, on=on, versions=_versions(rows),
                        what="重点督办")

    def assign_more(self) -> None:
        """交办 a matter in hand to (more) units: after 受理, or a 协办 joining later."""
        row = self._one_row()
        if row is None:
            return
        units = self.runner.read(reference.list_units)
        detail = self.runner.read(get_matter, row.matter_id)
        transfers = detail.transfers
        dialog = TransferDialog(units, self.runner.read(clock).transfer_due, title=f"追加交办　{row.number}",
                                lead=lead_unit(transfers), parent=self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        before = {t.id for t in transfers}
        if self.runner.run(self, registry.transfer, matter_id=row.matter_id, targets=dialog.targets(),
                           on=dialog.on_date(), version=detail.version, what="交办") is None:
            return
        for transfer in self.runner.read(get_matter, row.matter_id).transfers:
            if transfer.id not in before:
                documents_hook.offer_document(self, self.runner, row.matter_id, "交办函", transfer_id=transfer.id)

    def feedback(self) -> None:
        row = self._one_row()
        if row is None:
            return
        if row.transfer_id is None:
            QMessageBox.information(self, "登记反馈", "请选择一条交办记录（有承办单位的行）登记反馈")
            return
        transfer_id = row.transfer_id
        version = self.runner.read(matter_version, row.matter_id)

        def run(values: dict[str, Any]) -> object:
            accept = values["verdict"] == dialogs.ACCEPT
            return self.runner.run(self, handling.record_feedback, transfer_id=transfer_id,
                                   received_on=values["received_on"], text=values["text"], result=values["result"],
                                   accept=accept, return_reason=values["return_reason"] if not accept else "",
                                   new_due_on=values["new_due_on"] if not accept else None, version=version,
                                   what="登记反馈" if accept else "退回补办")

        # refused (a date before the transfer), the dialog comes back over what was typed
        steps.ask_and_run(self, self.runner, "登记反馈", dialogs.feedback_fields(), run,
                    note=f"{row.number}　{row.unit}　{row.title}")

    def _step(self, step: Callable[[QWidget | None, ActionRunner, MatterDetail], bool]) -> bool:
        """A step on the current row's matter, the same as from its 卷宗."""
        row = self._one_row()
        if row is None:
            return False
        return step(self, self.runner, self.runner.read(get_matter, row.matter_id))

    def extend(self) -> None:
        self._step(steps.extend)

    def reply(self) -> None:
        self._step(steps.reply)

    def follow_up(self) -> None:
        self._step(steps.follow_up)

    def close_matter(self) -> None:
        self._step(steps.close)

    def take_charge(self) -> None:
        row = self._one_row()
        if row is None:
            return
        detail = self.runner.read(get_matter, row.matter_id)
        before = detail.charge
        resolve_by = before.resolve_by if before else (detail.due_on or row.due_on)
        note = f"{row.number}　{row.title}"
        if before:
            note += f"\n现由{before.post}{before.leader}包案；确定后改由新填写的领导包案。"
        steps.ask_and_run(
            self, self.runner, "领导包案",
            dialogs.charge_fields(resolve_by, leader=before.leader if before else "", post=before.post if before else ""),
            lambda v: self.runner.run(self, handling.take_charge, matter_id=row.matter_id, leader=v["leader"],
                                      post=v["post"], measures=v["measures"], resolve_by=v["resolve_by"], on=v["on"],
                                      version=detail.version, what="领导包案"),
            note=note)

    def meet(self, kind: MeetingKind) -> None:
        """领导约访 or 下访 about the selected matter (on the 接访 tab, a 下访 may be recorded on its own)."""
        from xinfang_desktop.ui.leaders.leaders_tab import record_meeting_from

        row = self._one_row()
        if row is None:
            return
        record_meeting_from(self, self.runner, kind, matter_id=row.matter_id, note=f"{row.number}　{row.title}")

    def verify(self) -> None:
        row = self._one_row()
        if row is None:
            return
        version = self.runner.read(matter_version, row.matter_id)

        def run(values: dict[str, Any]) -> object:
            result = VerifyResult(values["result"])
            return self.runner.run(self, handling.verify, matter_id=row.matter_id, on=values["on"],
                                   checker=values["checker"], method=values["method"], result=result,
                                   reason=values["reason"] if result is VerifyResult.NOT_DONE else "",
                                   version=version, what="验证")

        steps.ask_and_run(self, self.runner, "验证", dialogs.verify_fields(), run,
                          note=f"{row.number}　{row.title}\n核实办理结果是否真正落实；未落实的事项重新列入督办。")

    def settle(self) -> None:
        self._step(steps.settle)

    def request_review(self) -> None:
        self._step(steps.request_review)

    def open_current(self) -> QDialog | None:
        """The 卷宗 of the current row, with every step its state allows (double-click, Enter)."""
        from xinfang_desktop.ui.matter.matter_dialog import MatterDialog

        row = self._one_row()
        if row is None:
            return None
        dialog = MatterDialog(self.runner, row.matter_id, self)
        dialog.show()
        return dialog
