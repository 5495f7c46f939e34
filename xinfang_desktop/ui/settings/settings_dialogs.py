"""设置 dialogs: 机关信息, 问题分类, 乡镇和村, 办理期限; each change is one action through the runner."""

from __future__ import annotations

from dataclasses import fields
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from xinfang_desktop.domain.clock import Periods
from xinfang_desktop.domain.enums import OfficeKind
from xinfang_desktop.domain.errors import XinfangError
from xinfang_desktop.domain.values import CategoryInfo, RegionInfo
from xinfang_desktop.services.common import set_settings
from xinfang_desktop.services.lists import category_tree, region_entries
from xinfang_desktop.services.reference import add_category, add_region, update_category, update_region
from xinfang_desktop.services.settings import get_setting, periods
from xinfang_desktop.ui.actions import ActionRunner

OFFICE_KEYS = (
    ("office_name", "机关名称", "文书以此落款，如：青石县河口镇人民政府"),
    ("number_prefix", "编号前缀", "信访事项编号的前缀，如“信”得到 信〔2026〕0001号"),
    ("document_prefix", "文书文号前缀", "告知书等文书的文号前缀"),
    ("clerk_name", "经办人", "记入办理过程（时间线）的经办人姓名"),
    ("review_body", "复查机关", "本机关的上一级机关：信访处理意见书告知信访人向其申请复查，复查受理告知书和复查意见书"
                                "以其名义出具，如：青石县人民政府"),
    ("recheck_body", "复核机关", "复查机关的上一级机关：复查意见书告知信访人向其申请复核，复核受理告知书和复核意见书"
                                 "以其名义出具，如：青山市人民政府"),
)


