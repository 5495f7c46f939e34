"""Table columns at a laptop's width: the short ones as wide as what they hold, the reading ones given the rest."""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtWidgets import QHeaderView, QTableWidget

MOST_CHARS = 14  # a short column (a 村, the 当事人) is cut, its tooltip whole, past this many characters


def fit_columns(table: QTableWidget, reading: Iterable[int]) -> None:
    """Size every column to its header and cells, at most MOST_CHARS wide; `reading` columns stretch.

    After each fill: Qt's stretched last column took what the reading column (简要情况) needed.
    For the small tables of a month (排查), not for the big lists, whose widths come from a sample row.
    """
    header = table.horizontalHeader()
    header.setStretchLastSection(False)
    stretched = set(reading)
    most = table.fontMetrics().horizontalAdvance("国") * MOST_CHARS
    for column in range(table.columnCount()):
        if column in stretched:
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Stretch)
            continue
        header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
        table.resizeColumnToContents(column)
        table.setColumnWidth(column, min(table.columnWidth(column), most))
