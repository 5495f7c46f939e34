"""The exported 台账 read back with openpyxl: print settings, title, real dates, masked IDs, text never a formula."""

from __future__ import annotations

import zipfile
from datetime import date, datetime
from pathlib import Path

import openpyxl
import pytest
from lxml import etree  # type: ignore[import-untyped]
from openpyxl.xml.constants import SHEET_MAIN_NS, XML_NS

from xinfang_desktop.domain.ledger import HEADERS, LedgerRow
from xinfang_desktop.exporters.ledger_xlsx import (
    Cancelled,
    ledger_title,
    mask_ids,
    write_ledger,
)

TITLE = ledger_title("青石县城关镇人民政府", "2025年")


def _row(**changes: object) -> LedgerRow:
    base: dict[str, object] = dict(
        number="信〔2025〕0001号", received_on=date(2025, 3, 5), channel="来访", petitioners="张三、李四",
        id_numbers="11010519491231002X、330102198001011234", persons=6, title="反映征地补偿", collective=True,
        transferred_on=date(2025, 3, 6), due_on=date(2025, 5, 5), status="办理中",
    )
    base.update(changes)
    return LedgerRow(**base)  # type: ignore[arg-type]


def _write(tmp_path: Path, rows: list[LedgerRow], **kw: object) -> openpyxl.worksheet.worksheet.Worksheet:
    path = tmp_path / "台账.xlsx"
    assert write_ledger(path, rows, title=TITLE, sheet_name="2025年", **kw) == len(rows)  # type: ignore[arg-type]
    return openpyxl.load_workbook(path)["2025年"]


def test_print_settings(tmp_path: Path) -> None:
    ws = _write(tmp_path, [_row()] * 3)
    assert ws.page_setup.orientation == "landscape"
    assert int(ws.page_setup.paperSize) == 9  # A4
    assert ws.sheet_properties.pageSetUpPr.fitToPage is True
    assert (int(ws.page_setup.fitToWidth), int(ws.page_setup.fitToHeight)) == (1, 0)  # one page wide, as long as needed
    assert ws.print_title_rows == "$1:$2"  # title and header on every page
    assert ws.freeze_panes == "A3"
    assert "&P" in ws.oddFooter.center.text and "&N" in ws.oddFooter.center.text
    assert ws.column_dimensions["A"].width == 17 and ws.column_dimensions["M"].width == 30
    assert ws["A3"].border.left.style == "thin" and ws["AD5"].border.bottom.style == "thin"
    assert ws["A2"].border.top.style == "thin"


def test_title_headers_and_values(tmp_path: Path) -> None:
    ws = _write(tmp_path, [_row()])
    assert [str(r) for r in ws.merged_cells.ranges] == ["A1:AD1"]
    assert ws["A1"].value == "青石县城关镇人民政府2025年信访工作台账"
    assert tuple(c.value for c in ws[2]) == HEADERS
    values = {h: c.value for h, c in zip(HEADERS, ws[3], strict=True)}
    assert values["登记日期"] == datetime(2025, 3, 5) and ws["B3"].number_format == "yyyy-mm-dd"
    assert values["办理期限"] == datetime(2025, 5, 5) and values["反馈日期"] is None
    assert values["人数"] == 6 and values["集体访"] == "是" and values["联名信"] is None
    assert values["身份证号"] == "110105********002X、330102********1234"


def test_full_id_only_when_asked(tmp_path: Path) -> None:
    ws = _write(tmp_path, [_row()], full_id=True)
    assert ws["F3"].value == "11010519491231002X、330102198001011234"
    assert mask_ids("123456789012345") == "123456*****2345"  # a 15-digit old number too


def test_a_list_cell_keeps_each_petitioners_place_but_no_trailing_empty_entries(tmp_path: Path) -> None:
    # an 8-person visit where only the representative gave an ID and a phone, and the third an address
    ws = _write(tmp_path, [_row(petitioners="、".join(f"村民{n}" for n in range(8)),
                                id_numbers="330102198001011232" + "、" * 7, phones="13800001111" + "、" * 7,
                                addresses="、、城关镇石桥村" + "、" * 5)])
    values = {h: c.value for h, c in zip(HEADERS, ws[3], strict=True)}
    assert values["身份证号"] == "330102********1232"
    assert values["联系电话"] == "13800001111"
    assert values["住址"] == "、、城关镇石桥村"  # the third petitioner's, found again by its place


def test_an_id_in_any_free_text_is_masked_unless_full_numbers_are_asked_for(tmp_path: Path) -> None:
    row = _row(note="代理人身份证11010519491231002X已核", title="反映李四（330102 19800101 1234）征地补偿",
               demand="电话13912345678，金额1234567890123456789元")
    values = {h: c.value for h, c in zip(HEADERS, _write(tmp_path, [row])[3], strict=True)}
    assert values["备注"] == "代理人身份证110105********002X已核"
    assert values["反映问题"] == "反映李四（330102********1234）征地补偿"
    assert values["诉求"] == "电话13912345678，金额1234567890123456789元"  # neither is an ID number
    full = {h: c.value for h, c in zip(HEADERS, _write(tmp_path, [row], full_id=True)[3], strict=True)}
    assert full["备注"] == "代理人身份证11010519491231002X已核"


