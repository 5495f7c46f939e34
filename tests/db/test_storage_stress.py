"""The bounded form of benchmarks/stress_storage.py: two writers, kills during saves, the damaged-file cases."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

BENCHMARKS = Path(__file__).resolve().parents[2] / "benchmarks"
sys.path.insert(0, str(BENCHMARKS))

import stress_storage  # noqa: E402


def test_two_writing_processes_lose_no_save(tmp_path: Path) -> None:
    outcome = stress_storage.two_writers(tmp_path, saves=60)
    assert outcome.failures == 0, outcome.examples
    assert outcome.in_db == 120


def test_twenty_kills_during_saves_lose_nothing_and_leave_nothing_half_written(tmp_path: Path) -> None:
    # in a process of its own: the savers are forked, and this one has threads (Qt's pool, loggers)
    code = ("import dataclasses, json, sys; from pathlib import Path; import stress_storage as s; "
            f"print(json.dumps(dataclasses.asdict(s.kills_during_saves(Path({str(tmp_path)!r}), kills=20))))")
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=600,
                         cwd=BENCHMARKS, env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)})
    assert run.returncode == 0, run.stderr
    outcome = json.loads(run.stdout.strip().splitlines()[-1])
    assert outcome["saves_confirmed"] >= 20  # each run confirmed at least its first save
    assert (outcome["lost"], outcome["half_written"], outcome["damaged"]) == (0, 0, 0)


def test_every_damaged_file_case_gets_its_message_and_stays_as_it_was(tmp_path: Path) -> None:
    cases = stress_storage.damaged_cases(tmp_path)
    assert len(cases) >= 13
    assert [c for c in cases if not c.ok] == []
