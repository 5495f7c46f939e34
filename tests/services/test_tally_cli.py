"""`xinfang tally`: the JSON object carries every key of the issue, -o writes the workbook, no Qt is loaded."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date
from pathlib import Path

import openpyxl
import pytest

from tests.helpers.database import cli_db
from xinfang_desktop.cli import main
from xinfang_desktop.db.database import Database
from xinfang_desktop.domain.enums import Channel, Decision
from xinfang_desktop.domain.values import MatterInput, PetitionerInput, TransferTarget
from xinfang_desktop.services import handling, registry
from xinfang_desktop.services.reference import list_units

ISSUE_KEYS = {
    "total", "by_channel", "visit_persons", "consultations", "collective_visits", "joint_letters", "anonymous",
    "skip_level", "repeat", "by_purpose", "by_category", "by_month", "closed", "closure_rate", "on_time_rate",
    "overdue", "feedback_rate", "satisfaction_rate", "supervised", "leader_reviewed", "by_unit", "last_year", "yoy",
    "summary_text",
}


@pytest.fixture
def small(db: Database) -> Database:
    """Three letters in 2025 (one assigned and closed), two in 2024, one visit of six in 2025."""
    with db.begin() as s:
        unit = list_units(s)[0]
        ids = []
        for day, channel, persons in ((date(2025, 2, 3), Channel.LETTER, 1), (date(2025, 5, 6), Channel.LETTER, 1),
                                      (date(2025, 5, 7), Channel.LETTER, 1), (date(2025, 8, 8), Channel.VISIT, 6),
                                      (date(2024, 3, 3), Channel.LETTER, 1), (date(2024, 9, 9), Channel.LETTER, 1)):
            ref = registry.register_matter(s, MatterInput(received_on=day, channel=channel, title="反映问题",
                                                          persons=persons, petitioners=(PetitionerInput(name="李强"),)))
            ids.append(ref.id)
        registry.decide(s, matter_id=ids[0], decision=Decision.ASSIGN, on=date(2025, 2, 5),
                        targets=(TransferTarget(unit_id=unit.id, due_on=date(2025, 3, 5)),))
        detail_transfer = s.execute(__import__("sqlalchemy").text("select id from transfers")).scalar_one()
        handling.record_feedback(s, transfer_id=detail_transfer, received_on=date(2025, 3, 1), text="已处理")
        handling.close(s, matter_id=ids[0], on=date(2025, 3, 2))
    return db


def test_json_has_every_key_of_the_issue(small: Database, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["tally", "--db", cli_db(small), "--year", "2025", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert ISSUE_KEYS <= set(data)
    assert list(data["by_channel"]) == ["来信", "来访", "来电", "传真", "网上信访", "其他"]
    assert data["total"] == 4 and data["by_channel"]["来信"] == 3 and data["by_channel"]["来访"] == 1
    assert data["visit_persons"] == 6
    assert data["collective_visits"] == {"batches": 1, "persons": 6}
    assert len(data["by_month"]) == 12 and data["by_month"][4] == 2 and sum(data["by_month"]) == 4
    assert data["closed"] == 1 and data["closure_rate"] == 25.0
    assert data["on_time_rate"] == 100.0
    assert data["feedback_rate"] == 100.0
    assert data["satisfaction_rate"] is None  # nobody asked yet: nothing to divide by
    assert data["by_unit"] and set(data["by_unit"][0]) == {
        "unit", "assigned", "closed", "on_time", "overdue", "avg_days", "satisfaction_rate", "assisted"}
    assert data["by_unit"][0]["avg_days"] == 24.0
    assert data["last_year"]["total"] == 2 and data["last_year"]["by_channel"]["来信"] == 2
    assert data["yoy"]["total"] == 100.0
    assert data["yoy"]["by_channel"]["来信"] == 50.0
    assert data["yoy"]["by_channel"]["来访"] is None  # none last year: "—"
    assert data["summary_text"].startswith("全年共受理群众来信来访4件次，较去年同期2件次，上升100.0%")


def test_range_and_workbook(small: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "2025上半年.xlsx"
    assert main(["tally", "--db", cli_db(small), "--from", "2025-01-01", "--to", "2025-06-30", "-o", str(out)]) == 0
    text = capsys.readouterr().out
    assert "2025年1月1日至2025年6月30日共受理群众来信来访3件次" in text
    assert openpyxl.load_workbook(out).sheetnames == ["总体情况", "问题分类", "承办单位", "属地分布", "月度趋势"]


def test_bad_arguments_are_clear_messages(small: Database, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["tally", "--db", cli_db(small), "--from", "2025-01-01"]) == 2
    assert "--to" in capsys.readouterr().err
    assert main(["tally", "--db", cli_db(small), "--from", "2025-06-01", "--to", "2025-01-01"]) == 2
    assert "早于开始日期" in capsys.readouterr().err
    assert main(["tally", "--db", str(small.path.parent / "none.sqlite3"), "--year", "2025"]) == 2


def test_tally_command_does_not_load_qt(small: Database) -> None:
    code = (
        "import sys; from xinfang_desktop.cli import main; "
        f"rc = main(['tally', '--db', {cli_db(small)!r}, '--year', '2025', '--json']); "
        "assert 'PySide6' not in sys.modules, 'PySide6 imported'; sys.exit(rc)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["total"] == 4
