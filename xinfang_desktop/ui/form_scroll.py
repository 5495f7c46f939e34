"""A long form in a scroll area that scrolls up and down, never sideways."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QSize
from PySide6.QtWidgets import QScrollArea


class FormScroll(QScrollArea):
    """The form scrolls up and down, never sideways: at least as wide as the form's widest row, asked each time.

    (A width fixed when built is too small: the form is wider once styled, and wider again with the lists in it.)
    """

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt override
        """Qt override: the form's own minimum width, plus the vertical scroll bar and the frame."""
        hint = super().minimumSizeHint()
        form = self.widget()
        if form is None:
            return hint
        width = form.minimumSizeHint().width() + self.verticalScrollBar().sizeHint().width() + 2 * self.frameWidth()
        return QSize(max(hint.width(), width), hint.height())

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        """Qt override: when the form's layout changes (styled, lists filled), the width wanted is asked anew."""
        if obj is self.widget() and event.type() in (QEvent.Type.LayoutRequest, QEvent.Type.Polish):
            self.updateGeometry()
        return super().eventFilter(obj, event)
