"""The bounded form of benchmarks/stress_storage.py: two writers, a clerk beside an import, kills during saves and
imports, damaged files."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

BENCHMARKS = Path(__file__).resolve().parents[2] / "benchmarks"
sys.path.insert(0, str(BENCHMARKS))

import stress_storage  # noqa: E402


def test_two_writing_processes_lose_no_save(tmp_path: Path) -> None:
    outcome = stress_storage.two_writers(tmp_path, saves=60)
    assert outcome.failures == 0, outcome.examples
    assert outcome.in_db == 120


def test_a_clerk_saving_beside_a_real_import_loses_no_save_and_the_import_writes_every_row(tmp_path: Path) -> None:
    outcome = stress_storage.clerk_beside_import(tmp_path, cases=300)
    assert outcome.clerk_failures == 0, outcome.examples
    assert outcome.clerk_saves >= 1 and outcome.rows >= 290  # a demo's 300 matters, less what the check refuses


def _forking(call: str, tmp_path: Path) -> dict[str, Any]:
    """stress_storage.<call> in a process of its own: it forks, and this one has threads (Qt's pool, loggers)."""
    code = ("import dataclasses, json, sys; from pathlib import Path; import stress_storage as s; "
            f"print(json.dumps(dataclasses.asdict(s.{call.format(folder=repr(str(tmp_path)))})))")
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=900,
                         cwd=BENCHMARKS, env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)})
    assert run.returncode == 0, run.stderr
    return dict(json.loads(run.stdout.strip().splitlines()[-1]))


def test_twenty_kills_during_saves_lose_nothing_and_leave_nothing_half_written(tmp_path: Path) -> None:
    outcome = _forking("kills_during_saves(Path({folder}), kills=20)", tmp_path)
    assert outcome["saves_confirmed"] >= 20  # each run confirmed at least its first save
    assert (outcome["lost"], outcome["half_written"], outcome["damaged"]) == (0, 0, 0)


def test_kills_during_imports_leave_whole_matters_and_the_same_file_completes_them(tmp_path: Path) -> None:
    outcome = _forking("kills_during_imports(Path({folder}), kills=10, cases=600)", tmp_path)
    assert outcome["rows"] >= 600 and outcome["while_writing"] >= 1  # the kills did land among the batches
    assert (outcome["lost"], outcome["half_written"], outcome["damaged"]) == (0, 0, 0)
    assert outcome["completed"] == 10


def test_every_damaged_file_case_gets_its_message_and_stays_as_it_was(tmp_path: Path) -> None:
    cases = stress_storage.damaged_cases(tmp_path)
    assert len(cases) >= 13
    assert [c for c in cases if not c.ok] == []
