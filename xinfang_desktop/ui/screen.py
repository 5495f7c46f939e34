"""Every window and dialog inside the screen's available area (a 1366×768 laptop less its taskbar is 728 high).

One event filter on the application does it for all of them, the message boxes included: when a
window is shown, it is made no larger than the available area less its frame, and moved inside it.
Each window's own layout then scrolls or shrinks its content and keeps its buttons in sight.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QMargins, QObject, QRect, Qt, QTimer
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QWidget

# Windows 10/11 at 100%: a 31-pixel title bar and 8-pixel borders, before the window is framed
GUESSED_FRAME = QMargins(8, 31, 8, 8)


def available_area(widget: QWidget) -> QRect:
    screen = widget.screen() or QGuiApplication.primaryScreen()
    return screen.availableGeometry()


def frame_margins(widget: QWidget) -> QMargins:
    frame, inner = widget.frameGeometry(), widget.geometry()
    margins = QMargins(inner.left() - frame.left(), inner.top() - frame.top(),
                       frame.right() - inner.right(), frame.bottom() - inner.bottom())
    framed = margins.left() or margins.top() or margins.right() or margins.bottom()
    return margins if framed or not widget.isVisible() else GUESSED_FRAME


def fit_to_screen(widget: QWidget) -> None:
    """Shrink a top-level window to the available area (less its frame) and move it inside; maximised ones alone."""
    if widget.isMaximized() or widget.isFullScreen():
        return
    area = available_area(widget)
    margins = frame_margins(widget)
    most_wide = area.width() - margins.left() - margins.right()
    most_high = area.height() - margins.top() - margins.bottom()
    if widget.width() > most_wide or widget.height() > most_high:
        widget.resize(min(widget.width(), most_wide), min(widget.height(), most_high))
    outer_w = widget.width() + margins.left() + margins.right()
    outer_h = widget.height() + margins.top() + margins.bottom()
    frame = widget.frameGeometry()
    x = min(max(frame.x(), area.left()), area.left() + area.width() - outer_w)
    y = min(max(frame.y(), area.top()), area.top() + area.height() - outer_h)
    if (x, y) != (frame.x(), frame.y()):
        widget.move(max(x, area.left()), max(y, area.top()))


class _ScreenFit(QObject):
    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        """Qt override: a window being shown is fitted now, and again once it has its frame.

        Every event of the program passes here (4,900 before the first paint): the cheap tests first,
        event.type() last, since each call of it makes a Python enum."""
        if isinstance(obj, QWidget) and obj.isWindow() and event.type() == QEvent.Type.Show \
                and obj.windowType() in (Qt.WindowType.Window, Qt.WindowType.Dialog):
            fit_to_screen(obj)
            QTimer.singleShot(0, lambda w=obj: _fit_if_alive(w))
        return False


def _fit_if_alive(widget: QWidget) -> None:
    try:
        if widget.isVisible():
            fit_to_screen(widget)
    except RuntimeError:  # closed and deleted in the meantime
        pass


def install_screen_fit(app: QApplication) -> QObject:
    """Once per application, at start-up; returns the filter (installed on the application)."""
    keeper = getattr(app, "_xinfang_screen_fit", None)
    if keeper is None:
        keeper = _ScreenFit(app)
        app.installEventFilter(keeper)
        app._xinfang_screen_fit = keeper  # type: ignore[attr-defined]
    return keeper
