"""The small dialogs behind the 交办 and 督办 actions: a form built from field specs, and the unit picker."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QCompleter,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from xinfang_desktop import wallclock
from xinfang_desktop.domain.enums import ReplyOpinion, Satisfaction, TransferRole, VerifyResult
from xinfang_desktop.domain.values import TransferTarget, UnitInfo
from xinfang_desktop.ui.combos import fit_to_items
from xinfang_desktop.ui.date_edit import DateEdit

ACCEPT = "采纳"
RETURN = "退回补办"


@dataclass(frozen=True)
class Field:
    """One row of a form: `kind` is date, optional_date, line, text, choice, check or number (1 and up).

    `choices` are the items of a choice, or the suggestions of a line (which stays free text).
    """

    key: str
    label: str
    kind: str = "line"
    default: Any = None
    choices: tuple[str, ...] = ()
    hint: str = ""
    enabled_when: tuple[str, str] | None = None  # (choice field, value): usable only then
    required: bool = False  # a choice the clerk must make: none is preselected, 确定 asks for it


def to_qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)


def from_qdate(day: QDate) -> date:
    return date(day.year(), day.month(), day.day())


def _date_edit(day: date) -> DateEdit:
    return DateEdit(to_qdate(day))


class FormDialog(QDialog):
    """A small form: labels on the left, one widget per Field, 确定/取消.

    The service decides what is acceptable; the dialog only collects, so a refused value
    comes back as the service's own Chinese message and nothing is written.
    """

    def __init__(self, title: str, fields: Sequence[Field], *, note: str = "", parent: QWidget | None = None,
                 scroll: bool = False) -> None:
        """scroll: the fields in a scroll area (a form longer than a 728-pixel screen), the buttons below it."""
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setMinimumWidth(460)
        self.fields = {f.key: f for f in fields}
        self.widgets: dict[str, QWidget] = {}
        self._optional: dict[str, QCheckBox] = {}
        layout = QVBoxLayout(self)
        if note:
            label = QLabel(note)
            label.setWordWrap(True)
            layout.addWidget(label)
        form = QFormLayout()
        if scroll:
            holder = QWidget()
            holder.setLayout(form)
            area = QScrollArea()
            area.setWidgetResizable(True)
            area.setWidget(holder)
            layout.addWidget(area, 1)
            self.resize(640, 640)  # room for the long form, within a 728-pixel screen
        else:
            layout.addLayout(form)
        for f in fields:
            widget = self._make(f)
            if f.hint:
                widget.setToolTip(f.hint)
            form.addRow(f.label + "：", self._wrap(f, widget))
            self.widgets[f.key] = widget
        for f in fields:
            if f.enabled_when is not None:
                self._follow(f)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("确定")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        if fields:
            self.widgets[fields[0].key].setFocus()

    def _make(self, f: Field) -> QWidget:
        if f.kind in ("date", "optional_date"):
            return _date_edit(f.default or wallclock.today())
        if f.kind == "text":
            edit = QPlainTextEdit(str(f.default or ""))
            edit.setTabChangesFocus(True)
            edit.setFixedHeight(90)
            return edit
        if f.kind == "choice":
            combo = QComboBox()
            combo.addItems(list(f.choices))
            if f.required:
                combo.setPlaceholderText("（请选择）")
                combo.setCurrentIndex(-1)
            elif f.default in f.choices:
                combo.setCurrentText(str(f.default))
            return combo
        if f.kind == "number":
            spin = QSpinBox()
            spin.setRange(1, 100_000)
            spin.setValue(int(f.default or 1))
            return spin
        if f.kind == "check":
            box = QCheckBox()
            box.setChecked(bool(f.default))
            return box
        edit = QLineEdit(str(f.default or ""))
        if f.choices:
            # free text, with what the clerk has used before offered as they type
            completer = QCompleter(list(f.choices), edit)
            completer.setFilterMode(Qt.MatchFlag.MatchContains)
            completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
            edit.setCompleter(completer)
        return edit

    def _wrap(self, f: Field, widget: QWidget) -> QWidget:
        if f.kind != "optional_date":
            return widget
        holder = QWidget()
        row = QHBoxLayout(holder)
        row.setContentsMargins(0, 0, 0, 0)
        box = QCheckBox("指定")
        box.setChecked(False)
        widget.setEnabled(False)
        box.toggled.connect(widget.setEnabled)
        row.addWidget(box)
        row.addWidget(widget, 1)
        self._optional[f.key] = box
        return holder

    def _follow(self, f: Field) -> None:
        """Enable f's widget only while another field shows a given choice (e.g. 退回理由 for 退回补办)."""
        assert f.enabled_when is not None
        source_key, wanted = f.enabled_when
        source = self.widgets[source_key]
        assert isinstance(source, QComboBox)
        target = self.widgets[f.key]
        holder = target.parentWidget() if f.key in self._optional else target
        holder = holder if holder is not None else target

        def update(text: str) -> None:
            holder.setEnabled(text == wanted)

        source.currentTextChanged.connect(update)
        update(source.currentText())

    def accept(self) -> None:
        missing = next((f for f in self.fields.values() if f.required and not self.value(f.key)), None)
        if missing is None:
            super().accept()
            return
        QMessageBox.warning(self, "请选择", f"请选择“{missing.label}”：{'、'.join(missing.choices)}")
        self.widgets[missing.key].setFocus(Qt.FocusReason.OtherFocusReason)

    def set_value(self, key: str, value: Any) -> None:
        """Fill one field (tests, and the tabs' defaults)."""
        widget = self.widgets[key]
        if isinstance(widget, QDateEdit):
            if key in self._optional:
                self._optional[key].setChecked(value is not None)
            if value is not None:
                widget.setDate(to_qdate(value))
        elif isinstance(widget, QPlainTextEdit):
            widget.setPlainText(str(value))
        elif isinstance(widget, QComboBox):
            widget.setCurrentText(str(value))
        elif isinstance(widget, QCheckBox):
            widget.setChecked(bool(value))
        elif isinstance(widget, QSpinBox):
            widget.setValue(int(value))
        elif isinstance(widget, QLineEdit):
            widget.setText(str(value))

    def value(self, key: str) -> Any:
        widget = self.widgets[key]
        if isinstance(widget, QDateEdit):
            if key in self._optional and not self._optional[key].isChecked():
                return None
            return from_qdate(widget.date())
        if isinstance(widget, QPlainTextEdit):
            return widget.toPlainText()
        if isinstance(widget, QComboBox):
            return widget.currentText()
        if isinstance(widget, QCheckBox):
            return widget.isChecked()
        if isinstance(widget, QSpinBox):
            return widget.value()
        if isinstance(widget, QLineEdit):
            return widget.text()
        return None

    def values(self) -> dict[str, Any]:
        return {key: self.value(key) for key in self.fields}


