"""列对应: every column of a ledger and the 台账 column it is read as, with an example cell and why it is read
so; the clerk changes any and confirms the guesses."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from xinfang_desktop.domain.ledger import IMPORT_HEADERS, ParsedLedger
from xinfang_desktop.domain.ledger_headers import (
    BY_GUESS,
    BY_MAP,
    BY_NAME,
    BY_PROFILE,
    Column,
)
from xinfang_desktop.exporters.ledger_import import KEEP_IN_NOTE, cell_text
from xinfang_desktop.ui.combos import fit_to_items

KEEP_LABEL = "（不对应，保留在备注）"


GUESS_COLOUR = QColor("#fff3c4")  # a guessed column, not yet confirmed


# import ---------------------------------------------------------------------------------------
def _example(ledger: ParsedLedger, sheet: str, index: int) -> str:
    """The first filled cell of a column under its header, to show what the column holds."""
    for row in (*ledger.rows, *ledger.skipped):
        if row.sheet == sheet and index < len(row.raw):
            text = cell_text(row.raw[index])
            if text:
                return text if len(text) <= 30 else text[:29] + "…"
    return ""


def _how(column: Column) -> str:
    """Why a column is read as it is, as the mapping table says it."""
    if column.guess is not None and column.field is None:
        return f"猜测：{column.reason}（确定后采用）"
    if column.rival is not None:
        return f"也可作“{column.could_be}”，已取另一列"
    if column.how == BY_GUESS:
        return f"猜测（已采用）：{column.reason}"
    return {BY_NAME: "按列名识别", BY_MAP: "已指定", BY_PROFILE: "上次保存的对应"}.get(column.how, "")


class MappingDialog(QDialog):
    """Every column of the ledger and the 台账 column it is read as: the clerk changes any, and confirms the guesses.

    A guessed column (marked) shows its guess chosen: “确定” takes it, as it takes every other
    choice in the table; until then the import reads the guessed columns into 备注.
    """

    def __init__(self, columns: Sequence[tuple[Column, str]], parent: QWidget | None = None, *,
                 after: str = "确定后，这组表头的对应会在导入后保存，下次导入同样表头的台账时沿用。") -> None:
        """`columns`: each column with an example of its content; `after`: what 确定 leads to."""
        super().__init__(parent)
        self.setWindowTitle("对应台账列")
        self.rows: list[tuple[Column, QComboBox]] = []
        self.table = QTableWidget(len(columns), 4)
        self.table.setHorizontalHeaderLabels(["源列名", "示例内容", "对应台账列", "说明"])
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        for i, (column, example) in enumerate(columns):
            box = QComboBox()
            box.addItem(KEEP_LABEL, KEEP_IN_NOTE)
            for canonical in IMPORT_HEADERS:
                box.addItem(canonical, canonical)
            chosen = column.field or column.guess or KEEP_IN_NOTE
            box.setCurrentIndex(max(box.findData(chosen), 0))
            self.rows.append((column, box))
            cells = [QTableWidgetItem(column.header), QTableWidgetItem(example), None, QTableWidgetItem(_how(column))]
            for j, item in enumerate(cells):
                if item is None:
                    continue
                if column.guess is not None and column.field is None:
                    item.setBackground(GUESS_COLOUR)
                self.table.setItem(i, j, item)
            self.table.setCellWidget(i, 2, box)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.table.resizeColumnToContents(0)
        # a cell's drop-down is not measured by resizeColumnToContents: as wide as its longest item
        for _, box in self.rows:
            fit_to_items(box)
        self.table.setColumnWidth(2, max((box.minimumWidth() for _, box in self.rows), default=120))
        # a saved mapping reviewed in 设置 has no file to take examples from
        self.table.setColumnHidden(1, not any(example for _, example in columns))
        guesses = sum(1 for c, _ in self.rows if c.guess is not None and c.field is None)
        note = QLabel("每一列对应哪一台账项目；不对应的列，其内容保留在“备注”中。"
                      + (f"标黄的{guesses}列是程序按内容猜测的，点“确定”即采用，不同意请改选。" if guesses else "")
                      + after)
        note.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("确定")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(note)
        layout.addWidget(self.table, 1)
        layout.addWidget(buttons)
        self.resize(900, 560)

    @classmethod
    def for_ledger(cls, ledger: ParsedLedger, parent: QWidget | None = None) -> MappingDialog:
        """The columns of a ledger being imported, each header once (one sheet a month has the same columns)."""
        seen: set[str] = set()
        columns: list[tuple[Column, str]] = []
        for sheet in ledger.sheets:
            for column in sheet.columns:
                if column.header in seen or column.header == f"第{column.index + 1}列" and column.guess is None:
                    continue
                seen.add(column.header)
                columns.append((column, _example(ledger, sheet.name, column.index)))
        return cls(columns, parent)

    def box(self, header: str) -> QComboBox:
        return next(box for column, box in self.rows if column.header == header)

    def mapping(self) -> dict[str, str]:
        """The choices that differ from what the column's name says, and those given before (kept as given)."""
        chosen: dict[str, str] = {}
        for column, box in self.rows:
            value = str(box.currentData())
            by_name = column.field if column.how == BY_NAME else None
            if value != (by_name or KEEP_IN_NOTE) or column.how in (BY_MAP, BY_PROFILE):
                chosen[column.header] = value
        return chosen
