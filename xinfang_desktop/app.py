"""Start-up wiring: logging, fonts, the Database, the QApplication and the main window."""

from __future__ import annotations

import logging
import logging.handlers
import os
from pathlib import Path

from xinfang_desktop.paths import data_dir


class _PrivateRotatingFileHandler(logging.handlers.RotatingFileHandler):
    """Creates the log, and each new one after a rotation, readable by its owner only (0600 on POSIX)."""

    def _open(self):  # type: ignore[no-untyped-def]  # logging's override point for opening the file
        fd = os.open(self.baseFilename, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        return os.fdopen(fd, self.mode, encoding=self.encoding, errors=self.errors)


class MaskPeople(logging.Filter):
    """Every line written to the log has its ID numbers (330102********1234) and phones (139****5678) masked,
    the traceback of an error included: the log is read by whoever maintains the PC."""

    def filter(self, record: logging.LogRecord) -> bool:
        # imported at the first line logged, not at start-up: its patterns cost 5-60 ms before the first paint
        from xinfang_desktop.domain.privacy import mask_people_in_text

        record.msg, record.args = mask_people_in_text(record.getMessage()), None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = mask_people_in_text(record.exc_text)
        if record.stack_info:
            record.stack_info = mask_people_in_text(record.stack_info)
        return True


def log_handler(path: Path) -> logging.Handler:
    handler = _PrivateRotatingFileHandler(path, maxBytes=2_000_000, backupCount=5, encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(MaskPeople())
    return handler


def setup_logging() -> Path:
    """A rotating log file in the user data folder; every committed action is logged there."""
    path = data_dir() / "xinfang.log"
    handler = log_handler(path)
    root = logging.getLogger()
    root.setLevel(logging.INFO)
    if not any(isinstance(h, logging.handlers.RotatingFileHandler) for h in root.handlers):
        root.addHandler(handler)
    return path


def run(db_path: Path | str | None, *, smoke: bool = False) -> int:
    setup_logging()
    # what the window reads before its first paint, imported before PySide6 is: PySide6's import hook reads
    # the source of every module imported after it (inspect.getsource, for its __feature__ switches)
    from xinfang_desktop.services import backups, lists, search, settings  # noqa: F401
    from xinfang_desktop.ui.startup import launch

    return launch(db_path, smoke=smoke)
