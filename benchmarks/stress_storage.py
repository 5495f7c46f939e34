"""Storage stress (not a test): two writers, a clerk saving beside an import, kills during saves and imports, damaged files.

Prints figures; nothing is asserted. `tests/db/test_storage_stress.py` runs a bounded form.

    python benchmarks/stress_storage.py [--saves 300] [--kills 200] [--fuzz 1000] [--import-cases 3000]

The kills during imports repeat one import of a 1,200-row 台账 of demo matters from an empty
database, kill it, check the file, import the same file again and compare with an import never
interrupted. The workbook fuzz corpus is benchmarks/fuzz_workbooks.py's.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import fuzz_workbooks  # beside this script, so on its path

from xinfang_desktop.db.database import Database
from xinfang_desktop.domain.enums import Channel
from xinfang_desktop.domain.errors import XinfangError
from xinfang_desktop.domain.ledger import ParsedLedger
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


def _clerk_beside(path: str, tag: int, pause: float, start: str, stop: str) -> None:
    """Run in a child: once `start` exists, a save every `pause` seconds until `stop` exists; one JSON line."""
    db = Database(path, migrate=False)
    while not Path(start).exists():
        time.sleep(0.01)
    failures: list[str] = []
    waits: list[float] = []
    i = 0
    while not Path(stop).exists() or not (waits or failures):
        try:
            waits.append(save_one(db, tag * 1_000_000 + i))
        except XinfangError as exc:
            failures.append(exc.message)
        except Exception as exc:  # noqa: BLE001 - counted: this is what the figures are about
            failures.append(f"{type(exc).__name__}: {str(exc).splitlines()[0]}")
        i += 1
        time.sleep(pause)
    db.close()
    print(json.dumps({"failures": failures, "longest": max(waits, default=0.0), "saved": len(waits)}))


def _importer(path: str, file: str, writing: str, done: str) -> None:
    """Run in a child: import the 台账 `file` as the window does (services.ledger), touching `writing`
    once its check is over and it starts to write, `done` when it has ended; one JSON line."""
    from xinfang_desktop.services.ledger.files import import_ledger_file

    db = Database(path, migrate=False)
    marks: dict[str, float] = {}

    def confirm(_: object) -> bool:
        marks["writing"] = time.perf_counter()
        Path(writing).touch()
        return True

    try:
        outcome = import_ledger_file(db, Path(file), confirm=confirm)
    finally:
        Path(writing).touch()  # a clerk still waiting for the start is let go
        Path(done).touch()
        db.close()
    print(json.dumps({"seconds": time.perf_counter() - marks.get("writing", time.perf_counter()),
                      "imported": outcome.report.imported}))


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
class ClerkBesideImport:
    rows: int  # imported
    writing_seconds: float  # the import's writing, from its confirmation to its end
    clerk_saves: int
    clerk_failures: int
    longest_wait: float
    examples: tuple[str, ...]


def clerk_beside_import(folder: Path, *, cases: int = 3000, pause: float = 0.05) -> ClerkBesideImport:
    """A clerk saving every `pause` seconds in one process while another imports a 台账 of `cases` demo
    matters through services.ledger, as the window does, for as long as the import writes."""
    folder = folder / "clerk-beside-import"
    folder.mkdir()
    file, _ledger = _stress_ledger(folder, cases)
    path = fresh_db(folder / "clerk.sqlite3")
    writing, done = folder / "import-writing", folder / "import-done"
    for flag in (writing, done):
        flag.unlink(missing_ok=True)
    clerk = _child("_clerk_beside", str(path), 3, pause, str(writing), str(done))
    importer = _child("_importer", str(path), str(file), str(writing), str(done))
    seen, imported = _outcome(clerk), _outcome(importer)
    failures = list(seen["failures"]) + [f"import: {f}" for f in imported.get("failures", [])]
    return ClerkBesideImport(int(imported.get("imported", 0)), float(imported.get("seconds", 0.0)), seen["saved"],
                             len(failures), seen["longest"], tuple(sorted(set(failures)))[:3])


# kills during saves ------------------------------------------------------------------------------
def _save_until_killed(path: Path, run: int, out: Any) -> None:
    """In a forked child: save until killed; each title is written out only once its transaction committed."""
    db = Database(path, migrate=False)
    for i in itertools.count():
        title = f"第{run}次第{i}件"
        with db.begin() as s:
            register_matter(s, MatterInput(received_on=date(2026, 3, 1 + i % 28), channel=Channel.LETTER, title=title,
                                           petitioners=(PetitionerInput(f"王{run}"),)), now=NOW)
        out.write(title + "\n")
        out.flush()


@dataclass(frozen=True)
class Kills:
    kills: int
    saves_confirmed: int
    lost: int  # confirmed saves missing afterwards
    half_written: int  # matters without their petitioner or their timeline
    damaged: int  # times the file was not whole at integrity_check after a kill


def kills_during_saves(folder: Path, *, kills: int = 200, seed: int = 12) -> Kills:
    """SIGKILL a saving process at a random moment, `kills` times over one file, and check what is left.

    The saver is forked (POSIX), so a kill costs no interpreter start; the parent holds no SQLite
    connection while it forks.
    """
    rng = random.Random(seed)
    path = fresh_db(folder / "kills.sqlite3")
    confirmed: set[str] = set()
    lost = half = damaged = 0
    for run in range(kills):
        read_end, write_end = os.pipe()
        pid = os.fork()
        if pid == 0:  # the child
            os.close(read_end)
            try:
                _save_until_killed(path, run, os.fdopen(write_end, "w", encoding="utf-8"))
            finally:
                os._exit(0)
        os.close(write_end)
        with os.fdopen(read_end, encoding="utf-8") as pipe:
            first = pipe.readline()  # up, and its first save committed
            time.sleep(rng.uniform(0.0, 0.2))
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
            confirmed.update(line for line in (first + pipe.read()).splitlines() if line)
        conn = sqlite3.connect(path)
        try:
            if [r[0] for r in conn.execute("PRAGMA integrity_check")] != ["ok"]:
                damaged += 1
            titles = {r[0] for r in conn.execute("SELECT title FROM matters")}
            lost = len(confirmed - titles)
            half = conn.execute(
                "SELECT count(*) FROM matters m WHERE NOT EXISTS (SELECT 1 FROM matter_petitioners p"
                " WHERE p.matter_id = m.id) OR NOT EXISTS (SELECT 1 FROM events e WHERE e.matter_id = m.id)"
            ).fetchone()[0]
        finally:
            conn.close()
    return Kills(kills, len(confirmed), lost, half, damaged)


# kills during imports ----------------------------------------------------------------------------
def _import_until_killed(path: Path, file: Path, ledger: ParsedLedger, out: Any) -> None:
    """In a forked child: import the ledger as the window does, telling the parent each step it got past."""
    from xinfang_desktop.services.ledger.files import import_ledger_file

    phase = "checking"

    def checked(_: object) -> bool:
        nonlocal phase
        phase = "writing"
        out.write("checked\n")
        out.flush()
        return True

    def progress(done: int, total: int) -> None:
        if phase == "writing":  # told after each batch is committed
            out.write(f"written {done}\n")
            out.flush()

    out.write("started\n")
    out.flush()
    import_ledger_file(Database(path, migrate=False), file, ledger=ledger, confirm=checked, progress=progress)
    out.write("done\n")
    out.flush()


# every matter with what hangs off it; equal to an import that was never interrupted means whole
_FINGERPRINT = """
SELECT m.import_key, m.number, m.status, m.received_on, m.title, m.due_on, m.closed_on, m.note,
       (SELECT group_concat(kind || ':' || text, '|') FROM (SELECT kind, text FROM events e
         WHERE e.matter_id = m.id ORDER BY e.id)),
       (SELECT group_concat(p.name || '/' || p.id_number || '/' || p.phone, '|') FROM matter_petitioners l
         JOIN petitioners p ON p.id = l.petitioner_id WHERE l.matter_id = m.id),
       (SELECT count(*) FROM transfers t WHERE t.matter_id = m.id),
       (SELECT count(*) FROM feedback f JOIN transfers t ON t.id = f.transfer_id WHERE t.matter_id = m.id),
       (SELECT count(*) FROM instructions i WHERE i.matter_id = m.id)
