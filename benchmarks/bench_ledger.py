"""Ledger benchmark (not a test): export of 10,000 matters (budget 5 s), import of 10,000 rows (budget 15 s).

Builds its own demo database of one year in a temporary folder, exports that year's
台账, imports the export (full ID numbers) into an empty database, and prints figures. Beside
the import it measures a floor: calamine reading the same file plus one executemany of its
rows into a plain table; the import is to stay within 3× of it. Both are printed by stage too
(the import's read, check, batches and tally cache; the floor's read and executemany), by the
wall clock and by CPU. A second floor is this program's own: the rows the import wrote, read
back and written again in one transaction into an empty database of ours, as services/bulk.py
writes them (with the search index, the title grams, the tally triggers and the indexes the
other issues need); what remains above it is the import's Python. With --clerk it imports the file once more while a second process saves
a matter every 50 ms, and prints the clerk's longest save (issue 12: under 1 s, the import
giving the lock back between its batches).

    python benchmarks/bench_ledger.py [--cases 10000] [--profile] [--clerk]
"""

from __future__ import annotations

import argparse
import cProfile
import json
import os
import pstats
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

from xinfang_desktop import wallclock
from xinfang_desktop.db.database import Database
from xinfang_desktop.domain.errors import XinfangError
from xinfang_desktop.domain.values import MatterFilter
from xinfang_desktop.exporters.ledger_import import read_ledger
from xinfang_desktop.services.bulk import COLUMNS, RowBatch
from xinfang_desktop.services.demo import generate
from xinfang_desktop.services.ledger.files import export_ledger_file, import_ledger_file
from xinfang_desktop.services.search import count_matters

