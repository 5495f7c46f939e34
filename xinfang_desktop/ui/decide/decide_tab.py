"""The 交办 tab: matters awaiting a 受理决定, oldest first, and the six decisions on them."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPlainTextEdit,
    QSplitter,
    QTableView,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from xinfang_desktop.domain.enums import Decision
from xinfang_desktop.domain.values import DecisionRow, MatterRef, UnitInfo
from xinfang_desktop.services import reference, registry
from xinfang_desktop.services.common import clock
from xinfang_desktop.services.convert import get_matter, matter_version
from xinfang_desktop.services.settings import periods
from xinfang_desktop.services.supervision import decision_queue, decision_queue_counts
from xinfang_desktop.ui import action_dialogs as dialogs
from xinfang_desktop.ui.action_dialogs import Field, TransferDialog
from xinfang_desktop.ui.actions import ActionRunner, add_tool_action
from xinfang_desktop.ui.documents import documents_hook
from xinfang_desktop.ui.matter.steps import ask_and_run
from xinfang_desktop.ui.settings.units_dialog import UnitsDialog
from xinfang_desktop.ui.supervise.board_model import DecisionQueueModel

QUEUE_LIMIT = 1000  # oldest first: the ones that matter are at the top; the label gives the total

DECISION_KEYS: dict[Decision, str] = {
    Decision.ACCEPT: "Ctrl+1",
    Decision.REJECT: "Ctrl+2",
    Decision.FORWARD: "Ctrl+3",
    Decision.ASSIGN: "Ctrl+4",
    Decision.ANSWER: "Ctrl+5",
    Decision.FILE: "Ctrl+6",
}


class DecideTab(QWidget):
    """The queue of matters awaiting a decision, with 拟办意见 and 领导批示, and the decisions."""

    def __init__(self, runner: ActionRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.runner = runner
        self.model = DecisionQueueModel(parent=self)
        self.actions: dict[str, QAction] = {}

        layout = QVBoxLayout(self)
        self.toolbar = QToolBar()
        self.toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        layout.addWidget(self.toolbar)
        self._action("拟办意见", "Ctrl+P", self.propose)
        self._action("领导批示", "Ctrl+L", self.instruct)
        self.toolbar.addSeparator()
        for decision, keys in DECISION_KEYS.items():
            self._action(decision.value, keys, lambda _=False, d=decision: self.decide(d))
        self.toolbar.addSeparator()
        self._action("承办单位…", "Ctrl+U", self.edit_units)

        header = QHBoxLayout()
        self.count_label = QLabel()
        header.addWidget(self.count_label)
        header.addStretch(1)
        layout.addLayout(header)

        splitter = QSplitter(Qt.Orientation.Vertical)
        self.view = QTableView()
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setSortingEnabled(True)
        self.view.sortByColumn(DecisionQueueModel.COL_RECEIVED, Qt.SortOrder.AscendingOrder)
        self.view.verticalHeader().setVisible(False)
        self.view.verticalHeader().setDefaultSectionSize(26)
        self.view.setWordWrap(False)
        self.view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.view.horizontalHeader().setStretchLastSection(True)
        for column, width in ((0, 150), (1, 90), (2, 70), (3, 90), (4, 300), (5, 80), (6, 200)):
            self.view.setColumnWidth(column, width)
        self.view.selectionModel().selectionChanged.connect(self._show_detail)
        splitter.addWidget(self.view)
        self.detail = QPlainTextEdit()
        self.detail.setReadOnly(True)
        self.detail.setPlaceholderText("选择一件事项，这里显示反映内容和诉求")
        splitter.addWidget(self.detail)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 1)
        layout.addWidget(splitter, 1)
        self.refresh()

    def _action(self, text: str, keys: str, slot: Callable[..., Any]) -> QAction:
        self.actions[text] = add_tool_action(self, self.toolbar, text, keys, slot)
        return self.actions[text]

    # loading ------------------------------------------------------------------------------
    def refresh(self) -> None:
        """Reload from the database; called on every data_changed."""
        selected = self.current_row()
        selected_row = self.view.selectionModel().currentIndex().row() if selected is not None else -1
        with self.runner.db.read() as session:
            rows = decision_queue(session, limit=QUEUE_LIMIT)
            total, late = decision_queue_counts(session)
            soon = periods(session).due_soon_days
        self.model.set_rows(rows, soon)
        shown = f"（列出最早的 {len(rows)} 件）" if total > len(rows) else ""
        self.count_label.setText(
            f"待作出受理决定 {total} 件{shown}" + (f"，其中已超过告知期限 {late} 件" if late else "")
            + "　（受理 Ctrl+1　不予受理 Ctrl+2　转送 Ctrl+3　交办 Ctrl+4　直接答复 Ctrl+5　存查 Ctrl+6）"
        )
        if selected is not None and self.select_matter(selected.matter_id):
            return
        if rows:
            # the decided matter has left the queue: the one that took its place is next, ready for Ctrl+1–6
            self.view.selectRow(min(max(selected_row, 0), len(rows) - 1))

    def select_matter(self, matter_id: int) -> bool:
        for row, item in enumerate(self.model.rows()):
            if item.matter_id == matter_id:
                self.view.selectRow(row)
                return True
        return False

    def current_row(self) -> DecisionRow | None:
        index = self.view.selectionModel().currentIndex() if self.view.selectionModel() else None
        if index is None or not index.isValid() or not self.view.selectionModel().isRowSelected(index.row()):
            return None
        return self.model.row_at(index.row())

    def _show_detail(self) -> None:
        row = self.current_row()
        if row is None:
            self.detail.clear()
            return
        detail = self.runner.read(get_matter, row.matter_id)
        lines = [f"{detail.number}　{detail.title}", f"登记日期：{detail.received_on.isoformat()}　"
                 f"告知期限：{detail.notice_due.isoformat()}　信访目的：{detail.purpose.value}"]
        if detail.content:
            lines.append("反映内容：" + detail.content)
        if detail.demand:
            lines.append("诉求：" + detail.demand)
        for ins in detail.instructions:
            lines.append(f"领导批示：{ins.leader}（{ins.on.isoformat()}）{ins.text}")
        self.detail.setPlainText("\n".join(lines))

    def _need_row(self) -> DecisionRow | None:
        row = self.current_row()
        if row is None:
            QMessageBox.information(self, "请选择事项", "请先在列表中选择一件待决定的事项")
        return row

    # actions ------------------------------------------------------------------------------
    def propose(self) -> None:
        row = self._need_row()
        if row is None:
            return
        version = self.runner.read(matter_version, row.matter_id)
        ask_and_run(
            self, self.runner, "拟办意见", [Field("text", "拟办意见", "text", row.proposal)],
            lambda values: self.runner.run(self, registry.propose, matter_id=row.matter_id, text=values["text"],
                                           version=version, what="拟办"),
            note=f"{row.number}　{row.title}")

    def instruct(self) -> None:
        row = self._need_row()
        if row is None:
            return
        version = self.runner.read(matter_version, row.matter_id)
        ask_and_run(
            self, self.runner, "领导批示", dialogs.instruct_fields(),
            lambda values: self.runner.run(self, registry.instruct, matter_id=row.matter_id, leader=values["leader"],
                                           on=values["on"], text=values["text"], version=version, what="领导批示"),
            note=f"{row.number}　{row.title}")

    def decide(self, decision: Decision) -> None:
        row = self._need_row()
        if row is None:
            return
        ref = self._ask_decision(row, decision)
        if ref is None or not ref.document:
            return
        kind = ref.document  # the letter the decision leads to (DOMAIN §5), as the workflow says
        said: set[str] = set()  # a setting every letter lacks is said once
        if decision is Decision.ASSIGN:
            # one 交办函 for each unit, the 主办 first
            for transfer in self.runner.read(get_matter, row.matter_id).transfers:
                documents_hook.offer_document(self, self.runner, row.matter_id, kind, transfer_id=transfer.id,
                                              said=said)
        else:
            documents_hook.offer_document(self, self.runner, row.matter_id, kind, said=said)
        if ref.notice:  # and the petitioner is told (交办: which unit handles it)
            documents_hook.offer_document(self, self.runner, row.matter_id, ref.notice, said=said)

    def _ask_decision(self, row: DecisionRow, decision: Decision) -> MatterRef | None:
        """The dialog of one decision, which runs it; the MatterRef, or None (cancelled or refused)."""
        version = self.runner.read(matter_version, row.matter_id)

        def run(**kwargs: Any) -> MatterRef | None:
            return self.runner.run(self, registry.decide, matter_id=row.matter_id, decision=decision,
                                   version=version, what="受理决定", **kwargs)

        note = f"{row.number}　{row.title}"
        on = dialogs.today_field("on", "决定日期")
        if decision is Decision.ASSIGN:
            units = self._units_to_assign_to()
            if not units:
                return None
            the_clock = self.runner.read(clock)
            dialog = TransferDialog(units, the_clock.transfer_due, title=f"交办　{row.number}",
                                    date_label="决定日期", parent=self)
            if dialog.exec() != QDialog.DialogCode.Accepted:
                return None
            return run(on=dialog.on_date(), targets=dialog.targets())
        fields: list[Field] = [on]
        bodies: tuple[str, ...] = ()
        if decision in (Decision.REJECT, Decision.FORWARD):
            bodies = tuple(self.runner.read(reference.body_names))
        if decision is Decision.REJECT:
            fields += [Field("reason", "不予受理理由", "text"),
                       Field("competent_body", "有权处理机关", "line", choices=bodies, hint="告知信访人向该机关提出")]
        elif decision is Decision.FORWARD:
            fields += [Field("competent_body", "转送机关", "line", choices=bodies), Field("reason", "转送说明", "text")]
        elif decision is Decision.ANSWER:
            fields += [Field("reason", "答复内容", "text")]
        elif decision is Decision.FILE:
            fields += [Field("reason", "存查说明", "text")]
        return ask_and_run(
            self, self.runner, decision.value, fields,
            lambda values: run(**{k: v for k, v in values.items() if k in ("on", "reason", "competent_body")}),
            note=note)

    def edit_units(self) -> None:
        UnitsDialog(self.runner, parent=self).exec()

    def _units_to_assign_to(self) -> list[UnitInfo]:
        """The active 承办单位; where there are none yet (首次设置 skipped), the clerk may add them first."""
        units = self.runner.read(reference.list_units)
        if units:
            return units
        asked = QMessageBox.question(
            self, "交办", "还没有承办单位，无法交办。现在添加承办单位吗？\n（以后也可在“设置”菜单的“承办单位”中添加）")
        if asked != QMessageBox.StandardButton.Yes:
            return []
        self.edit_units()
        return self.runner.read(reference.list_units)

