"""The 承办单位 list: add, rename, deactivate; a unit with history is never deleted."""

from __future__ import annotations

from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from xinfang_desktop.domain.enums import UnitKind
from xinfang_desktop.domain.values import UnitInfo
from xinfang_desktop.services import reference
from xinfang_desktop.ui import action_dialogs as dialogs
from xinfang_desktop.ui.action_dialogs import Field
from xinfang_desktop.ui.actions import ActionRunner


def unit_fields(unit: UnitInfo | None = None) -> list[Field]:
    kinds = tuple(k.value for k in UnitKind)
    return [
        Field("name", "单位名称", "line", unit.name if unit else ""),
        Field("kind", "单位类别", "choice", unit.kind.value if unit else UnitKind.COUNTY_DEPT.value, kinds),
        Field("contact", "联系人", "line", unit.contact if unit else ""),
        Field("phone", "联系电话", "line", unit.phone if unit else ""),
    ]


class UnitsDialog(QDialog):
    """Every handling unit, active or not; no delete button, only 停用 (history stays readable)."""

    COL_NAME, COL_KIND, COL_CONTACT, COL_PHONE, COL_ACTIVE, COL_HISTORY = range(6)

    def __init__(self, runner: ActionRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.runner = runner
        self.setWindowTitle("承办单位")
        self.resize(760, 520)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("已有交办记录的单位不能删除，不再使用时请“停用”；停用后不出现在交办的选择中。"))
        self.table = QTableWidget(0, 6)
        self.table.setHorizontalHeaderLabels(["单位名称", "类别", "联系人", "联系电话", "状态", "交办记录"])
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.table.doubleClicked.connect(self.edit_selected)
        self.table.itemSelectionChanged.connect(self._update_buttons)
        layout.addWidget(self.table, 1)
        buttons = QHBoxLayout()
        self.add_button = QPushButton("新增(&N)")
        self.edit_button = QPushButton("修改/改名(&E)")
        self.toggle_button = QPushButton("停用(&D)")
        self.close_button = QPushButton("关闭")
        self.add_button.clicked.connect(self.add)
        self.edit_button.clicked.connect(self.edit_selected)
        self.toggle_button.clicked.connect(self.toggle_selected)
        self.close_button.clicked.connect(self.accept)
        for button in (self.add_button, self.edit_button, self.toggle_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(self.close_button)
        layout.addLayout(buttons)
        self.units: list[UnitInfo] = []
        self.refresh()

    def refresh(self) -> None:
        selected = self.selected_unit()
        rows = self.runner.read(reference.units_with_history)
        self.units = [u for u, _ in rows]
        self.table.setRowCount(len(rows))
        grey = QBrush(QColor(140, 140, 140))
        for r, (unit, history) in enumerate(rows):
            cells = (unit.name, unit.kind.value, unit.contact, unit.phone, "在用" if unit.active else "已停用",
                     "有" if history else "无")
            for c, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if not unit.active:
                    item.setForeground(grey)
                self.table.setItem(r, c, item)
        if selected is not None:
            self.select_unit(selected.id)
        self._update_buttons()

    def select_unit(self, unit_id: int) -> None:
        for r, unit in enumerate(self.units):
            if unit.id == unit_id:
                self.table.selectRow(r)
                return

    def selected_unit(self) -> UnitInfo | None:
        rows = {i.row() for i in self.table.selectedIndexes()}
        if len(rows) != 1:
            return None
        row = rows.pop()
        return self.units[row] if 0 <= row < len(self.units) else None

    def _update_buttons(self) -> None:
        unit = self.selected_unit()
        self.edit_button.setEnabled(unit is not None)
        self.toggle_button.setEnabled(unit is not None)
        self.toggle_button.setText("启用(&D)" if unit is not None and not unit.active else "停用(&D)")

    def add(self) -> None:
        values = dialogs.ask(self, "新增承办单位", unit_fields())
        if values is None:
            return
        info = self.runner.run(self, reference.add_unit, name=values["name"], kind=UnitKind(values["kind"]),
                               contact=values["contact"], phone=values["phone"], what="承办单位")
        self.refresh()
        if info is not None:
            self.select_unit(info.id)

    def edit_selected(self) -> None:
        unit = self.selected_unit()
        if unit is None:
            return
        values = dialogs.ask(self, "修改承办单位", unit_fields(unit),
                             note="改名后，以往的交办记录随之显示新名称。")
        if values is None:
            return
        self.runner.run(self, reference.update_unit, unit_id=unit.id, name=values["name"],
                        kind=UnitKind(values["kind"]), contact=values["contact"], phone=values["phone"],
                        what="承办单位")
        self.refresh()

    def toggle_selected(self) -> None:
        unit = self.selected_unit()
        if unit is None:
            return
        self.runner.run(self, reference.update_unit, unit_id=unit.id, active=not unit.active, what="承办单位")
        self.refresh()

