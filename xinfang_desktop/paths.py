"""Where things live: the user data folder and the resources folder (checkout or frozen bundle)."""

from __future__ import annotations

import sys
from pathlib import Path

from platformdirs import user_data_path

APP_NAME = "xinfang-desktop"
DB_FILENAME = "xinfang.sqlite3"


def data_dir() -> Path:
    """The per-user folder for the database, backups, attachments and logs (created on demand)."""
    path = user_data_path(APP_NAME, appauthor=False, roaming=False)
    path.mkdir(parents=True, exist_ok=True)
    return path


def default_db_path() -> Path:
    return data_dir() / DB_FILENAME


def resources_dir() -> Path:
    """`resources/` beside the package in a checkout, or inside the PyInstaller bundle."""
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle:
        return Path(bundle) / "resources"
    return Path(__file__).resolve().parent.parent / "resources"


def backups_dir(db_path: Path) -> Path:
    """Backups sit next to the database they protect, in `backups/`."""
    path = db_path.parent / "backups"
    path.mkdir(parents=True, exist_ok=True)
    return path


def attachments_dir(db_path: Path) -> Path:
    """Attachment files are copied next to the database, one folder per database file."""
    path = db_path.parent / f"{db_path.stem}-attachments"
    path.mkdir(parents=True, exist_ok=True)
    return path
