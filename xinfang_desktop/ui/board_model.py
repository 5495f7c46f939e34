"""Table models of the 督办 board and the 交办 queue: frozen rows in, colours and sort keys out."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

from xinfang_desktop.domain.values import DecisionRow, SupervisionRow
from xinfang_desktop.services.supervision import (
    AWAITING_CLOSE,
    AWAITING_FOLLOW_UP,
    DUE_SOON,
    OVERDUE,
    deadline_state,
)

SORT_ROLE = Qt.ItemDataRole.UserRole + 1
ROW_ROLE = Qt.ItemDataRole.UserRole + 2  # the frozen row itself, for the actions

AMBER = QColor(255, 221, 128)  # 临期
RED = QColor(244, 150, 150)  # 超期
DARK_RED = QColor(150, 0, 0)

# rows on the board that carry no deadline of their own (the reply went out already)
UNTIMED_STATES = frozenset({AWAITING_FOLLOW_UP, AWAITING_CLOSE})

AnyIndex = QModelIndex | QPersistentModelIndex
R = TypeVar("R")


def days_text(days_left: int) -> str:
    if days_left < 0:
        return f"超期{-days_left}天"
    if days_left == 0:
        return "今日到期"
    return f"剩{days_left}天"


def short_date(day: date) -> str:
    return day.isoformat()


class _RowsModel(QAbstractTableModel, Generic[R]):
    """A read-only table over a list of frozen rows; `set_rows` resets it, `sort` sorts in place.

    The lists are bounded (open items, pending matters), so sorting them in Python is
    cheap and no QSortFilterProxyModel is needed.
    """

    HEADERS: tuple[str, ...] = ()

    def __init__(self, due_soon_days: int = 5, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[R] = []
        self.due_soon_days = due_soon_days
        self._sort: tuple[int, Qt.SortOrder] | None = None

    # helpers the views use -------------------------------------------------------------
    def set_rows(self, rows: Sequence[R], due_soon_days: int | None = None) -> None:
        self.beginResetModel()
        if due_soon_days is not None:
            self.due_soon_days = due_soon_days
        self._rows = list(rows)
        if self._sort is not None:
            self._sort_rows(*self._sort)
        self.endResetModel()

    def row_at(self, row: int) -> R:
        return self._rows[row]

    def rows(self) -> list[R]:
        return list(self._rows)

    # what each subclass says about a row -------------------------------------------------
    def _display(self, row: R, column: int) -> str:
        raise NotImplementedError

    def _sort_key(self, row: R, column: int) -> Any:
        return self._display(row, column)

    def _deadline(self, row: R) -> str | None:
        """超期 / 临期 / 正常 for the colours, None for rows without a deadline."""
        return None

    # Qt overrides ------------------------------------------------------------------------
    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: N802 - Qt override
        """Qt override: number of rows (0 under any parent: a flat table)."""
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: N802 - Qt override
        """Qt override: number of columns."""
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(  # noqa: N802 - Qt override
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        """Qt override: the Chinese column titles."""
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(self.HEADERS):
            return self.HEADERS[section]
        if orientation == Qt.Orientation.Vertical:
            return str(section + 1)
        return None

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        """Qt override: text, colours, sort keys and the row itself."""
        if role not in (
            Qt.ItemDataRole.DisplayRole,
            Qt.ItemDataRole.ToolTipRole,
            Qt.ItemDataRole.BackgroundRole,
            Qt.ItemDataRole.ForegroundRole,
            SORT_ROLE,
            ROW_ROLE,
        ):
            return None
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = self._rows[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole or role == Qt.ItemDataRole.ToolTipRole:
            return self._display(row, column)
        if role == SORT_ROLE:
            return self._sort_key(row, column)
        if role == ROW_ROLE:
            return row
        state = self._deadline(row)
        if role == Qt.ItemDataRole.BackgroundRole:
            if state == OVERDUE:
                return QBrush(RED)
            if state == DUE_SOON:
                return QBrush(AMBER)
            return None
        if role == Qt.ItemDataRole.ForegroundRole and state == OVERDUE:
            return QBrush(DARK_RED)
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Qt override: sort the rows by the column's sort key."""
        if not 0 <= column < len(self.HEADERS):
            return
        self.layoutAboutToBeChanged.emit()
        self._sort = (column, order)
        self._sort_rows(column, order)
        self.layoutChanged.emit()

    def _sort_rows(self, column: int, order: Qt.SortOrder) -> None:
        key: Callable[[R], Any] = lambda r: self._sort_key(r, column)  # noqa: E731
        self._rows.sort(key=key, reverse=order == Qt.SortOrder.DescendingOrder)


