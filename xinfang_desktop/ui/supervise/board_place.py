"""The clerk's place on the 督办 board, kept over a reload: rows move when the board is read again."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtWidgets import QAbstractItemView, QTableView

from xinfang_desktop.ui.supervise.board_model import BoardModel

Key = tuple[int, int | None]  # (matter id, transfer id)


@dataclass(frozen=True)
class Place:
    """The selected rows and the current one by matter and transfer, the current column, the scroll."""

    held: frozenset[Key]
    current: Key | None
    column: int
    scroll: int


def place_of(view: QTableView, model: BoardModel) -> Place:
    scroll = view.verticalScrollBar().value()
    selection = view.selectionModel()
    if selection is None or model.rowCount() == 0:
        return Place(frozenset(), None, 0, scroll)
    held = frozenset((k.matter_id, k.transfer_id) for k in map(model.key_at, (i.row() for i in selection.selectedRows())))
    index = selection.currentIndex()
    if not index.isValid() or index.row() >= model.rowCount():
        return Place(held, None, 0, scroll)
    key = model.key_at(index.row())
    return Place(held, (key.matter_id, key.transfer_id), index.column(), scroll)


def restore_place(view: QTableView, model: BoardModel, place: Place) -> None:
    """The same rows selected, the current one in view.

    The current row is found again by matter and transfer; when that transfer left the board
    (its feedback accepted), by the matter's next row; when the matter left the view, the
    list stays scrolled where it was instead of jumping to the top.
    """
    # the scroll first, so a row that stays on screen stays where the clerk saw it
    view.verticalScrollBar().setValue(place.scroll)
    held, current = place.held, place.current
    if not held and current is None:
        return
    selection = view.selectionModel()
    select = selection.SelectionFlag.Select | selection.SelectionFlag.Rows
    exact: int | None = None
    same_matter: int | None = None
    for row, key in enumerate(model.keys()):
        pair = (key.matter_id, key.transfer_id)
        if pair in held:
            selection.select(model.index(row, 0), select)
        if current is not None:
            if pair == current:
                exact = row
            elif same_matter is None and key.matter_id == current[0]:
                same_matter = row
    row = exact if exact is not None else same_matter
    if row is not None:
        index = model.index(row, place.column)
        # a current row the clerk had not selected (Qt's focus cell) comes back unselected
        selection.setCurrentIndex(index, select if current in held else selection.SelectionFlag.NoUpdate)
        view.scrollTo(index, QAbstractItemView.ScrollHint.EnsureVisible)
