"""`xinfang import-ledger` and `xinfang export-ledger`: counts printed, dry run writes nothing, errors exit 2."""

from __future__ import annotations

import subprocess
import sys
from datetime import date
from pathlib import Path

import openpyxl
import pytest

from tests.helpers.database import cli_db
from xinfang_desktop.cli import main
from xinfang_desktop.db.database import Database, open_database
from xinfang_desktop.domain.enums import Channel
from xinfang_desktop.domain.values import MatterFilter, MatterInput, PetitionerInput
from xinfang_desktop.services.registry import register_matter, void
from xinfang_desktop.services.search import count_matters, list_matters


def _ledger(path: Path) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["2020年信访工作台账"])
    ws.append(["受理日期", "反映人", "内容摘要", "信访方式", "是否重复"])
    ws.append(["2020/5/6", "张三", "反映路灯不亮", "来信", "Y"])
    ws.append(["2020年6月7日", "李四", "反映噪音", "来访", ""])
    ws.append(["", "王五", "没有日期的一行", "来信", ""])
    ws.append(["审核人：王"])
    wb.save(path)
    return path


def _count(target: str) -> int:
    db = open_database(target)
    with db.read() as s:
        n = count_matters(s)
    db.close()
    return n


def test_dry_run_then_import_then_again(target: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """On a file and on a server database: the same counts, the same refusal of what is there already."""
    path = _ledger(tmp_path / "ledger.xlsx")
    db_path = target
    assert main(["import-ledger", str(path), "--db", str(db_path), "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "读取行数：3" in out and "可导入：2" in out and "无法导入：1" in out
    assert "跳过 Sheet 第5行：没有登记日期" in out
    assert "第6行“审核人：王”是表尾的合计、说明或签名行，不作为事项" in out
    assert _count(db_path) == 0 and not (tmp_path / "ledger-导入错误.xlsx").exists()

    assert main(["import-ledger", str(path), "--db", str(db_path)]) == 0
    out = capsys.readouterr().out
    assert "已导入：2" in out and "无法导入：1" in out and "ledger-导入错误.xlsx" in out
    assert _count(db_path) == 2

    assert main(["import-ledger", str(path), "--db", str(db_path)]) == 0
    out = capsys.readouterr().out
    assert "已导入：0" in out and "已存在（重复导入，跳过）：2" in out
    assert _count(db_path) == 2


def test_import_of_a_bad_file_exits_2_with_the_reason(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "notes.xlsx"
    path.write_text("hello")
    assert main(["import-ledger", str(path), "--db", str(tmp_path / "x.sqlite3")]) == 2
    assert "不是可读取的Excel工作簿" in capsys.readouterr().err


def test_export_ledger(tmp_path: Path, db: Database, capsys: pytest.CaptureFixture[str]) -> None:
    with db.begin() as s:
        for i in range(4):
            register_matter(s, MatterInput(received_on=date(2025, 2, 1 + i), channel=Channel.LETTER, title=f"事{i}",
                                           petitioners=(PetitionerInput("王五", id_number="11010519491231002X"),)))
        # a voided matter is in no ledger of the year, as in no tally
        void(s, matter_id=list_matters(s, MatterFilter(year=2025))[0].id, reason="重复登记")
    out_path = tmp_path / "t.xlsx"
    assert main(["export-ledger", "--db", cli_db(db), "--year", "2025", "-o", str(out_path)]) == 0
    assert "已导出2025年台账 3 件（身份证号已脱敏）" in capsys.readouterr().out
    ws = openpyxl.load_workbook(out_path).active
    assert ws.max_row == 5 and ws["F3"].value == "110105********002X"
    before = out_path.read_bytes()
    assert main(["export-ledger", "--db", cli_db(db), "--year", "2025", "-o", str(out_path), "--full-id"]) == 2
    assert "已存在，未覆盖" in capsys.readouterr().err and out_path.read_bytes() == before
    assert main(["export-ledger", "--db", cli_db(db), "--year", "2025", "-o", str(out_path), "--full-id",
                 "--force"]) == 0
    assert openpyxl.load_workbook(out_path).active["F3"].value == "11010519491231002X"
    with db.read() as s:
        assert count_matters(s, MatterFilter(year=2025, include_voided=False)) == 3


def test_ledger_commands_load_no_qt(tmp_path: Path) -> None:
    path = _ledger(tmp_path / "ledger.xlsx")
    script = f"""
import sys
from xinfang_desktop.cli import main
assert main(["import-ledger", {str(path)!r}, "--db", {str(tmp_path / "q.sqlite3")!r}]) == 0
assert main(["export-ledger", "--db", {str(tmp_path / "q.sqlite3")!r}, "--year", "2020", "-o", {str(tmp_path / "o.xlsx")!r}]) == 0
print("QT:" + ",".join(sorted(m for m in sys.modules if m.split(".")[0] in ("PySide6", "shiboken6"))))
"""
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120, check=True)
    assert "QT:\n" in result.stdout


def test_an_old_xls_ledger_imports_from_the_command_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import shutil

    source = Path(__file__).resolve().parent.parent / "fixtures" / "hand_ledger_2018.xls"
    path = tmp_path / "2018台账.xls"
    shutil.copyfile(source, path)
    db_path = tmp_path / "x.sqlite3"
    assert main(["import-ledger", str(path), "--db", str(db_path)]) == 0
    out = capsys.readouterr().out
    assert "已导入：3" in out and "无法导入：0" in out
    assert _count(db_path) == 3
    # the sign-off line is not a matter: said in the preview, not listed as a failed row
    assert "第7行“制表人：李”是表尾的合计、说明或签名行，不作为事项" in out
    assert not (tmp_path / "2018台账-导入错误.xlsx").exists()
