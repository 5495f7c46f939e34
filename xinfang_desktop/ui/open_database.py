"""Open a database file for the window: an upgrade (backup first, then migrations) shows its progress.

A database of a million matters takes a minute to back up and migrate; without a word on
screen the clerk would think the program had hung, and might end it half-way.
"""

from __future__ import annotations

import threading
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QProgressDialog, QWidget

from xinfang_desktop.db.database import Database
from xinfang_desktop.db.database import open_database as open_storage
from xinfang_desktop.services.backups import check_at_open, check_before_upgrade
from xinfang_desktop.services.settings import defaults_seeded

PAINT_EVERY_S = 0.05


def open_database(path: Path | str, parent: QWidget | None = None) -> Database:
    """The database at `path` (a file, or a postgresql:// server), upgraded if need be, with the default
    lists seeded where this login may write. Raises XinfangError."""
    db = open_storage(path, migrate=False)
    try:
        check_at_open(db)
        if db.upgrade_pending():
            check_before_upgrade(db)
            upgrade_with_progress(db, parent)
        else:
            db.migrate()  # a new file: its tables, at once
        if not db.read_only and not _seeded(db):  # a leader's or viewer's login may not write them (server-setup has)
            from xinfang_desktop.services.reference import seed_defaults  # the ORM's: a new database's first opening

            with db.begin() as session:
                seed_defaults(session)
    except BaseException:
        db.close()
        raise
    return db


def _seeded(db: Database) -> bool:
    with db.rows() as conn:
        return defaults_seeded(conn)


def upgrade_with_progress(db: Database, parent: QWidget | None = None) -> Path | None:
    """Back up and migrate in a worker thread while a progress dialog (which cannot be cancelled) is shown."""
    dialog = QProgressDialog(parent)
    dialog.setWindowTitle("升级数据库")
    dialog.setLabelText(f"新版程序需要升级数据库“{db.path.name}”。\n正在先备份到 {db.path.parent / 'backups'} …")
    dialog.setCancelButton(None)  # stopping half-way is what must not happen
    dialog.setWindowModality(Qt.WindowModality.ApplicationModal)
    dialog.setMinimumDuration(0)
    dialog.setAutoClose(False)
    dialog.setAutoReset(False)
    dialog.setRange(0, 100)
    state: dict[str, object] = {"step": "备份", "done": 0, "total": 0}
    outcome: dict[str, object] = {}

    def heard(step: str, done: int, total: int) -> None:
        state.update(step=step, done=done, total=total)

    def work() -> None:
        try:
            outcome["backup"] = db.migrate(progress=heard)
        except BaseException as exc:  # noqa: BLE001 - handed to the main thread and raised there
            outcome["error"] = exc

    worker = threading.Thread(target=work, name="xinfang-upgrade", daemon=True)
    dialog.show()
    worker.start()
    shown = ""
    while worker.is_alive():
        step, done, total = state["step"], int(str(state["done"])), int(str(state["total"]))
        if step == "升级" and shown != "升级":
            dialog.setLabelText(f"已备份。正在升级数据库“{db.path.name}”，请稍候，不要关闭程序…")
            dialog.setRange(0, 0)  # no measure of the migration itself: a busy bar
            shown = "升级"
        elif step == "备份" and total and done >= total and shown != "检查":
            dialog.setLabelText(f"已备份到 {db.path.parent / 'backups'}。\n正在完整检查这份备份，请稍候，不要关闭程序…")
            dialog.setRange(0, 0)  # integrity_check tells no progress: a busy bar
            shown = "检查"
        elif step == "备份" and total and shown != "检查":
            dialog.setValue(int(done * 100 / total))
        QApplication.processEvents()
        worker.join(PAINT_EVERY_S)
    dialog.close()
    dialog.deleteLater()
    if "error" in outcome:
        raise outcome["error"]  # type: ignore[misc]
    backup = outcome.get("backup")
    return backup if isinstance(backup, Path) else None
