"""Where things live: the user data folder and the resources folder (checkout or frozen bundle)."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from platformdirs import user_data_path

APP_NAME = "xinfang-desktop"
DB_FILENAME = "xinfang.sqlite3"


def private_dir(path: Path) -> Path:
    """`path` made if missing, readable by its owner only (0700) on POSIX; Windows ACLs are left alone."""
    if not path.is_dir():
        path.mkdir(parents=True, exist_ok=True)
        if os.name == "posix":
            path.chmod(0o700)
    return path


def create_private_file(path: Path) -> None:
    """Create `path`, empty and owner-only (0600 on POSIX), before SQLite or a logger opens it.

    SQLite gives the -wal and -shm files the mode of the database file, so they follow. Raises
    FileExistsError if it exists: a file is never made private by surprise, only created so.
    """
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    os.close(fd)


def data_dir() -> Path:
    """The per-user folder for the database, backups, attachments and logs (created on demand, owner-only)."""
    return private_dir(user_data_path(APP_NAME, appauthor=False, roaming=False))


def default_db_path() -> Path:
    return data_dir() / DB_FILENAME


def resources_dir() -> Path:
    """`resources/` beside the package in a checkout, or inside the PyInstaller bundle."""
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle:
        return Path(bundle) / "resources"
    return Path(__file__).resolve().parent.parent / "resources"


def backups_dir(db_path: Path) -> Path:
    """Backups sit next to the database they protect, in `backups/` (owner-only). Raises OSError."""
    return private_dir(db_path.parent / "backups")
