"""Ledgers in other layouts through `xinfang import-ledger`: two-row headers, column numbers, 合计 rows, one sheet
a month, guesses shown and taken only when accepted, and a confirmed mapping offered for the same headers again."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import openpyxl
import pytest

from xinfang_desktop.cli import main
from xinfang_desktop.db.database import Database
from xinfang_desktop.domain.enums import UnitKind
from xinfang_desktop.domain.ledger import LedgerRow
from xinfang_desktop.services.ledger.export import ledger_rows
from xinfang_desktop.services.reference import add_unit, seed_defaults

LONG = "反映村里道路年久失修，雨天积水严重，群众出行非常不便，请求尽快修缮"


def _rows(db_path: Path) -> dict[str, LedgerRow]:
    db = Database(db_path)
    with db.read() as s:
        rows = {r.title: r for r in ledger_rows(s)}
    db.close()
    return rows


def _county_export(path: Path) -> Path:
    """A county web-app export: a title merged over two rows, headers merged over two rows, a row of column
    numbers, names spaced out to line up, 1970-01-01 for a date not yet known, 合计 and 截至 rows under it."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "信访事项"
    ws.append(["青石县信访事项登记表（系统导出）"])
    ws.merge_cells("A1:K2")
    ws["A3"] = "序号"
    for col, text in zip("BCDGHIK", ("受理编号", "接件时间", "信访人信息", "问题属地", "内容摘要", "办理情况", "经办")):
        ws[f"{col}3"] = text
    for col, text in zip("DEFIJ", ("姓名", "身份证号码", "手机号", "责任单位", "办结时间")):
        ws[f"{col}4"] = text
    for col in "ABCGHK":
        ws.merge_cells(f"{col}3:{col}4")
    ws.merge_cells("D3:F3")
    ws.merge_cells("I3:J3")
    for j in range(1, 12):
        ws.cell(5, j, j)
    ws.append([1, "XF2025001", date(2025, 3, 1), "张  三", "", "13812345678", "城  关  镇", "反映村道破损", "妇  联",
               "1970-01-01", "李"])
    ws.append([2, "XF2025002", "2025.3.5", "李四", "", "13912345678", "城关镇", "反映噪音扰民", "民政局",
               date(2025, 3, 20), "王"])
    ws.append(["合计", "2件"])
    ws.append(["截至2025年12月31日"])
    wb.save(path)
    return path


def test_a_county_export_with_two_row_headers_imports_without_a_map(tmp_path: Path,
                                                                   capsys: pytest.CaptureFixture[str]) -> None:
    db_path = tmp_path / "t.sqlite3"
    db = Database(db_path)
    with db.begin() as s:
        seed_defaults(s)
        add_unit(s, name="妇联", kind=UnitKind.OTHER)
    db.close()
    path = _county_export(tmp_path / "县系统导出.xlsx")
    assert main(["import-ledger", str(path), "--db", str(db_path)]) == 0
    out = capsys.readouterr().out
    assert "表头在第3—4行（两行表头，已合并）" in out
    assert "“信访人信息/手机号” → 联系电话" in out and "“办理情况/办结时间” → 办结日期" in out
    assert "第5行是列序号，不作为事项" in out
    assert "第8行“合计”是表尾的合计、说明或签名行，不作为事项" in out
    assert "第9行“截至2025年12月31日”是表尾的合计、说明或签名行，不作为事项" in out
    # two matters and nothing else: the numbers, 合计 and 截至 rows are neither matters nor failed rows
    assert "读取行数：2" in out and "已导入：2" in out and "无法导入：0" in out
    assert "妇联”不在单位名单中" not in out  # "妇  联" is the unit we have
    assert not (tmp_path / "县系统导出-导入错误.xlsx").exists()
    rows = _rows(db_path)
    assert set(rows) == {"反映村道破损", "反映噪音扰民"}
    road = rows["反映村道破损"]
    assert (road.number, road.petitioners, road.phones, road.place, road.units) == (
        "XF2025001", "张三", "13812345678", "城关镇", "妇联")
    assert road.closed_on is None  # 1970-01-01 is the system's empty date
    assert rows["反映噪音扰民"].closed_on == date(2025, 3, 20)


