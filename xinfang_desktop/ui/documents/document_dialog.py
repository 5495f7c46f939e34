"""The document dialog: preview a letter (QtPdf), issue it with a number, print it, save it as PDF, record delivery.

Entry points other screens call:
- offer_document(parent, runner, matter_id, kind, transfer_id=None): after an action, the draft of
  `kind` (e.g. 交办函) for the matter, non-blocking; the clerk issues it (numbered and stored),
  prints it, saves it, or closes it.
- ask_document(parent, runner, matter_id, kind): the clerk asked for a document; says why not.
- open_document(parent, runner, document_id): an issued document, reprinted exactly as stored.
- print_reminder_batch(parent, runner, transfer_ids=…): the 催办单 of the transfers chosen (default the overdue) in one PDF.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import date
from pathlib import Path

from PySide6.QtCore import (
    QBuffer,
    QByteArray,
    QDate,
    QIODevice,
    QRect,
    QSize,
    Qt,
)
from PySide6.QtGui import QPageLayout, QPageSize, QPainter
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from xinfang_desktop import wallclock
from xinfang_desktop.db.database import Database
from xinfang_desktop.domain.changes import Changes
from xinfang_desktop.domain.enums import Delivery
from xinfang_desktop.domain.errors import XinfangError
from xinfang_desktop.domain.letters import protects_informant
from xinfang_desktop.domain.values import DocumentInfo
from xinfang_desktop.services import documents
from xinfang_desktop.services.common import cn_date
from xinfang_desktop.services.convert import get_matter
from xinfang_desktop.services.office import OFFICE_SETTING_FIELDS
from xinfang_desktop.ui.actions import ActionRunner
from xinfang_desktop.ui.date_edit import DateEdit
from xinfang_desktop.ui.workers import Job, Progress, run_with_progress

log = logging.getLogger(__name__)

PRINT_DPI = 300  # sharp enough for 16 pt text; a 600 dpi A4 page image would take 140 MB


class PdfPreview(QWidget):
    """A PDF shown from bytes: QPdfDocument over a QBuffer that lives as long as the widget."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.document = QPdfDocument(self)
        self.view = QPdfView(self)
        self.view.setDocument(self.document)
        self.view.setPageMode(QPdfView.PageMode.MultiPage)
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.view)
        self._buffer: QBuffer | None = None
        self.pdf = b""

    def set_pdf(self, pdf: bytes) -> None:
        self.pdf = pdf
        self.document.close()
        buffer = QBuffer(self)
        buffer.setData(QByteArray(pdf))
        buffer.open(QIODevice.OpenModeFlag.ReadOnly)
        self.document.load(buffer)
        if self._buffer is not None:
            self._buffer.deleteLater()
        self._buffer = buffer

    def page_count(self) -> int:
        return int(self.document.pageCount())


def print_pdf(parent: QWidget | None, pdf: bytes, *, printer: QPrinter | None = None, ask: bool = True) -> bool:
    """Print PDF bytes page by page at full page size, so the GB/T 9704 margins stay exactly as laid out."""
    document = QPdfDocument()
    buffer = QBuffer()
    buffer.setData(QByteArray(pdf))
    buffer.open(QIODevice.OpenModeFlag.ReadOnly)
    document.load(buffer)
    if document.pageCount() == 0:
        QMessageBox.warning(parent, "无法打印", "文书内容无法读取，未打印。请重新生成该文书。")
        return False
    printer = printer or QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setResolution(PRINT_DPI)
    printer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
    printer.setPageOrientation(QPageLayout.Orientation.Portrait)
    printer.setFullPage(True)  # the PDF carries its own margins: print it edge to edge, unscaled
    if ask:
        dialog = QPrintDialog(printer, parent)
        dialog.setWindowTitle("打印文书")
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return False
    painter = QPainter()
    if not painter.begin(printer):
        QMessageBox.warning(parent, "无法打印", "打印机无法开始打印，请检查打印机是否连接、是否缺纸。")
        return False
    try:
        target: QRect = printer.pageLayout().fullRectPixels(printer.resolution())
        for page in range(document.pageCount()):
            if page:
                printer.newPage()
            image = document.render(page, QSize(target.width(), target.height()))
            painter.drawImage(QRect(0, 0, target.width(), target.height()), image)
    finally:
        painter.end()
    return True


