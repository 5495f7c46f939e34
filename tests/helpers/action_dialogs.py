"""Test doubles for the 交办/督办 dialogs: scripted answers typed in as a clerk would, message boxes recorded."""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import pytest
from PySide6.QtWidgets import (
    QDialog,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
)

from tests.helpers.qt import type_text
from xinfang_desktop.domain.enums import TransferRole
from xinfang_desktop.ui.action_dialogs import FormDialog, TransferDialog
from xinfang_desktop.ui.documents import documents_hook


@dataclass
class Script:
    """Answers for the next dialogs, in order; None cancels. Titles and messages are recorded."""

    forms: deque[dict[str, Any] | None] = field(default_factory=deque)
    transfers: deque[tuple[date, list[tuple[int, TransferRole, date | None]]] | None] = field(default_factory=deque)
    titles: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    infos: list[str] = field(default_factory=list)
    documents: list[tuple[int, str, int | None]] = field(default_factory=list)  # offered

    def form(self, **values: Any) -> Script:
        self.forms.append(values)
        return self

    def cancel(self) -> Script:
        self.forms.append(None)
        return self

    def transfer(self, on: date, *targets: tuple[int, TransferRole, date | None]) -> Script:
        self.transfers.append((on, list(targets)))
        return self

    def done(self) -> None:
        assert not self.forms and not self.transfers, "some scripted answers were never asked for"


def _fill_form(dialog: FormDialog, values: dict[str, Any]) -> None:
    for key, value in values.items():
        widget = dialog.widgets[key]
        if isinstance(value, str) and isinstance(widget, (QLineEdit, QPlainTextEdit)):
            if isinstance(widget, QLineEdit):
                widget.clear()
            else:
                widget.setPlainText("")
            type_text(widget, value)
            assert dialog.value(key) == value
        else:
            dialog.set_value(key, value)


@pytest.fixture
def script(monkeypatch: pytest.MonkeyPatch) -> Script:
    s = Script()

    def form_exec(dialog: FormDialog) -> int:
        s.titles.append(dialog.windowTitle())
        answer = s.forms.popleft()
        if answer is None:
            return QDialog.DialogCode.Rejected.value
        _fill_form(dialog, answer)
        return QDialog.DialogCode.Accepted.value

    def transfer_exec(dialog: TransferDialog) -> int:
        s.titles.append(dialog.windowTitle())
        answer = s.transfers.popleft()
        if answer is None:
            return QDialog.DialogCode.Rejected.value
        on, targets = answer
        dialog.on_edit.setDate(dialog.on_edit.date().fromString(on.isoformat(), "yyyy-MM-dd"))
        for unit_id, role, due in targets:
            dialog.add_unit(unit_id, role, due)
        return QDialog.DialogCode.Accepted.value

    def warning(_parent: Any, _title: str, text: str, *args: Any, **kwargs: Any) -> QMessageBox.StandardButton:
        s.warnings.append(text)
        return QMessageBox.StandardButton.Ok

    def information(_parent: Any, _title: str, text: str, *args: Any, **kwargs: Any) -> QMessageBox.StandardButton:
        s.infos.append(text)
        return QMessageBox.StandardButton.Ok

    def critical(_parent: Any, _title: str, text: str, *args: Any, **kwargs: Any) -> QMessageBox.StandardButton:
        raise AssertionError("crash dialog shown: " + text)

    def offer_document(_parent: Any, _runner: Any, matter_id: int, kind: str, *, transfer_id: int | None = None,
                       said: set[str] | None = None) -> None:
        s.documents.append((matter_id, kind, transfer_id))

    monkeypatch.setattr(documents_hook, "offer_document", offer_document)
    monkeypatch.setattr(FormDialog, "exec", form_exec)
    monkeypatch.setattr(TransferDialog, "exec", transfer_exec)
    monkeypatch.setattr(QMessageBox, "warning", warning)
    monkeypatch.setattr(QMessageBox, "information", information)
    monkeypatch.setattr(QMessageBox, "critical", critical)
    return s
