"""Time to open the 督办 board (query + model fill) and the 交办 queue over a demo database; prints figures.

    python benchmarks/bench_board.py [--db bench-out/demo-1m.sqlite3] [--runs 5]

The database is only read (opened without migrating); budget for the board: < 300 ms at 1,000,000 matters.
The shared databases were built before migration 0005 (the partial index of open transfers the
board reads); the board works without it, a little slower. To measure what the program sees,
copy the database and add the index (the program's own migration does the same):

    sqlite3 -readonly bench-out/demo-1m.sqlite3 ".backup /tmp/board-1m.sqlite3"
    sqlite3 /tmp/board-1m.sqlite3 "CREATE INDEX ix_transfers_open ON transfers (matter_id, due_on, unit_id,
        reminders, state, kind) WHERE kind = '交办' AND state IN ('待反馈', '退回补办')"
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from PySide6.QtWidgets import QApplication  # noqa: E402
from sqlalchemy import text  # noqa: E402

from xinfang_desktop.db.database import Database  # noqa: E402
from xinfang_desktop.services.supervision import board, board_counts, decision_queue  # noqa: E402
from xinfang_desktop.ui.actions import ActionRunner  # noqa: E402
from xinfang_desktop.ui.decide.decide_tab import DecideTab  # noqa: E402
from xinfang_desktop.ui.fonts import apply_ui_font  # noqa: E402
from xinfang_desktop.ui.supervise.morning_banner import MorningBanner  # noqa: E402
from xinfang_desktop.ui.supervise.supervise_tab import SuperviseTab  # noqa: E402


def timed(fn: Callable[[], object], runs: int) -> tuple[float, float]:
    """(first, median of the rest) in milliseconds: the first run pays for a cold page cache."""
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        times.append((time.perf_counter() - started) * 1000)
    rest = times[1:] or times
    return times[0], statistics.median(rest)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    default = ROOT / "bench-out" / "demo-1m.sqlite3"
    if not (ROOT / "bench-out" / "READY-1m").exists():
        default = ROOT / "bench-out" / "demo-100k.sqlite3"
    parser.add_argument("--db", type=Path, default=default)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()

    app = QApplication([])
    apply_ui_font(app)
    db = Database(args.db, migrate=False)  # a shared file: never write to it
    runner = ActionRunner(db)
    with db.read() as s:
        matters = s.execute(text("SELECT count(*) FROM matters")).scalar()
        rows = len(board(s))
        queue = len(decision_queue(s))
        indexed = s.execute(text("SELECT count(*) FROM sqlite_master WHERE name = 'ix_transfers_open'")).scalar()
    print(f"database: {args.db.name}, {matters:,} matters; board rows {rows:,}; 交办 queue {queue:,}; "
          f"index ix_transfers_open {'present' if indexed else 'absent (see the docstring)'}")

    def query() -> None:
        with db.read() as s:
            board(s)

    tabs: list[SuperviseTab] = []

    def open_board() -> None:
        tab = SuperviseTab(runner)  # query, counts and model fill, as the main window does
        tab.resize(1280, 720)
        tab.show()
        app.processEvents()  # first paint
        tabs.append(tab)

    def refresh_board() -> None:
        tabs[0].refresh()

    def open_queue() -> None:
        tab = DecideTab(runner)
        tab.show()
        app.processEvents()
        tab.close()

    def banner() -> None:
        MorningBanner(runner)

    def counts() -> None:
        with db.read() as s:
            board_counts(s)

    for label, fn in (
        ("board query (services.supervision.board)", query),
        ("open the 督办 board (tab: query + model fill + first paint)", open_board),
        ("refresh the 督办 board (after an action)", refresh_board),
        ("morning banner counts", banner),
        ("board_counts alone", counts),
        ("open the 交办 queue (tab + first paint)", open_queue),
    ):
        first, median = timed(fn, args.runs)
        print(f"{label}: first {first:.0f} ms, median {median:.0f} ms")
        for tab in tabs[1:]:
            tab.close()
        del tabs[1:]
    db.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