def save_pdf(parent: QWidget | None, pdf: bytes, suggested: str) -> Path | None:
    """另存为PDF: the stored bytes, unchanged."""
    name, _ = QFileDialog.getSaveFileName(parent, "另存为PDF", suggested, "PDF 文件 (*.pdf)")
    if not name:
        return None
    path = Path(name if name.lower().endswith(".pdf") else name + ".pdf")
    try:
        path.write_bytes(pdf)
    except OSError as exc:
        QMessageBox.warning(parent, "无法保存", f"无法写入“{path}”（{exc.strerror}），请换一个文件夹再试。")
        return None
    return path


def _file_name(title: str, number: str) -> str:
    return f"{title}-{number}.pdf".replace("/", "-").replace("\\", "-")


class DocumentDialog(QDialog):
    """One document: its draft (before issuing) or its stored PDF (after), with print, save and delivery."""

    def __init__(
        self,
        runner: ActionRunner,
        *,
        title: str,
        parent: QWidget | None = None,
        draft: Callable[[bool], bytes] | None = None,
        issue: Callable[[bool], DocumentInfo | None] | None = None,
        protected: bool = False,
        document: DocumentInfo | None = None,
    ) -> None:
        super().__init__(parent)
        self.runner = runner
        self._draft = draft
        self._issue = issue
        self.info: DocumentInfo | None = document
        self.printable = document is not None
        self.suggested_name = _file_name(document.kind, document.number) if document is not None else ""
        self.setWindowTitle(title)
        self.resize(760, 900)
        self.preview = PdfPreview(self)
        self.status = QLabel(self)
        self.status.setWordWrap(True)
        self.disclose = QCheckBox("在本文书中写明检举控告人的姓名、身份证号、电话和住址（依法应保密，确需写明时勾选，将记入时间线）", self)
        self.disclose.setVisible(protected and document is None)
        self.disclose.toggled.connect(self._refresh_draft)
        self.issue_button = QPushButton("出具并编号", self)
        self.print_button = QPushButton("打印…", self)
        self.save_button = QPushButton("另存为PDF…", self)
        self.delivery_box = QComboBox(self)
        self.delivery_box.addItems([d.value for d in Delivery])
        self.delivery_date = DateEdit(QDate(wallclock.today()), self, display_format="yyyy年M月d日")
        self.delivery_button = QPushButton("登记送达", self)
        close_button = QPushButton("关闭", self)
        self.issue_button.clicked.connect(self.issue)
        self.print_button.clicked.connect(self.print_document)
        self.save_button.clicked.connect(self.save_document)
        self.delivery_button.clicked.connect(self.record_delivery)
        close_button.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        for widget in (self.issue_button, self.print_button, self.save_button):
            buttons.addWidget(widget)
        buttons.addStretch(1)
        buttons.addWidget(QLabel("送达方式", self))
        buttons.addWidget(self.delivery_box)
        buttons.addWidget(self.delivery_date)
        buttons.addWidget(self.delivery_button)
        buttons.addWidget(close_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.status)
        layout.addWidget(self.disclose)
        layout.addWidget(self.preview, 1)
        layout.addLayout(buttons)
        if document is not None:
            self.preview.set_pdf(runner.read(documents.document_pdf, document.id))
        else:
            self._refresh_draft()
        self._update_state()

    def _refresh_draft(self) -> None:
        if self._draft is not None and self.info is None:
            self.preview.set_pdf(self._draft(self.disclose.isChecked()))

    def _update_state(self) -> None:
        issued = self.info is not None
        self.issue_button.setVisible(not issued and self._issue is not None)
        self.print_button.setEnabled(self.printable)
        self.save_button.setEnabled(self.printable)
        for widget in (self.delivery_box, self.delivery_date, self.delivery_button):
            widget.setEnabled(issued)
        if self.info is None:
            self.status.setText("草稿预览：出具后编号并存档，方可打印。存档后的文书不随模板修改而改变。")
        else:
            delivered = (f"，已于{cn_date(self.info.delivered_on)}{self.info.delivery.value}"
                         if self.info.delivery and self.info.delivered_on else "，尚未登记送达")
            self.status.setText(f"{self.info.kind}　文号：{self.info.number}{delivered}")

    def issue(self) -> None:
        if self._issue is None or self.info is not None:
            return
        info = self._issue(self.disclose.isChecked())
        if info is None:
            return  # the runner has shown why; nothing was issued
        self.info = info
        self.printable = True
        self.suggested_name = _file_name(info.kind, info.number)
        self.preview.set_pdf(self.runner.read(documents.document_pdf, info.id))
        self._update_state()

    def print_document(self) -> bool:
        return self.printable and print_pdf(self, self.preview.pdf)

    def save_document(self) -> Path | None:
        if not self.printable:
            return None
        return save_pdf(self, self.preview.pdf, self.suggested_name)

    def record_delivery(self) -> None:
        if self.info is None:
            return
        on: date = self.delivery_date.date().toPython()  # type: ignore[assignment]
        info = self.runner.run(self, documents.record_delivery, document_id=self.info.id,
                               delivery=Delivery(self.delivery_box.currentText()), on=on, what="送达")
        if info is not None:
            self.info = info
            self._update_state()


