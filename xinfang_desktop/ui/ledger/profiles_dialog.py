"""台账列对应 (设置): the column mappings imports saved by their headers, shown, corrected in the mapping table, deleted."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from xinfang_desktop.domain.ledger_headers import SavedMapping
from xinfang_desktop.services.ledger.headers import delete_profile, list_profiles, update_profile
from xinfang_desktop.ui.actions import ActionRunner
from xinfang_desktop.ui.ledger.mapping_dialog import MappingDialog
from xinfang_desktop.ui.tables import fit_columns
from xinfang_desktop.wallclock import now

TITLE = "台账列对应"
NOTE_COLUMN = "备注"


def mapping_text(profile: SavedMapping) -> str:
    """源列 → 台账列, in the headers' order; a column kept in 备注 says so."""
    return "；".join(f"{source}→{target or NOTE_COLUMN}" for source, target in profile.mapping)


class ProfilesDialog(QDialog):
    """Every saved mapping: its headers, what it maps, the file it was confirmed for and when; 修改 and 删除."""

    COL_HEADERS, COL_MAPPING, COL_SOURCE, COL_SAVED = range(4)

    def __init__(self, runner: ActionRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.runner = runner
        self.setWindowTitle(TITLE)
        self.resize(900, 480)
        note = QLabel("导入台账时确认的列对应按表头保存，下次导入表头相同的台账（如明年同一系统的导出）时沿用。"
                      "删除后，再导入这样的台账时重新按列名识别、按内容猜测；已导入的信访事项不受影响。")
        note.setWordWrap(True)
        self.empty = QLabel("还没有保存的列对应：导入台账时在“列对应…”中指定或确认过的列，导入后保存在这里。")
        self.empty.setWordWrap(True)
        self.table = QTableWidget(0, 4)
        self.table.setHorizontalHeaderLabels(["表头", "列对应（源列→台账列）", "来自文件", "保存时间"])
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.setWordWrap(True)
        self.table.doubleClicked.connect(self.edit_selected)
        self.table.itemSelectionChanged.connect(self._update_buttons)
        self.edit_button = QPushButton("修改…")
        self.delete_button = QPushButton("删除…")
        close = QPushButton("关闭")
        self.edit_button.clicked.connect(self.edit_selected)
        self.delete_button.clicked.connect(self.delete_selected)
        close.clicked.connect(self.accept)
        buttons = QHBoxLayout()
        buttons.addWidget(self.edit_button)
        buttons.addWidget(self.delete_button)
        buttons.addStretch(1)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(note)
        layout.addWidget(self.empty)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        self.profiles: list[SavedMapping] = []
        self.reload()

    def reload(self, keep: str | None = None) -> None:
        """Fill the table again; `keep`: the layout to select (the one just changed)."""
        self.profiles = self.runner.read(list_profiles)
        self.empty.setVisible(not self.profiles)
        self.table.setRowCount(len(self.profiles))
        for row, profile in enumerate(self.profiles):
            headers = "、".join(profile.headers)
            cells = (headers, mapping_text(profile), profile.source, profile.saved_at.strftime("%Y-%m-%d %H:%M"))
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setToolTip(text)
                self.table.setItem(row, column, item)
        fit_columns(self.table, reading=(self.COL_HEADERS, self.COL_MAPPING))
        self.table.resizeRowsToContents()
        rows = [i for i, p in enumerate(self.profiles) if p.layout == keep] or [0]
        if self.profiles:
            self.table.selectRow(rows[0])
        self._update_buttons()

    def selected(self) -> SavedMapping | None:
        rows = self.table.selectionModel().selectedRows()
        return self.profiles[rows[0].row()] if rows else None

    def _update_buttons(self) -> None:
        chosen = self.selected() is not None
        self.edit_button.setEnabled(chosen)
        self.delete_button.setEnabled(chosen)

    def edit_selected(self) -> bool:
        """The mapping table over the profile's columns; 确定 saves what the clerk chose."""
        profile = self.selected()
        if profile is None:
            return False
        dialog = MappingDialog([(c, "") for c in profile.columns], self,
                               after="确定后保存，下次导入这组表头的台账时按此读取。")
        dialog.setWindowTitle(f"{TITLE}：{profile.source}" if profile.source else TITLE)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return False
        saved = self.runner.run(self, update_profile, layout=profile.layout, mapping=dialog.mapping(), at=now(),
                                what=TITLE)
        if saved is None:
            return False
        self.reload(keep=profile.layout)
        return True

    def delete_selected(self) -> bool:
        profile = self.selected()
        if profile is None:
            return False
        answer = QMessageBox.question(
            self, TITLE,
            f"删除这组表头的列对应（来自“{profile.source}”）？\n\n{mapping_text(profile)}\n\n"
            "删除后，再导入这样的台账时重新按列名识别、按内容猜测；已导入的信访事项不受影响。")
        if answer != QMessageBox.StandardButton.Yes:
            return False
        if self.runner.run(self, delete_profile, layout=profile.layout, what=TITLE) is None:
            return False
        self.reload()
        return True