def ask(parent: QWidget | None, title: str, fields: Sequence[Field], *, note: str = "") -> dict[str, Any] | None:
    """Show a FormDialog; its values, or None when the clerk cancelled."""
    dialog = FormDialog(title, fields, note=note, parent=parent)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    return dialog.values()


# the field sets of each action -----------------------------------------------------------
def today_field(key: str, label: str) -> Field:
    return Field(key, label, "date", wallclock.today())


def feedback_fields() -> list[Field]:
    return [
        today_field("received_on", "反馈日期"),
        Field("text", "反馈内容", "text", hint="承办单位报来的办理情况"),
        Field("result", "办理结果", "line"),
        Field("verdict", "审核意见", "choice", ACCEPT, (ACCEPT, RETURN)),
        Field("return_reason", "退回理由", "text", hint="选择“退回补办”时必填", enabled_when=("verdict", RETURN)),
        Field("new_due_on", "补办期限", "optional_date", hint="不指定则沿用原办理期限", enabled_when=("verdict", RETURN)),
    ]


def extend_fields(old_due: date, limit: date) -> list[Field]:
    return [
        today_field("on", "批准日期"),
        Field("new_due_on", "延期至", "date", limit, hint=f"原期限{old_due.isoformat()}，最晚{limit.isoformat()}"),
        Field("reason", "延期理由", "text", hint="将写入延期办理告知书，告知信访人"),
    ]


