"""Storage stress (not a test): two writers, a clerk saving beside a long write, kills during saves, damaged files.

Prints figures; nothing is asserted. `tests/db/test_storage_stress.py` runs a bounded form.

    python benchmarks/stress_storage.py [--saves 300] [--kills 200] [--fuzz 1000]

The workbook fuzz corpus (issue 12 §4) is another engineer's: when
`xinfang_desktop.exporters.ledger_fuzz.fuzz_corpus` exists it is run here too (FUZZ_HOOK).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from xinfang_desktop.db.database import Database
from xinfang_desktop.domain.enums import Channel
from xinfang_desktop.domain.errors import XinfangError
from xinfang_desktop.domain.values import MatterInput, PetitionerInput
from xinfang_desktop.services.reference import seed_defaults
from xinfang_desktop.services.registry import register_matter

NOW = date(2026, 11, 1)


def matter(i: int) -> MatterInput:
    return MatterInput(received_on=date(2026, 3, 1 + i % 28), channel=Channel.LETTER,
                       title=f"反映第{i}号土地承包问题", content="承包地被村组收回另行发包",
                       petitioners=(PetitionerInput(f"王{i}"),))


def save_one(db: Database, i: int) -> float:
    """One clerk's save: the seconds it took, lock wait included."""
    started = time.perf_counter()
    with db.begin() as s:
        register_matter(s, matter(i), now=NOW)
    return time.perf_counter() - started


# worker processes ------------------------------------------------------------------------------
def _saver(path: str, saves: int, tag: int, pause: float) -> None:
    """Run in a child: `saves` saves, one JSON line of outcomes on stdout."""
    db = Database(path, migrate=False)
    failures: list[str] = []
    waits: list[float] = []
    for i in range(saves):
        try:
            waits.append(save_one(db, tag * 1_000_000 + i))
        except XinfangError as exc:
            failures.append(exc.message)
        except Exception as exc:  # noqa: BLE001 - counted: this is what the figures are about
            failures.append(f"{type(exc).__name__}: {str(exc).splitlines()[0]}")
        if pause:
            time.sleep(pause)
    db.close()
    print(json.dumps({"failures": failures, "longest": max(waits, default=0.0), "saved": len(waits)}))


def _long_writer(path: str, rows: int, batch: int) -> None:
    """Run in a child: `rows` matters written `batch` to a transaction, as a batched import would."""
    db = Database(path, migrate=False)
    started = time.perf_counter()
    for first in range(0, rows, batch):
        if first:
            db.give_way()
        with db.begin() as s:
            for i in range(first, min(rows, first + batch)):
                register_matter(s, matter(9_000_000 + i), now=NOW)
    db.close()
    print(json.dumps({"seconds": time.perf_counter() - started}))


def _child(*args: Any) -> subprocess.Popen[str]:
    code = f"import sys; sys.path.insert(0, {str(Path(__file__).parent)!r}); import stress_storage as s; s.{args[0]}(*{args[1:]!r})"
    return subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True,
                            env=dict(os.environ))


def _outcome(proc: subprocess.Popen[str]) -> dict[str, Any]:
    out, _ = proc.communicate()
    if proc.returncode != 0:
        return {"failures": [f"exit {proc.returncode}"], "longest": 0.0, "saved": 0}
    return dict(json.loads(out.strip().splitlines()[-1]))


def fresh_db(path: Path) -> Path:
    db = Database(path)
    with db.begin() as s:
        seed_defaults(s)
    db.close()
    return path


# the figures ------------------------------------------------------------------------------------
@dataclass(frozen=True)
class TwoWriters:
    saves: int
    failures: int
    longest: float
    in_db: int
    examples: tuple[str, ...]


def two_writers(folder: Path, *, saves: int = 300) -> TwoWriters:
    """Two processes saving `saves` matters each at full speed into one file."""
    path = fresh_db(folder / "two-writers.sqlite3")
    procs = [_child("_saver", str(path), saves, tag, 0.0) for tag in (1, 2)]
    outcomes = [_outcome(p) for p in procs]
    failures = [f for o in outcomes for f in o["failures"]]
    db = Database(path, migrate=False)
    with db.read() as s:
        from sqlalchemy import text

        in_db = int(s.execute(text("SELECT count(*) FROM matters")).scalar_one())
    db.close()
    return TwoWriters(2 * saves, len(failures), max(o["longest"] for o in outcomes), in_db,
                      tuple(sorted(set(failures)))[:3])


@dataclass(frozen=True)
class ClerkBesideWriter:
    rows: int
    batch: int
    writer_seconds: float
    clerk_saves: int
    clerk_failures: int
    longest_wait: float


def clerk_beside_long_write(folder: Path, *, rows: int = 3000, batch: int = 500, clerk_saves: int = 40
                            ) -> ClerkBesideWriter:
    """A clerk saving every 50 ms while another process writes `rows` matters `batch` to a transaction."""
    path = fresh_db(folder / f"clerk-{batch}.sqlite3")
    writer = _child("_long_writer", str(path), rows, batch)
    time.sleep(0.5)  # the writer is under way
    clerk = _child("_saver", str(path), clerk_saves, 3, 0.05)
    seen, written = _outcome(clerk), _outcome(writer)
    return ClerkBesideWriter(rows, batch, float(written.get("seconds", 0.0)), seen["saved"], len(seen["failures"]),
                             seen["longest"])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--saves", type=int, default=300)
    parser.add_argument("--only", choices=["writers"], default=None)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        tw = two_writers(folder, saves=args.saves)
        print(f"two writers: {tw.saves} saves, {tw.failures} failed, {tw.in_db} in the database, "
              f"longest save {tw.longest * 1000:.0f} ms {list(tw.examples)}")
        for batch in (3000, 500):
            cw = clerk_beside_long_write(folder, batch=batch)
            print(f"clerk beside a write of {cw.rows} matters, {cw.batch} a transaction ({cw.writer_seconds:.1f} s): "
                  f"{cw.clerk_saves} saved, {cw.clerk_failures} failed, longest wait {cw.longest_wait * 1000:.0f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
