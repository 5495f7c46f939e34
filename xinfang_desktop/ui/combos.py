"""Drop-down lists as wide as their longest item ("河口镇/李家湾村", not "镇/李家湾村")."""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import QSize
from PySide6.QtWidgets import QComboBox, QStyle, QStyleOptionComboBox

MOST_CHARS = 12  # the closed box grows to this many characters at most; its list always shows the whole name


def fit_to_items(combo: QComboBox, *, most_chars: int = MOST_CHARS, texts: Iterable[str] | None = None) -> None:
    """Call after filling: the open list fits every item, the closed box the longest (up to `most_chars`).

    `texts`: every item the box may hold, when it is refilled as another choice changes (a 乡镇's 村).
    """
    metrics = combo.fontMetrics()
    items = list(texts) if texts is not None else [combo.itemText(i) for i in range(combo.count())]
    widest = max((metrics.horizontalAdvance(text) for text in items), default=0)
    option = QStyleOptionComboBox()
    combo.initStyleOption(option)
    boxed = combo.style().sizeFromContents(QStyle.ContentsType.CT_ComboBox, option, QSize(widest, metrics.height()),
                                           combo).width()
    combo.view().setMinimumWidth(boxed)
    cap = metrics.horizontalAdvance("中") * most_chars
    closed = combo.style().sizeFromContents(QStyle.ContentsType.CT_ComboBox, option,
                                            QSize(min(widest, cap), metrics.height()), combo).width()
    combo.setMinimumWidth(closed)