def document_dialog(
    parent: QWidget | None, runner: ActionRunner, matter_id: int, kind: str, *, transfer_id: int | None = None,
    after_action: bool = True, explain: bool = True, said: set[str] | None = None,
) -> DocumentDialog | None:
    """Build the dialog for a new document of `kind`, or None when the matter cannot have one.

    explain: say why in a message box (when the clerk asked for this document); otherwise only log it,
    unless a setting the letter needs (机关名称, 复查机关, 复核机关) is not set yet: that is said, once for
    the settings in `said` (the offers of one action share it).
    """
    try:
        the_kind = documents.document_kind(kind)
        detail = runner.read(get_matter, matter_id)
        # probe once: a refusal (wrong state, anonymous, missing font) opens no dialog
        runner.read(documents.draft_document, matter_id=matter_id, kind=the_kind, transfer_id=transfer_id)
    except XinfangError as exc:
        log.info("no %s for matter %s: %s", kind, matter_id, exc.message)
        # no 机关名称 (复查机关, 复核机关) yet is said even after an action: the letter is owed, and the message
        # says where to set it
        if explain or (exc.field in OFFICE_SETTING_FIELDS and exc.field not in (said or set())):
            QMessageBox.information(parent, "无法出具文书", exc.message)
            if said is not None and exc.field:
                said.add(exc.field)
        return None

    def draft(disclose: bool) -> bytes:
        # the draft shows what will be issued: after the 督办 tab's 催办 the count is already recorded
        return runner.read(documents.draft_document, matter_id=matter_id, kind=the_kind, transfer_id=transfer_id,
                           disclose_informant=disclose, record_reminder=not after_action)

    def issue(disclose: bool) -> DocumentInfo | None:
        # after the 督办 tab's 催办 action the reminder is already counted: the 催办单 only documents it
        return runner.run(parent, documents.issue_document, matter_id=matter_id, kind=the_kind,
                          transfer_id=transfer_id, disclose_informant=disclose,
                          record_reminder=not after_action, what=f"出具{the_kind.value}")

    return DocumentDialog(runner, title=f"{the_kind.value}　{detail.number}", parent=parent, draft=draft,
                          issue=issue, protected=protects_informant(detail.purpose, the_kind))


def offer_document(
    parent: QWidget | None, runner: ActionRunner, matter_id: int, kind: str, *, transfer_id: int | None = None,
    after_action: bool = True, said: set[str] | None = None,
) -> DocumentDialog | None:
    """After an action, offer the draft of `kind` for the matter: the clerk may issue, print and save it, or close.

    The dialog opens window-modal without blocking the caller (the action is already done).
    A document the matter does not owe (e.g. no notice for an anonymous petitioner) is not
    offered and not explained: the clerk did not ask for it. after_action: a 催办单 then only
    documents the 催办 the tab already counted.
    """
    dialog = document_dialog(parent, runner, matter_id, kind, transfer_id=transfer_id, after_action=after_action,
                             explain=not after_action, said=said)
    if dialog is None:
        return None
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()
    return dialog


