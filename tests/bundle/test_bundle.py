"""The PyInstaller bundle as the clerk runs it: no Python on PATH, outside the source tree, a home of its own.

Deselected by default (marker `bundle`); CI builds the bundle and runs `pytest -m bundle`, where a
missing bundle is a failure. XINFANG_BUNDLE names the bundle folder (default: dist/xinfang).
"""

from __future__ import annotations

import os
import re
import shutil
import sqlite3
import subprocess
import tomllib
from pathlib import Path

import openpyxl
import pytest

from tests.helpers.database import schema_at
from xinfang_desktop.db.database import Database

pytestmark = pytest.mark.bundle

ROOT = Path(__file__).resolve().parents[2]
FIXTURE = ROOT / "tests" / "fixtures" / "hand_ledger_2018.xls"
DEMO_UNTIL = "2026-06-30"  # the demo data's last day, passed in: the test never reads the clock


@pytest.fixture(scope="module")
def program(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the bundle in a folder that has nothing of the source tree around it."""
    built = Path(os.environ.get("XINFANG_BUNDLE", ROOT / "dist" / "xinfang"))
    assert (built / "xinfang").is_file(), f"no bundle at {built}: build it with `pyinstaller build.spec`"
    target = tmp_path_factory.mktemp("installed") / "xinfang"
    shutil.copytree(built, target, symlinks=True)
    return target / "xinfang"


def run(program: Path, home: Path, *args: str, timeout: float = 180) -> subprocess.CompletedProcess[str]:
    """One run with an environment of nothing but an empty PATH, a home and Qt's headless platform."""
    empty_bin = home / "bin"
    empty_bin.mkdir(parents=True, exist_ok=True)
    env = {"PATH": str(empty_bin), "HOME": str(home), "QT_QPA_PLATFORM": "offscreen", "LANG": "C.UTF-8"}
    return subprocess.run([str(program), *args], capture_output=True, text=True, env=env, cwd=home,
                          timeout=timeout)


def ok(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode == 0, f"exit {result.returncode}\n{result.stdout}\n{result.stderr}"
    return result.stdout


def first_paint(out: str) -> tuple[int, int]:
    match = re.search(r"first paint (\d+) ms, (\d+) matters", out)
    assert match, out
    return int(match.group(1)), int(match.group(2))


def test_version_help_icon_and_licences(program: Path, tmp_path: Path) -> None:
    version = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["version"]
    assert ok(run(program, tmp_path, "--version")).strip() == f"信访台账 {version}"
    assert ok(run(program, tmp_path, "--help")).startswith("用法：xinfang")
    internal = program.parent / "_internal"
    assert (internal / "resources" / "icons" / "xinfang.png").is_file()
    assert (internal / "resources" / "licenses" / "LGPL-3.0.txt").is_file()


def test_smoke_on_a_new_database_creates_it_in_the_data_folder(program: Path, tmp_path: Path) -> None:
    _, shown = first_paint(ok(run(program, tmp_path, "--smoke")))
    assert shown == 0
    data = tmp_path / ".local" / "share" / "xinfang-desktop"
    assert (data / "xinfang.sqlite3").is_file() and (data / "xinfang.log").is_file()


def test_a_demo_database_its_letter_tally_import_and_check(program: Path, tmp_path: Path) -> None:
    db = tmp_path / "练习.sqlite3"
    ok(run(program, tmp_path, "demo", "--db", str(db), "--cases", "300", "--until", DEMO_UNTIL))
    assert first_paint(ok(run(program, tmp_path, "--smoke", "--db", str(db))))[1] == 300

    number = sqlite3.connect(db).execute(
        "SELECT number FROM matters WHERE decision = '交办' ORDER BY id DESC LIMIT 1").fetchone()[0]
    letter = tmp_path / "交办函.pdf"
    ok(run(program, tmp_path, "letter", "--db", str(db), "--matter", number, "--kind", "交办函", "--draft",
           "-o", str(letter)))
    pdf = subprocess.run(["pdftotext", str(letter), "-"], capture_output=True, text=True, check=True).stdout
    text = "".join(pdf.split())  # the number may be broken across lines
    assert "信访事项交办函" in text and number in text, text
    fonts = subprocess.run(["pdffonts", str(letter)], capture_output=True, text=True, check=True).stdout
    rows = fonts.splitlines()[2:]
    assert rows and all(" yes " in row for row in rows), fonts  # the bundled fonts, embedded

    table = tmp_path / "2025年统计.xlsx"
    ok(run(program, tmp_path, "tally", "--db", str(db), "--year", "2025", "-o", str(table)))
    cells = [c for row in openpyxl.load_workbook(table).active.iter_rows(values_only=True) for c in row]
    assert any(isinstance(c, str) and c.startswith("总量") for c in cells), cells[:20]

    ledger = tmp_path / FIXTURE.name
    shutil.copy(FIXTURE, ledger)
    out = ok(run(program, tmp_path, "import-ledger", "--db", str(db), str(ledger)))
    assert "已导入：3" in out and "无法导入：0" in out, out
    # the sign-off line is said in the preview, not written to an error file as a failed row
    assert "第7行“制表人：李”是表尾的合计、说明或签名行，不作为事项" in out, out
    assert not (tmp_path / "hand_ledger_2018-导入错误.xlsx").exists()

    report = ok(run(program, tmp_path, "check", "--db", str(db)))
    assert "结论：数据库完好" in report and "信访事项：303件" in report, report


def test_an_older_database_is_backed_up_and_migrated_by_the_bundle(program: Path, tmp_path: Path) -> None:
    db = tmp_path / "旧库.sqlite3"
    schema_at(db, "0004")
    assert first_paint(ok(run(program, tmp_path, "--smoke", "--db", str(db))))[1] == 0
    head = Database(db, migrate=False)
    try:
        assert head.current_revision() == head.head_revision()
    finally:
        head.close()
    backups = list((tmp_path / "backups").iterdir())
    assert backups and sqlite3.connect(backups[0]).execute(
        "SELECT version_num FROM alembic_version").fetchone()[0] == "0004"
