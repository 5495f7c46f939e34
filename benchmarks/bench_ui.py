"""Print the `xinfang --smoke` first-paint time and peak memory over the 100k and 1m demo databases.

Budget (issue 3): first paint under 1.5 s and under 300 MB at 1,000,000 matters.
The shared databases in bench-out/ are only read: each run works on a temporary copy,
because opening a database may write its -wal and -shm files.

    python benchmarks/bench_ui.py [--runs 3] [DB ...]
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DBS = (ROOT / "bench-out" / "demo-100k.sqlite3", ROOT / "bench-out" / "demo-1m.sqlite3")


def copy_db(source: Path, folder: Path) -> Path:
    """A consistent copy via SQLite's backup API (never a file copy: recent commits may sit in -wal)."""
    target = folder / source.name
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    dst = sqlite3.connect(target)
    with dst:
        src.backup(dst)
    src.close()
    dst.close()
    return target


def run_once(db: Path) -> tuple[int, int, float]:
    """(first paint ms, matters shown, peak RSS MB) of one `xinfang --smoke` child."""
    env = {**os.environ, "QT_QPA_PLATFORM": os.environ.get("QT_QPA_PLATFORM", "offscreen")}
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    result = subprocess.run([sys.executable, "-m", "xinfang_desktop", "--smoke", "--db", str(db)],
                            capture_output=True, text=True, env=env, timeout=300)
    peak_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    if result.returncode != 0:
        raise SystemExit(f"--smoke failed on {db}: {result.stderr}")
    match = re.search(r"first paint (\d+) ms, (\d+) matters", result.stdout)
    if not match:
        raise SystemExit(f"unexpected output: {result.stdout!r}")
    # RUSAGE_CHILDREN keeps the largest child so far; runs go smallest database first, and
    # a smaller peak than an earlier run's shows as that earlier peak (an upper bound)
    return int(match.group(1)), int(match.group(2)), max(peak_kb, before) / 1024


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("dbs", nargs="*", type=Path, default=list(DEFAULT_DBS))
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    print(f"{'database':<24}{'matters':>10}{'first paint ms (median, min-max)':>36}{'peak MB':>10}")
    with tempfile.TemporaryDirectory(prefix="bench-ui-") as tmp:
        for source in args.dbs:
            if not source.exists():
                print(f"{source.name:<24}{'(missing)':>10}")
                continue
            db = copy_db(source, Path(tmp))
            run_once(db)  # warm the OS file cache and write the -wal once, as a clerk's second start would
            samples = [run_once(db) for _ in range(args.runs)]
            times = [s[0] for s in samples]
            peak = max(s[2] for s in samples)
            spread = f"{statistics.median(times):.0f} ({min(times)}-{max(times)})"
            print(f"{source.name:<24}{samples[0][1]:>10}{spread:>36}{peak:>10.0f}")
            db.unlink()
            for extra in ("-wal", "-shm"):
                Path(str(db) + extra).unlink(missing_ok=True)
            shutil.rmtree(db.parent / f"{db.stem}-attachments", ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