def ask_document(parent: QWidget | None, runner: ActionRunner, matter_id: int, kind: str, *,
                 transfer_id: int | None = None) -> DocumentInfo | None:
    """The clerk asked for a document (e.g. from the matter's 文书 menu): why not, or the dialog; what was issued."""
    dialog = document_dialog(parent, runner, matter_id, kind, transfer_id=transfer_id, after_action=False)
    if dialog is None:
        return None
    dialog.exec()
    return dialog.info


def open_document(parent: QWidget | None, runner: ActionRunner, document_id: int) -> None:
    """Reprint an issued document: the stored PDF, exactly as issued."""
    try:
        info = runner.read(documents.get_document, document_id)
    except XinfangError as exc:
        QMessageBox.information(parent, "无法打开文书", exc.message)
        return
    DocumentDialog(runner, title=f"{info.kind}　{info.number}", parent=parent, document=info).exec()


def _issue_reminders(db: Database, on: date | None, transfer_ids: list[int] | None, versions: dict[int, int] | None,
                     progress: Progress, cancelled: Callable[[], bool]) -> documents.ReminderBatch:
    """The 催办单 batch in its own transaction; cancelling rolls it all back."""

    def step(done: int, total: int) -> bool:
        progress(done, total)
        return not cancelled()

    with db.begin() as session:
        return documents.reminder_batch(session, on=on, transfer_ids=transfer_ids, progress=step, versions=versions)


def show_batch(parent: QWidget | None, runner: ActionRunner, batch: documents.ReminderBatch) -> DocumentDialog:
    """The batch's one PDF, ready to print or save; delivery is recorded per document elsewhere."""
    dialog = DocumentDialog(runner, title=f"催办单（{len(batch.documents)}份）", parent=parent)
    dialog.preview.set_pdf(batch.pdf)
    dialog.printable = True
    dialog.suggested_name = f"催办单-{batch.documents[0].number}等{len(batch.documents)}份.pdf"
    dialog._update_state()
    for widget in (dialog.delivery_box, dialog.delivery_date, dialog.delivery_button):
        widget.setVisible(False)
    dialog.status.setText(f"已出具催办单{len(batch.documents)}份：{batch.documents[0].number}至{batch.documents[-1].number}")
    return dialog


def print_reminder_batch(
    parent: QWidget | None, runner: ActionRunner, *, on: date | None = None, transfer_ids: list[int] | None = None,
    versions: dict[int, int] | None = None,
) -> Job | None:
    """Issue a 催办单 to each transfer chosen (default every overdue one), each counted as a 催办, in the
    background, then show them all as one PDF.

    The 督办 board's 批量催办单 calls this with the rows selected and the versions it read of their
    matters (a matter changed meanwhile refuses the batch). Returns the running job (None if the
    clerk said no).
    """
    which = (f"选中的{len(transfer_ids)}个交办件" if transfer_ids is not None else "所有超期未反馈的交办件")
    answer = QMessageBox.question(parent, "批量催办",
                                  f"将为{which}各出具一份催办单（编号存档并记为一次催办），合为一个PDF打印，继续吗？")
    if answer != QMessageBox.StandardButton.Yes:
        return None
    db = runner.db
    job = Job(lambda progress, cancelled: _issue_reminders(db, on, transfer_ids, versions, progress, cancelled),
              name="reminder batch",
              bug_text="批量催办时程序内部出错，本次未出具任何催办单。错误详情已记入日志文件，请告知维护人员。")

    def finished(batch: documents.ReminderBatch) -> None:
        if not batch.documents:
            QMessageBox.information(parent, "批量催办", "目前没有超期未反馈的交办件。")
            return
        # each reminder is counted on its transfer: the board's 催办 column changes
        runner.announce(Changes(matters=frozenset({0}), documents=frozenset(d.id for d in batch.documents),
                                label="批量催办"))
        show_batch(parent, runner, batch).exec()

    def failed(message: str, _cancelled: bool) -> None:
        QMessageBox.warning(parent, "批量催办未完成", message)

    run_with_progress(parent, job, "正在出具催办单…", title="批量催办", on_done=finished, on_failed=failed,
                      step_text=lambda done, total: f"正在出具催办单 {done}/{total}…")
    return job
