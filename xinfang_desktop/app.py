"""Start-up wiring: logging, fonts, the Database, the QApplication and the main window."""

from __future__ import annotations

from pathlib import Path


def run(db_path: Path, *, smoke: bool = False) -> int:
    from xinfang_desktop.ui.main_window import launch

    return launch(db_path, smoke=smoke)
