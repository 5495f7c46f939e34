"""Starting the window: Qt's Chinese translations, the handler of errors outside an action, the database
the window starts on (a file, or the server it was last used on), and the first paint."""

from __future__ import annotations

import logging
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QEvent, QLibraryInfo, QObject, QTimer, QTranslator
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from xinfang_desktop import started
from xinfang_desktop.db.database import Database
from xinfang_desktop.domain.errors import DamagedDatabaseError, XinfangError
from xinfang_desktop.paths import resources_dir
from xinfang_desktop.ui.actions import bug_message
from xinfang_desktop.ui.fonts import apply_ui_font
from xinfang_desktop.ui.main_window import SETTINGS_ORG, MainWindow
from xinfang_desktop.ui.open_database import open_database
from xinfang_desktop.ui.screen import install_screen_fit


def process_age_ms() -> float:
    """Milliseconds since this process started, from the OS (so interpreter start-up counts too)."""
    if sys.platform == "win32":
        import ctypes
        from ctypes import wintypes

        kernel32 = ctypes.windll.kernel32  # type: ignore[attr-defined]
        # a HANDLE is 64 bits on x64: declare it, or ctypes passes a truncated C int
        kernel32.GetCurrentProcess.restype = wintypes.HANDLE
        times = ctypes.POINTER(wintypes.FILETIME)
        kernel32.GetProcessTimes.argtypes = [wintypes.HANDLE, times, times, times, times]
        creation, exited, kernel, user = (wintypes.FILETIME() for _ in range(4))
        kernel32.GetProcessTimes(kernel32.GetCurrentProcess(), *(ctypes.byref(t) for t in (creation, exited, kernel, user)))
        now = wintypes.FILETIME()
        kernel32.GetSystemTimeAsFileTime(ctypes.byref(now))

        def ticks(ft: Any) -> int:
            return (ft.dwHighDateTime << 32) | ft.dwLowDateTime

        return (ticks(now) - ticks(creation)) / 10_000
    try:
        with open("/proc/self/stat", encoding="ascii") as fh:
            start_ticks = int(fh.read().rsplit(")", 1)[1].split()[19])
        with open("/proc/uptime", encoding="ascii") as fh:
            uptime = float(fh.read().split()[0])
        return (uptime - start_ticks / os.sysconf("SC_CLK_TCK")) * 1000
    except (OSError, ValueError, IndexError):
        # no OS figure: count from when this module was imported (an underestimate)
        return (time.perf_counter() - _IMPORTED_AT) * 1000


log = logging.getLogger(__name__)
_IMPORTED_AT = time.perf_counter()


class FirstPaint(QObject):
    """Calls back once, right after the watched widget has painted for the first time."""

    def __init__(self, watched: QWidget, callback: Callable[[], None]) -> None:
        super().__init__(watched)
        self.callback = callback
        self.done = False
        watched.installEventFilter(self)

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        """Qt override: the paint has been queued to the screen once this returns, so defer by 0 ms."""
        if not self.done and event.type() == QEvent.Type.Paint:
            self.done = True
            QTimer.singleShot(0, self.callback)
        return False


def install_chinese_translations(app: QApplication) -> None:
    """Qt's own buttons (是/否, 取消, 关闭) in Chinese; the .qm files ship with PySide6 and the bundle."""
    folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    for name in ("qtbase_zh_CN", "qt_zh_CN"):
        translator = QTranslator(app)
        if translator.load(name, folder):
            app.installTranslator(translator)
            return
    log.warning("no Qt Chinese translation found in %s", folder)


