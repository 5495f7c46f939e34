"""Ledger import in batches: held timeline events and held 序号 stay right when part of a batch is undone."""

from __future__ import annotations

from pathlib import Path

import openpyxl
from sqlalchemy import func, select

from xinfang_desktop.db.database import Database
from xinfang_desktop.db.models import Event
from xinfang_desktop.domain.enums import EventKind
from xinfang_desktop.ledger_io import import_ledger_file
from xinfang_desktop.services.search import get_matter


def _ledger(path: Path, rows: list[list[object]]) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["登记日期", "信访人", "反映问题", "承办单位", "交办日期", "处理方式", "办结日期"])
    for row in rows:
        ws.append(row)
    wb.save(path)
    return path


def test_a_row_refused_after_taking_a_number_leaves_no_gap(db: Database, tmp_path: Path) -> None:
    # the second row's name is too long: refused inside 登记, after its 序号 was taken
    path = _ledger(tmp_path / "n.xlsx", [
        ["2022.5.6", "张三", "第一件", "", "", "", ""],
        ["2022.5.6", "张" * 70, "第二件", "", "", "", ""],
        ["2022.5.7", "李四", "第三件", "", "", "", ""],
        ["2022.5.8", "王五", "第四件", "", "", "", ""],
    ])
    report = import_ledger_file(db, path).report
    assert report.imported == 3 and [s.row for s in report.skipped] == [3]
    with db.read() as s:
        numbers = [get_matter(s, i).number for i in report.matter_ids]
    assert numbers == ["信〔2022〕0001号", "信〔2022〕0002号", "信〔2022〕0003号"]


def test_timeline_of_an_imported_matter_in_order_and_nothing_of_a_refused_row(db: Database, tmp_path: Path) -> None:
    path = _ledger(tmp_path / "t.xlsx", [
        ["2022.5.7", "李四", "交办后办结", "城关镇人民政府", "2022.5.8", "交办", "2022.6.1"],
        ["2022.5.7", "张" * 70, "被拒绝的一行", "", "", "", ""],
    ])
    report = import_ledger_file(db, path).report
    assert report.imported == 1
    with db.read() as s:
        events = get_matter(s, report.matter_ids[0]).events
        total = s.scalar(select(func.count()).select_from(Event))
    assert [e.kind for e in events] == [
        EventKind.REGISTERED, EventKind.IMPORTED, EventKind.DECIDED, EventKind.FEEDBACK, EventKind.CLOSED]
    assert [e.id for e in events] == sorted(e.id for e in events)
    assert total == len(events)  # the refused row's events went with it


def test_a_number_given_in_this_import_is_not_given_again(db: Database, tmp_path: Path) -> None:
    """A later row whose own 编号 is the one an earlier row (still in the unwritten batch) was given adds nothing."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["编号", "登记日期", "信访人", "反映问题"])
    ws.append(["", "2022.5.6", "张三", "第一件"])
    ws.append(["信〔2022〕0001号", "2022.5.7", "李四", "第二件"])
    path = tmp_path / "numbers.xlsx"
    wb.save(path)
    report = import_ledger_file(db, path).report
    assert (report.imported, report.duplicates) == (1, 1)
    assert any("已在数据库中" in w.text for w in report.warnings)
