"""Register the bundled Chinese fonts with Qt, so a bare PC shows Chinese exactly as this one does."""

from __future__ import annotations

import logging

from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QApplication

from xinfang_desktop.paths import resources_dir

log = logging.getLogger(__name__)

# Windows' own UI font first; the bundled ones guarantee Chinese and rare characters everywhere
UI_FAMILIES = ["Microsoft YaHei UI", "Microsoft YaHei", "WenQuanYi Micro Hei", "HanaMinA", "HanaMinB"]


def register_bundled_fonts() -> list[str]:
    """Add every font in resources/fonts to Qt; returns the families added."""
    families: list[str] = []
    for path in sorted((resources_dir() / "fonts").glob("*.tt[fc]")):
        font_id = QFontDatabase.addApplicationFont(str(path))
        if font_id < 0:
            log.warning("could not load font %s", path)
            continue
        families.extend(QFontDatabase.applicationFontFamilies(font_id))
    return families


def apply_ui_font(app: QApplication, point_size: float = 10.5) -> QFont:
    register_bundled_fonts()
    available = set(QFontDatabase.families())
    font = QFont()
    font.setFamilies([f for f in UI_FAMILIES if f in available] or UI_FAMILIES)
    font.setPointSizeF(point_size)
    app.setFont(font)
    return font
