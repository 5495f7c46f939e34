"""Tally benchmark (not a test): one year's tally at 100k and 1,000,000 matters. Budget: under 1 s.

Default: reads the shared databases in bench-out/ strictly read-only (a `mode=ro` URI) with
the app's own pragmas (no enlarged page cache), and prints two figures, wall and CPU seconds:
the empty-cache tally (`use_cache=False`: every day of the year and of the year before counted
afresh, none read from the file's tally_days, nothing stored; what a cache dropped as damaged
costs), and the tally reading the days the file keeps (a read-only session cannot store the
days it had to count). Each: the first run and the median of the warm runs, with the load.
The session may count on a second connection beside it, as the program's read() may
(db.database.second_reader): the passes run two at a time, so on a quiet machine wall time is
below CPU time; on a loaded one the process's share of the cores is the limit.

The tally reads the generated columns and indexes of migration 0020; a shared database built
before it lacks them (and must not be written), so `--copy DIR` measures a copy migrated by the app.

`--cache` measures a database the benchmark may write (it is migrated to head first, which
keeps every day: Database.complete_tally_cache): the fill itself (what an upgrade, an import
or a copy-to pays when every day was dropped: here only the days still missing); the first
tally of a fresh process on the file as the program leaves it (cold: a new interpreter, no
compiled statement, no SQLite page cache, the mappers configured as the window's first paint
leaves them; the OS file cache is not dropped), then again
(`--runs` fresh processes, median); the median of tallies in one process (warm); the tally
after "a day's work" (30 random days of the two years dropped from the cache by no-op
updates that fire the triggers, data unchanged); and the tally with no kept day at all
(what a cache dropped as damaged costs once; the days are kept again after it). Each result
is checked against the tally counted without the cache.

`--triggers N` measures what the cache's triggers cost every write: `generate(N)` (the
demo, bulk inserts) and a run of clerk's actions through the services, on fresh databases
with and without the triggers.

    python benchmarks/bench_tally.py [--db PATH ...] [--year Y] [--runs 5] [--copy DIR]
    python benchmarks/bench_tally.py --cache --db /tmp/m1m/demo-1m.sqlite3 [--runs 5]
    python benchmarks/bench_tally.py --fresh --db PATH --year Y   (one tally; run by --cache in a new process)
    python benchmarks/bench_tally.py --triggers 20000
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, event, func, select, text
from sqlalchemy.orm import Session, configure_mappers

from xinfang_desktop.db.database import Database
from xinfang_desktop.db.dialect import SECOND_READER, second_reader
from xinfang_desktop.db.models import Matter
from xinfang_desktop.domain.enums import Channel, Decision
from xinfang_desktop.domain.tally import Tally
from xinfang_desktop.domain.tally_text import summary_text
from xinfang_desktop.domain.values import MatterInput, PetitionerInput, TransferTarget
from xinfang_desktop.services import demo, handling, registry
from xinfang_desktop.services.reference import list_units
from xinfang_desktop.services.statistics import tally_year
from xinfang_desktop.wallclock import today

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench-out"
BUDGET_S = 1.0


def read_only_session(path: Path) -> Session:
    engine = create_engine(f"sqlite:///file:{path}?mode=ro&uri=true")

    @event.listens_for(engine, "connect")
    def _pragmas(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.execute("PRAGMA foreign_keys=ON")

    # the tally may count on a second connection beside it, as in the program's read() (db.database.second_reader)
    return Session(engine, info={SECOND_READER: second_reader})


def busiest_full_year(session: Session) -> int:
    """The last year with a year before it in the data, so 同比 has something to compare."""
    first, last = session.execute(select(func.min(Matter.received_on), func.max(Matter.received_on))).one()
    return int(max(first.year + 1, last.year - 1))


def bench(path: Path, year: int | None, runs: int) -> None:
    session = read_only_session(path)
    total = session.scalar(select(func.count(Matter.id)))
    year = year or busiest_full_year(session)
    if "tally_lanes_0" not in {row[1] for row in session.execute(text("PRAGMA table_xinfo(matters)"))}:
        print(f"{path.name}: not migrated to 0020 (no tally_lanes_0); measure a migrated copy with --copy DIR")
        return
    figures = []
    result = None
    for label, use_cache in (("empty cache (every day counted)", False), ("the file's kept days", True)):
        times = []
        for _ in range(runs):
            started, cpu = time.perf_counter(), time.process_time()
            result = tally_year(session, year=year, use_cache=use_cache)
            summary_text(result)
            times.append((time.perf_counter() - started, time.process_time() - cpu))
        warm = [statistics.median(t[k] for t in times[1:] or times) for k in (0, 1)]
        verdict = "OK" if warm[0] < BUDGET_S else "OVER BUDGET"
        figures.append(f"{label}: first {times[0][0]:.3f} / {times[0][1]:.3f}, warm median {warm[0]:.3f} / "
                       f"{warm[1]:.3f} {verdict}")
    assert result is not None
    print(f"{path.name}: {total:,} matters; tally of {year} ({result.this.total:,} matters, "
          f"last year {result.last.total:,}), wall / CPU seconds (budget {BUDGET_S:.0f} s): " + "; ".join(figures)
          + f"; load average {os.getloadavg()[0]:.1f}")
    session.close()


def _timed(db: Database, year: int, as_of: date) -> tuple[float, float, Tally]:
    """One tally as the 统计 tab runs it (a write transaction that keeps the days it counted): wall and CPU seconds.

    CPU beside wall, because on a shared machine the wall time mostly measures the others' load."""
    started, cpu = time.perf_counter(), time.process_time()
    with db.begin() as session:
        result = tally_year(session, year=year, as_of=as_of)
    summary_text(result)
    return time.perf_counter() - started, time.process_time() - cpu, result


