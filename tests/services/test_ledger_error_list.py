"""The list of rows not imported: never over an earlier list, and a failure to write it never hides the import."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from xinfang_desktop.db.database import Database
from xinfang_desktop.exporters.ledger_import import error_workbook_path
from xinfang_desktop.services.ledger import files as ledger_io
from xinfang_desktop.services.search import count_matters


def _ledger(path: Path) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["登记日期", "信访人", "反映问题", "信访形式"])
    ws.append(["2019.3.5", "张三", "反映路灯不亮", "来信"])
    ws.append(["2019.3.6", "李四", "反映道路破损", "来访"])
    ws.append(["", "王五", "没有日期", "来信"])
    wb.save(path)
    return path


def test_an_earlier_error_list_is_kept_and_the_new_one_takes_a_free_name(db: Database, tmp_path: Path) -> None:
    source = _ledger(tmp_path / "旧台账.xlsx")
    earlier = tmp_path / "旧台账-导入错误.xlsx"
    earlier.write_bytes(b"the clerk's notes on the last import")
    outcome = ledger_io.import_ledger_file(db, source)
    assert outcome.error_workbook == tmp_path / "旧台账-导入错误(2).xlsx"
    assert earlier.read_bytes() == b"the clerk's notes on the last import"
    assert openpyxl.load_workbook(outcome.error_workbook).active["C2"].value.startswith("没有登记日期")
    assert error_workbook_path(source) == earlier  # the first choice; the writer moves on from it


def test_a_list_that_cannot_be_written_is_said_and_the_import_stands(db: Database, tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*_a: object) -> Path:
        raise ValueError("Invalid column index 16385")  # what openpyxl says past XFD

    monkeypatch.setattr(ledger_io, "write_error_workbook", broken)
    outcome = ledger_io.import_ledger_file(db, _ledger(tmp_path / "旧台账.xlsx"))
    assert outcome.committed and outcome.report.imported == 2 and outcome.error_workbook is None
    assert "程序内部出错" in outcome.error_workbook_problem
    with db.read() as s:
        assert count_matters(s) == 2  # written, and the clerk is told so
