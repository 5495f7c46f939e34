"""The document dialog and the template editor driven as the clerk does: preview, issue, print, save, deliver, edit."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import QDate, Qt
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QFileDialog, QMessageBox
from sqlalchemy import select

from tests.helpers.pdf import page_sizes, pdf_text
from tests.helpers.qt import WAIT_MS, type_text
from xinfang_desktop import wallclock
from xinfang_desktop.db.database import Database
from xinfang_desktop.db.models import Document
from xinfang_desktop.domain.enums import Channel, Decision, Delivery, EventKind, Purpose
from xinfang_desktop.domain.letters import DocumentKind
from xinfang_desktop.domain.values import MatterInput, PetitionerInput, TransferTarget
from xinfang_desktop.services import documents
from xinfang_desktop.services.convert import get_matter
from xinfang_desktop.services.reference import list_units
from xinfang_desktop.services.registry import decide, register_matter
from xinfang_desktop.ui.actions import ActionRunner
from xinfang_desktop.ui.documents import document_dialog as dd
from xinfang_desktop.ui.documents.template_dialog import TemplateDialog


@pytest.fixture
def runner(db: Database) -> ActionRunner:
    return ActionRunner(db)


@pytest.fixture
def messages(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    shown: list[str] = []

    def record(_parent: object, _title: str, text: str, *_a: object) -> QMessageBox.StandardButton:
        shown.append(text)
        return QMessageBox.StandardButton.Yes

    for name in ("information", "warning", "critical", "question"):
        monkeypatch.setattr(QMessageBox, name, staticmethod(record))
    return shown


def _matter(db: Database, *, assign: bool = True, purpose: Purpose = Purpose.CLAIM, name: str = "张三",
            due: date = date(2026, 5, 4)) -> int:
    data = MatterInput(received_on=date(2026, 3, 2), channel=Channel.LETTER, title="反映村道硬化工程质量问题",
                       petitioners=(PetitionerInput(name=name, phone="13800001111", address="石桥村5组"),),
                       purpose=purpose)
    with db.begin() as s:
        matter_id = register_matter(s, data).id
        unit = list_units(s)[0].id
        if assign:
            decide(s, matter_id=matter_id, decision=Decision.ASSIGN, on=date(2026, 3, 5),
                   targets=(TransferTarget(unit, due_on=due),))
    return matter_id


def test_issue_then_print_save_and_record_delivery(qtbot, db: Database, runner: ActionRunner, tmp_path: Path,  # type: ignore[no-untyped-def]
                                                   messages: list[str], monkeypatch: pytest.MonkeyPatch) -> None:
    matter_id = _matter(db)
    dialog = dd.document_dialog(None, runner, matter_id, "交办函")
    assert dialog is not None
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.preview.page_count() == 1)
    assert not dialog.print_button.isEnabled() and dialog.issue_button.isVisibleTo(dialog)
    assert not dialog.disclose.isVisibleTo(dialog)  # not a 检举控告 matter
    qtbot.mouseClick(dialog.issue_button, Qt.MouseButton.LeftButton)
    with db.read() as s:
        stored = s.scalars(select(Document)).one()
        number, pdf = stored.number, bytes(stored.pdf)
    assert number == "信告〔2026〕1号" and dialog.preview.pdf == pdf
    assert dialog.print_button.isEnabled() and not dialog.issue_button.isVisibleTo(dialog)
    assert number in dialog.status.text()
    dialog.grab().save(str(tmp_path / "document_dialog.png"))

    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "printed.pdf"))
    assert dd.print_pdf(dialog, dialog.preview.pdf, printer=printer, ask=False)
    printed = (tmp_path / "printed.pdf").read_bytes()
    assert [(round(w), round(h)) for w, h in page_sizes(printed)] == [(595, 842)]

    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: (str(tmp_path / "saved"), "")))
    saved = dialog.save_document()
    assert saved == tmp_path / "saved.pdf" and saved.read_bytes() == pdf

    dialog.delivery_box.setCurrentText(Delivery.REGISTERED.value)
    dialog.delivery_date.setDate(QDate(wallclock.today()))  # the program's day (XINFANG_TODAY), not the PC's
    dialog.record_delivery()
    with db.read() as s:
        assert s.scalars(select(Document.delivery)).one() is Delivery.REGISTERED
    assert "挂号" in dialog.status.text()
    assert messages == []


def test_a_document_the_state_does_not_allow_is_explained_and_not_opened(qtbot, db: Database,  # type: ignore[no-untyped-def]
                                                                        runner: ActionRunner,
                                                                        messages: list[str]) -> None:
    matter_id = _matter(db, assign=False)
    assert dd.offer_document(None, runner, matter_id, "交办函") is None
    assert messages == []  # offered after an action: a document not owed is not offered, nor explained
    assert dd.ask_document(None, runner, matter_id, "交办函") is None
    assert len(messages) == 1 and "尚未交办" in messages[0]


def test_disclosing_an_informant_is_a_deliberate_checked_choice(qtbot, db: Database, runner: ActionRunner,  # type: ignore[no-untyped-def]
                                                                tmp_path: Path, messages: list[str]) -> None:
    matter_id = _matter(db, purpose=Purpose.ACCUSATION, name="赵检举")
    dialog = dd.document_dialog(None, runner, matter_id, "交办函")
    assert dialog is not None
    qtbot.addWidget(dialog)
    assert dialog.disclose.isVisibleTo(dialog) and not dialog.disclose.isChecked()
    assert "赵检举" not in pdf_text(dialog.preview.pdf, tmp_path)
    dialog.disclose.setChecked(True)
    assert "赵检举" in pdf_text(dialog.preview.pdf, tmp_path)  # the draft follows the choice
    dialog.issue()
    with db.read() as s:
        events = [e.kind for e in get_matter(s, matter_id).events]
    assert EventKind.INFORMANT_DISCLOSED.value in events


def test_reminder_after_the_supervise_action_is_not_counted_twice(qtbot, db: Database, runner: ActionRunner,  # type: ignore[no-untyped-def]
                                                                  messages: list[str],
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    matter_id = _matter(db, due=date(2026, 4, 1))
    dialog = dd.offer_document(None, runner, matter_id, "催办单")
    assert dialog is not None and dialog.isVisible()  # open, and the caller was not blocked
    qtbot.addWidget(dialog)
    dialog.issue()
    assert dialog.info is not None and dialog.info.kind == DocumentKind.REMINDER.value
    with db.read() as s:
        assert get_matter(s, matter_id).transfers[0].reminders == 0  # the tab's own 催办 counts it
    shown: list[str] = []
    monkeypatch.setattr(dd.DocumentDialog, "exec", lambda self: shown.append(self.status.text()) or 0)
    job = dd.print_reminder_batch(None, runner)
    assert job is not None
    qtbot.waitUntil(lambda: bool(shown), timeout=WAIT_MS)  # the batch runs in a pool thread
    assert "催办单1份" in shown[0]
    with db.read() as s:
        assert get_matter(s, matter_id).transfers[0].reminders == 1
        assert len(s.scalars(select(Document)).all()) == 2


def test_template_editor_names_an_unknown_placeholder_and_saves_a_good_text(qtbot, db: Database,  # type: ignore[no-untyped-def]
                                                                           runner: ActionRunner, tmp_path: Path,
                                                                           messages: list[str]) -> None:
    dialog = TemplateDialog(runner)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.kinds.setCurrentRow(list(DocumentKind).index(DocumentKind.REPLY_LETTER))
    assert "【标题】复信" in dialog.editor.toPlainText()
    cursor = dialog.editor.textCursor()
    cursor.movePosition(cursor.MoveOperation.End)
    dialog.editor.setTextCursor(cursor)
    dialog.editor.setFocus()
    type_text(dialog.editor, "\n{来信人}")
    assert not dialog.update_preview()
    assert "{来信人}" in dialog.message.text() and not dialog.save_button.isEnabled()
    dialog.editor.setPlainText(dialog.editor.toPlainText().replace("{来信人}", "此复。"))
    assert dialog.update_preview()
    assert "此复。" in pdf_text(dialog.preview.pdf, tmp_path).replace("\n", "")
    assert dialog.save()
    with db.read() as s:
        info = documents.get_template(s, kind=DocumentKind.REPLY_LETTER)
    assert info.customised and info.text.rstrip().endswith("此复。")
    dialog.grab().save(str(tmp_path / "template_dialog.png"))
    assert messages == []