def test_formula_like_text_stays_text_and_control_characters_go(tmp_path: Path) -> None:
    # a character XML cannot hold (a control character, U+FFFE, U+FFFF pasted from elsewhere) failed the export
    ws = _write(tmp_path, [_row(title="=HYPERLINK(\"http://x\")", note="=1+1", demand="第一行\x07\x00\ufffe第二行\uffff")])
    assert ws["M3"].value == '=HYPERLINK("http://x")' and ws["M3"].data_type == "s"
    assert ws["AD3"].value == "=1+1" and ws["AD3"].data_type == "s"
    assert ws["N3"].value == "第一行第二行"


def test_cancel_leaves_no_file(tmp_path: Path) -> None:
    path = tmp_path / "台账.xlsx"
    with pytest.raises(Cancelled):
        write_ledger(path, [_row()] * 1000, title=TITLE, cancelled=lambda: True)
    assert list(tmp_path.iterdir()) == []


def test_progress_reports_every_row_written(tmp_path: Path) -> None:
    seen: list[int] = []
    write_ledger(tmp_path / "a.xlsx", (_row() for _ in range(450)), title=TITLE, progress=seen.append)
    assert seen == [200, 400, 450]


CENTERED = {"登记日期", "信访形式", "人数", "集体访", "联名信", "匿名", "越级", "重复信访", "交办日期", "办理期限", "反馈日期",
            "办结日期", "满意度", "状态"}
DATES = {"登记日期", "交办日期", "办理期限", "反馈日期", "办结日期"}


def test_every_body_cell_has_its_columns_look_filled_or_empty(tmp_path: Path) -> None:
    # the second row leaves almost every column empty: its cells keep their borders and look all the same
    ws = _write(tmp_path, [_row(), LedgerRow(number="信〔2025〕0002号", received_on=date(2025, 3, 6), channel="来信")])
    for row in (3, 4):
        for header, cell in zip(HEADERS, ws[row], strict=True):
            where = f"{header} of row {row}"
            sides = (cell.border.left, cell.border.right, cell.border.top, cell.border.bottom)
            assert all(s.style == "thin" and s.color.rgb == "00000000" for s in sides), where
            assert (cell.font.name, cell.font.size, bool(cell.font.b)) == ("宋体", 10, False), where
            assert cell.alignment.vertical == "center" and cell.alignment.wrap_text is True, where
            assert cell.alignment.horizontal == ("center" if header in CENTERED else None), where
            assert cell.number_format == ("yyyy-mm-dd" if header in DATES else "General"), where
    assert ws["I3"].value == 6 and ws["I3"].data_type == "n"
    assert ws["W3"].value == datetime(2025, 3, 6) and ws["W3"].is_date
    assert ws["AA3"].value is None and ws["O4"].value is None and ws["M4"].value is None


def test_title_and_header_rows_look_and_the_filter_covers_every_row(tmp_path: Path) -> None:
    ws = _write(tmp_path, [_row()] * 3)
    title = ws["A1"]
    assert (title.font.name, title.font.size, title.font.b) == ("黑体", 16, True)
    assert (title.alignment.horizontal, title.alignment.vertical) == ("center", "center")
    assert ws.row_dimensions[1].height == 30
    for cell in ws[2]:
        assert (cell.font.name, cell.font.size, cell.font.b) == ("黑体", 10, True)
        assert (cell.alignment.horizontal, cell.alignment.vertical, cell.alignment.wrap_text) == ("center", "center", True)
        assert cell.border.bottom.style == "thin" and cell.border.right.style == "thin"
    assert ws.auto_filter.ref == "A2:AD5"
    assert (ws.page_margins.left, ws.page_margins.top) == (0.4, 0.6)


def test_awkward_text_reads_back_as_written(tmp_path: Path) -> None:
    texts = ["甲 & 乙 < 丙 > 丁", "第一行\r\n第二行\r第三行\n第四行", "  前有空格", "后有空格 ", "　全角空格　", "\t制表",
             '"引号" \'单引号\'', "]]> <![CDATA[x]]> &amp; &#13;", "<t>不是标签</t>", "😀𠀀", "长" * 40000]
    ws = _write(tmp_path, [_row(title=t, note=t, demand=t) for t in texts], full_id=True)
    for row, text in enumerate(texts, 3):
        expected = text[:32767]  # Excel's limit for one cell
        assert (ws[f"M{row}"].value, ws[f"N{row}"].value, ws[f"AD{row}"].value) == (expected,) * 3
    # Excel drops a text's outer spaces unless its <t> says to keep them
    sheet = etree.fromstring(zipfile.ZipFile(tmp_path / "台账.xlsx").read("xl/worksheets/sheet1.xml"))
    kept = [t.get(f"{{{XML_NS}}}space") for t in sheet.iter(f"{{{SHEET_MAIN_NS}}}t") if t.text != t.text.strip()]
    assert len(kept) == 4 * 3 and set(kept) == {"preserve"}


def test_rows_keep_their_order_across_blocks(tmp_path: Path) -> None:
    numbers = [f"信〔2025〕{n:04d}号" for n in range(1, 452)]
    ws = _write(tmp_path, [_row(number=n) for n in numbers])
    assert [c.value for c in ws["A"][2:]] == numbers
    assert ws.auto_filter.ref == "A2:AD453"
