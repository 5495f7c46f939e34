"""Exports of other systems: columns named on the command line (--map), and their channels read as ours."""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
import pytest

from xinfang_desktop.cli import main


def _export(path: Path, summary: str = "事由概要") -> Path:
    """A provincial-style export: its summary column is named 事由概要, which no hand ledger uses."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["信访件编号", "登记日期", "信访人", "信访形式", summary, "人数"])
    rows = [
        ("SX-2025-0001", "2025-03-01", "张三", "手机信访", "反映村道破损", 1),
        ("SX-2025-0002", "2025-03-02", "李四", "领导信箱", "反映噪音扰民", 1),
        ("SX-2025-0003", "2025-03-03", "王五", "电话信访", "咨询低保政策", 1),
        ("SX-2025-0004", "2025-04-04", "赵六", "来访", "集体反映拖欠工资", 7),
        ("SX-2025-0005", "2025-04-05", "钱七", "其他方式", "反映土地问题", 1),
    ]
    for row in rows:
        ws.append(row)
    wb.save(path)
    return path


def test_an_unknown_summary_column_mapped_on_the_command_line(tmp_path: Path,
                                                             capsys: pytest.CaptureFixture[str]) -> None:
    path = _export(tmp_path / "省系统导出.xlsx", summary="来件情况")
    db = str(tmp_path / "t.sqlite3")
    # without the mapping every row lacks its 标题: nothing goes in
    assert main(["import-ledger", str(path), "--db", db, "--dry-run"]) == 0
    assert "可导入：0" in capsys.readouterr().out
    assert main(["import-ledger", str(path), "--db", db, "--map", " 来件 情况 =反映问题"]) == 0
    assert "已导入：5" in capsys.readouterr().out
    assert main(["tally", "--db", db, "--year", "2025", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    # counted here from the rows written above
    assert data["total"] == 5
    assert data["by_channel"] == {"来信": 0, "来访": 1, "来电": 1, "传真": 0, "网上信访": 2, "其他": 1}
    assert data["visit_persons"] == 7 and data["collective_visits"] == {"batches": 1, "persons": 7}


def test_a_map_to_a_column_the_ledger_has_not_is_refused_naming_it(tmp_path: Path,
                                                                   capsys: pytest.CaptureFixture[str]) -> None:
    path = _export(tmp_path / "x.xlsx")
    code = main(["import-ledger", str(path), "--db", str(tmp_path / "t.sqlite3"), "--map", "人数=摘要"])
    assert code != 0
    assert "“摘要”不是台账的标准列名" in capsys.readouterr().err


def test_another_systems_channel_word_is_kept_in_the_note(tmp_path: Path) -> None:
    from xinfang_desktop.db.database import Database
    from xinfang_desktop.services.convert import get_matter
    from xinfang_desktop.services.ledger.files import import_ledger_file

    path = _export(tmp_path / "省系统导出.xlsx")
    db = Database(tmp_path / "t.sqlite3")
    report = import_ledger_file(db, path).report
    with db.read() as s:
        notes = {get_matter(s, i).title: get_matter(s, i).note for i in report.matter_ids}
    assert notes["反映村道破损"] == "原信访形式：手机信访"
    assert notes["反映噪音扰民"] == "原信访形式：领导信箱"
    assert "原信访形式" not in notes["集体反映拖欠工资"]  # 来访 is ours: nothing to keep
    assert not any("信访形式" in w.text for w in report.warnings)  # 其他方式 is 其他, no warning
