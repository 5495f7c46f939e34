"""每月汇总分析, a page of the 统计 tab: pick a month; its figures with 环比 and 同比, the hot issues, the matters
past due, the 排查 summary and the paragraph; written to Excel or PDF through services.monthly, as the CLI does."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QFont, QGuiApplication, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFileDialog,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QSizePolicy,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from xinfang_desktop.domain.monthly import FIGURE_HEADERS, PAST_DUE_HEADERS, figure_table
from xinfang_desktop.domain.tally import show_percent
from xinfang_desktop.services.monthly import MonthlyAnalysis, analysis, export_analysis, month_choices
from xinfang_desktop.ui.workers import Job, run_with_progress, start
from xinfang_desktop.wallclock import today

HOT_ROWS = 5  # leading 问题分类 and places shown; the workbook has them all
UP_COLOR = "#c0392b"
FILES = {"xlsx": ("导出Excel…", "Excel 工作簿 (*.xlsx)"), "pdf": ("导出PDF…", "PDF 文件 (*.pdf)")}


def _month_label(month: str) -> str:
    return f"{int(month[:4])}年{int(month[5:])}月"


def _analyse(db: Any, month: str) -> MonthlyAnalysis:
    # derive(): the tally keeps the days it counted without holding the write lock while it counts
    with db.derive() as session:
        return analysis(session, month=month)


def _table(headers: tuple[str, ...], stretch: int) -> QTableWidget:
    table = QTableWidget(0, len(headers))
    table.setHorizontalHeaderLabels(list(headers))
    table.verticalHeader().setVisible(False)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setAlternatingRowColors(True)
    header = table.horizontalHeader()
    for c in range(len(headers)):
        header.setSectionResizeMode(c, QHeaderView.ResizeMode.Stretch if c == stretch
                                    else QHeaderView.ResizeMode.ResizeToContents)
    return table


def _fill(table: QTableWidget, rows: list[tuple[str, ...]], centred_from: int) -> None:
    table.setRowCount(len(rows))
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            item = QTableWidgetItem(text)
            item.setToolTip(text)
            if c >= centred_from:
                item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
            table.setItem(r, c, item)
        table.setRowHeight(r, 22)


class MonthlyView(QWidget):
    """One month's 汇总分析, counted in a pool thread when the month is picked or the data change."""

    def __init__(self, runner: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.runner = runner
        self.db = runner.db
        self.current: MonthlyAnalysis | None = None
        self._busy = False
        self._again = False
        self._stale = True
        self._build()
        self.fill_months()

    def _build(self) -> None:
        self.month_box = QComboBox()
        self.month_box.setMinimumContentsLength(9)
        self.month_box.currentIndexChanged.connect(lambda *_: self.refresh())
        self.status_label = QLabel()
        self.status_label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.copy_button = QPushButton("复制基本情况")
        self.copy_button.clicked.connect(self.copy_summary)
        self.export_buttons: dict[str, QPushButton] = {}
        bar = QHBoxLayout()
        bar.addWidget(QLabel("月份："))
        bar.addWidget(self.month_box)
        bar.addWidget(self.status_label, 1)
        bar.addWidget(self.copy_button)
        for kind, (text, _filter) in FILES.items():
            button = QPushButton(text)
            button.clicked.connect(lambda _=False, k=kind: self.export(k))
            bar.addWidget(button)
            self.export_buttons[kind] = button

        self.figures = _table(FIGURE_HEADERS, 0)
        self.figures.setMinimumWidth(430)
        # a text box, not a label: the 村 not reported may be twenty names, and the box scrolls within its room
        self.screening_text = QPlainTextEdit()
        self.screening_text.setReadOnly(True)
        self.screening_text.setMinimumHeight(60)
        screening_box = QGroupBox("矛盾纠纷排查")
        QVBoxLayout(screening_box).addWidget(self.screening_text)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.figures)
        left_layout.addWidget(screening_box, 1)

        self.categories = _table(("问题分类", "件数", "占总量"), 0)
        self.places = _table(("问题发生地", "件数"), 0)
        self.flags_label = QLabel()
        hot_box = QGroupBox("热点问题")
        hot = QVBoxLayout(hot_box)
        lists = QHBoxLayout()
        lists.addWidget(self.categories)
        lists.addWidget(self.places)
        hot.addLayout(lists)
        hot.addWidget(self.flags_label)
        for table in (self.categories, self.places):
            table.setFixedHeight(26 + 22 * HOT_ROWS)

        self.past_due = _table(PAST_DUE_HEADERS, 1)
        self.past_due_box = QGroupBox("超期未办结")
        QVBoxLayout(self.past_due_box).addWidget(self.past_due)

        self.summary_box = QPlainTextEdit()
        self.summary_box.setReadOnly(True)
        self.summary_box.setMinimumHeight(70)
        self.summary_box.setMaximumHeight(110)
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(hot_box)
        right_layout.addWidget(self.past_due_box, 1)
        right_layout.addWidget(QLabel("基本情况（可直接粘贴到月度分析材料）"))
        right_layout.addWidget(self.summary_box)

        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(left)
        splitter.addWidget(right)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([480, 800])
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(splitter, 1)
        self._set_ready(False)

    def _set_ready(self, ready: bool) -> None:
        for button in (self.copy_button, *self.export_buttons.values()):
            button.setEnabled(ready)

    def fill_months(self) -> None:
        """From the first 登记日期 to this month, newest first; the month just ended chosen."""
        with self.db.read() as session:
            months, chosen = month_choices(session)
        keep = self.month_box.currentData()
        if [self.month_box.itemData(i) for i in range(self.month_box.count())] == months:
            return
        self.month_box.blockSignals(True)
        self.month_box.clear()
        for month in months:
            self.month_box.addItem(_month_label(month), month)
        index = self.month_box.findData(keep if keep in months else chosen)
        self.month_box.setCurrentIndex(max(0, index))
        self.month_box.blockSignals(False)

    def month(self) -> str:
        return str(self.month_box.currentData())

    def choose_month(self, month: str) -> None:
        index = self.month_box.findData(month)
        if index >= 0 and index != self.month_box.currentIndex():
            self.month_box.setCurrentIndex(index)
        else:
            self.refresh()

    # counting -------------------------------------------------------------------------------
    def showEvent(self, event: QShowEvent) -> None:  # Qt override: count what changed while hidden
        super().showEvent(event)
        if self._stale:
            self.refresh()

    def refresh(self) -> None:
        """Count the chosen month again (in a pool thread); a hidden page only notes that it is stale."""
        if not self.isVisible():
            self._stale = True
            return
        self._stale = False
        if self._busy:
            self._again = True
            return
        self.fill_months()
        month = self.month()
        self._busy = True
        self._set_ready(False)  # the files are written from what is shown: not while another month is counted
        self.status_label.setStyleSheet("")
        self.status_label.setText(f"正在统计{_month_label(month)}…")
        db = self.db
        job = Job(lambda _progress, _cancelled: _analyse(db, month), name="monthly",
                  bug_text="统计时程序内部出错，错误详情已记入日志文件，请告知维护人员。")
        job.signals.done.connect(self._show, Qt.ConnectionType.QueuedConnection)
        job.signals.failed.connect(self._failed, Qt.ConnectionType.QueuedConnection)
        start(job)

    def is_busy(self) -> bool:
        return self._busy

    def _finish(self) -> None:
        self._busy = False
        if self._again:
            self._again = False
            self.refresh()

    def _failed(self, message: str, _cancelled: bool = False) -> None:
        self.status_label.setText(f"统计未完成：{message}")
        self.status_label.setStyleSheet(f"color: {UP_COLOR}")
        self._finish()

    def _show(self, done: MonthlyAnalysis) -> None:
        self.current = done
        report, t = done.report, done.report.this
        self.status_label.setText(f"{report.label}：共{t.total}件次（超期截至{report.as_of_text}）")
        bold = QFont(self.figures.font())
        bold.setBold(True)
        rows = figure_table(report)
        _fill(self.figures, [tuple(str(v) for v in row) for row in rows], 1)
        for r in range(len(rows)):
            self.figures.item(r, 0).setText(("　" if rows[r][0].startswith("其中") else "") + rows[r][0])
            for c in (3, 5):
                if self.figures.item(r, c).text().startswith("上升"):
                    self.figures.item(r, c).setForeground(QColor(UP_COLOR))
        for c in range(len(FIGURE_HEADERS)):
            self.figures.item(0, c).setFont(bold)
        # every figure in sight without scrolling; the 排查 summary below takes the rest of the height
        self.figures.setFixedHeight(self.figures.horizontalHeader().sizeHint().height() + 22 * len(rows)
                                    + 2 * self.figures.frameWidth())
        _fill(self.categories, [(c.name, str(c.count), show_percent(c.share))
                                for c in report.categories if c.count][:HOT_ROWS], 1)
        _fill(self.places, [(p.name, str(p.count)) for p in report.places if p.count][:HOT_ROWS], 1)
        self.flags_label.setText(f"重复信访{t.repeat}件，越级信访{t.skip_level}件，集体访{t.collective_batches}批"
                                 f"{t.collective_persons}人次")
        self.past_due_box.setTitle(f"超期未办结（截至{report.as_of_text}，共{len(report.past_due)}件，超期最久的在前）")
        _fill(self.past_due, [(p.number, p.title, p.unit or "本机关", str(p.days))
                              for p in sorted(report.past_due, key=lambda p: -p.days)], 3)
        s = report.screening
        self.screening_text.setPlainText(
            f"应报{s.villages}个村（社区），已报{s.reported}个（零报告{s.zero}个）；排查出矛盾纠纷{s.disputes}件，"
            f"已化解{s.resolved}件，重大风险{s.major}件，引发信访{s.petitioned}件，超过化解期限{s.past_due}件。\n"
            "未上报：" + ("、".join(s.unreported) if s.unreported else "无"))
        self.summary_box.setPlainText(done.summary)
        self._set_ready(True)
        self._finish()

    # actions --------------------------------------------------------------------------------
    def copy_summary(self) -> None:
        if self.current is not None:
            QGuiApplication.clipboard().setText(self.current.summary)
            self.status_label.setText("基本情况已复制，可粘贴到Word")

    def export(self, kind: str) -> None:
        """The month as a workbook or a PDF, written in a pool thread (a progress dialog after a second)."""
        if self.current is None:
            return
        done = self.current
        text, file_filter = FILES[kind]
        name = f"{done.office}{done.report.label}信访情况汇总分析.{kind}"
        path, _ = QFileDialog.getSaveFileName(self, text.rstrip("…"), str(Path.home() / name), file_filter)
        if not path:
            return
        target = Path(path if path.lower().endswith(f".{kind}") else f"{path}.{kind}")
        issued_on = today()
        job = Job(lambda _progress, _cancelled: export_analysis(done, target=target, issued_on=issued_on),
                  name=f"monthly {kind}")
        self._set_ready(False)

        def written(_result: object) -> None:
            self._set_ready(True)
            self.status_label.setText(f"已保存：{target}")

        def failed(message: str, _cancelled: bool) -> None:
            self._set_ready(True)
            QMessageBox.warning(self, "无法导出", message)

        progress = run_with_progress(self, job, f"正在写出{done.report.label}汇总分析…", on_done=written,
                                     on_failed=failed)
        progress.setMinimumDuration(1000)  # a month's file takes about a second: no flash of a dialog
