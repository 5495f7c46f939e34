"""Write a month's 矛盾纠纷排查台账: merged title, the disputes, the 零报告 and the 村 not yet reported; print-ready."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from pathlib import Path

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from xinfang_desktop.domain.workflow.records import Dispute
from xinfang_desktop.exporters.ledger_xlsx import (
    _BODY_FONT,
    _BORDER,
    _CENTER,
    _HEADER_FONT,
    _TITLE_FONT,
    _WRAP,
    DATE_FORMAT,
    clean_text,
    print_ready,
    save_workbook,
)

# (header, width): thirteen columns, one landscape A4 page wide
COLUMNS: tuple[tuple[str, float], ...] = (
    ("序号", 5), ("排查日期", 11), ("村（社区）", 14), ("当事人", 12), ("纠纷类型", 12), ("简要情况", 34),
    ("风险等级", 8), ("责任人", 8), ("化解期限", 11), ("化解情况", 8), ("是否引发信访", 8), ("信访事项编号", 16),
    ("备注", 12),
)
CENTERED = frozenset({"序号", "排查日期", "风险等级", "责任人", "化解期限", "化解情况", "是否引发信访"})


def screening_title(office_name: str, year: int, month: int) -> str:
    return f"{office_name}{year}年{month}月矛盾纠纷排查台账"


def _cell(ws: Worksheet, value: object, header: str) -> WriteOnlyCell:
    if isinstance(value, str):
        value = clean_text(value)[:32767]
    cell = WriteOnlyCell(ws, value=value)
    if isinstance(value, str):
        cell.data_type = "s"  # a "=…" note stays text
    cell.font, cell.border = _BODY_FONT, _BORDER
    cell.alignment = _CENTER if header in CENTERED else _WRAP
    if isinstance(value, date):
        cell.number_format = DATE_FORMAT
    return cell


def _merged_line(ws: Worksheet, row: int, text: str, last: str) -> None:
    ws.merged_cells.add(f"A{row}:{last}{row}")
    cell = WriteOnlyCell(ws, value=clean_text(text))
    cell.data_type = "s"
    cell.font, cell.alignment = _BODY_FONT, Alignment(wrap_text=True, vertical="center")
    ws.append([cell])


def write_screening(path: Path, disputes: Sequence[Dispute], *, title: str, zero: Sequence[str],
                    unreported: Sequence[str], as_of: date) -> int:
    """The month's 排查台账 at `path`; returns the number of disputes written."""
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("排查台账")
    last = get_column_letter(len(COLUMNS))
    for index, (_, width) in enumerate(COLUMNS, 1):
        ws.column_dimensions[get_column_letter(index)].width = width
    print_ready(ws, header_rows=2, landscape=True, margins=(0.4, 0.6))
    ws.merged_cells.add(f"A1:{last}1")
    title_cell = WriteOnlyCell(ws, value=clean_text(title))
    title_cell.data_type = "s"
    title_cell.font, title_cell.alignment = _TITLE_FONT, Alignment(horizontal="center", vertical="center")
    ws.row_dimensions[1].height = 30
    ws.append([title_cell])
    headers = []
    for header, _ in COLUMNS:
        cell = WriteOnlyCell(ws, value=header)
        cell.font, cell.border, cell.alignment = _HEADER_FONT, _BORDER, _CENTER
        headers.append(cell)
    ws.append(headers)
    for n, d in enumerate(disputes, 1):
        note = "已超过化解期限" if d.past_due(as_of) else ""
        values = (n, d.found_on, d.village, d.parties, d.category, d.summary, d.risk.value, d.responsible,
                  d.resolve_by, d.state.value, "是" if d.petitioned else "否", d.matter_number, note)
        ws.append([_cell(ws, value, header) for value, (header, _) in zip(values, COLUMNS, strict=True)])
    row = 2 + len(disputes) + 1
    _merged_line(ws, row, "零报告（本月未排查出矛盾纠纷）：" + ("、".join(zero) if zero else "无"), last)
    _merged_line(ws, row + 1, "未上报：" + ("、".join(unreported) if unreported else "无"), last)
    save_workbook(wb, Path(path), "排查台账")
    return len(disputes)
