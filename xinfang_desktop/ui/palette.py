"""The deadline colours: one palette for the board, the decision queue, the list of matters and the banner."""

from __future__ import annotations

from PySide6.QtGui import QBrush, QColor

from xinfang_desktop.domain.clock import DUE_SOON, OVERDUE

DUE_SOON_COLOUR = QColor(255, 221, 128)  # 临期: amber
OVERDUE_COLOUR = QColor(244, 150, 150)  # 超期: red
OVERDUE_TEXT = QColor(150, 0, 0)  # 超期 written in dark red over the red, and in the banner

# by deadline_state(); a state not listed (正常) has no background
BACKGROUNDS = {OVERDUE: QBrush(OVERDUE_COLOUR), DUE_SOON: QBrush(DUE_SOON_COLOUR)}
OVERDUE_FOREGROUND = QBrush(OVERDUE_TEXT)
