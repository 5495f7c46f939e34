"""Table models of the 督办 board and the 交办 queue: frozen rows in, colours and sort keys out."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from datetime import date
from operator import itemgetter
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QAbstractTableModel, QCollator, QLocale, QModelIndex, QPersistentModelIndex, Qt

from xinfang_desktop.domain.clock import DUE_SOON, NORMAL, OVERDUE, deadline_state
from xinfang_desktop.domain.values import BoardKey, DecisionRow, SupervisionRow
from xinfang_desktop.services.supervision import AWAITING_CLOSE, AWAITING_FOLLOW_UP, AWAITING_VERIFICATION, days_text
from xinfang_desktop.ui.palette import BACKGROUNDS, OVERDUE_FOREGROUND

SORT_ROLE = Qt.ItemDataRole.UserRole + 1
ROW_ROLE = Qt.ItemDataRole.UserRole + 2  # the frozen row itself, for the actions

# rows on the board that carry no deadline of their own (the reply went out already)
UNTIMED_STATES = frozenset({AWAITING_FOLLOW_UP, AWAITING_CLOSE, AWAITING_VERIFICATION})

AnyIndex = QModelIndex | QPersistentModelIndex
R = TypeVar("R")


def short_date(day: date) -> str:
    return day.isoformat()


class _TableBase(QAbstractTableModel):
    """The read-only Qt side both tables share: headers, roles, deadline colours.

    Subclasses say how many rows there are and what a row shows, sorts by and is.
    """

    HEADERS: tuple[str, ...] = ()

    def _count(self) -> int:
        raise NotImplementedError

    def _display_at(self, row: int, column: int) -> str:
        raise NotImplementedError

    def _sort_key_at(self, row: int, column: int) -> Any:
        raise NotImplementedError

    def _object_at(self, row: int) -> Any:
        raise NotImplementedError

    def _deadline_at(self, row: int) -> str | None:
        """超期 / 临期 / 正常 for the colours, None for rows without a deadline."""
        return None

    # Qt overrides ------------------------------------------------------------------------
    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: N802 - Qt override
        """Qt override: number of rows (0 under any parent: a flat table)."""
        return 0 if parent.isValid() else self._count()

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
        if not index.isValid() or not 0 <= index.row() < self._count():
            return None
        row, column = index.row(), index.column()
        if role == Qt.ItemDataRole.DisplayRole or role == Qt.ItemDataRole.ToolTipRole:
            return self._display_at(row, column)
        if role == SORT_ROLE:
            return self._sort_key_at(row, column)
        if role == ROW_ROLE:
            return self._object_at(row)
        state = self._deadline_at(row)
        if role == Qt.ItemDataRole.BackgroundRole:
            return BACKGROUNDS.get(state) if state else None
        if role == Qt.ItemDataRole.ForegroundRole and state == OVERDUE:
            return OVERDUE_FOREGROUND
        return None


class _RowsModel(_TableBase, Generic[R]):
    """A read-only table over a list of frozen rows; `set_rows` resets it, `sort` sorts in place.

    The lists are bounded (open items, pending matters), so sorting them in Python is
    cheap and no QSortFilterProxyModel is needed.
    """

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

    def _count(self) -> int:
        return len(self._rows)

    def _display_at(self, row: int, column: int) -> str:
        return self._display(self._rows[row], column)

    def _sort_key_at(self, row: int, column: int) -> Any:
        return self._sort_key(self._rows[row], column)

    def _object_at(self, row: int) -> Any:
        return self._rows[row]

    def _deadline_at(self, row: int) -> str | None:
        return self._deadline(self._rows[row])

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


class BoardModel(_TableBase):
    """The 督办 board: one row per open transfer or matter deadline, a window over the board keys.

    The model holds every key (dates, states, units: enough for colours, counts, sorting and
    the deadline filters) and reads number, title and flags for a block of rows only when
    the view paints them, through `loader` (services.supervision.board_details in a read session).
    """

    (COL_NUMBER, COL_TITLE, COL_UNIT, COL_DUE, COL_DAYS, COL_DEADLINE, COL_STATE, COL_FLAGS, COL_REMINDERS,
     COL_LEADER) = range(10)
    HEADERS = ("编号", "标题", "承办单位", "办理期限", "剩余天数", "期限状态", "办理状态", "标记", "催办", "包案领导")
    BLOCK = 200
    _FULL_ROW_COLUMNS = frozenset({COL_NUMBER, COL_TITLE, COL_FLAGS, COL_LEADER})

    def __init__(
        self,
        loader: Callable[[list[BoardKey]], list[SupervisionRow]] | None = None,
        due_soon_days: int = 5,
        parent: Any = None,
    ) -> None:
        super().__init__(parent)
        self.loader = loader
        self.due_soon_days = due_soon_days
        self._keys: list[BoardKey] = []
        self._cache: dict[BoardKey, SupervisionRow] = {}  # by key, so sorting keeps it
        self._sort: tuple[int, Qt.SortOrder] | None = None

    # filling ------------------------------------------------------------------------------
    def set_keys(self, keys: Sequence[BoardKey], due_soon_days: int | None = None,
                 rows: Sequence[SupervisionRow] = ()) -> None:
        """Show these keys; rows are read in blocks as they are painted (`rows`: those already read)."""
        self.beginResetModel()
        if due_soon_days is not None:
            self.due_soon_days = due_soon_days
        self._keys = list(keys)
        self._cache = dict(zip(self._keys, rows, strict=True)) if rows else {}
        if self._sort is not None:
            self._sort_keys(*self._sort)
        self.endResetModel()

    def set_rows(self, rows: Sequence[SupervisionRow], due_soon_days: int | None = None) -> None:
        """Show rows already read in full (the short 待回访 and 待办结 lists, tests)."""
        self.set_keys([key_of(r) for r in rows], due_soon_days, rows)

    # reading ------------------------------------------------------------------------------
    def key_at(self, row: int) -> BoardKey:
        return self._keys[row]

    def keys(self) -> list[BoardKey]:
        return list(self._keys)

    def row_at(self, row: int) -> SupervisionRow:
        """The full row, reading its block when not yet cached."""
        key = self._keys[row]
        if key not in self._cache:
            start = row - row % self.BLOCK
            self._read([k for k in self._keys[start:start + self.BLOCK] if k not in self._cache])
        return self._cache[key]

    def _read(self, keys: list[BoardKey]) -> None:
        if not keys:
            return
        if self.loader is None:
            raise LookupError("BoardModel has keys without a loader")
        self._cache.update(zip(keys, self.loader(keys), strict=True))

    def rows(self) -> list[SupervisionRow]:
        """Every row in full (reads them all: for short lists and tests)."""
        return [self.row_at(i) for i in range(len(self._keys))]

    def deadline_of(self, row: BoardKey | SupervisionRow) -> str | None:
        if row.state in UNTIMED_STATES:
            return None
        return deadline_state(row.days_left, self.due_soon_days)

    def display(self, row: int, column: int) -> str:
        key = self._keys[row]
        if column in self._FULL_ROW_COLUMNS:
            full = self.row_at(row)
            if column == self.COL_NUMBER:
                return full.number
            if column == self.COL_TITLE:
                return full.title
            if column == self.COL_LEADER:
                return full.leader
            return " ".join(f for f, on in (("重点督办", full.key_supervision), ("已延期", full.extended)) if on)
        if column == self.COL_UNIT:
            return key.unit
        if column == self.COL_DUE:
            return short_date(key.due_on)
        if column == self.COL_DAYS:
            if key.state == AWAITING_VERIFICATION:
                return f"办结后{-key.days_left}天"
            if key.state in UNTIMED_STATES:
                return f"答复后{-key.days_left}天"
            return days_text(key.days_left)
        if column == self.COL_DEADLINE:
            return self.deadline_of(key) or ""
        if column == self.COL_STATE:
            return key.state
        if column == self.COL_REMINDERS:
            return str(key.reminders) if key.reminders else ""
        return ""

    def _count(self) -> int:
        return len(self._keys)

    def _display_at(self, row: int, column: int) -> str:
        return self.display(row, column)

    def _sort_key_at(self, row: int, column: int) -> Any:
        if column in self._FULL_ROW_COLUMNS:
            self.row_at(row)
        return self._sort_key(self._keys[row], column)

    def _object_at(self, row: int) -> Any:
        return self.row_at(row)

    def _deadline_at(self, row: int) -> str | None:
        return self.deadline_of(self._keys[row])

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Qt override: sort by the column's own values (编号, 标题 and 标记 read every row first)."""
        if not 0 <= column < len(self.HEADERS):
            return
        self.layoutAboutToBeChanged.emit()
        persistent = self.persistentIndexList()
        held = [(self._keys[i.row()], i.column()) for i in persistent]
        self._sort = (column, order)
        self._sort_keys(column, order)
        position = {k: r for r, k in enumerate(self._keys)}
        self.changePersistentIndexList(persistent, [self.index(position[k], c) for k, c in held])
        self.layoutChanged.emit()

    def _sort_key(self, key: BoardKey, column: int) -> Any:
        """What `column` sorts by, then the board's own order; a full-row column needs its row cached."""
        tail = (key.days_left, key.part, key.matter_id, key.transfer_id or 0)
        if column == self.COL_NUMBER:
            return (_number_order(self._cache[key].number), *tail)
        if column == self.COL_TITLE:
            return (_COLLATOR.sortKey(self._cache[key].title), *tail)
        if column == self.COL_LEADER:
            return (_COLLATOR.sortKey(self._cache[key].leader), *tail)
        if column == self.COL_FLAGS:
            full = self._cache[key]
            return (-(2 * full.key_supervision + full.extended), *tail)  # both marks first, then 重点督办, 已延期
        if column == self.COL_UNIT:
            return (_COLLATOR.sortKey(key.unit), *tail)
        if column == self.COL_DUE:
            return (key.due_on, *tail)
        if column == self.COL_DEADLINE:
            return (_DEADLINE_ORDER.get(self.deadline_of(key), len(_DEADLINE_ORDER)), *tail)
        if column == self.COL_STATE:
            return (_COLLATOR.sortKey(key.state), *tail)
        if column == self.COL_REMINDERS:
            return (key.reminders, *tail)
        return tail  # COL_DAYS: the board's own order

    def _sort_keys(self, column: int, order: Qt.SortOrder) -> None:
        key: Callable[[BoardKey], Any]
        if column == self.COL_DAYS:
            key = _BY_DAYS  # C-level: the board's default order, tens of thousands of rows
        elif column == self.COL_DUE:
            key = _BY_DUE
        else:
            if column in self._FULL_ROW_COLUMNS:
                # number, title and marks are not in the keys: read them all once (a million-matter
                # board of 38,000 rows: about 0.35 s), kept in the cache for painting too
                self._read([k for k in self._keys if k not in self._cache])
            if column in (self.COL_UNIT, self.COL_STATE):
                # a handful of distinct names: collate each once, not once a row
                attr = itemgetter(6 if column == self.COL_UNIT else 7)  # BoardKey.unit, BoardKey.state
                names = sorted({attr(k) for k in self._keys}, key=_COLLATOR.sortKey)
                order_of = {n: i for i, n in enumerate(names)}
                key = lambda k: (order_of[attr(k)], k[1], k[2], k[3], k[4] or 0)  # noqa: E731
            else:
                key = lambda k: self._sort_key(k, column)  # noqa: E731
        self._keys.sort(key=key, reverse=order == Qt.SortOrder.DescendingOrder)


