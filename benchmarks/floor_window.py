"""The floor `bench_ui.py` compares the first paint with: what no Qt + SQLite program can start faster than.

A bare PySide6 window with four tabs, `import sqlalchemy` and one `SELECT count(*)` on the same database
file; prints `first paint N ms, M matters` in the form `xinfang --smoke` does, timed from the process's
start as the OS records it (so the interpreter's own start-up counts, as it does for `--smoke`).

    python benchmarks/floor_window.py DB
"""

from __future__ import annotations

import os
import sys
import time

_IMPORTED_AT = time.perf_counter()


def process_age_ms() -> float:
    """Milliseconds since this process started (Linux: /proc; elsewhere from this module's import)."""
    try:
        with open("/proc/self/stat", encoding="ascii") as fh:
            start_ticks = int(fh.read().rsplit(")", 1)[1].split()[19])
        with open("/proc/uptime", encoding="ascii") as fh:
            uptime = float(fh.read().split()[0])
        return (uptime - start_ticks / os.sysconf("SC_CLK_TCK")) * 1000
    except (OSError, ValueError, IndexError):
        return (time.perf_counter() - _IMPORTED_AT) * 1000


def main() -> int:
    import sqlalchemy
    from PySide6.QtCore import QEvent, QObject, QTimer
    from PySide6.QtWidgets import QApplication, QLabel, QMainWindow, QTabWidget, QWidget

    app = QApplication(sys.argv[:1])
    engine = sqlalchemy.create_engine(f"sqlite:///{sys.argv[1]}")
    with engine.connect() as conn:
        count = conn.execute(sqlalchemy.text("SELECT count(*) FROM matters")).scalar_one()
    window = QMainWindow()
    window.resize(1280, 800)
    tabs = QTabWidget()
    first = QLabel(f"{count} 件")
    tabs.addTab(first, "登记")
    for title in ("交办", "督办", "统计"):
        tabs.addTab(QWidget(), title)
    window.setCentralWidget(tabs)

    class FirstPaint(QObject):
        def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
            if event.type() == QEvent.Type.Paint:
                first.removeEventFilter(self)
                QTimer.singleShot(0, done)
            return False

    def done() -> None:
        print(f"first paint {process_age_ms():.0f} ms, {count} matters", flush=True)
        app.exit(0)

    watcher = FirstPaint()
    first.installEventFilter(watcher)
    window.show()
    return app.exec()


if __name__ == "__main__":
    raise SystemExit(main())
