"""The one date field: a day typed in one go (20261201, 2026-12-01, 2026.12.1, 12-1), Tab to the next field.

A QDateEdit steps through year, month and day with three Tab stops and takes only what fits
each section; clerks type a date as they write it. This keeps QDateEdit's calendar popup, arrow
keys, range and signals, and reads the whole text at once.
"""

from __future__ import annotations

import re
from datetime import date

from PySide6.QtCore import QDate, QDateTime, QPoint, QTimer
from PySide6.QtGui import QFocusEvent, QValidator
from PySide6.QtWidgets import QDateEdit, QToolTip, QWidget

from xinfang_desktop import wallclock
from xinfang_desktop.domain.validation import DATE_HINT, parse_typed_date

_TYPING = re.compile(r"[\d\s\-./年月日]*")


class DateEdit(QDateEdit):
    """A QDateEdit that reads what was typed as a whole; Tab leaves the field instead of moving a section."""

    def __init__(self, day: QDate | date | QWidget | None = None, parent: QWidget | None = None, *,
                 display_format: str = "yyyy-MM-dd") -> None:
        if isinstance(day, QWidget):  # DateEdit(parent), as a Designer form builds it
            day, parent = None, day
        super().__init__(parent)
        self.setCalendarPopup(True)
        self.setDisplayFormat(display_format)
        self.setToolTip(DATE_HINT)
        self.setKeyboardTracking(False)  # the day is read when the clerk leaves the field, not per keystroke
        if day is not None:
            self.setDate(day if isinstance(day, QDate) else QDate(day.year, day.month, day.day))

    def typed_day(self, text: str) -> date | None:
        """The day `text` means, if it is one within the allowed range."""
        day = parse_typed_date(text, today=_today())
        if day is None:
            return None
        low, high = self.minimumDate().toPython(), self.maximumDate().toPython()
        assert isinstance(low, date) and isinstance(high, date)
        return day if low <= day <= high else None

    def validate(self, text: str, pos: int) -> object:  # noqa: D401 - Qt override
        """Qt override: any text that may still become a date is allowed while typing."""
        if self.typed_day(text) is not None:
            return QValidator.State.Acceptable, text, pos
        if _TYPING.fullmatch(text.strip()):
            return QValidator.State.Intermediate, text, pos
        return QValidator.State.Invalid, text, pos

    def dateTimeFromText(self, text: str) -> QDateTime:  # noqa: N802 - Qt override
        """Qt override: the whole text read at once; what is not a date keeps the day shown before."""
        day = self.typed_day(text)
        if day is None:
            return self.dateTime()
        return QDateTime(QDate(day.year, day.month, day.day), self.time())

    def fixup(self, text: str) -> str:
        """Qt override: text that is no date (or out of range) goes back to the day shown, and says why."""
        if self.typed_day(text) is None and text.strip() and text != self.textFromDateTime(self.dateTime()):
            self._tell(text)
        return self.textFromDateTime(self.dateTime())

    def focusNextPrevChild(self, next: bool) -> bool:  # noqa: N802, A002 - Qt override
        """Qt override: Tab takes what was typed and moves to the next field, not to the next section."""
        text = self.lineEdit().text()
        if self.typed_day(text) is None and text != self.textFromDateTime(self.dateTime()):
            self._tell(text)
        self.interpretText()
        return QWidget.focusNextPrevChild(self, next)

    def focusInEvent(self, event: QFocusEvent) -> None:  # noqa: N802 - Qt override
        """Qt override: the whole date selected, so that typing replaces it."""
        super().focusInEvent(event)
        QTimer.singleShot(0, self.lineEdit().selectAll)

    def _tell(self, text: str) -> None:
        low, high = self.minimumDate(), self.maximumDate()
        day = parse_typed_date(text, today=_today())
        if day is None:
            message = f"无法识别“{text.strip()}”，{DATE_HINT}"
        else:
            message = (f"日期应在{low.toString('yyyy-MM-dd')}至{high.toString('yyyy-MM-dd')}之间，"
                       f"“{text.strip()}”不在其中")
        self.last_message = message
        QToolTip.showText(self.mapToGlobal(QPoint(0, self.height())), message, self)


def _today() -> date:
    day = QDate(wallclock.today()).toPython()
    assert isinstance(day, date)
    return day
