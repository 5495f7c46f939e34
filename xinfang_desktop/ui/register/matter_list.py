"""The matter list: a table model that is a window over SQL, and the search-and-filter view around it.

The model never holds every row. `rowCount` comes from one cached count(*); rows are
fetched in blocks of BLOCK by key (登记日期, id), newest first, and a block far from any
cached one starts from the key at its offset (an index-only query). Sorting and
filtering happen in SQL; there is no proxy model and rows are never sized to contents.
"""

from __future__ import annotations

from collections import OrderedDict
from datetime import date

from PySide6.QtCore import (
    QAbstractTableModel,
    QEvent,
    QItemSelectionModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from xinfang_desktop.domain.clock import DUE_SOON, OVERDUE, deadline_state
from xinfang_desktop.domain.enums import Channel, Status
from xinfang_desktop.domain.values import CategoryInfo, MatterFilter, MatterSummary
from xinfang_desktop.services.search import count_matters, list_matters, matter_key_at, matter_row
from xinfang_desktop.services.settings import format_number, get_setting, periods
from xinfang_desktop.ui.actions import ActionRunner
from xinfang_desktop.ui.combos import fit_to_items
from xinfang_desktop.ui.palette import BACKGROUNDS
from xinfang_desktop.wallclock import today

COL_NUMBER, COL_RECEIVED, COL_CHANNEL, COL_PETITIONERS, COL_TITLE, COL_CATEGORY, COL_STATUS, COL_DUE = range(8)
HEADERS = ("编号", "登记日期", "信访形式", "信访人", "标题", "问题分类", "状态", "期限")
# widths from a typical cell, measured once in the UI font, never from the data; 标题 takes what is left.
# 编号's is measured again with the office's own prefix (fit_number)
COLUMN_SAMPLES = ("信〔2026〕0000号", "2026-12-31", "网上信访", "张秀英", "", "城乡建设/物业", "不予受理", "2026-12-31")
CELL_PADDING = 12  # the cell's margins and the grid line around the sample text
# beside the register form on a 1280-pixel screen 标题 would get 7 characters: it keeps this many, 问题分类
# (its tooltip whole) narrowing to make room, down to a first level of 4 characters and its slash
TITLE_CHARS = 16
CATEGORY_CHARS = 5
# a screenful and more: the first paint waits for one block (at 100,000 matters 10 ms for 50 rows, 22 for 200)
BLOCK = 50
MAX_BLOCKS = 160  # ~8,000 rows cached; older blocks are dropped first

MATTER_ID_ROLE = Qt.ItemDataRole.UserRole + 1
DEADLINE_ROLE = Qt.ItemDataRole.UserRole + 2  # "超期" / "临期" / "" for tests and delegates

# only these statuses still owe something by their due date
_RUNNING = (Status.PENDING, Status.IN_PROGRESS)


class MatterTableModel(QAbstractTableModel):
    """Newest-first matters matching a MatterFilter, fetched from SQL a block at a time."""

    def __init__(self, runner: ActionRunner, parent: QWidget | None = None, *, closed_dates: bool = False) -> None:
        """closed_dates: the last column shows 办结日期 instead of the deadline (the board's 已办结 window)."""
        super().__init__(parent)
        self.runner = runner
        self.closed_dates = closed_dates
        self._filter = MatterFilter()
        self._count = 0
        self._blocks: OrderedDict[int, list[MatterSummary]] = OrderedDict()
        self._today = today()
        self._soon_days = 5

    # loading -------------------------------------------------------------------------------
    @property
    def filter(self) -> MatterFilter:
        return self._filter

    def set_filter(self, flt: MatterFilter) -> None:
        self._filter = flt
        self.reload()

    def reload(self) -> None:
        """Re-count and drop the cache; rows are fetched again as they are shown."""
        self.beginResetModel()
        self._blocks.clear()
        self._today = today()
        self._soon_days = self.runner.rows(periods).due_soon_days
        self._count = self.runner.rows(count_matters, self._filter)
        self.endResetModel()

    def _block(self, index: int) -> list[MatterSummary]:
        cached = self._blocks.get(index)
        if cached is not None:
            self._blocks.move_to_end(index)
            return cached
        rows = self.runner.rows(self._fetch_block, index)
        self._blocks[index] = rows
        while len(self._blocks) > MAX_BLOCKS:
            self._blocks.popitem(last=False)
        return rows

    def _fetch_block(self, conn, index: int) -> list[MatterSummary]:  # type: ignore[no-untyped-def]
        after: tuple[date, int] | None = None
        if index > 0:
            previous = self._blocks.get(index - 1)
            if previous is not None and len(previous) == BLOCK:
                after = (previous[-1].received_on, previous[-1].id)
            else:
                after = matter_key_at(conn, self._filter, offset=index * BLOCK - 1)
                if after is None:
                    return []
        return list_matters(conn, self._filter, after=after, limit=BLOCK)

    def summary(self, row: int) -> MatterSummary | None:
        if not 0 <= row < self._count:
            return None
        block = self._block(row // BLOCK)
        offset = row % BLOCK
        # the count may be a moment older than the rows (another action just wrote)
        return block[offset] if offset < len(block) else None

    def deadline_state(self, item: MatterSummary) -> str:
        if item.due_on is None or item.status not in _RUNNING:
            return ""
        state = deadline_state((item.due_on - self._today).days, self._soon_days)
        return state if state in (OVERDUE, DUE_SOON) else ""

    # Qt overrides ----------------------------------------------------------------------------
    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: N802 - Qt override
        """Qt override: the cached count(*) of the filter."""
        return 0 if parent.isValid() else self._count

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: N802 - Qt override
        """Qt override."""
        return 0 if parent.isValid() else len(HEADERS)

    def headerData(  # noqa: N802 - Qt override
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> object:
        """Qt override: the Chinese column titles; rows have no header text."""
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            if section == COL_DUE and self.closed_dates:
                return "办结日期"
            return HEADERS[section] if 0 <= section < len(HEADERS) else None
        return None

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        """Qt override: role first, so paints that ask for unused roles cost nothing."""
        if role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.BackgroundRole, Qt.ItemDataRole.ToolTipRole,
                        MATTER_ID_ROLE, DEADLINE_ROLE):
            return None
        if not index.isValid():
            return None
        item = self.summary(index.row())
        if item is None:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            if index.column() == COL_DUE and self.closed_dates:
                return item.closed_on.isoformat() if item.closed_on else ""
            return _cell(item, index.column())
        if role == Qt.ItemDataRole.BackgroundRole:
            state = self.deadline_state(item)
            return BACKGROUNDS.get(state) if state else None
        if role == Qt.ItemDataRole.ToolTipRole:
            # the narrow columns cut long text; the full text is a hover away
            return _cell(item, index.column()) if index.column() in (COL_TITLE, COL_CATEGORY, COL_PETITIONERS) else None
        if role == MATTER_ID_ROLE:
            return item.id
        return self.deadline_state(item)


def _cell(item: MatterSummary, column: int) -> str | None:
    if column == COL_NUMBER:
        return item.number
    if column == COL_RECEIVED:
        return item.received_on.isoformat()
    if column == COL_CHANNEL:
        return item.channel.value
    if column == COL_PETITIONERS:
        return item.petitioners
    if column == COL_TITLE:
        return item.title
    if column == COL_CATEGORY:
        return item.category
    if column == COL_STATUS:
        return item.status.value
    if column == COL_DUE:
        return item.due_on.isoformat() if item.due_on else ""
    return None


class MatterListView(QWidget):
    """Search box, filters (year, status, channel, category) and the table; emits the matter opened."""

    matter_activated = Signal(int)

    def __init__(self, runner: ActionRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.runner = runner
        self.model = MatterTableModel(runner, self)

        self.search_edit = QLineEdit()
        self.search_edit.setPlaceholderText("搜索：标题/内容、姓名、身份证号、电话、原编号")
        self.search_edit.setClearButtonEnabled(True)
        self.year_combo = QComboBox()
        self.status_combo = QComboBox()
        self.channel_combo = QComboBox()
        self.category_combo = QComboBox()
        self.count_label = QLabel()
        self._fill_filters()
        for combo in (self.year_combo, self.status_combo, self.channel_combo, self.category_combo):
            # the window must still fit a 1366-pixel laptop screen beside the register form
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            combo.setMinimumContentsLength(4)
        self.search_edit.setMinimumWidth(self.fontMetrics().horizontalAdvance("中") * 8)

        # two rows, so the list beside the register form still fits a 1024-pixel screen
        search_row = QHBoxLayout()
        search_row.addWidget(self.search_edit, 1)
        search_row.addWidget(self.count_label)
        filter_row = QHBoxLayout()
        for label, combo in (("年度", self.year_combo), ("状态", self.status_combo),
                             ("形式", self.channel_combo), ("分类", self.category_combo)):
            caption = QLabel(label)
            caption.setBuddy(combo)
            filter_row.addWidget(caption)
            filter_row.addWidget(combo, 1)

        self.table = QTableView()
        # the viewport made here, as Qt makes its own: handed Qt's (a QWidget* of no known class), PySide
        # would look through every widget class for its type, making 40 of their enum types (13 ms) before
        # the window's first paint
        viewport = QWidget()
        viewport.setObjectName("qt_scrollarea_viewport")
        viewport.setBackgroundRole(QPalette.ColorRole.Base)
        viewport.setAutoFillBackground(True)
        self.table.setViewport(viewport)
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSortingEnabled(False)  # the order is the SQL's: newest first
        self.table.setWordWrap(False)
        self.table.setAlternatingRowColors(False)  # the deadline colours must stand out
        vertical = self.table.verticalHeader()
        vertical.setVisible(False)
        vertical.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        vertical.setDefaultSectionSize(self.fontMetrics().height() + 8)
        horizontal = self.table.horizontalHeader()
        horizontal.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        horizontal.setStretchLastSection(False)
        metrics = self.fontMetrics()
        self.natural_widths = [max(metrics.horizontalAdvance(sample), metrics.horizontalAdvance(HEADERS[column]))
                               + CELL_PADDING for column, sample in enumerate(COLUMN_SAMPLES)]
        for column, width in enumerate(self.natural_widths):
            self.table.setColumnWidth(column, width)
        self._number_prefix = "信"  # the prefix COLUMN_SAMPLES' number is written with
        horizontal.setSectionResizeMode(COL_TITLE, QHeaderView.ResizeMode.Stretch)
        self.table.viewport().installEventFilter(self)
        self.table.doubleClicked.connect(self._open_index)
        self.table.activated.connect(self._open_index)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(search_row)
        layout.addLayout(filter_row)
        layout.addWidget(self.table)

        # typing must not run a query per keystroke
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(250)
        self._debounce.timeout.connect(self.apply_filter)
        self.search_edit.textChanged.connect(self._debounce.start)
        self.search_edit.returnPressed.connect(self.apply_filter)
        for combo in (self.year_combo, self.status_combo, self.channel_combo, self.category_combo):
            combo.currentIndexChanged.connect(self.apply_filter)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        """QObject override: the table's viewport resized, 标题 keeps its room."""
        if watched is self.table.viewport() and event.type() == QEvent.Type.Resize:
            self.fit_title()
        return super().eventFilter(watched, event)

    def fit_title(self) -> None:
        """At least TITLE_CHARS characters of 标题 where the list is narrow, 问题分类 giving way to at least
        CATEGORY_CHARS; where it is wide, every column at its natural width and 标题 the rest."""
        char = self.fontMetrics().horizontalAdvance("国")
        others = sum(w for c, w in enumerate(self.natural_widths) if c not in (COL_TITLE, COL_CATEGORY))
        room = self.table.viewport().width() - others - (char * TITLE_CHARS + CELL_PADDING)
        least = char * CATEGORY_CHARS + CELL_PADDING
        self.table.setColumnWidth(COL_CATEGORY, max(least, min(self.natural_widths[COL_CATEGORY], room)))

    def _fill_filters(self) -> None:
        this_year = today().year
        self.year_combo.addItem("全部", None)
        for year in range(this_year, this_year - 10, -1):
            self.year_combo.addItem(str(year), year)
        self.status_combo.addItem("全部", None)
        for status in Status:
            self.status_combo.addItem(status.value, status)
        self.channel_combo.addItem("全部", None)
        for channel in Channel:
            self.channel_combo.addItem(channel.value, channel)
        # 分类 is filled by the register tab with its own list (reload_lists): one read of the tree

    def reload_categories(self, tree: list[CategoryInfo]) -> None:
        current = self.category_combo.currentData()
        self.category_combo.blockSignals(True)
        self.category_combo.clear()
        self.category_combo.addItem("全部", None)
        for first in tree:
            self.category_combo.addItem(first.name, first.id)
            for second in first.children:
                self.category_combo.addItem(f"　{second.name}", second.id)
        found = self.category_combo.findData(current)
        self.category_combo.setCurrentIndex(max(found, 0))
        self.category_combo.blockSignals(False)
        # the closed filters stay narrow beside the register form; their lists show whole names
        for combo in (self.year_combo, self.status_combo, self.channel_combo, self.category_combo):
            fit_to_items(combo, most_chars=4)

    def current_filter(self) -> MatterFilter:
        return MatterFilter(
            text=self.search_edit.text().strip(),
            year=self.year_combo.currentData(),
            # Qt hands a StrEnum back as a plain str
            status=Status(self.status_combo.currentData()) if self.status_combo.currentData() else None,
            channel=Channel(self.channel_combo.currentData()) if self.channel_combo.currentData() else None,
            category_id=self.category_combo.currentData(),
            # a voided matter leaves the list; the status 已作废 finds it again
            include_voided=False,
        )

    def fit_number(self) -> None:
        """编号 as wide as a number with this office's prefix, a setting the first-start page or 设置 may
        change once the list is built ("河信〔2026〕0001号" showed as "河信〔2026〕00…"); a clerk's own
        widening of the column is kept until the prefix changes."""
        prefix = str(self.runner.rows(get_setting, "number_prefix"))
        if prefix == self._number_prefix:
            return
        self._number_prefix = prefix
        metrics = self.fontMetrics()
        self.natural_widths[COL_NUMBER] = max(metrics.horizontalAdvance(format_number(prefix, 2026, 0)),
                                              metrics.horizontalAdvance(HEADERS[COL_NUMBER])) + CELL_PADDING
        self.table.setColumnWidth(COL_NUMBER, self.natural_widths[COL_NUMBER])
        self.fit_title()

    def apply_filter(self) -> None:
        self._debounce.stop()
        self.fit_number()
        self.model.set_filter(self.current_filter())
        self.count_label.setText(f"共 {self.model.rowCount()} 件")

    def refresh(self) -> None:
        """Reload with the same filter; called on every data_changed.

        The clerk keeps their place: the selected matter stays selected and in view when the
        filter still shows it (found again by id: a new registration above it moves it down),
        otherwise the list stays scrolled where it was.
        """
        keep = self.selected_matter_id()
        column = max(self.table.currentIndex().column(), 0)
        scroll = self.table.verticalScrollBar().value()
        self.fit_number()
        self.model.reload()
        self.count_label.setText(f"共 {self.model.rowCount()} 件")
        row = self.runner.rows(matter_row, self.model.filter, matter_id=keep) if keep is not None else None
        # the scroll first, so a row that stays on screen stays where the clerk saw it
        self.table.verticalScrollBar().setValue(scroll)
        if row is not None and row < self.model.rowCount():
            self.select_row(row, column)

    def select_row(self, row: int, column: int = 0) -> None:
        """Make `row` the current, selected row and scroll it into view (no further than needed)."""
        index = self.model.index(row, column)
        self.table.selectionModel().setCurrentIndex(
            index, QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows)
        self.table.scrollTo(index, QAbstractItemView.ScrollHint.EnsureVisible)

    def selected_matter_id(self) -> int | None:
        index = self.table.currentIndex()
        return index.data(MATTER_ID_ROLE) if index.isValid() else None

    def _open_index(self, index: QModelIndex) -> None:
        matter_id = index.data(MATTER_ID_ROLE)
        if matter_id is not None:
            self.matter_activated.emit(int(matter_id))