_BY_DAYS = itemgetter(1, 2, 3, 4)  # days_left, part, matter_id, transfer_id: as BoardModel._sort_key's tail
_BY_DUE = itemgetter(0, 1, 2, 3, 4)  # due_on first: the rows without a deadline of their own differ from days
_DEADLINE_ORDER = {OVERDUE: 0, DUE_SOON: 1, NORMAL: 2}


def _number_order(number: str) -> tuple[int, ...]:
    """信〔2026〕0012号 -> (2026, 12): year, then the year's sequence, whatever the prefix; as text
    〔2026〕10000号 would sort before 〔2026〕9999号 and a changed prefix would split the years."""
    return tuple(map(int, _NUMBERS.findall(number)[-2:]))


_NUMBERS = re.compile(r"\d+")


def chinese_collator() -> QCollator:
    """Chinese text in 拼音 order (张 after 李), numbers inside it by value (事项2 before 事项10)."""
    collator = QCollator(QLocale(QLocale.Language.Chinese, QLocale.Country.China))
    collator.setNumericMode(True)
    return collator


_COLLATOR = chinese_collator()  # one for both models: building it loads the locale's rules


def key_of(row: SupervisionRow) -> BoardKey:
    """The key of a row read in full."""
    part = 0 if row.transfer_id is not None else 3
    return BoardKey(row.due_on, row.days_left, part, row.matter_id, row.transfer_id, None, row.unit, row.state,
                    row.reminders)


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
        if column == self.COL_NUMBER:
            return (_number_order(row.number), row.received_on)
        return (_COLLATOR.sortKey(self._display(row, column)), row.received_on)