def reply_fields(default_text: str = "", *, document: str = "复信", findings: str = "") -> list[Field]:
    """答复, asking what the letter it leads to needs: an 意见书 states what was found, and a
    信访处理意见书 one of the three 处理意见 of Art. 32."""
    fields = [today_field("on", "答复日期")]
    if document == "信访处理意见书":
        fields.append(Field("opinion", "处理意见", "choice", None, tuple(o.value for o in ReplyOpinion),
                            hint="写入信访处理意见书（条例第三十二条）", required=True))
    if document != "复信":
        fields.append(Field("findings", "认定的事实", "text", findings, hint=f"调查核实认定的事实和理由，写入{document}"))
    fields.append(Field("text", "答复内容", "text", default_text))
    return fields


def follow_up_fields() -> list[Field]:
    return [
        today_field("on", "回访日期"),
        Field("satisfaction", "满意度", "choice", Satisfaction.SATISFIED.value, tuple(s.value for s in Satisfaction)),
        Field("note", "回访情况", "text", hint="写入回访记录"),
        Field("petitioner_view", "信访人意见", "text", hint="信访人对办理结果的意见，写入回访记录"),
    ]


def close_fields(result: str = "") -> list[Field]:
    return [today_field("on", "办结日期"), Field("result", "办理结果", "text", result)]


def review_fields(stage: str) -> list[Field]:
    return [today_field("on", "申请日期"), Field("reason", f"{stage}申请理由", "text")]


def remind_fields() -> list[Field]:
    return [today_field("on", "催办日期"), Field("note", "催办说明", "line")]


def charge_fields(resolve_by: date, *, leader: str = "", post: str = "") -> list[Field]:
    return [
        Field("leader", "包案领导", "line", leader),
        Field("post", "领导职务", "line", post, hint="如：镇党委书记、副县长"),
        today_field("on", "包案日期"),
        Field("measures", "包案措施", "text", hint="包案领导的化解措施"),
        Field("resolve_by", "化解期限", "date", resolve_by),
    ]


def verify_fields() -> list[Field]:
    return [
        today_field("on", "验证日期"),
        Field("checker", "验证人", "line"),
        Field("method", "验证方式", "line", choices=("实地查看", "电话回访", "走访信访人", "查阅资料")),
        Field("result", "验证结果", "choice", VerifyResult.CONFIRMED.value, tuple(r.value for r in VerifyResult)),
        Field("reason", "未落实原因", "text", hint="选择“未落实”时必填；事项将重新列入重点督办",
              enabled_when=("result", VerifyResult.NOT_DONE.value)),
    ]


def instruct_fields() -> list[Field]:
    return [Field("leader", "批示领导", "line"), today_field("on", "批示日期"), Field("text", "批示内容", "text")]


