"""Start-up wiring: logging, fonts, the Database, the QApplication and the main window."""

from __future__ import annotations

import logging
import logging.handlers
from pathlib import Path

from xinfang_desktop.paths import data_dir


def setup_logging() -> Path:
    """A rotating log file in the user data folder; every committed action is logged there."""
    path = data_dir() / "xinfang.log"
    handler = logging.handlers.RotatingFileHandler(path, maxBytes=2_000_000, backupCount=5, encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    root.setLevel(logging.INFO)
    if not any(isinstance(h, logging.handlers.RotatingFileHandler) for h in root.handlers):
        root.addHandler(handler)
    return path


def run(db_path: Path, *, smoke: bool = False) -> int:
    setup_logging()
    from xinfang_desktop.ui.main_window import launch

    return launch(db_path, smoke=smoke)
