"""Helpers for driving widgets as the clerk would; Chinese goes in through input-method events."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from PySide6.QtGui import QInputMethodEvent
from PySide6.QtWidgets import QApplication, QComboBox, QWidget

# where the tests that are evidence save their screenshots (look at them)
# How long a test waits for background work (a worker thread, a debounce, a backup): long, because
# qtbot.waitUntil returns as soon as the condition holds and these machines are shared and loaded.
WAIT_MS = 60_000

SHOTS = Path(os.environ.get("XINFANG_SCREENSHOTS", Path(__file__).resolve().parents[2] / "screenshots"))


def type_text(widget: QWidget, text: str) -> None:
    """Type `text` (Chinese or not) the way an IME commits it.

    `qtbot.keyClicks` with Chinese aborts the process; an input-method commit is what a
    real 拼音 input method sends, so the widget's own handling (cursor, signals) runs.
    """
    target: QWidget = widget
    if isinstance(widget, QComboBox) and widget.isEditable():
        line_edit = widget.lineEdit()
        assert line_edit is not None
        target = line_edit
    target.setFocus()
    event = QInputMethodEvent("", [])
    event.setCommitString(text)
    QApplication.sendEvent(target, event)


def record_boxes(monkeypatch: Any, kinds: tuple[str, ...] = ("warning", "critical", "information")) -> list[str]:
    """Every message box of these kinds recorded (its text) instead of shown; a modal box would hang a test."""
    from PySide6.QtWidgets import QMessageBox

    shown: list[str] = []
    for kind in kinds:
        monkeypatch.setattr(QMessageBox, kind, lambda _p, _t, text, *a, **k: shown.append(text))
    return shown
