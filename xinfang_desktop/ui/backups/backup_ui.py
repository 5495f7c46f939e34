"""The window's side of backups: the full check and the day's backup after the first paint, the backup at
close, 文件→从备份恢复…, and 设置→备份… (the second folder). The work itself is services.backups'."""

from __future__ import annotations

import logging
import threading
import traceback
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any, TypeVar

from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, Signal
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QProgressDialog,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from xinfang_desktop import wallclock
from xinfang_desktop.db.database import Database
from xinfang_desktop.domain.errors import XinfangError
from xinfang_desktop.services.backups import (
    backup_at_close,
    backup_at_start,
    check_whole,
    latest_good,
    may_back_up,
    restore_backup,
    second_folder,
    set_second_folder,
)
from xinfang_desktop.ui.actions import ActionRunner

log = logging.getLogger(__name__)
T = TypeVar("T")
PAINT_EVERY_S = 0.05
BACKUP_FILTER = "信访台账备份 (*.sqlite3);;所有文件 (*)"


def run_busy(parent: QWidget | None, title: str, label: str, work: Callable[[], T]) -> T:
    """`work()` in a thread while a busy dialog that cannot be cancelled is shown; its error is raised here."""
    dialog = QProgressDialog(label, "", 0, 0, parent)
    dialog.setWindowTitle(title)
    dialog.setCancelButton(None)  # a backup or a restore stopped half-way is what must not happen
    dialog.setWindowModality(Qt.WindowModality.ApplicationModal)
    dialog.setMinimumDuration(300)
    outcome: dict[str, Any] = {}

    def run() -> None:
        try:
            outcome["value"] = work()
        except BaseException as exc:  # noqa: BLE001 - handed to the main thread and raised there
            outcome["error"] = exc

    worker = threading.Thread(target=run, name="xinfang-busy", daemon=True)
    worker.start()
    while worker.is_alive():
        QApplication.processEvents()
        worker.join(PAINT_EVERY_S)
    dialog.close()
    dialog.deleteLater()
    if "error" in outcome:
        raise outcome["error"]
    value: T = outcome["value"]
    return value


# after the first paint --------------------------------------------------------------------------
class _GuardSignals(QObject):
    damaged = Signal(str)  # the check's report
    note = Signal(str)  # for the status bar


class StorageGuard(QRunnable):
    """The full check, then (if the file is whole) the day's first backup; in a pool thread, touching no widget."""

    def __init__(self, db: Database, now: datetime) -> None:
        super().__init__()
        self.db, self.now = db, now
        self.signals = _GuardSignals()

    def run(self) -> None:  # QRunnable override
        try:
            whole, report = check_whole(self.db)
            if whole is None:
                return  # the window closed meanwhile
            if not whole:
                log.error("full check of %s found damage:\n%s", self.db.path, report)
                self.signals.damaged.emit(report)
                return  # a copy of a damaged file is no backup
            outcome = backup_at_start(self.db, now=self.now)
            if outcome is not None:
                self.signals.note.emit(f"已自动备份（{outcome.seconds:.0f} 秒）" + "；".join(("", *outcome.warnings)))
        except XinfangError as exc:
            log.warning("check or backup after start: %s", exc.message)
            self.signals.note.emit(f"自动备份没有完成：{exc.message}")
        except Exception:  # noqa: BLE001 - a background job: logged, never a crash dialog over the clerk's work
            log.error("storage guard failed\n%s", traceback.format_exc())


def start_storage_guard(window: Any, *, now: datetime | None = None) -> StorageGuard:
    """Start the guard for `window.db`; damage is shown with the offer to restore, notes in the status bar."""
    guard = StorageGuard(window.db, now or wallclock.now())
    guard.setAutoDelete(False)  # the window keeps it (and its signals) while it runs
    guard.signals.damaged.connect(lambda report: _damage_found(window, report))
    guard.signals.note.connect(lambda text: window.statusBar().showMessage(text, 10000))
    window.storage_guard = guard
    QThreadPool.globalInstance().start(guard)
    return guard


def _damage_found(window: Any, report: str) -> None:
    latest = latest_good(window.db.path)
    offer = (f"最近的完好备份是 {latest.label}。\n要现在用它恢复吗？（当前文件会先另存到backups文件夹）"
             if latest else "备份文件夹中没有完好的备份。请不要继续录入，联系维护人员。")
    text = f"后台检查发现数据库“{window.db.path.name}”已损坏：\n\n{report}\n\n{offer}"
    if latest is None:
        QMessageBox.critical(window, "数据库已损坏", text)
        return
    answer = QMessageBox.question(window, "数据库已损坏", text)
    if answer == QMessageBox.StandardButton.Yes:
        restore_into_window(window, latest.path)


