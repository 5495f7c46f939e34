"""The 统计 tab: a year or a range, the figures with 同比, charts, the 基本情况 paragraph, and the exports; and
beside it, the 每月汇总分析 page (monthly_view)."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCharts import (
    QBarSeries,
    QHorizontalBarSeries,
)
from PySide6.QtCore import QDate, Qt
from PySide6.QtGui import QColor, QFont, QGuiApplication, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFileDialog,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from xinfang_desktop import wallclock
from xinfang_desktop.domain.errors import XinfangError
from xinfang_desktop.domain.tally import Tally
from xinfang_desktop.domain.tally_text import figure_rows, period_label, summary_text
from xinfang_desktop.domain.values import MatterFilter
from xinfang_desktop.services.settings import get_setting
from xinfang_desktop.services.statistics import tally, year_range, years_with_matters
from xinfang_desktop.ui.date_edit import DateEdit
from xinfang_desktop.ui.stats.charts import (
    CLOSED_COLOR,
    LABEL_CHARS,
    LAST_COLOR,
    THIS_COLOR,
    TOP_CATEGORIES,
    TOP_UNITS,
    bar_set,
    category_axis,
    clear_chart,
    make_chart,
    room_for_labels,
    short_label,
    tell_on_hover,
    value_axis,
)
from xinfang_desktop.ui.stats.monthly_view import MonthlyView
from xinfang_desktop.ui.workers import Job, start
from xinfang_desktop.wallclock import today

CUSTOM = "自定义期间"
COLUMNS = ("项目", "本期", "去年同期", "同比", "占总量")


def _count(db: Any, date_from: date, date_to: date) -> tuple[Tally, str, str]:
    # derive(): the days the tally counted are kept (tally_days, derived data: no timeline
    # event, no data_changed) without holding the write lock while it counts
    with db.derive() as session:
        result = tally(session, date_from=date_from, date_to=date_to)
        office = str(get_setting(session, "office_name"))
    return result, summary_text(result), office


class StatsTab(QWidget):
    """统计: pick a year or a range; figures, charts and the summary come from one tally. The second page,
    每月汇总分析, is `monthly` (MonthlyView)."""

    def __init__(self, runner: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.runner = runner
        self.db = runner.db
        self.current: Tally | None = None
        self.summary = ""
        self.office_name = ""
        self._busy = False
        self._again = False
        self._stale = True
        self._years: list[int] = []
        self._build()
        # the main window calls refresh() on every data_changed; a hidden tab only notes it
        self.fill_years()

    # building -------------------------------------------------------------------------------
    def _build(self) -> None:
        self.year_box = QComboBox()
        self.year_box.setMinimumContentsLength(10)
        self.date_from = DateEdit()
        self.date_to = DateEdit()
        self.count_button = QPushButton("统计")
        self.status_label = QLabel()
        # the period said in full may be wider than a 1280 screen leaves: it gives way (full text in the tooltip)
        self.status_label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.status_label.setMinimumWidth(120)
        self.copy_button = QPushButton("复制基本情况")
        self.tally_button = QPushButton("导出统计表…")
        self.ledger_button = QPushButton("导出台账…")
        self.year_box.currentIndexChanged.connect(self._year_chosen)
        self.count_button.clicked.connect(self.refresh)
        self.copy_button.clicked.connect(self.copy_summary)
        self.tally_button.clicked.connect(self.export_tally)
        self.ledger_button.clicked.connect(self.export_ledger)

        bar = QHBoxLayout()
        bar.addWidget(QLabel("年度："))
        bar.addWidget(self.year_box)
        bar.addWidget(QLabel("登记日期从"))
        bar.addWidget(self.date_from)
        bar.addWidget(QLabel("至"))
        bar.addWidget(self.date_to)
        bar.addWidget(self.count_button)
        bar.addWidget(self.status_label, 1)
        bar.addWidget(self.tally_button)
        bar.addWidget(self.ledger_button)

        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setHorizontalHeaderLabels(list(COLUMNS))
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setAlternatingRowColors(True)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for col, width in ((1, 64), (2, 72), (3, 124), (4, 64)):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.Fixed)
            self.table.setColumnWidth(col, width)
        self.table.setMinimumWidth(400)

        self.month_chart, self.month_view = make_chart("月度趋势（件次，与去年同期对比）")
        self.category_chart, self.category_view = make_chart("问题分类（一级，件）")
        self.unit_chart, self.unit_view = make_chart("承办单位（交办与按期，件次）")
        self.category_chart.legend().setVisible(False)
        # at 1366×728 the three charts share about 390 pixels: the month bars need less than the two lists of
        # names below them, and the 承办单位 legend under the title stays in sight when the names scroll
        self.month_view.setMinimumHeight(150)
        self.month_chart.legend().setAlignment(Qt.AlignmentFlag.AlignRight)  # the chart is wide, not tall
        self.unit_chart.legend().setAlignment(Qt.AlignmentFlag.AlignTop)
        room_for_labels(self.category_chart, self.category_view)
        room_for_labels(self.unit_chart, self.unit_view)

        self.summary_box = QPlainTextEdit()
        self.summary_box.setReadOnly(True)
        # five lines: the rest of the height goes to the charts, whose names need it (room_for_labels)
        self.summary_box.setMinimumHeight(72)
        self.summary_box.setMaximumHeight(112)
        summary_head = QHBoxLayout()
        summary_head.addWidget(QLabel("基本情况（可直接粘贴到年度总结）"))
        summary_head.addStretch(1)
        summary_head.addWidget(self.copy_button)

        charts = QWidget()
        grid = QGridLayout(charts)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.addWidget(self.month_view, 0, 0, 1, 2)
        grid.addWidget(self.category_view, 1, 0)
        grid.addWidget(self.unit_view, 1, 1)
        grid.setRowStretch(0, 1)
        grid.setRowStretch(1, 2)
        self.charts_area = QScrollArea()
        self.charts_area.setWidget(charts)
        self.charts_area.setWidgetResizable(True)
        self.charts_area.setFrameShape(QFrame.Shape.NoFrame)
        self.charts_area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(self.charts_area, 1)
        right_layout.addLayout(summary_head)
        right_layout.addWidget(self.summary_box)

        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(self.table)
        splitter.addWidget(right)
        splitter.setStretchFactor(0, 0)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([480, 800])

        self.year_page = QWidget()
        year_layout = QVBoxLayout(self.year_page)
        year_layout.setContentsMargins(4, 4, 4, 4)
        year_layout.addLayout(bar)
        year_layout.addWidget(splitter, 1)
        self.monthly = MonthlyView(self.runner)
        self.pages = QTabWidget()
        self.pages.setDocumentMode(True)
        self.pages.addTab(self.year_page, "年度与期间统计")
        self.pages.addTab(self.monthly, "每月汇总分析")
        # a page brought into sight counts what changed while it was hidden (MonthlyView: its own showEvent)
        self.pages.currentChanged.connect(lambda index: self.refresh() if index == 0 and self._stale else None)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.pages)

    def fill_years(self) -> None:
        """Years with matters, newest first, and 自定义期间; the current year when the database is empty."""
        with self.db.read() as session:
            years = years_with_matters(session)
        years = years or [wallclock.today().year]
        if years == self._years:
            return
        self._years = years
        keep = self.year_box.currentText()
        self.year_box.blockSignals(True)
        self.year_box.clear()
        for year in years:
            self.year_box.addItem(f"{year}年", year)
        self.year_box.addItem(CUSTOM, None)
        index = self.year_box.findText(keep) if keep else -1
        self.year_box.setCurrentIndex(index if index >= 0 else 0)
        self.year_box.blockSignals(False)
        self._year_chosen(count=False)

    def _year_chosen(self, *_: object, count: bool = True) -> None:
        year = self.year_box.currentData()
        custom = year is None
        self.date_from.setEnabled(custom)
        self.date_to.setEnabled(custom)
        if not custom:
            first, last = year_range(int(year))
            # a year still running counts to today, so that 去年同期 is the same months and days
            last = min(last, max(first, today()))
            self.date_from.setDate(QDate(first.year, first.month, first.day))
            self.date_to.setDate(QDate(last.year, last.month, last.day))
            if count:
                self.refresh()

    def choose_year(self, year: int) -> None:
        index = self.year_box.findData(year)
        if index >= 0:
            self.year_box.setCurrentIndex(index)

    def choose_range(self, date_from: date, date_to: date) -> None:
        self.year_box.setCurrentIndex(self.year_box.findText(CUSTOM))
        self.date_from.setDate(QDate(date_from.year, date_from.month, date_from.day))
        self.date_to.setDate(QDate(date_to.year, date_to.month, date_to.day))
        self.refresh()

    def period(self) -> tuple[date, date]:
        return self.date_from.date().toPython(), self.date_to.date().toPython()  # type: ignore[return-value]

    # counting -------------------------------------------------------------------------------
    def showEvent(self, event: QShowEvent) -> None:  # Qt override: count what changed while hidden
        super().showEvent(event)
        if self._stale:
            self.refresh()

    def refresh(self) -> None:
        """Count again for the chosen period (in a pool thread); called on every data_changed.

        A hidden tab only remembers that it is stale: a million-matter count is not done
        for a tab nobody looks at. The same for each of its two pages.
        """
        self.monthly.refresh()
        if not self.year_page.isVisible():
            self._stale = True
            return
        self._stale = False
        self.fill_years()
        if self._busy:
            self._again = True  # one more round when the running one ends
            return
        date_from, date_to = self.period()
        self._busy = True
        self.status_label.setStyleSheet("")
        self.status_label.setText("正在统计…")
        self.count_button.setEnabled(False)
        # counted in a pool thread with its own session: a million matters must not freeze the window
        db = self.db
        job = Job(lambda _progress, _cancelled: _count(db, date_from, date_to), name="tally",
                  bug_text="统计时程序内部出错，错误详情已记入日志文件，请告知维护人员。")
        job.signals.done.connect(self._show, Qt.ConnectionType.QueuedConnection)
        job.signals.failed.connect(self._failed, Qt.ConnectionType.QueuedConnection)
        start(job)

    def is_busy(self) -> bool:
        """Counting, on either page."""
        return self._busy or self.monthly.is_busy()

    def _finish(self) -> None:
        self._busy = False
        self.count_button.setEnabled(True)
        if self._again:
            self._again = False
            self.refresh()

    def _failed(self, message: str, _cancelled: bool = False) -> None:
        # said in the tab rather than in a modal box: a refresh may fail while the clerk works elsewhere
        self.status_label.setText(f"统计未完成：{message}")
        self.status_label.setStyleSheet("color: #c0392b")
        self._finish()

    def _show(self, counted: tuple[Tally, str, str]) -> None:
        result, summary, office = counted
        self.current, self.summary, self.office_name = result, summary, office
        # short enough for the bar at 1280 wide: the period is in the date boxes, both in full in the tooltip
        self.status_label.setText(f"共{result.this.total}件次，去年同期{result.last.total}件次")
        self.status_label.setToolTip(
            f"{period_label(result.date_from, result.date_to)}：共{result.this.total}件次；"
            f"{period_label(result.last_from, result.last_to)}：共{result.last.total}件次"
        )
        self._fill_table(result)
        self._fill_month_chart(result)
        self._fill_category_chart(result)
        self._fill_unit_chart(result)
        self.summary_box.setPlainText(summary)
        self._finish()

    def _fill_table(self, result: Tally) -> None:
        rows = figure_rows(result)
        self.table.setRowCount(len(rows))
        bold = QFont(self.table.font())
        bold.setBold(True)
        for r, fr in enumerate(rows):
            for c, text in enumerate(("　" * fr.indent + fr.label, fr.show(fr.this), fr.show(fr.last), fr.yoy,
                                      fr.share)):
                item = QTableWidgetItem(text)
                if c:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
                if fr.indent == 0 and (fr.is_rate or fr.label.startswith("总量")):
                    item.setFont(bold)
                if c == 3 and text.startswith("上升"):
                    item.setForeground(THIS_COLOR)
                self.table.setItem(r, c, item)
            self.table.setRowHeight(r, 24)

    def _fill_month_chart(self, result: Tally) -> None:
        chart = self.month_chart
        clear_chart(chart)
        one_year = result.date_from.year == result.date_to.year
        labels = [f"{int(m[5:])}月" if one_year else f"{m[2:4]}.{int(m[5:])}" for m, _ in result.by_month]
        last = bar_set(period_label(result.last_from, result.last_to), [float(n) for _, n in result.last_by_month],
                        LAST_COLOR)
        this = bar_set(period_label(result.date_from, result.date_to), [float(n) for _, n in result.by_month],
                        THIS_COLOR)
        series = QBarSeries()
        series.append(last)
        series.append(this)
        # this year's values only: two labels per month would overlap
        this.setLabelColor(QColor("#222222"))
        last.setLabelColor(QColor(0, 0, 0, 0))
        series.setLabelsVisible(len(labels) <= 12)
        series.setLabelsPosition(QBarSeries.LabelsPosition.LabelsOutsideEnd)
        chart.addSeries(series)
        category_axis(chart, labels, Qt.AlignmentFlag.AlignBottom, series)
        top = max([n for _, n in result.by_month] + [n for _, n in result.last_by_month], default=0)
        value_axis(chart, top, Qt.AlignmentFlag.AlignLeft, series)

    def _fill_category_chart(self, result: Tally) -> None:
        chart = self.category_chart
        clear_chart(chart)
        top = [c for c in result.by_category if c.count][:TOP_CATEGORIES]
        rest = sum(c.count for c in result.by_category[TOP_CATEGORIES:])
        names = [c.first for c in top] + (["其余各类"] if rest else [])
        counts = [c.count for c in top] + ([rest] if rest else [])
        # a horizontal chart draws its first category at the bottom: reverse so the largest is on top
        bars = bar_set("件数", [float(n) for n in reversed(counts)], THIS_COLOR)
        series = QHorizontalBarSeries()
        series.append(bars)
        series.setLabelsVisible(True)
        series.setLabelsPosition(QHorizontalBarSeries.LabelsPosition.LabelsOutsideEnd)
        chart.addSeries(series)
        shown = list(reversed(names))
        category_axis(chart, [short_label(n) for n in shown] or [""], Qt.AlignmentFlag.AlignLeft, series)
        tell_on_hover(series, shown)
        value_axis(chart, max(counts, default=0), Qt.AlignmentFlag.AlignBottom, series)

    def _fill_unit_chart(self, result: Tally) -> None:
        chart = self.unit_chart
        clear_chart(chart)
        units = list(result.by_unit[:TOP_UNITS])
        assigned = bar_set("交办", [float(u.assigned) for u in reversed(units)], LAST_COLOR)
        on_time = bar_set("按期报结", [float(u.on_time) for u in reversed(units)], CLOSED_COLOR)
        series = QHorizontalBarSeries()
        series.append(assigned)
        series.append(on_time)
        chart.addSeries(series)
        names = [u.unit for u in reversed(units)]
        category_axis(chart, [short_label(n.removesuffix("人民政府") if len(n) > LABEL_CHARS else n) for n in names]
                       or [""], Qt.AlignmentFlag.AlignLeft, series)
        tell_on_hover(series, names)
        value_axis(chart, max((u.assigned for u in units), default=0), Qt.AlignmentFlag.AlignBottom, series)

    # actions --------------------------------------------------------------------------------
    def copy_summary(self) -> None:
        QGuiApplication.clipboard().setText(self.summary)
        self.status_label.setText("基本情况已复制，可粘贴到Word")

    def export_tally(self) -> None:
        if self.current is None:
            return
        from xinfang_desktop.exporters.tally_xlsx import write_tally

        name = f"{period_label(self.current.date_from, self.current.date_to)}信访工作统计表.xlsx"
        path, _ = QFileDialog.getSaveFileName(self, "导出统计表", str(Path.home() / name), "Excel 工作簿 (*.xlsx)")
        if not path:
            return
        if not path.lower().endswith(".xlsx"):
            path += ".xlsx"
        try:
            write_tally(Path(path), self.current, office_name=self.office_name, summary=self.summary)
        except XinfangError as exc:
            QMessageBox.warning(self, "无法导出", exc.message)
            return
        self.status_label.setText(f"统计表已保存：{Path(path).name}")
        self.status_label.setToolTip(path)

    def ledger_filter(self) -> MatterFilter:
        date_from, date_to = self.period()
        return MatterFilter(date_from=date_from, date_to=date_to, include_voided=False)

    def export_ledger(self) -> None:
        """The ledger of the same period, through the ledger export dialog of ui/ledger/ledger_dialogs.py."""
        try:
            from xinfang_desktop.ui.ledger.ledger_dialogs import open_export_dialog
        except ImportError:
            QMessageBox.information(self, "导出台账", "导出台账功能尚未安装。")
            return
        open_export_dialog(self, self.db, flt=self.ledger_filter())
