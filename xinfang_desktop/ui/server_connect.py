"""文件 → 连接服务器数据库, and the start on a server: the window opens the office's database on a PostgreSQL
server instead of a file.

The address (postgresql://登录名@服务器/数据库名) is remembered in QSettings, never the password:
that is asked for when the server wants one that neither the address nor PostgreSQL's own
password file (pgpass) gives, and handed to the server only. A program last used on a server
starts on it again (asking the password), as it was left: a clerk of an office that works on the
server would otherwise start each morning on the empty file of this PC, and register into it.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QInputDialog, QLineEdit, QMessageBox, QWidget

from xinfang_desktop.db.database import Database, password_given, server_address
from xinfang_desktop.domain.errors import LoginRefused, XinfangError

if TYPE_CHECKING:
    from xinfang_desktop.ui.main_window import MainWindow

TITLE = "连接服务器数据库"
LAST_ADDRESS = "server/address"  # what the address box offers
AT_START = "server/at_start"  # the server the program was last used on ("": a file): it starts there again
EXAMPLE = "postgresql://登录名@服务器/xinfang"


def open_server(parent: QWidget | None, address: str) -> Database | None:
    """The server database at `address` (as typed, perhaps with a password in it), opened; while the server
    refuses the login the password is asked for (saying so once one was refused); None if the clerk cancels.
    Raises XinfangError for anything else (no such server or database, no right to connect)."""
    from xinfang_desktop.ui.open_database import open_database

    login, plain = server_address(address)
    target, tried = address, password_given(address)
    while True:
        try:
            db = open_database(target, parent)
            break
        except LoginRefused as exc:
            first = f"{exc.message}\n\n" if tried else f"连接服务器数据库 {plain}\n\n"
            password, ok = QInputDialog.getText(parent, TITLE, f"{first}用户“{login}”的密码：",
                                                QLineEdit.EchoMode.Password)
            if not ok:
                return None
            target, tried = server_address(address, password=password)[1], True
    settings = QSettings(*_settings_names())
    # the address, without a password typed into it: we never keep one
    settings.setValue(LAST_ADDRESS, plain)
    settings.setValue(AT_START, plain)
    return db


def ask_and_open(parent: QWidget) -> Database | None:
    """The server database the clerk names, opened (the password asked if needed); None if cancelled."""
    settings = QSettings(*_settings_names())
    address, ok = QInputDialog.getText(parent, TITLE, f"服务器数据库地址（如 {EXAMPLE}）：", QLineEdit.EchoMode.Normal,
                                       str(settings.value(LAST_ADDRESS, "") or ""))
    address = address.strip()
    if not ok or not address:
        return None
    if not address.startswith(("postgresql://", "postgres://")):
        QMessageBox.warning(parent, TITLE, f"“{address}”不是服务器地址。请写成 {EXAMPLE} 的形式。")
        return None
    try:
        return open_server(parent, address)
    except XinfangError as exc:
        QMessageBox.warning(parent, TITLE, exc.message)
        return None


def connect_server(window: MainWindow) -> bool:
    db = ask_and_open(window)
    if db is None:
        return False
    window.switch_database(db)
    window.statusBar().showMessage(f"已连接 {db.label}", 5000)
    return True


def server_at_start() -> str:
    """The server address the program was last used on, or "" (a file)."""
    return str(QSettings(*_settings_names()).value(AT_START, "") or "")


def forget_server_at_start() -> None:
    """The clerk opened a file: the next start is on the file again."""
    QSettings(*_settings_names()).setValue(AT_START, "")


def reopen_at_start(address: str, local: Path) -> Database | Path | None:
    """The start without --db of a program last used on the server at `address`: that server, the password
    asked for; if it cannot be reached or the clerk cancels, the local file `local` if the clerk says so
    (told that what is registered there is not on the server), else None (the program ends)."""
    try:
        db = open_server(None, address)
        if db is not None:
            return db
        why = f"没有连接服务器数据库（{address}）。"
    except XinfangError as exc:
        why = exc.message
    answer = QMessageBox.question(
        None, TITLE, f"{why}\n\n上次使用的是服务器数据库。要改为打开本机的数据库文件“{local}”吗？\n"
        "在本机文件中登记的事项不在服务器上，同事看不到。选“否”退出程序，稍后再试。")
    return local if answer == QMessageBox.StandardButton.Yes else None


def _settings_names() -> tuple[str, str]:
    from xinfang_desktop.ui.main_window import SETTINGS_APP, SETTINGS_ORG

    return SETTINGS_ORG, SETTINGS_APP
