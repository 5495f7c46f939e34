"""导入矛盾纠纷: rows pasted from Excel (or read from a workbook) checked as they come, each row's errors shown,
and all of them written in one transaction or none."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from xinfang_desktop.domain.errors import XinfangError
from xinfang_desktop.exporters.ledger_import import read_rows
from xinfang_desktop.exporters.screening_import import split_pasted
from xinfang_desktop.services import screening
from xinfang_desktop.ui.actions import ActionRunner

HINT = ("从Excel中选中矛盾纠纷各行（连同表头一行：排查日期、村（社区）、当事人、纠纷类型、简要情况、风险等级、责任人、"
        "化解期限、化解情况、是否引发信访），复制后粘贴到下面；也可以读取Excel工作簿（如各村报来的排查台账）。"
        "每行先检查，全部无误才导入；有一行有误，一行也不导入。")
COLUMNS = ("行", "排查日期", "村（社区）", "当事人", "纠纷类型", "简要情况", "风险等级", "责任人", "化解期限", "化解情况",
           "引发信访", "检查结果")
WRONG = QColor("#fadbd8")
WRONG_TEXT = QColor("#a93226")
# the preview's column of each field a cell may fail to be read in
UNREAD_COLUMNS = {"found_on": 1, "risk": 6, "resolve_by": 8, "state": 9, "petitioned": 10}


def _as_text(rows: list[list[str]]) -> str:
    """Rows as Excel would copy them (tabs, a cell with a line break quoted), so the box reads back the same."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter="\t", lineterminator="\n")
    writer.writerows([[cell for cell in row] for row in rows if any(row)])
    return out.getvalue()


