"""After a change the lists keep the clerk's place: the selected matter stays selected and in view."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtWidgets import QApplication, QTableView
from pytestqt.qtbot import QtBot

from tests.helpers.qt import SHOTS, record_boxes
from xinfang_desktop.db.database import Database
from xinfang_desktop.domain.changes import Changes
from xinfang_desktop.domain.enums import Channel, Status, TransferState
from xinfang_desktop.domain.values import MatterInput, PetitionerInput
from xinfang_desktop.services import handling
from xinfang_desktop.services.convert import get_matter
from xinfang_desktop.services.demo import generate
from xinfang_desktop.services.handling import settle
from xinfang_desktop.services.registry import register_matter, void
from xinfang_desktop.services.search import list_matters
from xinfang_desktop.ui.actions import ActionRunner
from xinfang_desktop.ui.fonts import apply_ui_font
from xinfang_desktop.ui.register.matter_list import COL_TITLE, MatterListView
from xinfang_desktop.ui.supervise.supervise_tab import SuperviseTab
from xinfang_desktop.wallclock import today

DEMO_END = date(2026, 12, 1)


@pytest.fixture
def demo_db(db: Database) -> Database:
    with db.begin() as s:
        # up to a fixed day, so that what the demo holds (its 待受理 matters) is the same whatever day the test runs
        generate(s, cases=450, seed=7, end=DEMO_END)
    return db


@pytest.fixture(autouse=True)
def boxes(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """A refused action would open a modal box; record its text instead."""
    return record_boxes(monkeypatch)


@pytest.fixture
def runner(demo_db: Database) -> ActionRunner:
    return ActionRunner(demo_db)


def _visible_rows(table: QTableView) -> range:
    viewport = table.viewport().rect()
    top = table.rowAt(viewport.top())
    bottom = table.rowAt(viewport.bottom() - 1)
    return range(top, (bottom if bottom >= 0 else table.model().rowCount() - 1) + 1)


@pytest.fixture
def view(qtbot: QtBot, runner: ActionRunner) -> MatterListView:
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    apply_ui_font(app)
    widget = MatterListView(runner)
    qtbot.addWidget(widget)
    widget.resize(900, 420)
    runner.data_changed.connect(lambda _what: widget.refresh())  # as the main window wires it
    widget.apply_filter()
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def _closed_far_down(db: Database) -> tuple[int, int]:
    """(row, matter id) of a 已办结, not yet 息访 matter a long way down the list."""
    with db.read() as s:
        rows = list_matters(s, limit=1000)
        return next((i, m.id) for i, m in enumerate(rows)
                    if i > 250 and m.status is Status.CLOSED and not get_matter(s, m.id).settled)


def test_the_selected_matter_stays_selected_and_in_view_after_a_change(
    view: MatterListView, runner: ActionRunner, demo_db: Database
) -> None:
    row, matter_id = _closed_far_down(demo_db)
    view.select_row(row, COL_TITLE)
    QApplication.processEvents()
    scroll = view.table.verticalScrollBar().value()
    assert scroll > 0 and row in _visible_rows(view.table)

    assert runner.run(None, settle, matter_id=matter_id, on=today(), what="息访") is not None
    QApplication.processEvents()
    assert view.selected_matter_id() == matter_id
    assert view.table.currentIndex().row() == row and view.table.currentIndex().column() == COL_TITLE
    assert view.table.verticalScrollBar().value() == scroll  # not back at the top, not even moved
    assert row in _visible_rows(view.table)
    assert [i.row() for i in view.table.selectionModel().selectedRows()] == [row]
    SHOTS.mkdir(parents=True, exist_ok=True)
    assert view.grab().save(str(SHOTS / "list-keeps-selection.png"))

    # a new registration goes to the top: the selected matter moves one row down and is followed
    with demo_db.begin() as s:
        register_matter(s, MatterInput(received_on=today(), channel=Channel.LETTER, title="新登记的事项",
                                       petitioners=(PetitionerInput("周强"),)))
    runner.data_changed.emit(Changes(matters=frozenset({0}), label="登记"))
    QApplication.processEvents()
    assert view.selected_matter_id() == matter_id and view.table.currentIndex().row() == row + 1
    assert row + 1 in _visible_rows(view.table)


def test_a_matter_that_leaves_the_list_leaves_the_scroll_where_it_was(
    view: MatterListView, runner: ActionRunner
) -> None:
    view.status_combo.setCurrentIndex(view.status_combo.findData(Status.CLOSED))
    listed = view.model.rowCount()
    row = listed - 20
    view.select_row(row)
    QApplication.processEvents()
    matter_id = view.selected_matter_id()
    scroll = view.table.verticalScrollBar().value()
    assert scroll > 0
    assert runner.run(None, void, matter_id=matter_id, reason="重复登记", what="作废") is not None
    QApplication.processEvents()
    assert view.model.rowCount() == listed - 1  # 已作废 now: no longer under 已办结
    assert view.selected_matter_id() != matter_id
    assert view.table.verticalScrollBar().value() == scroll


def test_a_filtered_list_finds_the_matter_at_its_new_place(
    view: MatterListView, runner: ActionRunner, demo_db: Database
) -> None:
    view.status_combo.setCurrentIndex(view.status_combo.findData(Status.PENDING))
    row = view.model.rowCount() - 1  # the oldest 待受理 matter, at the bottom
    view.select_row(row)
    matter_id = view.selected_matter_id()
    with demo_db.read() as s:
        above = list_matters(s, view.model.filter, limit=2)[0]
    # the top one leaves the filter (作废): every row below moves up by one
    assert runner.run(None, void, matter_id=above.id, reason="重复登记", what="作废") is not None
    QApplication.processEvents()
    assert view.selected_matter_id() == matter_id and view.table.currentIndex().row() == row - 1
    assert row - 1 in _visible_rows(view.table)


def test_nothing_selected_keeps_the_scroll_position(view: MatterListView, runner: ActionRunner,
                                                     demo_db: Database) -> None:
    view.table.verticalScrollBar().setValue(view.table.verticalScrollBar().maximum() // 2)
    scroll = view.table.verticalScrollBar().value()
    view.table.clearSelection()
    view.table.setCurrentIndex(view.model.index(-1, -1))
    _row, matter_id = _closed_far_down(demo_db)
    assert runner.run(None, settle, matter_id=matter_id, on=today(), what="息访") is not None
    QApplication.processEvents()
    assert scroll > 0 and view.table.verticalScrollBar().value() == scroll
    assert view.selected_matter_id() is None


# the 督办 board ---------------------------------------------------------------------------------
@pytest.fixture
def board(qtbot: QtBot, runner: ActionRunner) -> SuperviseTab:
    tab = SuperviseTab(runner)
    qtbot.addWidget(tab)
    tab.resize(1100, 300)  # a short board, so that the demo's open rows need scrolling
    runner.data_changed.connect(lambda _what: tab.refresh())
    tab.show()
    qtbot.waitExposed(tab)
    return tab


def _current_key(tab: SuperviseTab) -> tuple[int, int | None] | None:
    index = tab.view.currentIndex()
    if not index.isValid():
        return None
    key = tab.model.key_at(index.row())
    return key.matter_id, key.transfer_id


def _waiting_transfer_far_down(tab: SuperviseTab) -> int:
    """A row awaiting a unit's feedback, far enough down that the board had to scroll to it."""
    keys = tab.model.keys()
    return next(r for r in range(len(keys) - 1, 0, -1)
                if keys[r].transfer_id is not None and keys[r].state == TransferState.WAITING.value and r > 10)


