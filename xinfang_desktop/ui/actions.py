"""The action runner: every user action is one transaction, its errors shown, then one refresh signal."""

from __future__ import annotations

import logging
import sys
import traceback
from collections.abc import Callable
from dataclasses import replace
from typing import Any, TypeVar

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMessageBox, QToolBar, QWidget

from xinfang_desktop.db.database import Database
from xinfang_desktop.domain.changes import Changes
from xinfang_desktop.domain.errors import ConfirmationRequired, XinfangError

log = logging.getLogger(__name__)
T = TypeVar("T")


class ActionRunner(QObject):
    """Runs services against the open database for the UI (Anki's operations, in small).

    `run` opens `db.begin()`, calls the service, and on success emits `data_changed`
    with the record of what the action wrote (domain.changes.Changes, collected from the
    session's flushes), so that each view reloads only what it shows. Long jobs that write
    in sessions of their own (an import, a batch of letters) report through `announce`. A known
    error (XinfangError) is shown with its Chinese message and nothing is written;
    anything else is our bug: logged with its traceback and shown as such.
    """

    data_changed = Signal(object)  # domain.changes.Changes
    error_shown = Signal(object)  # the XinfangError, so a form can focus the field it names

    def __init__(self, db: Database, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self._changes = Changes()

    def read(self, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        with self.db.read() as session:
            return fn(session, *args, **kwargs)

    def rows(self, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """`fn(connection, ...)` on a plain connection: a read of rows through SQLAlchemy Core (services.settings,
        services.lists, services.search), as the window reads before its first paint, with no ORM."""
        with self.db.rows() as conn:
            return fn(conn, *args, **kwargs)

    def run(
        self,
        parent: QWidget | None,
        fn: Callable[..., T],
        *args: Any,
        what: str = "",
        confirm: Callable[[dict[str, Any]], dict[str, Any]] | None = None,
        **kwargs: Any,
    ) -> T | None:
        """Run `fn(session, *args, **kwargs)` in one transaction; None when it failed.

        `confirm`: for a ConfirmationRequired warning, asks the clerk; if they agree,
        the call is repeated with the keyword arguments `confirm(kwargs)` returns.
        """
        try:
            result = self._once(fn, args, kwargs)
        except ConfirmationRequired as exc:
            if confirm is None:
                self._show_error(parent, exc)
                return None
            answer = QMessageBox.question(parent, "请确认", exc.message)
            if answer != QMessageBox.StandardButton.Yes:
                self.error_shown.emit(exc)
                return None
            try:
                result = self._once(fn, args, confirm(kwargs))
            except XinfangError as again:
                self._show_error(parent, again)
                return None
            except Exception:  # noqa: BLE001 - our bug: report, keep the data
                self._show_bug(parent)
                return None
        except XinfangError as exc:
            self._show_error(parent, exc)
            return None
        except Exception:  # noqa: BLE001 - our bug: report, keep the data
            self._show_bug(parent)
            return None
        self.announce(replace(self._changes, label=what or getattr(fn, "__name__", "")))
        return result

    def announce(self, changes: Changes) -> None:
        """Tell every view what was written (the one refresh path, for actions and long jobs alike)."""
        if changes:
            self.data_changed.emit(changes)

    def _once(self, fn: Callable[..., T], args: tuple[Any, ...], kwargs: dict[str, Any]) -> T:
        # the ORM's: never needed before the first paint. Imported before the session, so its listener
        # hears the session's every flush
        from xinfang_desktop.services.changes import changes_of

        with self.db.begin() as session:
            result = fn(session, *args, **kwargs)
            session.flush()  # what the commit would flush is in the record too
            self._changes = changes_of(session)
        number = getattr(result, "number", "")
        log.info("action %s done %s", getattr(fn, "__name__", fn), number)
        return result

    def _show_error(self, parent: QWidget | None, exc: XinfangError) -> None:
        # the clerk reads the message; the log keeps no name or number of theirs
        log.info("refused: %s on %s", type(exc).__name__, exc.field or "-")
        self.error_shown.emit(exc)
        QMessageBox.warning(parent, "无法完成", exc.message)

    def _show_bug(self, parent: QWidget | None) -> None:
        log.error("unexpected error\n%s", traceback.format_exc())
        QMessageBox.critical(parent, "程序错误", bug_message("程序内部出错，本次操作没有保存，已有数据不受影响。"))


def bug_message(first_line: str, exc: BaseException | None = None) -> str:
    """The crash dialog's text: what happened and the kind of error, never the error's own text.

    An exception's text can quote a matter's content or a failed statement's values; the
    traceback is in the log (IDs and phones masked there), for the maintainer.
    """
    if exc is None:
        exc = sys.exc_info()[1]
    kind = type(exc).__name__ if exc is not None else "未知"
    return f"{first_line}\n错误详情已记入日志文件，请告知维护人员。\n\n错误类型：{kind}"


def add_tool_action(
    owner: QWidget, toolbar: QToolBar, text: str, keys: str, slot: Callable[..., Any]
) -> QAction:
    """A toolbar button with a shortcut that works anywhere inside `owner` (a tab)."""
    action = QAction(text, owner)
    action.setShortcut(QKeySequence(keys))
    action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
    action.setToolTip(f"{text}（{keys}）")
    action.triggered.connect(slot)
    toolbar.addAction(action)
    owner.addAction(action)
    return action
