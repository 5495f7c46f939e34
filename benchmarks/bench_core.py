"""Core benchmark (not a test): `xinfang demo` time, search and supervision latency at 100k and 1M matters.

Reads the shared databases in bench-out/ strictly read-only (a `mode=ro` URI, so neither a
migration nor a backup can touch them). Prints the median of several warm runs per query.
Budget: every query under 50 ms at 1,000,000 matters.

    python benchmarks/bench_core.py [--skip-demo] [--runs 7]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, event
from sqlalchemy.orm import Session

from xinfang_desktop.domain.values import MatterFilter
from xinfang_desktop.services.search import count_matters, list_matters, search
from xinfang_desktop.services.supervision import (
    awaiting_feedback,
    awaiting_follow_up,
    board_counts,
    count_awaiting_feedback,
    count_due_within,
    count_overdue,
    due_within,
    overdue,
)

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench-out"
BUDGET_MS = 50.0
PAGE = 200  # a screenful and then some: what the 督办 board and the `overdue` views show first


def read_only_session(path: Path) -> Session:
    engine = create_engine(f"sqlite:///file:{path}?mode=ro&uri=true")

    @event.listens_for(engine, "connect")
    def _pragmas(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.execute("PRAGMA foreign_keys=ON")
        dbapi_connection.execute("PRAGMA cache_size=-65536")  # 64 MB, as a desktop would have after warm-up

    return Session(engine)


def time_demo(cases: int) -> float:
    with tempfile.TemporaryDirectory() as tmp:
        target = Path(tmp) / "demo.sqlite3"
        started = time.perf_counter()
        subprocess.run([sys.executable, "-m", "xinfang_desktop", "demo", "--db", str(target), "--cases", str(cases)],
                       check=True, stdout=subprocess.DEVNULL)
        return time.perf_counter() - started


def median_ms(run: Callable[[], object], runs: int) -> tuple[float, object]:
    result = run()  # warm: first run fills the page cache
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        result = run()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times), result


def queries(session: Session) -> list[tuple[str, Callable[[], object]]]:
    return [
        ("search 2 chars, name 张伟", lambda: search(session, "张伟")),
        ("search 2 chars, title 物业", lambda: search(session, "物业")),
        ("search 4 chars, 土地承包", lambda: search(session, "土地承包")),
        ("search 4 chars, 危房改造", lambda: search(session, "危房改造")),
        ("count 2 chars, 物业", lambda: count_matters(session, MatterFilter(text="物业"))),
        ("count 4 chars, 土地承包", lambda: count_matters(session, MatterFilter(text="土地承包"))),
        ("list first page (200)", lambda: list_matters(session)),
        ("count all", lambda: count_matters(session)),
        # each board query three ways: the first page, its count (for a "共 N 件" label), and every row
        (f"due_within 5 days, first {PAGE}", lambda: due_within(session, days=5, limit=PAGE)),
        ("due_within 5 days, count", lambda: count_due_within(session, days=5)),
        ("due_within 5 days, ALL rows", lambda: due_within(session, days=5)),
        (f"overdue, first {PAGE}", lambda: overdue(session, limit=PAGE)),
        ("overdue, count", lambda: count_overdue(session)),
        ("overdue, ALL rows", lambda: overdue(session)),
        (f"awaiting_feedback, first {PAGE}", lambda: awaiting_feedback(session, limit=PAGE)),
        ("awaiting_feedback, count", lambda: count_awaiting_feedback(session)),
        ("awaiting_feedback, ALL rows", lambda: awaiting_feedback(session)),
        ("board_counts (banner)", lambda: board_counts(session)),
        ("awaiting_follow_up", lambda: awaiting_follow_up(session)),
    ]


def bench_database(path: Path, runs: int) -> bool:
    print(f"\n== {path.name} ==", flush=True)
    session = read_only_session(path)
    within = True
    try:
        for label, run in queries(session):
            ms, result = median_ms(run, runs)
            rows = result if isinstance(result, int) else len(result)  # type: ignore[arg-type]
            if isinstance(result, dict):
                rows = result.get("在办", 0)
            flag = "" if ms < BUDGET_MS else "  OVER BUDGET"
            within = within and ms < BUDGET_MS
            print(f"  {label:<34} {ms:8.1f} ms   {rows:>7} rows{flag}", flush=True)
    finally:
        session.close()
    return within


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--skip-demo", action="store_true", help="do not time a fresh `xinfang demo --cases 100000`")
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--db", action="append", default=[], help="bench these files instead of the shared ones")
    args = parser.parse_args()
    if args.db:
        ok = all([bench_database(Path(p), args.runs) for p in args.db])
        print(f"\nbudget {BUDGET_MS:.0f} ms per query: {'met' if ok else 'NOT met'}")
        return 0
    if not args.skip_demo:
        print(f"xinfang demo --cases 100000: {time_demo(100_000):.1f} s", flush=True)
    for label in ("100k", "1m"):
        ready = OUT / f"READY-{label}"
        if ready.exists():
            print(f"(shared demo-{label} built: {ready.read_text(encoding='utf-8').strip()})")
    ok = True
    for label in ("100k", "1m"):
        path = OUT / f"demo-{label}.sqlite3"
        if not (OUT / f"READY-{label}").exists():
            print(f"\n== demo-{label}.sqlite3 not ready yet (run benchmarks/make_demo_dbs.py) ==")
            continue
        ok = bench_database(path, args.runs) and ok
    print(f"\nbudget {BUDGET_MS:.0f} ms per query: {'met' if ok else 'NOT met'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