FROM matters m
"""


def _fingerprints(conn: sqlite3.Connection) -> dict[str, tuple[Any, ...]]:
    return {str(row[0]): tuple(row[1:]) for row in conn.execute(_FINGERPRINT)}


def _orphans(conn: sqlite3.Connection) -> int:
    """Rows an interrupted import could leave without their matter (or a matter's without it)."""
    return int(conn.execute(
        "SELECT (SELECT count(*) FROM petitioners p WHERE NOT EXISTS"
        "        (SELECT 1 FROM matter_petitioners l WHERE l.petitioner_id = p.id))"
        "     + (SELECT count(*) FROM matters m WHERE NOT EXISTS (SELECT 1 FROM events e WHERE e.matter_id = m.id))"
    ).fetchone()[0])


def _stress_ledger(folder: Path, cases: int) -> tuple[Path, ParsedLedger]:
    """A 台账 of demo matters in every state, as another office's program would export it, read as the
    window reads it once to preview and then import."""
    from xinfang_desktop.exporters.ledger_import import read_ledger
    from xinfang_desktop.services.ledger.files import export_ledger_file

    source = _demo(folder / "ledger-source.sqlite3", cases=cases)
    db = Database(source, migrate=False)
    try:
        export_ledger_file(db, folder / "台账.xlsx")
    finally:
        db.close()
    return folder / "台账.xlsx", read_ledger(folder / "台账.xlsx")


@dataclass(frozen=True)
class ImportKills:
    kills: int
    rows: int
    import_seconds: float  # one import of the file, not interrupted
    while_checking: int  # kills before the first batch was written
    while_writing: int
    after_done: int
    batches_confirmed: int  # committed batches the killed imports had reported
    lost: int  # matters a killed import had reported committed, missing afterwards
    half_written: int  # matters unlike the uninterrupted import's, and rows without their matter
    damaged: int
    completed: int  # killed imports that a second import of the same file made whole


def kills_during_imports(folder: Path, *, kills: int = 200, cases: int = 1200, seed: int = 12) -> ImportKills:
    """SIGKILL an import of a 台账 at a random moment, `kills` times; after each, check the file and
    what it holds, then import the same file again and compare with an import never interrupted.

    Each run starts from the same empty database; the importer is forked, as in kills_during_saves.
    """
    from xinfang_desktop.services.ledger.files import import_ledger_file

    rng = random.Random(seed)
    file, ledger = _stress_ledger(folder, cases)
    empty = fresh_db(folder / "import-empty.sqlite3")
    reference_path = folder / "import-reference.sqlite3"
    shutil.copyfile(empty, reference_path)
    db = Database(reference_path, migrate=False)
    marks = [time.perf_counter()]
    rows = import_ledger_file(db, file, ledger=ledger, confirm=lambda _: marks.append(time.perf_counter()) or True
                              ).report.imported
    marks.append(time.perf_counter())
    db.close()
    check_seconds, write_seconds = marks[1] - marks[0], marks[2] - marks[1]
    conn = sqlite3.connect(reference_path)
    reference = _fingerprints(conn)
    conn.close()
    checking = writing = done = batches = lost = half = damaged = completed = 0
    path = folder / "import-killed.sqlite3"
    for _ in range(kills):
        for leftover in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
            leftover.unlink(missing_ok=True)
        shutil.copyfile(empty, path)
        read_end, write_end = os.pipe()
        pid = os.fork()
        if pid == 0:  # the child
            os.close(read_end)
            try:
                _import_until_killed(path, file, ledger, os.fdopen(write_end, "w", encoding="utf-8"))
            finally:
                os._exit(0)
        os.close(write_end)
        with os.fdopen(read_end, encoding="utf-8") as pipe:
            told = [pipe.readline()]  # the child is up
            # one kill in five while it checks (it only reads then), the rest while it writes
            if rng.random() < 0.2:
                time.sleep(rng.uniform(0.0, check_seconds))
            else:
                told.append(pipe.readline())  # checked
                time.sleep(rng.uniform(0.0, write_seconds))
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
            told += pipe.read().splitlines()
        confirmed = max((int(line.split()[1]) for line in told if line.startswith("written ")), default=0)
        batches += sum(line.startswith("written ") for line in told)
        if any(line.strip() == "done" for line in told):
            done += 1
        elif any(line.strip() == "checked" for line in told):
            writing += 1
        else:
            checking += 1
        conn = sqlite3.connect(path)
        try:
            if [r[0] for r in conn.execute("PRAGMA integrity_check")] != ["ok"]:
                damaged += 1
            after_kill = _fingerprints(conn)
            lost += max(0, confirmed - len(after_kill))
            half += sum(reference.get(key) != value for key, value in after_kill.items()) + _orphans(conn)
        finally:
            conn.close()
        db = Database(path, migrate=False)
        try:
            import_ledger_file(db, file, ledger=ledger)
        finally:
            db.close()
        conn = sqlite3.connect(path)
        try:
            completed += _fingerprints(conn) == reference and _orphans(conn) == 0
        finally:
            conn.close()
    return ImportKills(kills, rows, check_seconds + write_seconds, checking, writing, done, batches, lost, half, damaged, completed)


# damaged and unavailable files ----------------------------------------------------------------------
@dataclass(frozen=True)
class Case:
    name: str
    ok: bool
    said: str


def _cli(argv: list[str]) -> tuple[int, str]:
    import contextlib
    import io

    from xinfang_desktop.cli import main as cli_main

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = cli_main(argv)
        except Exception:  # noqa: BLE001 - a traceback is what this case counts
            import traceback

            return 99, "Traceback " + traceback.format_exc()
    return code, out.getvalue() + err.getvalue()


def _demo(path: Path, cases: int = 300) -> Path:
    from xinfang_desktop.services.demo import generate
    from xinfang_desktop.services.statistics import tally

    db = Database(path)
    with db.begin() as s:
        generate(s, cases=cases, seed=3, end=NOW, years=2)
    with db.derive() as s:
        tally(s, date_from=date(NOW.year, 1, 1), date_to=date(NOW.year, 12, 31), as_of=NOW)
    db.close()
    return path


def _pages(path: Path, name: str) -> list[int]:
    conn = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)
    try:
        return [r[0] for r in conn.execute("SELECT pageno FROM dbstat WHERE name = ? AND pagetype = 'leaf'", (name,))]
    finally:
        conn.close()


