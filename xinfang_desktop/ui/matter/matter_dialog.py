"""The opened matter (卷宗): all its fields, its petitioners, its full timeline, documents and attachments."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QAction, QDesktopServices, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QMenu,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from xinfang_desktop.domain.changes import Changes
from xinfang_desktop.domain.errors import ChangedMeanwhileError, XinfangError
from xinfang_desktop.domain.idcard import mask_id_number
from xinfang_desktop.domain.status import Action
from xinfang_desktop.domain.values import MatterDetail
from xinfang_desktop.paths import data_dir, private_dir
from xinfang_desktop.services.convert import get_matter
from xinfang_desktop.services.registry import attachment_content
from xinfang_desktop.services.screening import disputes_of_matter
from xinfang_desktop.ui.actions import ActionRunner
from xinfang_desktop.ui.matter import steps

REFRESHED = "该事项刚被同事修改，已刷新为最新内容；请核对后再保存。"


def _day(value: date | None) -> str:
    return value.isoformat() if value else ""


def _yes(flag: bool) -> str:
    return "是" if flag else "否"


def _table(headers: tuple[str, ...], rows: list[tuple[str, ...]]) -> QTableWidget:
    table = QTableWidget(len(rows), len(headers))
    table.setHorizontalHeaderLabels(list(headers))
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.verticalHeader().setVisible(False)
    table.setWordWrap(True)
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            item = QTableWidgetItem(value)
            item.setToolTip(value)
            table.setItem(r, c, item)
    table.horizontalHeader().setStretchLastSection(True)
    # these tables are small (one matter), so sizing to contents is affordable here
    table.resizeColumnsToContents()
    for c in range(len(headers) - 1):
        table.setColumnWidth(c, min(table.columnWidth(c), 260))
    table.resizeRowsToContents()
    return table


class MatterDialog(QDialog):
    """Read-only view of one matter; reads it afresh each time it is opened, on 刷新 (F5, the main window's
    too), and when a step of its own is refused because another clerk changed the matter meanwhile."""

    def __init__(self, runner: ActionRunner, matter_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.runner = runner
        self.detail: MatterDetail = runner.read(get_matter, matter_id)
        d = self.detail
        self.setWindowTitle(f"信访事项 {d.number}")
        self.resize(860, 640)

        self.tabs = QTabWidget()
        self._fill_tabs(d)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText("关闭")
        buttons.rejected.connect(self.reject)
        self.steps_button = QPushButton("办理(&B)")
        self.steps_button.setToolTip("该事项当前可以办理的事项；受理决定、交办、催办和登记反馈在“交办”“督办”页办理")
        self.steps_menu = QMenu(self)
        self.steps_button.setMenu(self.steps_menu)
        buttons.addButton(self.steps_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.document_button = QPushButton("出具文书…")
        self.document_button.setMenu(self._document_menu())
        buttons.addButton(self.document_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.refresh_button = QPushButton("刷新")
        self.refresh_button.setToolTip("重新读取该事项，显示同事刚保存的内容（F5）")
        self.refresh_button.clicked.connect(lambda _=False: self.reload())
        buttons.addButton(self.refresh_button, QDialogButtonBox.ButtonRole.ActionRole)
        refresh = QAction(self)
        refresh.setShortcut(QKeySequence(QKeySequence.StandardKey.Refresh))
        refresh.triggered.connect(lambda _=False: self.reload())
        self.addAction(refresh)
        runner.data_changed.connect(self._data_changed)
        layout = QVBoxLayout(self)
        self.header = QLabel()
        self.header.setTextFormat(Qt.TextFormat.RichText)
        self.header.setWordWrap(True)
        self._fill_actions(d)
        layout.addWidget(self.header)
        layout.addWidget(self.tabs)
        layout.addWidget(buttons)

    def _fill_tabs(self, d: MatterDetail) -> None:
        self.tabs.addTab(self._fields_page(d), "基本情况")
        self.tabs.addTab(self._petitioners_page(d), f"信访人（{len(d.petitioners)}）")
        self.tabs.addTab(self._handling_page(d), f"交办（{len(d.transfers)}）")
        self.tabs.addTab(self._timeline_page(d), f"办理过程（{len(d.events)}）")
        self.tabs.addTab(self._documents_page(d), f"文书（{len(d.documents)}）")
        self.tabs.addTab(self._attachments_page(d), f"附件（{len(d.attachments)}）")

    def reload(self) -> None:
        """Read the matter again (after a document was issued from here), staying on the same page."""
        current = self.tabs.currentIndex()
        self.detail = self.runner.read(get_matter, self.detail.id)
        while self.tabs.count():
            page = self.tabs.widget(0)
            self.tabs.removeTab(0)
            page.deleteLater()
        self._fill_tabs(self.detail)
        self.tabs.setCurrentIndex(current)
        self._fill_actions(self.detail)

    def _fill_actions(self, d: MatterDetail) -> None:
        """The header and the 办理 menu: only the steps the workflow allows in the matter's state now."""
        flags = "".join(f"　<span style='color:#a00000'>{text}</span>" for text, on in (
            (f"作废原因：{d.void_reason}", bool(d.void_reason)), ("已息访", d.settled), ("已终结", d.final)) if on)
        self.header.setText(f"<b>{d.number}</b>　{d.title}　<span style='color:#555'>［{d.status.value}］</span>{flags}")
        self.steps_menu.clear()
        self.step_actions: dict[Action, QAction] = {}
        for action in steps.IN_DIALOG:
            if action not in d.steps:
                continue
            if action in (Action.EDIT, Action.VOID) and self.step_actions and Action.EDIT not in self.step_actions:
                self.steps_menu.addSeparator()
            self.step_actions[action] = self.steps_menu.addAction(
                steps.label(action, d), lambda a=action: self.run_step(a))
            if action is Action.EDIT and d.petitioners:
                people = self.steps_menu.addMenu("修改信访人")
                for p in d.petitioners:
                    people.addAction(p.name, lambda pid=p.id: self.correct_petitioner(pid))
        self.steps_button.setEnabled(bool(self.step_actions))
        self.document_button.setEnabled(Action.DOCUMENT in d.steps)

    def _data_changed(self, changes: Changes) -> None:
        if changes.everything and self.isVisible():  # F5 in the main window, an import
            self.reload()

    def _refused(self, exc: XinfangError) -> None:
        """A save of this 卷宗 refused because another clerk changed the matter: show what they saved, at
        once, behind the form that stays open over what this clerk typed (steps.seen)."""
        if isinstance(exc, ChangedMeanwhileError):
            self.reload()
            self.header.setText(f"{self.header.text()}<br><span style='color:#a05000'>{REFRESHED}</span>")

    def _step(self, run: Callable[[], bool]) -> bool:
        self.runner.error_shown.connect(self._refused)
        try:
            done = run()
        finally:
            self.runner.error_shown.disconnect(self._refused)
        if done:
            self.reload()
        return done

    def correct_petitioner(self, petitioner_id: int) -> bool:
        return self._step(lambda: steps.correct_petitioner(self, self.runner, self.detail, petitioner_id))

    def run_step(self, action: Action) -> bool:
        """One step from the 办理 menu; the 卷宗 shows its effect at once."""
        if action not in self.detail.steps:
            return False
        return self._step(lambda: steps.RUN[action](self, self.runner, self.detail))

    def _fields_page(self, d: MatterDetail) -> QWidget:
        page = QWidget()
        form = QFormLayout(page)
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        source = d.source.value + (f"（{d.source_level.value}）" if d.source_level else "")
        purpose = d.purpose.value + (f"（{d.route.value}）" if d.route else "")
        flags = "、".join(
            name
            for name, on in (("集体访", d.collective), ("联名信", d.joint), ("匿名", d.anonymous), ("重复信访", d.repeat),
                             ("涉及人大代表", d.involves_deputy), ("重点督办", d.key_supervision),
                             ("已延期", d.extended), ("已息访", d.settled), ("终结", d.final))
            if on
        )
        rows: list[tuple[str, str]] = [
            ("编号", d.number),
            ("原编号", d.source_number),
            ("登记日期", _day(d.received_on)),
            ("信访形式", d.channel.value),
            ("来源", source),
            ("信访目的", purpose),
            ("问题分类", d.category),
            ("问题发生地", d.place),
            ("标题", d.title),
            ("反映内容", d.content),
            ("诉求", d.demand),
            ("人数", str(d.persons)),
            ("标记", flags or "无"),
            ("越级", d.skip_level.value if d.skip_level else "否"),
            ("属于本机关受理范围", _yes(d.in_scope)),
            ("接访领导", d.receiving_leader),
            ("拟办意见", d.proposal),
            ("领导批示", "；".join(f"{i.leader}（{_day(i.on)}）：{i.text}" for i in d.instructions)),
            ("受理决定", (d.decision.value + f"（{_day(d.decided_on)}）") if d.decision else "未决定"),
            ("告知期限", _day(d.notice_due)),
            ("办理期限", _day(d.due_on)),
            ("状态", d.status.value),
            ("答复", (f"{_day(d.replied_on)}：{d.reply_text}") if d.replied_on else ""),
            ("满意度", d.satisfaction.value if d.satisfaction else ""),
            ("办结日期", _day(d.closed_on)),
            ("办理结果", d.result),
            ("领导包案", (f"{d.charge.post}{d.charge.leader}（{_day(d.charge.assigned_on)}包案，"
                      f"化解期限{_day(d.charge.resolve_by)}）：{d.charge.measures}") if d.charge else ""),
            ("矛盾纠纷", "；".join(f"{x.village}{_day(x.found_on)}排查，风险等级{x.risk.value}，{x.state.value}：{x.summary}"
                               for x in self.runner.read(disputes_of_matter, d.id))),
            ("验证", "；".join(f"{_day(v.checked_on)} {v.checker}{v.method}：{v.result.value}"
                             + (f"（{v.reason}）" if v.reason else "") for v in d.verifications)),
            ("作废原因", d.void_reason),
            ("备注", d.note),
        ]
        for label, value in rows:
            if label in ("原编号", "作废原因", "备注", "答复", "满意度", "办结日期", "办理结果", "领导包案", "矛盾纠纷", "验证") and not value:
                continue
            field = QLabel(value)
            field.setWordWrap(True)
            field.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            form.addRow(label, field)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(page)
        return scroll

    def _petitioners_page(self, d: MatterDetail) -> QWidget:
        rows = [
            (p.role.value, p.name, p.sex.value if p.sex else "", mask_id_number(p.id_number) if p.id_number else "",
             p.phone, p.region, p.address)
            for p in d.petitioners
        ]
        return _table(("身份", "姓名", "性别", "身份证号", "联系电话", "乡镇/村", "住址"), rows)

    def _handling_page(self, d: MatterDetail) -> QWidget:
        rows = [
            (t.kind.value, t.unit, t.role.value, _day(t.sent_on), _day(t.due_on), t.state.value, str(t.reminders),
             "；".join(f"{_day(f.received_on)} {f.result or f.text}" for f in t.feedback))
            for t in d.transfers
        ]
        return _table(("方式", "承办单位", "主/协办", "交办日期", "办理期限", "状态", "催办次数", "反馈"), rows)

    def _timeline_page(self, d: MatterDetail) -> QWidget:
        rows = [(e.at.strftime("%Y-%m-%d %H:%M"), e.kind, e.actor, e.text) for e in d.events]
        self.timeline = _table(("时间", "事项", "经办人", "内容"), rows)
        return self.timeline

    def _documents_page(self, d: MatterDetail) -> QWidget:
        rows = [
            (doc.number, doc.kind, _stamp(doc.issued_at), doc.delivery.value if doc.delivery else "",
             _day(doc.delivered_on))
            for doc in d.documents
        ]
        self.documents_table = _table(("文号", "文书", "出具时间", "送达方式", "送达日期"), rows)
        self.documents_table.setToolTip("双击查看、打印已出具的文书（与出具时完全一致）")
        self.documents_table.doubleClicked.connect(self._open_document)
        return self.documents_table

    def _document_menu(self) -> QMenu:
        from xinfang_desktop.domain.letters import DocumentKind

        menu = QMenu(self)
        for kind in DocumentKind:
            menu.addAction(kind.value, lambda k=kind.value: self._new_document(k))
        return menu

    def _new_document(self, kind: str) -> None:
        from xinfang_desktop.ui.documents import document_dialog

        if document_dialog.ask_document(self, self.runner, self.detail.id, kind) is not None:
            self.reload()

    def _open_document(self, index) -> None:  # type: ignore[no-untyped-def]
        from xinfang_desktop.ui.documents.document_dialog import open_document

        open_document(self, self.runner, self.detail.documents[index.row()].id)

    def _attachments_page(self, d: MatterDetail) -> QWidget:
        rows = [(a.filename, f"{a.size:,} 字节", a.sha256[:12]) for a in d.attachments]
        self.attachments_table = _table(("文件名", "大小", "校验码"), rows)
        self.attachments_table.doubleClicked.connect(self._open_attachment)
        self.attachments_table.setToolTip("双击打开附件")
        return self.attachments_table

    def attachment_path(self, row: int) -> Path:
        """The attachment written out of the database into this user's own folder, to be opened by the
        program its kind opens with; XinfangError when its file is not in the database."""
        attachment = self.detail.attachments[row]
        content = self.runner.read(attachment_content, attachment_id=attachment.id)
        folder = private_dir(data_dir() / "opened-attachments" / attachment.sha256[:16])
        path = folder / Path(attachment.filename).name
        if not path.is_file() or path.read_bytes() != content:
            path.write_bytes(content)
        return path

    def _open_attachment(self, index) -> None:  # type: ignore[no-untyped-def]
        try:
            path = self.attachment_path(index.row())
        except XinfangError as exc:
            QMessageBox.information(self, "无法打开附件", exc.message)
            return
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))


def _stamp(value: datetime) -> str:
    return value.strftime("%Y-%m-%d %H:%M")