class DisputeImportDialog(QDialog):
    """Paste or read, see every row checked, then 导入 (one transaction) once nothing is wrong."""

    def __init__(self, runner: ActionRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.runner = runner
        self.preview: screening.ImportPreview | None = None
        self.imported = 0
        self.setWindowTitle("导入矛盾纠纷")
        self.resize(1240, 660)
        hint = QLabel(HINT)
        hint.setWordWrap(True)
        self.paste_box = QPlainTextEdit()
        self.paste_box.setPlaceholderText("在此粘贴（Ctrl+V）")
        self.paste_box.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.paste_box.setMaximumHeight(130)
        self.read_button = QPushButton("从Excel读取…")
        self.read_button.clicked.connect(self.read_excel)
        self.status_label = QLabel("尚未粘贴")
        self.status_label.setWordWrap(True)
        tools = QHBoxLayout()
        tools.addWidget(self.read_button)
        tools.addWidget(self.status_label, 1)
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setHorizontalHeaderLabels(list(COLUMNS))
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        for c, width in enumerate((36, 86, 116, 80, 116, 150, 64, 60, 86, 64, 60)):
            self.table.setColumnWidth(c, width)
        # once the columns have settled (a drag, or the stretched last one at the dialog's first show)
        self._refit = QTimer(self)
        self._refit.setSingleShot(True)
        self._refit.setInterval(0)
        self._refit.timeout.connect(self._fit_rows)
        header.sectionResized.connect(lambda *_: self._refit.start())
        self.buttons = QDialogButtonBox()
        self.import_button = self.buttons.addButton("导入", QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.addButton("取消", QDialogButtonBox.ButtonRole.RejectRole)
        self.buttons.accepted.connect(self.run_import)
        self.buttons.rejected.connect(self.reject)
        self.import_button.setEnabled(False)
        layout = QVBoxLayout(self)
        layout.addWidget(hint)
        layout.addWidget(self.paste_box)
        layout.addLayout(tools)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.buttons)
        # checked a moment after the clerk stops typing or pasting, not on every keystroke
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(400)
        self._timer.timeout.connect(self.check)
        self.paste_box.textChanged.connect(self._changed)

    def _changed(self) -> None:
        self.import_button.setEnabled(False)  # what is imported is what was checked
        self._timer.start()

    def rows(self) -> list[list[str]]:
        return split_pasted(self.paste_box.toPlainText())

    def read_excel(self) -> None:
        name, _ = QFileDialog.getOpenFileName(self, "从Excel读取", "", "Excel 工作簿 (*.xlsx *.xls *.xlsm *.ods)")
        if not name:
            return
        try:
            rows = read_rows(Path(name))
        except XinfangError as exc:
            QMessageBox.warning(self, "无法读取", exc.message)
            return
        self.paste_box.setPlainText(_as_text(rows))
        self.check()

    def check(self) -> None:
        """Every row read and checked (nothing written); the errors shown on their rows."""
        self._timer.stop()
        self.preview = None
        self.import_button.setEnabled(False)
        if not self.paste_box.toPlainText().strip():
            self.table.setRowCount(0)
            self.status_label.setText("尚未粘贴")
            return
        try:
            preview = self.runner.read(screening.check_disputes, rows=self.rows())
        except XinfangError as exc:
            self.table.setRowCount(0)
            self._say(exc.message, wrong=True)
            return
        self.preview = preview
        self._fill(preview)
        wrong = len(preview.wrong)
        skipped = f"（另有{preview.skipped}行没有排查内容，不导入）" if preview.skipped else ""
        if not preview.lines:
            self._say("表头下面没有矛盾纠纷" + skipped, wrong=True)
        elif wrong:
            self._say(f"共{len(preview.lines)}行，其中{wrong}行有误（标红，见“检查结果”）：请在Excel中改正后重新粘贴，"
                      f"全部无误才能导入{skipped}", wrong=True)
        else:
            self._say(f"共{len(preview.lines)}行，全部无误，可以导入{skipped}", wrong=False)
            self.import_button.setEnabled(True)

    def _say(self, text: str, *, wrong: bool) -> None:
        self.status_label.setText(text)
        self.status_label.setStyleSheet(f"color: {WRONG_TEXT.name()}" if wrong else "")

    def _fill(self, preview: screening.ImportPreview) -> None:
        self.table.setRowCount(len(preview.lines))
        for r, line in enumerate(preview.lines):
            values = (str(line.line), line.found_on.isoformat() if line.found_on else "", line.village, line.parties,
                      line.category, line.summary, line.risk.value, line.responsible,
                      line.resolve_by.isoformat() if line.resolve_by else "", line.state.value,
                      "是" if line.petitioned else "否", "；".join(line.errors) if line.errors else "可以导入")
            # a cell that could not be read shows what was written ("重人"), never the default it stands in for
            unread = {UNREAD_COLUMNS[field]: text for field, text in line.unread}
            for c, value in enumerate(values):
                item = QTableWidgetItem(unread.get(c, value))
                item.setToolTip(unread.get(c, value))
                if line.errors:
                    item.setBackground(WRONG)
                    if c == len(values) - 1 or c in unread:
                        item.setForeground(WRONG_TEXT)
                if c in unread:
                    font = item.font()
                    font.setBold(True)
                    item.setFont(font)
                if c in (0, 1, 6, 8, 9, 10):
                    item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
                self.table.setItem(r, c, item)
        self._fit_rows()

    def _fit_rows(self) -> None:
        """A wrong row as tall as all that is wrong with it (the 检查结果 wraps); the others stay one line.

        Again whenever a column's width changes: checked before the dialog is shown, the stretched
        检查结果 column is still narrow and the row would keep the height of its text wrapped there."""
        if self.preview is None:
            return
        for r, line in enumerate(self.preview.lines):
            if line.errors:
                self.table.resizeRowToContents(r)

    def run_import(self) -> None:
        """All the checked rows in one transaction; a refusal leaves the dialog open and nothing written."""
        self.check()  # the database may have moved on since the preview (another 村's row entered by hand)
        if not self.import_button.isEnabled():
            return
        count = self.runner.run(self, screening.import_disputes, rows=self.rows(), what="导入矛盾纠纷")
        if count is not None:
            self.imported = count
            self.accept()
