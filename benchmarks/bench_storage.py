"""Storage timings (not a test) on a large database: an upgrade, the checks at open and after the first paint, a backup, a restore.

Works on a copy of the file given (never the file itself):

    xinfang demo --db big.sqlite3 --cases 200000
    python benchmarks/bench_storage.py big.sqlite3

A file of an older version is first opened as the window opens it, and its upgrade timed step by step
(the copy, its integrity_check, the migrations).
"""

from __future__ import annotations

import argparse
import shutil
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

from xinfang_desktop import wallclock
from xinfang_desktop.db.backups import AT_CLOSE, DAILY, verify_problems
from xinfang_desktop.db.database import Database
from xinfang_desktop.services.backups import automatic_backup, check_at_open, restore_backup


def timed(label: str, work):  # type: ignore[no-untyped-def]
    started = time.perf_counter()
    value = work()
    print(f"{label}: {time.perf_counter() - started:.2f} s")
    return value


def upgrade(db: Database) -> None:
    """The upgrade as the window runs it: the copy, its integrity_check, the migrations, each timed."""
    marks: dict[str, float] = {}
    started = time.perf_counter()

    def heard(step: str, done: int, total: int) -> None:
        if step == "备份" and total and done >= total:
            marks.setdefault("copied", time.perf_counter())
        elif step == "升级":
            marks.setdefault("checked", time.perf_counter())

    print(f"upgrade from {db.current_revision()} to {db.head_revision()}:")
    db.migrate(progress=heard)
    done = time.perf_counter()
    print(f"  the copy before it (backup API): {marks['copied'] - started:.2f} s")
    print(f"  integrity_check of the copy, rename: {marks['checked'] - marks['copied']:.2f} s")
    print(f"  the migrations: {done - marks['checked']:.2f} s")
    print(f"  in all: {done - started:.2f} s")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("db", type=Path)
    parser.add_argument("--checks-only", action="store_true", help="stop after the full check (no backups, no restore)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(dir=args.db.parent) as tmp:
        path = Path(tmp) / args.db.name
        src = sqlite3.connect(f"{args.db.resolve().as_uri()}?mode=ro", uri=True)
        dst = sqlite3.connect(path)
        src.backup(dst)
        dst.close()
        matters = src.execute("SELECT count(*) FROM matters").fetchone()[0]
        src.close()
        print(f"database: {matters} matters, {path.stat().st_size / 1e6:.0f} MB")
        db = timed("open without migrating (pragmas)", lambda: Database(path, migrate=False))
        if db.upgrade_pending():
            upgrade(db)
        db.close()
        db = timed("open (pragmas, migrate check, tally cache check)", lambda: Database(path))
        timed("the window's check at open (tally cache, header, quick_check within its budget)",
              lambda: check_at_open(db))
        report = timed("quick check at open (bounded)", db.quick_check)
        print(f"  finished within its budget: {report.finished}, ok: {report.ok}")
        full = timed("quick_check unbounded", lambda: db.quick_check(budget_s=3600))
        print(f"  ok: {full.ok}")
        whole = timed("full check after the first paint (integrity_check + foreign_key_check)", db.check)
        print(f"  ok: {whole.ok}")
        if args.checks_only:
            db.close()
            return 0
        outcome = timed("the day's first backup (backup API, integrity_check of the copy, rename, rotate)",
                        lambda: automatic_backup(db, reason=DAILY, now=wallclock.now()))
        timed("  of which integrity_check of the copy", lambda: verify_problems(outcome.written[0]))
        timed("  of which quick_check of the copy", lambda: verify_problems(outcome.written[0], quick=True))
        timed("  of which the copy alone (backup API)", lambda: db.backup(Path(tmp) / "plain.sqlite3", verify="none"))
        closing = timed("the backup at close (backup API, quick_check of the copy, rename, rotate)",
                        lambda: automatic_backup(db, reason=AT_CLOSE, now=wallclock.now()))
        backup = closing.written[0]
        db.close()
        timed("restore (check the backup, keep the current file, write the backup in)",
              lambda: restore_backup(path, backup))
        shutil.rmtree(Path(tmp) / "backups", ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