# at close ---------------------------------------------------------------------------------------
def backup_before_close(window: Any, *, now: datetime | None = None) -> None:
    """Closing after changes: a backup, with a busy dialog; a failure is said, and closing goes on."""
    db: Database = window.db
    if not db.changes or not may_back_up(db):
        return
    try:
        run_busy(window, "备份", f"正在备份数据库“{db.path.name}”…", lambda: backup_at_close(db, now=now or wallclock.now()))
    except XinfangError as exc:
        QMessageBox.warning(window, "自动备份失败", f"{exc.message}\n\n数据已保存在数据库中，程序照常退出。")


# 文件→从备份恢复… ---------------------------------------------------------------------------------
def choose_and_restore(window: Any) -> bool:
    latest = latest_good(window.db.path)
    start = latest.path if latest else window.db.path.parent / "backups"
    name, _ = QFileDialog.getOpenFileName(window, "从备份恢复", str(start), BACKUP_FILTER)
    if not name:
        return False
    answer = QMessageBox.question(
        window, "从备份恢复",
        f"用备份“{Path(name).name}”替换当前数据库“{window.db.path.name}”？\n\n"
        "备份之后登记和办理的内容将不在恢复后的数据库中；当前文件会先另存到backups文件夹，可以再恢复回来。",
    )
    if answer != QMessageBox.StandardButton.Yes:
        return False
    return restore_into_window(window, Path(name))


def restore_into_window(window: Any, backup: Path) -> bool:
    """Close the window's database, restore `backup` over it, open it again (every tab rebuilt)."""
    from xinfang_desktop.ui.open_database import open_database

    path: Path = window.db.path
    window.db.close()
    try:
        kept = run_busy(window, "从备份恢复", "正在检查备份并恢复，请稍候，不要关闭程序…",
                        lambda: restore_backup(path, backup))
    except XinfangError as exc:
        QMessageBox.warning(window, "没有恢复", exc.message)
        return False
    try:
        db = open_database(path, window)
    except XinfangError as exc:
        QMessageBox.warning(window, "无法打开数据库", exc.message)
        return False
    window.switch_database(db)
    kept_text = f"\n恢复前的文件已另存为：\n{kept}" if kept else ""
    QMessageBox.information(window, "从备份恢复", f"已从“{backup.name}”恢复。{kept_text}")
    return True


def restore_at_open(path: Path, message: str, parent: QWidget | None = None) -> bool:
    """A file found damaged when opening: offer its latest good backup. True if restored (open it again)."""
    latest = latest_good(path)
    if latest is None:
        QMessageBox.critical(parent, "数据库已损坏", message)
        return False
    answer = QMessageBox.question(parent, "数据库已损坏",
                                  f"{message}\n\n要现在用 {latest.label} 的备份恢复吗？（当前文件会先另存到backups文件夹）")
    if answer != QMessageBox.StandardButton.Yes:
        return False
    try:
        run_busy(parent, "从备份恢复", "正在检查备份并恢复，请稍候…", lambda: restore_backup(path, latest.path))
    except XinfangError as exc:
        QMessageBox.warning(parent, "没有恢复", exc.message)
        return False
    return True


# 设置→备份… ---------------------------------------------------------------------------------------
class BackupSettingsDialog(QDialog):
    """Where the automatic backups go: backups/ beside the database always, and a second folder if chosen."""

    def __init__(self, runner: ActionRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.runner = runner
        self.setWindowTitle("备份")
        folder = runner.read(second_folder)
        self.folder_edit = QLineEdit(str(folder) if folder else "")
        self.folder_edit.setPlaceholderText("不另存（可选U盘或另一块硬盘上的文件夹）")
        self.folder_edit.setMinimumWidth(360)
        choose = QPushButton("选择…")
        choose.clicked.connect(self._choose)
        clear = QPushButton("不另存")
        clear.clicked.connect(self.folder_edit.clear)
        row = QHBoxLayout()
        row.addWidget(self.folder_edit, 1)
        row.addWidget(choose)
        row.addWidget(clear)
        explain = QLabel(
            f"每天第一次打开程序时和修改后关闭程序时，自动备份到：\n{runner.db.path.parent / 'backups'}\n"
            "保留最近7天每天一份、4周每周一份、12个月每月一份；手动备份不会被自动删除。\n\n"
            "第二备份文件夹（每份自动备份另存一份）："
        )
        explain.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(explain)
        layout.addLayout(row)
        layout.addWidget(buttons)

    def _choose(self) -> None:
        name = QFileDialog.getExistingDirectory(self, "选择第二备份文件夹", self.folder_edit.text() or str(Path.home()))
        if name:
            self.folder_edit.setText(name)

    def accept(self) -> None:
        """Qt override: save, and stay open when the folder is refused."""
        if self.runner.run(self, set_second_folder, folder=self.folder_edit.text(), what="备份设置") is not None:
            super().accept()
