"""The person's earlier matters beside the 登记 form, while their name or ID is typed; 可能重复 and linking."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QGroupBox,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from xinfang_desktop.domain.values import MatterSummary, RepeatCandidate

ERROR_STYLE = "color: #b00000;"


class HistoryPanel(QGroupBox):
    """The person's earlier matters while their name or ID is typed; 可能重复 and one-click linking."""

    link_requested = Signal(object)  # the MatterSummary to link as the earlier matter
    open_requested = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("信访人以往事项", parent)
        self.status_label = QLabel("输入姓名或身份证号后，这里列出此人以往的信访事项。")
        self.status_label.setWordWrap(True)
        self.table = QTableWidget(0, 5)
        self.table.setHorizontalHeaderLabels(["登记日期", "编号", "标题", "状态", "关联"])
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        # Tab leaves the table (after its 关联重复 buttons) for the list and the search box: cells are not typed in
        self.table.setTabKeyNavigation(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        char = self.fontMetrics().horizontalAdvance("中")
        for column, chars in ((0, 7), (1, 10), (3, 5), (4, 6)):
            self.table.setColumnWidth(column, chars * char)
        self.table.cellDoubleClicked.connect(self._open_row)
        # three earlier matters in sight, 关联重复 buttons and all: the list below gives way (at 1366×728 it had 1½)
        rows = 3 * self.table.verticalHeader().defaultSectionSize()  # a row's 关联重复 button fits in it
        self.table.setMinimumHeight(self.table.horizontalHeader().sizeHint().height() + rows + 2 * self.table.frameWidth())
        layout = QVBoxLayout(self)
        layout.addWidget(self.status_label)
        layout.addWidget(self.table)
        self.rows: list[MatterSummary] = []
        self.repeats: dict[int, RepeatCandidate] = {}
        self.linked_id: int | None = None

    def show_history(self, rows: list[MatterSummary], repeats: list[RepeatCandidate], who: str) -> None:
        # a repeat found by name and phone or a similar title may not be in the ID-based history
        seen = {r.id for r in rows}
        merged = list(rows) + [c.matter for c in repeats if c.matter.id not in seen]
        merged.sort(key=lambda m: (m.received_on, m.id), reverse=True)
        self.rows = merged
        self.repeats = {c.matter.id: c for c in repeats}
        self.table.setRowCount(len(merged))
        for r, m in enumerate(merged):
            for c, value in enumerate((m.received_on.isoformat(), m.number, m.title, m.status.value)):
                item = QTableWidgetItem(value)
                candidate = self.repeats.get(m.id)
                if candidate is not None:
                    item.setToolTip(f"可能重复：{candidate.reason}")
                self.table.setItem(r, c, item)
            button = QPushButton("已关联" if m.id == self.linked_id else "关联重复")
            button.setToolTip("把正在登记的事项关联为此事项的重复信访")
            button.clicked.connect(lambda _=False, m=m: self.link_requested.emit(m))
            self.table.setCellWidget(r, 4, button)
        if not merged:
            self.status_label.setText(f"{who}：没有以往的信访事项。" if who else "输入姓名或身份证号后，这里列出此人以往的信访事项。")
            self.status_label.setStyleSheet("")
            return
        text = f"{who}：以往信访 {len(merged)} 件。"
        if repeats:
            first = repeats[0]
            text += f"<b>可能重复</b>：{first.matter.number}（{first.reason}）"
            if first.final:
                text += "；该事项已终结，同一事实和理由不再受理。"
            self.status_label.setStyleSheet(ERROR_STYLE)
        else:
            self.status_label.setStyleSheet("")
        self.status_label.setText(text)

    def candidate(self) -> RepeatCandidate | None:
        """The 可能重复 the panel names (the likeliest), if any."""
        return next(iter(self.repeats.values()), None)

    def set_linked(self, matter_id: int | None) -> None:
        self.linked_id = matter_id
        for r, m in enumerate(self.rows):
            button = self.table.cellWidget(r, 4)
            if isinstance(button, QPushButton):
                button.setText("已关联" if m.id == matter_id else "关联重复")

    def clear(self) -> None:
        self.linked_id = None
        self.show_history([], [], "")

    def _open_row(self, row: int, _column: int) -> None:
        if 0 <= row < len(self.rows):
            self.open_requested.emit(self.rows[row].id)


def ask_repeat(parent: QWidget, candidate: RepeatCandidate) -> bool | None:
    """Saving while a 可能重复 is shown and not linked: True links it, False saves a matter of its own, None goes back."""
    m = candidate.matter
    answer = QMessageBox.question(
        parent, "可能重复",
        f"可能重复：{m.number}（{candidate.reason}）{m.title}\n\n是同一问题的重复信访吗？\n"
        "“是”：关联为该事项的重复信访后保存（计入统计的重复信访）；“否”：作为新的事项保存；“取消”：返回登记。",
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No | QMessageBox.StandardButton.Cancel,
        QMessageBox.StandardButton.Yes)
    if answer == QMessageBox.StandardButton.Cancel:
        return None
    return answer == QMessageBox.StandardButton.Yes
