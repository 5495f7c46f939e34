"""The 统计 tab's bar charts: their look, value axes in four whole steps, labels never elided, the full
names told on hover."""

from __future__ import annotations

import math
from typing import Any

from PySide6.QtCharts import QBarCategoryAxis, QBarSet, QChart, QChartView, QValueAxis
from PySide6.QtCore import QMargins, QRectF, Qt
from PySide6.QtGui import QColor, QCursor, QFont, QFontMetricsF, QGuiApplication, QPainter
from PySide6.QtWidgets import QToolTip

LABEL_CHARS = 8  # a category axis label longer than this is abbreviated, the full name in the tooltip
# horizontal bar charts elide every label once a bar band is lower than the text: keep few bars
TOP_CATEGORIES = 6
TOP_UNITS = 6
THIS_COLOR = QColor("#c0392b")  # the red of a 公文
LAST_COLOR = QColor("#95a5a6")
CLOSED_COLOR = QColor("#2e86c1")


def make_chart(title: str) -> tuple[QChart, QChartView]:
    chart = QChart()
    chart.setTitle(title)
    font = QFont(QGuiApplication.font())
    font.setPointSizeF(font.pointSizeF() + 1)
    font.setBold(True)
    chart.setTitleFont(font)
    chart.legend().setAlignment(Qt.AlignmentFlag.AlignBottom)
    chart.setAnimationOptions(QChart.AnimationOption.NoAnimation)
    chart.setMargins(QMargins(4, 4, 4, 4))
    view = QChartView(chart)
    view.setRenderHint(QPainter.RenderHint.Antialiasing)
    view.setMinimumHeight(200)
    return chart, view


def room_for_labels(chart: QChart, view: QChartView) -> None:
    """Keep a horizontal bar chart tall enough for all its names.

    Qt hides every category label that would overlap the one above it (at 1366×728 four of the six
    承办单位 were gone): the view's minimum height follows the number of names, and the charts scroll
    when the window is lower than they need.
    """
    least = view.minimumHeight()

    def adjust(plot: QRectF) -> None:
        names = [a for a in chart.axes(Qt.Orientation.Vertical) if isinstance(a, QBarCategoryAxis)]
        if not names:
            return
        axis = names[0]
        # the title, the legend and the value axis take the same height whatever the view's
        around = view.height() - plot.height()
        # a label is the font's height and 3 pixels (the 17 of a 9-point label), one more between two
        need = math.ceil(around + axis.count() * (math.ceil(QFontMetricsF(axis.labelsFont()).height()) + 4) + 2)
        if view.minimumHeight() != max(least, need):
            view.setMinimumHeight(max(least, need))

    chart.plotAreaChanged.connect(adjust)


def small_font() -> QFont:
    font = QFont(QGuiApplication.font())
    font.setPointSizeF(max(7.5, font.pointSizeF() - 1.5))
    return font


def bar_set(name: str, values: list[float], color: QColor) -> QBarSet:
    bars = QBarSet(name)
    bars.append(values)
    bars.setColor(color)
    bars.setBorderColor(color)
    # value labels are drawn in the set's label colour, white by default: invisible outside the bar
    bars.setLabelColor(QColor("#222222"))
    bars.setLabelFont(small_font())
    return bars


def short_label(name: str) -> str:
    return name if len(name) <= LABEL_CHARS else name[: LABEL_CHARS - 1] + "…"


def tell_on_hover(series: Any, names: list[str]) -> None:
    """The full name and the figure of the bar under the mouse, as a tooltip."""

    def hovered(status: bool, index: int, bars: QBarSet) -> None:
        if status and 0 <= index < len(names):
            QToolTip.showText(QCursor.pos(), f"{names[index]}　{bars.label()}：{int(bars.at(index))}")
        else:
            QToolTip.hideText()

    series.hovered.connect(hovered)


def clear_chart(chart: QChart) -> None:
    chart.removeAllSeries()
    for axis in chart.axes():
        chart.removeAxis(axis)


def value_axis(chart: QChart, top: int, alignment: Qt.AlignmentFlag, series: Any) -> None:
    axis = QValueAxis()
    axis.setLabelFormat("%d")
    # at most four whole steps, room left for the value printed past the longest bar; Qt's
    # applyNiceNumbers made six ticks of 0..5 on an empty database, too many for the month chart's height
    steps, step = value_steps(top)
    axis.setRange(0, steps * step)
    axis.setTickCount(steps + 1)
    axis.setLabelsFont(small_font())
    # its numbers are short, yet Qt elided them all to "…" on an empty database (0 to 5)
    axis.setTruncateLabels(False)
    chart.addAxis(axis, alignment)
    series.attachAxis(axis)


def value_steps(top: int) -> tuple[int, int]:
    """(steps, step) of a value axis from 0 past `top` (by an eighth, for the printed value): at most
    four steps of 1, 2 or 5 times a power of ten; 0 to 4 when there is nothing."""
    room = max(4.0, top * 1.12)
    power = 1
    while True:
        for step in (power, 2 * power, 5 * power):
            if room / step <= 4:
                return math.ceil(room / step), step
        power *= 10


def category_axis(chart: QChart, labels: list[str], alignment: Qt.AlignmentFlag, series: Any) -> None:
    axis = QBarCategoryAxis()
    axis.append(labels)
    axis.setLabelsFont(small_font())
    # Qt elides a label to "…" once the axis has less room than it wants (every label at 1366 wide):
    # the chart gives the names their width instead, and long ones come abbreviated (short_label)
    axis.setTruncateLabels(False)
    chart.addAxis(axis, alignment)
    series.attachAxis(axis)