def _day_of_work(db: Database, years: tuple[int, int], n_days: int, seed: int) -> int:
    """Drop n_days random days of the two years from the cache through real (value-keeping) updates."""
    rng = random.Random(seed)
    first = date(years[0], 1, 1)
    span = (date(years[1], 12, 31) - first).days + 1
    days = sorted({first + timedelta(days=rng.randrange(span)) for _ in range(n_days)})
    touched = 0
    with db.begin() as session:
        for k, day in enumerate(days):
            matter_id = session.scalar(text("SELECT id FROM matters WHERE received_on = :d LIMIT 1"),
                                       {"d": day.isoformat()})
            if matter_id is None:
                continue
            # the same kinds of write as the clerk's: the matter itself, a transfer (催办), a report
            if k % 3 == 0:
                session.execute(text("UPDATE matters SET persons = persons WHERE id = :m"), {"m": matter_id})
            elif k % 3 == 1:
                session.execute(text("UPDATE transfers SET reminders = reminders WHERE matter_id = :m"),
                                {"m": matter_id})
                session.execute(text("UPDATE matters SET key_supervision = key_supervision WHERE id = :m"),
                                {"m": matter_id})
            else:
                session.execute(text("UPDATE feedback SET received_on = received_on WHERE transfer_id IN"
                                     " (SELECT id FROM transfers WHERE matter_id = :m)"), {"m": matter_id})
                session.execute(text("UPDATE matters SET status = status WHERE id = :m"), {"m": matter_id})
            touched += 1
    return touched


def fresh_tally(path: Path, year: int, as_of: date) -> None:
    """One tally in this (new) process, as the 统计 tab's first: prints wall and CPU seconds as 'fresh W C'."""
    configure_mappers()  # the window's first paint has run ORM queries before 统计 is opened
    started, cpu = time.perf_counter(), time.process_time()
    db = Database(path)
    with db.begin() as session:
        result = tally_year(session, year=year, as_of=as_of)
    summary_text(result)
    print(f"fresh {time.perf_counter() - started:.3f} {time.process_time() - cpu:.3f} {result.this.total}")
    db.close()