def _set_immutable(path: Path, on: bool) -> None:
    """Read-only for this user; root, whom modes do not stop, gets the immutable flag too."""
    if os.geteuid() == 0 and not on:
        subprocess.run(["chattr", "-i", str(path)], check=True)
    path.chmod((0o555 if path.is_dir() else 0o444) if on else (0o755 if path.is_dir() else 0o644))
    if os.geteuid() == 0 and on:
        subprocess.run(["chattr", "+i", str(path)], check=True)


def damaged_cases(folder: Path) -> list[Case]:
    """Each damage of issue 12 §5 through the command line: a Chinese message, no traceback, the file as it was."""
    pristine = _demo(folder / "pristine.sqlite3")
    cases: list[Case] = []

    def fresh(name: str) -> Path:
        target = folder / name / "台账.sqlite3"
        target.parent.mkdir()
        shutil.copyfile(pristine, target)
        return target

    def judge(name: str, path: Path, argv: list[str], want: str, *, code: int = 2, unchanged: bool = True) -> None:
        before = path.read_bytes() if path.is_file() else b""
        got, said = _cli([*argv, "--db", str(path)])
        after = path.read_bytes() if path.is_file() else b""
        ok = got == code and want in said and "Traceback" not in said and (not unchanged or before == after)
        cases.append(Case(name, ok, said.strip().splitlines()[-1] if said.strip() else f"exit {got}"))

    path = fresh("page")
    for page in _pages(path, "matters") + _pages(path, "ix_matters_tally"):
        with path.open("r+b") as fh:
            fh.seek((page - 1) * 4096)
            fh.write(b"\xff" * 4096)
    for argv in (["overdue"], ["tally", "--year", str(NOW.year)], ["export-ledger", "--year", str(NOW.year), "-o", str(path.parent / "x.xlsx")]):
        judge(f"damaged pages in matters: {argv[0]}", path, argv, "已损坏")
    judge("damaged pages in matters: check", path, ["check"], "已损坏", code=1)

    path = fresh("flip")
    page = _pages(path, "ix_matters_tally")[len(_pages(path, "ix_matters_tally")) // 2]
    with path.open("r+b") as fh:
        fh.seek(page * 4096 - 1)
        byte = fh.read(1)
        fh.seek(page * 4096 - 1)
        fh.write(bytes([byte[0] ^ 0xFF]))
    judge("a byte flipped mid-file: check", path, ["check"], "已损坏", code=1)

    path = fresh("cut")
    os.truncate(path, path.stat().st_size - 1)
    judge("cut by one byte: tally (cache dropped, counted afresh)", path, ["tally", "--year", str(NOW.year)],
          "总量", code=0, unchanged=False)
    judge("cut by one byte: check afterwards", path, ["check"], "数据库完好", code=0)

    path = folder / "zero" / "台账.sqlite3"
    path.parent.mkdir()
    path.write_bytes(b"")
    judge("zero bytes: check", path, ["check"], "空文件")
    judge("zero bytes: overdue", path, ["overdue"], "空文件")

    path = fresh("ro-file")
    ledger = path.with_name("一行台账.xlsx")  # beside it, not in it: an import is the write tried
    import openpyxl
    book = openpyxl.Workbook()
    book.active.append(["登记日期", "信访人", "反映问题"])
    book.active.append(["2026.3.2", "王建国", "反映道路破损"])
    book.save(ledger)
    _set_immutable(path, True)
    try:
        judge("read-only file: check", path, ["check"], "数据库完好", code=0)
        judge("read-only file: import (a write)", path, ["import-ledger", str(ledger)], "只读")
    finally:
        _set_immutable(path, False)
    path = fresh("ro-folder")
    _set_immutable(path.parent, True)
    try:
        judge("read-only folder: overdue", path, ["overdue"], "只读")
    finally:
        _set_immutable(path.parent, False)
    for case in cases:
        if "只读" in case.name and "损坏" in case.said.replace("并没有损坏", ""):
            cases[cases.index(case)] = Case(case.name, False, case.said)

    path = fresh("backups-file")
    (path.parent / "backups").write_text("a file")
    judge("backups is a file: backup", path, ["backup"], "没有改动")
    return cases


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--saves", type=int, default=300)
    parser.add_argument("--kills", type=int, default=200, help="kills during saves, and as many during imports")
    parser.add_argument("--fuzz", type=int, default=1000)
    parser.add_argument("--import-cases", type=int, default=3000, help="demo matters in the 台账 the clerk saves beside")
    parser.add_argument("--only", choices=["writers", "clerk", "kills", "import-kills", "damaged", "fuzz"], default=None)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        if args.only in (None, "writers"):
            tw = two_writers(folder, saves=args.saves)
            print(f"two writers: {tw.saves} saves, {tw.failures} failed, {tw.in_db} in the database, "
                  f"longest save {tw.longest * 1000:.0f} ms {list(tw.examples)}")
        if args.only in (None, "clerk"):
            ci = clerk_beside_import(folder, cases=args.import_cases)
            print(f"clerk beside an import of {ci.rows} rows (writing {ci.writing_seconds:.1f} s): "
                  f"{ci.clerk_saves} saved, {ci.clerk_failures} failed, longest save "
                  f"{ci.longest_wait * 1000:.0f} ms {list(ci.examples)}")
        if args.only in (None, "kills"):
            k = kills_during_saves(folder, kills=args.kills)
            print(f"kills during saves: {k.kills} kills, {k.saves_confirmed} saves confirmed, {k.lost} lost, "
                  f"{k.half_written} half-written, {k.damaged} damaged files")
        if args.only in (None, "import-kills"):
            ik = kills_during_imports(folder, kills=args.kills)
            print(f"kills during imports: {ik.kills} kills of an import of {ik.rows} rows ({ik.import_seconds:.1f} s "
                  f"uninterrupted): {ik.while_checking} while checking, {ik.while_writing} while writing "
                  f"({ik.batches_confirmed} batches committed before them), {ik.after_done} after it ended; "
                  f"{ik.lost} lost, {ik.half_written} half-written, {ik.damaged} damaged files; "
                  f"the same file imported again made {ik.completed} of {ik.kills} whole")
        if args.only in (None, "damaged"):
            cases = damaged_cases(folder)
            print(f"damaged-file cases: {sum(c.ok for c in cases)} of {len(cases)} as they should be")
            for c in cases:
                print(f"  {'ok ' if c.ok else 'BAD'} {c.name}: {c.said[:140]}")
        if args.only in (None, "fuzz"):
            print(f"fuzz corpus: {fuzz_workbooks.run_corpus(folder / 'fuzz', args.fuzz)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