def test_the_board_keeps_the_current_row_after_a_reminder_and_after_feedback(
    board: SuperviseTab, runner: ActionRunner
) -> None:
    row = _waiting_transfer_far_down(board)
    assert board.select_rows(lambda r: r is board.model.row_at(row)) == 1
    board.view.scrollTo(board.model.index(row, 0))
    QApplication.processEvents()
    held = _current_key(board)
    scroll = board.view.verticalScrollBar().value()
    assert held is not None and scroll > 0
    assert row in _visible_rows(board.view)

    assert runner.run(None, handling.remind, transfer_id=held[1], on=today(), what="催办") is not None
    QApplication.processEvents()
    assert _current_key(board) == held
    assert board.view.verticalScrollBar().value() == scroll
    assert board.view.currentIndex().row() in _visible_rows(board.view)
    assert [board.model.key_at(i.row()).transfer_id for i in board.view.selectionModel().selectedRows()] == [held[1]]
    assert board.model.key_at(board.view.currentIndex().row()).reminders >= 1

    # the feedback accepted: that transfer leaves the board; the matter's own row (答复 owed) or,
    # with another unit still to report, its other transfer becomes current; else the scroll stays
    assert runner.run(None, handling.record_feedback, transfer_id=held[1], received_on=today(),
                      text="已调查处理", result="已协调解决", accept=True, what="登记反馈") is not None
    QApplication.processEvents()
    still = [r for r, k in enumerate(board.model.keys()) if k.matter_id == held[0]]
    if still:
        assert board.view.currentIndex().row() in still
        assert board.view.currentIndex().row() in _visible_rows(board.view)
    else:
        assert _current_key(board) is None or _current_key(board)[0] != held[0]
        assert board.view.verticalScrollBar().value() == scroll


def test_the_board_keeps_its_scroll_when_the_current_matter_leaves(board: SuperviseTab, runner: ActionRunner) -> None:
    row = _waiting_transfer_far_down(board)
    board.select_rows(lambda r: r is board.model.row_at(row))
    board.view.scrollTo(board.model.index(row, 0))
    QApplication.processEvents()
    matter_id = board.model.key_at(row).matter_id
    scroll = board.view.verticalScrollBar().value()
    assert runner.run(None, void, matter_id=matter_id, reason="重复登记", what="作废") is not None
    QApplication.processEvents()
    assert matter_id not in {k.matter_id for k in board.model.keys()}
    bar = board.view.verticalScrollBar()
    assert bar.value() == min(scroll, bar.maximum()) > 0  # one row fewer may shorten the scroll range


def test_a_current_row_the_clerk_did_not_select_is_not_selected_by_a_reload(board: SuperviseTab,
                                                                           runner: ActionRunner) -> None:
    selection = board.view.selectionModel()
    selection.setCurrentIndex(board.model.index(3, 1), selection.SelectionFlag.NoUpdate)
    held = _current_key(board)
    board.refresh()
    assert _current_key(board) == held and selection.selectedRows() == []