def _in_new_process(path: Path, year: int, as_of: date) -> tuple[float, float]:
    done = subprocess.run([sys.executable, __file__, "--fresh", "--db", str(path), "--year", str(year),
                           "--as-of", as_of.isoformat()], capture_output=True, text=True, check=True)
    _, wall, cpu, _ = done.stdout.split()
    return float(wall), float(cpu)


def bench_cache(path: Path, year: int | None, runs: int) -> None:
    db = Database(path, migrate=False)
    backup = db.migrate()
    if backup is not None:
        print(f"{path.name}: migrated to {db.head_revision()}; the migration's backup is {backup} (delete it when done)")
    with db.read() as session:
        total = session.scalar(select(func.count()).select_from(Matter))
        year = year or busiest_full_year(session)
    as_of = today()
    started, cpu = time.perf_counter(), time.process_time()
    filled = db.complete_tally_cache()
    fill, fill_cpu = time.perf_counter() - started, time.process_time() - cpu
    started, cpu = time.perf_counter(), time.process_time()
    with db.read() as session:
        reference = tally_year(session, year=year, as_of=as_of, use_cache=False)
    uncached, uncached_cpu = time.perf_counter() - started, time.process_time() - cpu
    db.close()
    fresh = [_in_new_process(path, year, as_of) for _ in range(max(runs, 1))]
    cold, cold_cpu = fresh[0]
    fresh_wall, fresh_cpu = (statistics.median(t[k] for t in fresh) for k in (0, 1))
    db = Database(path)
    warm_times = []
    for _ in range(max(runs - 1, 1)):
        seconds, cpu_seconds, result = _timed(db, year, as_of)
        assert result == reference, "warm tally differs from the uncached one"
        warm_times.append((seconds, cpu_seconds))
    warm, warm_cpu = (statistics.median(t[k] for t in warm_times) for k in (0, 1))
    with db.read() as session:
        cached_before = session.scalar(text("SELECT count(*) FROM tally_days"))
    touched = _day_of_work(db, (year - 1, year), 30, seed=year)
    with db.read() as session:
        dropped = cached_before - session.scalar(text("SELECT count(*) FROM tally_days"))
    after_work, after_work_cpu, result = _timed(db, year, as_of)
    assert result == reference, "tally after the day's work differs from the uncached one"
    with db.begin() as session:
        session.execute(text("DELETE FROM tally_days"))
    empty, empty_cpu, result = _timed(db, year, as_of)
    assert result == reference, "tally with no kept day differs from the uncached one"
    db.complete_tally_cache()  # the file left as the program leaves it
    verdict = "OK" if max(cold, fresh_wall, warm, after_work) < BUDGET_S else "OVER BUDGET"
    print(f"{path.name}: {total:,} matters; tally of {year} ({reference.this.total:,} matters, last year "
          f"{reference.last.total:,}), wall / CPU seconds: fill of the {filled} days missing {fill:.3f} / {fill_cpu:.3f}, "
          f"uncached {uncached:.3f} / {uncached_cpu:.3f}, "
          f"fresh process first {cold:.3f} / {cold_cpu:.3f}, median {fresh_wall:.3f} / {fresh_cpu:.3f} ({len(fresh)} runs), "
          f"warm median {warm:.3f} / {warm_cpu:.3f} ({len(warm_times)} runs), "
          f"after a day's work ({touched} matters on {dropped} days dropped) {after_work:.3f} / {after_work_cpu:.3f}, "
          f"no kept day {empty:.3f} / {empty_cpu:.3f} "
          f"(budget {BUDGET_S:.0f} s, kept days) {verdict}; load average {os.getloadavg()[0]:.1f}; "
          "every result equals the uncached tally")
    db.close()