EXPORT_BUDGET_S = 5.0
IMPORT_BUDGET_S = 15.0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--cases", type=int, default=10000)
    parser.add_argument("--profile", action="store_true", help="print the top of a cProfile of the import")
    parser.add_argument("--clerk", action="store_true", help="import again beside a process saving every 50 ms")
    args = parser.parse_args()
    year = wallclock.today().year - 1  # the program's clock: XINFANG_TODAY moves the benchmark's year too
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        source = Database(folder / "source.sqlite3")
        with source.begin() as s:
            generate(s, cases=args.cases, years=1, end=date(year, 12, 31))
        flt = MatterFilter(year=year)
        with source.read() as s:
            n = count_matters(s, flt)
        ledger = folder / "ledger.xlsx"
        started = time.perf_counter()
        written = export_ledger_file(source, ledger, flt=flt, full_id=True)
        export_s = time.perf_counter() - started
        print(f"export: {written} matters in {export_s:.2f} s ({ledger.stat().st_size / 1e6:.1f} MB) "
              f"budget {EXPORT_BUDGET_S:.0f} s: {'OK' if export_s < EXPORT_BUDGET_S else 'OVER'}")
        assert written == n

        target = Database(folder / "target.sqlite3")
        given: list[float] = []  # the pauses between batches for a clerk's save (issue 12), counted apart

        def give_way() -> None:
            began = time.perf_counter()
            Database.give_way()
            given.append(time.perf_counter() - began)

        target.give_way = give_way  # type: ignore[method-assign]
        # when each stage ended, by the wall clock and by CPU: read, check (the replay), write (the batches)
        marks: dict[str, tuple[float, float]] = {}

        def mark(stage: str) -> None:
            marks[stage] = (time.perf_counter(), time.process_time())

        def checked(_report: object) -> bool:
            mark("check")
            return True

        def written(done: int, total: int) -> None:
            if "check" in marks and done == total:
                mark("write")

        mark("start")
        started, cpu = marks["start"]
        parsed = read_ledger(ledger)
        mark("read")
        read_s = marks["read"][0] - started
        profiler = cProfile.Profile() if args.profile else None
        if profiler:
            profiler.enable()
        outcome = import_ledger_file(target, ledger, ledger=parsed, confirm=checked, progress=written)
        if profiler:
            profiler.disable()
        mark("end")
        import_s, import_cpu = time.perf_counter() - started, time.process_time() - cpu
        r = outcome.report
        print(f"import: {r.rows_read} rows read in {read_s:.2f} s, {r.imported} imported, {len(r.skipped)} skipped, "
              f"{len(r.warnings)} warnings; total {import_s:.2f} s "
              f"({(import_s - read_s) / max(r.imported, 1) * 1000:.1f} ms a row to replay and write) "
              f"budget {IMPORT_BUDGET_S:.0f} s: {'OK' if import_s < IMPORT_BUDGET_S else 'OVER'}; CPU {import_cpu:.2f} s; "
              f"of the total, {len(given)} pauses for a clerk: {sum(given):.2f} s")
        stages = ("read", "check", "write", "end")
        spans = [(stage, marks[stage][0] - marks[before][0], marks[stage][1] - marks[before][1])
                 for before, stage in zip(("start", *stages), stages, strict=False)]
        print("import by stage (wall / CPU): " + ", ".join(
            f"{'tally cache and the rest' if stage == 'end' else stage} {wall:.2f} / {used:.2f} s"
            for stage, wall, used in spans))
        cpu = time.process_time()
        floor_s, floor_read_s, floor_read_cpu = _floor(ledger, folder / "floor.sqlite3")
        floor_cpu = time.process_time() - cpu
        print(f"floor by stage (wall / CPU): calamine read {floor_read_s:.2f} / {floor_read_cpu:.2f} s, "
              f"executemany {floor_s - floor_read_s:.2f} / {floor_cpu - floor_read_cpu:.2f} s")
        # on a machine others share, the CPU seconds of both say more than the wall clock
        print(f"floor (calamine read + one executemany): {floor_s:.2f} s (CPU {floor_cpu:.2f} s); import is "
              f"{import_s / floor_s:.1f}× the floor (goal 3×): {'OK' if import_s < 3 * floor_s else 'OVER'}; "
              f"by CPU {import_cpu / floor_cpu:.1f}×")
        schema_s, schema_cpu = _schema_floor(target, folder / "schema.sqlite3")
        print(f"schema floor (the {r.imported} matters' rows of every table, read back, written again into an empty "
              f"database of ours in one transaction): {schema_s:.2f} s (CPU {schema_cpu:.2f} s); with calamine's read "
              f"{floor_read_s + schema_s:.2f} s, {(floor_read_s + schema_s) / floor_s:.1f}× the floor; the import is "
              f"{import_s / (floor_read_s + schema_s):.1f}× it")
        started = time.perf_counter()
        again = import_ledger_file(target, ledger)
        print(f"second import of the same file: {again.report.imported} imported, "
              f"{again.report.duplicates} already there, {time.perf_counter() - started:.2f} s")
        if args.clerk:
            _beside_a_clerk(ledger, folder)
        if profiler:
            pstats.Stats(profiler).sort_stats("cumulative").print_stats(30)
        source.close()
        target.close()
    return 0


CLERK_PAUSE_S = 0.05


def _clerk(path: str, stop: str) -> None:
    """In a child process: save a matter every CLERK_PAUSE_S until `stop` exists; one JSON line of figures."""
    from stress_storage import save_one

    db = Database(path, migrate=False)
    save_one(db, 4_999_999)  # the first save compiles its statements: not a wait
    Path(stop).with_suffix(".ready").touch()
    took: list[tuple[float, float]] = []  # (when it began, by the wall clock both processes share; seconds)
    failures: list[str] = []
    while not os.path.exists(stop):
        began = time.time()
        try:
            took.append((began, save_one(db, 5_000_000 + len(took) + len(failures))))
        except XinfangError as exc:
            failures.append(exc.message)
        time.sleep(CLERK_PAUSE_S)
    db.close()
    print(json.dumps({"took": took, "failures": failures}))