def _month_sheets(path: Path, *, bad_in: str = "") -> Path:
    """A hand ledger kept one sheet a month, with a summary sheet at the end."""
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for month in (1, 2, 3):
        ws = wb.create_sheet(f"{month}月")
        ws.append([f"2025年{month}月信访登记"])
        ws.append(["序号", "信访日期", "来访人", "反映内容", "信访方式"])
        for day in (3, 9):
            ws.append([day, f"2025-{month:02d}-{day:02d}", f"张{month}{day}", f"{month}月{day}日反映的问题", "来访"])
        if f"{month}月" == bad_in:
            ws.append([20, "2025-02-30", "李某", "日期写错的一行", "来信"])
    summary = wb.create_sheet("汇总")
    summary.append(["月份", "件数"])
    summary.append(["1月", 2])
    wb.save(path)
    return path


def test_one_sheet_a_month_all_imported_and_the_sheet_named_in_errors(tmp_path: Path,
                                                                     capsys: pytest.CaptureFixture[str]) -> None:
    path = _month_sheets(tmp_path / "2025年台账.xlsx", bad_in="2月")
    db_path = tmp_path / "t.sqlite3"
    assert main(["import-ledger", str(path), "--db", str(db_path)]) == 0
    out = capsys.readouterr().out
    assert "工作表“1月”、“2月”、“3月”：表头在第2行" in out
    assert "工作表“汇总”中没有台账表头，未导入" in out
    assert "已导入：6" in out and "无法导入：1" in out
    assert "跳过 2月 第5行：“信访日期”2025-02-30不是可识别的日期" in out
    errors = openpyxl.load_workbook(tmp_path / "2025年台账-导入错误.xlsx").active
    assert [r[:2] for r in errors.iter_rows(min_row=2, values_only=True)] == [("2月", 5)]
    assert sorted(r.received_on.month for r in _rows(db_path).values()) == [1, 1, 2, 2, 3, 3]


