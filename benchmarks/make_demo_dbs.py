"""Build the shared benchmark databases (100k and 1M matters) in bench-out/, timing each."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench-out"
SIZES = ((100_000, "100k"), (1_000_000, "1m"))


def build(cases: int, label: str, *, rebuild: bool = False) -> float:
    """Run `xinfang demo` into a temporary file and rename it once complete, so readers never see half a file."""
    target = OUT / f"demo-{label}.sqlite3"
    ready = OUT / f"READY-{label}"
    if ready.exists() and target.exists() and not rebuild:
        print(f"{target.name}: already built, skipped", flush=True)
        return 0.0
    partial = OUT / f"demo-{label}.partial.sqlite3"
    for leftover in (partial, Path(f"{partial}-wal"), Path(f"{partial}-shm")):
        leftover.unlink(missing_ok=True)
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "xinfang_desktop", "demo", "--db", str(partial), "--cases", str(cases), "--seed", "1"],
        check=True,
    )
    elapsed = time.perf_counter() - started
    # fold any write-ahead log into the main file, so the rename carries every row
    conn = sqlite3.connect(partial)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    for side in ("-wal", "-shm"):
        Path(f"{partial}{side}").unlink(missing_ok=True)
    os.replace(partial, target)
    ready.write_text(f"{cases} cases in {elapsed:.1f} s\n", encoding="utf-8")
    print(f"{target.name}: {cases} cases in {elapsed:.1f} s", flush=True)
    return elapsed


def main() -> int:
    OUT.mkdir(exist_ok=True)
    # `100k` or `1m` builds just that one; `--rebuild` replaces a finished one (after a migration,
    # so that readers get the current schema without anyone migrating the shared file in place)
    rebuild = "--rebuild" in sys.argv
    only = set(sys.argv[1:]) - {"--rebuild"}
    for cases, label in SIZES:
        if not only or label in only:
            build(cases, label, rebuild=rebuild)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