# the 交办 unit picker ---------------------------------------------------------------------
class TransferDialog(QDialog):
    """交办: one or more units, 主办 and 协办, each with a due date from the statutory clock, editable."""

    COL_UNIT, COL_ROLE, COL_DUE = range(3)

    def __init__(
        self,
        units: Sequence[UnitInfo],
        default_due: Callable[[date], date],
        *,
        title: str = "交办",
        date_label: str = "交办日期",
        lead: str = "",
        parent: QWidget | None = None,
    ) -> None:
        """`lead`: the 主办 the matter already has (追加交办), so the units added here are its 协办."""
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setMinimumWidth(560)
        self.units = list(units)
        self.default_due = default_due
        self.lead = lead
        layout = QVBoxLayout(self)
        form = QFormLayout()
        if lead:
            form.addRow("主办单位：", QLabel(f"{lead}（已交办；这里追加的单位为协办）"))
        self.on_edit = _date_edit(wallclock.today())
        form.addRow(date_label + "：", self.on_edit)
        layout.addLayout(form)

        pick = QHBoxLayout()
        self.unit_combo = QComboBox()
        self.unit_combo.setEditable(True)  # type to find a unit among dozens
        self.unit_combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        for unit in self.units:
            self.unit_combo.addItem(unit.name, unit.id)
        fit_to_items(self.unit_combo)
        self.role_combo = QComboBox()
        self.role_combo.addItems([r.value for r in TransferRole])
        if lead:
            self.role_combo.setCurrentText(TransferRole.ASSIST.value)
        self.add_button = QPushButton("添加(&A)")
        self.add_button.clicked.connect(self._add_current)
        pick.addWidget(QLabel("承办单位："))
        pick.addWidget(self.unit_combo, 1)
        pick.addWidget(self.role_combo)
        pick.addWidget(self.add_button)
        layout.addLayout(pick)

        self.table = QTableWidget(0, 3)
        self.table.setHorizontalHeaderLabels(["承办单位", "主办/协办", "办理期限"])
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        layout.addWidget(self.table)
        self.remove_button = QPushButton("移除所选(&D)")
        self.remove_button.clicked.connect(self._remove_selected)
        layout.addWidget(self.remove_button, 0, Qt.AlignmentFlag.AlignLeft)
        self.on_edit.dateChanged.connect(self._redate)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("确定")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self._ids: list[int] = []
        self._edited: set[int] = set()  # rows whose due date the clerk set by hand

    def add_unit(self, unit_id: int, role: TransferRole = TransferRole.LEAD, due_on: date | None = None) -> None:
        """Add a unit to the list (the button, and tests)."""
        unit = next((u for u in self.units if u.id == unit_id), None)
        if unit is None:
            return
        if role is TransferRole.LEAD and (self.lead or TransferRole.LEAD in self.roles()):
            role = TransferRole.ASSIST  # one 主办; the rest help
        row = self.table.rowCount()
        self.table.insertRow(row)
        self.table.setItem(row, self.COL_UNIT, QTableWidgetItem(unit.name))
        role_combo = QComboBox()
        role_combo.addItems([r.value for r in TransferRole])
        role_combo.setCurrentText(role.value)
        self.table.setCellWidget(row, self.COL_ROLE, role_combo)
        due = _date_edit(due_on or self.default_due(self.on_date()))
        due.dateChanged.connect(lambda _d, w=due: self._edited.add(id(w)))
        self.table.setCellWidget(row, self.COL_DUE, due)
        self._ids.append(unit_id)

    def _add_current(self) -> None:
        index = self.unit_combo.findText(self.unit_combo.currentText())
        if index < 0:
            return
        unit_id = int(self.unit_combo.itemData(index))
        if unit_id in self._ids:
            return
        self.add_unit(unit_id, TransferRole(self.role_combo.currentText()))

    def _remove_selected(self) -> None:
        for row in sorted({i.row() for i in self.table.selectedIndexes()}, reverse=True):
            self.table.removeRow(row)
            del self._ids[row]

    def _redate(self) -> None:
        """A new 交办日期 moves every due date the clerk has not set by hand."""
        for row in range(self.table.rowCount()):
            edit = self.table.cellWidget(row, self.COL_DUE)
            if isinstance(edit, QDateEdit) and id(edit) not in self._edited:
                edit.blockSignals(True)
                edit.setDate(to_qdate(self.default_due(self.on_date())))
                edit.blockSignals(False)

    def on_date(self) -> date:
        return from_qdate(self.on_edit.date())

    def roles(self) -> list[TransferRole]:
        out = []
        for row in range(self.table.rowCount()):
            combo = self.table.cellWidget(row, self.COL_ROLE)
            assert isinstance(combo, QComboBox)
            out.append(TransferRole(combo.currentText()))
        return out

    def targets(self) -> tuple[TransferTarget, ...]:
        out = []
        for row, (unit_id, role) in enumerate(zip(self._ids, self.roles(), strict=True)):
            edit = self.table.cellWidget(row, self.COL_DUE)
            assert isinstance(edit, QDateEdit)
            out.append(TransferTarget(unit_id=unit_id, role=role, due_on=from_qdate(edit.date())))
        return tuple(out)