def _unknown_headers(path: Path, year: int) -> Path:
    """A system whose header names we do not know: the content tells what the columns are."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["件号", "登记日期", "来人", "证件", "联系", "事项情况说明", "形式"])
    ws.append([f"J{year}-1", f"{year}-01-03", "张三", "11010519491231002X", "13812345678", LONG, "来访"])
    ws.append([f"J{year}-2", f"{year}-01-05", "李四", "110105194912310021", "13912345678",
               "反映小区物业收费不合理，未经业主大会同意擅自涨价，要求依法处理", "来信"])
    wb.save(path)
    return path


def test_guesses_are_shown_never_taken_unless_accepted_and_a_confirmed_mapping_is_offered_again(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db_path = tmp_path / "t.sqlite3"
    db = str(db_path)
    first = _unknown_headers(tmp_path / "2024导出.xlsx", 2024)
    assert main(["import-ledger", str(first), "--db", db, "--map", "来人=信访人"]) == 0
    out = capsys.readouterr().out
    assert "“证件” 猜测为 身份证号（内容多为18位身份证号），未采用，暂保留在备注" in out
    assert "“联系” 猜测为 联系电话（内容多为1开头的11位手机号），未采用，暂保留在备注" in out
    assert "“事项情况说明” 猜测为 反映问题（内容为较长的文字），未采用，暂保留在备注" in out
    assert "有按内容猜测的列尚未采用：核对无误请加 --accept-guesses 采用" in out
    # not taken: every row lacks its 标题, so nothing went in
    assert "已导入：0" in out and _rows(db_path) == {}

    assert main(["import-ledger", str(first), "--db", db, "--map", "来人=信访人", "--accept-guesses"]) == 0
    out = capsys.readouterr().out
    assert "“证件” → 身份证号（按内容猜测，已采用：内容多为18位身份证号）" in out
    assert "“来人” → 信访人（指定）" in out
    assert "已导入：2" in out
    wage = _rows(db_path)[LONG]
    assert (wage.petitioners, wage.id_numbers, wage.phones) == ("张三", "11010519491231002X", "13812345678")

    # next year's export of the same system: the confirmed mapping is offered and said, no flags needed
    second = _unknown_headers(tmp_path / "2025导出.xlsx", 2025)
    assert main(["import-ledger", str(second), "--db", db, "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "“证件” → 身份证号（已保存的对应）" in out and "“来人” → 信访人（已保存的对应）" in out
    assert "可导入：2" in out
    # without it, two names of seven are not a header the program knows
    assert main(["import-ledger", str(second), "--db", db, "--dry-run", "--no-profile"]) != 0
    assert "找不到台账表头" in capsys.readouterr().err


def test_a_discipline_inspection_ledger_imports_by_its_own_names(tmp_path: Path,
                                                                 capsys: pytest.CaptureFixture[str]) -> None:
    """A 纪检监察 信访举报 ledger: 受理时间, 举报人, 反映主要问题, 处置方式, 承办部门; 被反映人 and 是否属实 are kept in 备注."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["2025年信访举报件登记台账"])
    ws.append(["序号", "信访件编号", "受理时间", "线索来源", "举报人", "被反映人", "反映主要问题", "问题线索类别",
               "处置方式", "承办部门", "是否属实\n（是/否）", "办结时间"])
    ws.append([1, "JJ-2025-01", "2025-04-01", "群众来信", "王五", "某村支书", "反映村干部优亲厚友", "其他",
               "转办", "乡纪委", "否", ""])
    ws.append([2, "JJ-2025-02", "2025-04-08", "来访", "赵六", "某站长", "反映站所工作人员吃拿卡要", "其他", "转办",
               "乡纪委", "", ""])
    path = tmp_path / "纪检台账.xlsx"
    wb.save(path)
    db_path = tmp_path / "t.sqlite3"
    assert main(["import-ledger", str(path), "--db", str(db_path)]) == 0
    out = capsys.readouterr().out
    assert "“受理时间” → 登记日期" in out and "“反映主要问题” → 反映问题" in out and "“承办部门” → 承办单位" in out
    assert "“是否属实（是/否）” 未对应，保留在备注" in out
    assert "已导入：2" in out
    row = _rows(db_path)["反映村干部优亲厚友"]
    assert (row.number, row.petitioners, row.units) == ("JJ-2025-01", "王五", "乡纪委")
    assert "被反映人：某村支书" in row.note and "是否属实" in row.note


def test_a_two_row_header_column_is_mapped_by_its_joined_name(tmp_path: Path,
                                                             capsys: pytest.CaptureFixture[str]) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["登记日期", "信访人", "办理情况", None, None])
    ws.append([None, None, "去向", "反馈", "办结时间"])
    ws.merge_cells("C1:E1")
    ws.append(["2025-05-06", "张三", "城关镇人民政府", "已答复", "2025-05-20"])
    ws.append(["2025-05-07", "李四", "城关镇人民政府", "已答复", ""])
    ws["A3"].value, ws["A4"].value = "2025-05-06", "2025-05-07"
    path = tmp_path / "two.xlsx"
    wb.save(path)
    # the titles are missing: 反映问题 is named nowhere, so the rows cannot go in; the map names the unit column
    assert main(["import-ledger", str(path), "--db", str(tmp_path / "t.sqlite3"), "--dry-run",
                 "--map", "办理情况/去向=承办单位"]) == 0
    out = capsys.readouterr().out
    assert "“办理情况/去向” → 承办单位（指定）" in out and "“办理情况/反馈” 未对应，保留在备注" in out
    assert "“办理情况/办结时间” → 办结日期" in out


def test_help_says_what_never_silently_means(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["import-ledger", "--help"])
    text = capsys.readouterr().out.replace("\n", "").replace(" ", "")
    assert "--accept-guesses" in text and "不加此项时，猜测只列在输出的“各列的读法”中、不采用" in text
    assert "--no-profile" in text
