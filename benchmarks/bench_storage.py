"""Storage timings (not a test) on a large database: the checks at open and after the first paint, a backup, a restore.

Works on a copy of the file given (never the file itself):

    xinfang demo --db big.sqlite3 --cases 200000
    python benchmarks/bench_storage.py big.sqlite3
"""

from __future__ import annotations

import argparse
import shutil
import sqlite3
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

from xinfang_desktop.db.backups import AT_CLOSE, DAILY, verify_problems
from xinfang_desktop.db.database import Database
from xinfang_desktop.services.backups import automatic_backup, restore_backup


def timed(label: str, work):  # type: ignore[no-untyped-def]
    started = time.perf_counter()
    value = work()
    print(f"{label}: {time.perf_counter() - started:.2f} s")
    return value


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("db", type=Path)
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
        db = timed("open (pragmas, migrate check, tally cache check)", lambda: Database(path))
        report = timed("quick check at open (bounded)", db.quick_check)
        print(f"  finished within its budget: {report.finished}, ok: {report.ok}")
        full = timed("quick_check unbounded", lambda: db.quick_check(budget_s=3600))
        print(f"  ok: {full.ok}")
        whole = timed("full check after the first paint (integrity_check + foreign_key_check)", db.check)
        print(f"  ok: {whole.ok}")
        outcome = timed("the day's first backup (backup API, integrity_check of the copy, rename, rotate)",
                        lambda: automatic_backup(db, reason=DAILY, now=datetime.now()))
        timed("  of which integrity_check of the copy", lambda: verify_problems(outcome.written[0]))
        timed("  of which quick_check of the copy", lambda: verify_problems(outcome.written[0], quick=True))
        timed("  of which the copy alone (backup API)", lambda: db.backup(Path(tmp) / "plain.sqlite3", verify="none"))
        closing = timed("the backup at close (backup API, quick_check of the copy, rename, rotate)",
                        lambda: automatic_backup(db, reason=AT_CLOSE, now=datetime.now()))
        backup = closing.written[0]
        db.close()
        timed("restore (check the backup, keep the current file, write the backup in)",
              lambda: restore_backup(path, backup))
        shutil.rmtree(Path(tmp) / "backups", ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
