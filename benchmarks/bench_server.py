"""Search, board and tally on a server database (or a file, to compare), filled with demo matters if empty; prints figures.

    python benchmarks/bench_server.py --db postgresql://user@/dbname?host=/socket/dir [--cases 1000000] [--runs 5]

Budgets as on SQLite: search (2 characters) < 50 ms, board open < 300 ms, tally < 1 s. The database is filled
once by `generate` (the demo's bulk path) when it holds no matter; later runs only read it.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import func, select, text  # noqa: E402

from xinfang_desktop.db.database import open_database  # noqa: E402
from xinfang_desktop.db.models import Matter  # noqa: E402
from xinfang_desktop.domain.values import MatterFilter  # noqa: E402
from xinfang_desktop.services.demo import generate  # noqa: E402
from xinfang_desktop.services.search import count_matters, list_matters  # noqa: E402
from xinfang_desktop.services.statistics import tally  # noqa: E402
from xinfang_desktop.services.supervision import board_details, board_keys  # noqa: E402

END = date(2026, 9, 30)


def timed(fn: Callable[[], object], runs: int) -> tuple[float, float]:
    """(first, median of the rest) in milliseconds."""
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        times.append((time.perf_counter() - started) * 1000)
    return times[0], statistics.median(times[1:] or times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", required=True)
    parser.add_argument("--cases", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    db = open_database(args.db)
    with db.read() as s:
        have = s.scalar(select(func.count()).select_from(Matter)) or 0
    if not have:
        started = time.perf_counter()
        with db.begin() as s:
            generate(s, cases=args.cases, seed=1, years=3, end=END)
        if db.is_server:  # the planner's statistics of the new rows
            with db.engine.connect() as conn:
                conn.execution_options(isolation_level="AUTOCOMMIT").exec_driver_sql("VACUUM ANALYZE")
        print(f"filled {args.cases:,} matters in {time.perf_counter() - started:.0f} s")
    with db.read() as s:
        have = s.scalar(select(func.count()).select_from(Matter)) or 0
        version = f"PostgreSQL {s.scalar(text('SHOW server_version'))}" if db.is_server else "SQLite (a file)"
    print(f"{version}, {have:,} matters")

    def search(term: str) -> Callable[[], object]:
        def run() -> None:
            with db.read() as s:
                count_matters(s, MatterFilter(text=term))
                list_matters(s, MatterFilter(text=term), limit=200)
        return run

    def board() -> None:
        with db.read() as s:
            keys = board_keys(s, on=END)
            board_details(s, keys[:200])

    year = (date(2026, 1, 1), END)

    def cold() -> None:
        with db.read() as s:
            tally(s, date_from=year[0], date_to=year[1], as_of=END, use_cache=False)

    def cached() -> None:
        with db.derive() as s:
            tally(s, date_from=year[0], date_to=year[1], as_of=END)

    for label, fn in (("search 2 characters 物业 (count + first page)", search("物业")),
                      ("search 4 characters 拖欠工资 (count + first page)", search("拖欠工资")),
                      ("search a name 王伟", search("王伟")),
                      ("search a surname 王 (1 character)", search("王")),
                      ("search 3 characters 村干部", search("村干部")),
                      ("board open (keys + first 200 rows)", board),
                      ("tally 2026 cold (no cache)", cold),
                      ("tally 2026 cached", cached)):
        first, median = timed(fn, args.runs)
        print(f"{label}: first {first:.0f} ms, median {median:.0f} ms")
    db.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
