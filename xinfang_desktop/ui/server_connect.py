"""文件 → 连接服务器数据库: the window opens the office's database on a PostgreSQL server instead of a file.

The address (postgresql://登录名@服务器/数据库名) is remembered in QSettings, never the password:
that is asked for when the server wants one that neither the address nor PostgreSQL's own
password file (pgpass) gives, and handed to the server only.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QInputDialog, QLineEdit, QMessageBox, QWidget

from xinfang_desktop.db.database import Database, server_address
from xinfang_desktop.domain.errors import LoginRefused, XinfangError

if TYPE_CHECKING:
    from xinfang_desktop.ui.main_window import MainWindow

TITLE = "连接服务器数据库"
LAST_ADDRESS = "server/address"
EXAMPLE = "postgresql://登录名@服务器/xinfang"


def ask_and_open(parent: QWidget, settings: QSettings) -> Database | None:
    """The server database the clerk names, opened (the password asked if needed); None if cancelled."""
    from xinfang_desktop.ui.open_database import open_database

    address, ok = QInputDialog.getText(parent, TITLE, f"服务器数据库地址（如 {EXAMPLE}）：", QLineEdit.EchoMode.Normal,
                                       str(settings.value(LAST_ADDRESS, "") or ""))
    address = address.strip()
    if not ok or not address:
        return None
    if not address.startswith(("postgresql://", "postgres://")):
        QMessageBox.warning(parent, TITLE, f"“{address}”不是服务器地址。请写成 {EXAMPLE} 的形式。")
        return None
    target = address
    while True:
        try:
            db = open_database(target, parent)
            break
        except LoginRefused as exc:
            login, _ = server_address(target)
            password, ok = QInputDialog.getText(parent, TITLE, f"{exc.message}\n\n用户“{login}”的密码：",
                                                QLineEdit.EchoMode.Password)
            if not ok:
                return None
            target = server_address(address, password=password)[1]
        except XinfangError as exc:
            QMessageBox.warning(parent, TITLE, exc.message)
            return None
    # the address, without a password typed into it: we never keep one
    settings.setValue(LAST_ADDRESS, server_address(address)[1])
    return db


def connect_server(window: MainWindow) -> bool:
    from xinfang_desktop.ui.main_window import SETTINGS_APP, SETTINGS_ORG

    db = ask_and_open(window, QSettings(SETTINGS_ORG, SETTINGS_APP))
    if db is None:
        return False
    window.switch_database(db)
    window.statusBar().showMessage(f"已连接 {db.label}", 5000)
    return True
