"""Reading a hand-kept 台账: header under title rows, variants, every date form, flag variants, bad files."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import openpyxl
import pytest

from xinfang_desktop.domain.errors import StorageError, ValidationError
from xinfang_desktop.exporters.ledger_import import parse_date, parse_flag, read_ledger


@pytest.mark.parametrize(
    "value",
    [date(2019, 3, 5), datetime(2019, 3, 5, 10, 30), "2019.3.5", "2019-03-05", "2019/3/5", "2019年3月5日",
     " 2019 年 3 月 5 日 ", "２０１９．３．５", "20190305", 43529, 43529.0],
)
def test_every_date_form(value: object) -> None:
    assert parse_date(value) == date(2019, 3, 5)


@pytest.mark.parametrize("value", ["2019.13.45", "三月五日", "见附件"])
def test_unreadable_dates_raise(value: str) -> None:
    with pytest.raises(ValueError):
        parse_date(value)


def test_blank_date_is_none() -> None:
    assert parse_date(None) is None and parse_date("  ") is None


@pytest.mark.parametrize("value", ["是", "√", "✓", "Y", "y", "1", True])
def test_true_flags(value: object) -> None:
    assert parse_flag(value) is True


@pytest.mark.parametrize("value", ["否", "", None, "N", "×", False])
def test_false_flags(value: object) -> None:
    assert parse_flag(value) is False


def test_unknown_flag_raises() -> None:
    with pytest.raises(ValueError):
        parse_flag("待定")


def _book(path: Path, rows: list[list[object]], *, title: str = "2019年") -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = title
    for row in rows:
        ws.append(row)
    wb.save(path)
    return path


def test_header_found_below_title_rows_and_serial_is_number_only_without_a_number_column(tmp_path: Path) -> None:
    path = _book(tmp_path / "a.xlsx", [
        ["2019年信访工作台账"], [], ["序号", "日期", "来信人", "主要问题", "是否集体访"],
        [1, "2019.3.5", "张三", "反映路灯", "√"],
    ])
    ledger = read_ledger(path)
    assert ledger.sheets[0].header_row == 3
    assert ledger.sheets[0].mapped == ("编号", "登记日期", "信访人", "反映问题", "集体访")
    (row,) = ledger.rows
    assert (row.row, row.values.number, row.values.collective) == (4, "1", True)

    path = _book(tmp_path / "b.xlsx", [["序号", "信访编号", "日期", "姓名", "标题"], [1, "X-1", "2019.3.5", "张三", "路灯"]])
    ledger = read_ledger(path)
    assert ledger.sheets[0].mapped[:2] == (None, "编号")
    assert ledger.rows[0].values.number == "X-1" and ledger.rows[0].values.note == "序号：1"


def test_every_sheet_with_a_header_is_read(tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    wb.active.title = "说明"
    wb.active.append(["本台账按年度分表"])
    for year in (2019, 2020):
        ws = wb.create_sheet(f"{year}年")
        ws.append(["登记日期", "信访人", "反映问题"])
        ws.append([date(year, 5, 1), "张三", f"{year}年的事"])
    wb.save(tmp_path / "c.xlsx")
    ledger = read_ledger(tmp_path / "c.xlsx")
    assert [s.name for s in ledger.sheets] == ["2019年", "2020年"]
    assert [r.values.title for r in ledger.rows] == ["2019年的事", "2020年的事"]


def test_bad_cells_become_warnings_not_lost_rows(tmp_path: Path) -> None:
    path = _book(tmp_path / "d.xlsx", [
        ["登记日期", "信访人", "反映问题", "办结日期", "匿名", "人数"],
        ["2019.3.5", "张三", "路灯", "下月", "待定", "五人"],
    ])
    (row,) = read_ledger(path).rows
    assert row.values.closed_on is None and row.values.anonymous is False and row.values.persons == 1
    assert len(row.warnings) == 3 and "办结日期" in row.warnings[0]


def test_not_a_workbook(tmp_path: Path) -> None:
    path = tmp_path / "old.xls"
    path.write_bytes(b"\xd0\xcf\x11\xe0 a damaged binary Excel file")
    with pytest.raises(ValidationError, match="不是可读取的Excel工作簿"):
        read_ledger(path)


FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"


def test_an_old_xls_ledger_is_read_with_its_dates_and_numbers() -> None:
    """A ledger kept in Excel 97–2003 (.xls): title row, date cells and text dates, a phone typed as a number."""
    ledger = read_ledger(FIXTURES / "hand_ledger_2018.xls")
    assert ledger.sheets[0].name == "2018年" and ledger.sheets[0].header_row == 2
    rows = {r.row: r.values for r in ledger.rows}
    assert sorted(rows) == [3, 4, 5]
    assert (rows[3].received_on, rows[3].closed_on, rows[3].phones) == (date(2018, 4, 2), date(2018, 5, 3),
                                                                      "13812345678")
    assert (rows[4].received_on, rows[5].received_on) == (date(2018, 4, 9), date(2018, 4, 10))
    # the sign-off line under the table is not a matter, nor a row that failed
    assert ledger.skipped == () and ledger.sheets[0].ignored[0][0] == 7


def test_rows_and_columns_before_the_table_keep_the_sheet_row_numbers(tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws["C4"], ws["D4"], ws["E4"] = "登记日期", "信访人", "反映问题"
    ws["C5"], ws["D5"], ws["E5"] = "2020.1.2", "张三", "第一件"
    ws["C7"], ws["D7"], ws["E7"] = "2020.1.3", "李四", "第二件"
    path = tmp_path / "offset.xlsx"
    wb.save(path)
    ledger = read_ledger(path)
    assert ledger.sheets[0].header_row == 4
    assert [(r.row, r.values.petitioners, r.values.title) for r in ledger.rows] == [(5, "张三", "第一件"),
                                                                                    (7, "李四", "第二件")]


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(ValidationError, match="找不到文件"):
        read_ledger(tmp_path / "none.xlsx")


def test_locked_file_says_close_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = _book(tmp_path / "e.xlsx", [["登记日期", "信访人", "反映问题"]])

    def locked(*_a: object, **_k: object) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(Path, "read_bytes", locked)
    with pytest.raises(StorageError, match="被其他程序占用"):
        read_ledger(path)


def test_persons_are_read_with_their_sign_and_size(tmp_path: Path) -> None:
    # the workflow's 人数 rule (1..100,000) then judges them: "-5" is not 5, "1e9" is not 1
    cells = ["8", "8人", "３０余人", 12, "-5", "1e9", 1e9, "2.5", 2.5]
    path = _book(tmp_path / "p.xlsx", [["登记日期", "信访人", "反映问题", "人数"],
                                       *[["2019.3.5", "张三", "路灯", c] for c in cells]])
    rows = read_ledger(path).rows
    assert [r.values.persons for r in rows] == [8, 8, 30, 12, -5, 10**9, 10**9, 1, 1]
    assert [bool(r.warnings) for r in rows] == [False] * 7 + [True, True]
