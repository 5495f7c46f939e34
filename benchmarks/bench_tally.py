"""Tally benchmark (not a test): one year's tally at 100k and 1,000,000 matters. Budget: under 1 s.

Reads the shared databases in bench-out/ strictly read-only (a `mode=ro` URI) with the
app's own pragmas (no enlarged page cache), so the figure is what the 统计 tab would see.
Prints the first (cold-ish) run and the median of the warm runs.

The tally reads the covering indexes of migration 0006; a shared database built before it
lacks them (and must not be written), so `--copy DIR` measures a copy migrated by the app.

    python benchmarks/bench_tally.py [--db PATH ...] [--year Y] [--runs 5] [--copy DIR]
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import time
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, event, func, select, text
from sqlalchemy.orm import Session

from xinfang_desktop.db.database import Database
from xinfang_desktop.db.models import Matter
from xinfang_desktop.domain.tally import summary_text
from xinfang_desktop.services.statistics import tally_year

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench-out"
BUDGET_S = 1.0


def read_only_session(path: Path) -> Session:
    engine = create_engine(f"sqlite:///file:{path}?mode=ro&uri=true")

    @event.listens_for(engine, "connect")
    def _pragmas(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.execute("PRAGMA foreign_keys=ON")

    return Session(engine)


def busiest_full_year(session: Session) -> int:
    """The last year with a year before it in the data, so 同比 has something to compare."""
    first, last = session.execute(select(func.min(Matter.received_on), func.max(Matter.received_on))).one()
    return int(max(first.year + 1, last.year - 1))


def bench(path: Path, year: int | None, runs: int) -> None:
    session = read_only_session(path)
    total = session.scalar(select(func.count(Matter.id)))
    year = year or busiest_full_year(session)
    if not session.scalar(text("SELECT 1 FROM sqlite_master WHERE name = 'ix_matters_tally'")):
        print(f"{path.name}: not migrated to 0006 (no ix_matters_tally); measure a migrated copy with --copy DIR")
    times = []
    result = None
    for _ in range(runs):
        started = time.perf_counter()
        result = tally_year(session, year=year)
        summary_text(result)
        times.append(time.perf_counter() - started)
    assert result is not None
    warm = statistics.median(times[1:]) if len(times) > 1 else times[0]
    verdict = "OK" if warm < BUDGET_S else "OVER BUDGET"
    print(f"{path.name}: {total:,} matters; tally of {year} ({result.this.total:,} matters, "
          f"last year {result.last.total:,}): first {times[0]:.3f} s, warm median {warm:.3f} s "
          f"(budget {BUDGET_S:.0f} s) {verdict}")
    session.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--db", nargs="*", type=Path, help="databases (default: the bench-out demo databases)")
    parser.add_argument("--year", type=int, default=None)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--copy", type=Path, default=None, help="migrate a copy of each database here first")
    args = parser.parse_args()
    paths = args.db or [p for p in (OUT / "demo-100k.sqlite3", OUT / "demo-1m.sqlite3") if p.exists()]
    if not (OUT / "READY-1m").exists() and not args.db:
        print("bench-out/demo-1m.sqlite3 is not complete yet (no READY-1m); measuring what exists")
        paths = [p for p in paths if p.name != "demo-1m.sqlite3"]
    for path in paths:
        if args.copy:
            args.copy.mkdir(parents=True, exist_ok=True)
            copy = args.copy / path.name
            shutil.copyfile(path, copy)
            Database(copy).close()  # the app's own migration adds the 0006 indexes
            path = copy
        bench(path, args.year, args.runs)


if __name__ == "__main__":
    main()