class BoardModel(_RowsModel[SupervisionRow]):
    """The 督办 board: one row per open transfer or matter deadline."""

    COL_NUMBER, COL_TITLE, COL_UNIT, COL_DUE, COL_DAYS, COL_DEADLINE, COL_STATE, COL_FLAGS, COL_REMINDERS = range(9)
    HEADERS = ("编号", "标题", "承办单位", "办理期限", "剩余天数", "期限状态", "办理状态", "标记", "催办")

    def deadline_of(self, row: SupervisionRow) -> str | None:
        if row.state in UNTIMED_STATES:
            return None
        return deadline_state(row.days_left, self.due_soon_days)

    def _deadline(self, row: SupervisionRow) -> str | None:
        return self.deadline_of(row)

    def _display(self, row: SupervisionRow, column: int) -> str:
        if column == self.COL_NUMBER:
            return row.number
        if column == self.COL_TITLE:
            return row.title
        if column == self.COL_UNIT:
            return row.unit
        if column == self.COL_DUE:
            return short_date(row.due_on)
        if column == self.COL_DAYS:
            if row.state in UNTIMED_STATES:
                return f"答复后{-row.days_left}天"
            return days_text(row.days_left)
        if column == self.COL_DEADLINE:
            return self.deadline_of(row) or ""
        if column == self.COL_STATE:
            return row.state
        if column == self.COL_FLAGS:
            return " ".join(f for f, on in (("重点督办", row.key_supervision), ("已延期", row.extended)) if on)
        if column == self.COL_REMINDERS:
            return str(row.reminders) if row.reminders else ""
        return ""

    def _sort_key(self, row: SupervisionRow, column: int) -> Any:
        if column in (self.COL_DUE, self.COL_DAYS, self.COL_DEADLINE):
            return (row.days_left, row.number)
        if column == self.COL_REMINDERS:
            return (row.reminders, row.number)
        if column == self.COL_FLAGS:
            return (not row.key_supervision, not row.extended, row.days_left)
        return (self._display(row, column), row.days_left)


class DecisionQueueModel(_RowsModel[DecisionRow]):
    """The 交办 queue: matters awaiting their 受理决定, with the days left of the 15."""

    (COL_NUMBER, COL_RECEIVED, COL_CHANNEL, COL_PETITIONERS, COL_TITLE, COL_DAYS, COL_PROPOSAL,
     COL_INSTRUCTION) = range(8)
    HEADERS = ("编号", "登记日期", "信访形式", "信访人", "标题", "告知期限", "拟办意见", "领导批示")

    def _deadline(self, row: DecisionRow) -> str | None:
        return deadline_state(row.days_left, self.due_soon_days)

    def _display(self, row: DecisionRow, column: int) -> str:
        if column == self.COL_NUMBER:
            return row.number
        if column == self.COL_RECEIVED:
            return short_date(row.received_on)
        if column == self.COL_CHANNEL:
            return row.channel.value
        if column == self.COL_PETITIONERS:
            return row.petitioners
        if column == self.COL_TITLE:
            return ("【重点】" if row.key_supervision else "") + row.title
        if column == self.COL_DAYS:
            return days_text(row.days_left)
        if column == self.COL_PROPOSAL:
            return row.proposal
        if column == self.COL_INSTRUCTION:
            return row.instruction
        return ""

    def _sort_key(self, row: DecisionRow, column: int) -> Any:
        if column in (self.COL_RECEIVED, self.COL_DAYS):
            return (row.received_on, row.matter_id)
        return (self._display(row, column), row.received_on)
