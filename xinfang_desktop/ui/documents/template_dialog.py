"""The template editor: one document kind's text beside a live PDF preview filled with sample data.

Entry point for the main window's menu (e.g. 设置 → 文书模板…): open_template_dialog(parent, runner).
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from xinfang_desktop.domain.errors import XinfangError
from xinfang_desktop.domain.letters import PLACEHOLDERS, DocumentKind
from xinfang_desktop.services import documents
from xinfang_desktop.ui.actions import ActionRunner
from xinfang_desktop.ui.documents.document_dialog import PdfPreview

PREVIEW_DELAY_MS = 400  # re-render after typing pauses, not on every key


class TemplateDialog(QDialog):
    """Edit the template of each kind; an unknown placeholder is named under the editor and cannot be saved."""

    def __init__(self, runner: ActionRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.runner = runner
        self.setWindowTitle("文书模板")
        self.resize(1280, 860)
        self.kinds = QListWidget(self)
        for kind in DocumentKind:
            self.kinds.addItem(QListWidgetItem(kind.value))
        self.editor = QPlainTextEdit(self)
        self.placeholders = QListWidget(self)
        self.placeholders.setToolTip("双击插入占位符")
        for name, meaning in PLACEHOLDERS.items():
            item = QListWidgetItem(f"{{{name}}}　{meaning}")
            item.setData(Qt.ItemDataRole.UserRole, f"{{{name}}}")
            self.placeholders.addItem(item)
        self.message = QLabel(self)
        self.message.setWordWrap(True)
        self.preview = PdfPreview(self)
        self.save_button = QPushButton("保存", self)
        self.reset_button = QPushButton("恢复默认", self)
        close_button = QPushButton("关闭", self)
        help_text = QLabel("栏目：【标题】【主送】【正文】【署名】【日期】。正文每行一段；以“一、”开头为一级标题，"
                           "“（一）”为二级标题。已出具的文书不受模板修改影响。", self)
        help_text.setWordWrap(True)

        left = QWidget(self)
        left_layout = QVBoxLayout(left)
        left_layout.addWidget(QLabel("文书种类", self))
        left_layout.addWidget(self.kinds, 1)
        left_layout.addWidget(QLabel("占位符（双击插入）", self))
        left_layout.addWidget(self.placeholders, 2)
        middle = QWidget(self)
        middle_layout = QVBoxLayout(middle)
        middle_layout.addWidget(help_text)
        middle_layout.addWidget(self.editor, 1)
        middle_layout.addWidget(self.message)
        splitter = QSplitter(self)
        splitter.addWidget(left)
        splitter.addWidget(middle)
        splitter.addWidget(self.preview)
        splitter.setSizes([260, 480, 540])
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        for button in (self.reset_button, self.save_button, close_button):
            buttons.addWidget(button)
        layout = QVBoxLayout(self)
        layout.addWidget(splitter, 1)
        layout.addLayout(buttons)

        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(PREVIEW_DELAY_MS)
        self._timer.timeout.connect(self.update_preview)
        self._loading = False
        self._dirty = False
        self.kinds.currentRowChanged.connect(self._kind_changed)
        self.editor.textChanged.connect(self._text_changed)
        self.placeholders.itemDoubleClicked.connect(self._insert_placeholder)
        self.save_button.clicked.connect(self.save)
        self.reset_button.clicked.connect(self.reset)
        close_button.clicked.connect(self.accept)
        self.kinds.setCurrentRow(0)

    def current_kind(self) -> DocumentKind:
        return list(DocumentKind)[max(self.kinds.currentRow(), 0)]

    def _kind_changed(self, _row: int) -> None:
        if self._dirty and QMessageBox.question(self, "文书模板", "当前模板的修改尚未保存，要保存吗？") \
                == QMessageBox.StandardButton.Yes:
            self.save()
        self.load()

    def load(self) -> None:
        info = self.runner.read(documents.get_template, kind=self.current_kind())
        self._loading = True
        self.editor.setPlainText(info.text)
        self._loading = False
        self._dirty = False
        self.reset_button.setEnabled(info.customised)
        self.update_preview()

    def _text_changed(self) -> None:
        if not self._loading:
            self._dirty = True
            self._timer.start()

    def _insert_placeholder(self, item: QListWidgetItem) -> None:
        self.editor.insertPlainText(str(item.data(Qt.ItemDataRole.UserRole)))
        self.editor.setFocus()

    def update_preview(self) -> bool:
        """Render the text being edited; on a problem, say it under the editor and keep the last preview."""
        self._timer.stop()
        try:
            pdf = self.runner.read(documents.preview_template, kind=self.current_kind(),
                                   text=self.editor.toPlainText())
        except XinfangError as exc:
            self.message.setText(f"⚠ {exc.message}")
            self.message.setStyleSheet("color: #b00020;")
            self.save_button.setEnabled(False)
            return False
        self.message.setText("预览使用示例数据；文号在出具时编号。")
        self.message.setStyleSheet("")
        self.save_button.setEnabled(True)
        self.preview.set_pdf(pdf)
        return True

    def save(self) -> bool:
        if self.runner.run(self, documents.set_template, kind=self.current_kind(), text=self.editor.toPlainText(),
                           what="文书模板") is None:
            return False
        self._dirty = False
        self.reset_button.setEnabled(True)
        return True

    def reset(self) -> None:
        if QMessageBox.question(self, "恢复默认", f"把“{self.current_kind().value}”恢复为程序自带的默认模板吗？") \
                != QMessageBox.StandardButton.Yes:
            return
        if self.runner.run(self, documents.reset_template, kind=self.current_kind(), what="文书模板") is not None:
            self._dirty = False
            self.load()


def open_template_dialog(parent: QWidget | None, runner: ActionRunner) -> None:
    """The main window's menu entry: 设置 → 文书模板…"""
    TemplateDialog(runner, parent).exec()