def _beside_a_clerk(ledger: Path, folder: Path) -> None:
    """The same import into an empty database while another process saves; how long the clerk's saves took."""
    path, stop = folder / "clerk.sqlite3", folder / "clerk.stop"
    target = Database(path)
    code = (f"import sys; sys.path.insert(0, {str(Path(__file__).parent)!r}); import bench_ledger; "
            f"bench_ledger._clerk({str(path)!r}, {str(stop)!r})")
    clerk = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
    while not stop.with_suffix(".ready").exists():
        time.sleep(0.05)
    batches: list[int] = []
    writing: list[float] = []  # when the check ended and the batches began

    def confirm(_report: object) -> bool:
        writing.append(time.time())
        return True

    started = time.perf_counter()
    outcome = import_ledger_file(target, ledger, confirm=confirm,
                                 progress=lambda done, total: batches.append(done) if writing else None)
    import_s = time.perf_counter() - started
    ended = time.time()
    stop.touch()
    out, _ = clerk.communicate()
    target.close()
    seen = json.loads(out.strip().splitlines()[-1])
    during = [took for began, took in seen["took"] if writing[0] <= began <= ended]
    print(f"import beside a clerk saving every {CLERK_PAUSE_S * 1000:.0f} ms: {outcome.report.imported} imported in "
          f"{import_s:.2f} s, {len(batches)} batches; clerk {len(seen['took'])} saves, {len(seen['failures'])} failed; "
          f"while the batches were written: {len(during)} saves, longest {max(during, default=0):.3f} s, "
          f"median {statistics.median(during or [0]):.3f} s (goal: longest under 1 s); longest of all "
          f"{max((t for _, t in seen['took']), default=0):.3f} s")


def _schema_floor(done: Database, path: Path) -> tuple[float, float]:
    """What writing an import's rows costs this program's schema alone: (seconds, CPU seconds).

    Every row the import wrote into `done` (petitioners, matters and their links, transfers,
    feedback, timeline, instructions) goes again into a new database at `path` (its units and
    categories copied first), through services/bulk.RowBatch in one write transaction."""
    fresh = Database(path)
    with done.read() as s:
        conn = s.connection()
        found = {table: [list(row) for row in conn.exec_driver_sql(
            f"SELECT {', '.join(f'{chr(34)}{c}{chr(34)}' for c in COLUMNS[table])} FROM {table} ORDER BY rowid")]
            for table in COLUMNS}
        units = [tuple(row) for row in conn.exec_driver_sql("SELECT * FROM units")]
        categories = [tuple(row) for row in conn.exec_driver_sql("SELECT * FROM categories")]
    with fresh.begin() as s:
        raw = s.connection().connection.driver_connection
        for table, rows in (("units", units), ("categories", categories)):
            if rows:
                raw.executemany(f"INSERT OR REPLACE INTO {table} VALUES ({', '.join('?' * len(rows[0]))})", rows)
    batch = RowBatch()
    for table, rows in found.items():
        batch.rows[table] = rows
    started, cpu = time.perf_counter(), time.process_time()
    with fresh.begin() as s:
        batch.write(s)
    took = time.perf_counter() - started, time.process_time() - cpu
    fresh.close()
    return took


def _floor(ledger: Path, path: Path) -> tuple[float, float, float]:
    """The least an import of this file can cost: read every cell, write every row once.

    (seconds in all, seconds of the read, CPU seconds of the read)."""
    from python_calamine import CalamineWorkbook

    started, cpu = time.perf_counter(), time.process_time()
    rows = CalamineWorkbook.from_path(str(ledger)).get_sheet_by_index(0).to_python()
    read_s, read_cpu = time.perf_counter() - started, time.process_time() - cpu
    width = max(len(r) for r in rows)
    conn = sqlite3.connect(path)
    conn.execute(f"CREATE TABLE rows ({', '.join(f'c{i}' for i in range(width))})")
    with conn:
        conn.executemany(f"INSERT INTO rows VALUES ({', '.join('?' * width)})",
                         [[str(v) for v in r] + [""] * (width - len(r)) for r in rows])
    conn.close()
    return time.perf_counter() - started, read_s, read_cpu


if __name__ == "__main__":
    raise SystemExit(main())