class OfficeDialog(QDialog):
    """机关信息: office name and the number prefixes."""

    def __init__(self, runner: ActionRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.runner = runner
        self.setWindowTitle("机关信息")
        self.edits: dict[str, QLineEdit] = {}
        form = QFormLayout()
        for key, label, hint in OFFICE_KEYS:
            edit = QLineEdit(str(runner.read(get_setting, key)))
            edit.setToolTip(hint)
            edit.setMinimumWidth(320)
            self.edits[key] = edit
            form.addRow(label, edit)
        self.kind_combo = QComboBox()
        self.kind_combo.addItem("（未选择）", "")
        for kind in OfficeKind:
            self.kind_combo.addItem(kind.value, kind.value)
        self.kind_combo.setCurrentIndex(max(self.kind_combo.findData(runner.read(get_setting, "office_kind")), 0))
        form.insertRow(1, "机关类别", self.kind_combo)
        self.example = QLabel()
        form.addRow("编号示例", self.example)
        self.edits["number_prefix"].textChanged.connect(self._show_example)
        self._show_example()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(QLabel("修改编号前缀只影响以后登记的事项，已登记的编号不变。"))
        layout.addWidget(buttons)
        self.runner.error_shown.connect(self._focus)
        self.finished.connect(lambda _result: self.runner.error_shown.disconnect(self._focus))

    def _focus(self, exc: XinfangError) -> None:
        """A refused value: its field focused, the dialog still open over what was typed."""
        for key, label, _hint in OFFICE_KEYS:
            if label == exc.field:
                self.edits[key].setFocus(Qt.FocusReason.OtherFocusReason)

    def _show_example(self) -> None:
        from xinfang_desktop.services.settings import format_number
        from xinfang_desktop.wallclock import today

        self.example.setText(format_number(self.edits["number_prefix"].text().strip() or "？", today().year, 1))

    def accept(self) -> None:
        """Qt override: save, and stay open when a value is refused."""
        name = self.edits["office_name"]
        # clearing a name once set is refused by set_settings; never set yet, the clerk is told first
        never_set = not self.runner.read(get_setting, "office_name")
        if never_set and not name.text().strip() and not self._save_without_name():
            name.setFocus(Qt.FocusReason.OtherFocusReason)
            return
        values: dict[str, Any] = {key: edit.text() for key, edit in self.edits.items()}
        if self.kind_combo.currentData():
            values["office_kind"] = self.kind_combo.currentData()
        if self.runner.run(self, set_settings, values=values, what="机关信息") is not None:
            super().accept()


    def _save_without_name(self) -> bool:
        """A new database may be set up before the name is known: said, and the clerk decides."""
        answer = QMessageBox.question(
            self, "机关名称未填写",
            "“机关名称”尚未填写。告知书、交办函等文书以机关名称落款，填写之前不能出具文书。\n\n"
            "选“是”先保存其余各项，以后再填写机关名称；选“否”返回填写。")
        return answer == QMessageBox.StandardButton.Yes


class PeriodsDialog(QDialog):
    """办理期限: every statutory period as a setting (信访工作条例 defaults)."""

    def __init__(self, runner: ActionRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.runner = runner
        self.setWindowTitle("办理期限")
        current = runner.read(periods)
        default = Periods()
        self.inputs: dict[str, QSpinBox | QCheckBox] = {}
        form = QFormLayout()
        for f in fields(Periods):
            label = Periods.LABELS[f.name]
            value = getattr(current, f.name)
            widget: QSpinBox | QCheckBox
            if isinstance(value, bool):
                widget = QCheckBox()
                widget.setChecked(value)
            else:
                widget = QSpinBox()
                widget.setRange(1, 365)
                widget.setValue(value)
                widget.setSuffix(" 日")
                widget.setToolTip(f"条例默认：{getattr(default, f.name)}")
            self.inputs[f.name] = widget
            form.addRow(label, widget)
        defaults_button = QPushButton("恢复条例默认值")
        defaults_button.clicked.connect(self.restore_defaults)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("“日”默认按自然日计算，自起始日的次日起算；勾选“按工作日计算”则跳过节假日（含调休）。"))
        layout.addLayout(form)
        row = QHBoxLayout()
        row.addWidget(defaults_button)
        row.addStretch(1)
        row.addWidget(buttons)
        layout.addLayout(row)

    def restore_defaults(self) -> None:
        default = Periods()
        for name, widget in self.inputs.items():
            value = getattr(default, name)
            if isinstance(widget, QCheckBox):
                widget.setChecked(bool(value))
            else:
                widget.setValue(int(value))

    def values(self) -> dict[str, object]:
        return {name: (w.isChecked() if isinstance(w, QCheckBox) else w.value()) for name, w in self.inputs.items()}

    def accept(self) -> None:
        """Qt override: save, and stay open when a value is refused."""
        if self.runner.run(self, set_settings, values={"periods": self.values()}, what="办理期限") is not None:
            super().accept()


ENTRY_ID = Qt.ItemDataRole.UserRole
ENTRY_NAME = Qt.ItemDataRole.UserRole + 1
ENTRY_ACTIVE = Qt.ItemDataRole.UserRole + 2


class _TreeListDialog(QDialog):
    """A two-level list the clerk extends, renames and stops (分类 or 乡镇/村); entries are never deleted."""

    title = ""
    note = ""
    top_label = ""
    child_label = ""
    entry_label = ""  # what the clerk selects: "分类", "乡镇或村"
    toggle_tip = ""

    def __init__(self, runner: ActionRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.runner = runner
        self.setWindowTitle(self.title)
        self.resize(520, 520)
        self.tree = QTreeWidget()
        self.tree.setHeaderHidden(True)
        add_top = QPushButton(f"添加{self.top_label}…")
        add_child = QPushButton(f"在所选{self.top_label}下添加{self.child_label}…")
        add_top.clicked.connect(lambda: self.add_entry(None))
        add_child.clicked.connect(self._add_child)
        rename = QPushButton("重命名…")
        rename.clicked.connect(self.rename_selected)
        toggle = QPushButton("停用/启用")
        toggle.setToolTip(self.toggle_tip)
        toggle.clicked.connect(self.toggle_selected)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        buttons = QHBoxLayout()
        for button in (add_top, add_child, rename, toggle):
            buttons.addWidget(button)
        layout = QVBoxLayout(self)
        note = QLabel(self.note)
        note.setWordWrap(True)
        layout.addWidget(note)
        layout.addWidget(self.tree)
        layout.addLayout(buttons)
        layout.addWidget(close)
        self.reload()

    def entries(self) -> list[CategoryInfo]:
        """Every entry, stopped ones too, top entries with their children."""
        raise NotImplementedError

    def _update(self, entry_id: int, **change: Any) -> object:
        """Run the service that renames or (de)activates one entry; None when refused."""
        raise NotImplementedError

    def _save(self, name: str, top: QTreeWidgetItem | None) -> object:
        raise NotImplementedError

    def reload(self) -> None:
        """Rebuild the tree, keeping the selected entry selected (it is found again by id)."""
        current = self.tree.currentItem()
        keep = current.data(0, ENTRY_ID) if current is not None else None
        self.tree.clear()
        for top in self.entries():
            item = self._item(top)
            for child in top.children:
                item.addChild(self._item(child, offered=top.active))
            self.tree.addTopLevelItem(item)
        self.tree.expandAll()
        if keep is not None:
            self.select(keep)

    def select(self, entry_id: int) -> QTreeWidgetItem | None:
        for index in range(self.tree.topLevelItemCount()):
            top = self.tree.topLevelItem(index)
            for item in (top, *(top.child(i) for i in range(top.childCount()))):
                if item.data(0, ENTRY_ID) == entry_id:
                    self.tree.setCurrentItem(item)
                    self.tree.scrollToItem(item)
                    return item
        return None

    @staticmethod
    def _item(entry: CategoryInfo, *, offered: bool = True) -> QTreeWidgetItem:
        """`offered`: False under a stopped top entry, whose children are greyed though not stopped themselves."""
        item = QTreeWidgetItem([entry.name if entry.active else f"{entry.name}（停用）"])
        item.setData(0, ENTRY_ID, entry.id)
        item.setData(0, ENTRY_NAME, entry.name)
        item.setData(0, ENTRY_ACTIVE, entry.active)
        if not (entry.active and offered):
            item.setForeground(0, QBrush(QColor("#888888")))
        return item

    def _selected_top(self) -> QTreeWidgetItem | None:
        item = self.tree.currentItem()
        if item is None:
            return None
        return item.parent() or item

    def _add_child(self) -> None:
        top = self._selected_top()
        if top is None:
            QMessageBox.information(self, self.title, f"请先选择一个{self.top_label}")
            return
        self.add_entry(top)

    def add_entry(self, top: QTreeWidgetItem | None) -> bool:
        label = self.child_label if top is not None else self.top_label
        name, ok = QInputDialog.getText(self, self.title, f"{label}名称：")
        if not ok or not name.strip():
            return False
        if self._save(name, top) is None:
            return False
        self.reload()
        return True

    def _current(self) -> QTreeWidgetItem | None:
        item = self.tree.currentItem()
        if item is None:
            QMessageBox.information(self, self.title, f"请先选择一个{self.entry_label}")
        return item

    def rename_selected(self) -> bool:
        item = self._current()
        if item is None:
            return False
        label = self.child_label if item.parent() is not None else self.top_label
        name, ok = QInputDialog.getText(self, self.title, f"新的{label}名称：", text=item.data(0, ENTRY_NAME))
        if not ok or self._update(item.data(0, ENTRY_ID), name=name) is None:
            return False
        self.reload()
        return True

    def toggle_selected(self) -> bool:
        item = self._current()
        if item is None:
            return False
        if self._update(item.data(0, ENTRY_ID), active=not item.data(0, ENTRY_ACTIVE)) is None:
            return False
        self.reload()
        return True


class CategoriesDialog(_TreeListDialog):
    title = "问题分类"
    note = "问题分类分两级。登记时可输入任一级的关键字筛选。"
    top_label = "一级分类"
    child_label = "二级分类"
    entry_label = "分类"
    toggle_tip = "停用的分类登记时不再出现，已登记事项的分类不变"

    def entries(self) -> list[CategoryInfo]:
        return self.runner.read(category_tree, include_inactive=True)

    def _update(self, entry_id: int, **change: Any) -> object:
        return self.runner.run(self, update_category, category_id=entry_id, what="问题分类", **change)

    def _save(self, name: str, top: QTreeWidgetItem | None) -> object:
        parent_id = top.data(0, ENTRY_ID) if top is not None else None
        return self.runner.run(self, add_category, name=name, parent_id=parent_id, what="问题分类")


class RegionsDialog(_TreeListDialog):
    title = "乡镇和村"
    note = ("登记时“乡镇/村”和“问题发生地”从这里选择。停用的乡镇或村登记时不再出现（停用乡镇，其下的村也不再出现）；"
            "重命名或停用不改变已登记事项的问题发生地。")
    top_label = "乡镇"
    child_label = "村（社区）"
    entry_label = "乡镇或村"
    toggle_tip = "停用的乡镇或村登记时不再出现，已登记事项的问题发生地不变"

    def entries(self) -> list[RegionInfo]:
        return self.runner.read(region_entries, include_inactive=True)

    def _update(self, entry_id: int, **change: Any) -> object:
        return self.runner.run(self, update_region, region_id=entry_id, what="乡镇和村", **change)

    def _save(self, name: str, top: QTreeWidgetItem | None) -> object:
        town = top.data(0, ENTRY_NAME) if top is not None else None
        return self.runner.run(self, add_region, name=name, town=town, what="乡镇和村")