def _actions(db: Database, n: int) -> float:
    """n matters through the services, one transaction per action: register, 交办, 催办, report, close."""
    with db.read() as session:
        unit = list_units(session)[0].id
    started = time.perf_counter()
    for k in range(n):
        received = date(2025, 1, 1) + timedelta(days=k % 300)
        with db.begin() as session:
            matter_id = registry.register_matter(session, MatterInput(
                received_on=received, channel=Channel.LETTER, title="反映问题",
                petitioners=(PetitionerInput(name="王伟"),)), now=date(2026, 1, 1)).id
        with db.begin() as session:
            registry.decide(session, matter_id=matter_id, decision=Decision.ASSIGN, on=received,
                            targets=(TransferTarget(unit_id=unit, due_on=received + timedelta(days=30)),))
        with db.begin() as session:
            transfer_id = session.scalar(text("SELECT id FROM transfers WHERE matter_id = :m"), {"m": matter_id})
            handling.remind(session, transfer_id=transfer_id, on=received + timedelta(days=5))
        with db.begin() as session:
            handling.record_feedback(session, transfer_id=transfer_id, received_on=received + timedelta(days=10),
                                     text="已处理")
        with db.begin() as session:
            handling.close(session, matter_id=matter_id, on=received + timedelta(days=12))
    return time.perf_counter() - started


def bench_triggers(cases: int, actions: int) -> None:
    """generate(cases) and `actions` matters' worth of clerk's actions, with and without the triggers."""
    names = ["tally_matters_ai", "tally_matters_au", "tally_matters_ad", "tally_transfers_ai", "tally_transfers_au",
             "tally_transfers_ad", "tally_feedback_ai", "tally_feedback_au", "tally_feedback_ad",
             "tally_instructions_ai", "tally_instructions_au", "tally_instructions_ad"]
    original_fill: Callable[..., int] = demo.fill_cache
    demo.fill_cache = lambda session, **_: 0  # type: ignore[assignment]  # the inserts alone are compared
    try:
        for label, drop in (("without triggers", True), ("with triggers", False), ("without triggers", True),
                            ("with triggers", False)):
            with tempfile.TemporaryDirectory() as folder:
                db = Database(Path(folder) / "t.sqlite3")
                if drop:
                    with db.begin() as session:
                        for name in names:
                            session.execute(text(f"DROP TRIGGER {name}"))
                with db.begin() as session:  # a warm cache is what the triggers have to delete from
                    original_fill(session, date_from=date(2023, 1, 1), date_to=date(2025, 12, 31))
                started = time.perf_counter()
                with db.begin() as session:
                    demo.generate(session, cases=cases, seed=1, end=date(2025, 12, 31), years=3)
                generated = time.perf_counter() - started
                with db.begin() as session:
                    original_fill(session, date_from=date(2023, 1, 1), date_to=date(2025, 12, 31))
                spent = _actions(db, actions)
                print(f"{label:>16}: generate({cases:,}) {generated:.2f} s; {actions} matters x 5 actions "
                      f"(register, 交办, 催办, 反馈, 办结; one transaction each) {spent:.2f} s, "
                      f"{spent / (actions * 5) * 1000:.2f} ms per action")
                db.close()
    finally:
        demo.fill_cache = original_fill  # type: ignore[assignment]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--db", nargs="*", type=Path, help="databases (default: the bench-out demo databases)")
    parser.add_argument("--year", type=int, default=None)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--copy", type=Path, default=None, help="migrate a copy of each database here first")
    parser.add_argument("--cache", action="store_true",
                        help="measure the per-day cache on a database this benchmark may write (--db)")
    parser.add_argument("--triggers", type=int, default=0, metavar="N",
                        help="measure the cache triggers' cost on a demo of N matters")
    parser.add_argument("--actions", type=int, default=200, help="matters put through the services (--triggers)")
    parser.add_argument("--fresh", action="store_true", help="one tally of --year in this process (used by --cache)")
    parser.add_argument("--as-of", type=date.fromisoformat, default=None)
    args = parser.parse_args()
    if args.fresh:
        fresh_tally(args.db[0], args.year, args.as_of or today())
        return
    if args.triggers:
        bench_triggers(args.triggers, args.actions)
        return
    if args.cache:
        if not args.db:
            parser.error("--cache needs --db PATH of a database it may write")
        for path in args.db:
            bench_cache(path, args.year, args.runs)
        return
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