def install_crash_handler(app: QApplication, *, smoke: bool) -> None:
    """An exception outside the action runner (in a slot, a paint) is our bug: log it, say so, keep going;
    a known one (XinfangError: the server gone away while a tab reloads) shows its message instead.

    Every write is one transaction, so nothing half-written remains; under --smoke it fails the run.
    """
    import traceback

    showing: set[str] = set()

    def hook(kind: type[BaseException], exc: BaseException, tb: Any) -> None:
        if isinstance(exc, XinfangError) and not smoke:
            # a known problem met outside an action (a tab reloading after the server went away): its own
            # message, once while it is on the screen, never a bug report
            log.warning("outside an action: %s", exc.message)
            if exc.message not in showing:
                showing.add(exc.message)
                try:
                    QMessageBox.warning(QApplication.activeWindow(), "无法完成", exc.message)
                finally:
                    showing.discard(exc.message)
            return
        text = "".join(traceback.format_exception(kind, exc, tb))
        log.error("unexpected error\n%s", text)
        if smoke:
            print(text, file=sys.stderr)
            app.exit(1)
            return
        QMessageBox.critical(None, "程序错误", bug_message("程序内部出错，已有数据不受影响。", exc))

    sys.excepthook = hook


def open_at_start(target: Path | str | None, *, smoke: bool = False) -> Database | None:
    """The database the window starts on: `target` (--db), else the server the program was last used on
    (ui.server_connect.reopen_at_start), else this PC's file. A server's password is asked for (never
    under --smoke); a damaged file is offered its last good backup. None: it could not be opened (the
    clerk was told why) or the clerk chose to end the program."""
    from xinfang_desktop.db.database import is_server
    from xinfang_desktop.paths import default_db_path

    if target is None:
        from xinfang_desktop.ui.server_connect import reopen_at_start, server_at_start

        address = "" if smoke else server_at_start()
        if not address:
            target = default_db_path()
        else:
            reopened = reopen_at_start(address, default_db_path())
            if not isinstance(reopened, Path):
                return reopened
            target = reopened
    try:
        if is_server(target) and not smoke:
            from xinfang_desktop.ui.server_connect import open_server

            return open_server(None, str(target))
        try:
            return open_database(target)
        except DamagedDatabaseError as damaged:
            from xinfang_desktop.ui.backups.backup_ui import restore_at_open

            if smoke or not restore_at_open(target, damaged.message):
                raise
            return open_database(target)
    except XinfangError as exc:
        log.error("cannot open %s: %s", target, exc.message)
        if smoke:
            print(f"错误：{exc.message}", file=sys.stderr)
        else:
            QMessageBox.critical(None, "无法打开数据库", exc.message)
        return None


def launch(db_path: Path | str | None, *, smoke: bool = False) -> int:
    """Open the database (`db_path`: --db, or None) and show the main window; with `smoke`, print ms to
    first paint and exit 0."""
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    app.setApplicationName("信访台账")
    app.setOrganizationName(SETTINGS_ORG)
    # every window and dialog takes it, and the taskbar shows it (drawn by scripts/draw_icon.py)
    app.setWindowIcon(QIcon(str(resources_dir() / "icons" / "xinfang.png")))
    # the installed desktop entry's name: Wayland and the task bars match the window to it (its icon)
    app.setDesktopFileName("xinfang-desktop")
    apply_ui_font(app)
    install_chinese_translations(app)
    screen_fit = install_screen_fit(app)  # the dialogs of opening the database (an upgrade's progress) too
    install_crash_handler(app, smoke=smoke)
    db = open_at_start(db_path, smoke=smoke)
    if db is None:
        return 2
    # until its first paint the main window is the only window shown: it alone is watched, since the
    # application's filter would see in Python each of the 4,900 events of building and painting it (15 ms)
    app.removeEventFilter(screen_fit)
    window = MainWindow(db)
    window.installEventFilter(screen_fit)
    window.register_tab.matter_list.apply_filter()
    table = window.register_tab.matter_list.table

    def painted() -> None:
        if smoke:
            print(f"first paint {process_age_ms():.0f} ms, {window.register_tab.matter_list.model.rowCount()} matters")
            sys.stdout.flush()
        # the window is on the screen: the collector's pass over the start's objects (60 ms) can come now
        started()
        window.removeEventFilter(screen_fit)
        app.installEventFilter(screen_fit)
        if smoke:
            app.exit(0)
        else:
            window.after_first_paint()

    FirstPaint(table.viewport(), painted)
    window.show_at_start()
    code = app.exec()
    db.close()
    return int(code)
