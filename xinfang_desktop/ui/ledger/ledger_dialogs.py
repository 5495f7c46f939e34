"""导入台账 / 导出台账: file choice, column mapping (mapping_dialog), a preview of every problem, and the work in a
worker thread.

Entry points for the main window and the 统计 tab: `open_import_dialog(parent, db)` and
`open_export_dialog(parent, db, flt=None)`.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPlainTextEdit,
    QProgressDialog,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from xinfang_desktop.db.database import Database
from xinfang_desktop.domain.ledger import ImportReport, ParsedLedger
from xinfang_desktop.domain.ledger_headers import (
    BY_PROFILE,
    describe,
    guesses_pending,
)
from xinfang_desktop.domain.values import MatterFilter
from xinfang_desktop.services.ledger import ledger_period
from xinfang_desktop.services.ledger.files import (
    ImportOutcome,
    count_for_export,
    export_ledger_file,
    import_ledger_file,
)
from xinfang_desktop.services.ledger.headers import read_ledger_file
from xinfang_desktop.services.settings import get_setting
from xinfang_desktop.services.statistics import years_with_matters
from xinfang_desktop.ui.ledger.mapping_dialog import MappingDialog
from xinfang_desktop.ui.workers import Job, run_with_progress, wait_for_jobs
from xinfang_desktop.wallclock import today

WHOLE_LIST = "当前列表（按筛选条件）"
ACCEPT_HINT = "请点“列对应…”核对，确定后才按猜测读取"
MAP_HINT = "请点“列对应…”指定哪一列是登记日期"


# export ---------------------------------------------------------------------------------------
def _years(db: Database) -> list[int]:
    """The years with matters and this year, newest first."""
    with db.read() as session:
        years = years_with_matters(session)
    this = today().year
    if not years:
        return [this]
    return list(range(max(years[0], this), years[-1] - 1, -1))


class ExportDialog(QDialog):
    """Which matters (a year, or the list's filter), full ID numbers or not, then where to save."""

    finished_export = Signal(object)  # the path written, or None

    def __init__(self, db: Database, flt: MatterFilter | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("导出台账")
        self.db = db
        self.given = flt
        self.job: Job | None = None
        self.path: Path | None = None
        with db.read() as session:
            self.office = str(get_setting(session, "office_name"))
        self.scope = QComboBox()
        if flt is not None:
            self.scope.addItem(ledger_period(flt) or WHOLE_LIST, flt)
        for year in _years(db):
            self.scope.addItem(f"{year}年", MatterFilter(year=year, include_voided=False))  # as the 统计 tab's
        self.full_id = QCheckBox("身份证号完整显示（默认只显示前6位和后4位）")
        self.count_label = QLabel()
        self.scope.currentIndexChanged.connect(self._count)
        buttons = QDialogButtonBox()
        self.export_button = buttons.addButton("导出…", QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton("取消", QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self.choose_file)
        buttons.rejected.connect(self.reject)
        form = QFormLayout()
        form.addRow("导出范围：", self.scope)
        form.addRow("", self.full_id)
        form.addRow("", self.count_label)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(buttons)
        self._count()

    def current_filter(self) -> MatterFilter:
        flt = self.scope.currentData()
        assert isinstance(flt, MatterFilter)
        return flt

    def _count(self) -> None:
        n = count_for_export(self.db, self.current_filter())
        self.count_label.setText(f"共{n}件信访事项")
        self.export_button.setEnabled(n > 0)

    def default_name(self) -> str:
        period = ledger_period(self.current_filter())
        return f"{self.office}{period}信访工作台账.xlsx"

    def choose_file(self) -> None:
        name, _ = QFileDialog.getSaveFileName(self, "导出台账", self.default_name(), "Excel 工作簿 (*.xlsx)")
        if not name:
            return
        path = Path(name)
        if path.suffix.lower() != ".xlsx":
            path = path.with_suffix(".xlsx")
        self.start(path)

    def start(self, path: Path) -> None:
        flt, full_id, db = self.current_filter(), self.full_id.isChecked(), self.db
        total = count_for_export(db, flt)
        self.path = path

        def work(progress: Callable[[int, int], None], cancelled: Callable[[], bool]) -> int:
            return export_ledger_file(db, path, flt=flt, full_id=full_id,
                                      progress=lambda n: progress(n, total), cancelled=cancelled)

        self.job = Job(work, name="ledger export")
        self.export_button.setEnabled(False)
        run_with_progress(self, self.job, f"正在导出台账（共{total}件）…", on_done=self._done, on_failed=self._failed)

    def _done(self, count: object) -> None:
        QMessageBox.information(self, "导出台账", f"已导出{count}件到：\n{self.path}")
        self.finished_export.emit(self.path)
        self.accept()

    def _failed(self, message: str, cancelled: bool) -> None:
        self.export_button.setEnabled(True)
        if not cancelled:
            QMessageBox.warning(self, "导出失败", message)
        self.finished_export.emit(None)


def open_export_dialog(parent: QWidget | None, db: Database, flt: MatterFilter | None = None) -> None:
    """导出台账: choose the year (or keep the given filter), then the file; the work runs in a worker."""
    ExportDialog(db, flt, parent).exec()


class _Waiting(QObject):
    """Carries the report from the worker, whose transaction stays open until the clerk decides."""

    report_ready = Signal(object, object)  # ParsedLedger, ImportReport


class ImportDialog(QDialog):
    """One ledger file: read it, map its unknown columns, preview every problem by row, then import at once.

    The preview is the import itself, run in a worker in one transaction that stays open
    (uncommitted, invisible to the rest of the program) while the clerk reads the problems:
    “导入” commits it, anything else (closing, a new column mapping) rolls it back. A large
    ledger is thus processed once, not once to preview and again to import.
    """

    previewed = Signal(object)  # ImportReport
    imported = Signal(object)  # ImportOutcome, committed
    failed = Signal(str)

    def __init__(self, db: Database, path: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"导入台账：{path.name}")
        self.resize(860, 560)
        self.db = db
        self.path = path
        self.mapping: dict[str, str] = {}
        self.renumber = False
        self.to_other = False  # 问题分类 not on our list filed under 其他 rather than added
        self.ledger: ParsedLedger | None = None
        self.report: ImportReport | None = None
        self.outcome: ImportOutcome | None = None
        self.job: Job | None = None
        self.progress: QProgressDialog | None = None
        self.waiting = _Waiting()
        self.waiting.report_ready.connect(self._previewed)
        self.decision = threading.Event()
        self.commit = False
        self.preview_again = False

        self.summary = QLabel("正在读取…")
        self.summary.setWordWrap(True)
        # a word-wrapped label above a stretching table is otherwise squeezed to one clipped line
        self.summary.setMinimumHeight(self.summary.fontMetrics().lineSpacing() * 4)
        self.summary.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.table = QTableWidget(0, 4)
        self.table.setHorizontalHeaderLabels(["工作表", "行号", "类别", "说明"])
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.horizontalHeader().setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.columns_text = QPlainTextEdit()
        self.columns_text.setReadOnly(True)
        self.tabs = QTabWidget()
        self.tabs.addTab(self.columns_text, "各列的读法")
        self.tabs.addTab(self.table, "逐行问题")
        self.map_button = QPushButton("列对应…")
        self.map_button.setEnabled(False)
        self.map_button.clicked.connect(self.edit_mapping)
        self.renumber_box = QCheckBox("编号已被另一件事项使用的行，以新编号导入（原编号记入备注）")
        self.renumber_box.setVisible(False)
        self.renumber_box.toggled.connect(self.set_renumber)
        self.other_box = QCheckBox("不在分类表中的问题分类不新增，按“其他”登记（原分类记入备注）")
        self.other_box.setVisible(False)
        self.other_box.toggled.connect(self.set_to_other)
        self.import_button = QPushButton("导入")
        self.import_button.setEnabled(False)
        self.import_button.clicked.connect(self.start_import)
        close = QPushButton("关闭")
        close.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addWidget(self.map_button)
        buttons.addStretch(1)
        buttons.addWidget(self.import_button)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.renumber_box)
        layout.addWidget(self.other_box)
        layout.addLayout(buttons)

    # the worker: read, check every row (writing nothing), wait for the clerk, then write batch by batch
    def start_preview(self) -> None:
        db, path, mapping, renumber, to_other = self.db, self.path, dict(self.mapping), self.renumber, self.to_other
        self.decision.clear()
        self.commit = False
        self.preview_again = False

        def wait_for_clerk(ledger: ParsedLedger, report: ImportReport) -> bool:
            self.waiting.report_ready.emit(ledger, report)
            self.decision.wait()
            return self.commit

        def work(progress: Callable[[int, int], None], cancelled: Callable[[], bool]) -> ImportOutcome:
            ledger = read_ledger_file(db, path, mapping=mapping)
            return import_ledger_file(db, path, ledger=ledger, progress=progress, cancelled=cancelled,
                                      confirm=lambda report: wait_for_clerk(ledger, report), renumber=renumber,
                                      new_categories=not to_other)

        self.import_button.setEnabled(False)
        self.map_button.setEnabled(False)
        self.summary.setText("正在读取并检查台账，尚未写入任何数据…")
        self.job = Job(work, name="ledger import")
        self.progress = run_with_progress(self, self.job, "正在检查台账（尚未写入）…", on_done=self._finished,
                                          on_failed=self._failed)

    def _previewed(self, ledger: ParsedLedger, report: ImportReport) -> None:
        if self.progress is not None and self.job is not None:
            # the worker now waits for the clerk, not the other way round: the clerk's cancel must
            # not reach the job, and the dialog must stop its own timer, or a check quicker than
            # its 300 ms would have it show itself afterwards, stuck at 100%
            self.progress.canceled.disconnect(self.job.cancel)
            self.progress.cancel()
        self.ledger, self.report = ledger, report
        self.map_button.setEnabled(True)
        self.show_report(report)
        self.show_columns(ledger)
        self.renumber_box.setVisible(bool(report.conflicts))
        self.renumber_box.setEnabled(True)
        self.other_box.setVisible(bool(report.new_categories) or self.to_other)
        self.other_box.setEnabled(True)
        self.import_button.setEnabled(report.imported > 0)
        self.previewed.emit(report)

    def show_columns(self, ledger: ParsedLedger) -> None:
        """How every column is read, guesses and columns set aside included; said in the summary when they matter."""
        self.columns_text.setPlainText("\n".join(describe(ledger, accept_hint=ACCEPT_HINT, map_hint=MAP_HINT)))
        columns = [c for sheet in ledger.sheets for c in sheet.columns]
        guessed = list(dict.fromkeys(c.header for c in columns if c.guess is not None and c.field is None))
        saved = list(dict.fromkeys(c.header for c in columns if c.how == BY_PROFILE))
        notes = []
        if guessed:
            notes.append(f"有{len(guessed)}列是按内容猜测的（{'、'.join(guessed)}），尚未采用，内容暂保留在备注；"
                         "请点“列对应…”核对，确定后才按猜测读取。")
        if saved:
            notes.append(f"{len(saved)}列按上次导入同样表头时保存的对应读取，见“各列的读法”。")
        unknown = [h for h in ledger.unrecognised if h not in guessed]
        if unknown and not guessed:
            notes.append(f"未识别的列：{'、'.join(unknown)}（内容将保留在备注中，可点“列对应…”指定）")
        if notes:
            self.summary.setText(self.summary.text() + "\n" + "\n".join(notes))
        # the clerk looks first where a decision is waiting
        self.tabs.setCurrentWidget(self.columns_text if guesses_pending(ledger) else self.table)
        self.tabs.setTabText(1, f"逐行问题（{self.table.rowCount()}）")

    def show_report(self, report: ImportReport) -> None:
        conflicts = (f"编号已被另一件事项使用{len(report.conflicts)}行（"
                     + ("将以新编号导入" if report.renumbered else "不导入，可勾选下方以新编号导入") + "），"
                     if report.conflicts else "")
        self.summary.setText(
            f"共读取{report.rows_read}行：可导入{report.imported}件，已导入过{report.duplicates}件（将跳过），"
            f"{conflicts}无法导入{len(report.skipped)}行，警告{len(report.warnings)}条。以下是逐行问题，确认后点“导入”。"
        )
        rows = [(s.sheet, s.row, "编号冲突", s.reason) for s in report.conflicts]
        rows += [(s.sheet, s.row, "无法导入", s.reason) for s in report.skipped]
        rows += [(w.sheet, w.row, "警告", w.text) for w in report.warnings]
        order = {sheet.name: i for i, sheet in enumerate(self.ledger.sheets)} if self.ledger else {}
        rows.sort(key=lambda r: (order.get(r[0], 0), r[1]))
        self.table.setRowCount(len(rows))
        for i, values in enumerate(rows):
            for j, value in enumerate(values):
                item = QTableWidgetItem(str(value))
                if j == 2 and value in ("无法导入", "编号冲突"):
                    item.setForeground(Qt.GlobalColor.red)
                self.table.setItem(i, j, item)

    def _release(self, commit: bool) -> None:
        self.commit = commit
        self.decision.set()

    def edit_mapping(self) -> None:
        if self.ledger is None:
            return
        dialog = MappingDialog.for_ledger(self.ledger, self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.set_mapping(dialog.mapping())

    def set_mapping(self, mapping: dict[str, str]) -> None:
        """Roll back the pending import and run it again with the clerk's column mapping."""
        self.mapping = mapping
        self.import_button.setEnabled(False)
        self.map_button.setEnabled(False)
        self.summary.setText("正在按新的列对应重新检查…")
        self.preview_again = True
        self._release(False)

    def set_renumber(self, on: bool) -> None:
        """Check again, with rows under another matter's 编号 taken in (or left out)."""
        if on == self.renumber:
            return
        self.renumber = on
        self.renumber_box.setEnabled(False)
        self.import_button.setEnabled(False)
        self.summary.setText("正在重新检查…")
        self.preview_again = True
        self._release(False)

    def set_to_other(self, on: bool) -> None:
        """Check again, with 问题分类 not on our list filed under 其他 (or added)."""
        if on == self.to_other:
            return
        self.to_other = on
        self.other_box.setEnabled(False)
        self.import_button.setEnabled(False)
        self.summary.setText("正在重新检查…")
        self.preview_again = True
        self._release(False)

    def start_import(self) -> None:
        self.import_button.setEnabled(False)
        self.map_button.setEnabled(False)
        self.summary.setText("正在保存…")
        self._release(True)

    def _finished(self, outcome: object) -> None:
        assert isinstance(outcome, ImportOutcome)
        if not outcome.committed:
            if self.preview_again:
                self.start_preview()
            return
        self.outcome = outcome
        report = outcome.report
        text = f"已导入{report.imported}件；已导入过{report.duplicates}件，未重复导入；无法导入{len(report.skipped)}行。"
        if report.conflicts:
            text += (f"\n编号已被另一件事项使用{len(report.conflicts)}行，"
                     + ("已按新编号导入（原编号记入备注）。" if report.renumbered else "未导入。"))
        if report.moved:
            text += f"\n导入期间编号被另一件事项占用{len(report.moved)}行，已按新编号导入（原编号记入备注）。"
        if outcome.error_workbook is not None:
            text += f"\n{outcome.listed}已列入：\n{outcome.error_workbook}"
        elif outcome.error_workbook_problem:
            text += f"\n{outcome.listed}的清单没有写成：{outcome.error_workbook_problem}\n请对照上表逐行处理。"
        self.summary.setText(text)
        self.imported.emit(outcome)
        QMessageBox.information(self, "导入台账", text)
        self.accept()

    def _failed(self, message: str, cancelled: bool) -> None:
        self.map_button.setEnabled(False)
        self.import_button.setEnabled(False)
        if cancelled:
            self.summary.setText("已取消，没有写入任何数据。")
        else:
            self.summary.setText(message)
            QMessageBox.warning(self, "导入台账", message)
        self.failed.emit(message)

    def done(self, result: int) -> None:  # QDialog override: however it closes, a pending import is rolled back
        if self.outcome is None:
            self.preview_again = False
            self._release(False)
        super().done(result)

    def wait_for_worker(self, timeout_ms: int = 30000) -> bool:
        """For tests and shutdown: the worker has let go of its transaction."""
        return wait_for_jobs(timeout_ms)


def open_import_dialog(parent: QWidget | None, db: Database) -> ImportOutcome | None:
    """导入台账: choose a workbook, check it (nothing written), then import it in one transaction."""
    name, _ = QFileDialog.getOpenFileName(parent, "导入台账", "", "Excel 台账 (*.xlsx *.xls *.xlsm *.xlsb *.ods);;所有文件 (*)")
    if not name:
        return None
    dialog = ImportDialog(db, Path(name), parent)
    dialog.start_preview()
    dialog.exec()
    return dialog.outcome
