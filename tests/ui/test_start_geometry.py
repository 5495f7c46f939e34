"""The main window at start: maximised at a first start on a 1366×728 screen, then as the clerk left it.

Each start is a process of its own (this file run as a script) on Qt's offscreen platform told the
screen's size, so that what is remembered is what a later run of the program reads back (QSettings
in XDG_CONFIG_HOME), not an object still alive in the test.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]


def _start(step: str, work: Path) -> dict[str, Any]:
    from tests.ui.screen_probe import screen_config

    env = {**os.environ, "QT_QPA_PLATFORM": screen_config(1366, 728, 1.0),
           "XDG_CONFIG_HOME": str(work / "config"), "XDG_DATA_HOME": str(work / "data")}
    done = subprocess.run([sys.executable, __file__, step, str(work / "office.sqlite3")], env=env,
                          capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stderr[-3000:]
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


def test_a_first_start_fills_the_screen_and_later_starts_open_as_the_window_was_left(tmp_path: Path) -> None:
    first = _start("first", tmp_path)
    assert first["maximized"] and first["frame"] == first["area"] == [0, 0, 1366, 728]
    # un-maximised, it fits the screen too (not the 800 pixels high it has where there is room)
    assert first["normal_inside"]

    second = _start("second", tmp_path)  # left at 1100×560, moved to (100, 60): so it opens
    assert not second["maximized"] and second["geometry"] == [100, 60, 1100, 560]

    third = _start("third", tmp_path)  # left maximised: so it opens
    assert third["maximized"] and third["frame"] == third["area"]


def _run(step: str, db_path: str) -> dict[str, Any]:
    from PySide6.QtCore import QRect
    from PySide6.QtWidgets import QApplication

    from xinfang_desktop.db.database import Database
    from xinfang_desktop.ui.fonts import apply_ui_font
    from xinfang_desktop.ui.main_window import MainWindow
    from xinfang_desktop.ui.screen import install_screen_fit
    from xinfang_desktop.ui.startup import install_chinese_translations

    app = QApplication(["start"])
    apply_ui_font(app)  # as launch() does
    install_chinese_translations(app)
    install_screen_fit(app)
    db = Database(Path(db_path))
    window = MainWindow(db)

    def settle() -> None:
        for _ in range(20):
            app.processEvents()

    def rect(r: QRect) -> list[int]:
        return [r.x(), r.y(), r.width(), r.height()]

    window.show_at_start()
    settle()
    area = window.screen().availableGeometry()
    seen = {"maximized": window.isMaximized(), "frame": rect(window.frameGeometry()), "area": rect(area),
            "geometry": rect(window.geometry())}
    if step == "first":
        window.showNormal()
        settle()
        seen["normal_inside"] = not window.isMaximized() and area.contains(window.frameGeometry())
        window.setGeometry(100, 60, 1100, 560)
    elif step == "second":
        window.showMaximized()
    settle()
    window.close()
    db.close()
    return seen


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("QT_QPA_FONTDIR", str(ROOT / "resources" / "fonts"))
    print(json.dumps(_run(sys.argv[1], sys.argv[2])))
