"""Write the tally workbook: 总体情况, 问题分类, 承办单位, 属地分布, 月度趋势; computed values, print-ready."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from xinfang_desktop.domain.tally import Tally, mean_days, percent, show_percent
from xinfang_desktop.domain.tally_text import CHANNELS, DEFINITIONS, figure_rows, period_label
from xinfang_desktop.exporters.ledger_xlsx import clean_text, print_ready, save_workbook

SHEETS = ("总体情况", "问题分类", "承办单位", "属地分布", "月度趋势")

_THIN = Side(style="thin", color="000000")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_TITLE_FONT = Font(name="黑体", size=16, bold=True)
_SUB_FONT = Font(name="宋体", size=10)
_HEADER_FONT = Font(name="黑体", size=11, bold=True)
_BODY_FONT = Font(name="宋体", size=11)
_BOLD_FONT = Font(name="宋体", size=11, bold=True)
_NOTE_FONT = Font(name="宋体", size=9)
_CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
_LEFT = Alignment(horizontal="left", vertical="center", wrap_text=True)
HEADER_ROW = 3  # title, period line, header


def tally_title(office_name: str, tally: Tally) -> str:
    return f"{office_name}{period_label(tally.date_from, tally.date_to)}信访工作统计表"


def _period_line(tally: Tally) -> str:
    return (
        f"统计期间：{period_label(tally.date_from, tally.date_to)}（按登记日期）"
        f"　对比期间：{period_label(tally.last_from, tally.last_to)}"
        f"　统计日：{tally.as_of.year}年{tally.as_of.month}月{tally.as_of.day}日"
    )


def _text(value: object) -> object:
    """Strings as text, never formulas; numbers and None as they are."""
    if isinstance(value, str):
        return clean_text(value)
    return value


def _sheet(wb: Workbook, name: str, title: str, period: str, headers: Sequence[str], widths: Sequence[float],
           *, landscape: bool = False) -> Worksheet:
    ws = wb.create_sheet(name)
    last = get_column_letter(len(headers))
    for index, width in enumerate(widths, 1):
        ws.column_dimensions[get_column_letter(index)].width = width
    ws.merge_cells(f"A1:{last}1")
    ws.merge_cells(f"A2:{last}2")
    ws["A1"].value = clean_text(f"{title}（{name}）")
    ws["A1"].font, ws["A1"].alignment = _TITLE_FONT, Alignment(horizontal="center", vertical="center")
    ws.row_dimensions[1].height = 32
    ws["A2"].value = clean_text(period)
    ws["A2"].font, ws["A2"].alignment = _SUB_FONT, Alignment(horizontal="center", vertical="center")
    for col, header in enumerate(headers, 1):
        cell = ws.cell(row=HEADER_ROW, column=col, value=header)
        cell.font, cell.border, cell.alignment = _HEADER_FONT, _BORDER, _CENTER
    print_ready(ws, header_rows=HEADER_ROW, landscape=landscape, margins=(0.5, 0.7))
    return ws


def _row(ws: Worksheet, values: Sequence[object], *, bold: bool = False, indent: int = 0) -> None:
    row = ws.max_row + 1
    for col, value in enumerate(values, 1):
        cell = ws.cell(row=row, column=col)
        cell.value = _text(value)
        if isinstance(value, str):
            cell.data_type = "s"  # "=..." stays text
        cell.font = _BOLD_FONT if bold else _BODY_FONT
        cell.border = _BORDER
        if col == 1:
            cell.alignment = Alignment(horizontal="left", vertical="center", wrap_text=True, indent=indent * 2)
        else:
            cell.alignment = _CENTER
        if isinstance(value, float):
            cell.number_format = "0.0"


def _notes(ws: Worksheet, lines: Sequence[str], columns: int) -> None:
    last = get_column_letter(columns)
    start = ws.max_row + 2
    for offset, line in enumerate(lines):
        row = start + offset
        ws.merge_cells(f"A{row}:{last}{row}")
        cell = ws.cell(row=row, column=1, value=clean_text(line))
        cell.font, cell.alignment = _NOTE_FONT, _LEFT
        ws.row_dimensions[row].height = 26


def _overview(wb: Workbook, tally: Tally, title: str, summary: str) -> None:
    ws = _sheet(wb, "总体情况", title, _period_line(tally), ("项目", "本期", "去年同期", "同比", "占总量"),
                (26, 12, 12, 20, 12))
    for fr in figure_rows(tally):
        # counts and day means stay numbers a clerk can sum; rates are written as "97.9%"
        this = fr.show(fr.this) if fr.kind == "percent" or fr.this is None else fr.this
        last = fr.show(fr.last) if fr.kind == "percent" or fr.last is None else fr.last
        _row(ws, (fr.label, this, last, fr.yoy, fr.share), bold=fr.indent == 0 and fr.label.startswith("总量"),
             indent=fr.indent)
    row = ws.max_row + 2
    ws.merge_cells(f"A{row}:E{row}")
    ws.cell(row=row, column=1, value="基本情况").font = _HEADER_FONT
    row += 1
    ws.merge_cells(f"A{row}:E{row}")
    cell = ws.cell(row=row, column=1, value=clean_text(summary))
    cell.data_type = "s"
    cell.font, cell.alignment = _BODY_FONT, Alignment(horizontal="left", vertical="top", wrap_text=True)
    # merged cells do not grow by themselves: about 40 characters a line over the five columns
    ws.row_dimensions[row].height = max(30, 15 * (len(summary) // 40 + 1))
    _notes(ws, DEFINITIONS, 5)


def _categories(wb: Workbook, tally: Tally, title: str) -> None:
    ws = _sheet(wb, "问题分类", title, _period_line(tally), ("一级分类", "二级分类", "件数", "占总量"), (22, 22, 12, 12))
    for first in tally.by_category:
        _row(ws, (first.first, "小计", first.count, show_percent(first.share)), bold=True)
        for sub in tally.by_subcategory:
            if sub.first == first.first:
                _row(ws, ("", sub.second, sub.count, show_percent(sub.share)))
    _row(ws, ("合计", "", tally.this.total, show_percent(100.0 if tally.this.total else None)), bold=True)
    _notes(ws, ("登记为一级分类而未细分的事项只计入该一级分类小计。",), 4)


def _units(wb: Workbook, tally: Tally, title: str) -> None:
    ws = _sheet(wb, "承办单位", title, _period_line(tally),
                ("承办单位", "交办数（主办）", "办结", "按期", "超期", "平均天数", "回访数", "满意率", "协办件"),
                (24, 12, 9, 9, 9, 10, 9, 10, 9), landscape=True)
    for u in tally.by_unit:
        _row(ws, (u.unit, u.assigned, u.closed, u.on_time, u.overdue,
                  "—" if u.avg_days is None else u.avg_days, u.evaluated, show_percent(u.satisfaction_rate),
                  u.assisted))
    totals = [sum(getattr(u, k) for u in tally.by_unit) for k in ("assigned", "closed", "on_time", "overdue",
                                                                   "evaluated", "satisfied", "assisted")]
    avg = mean_days(sum(u.report_days for u in tally.by_unit), totals[1])
    _row(ws, ("合计", totals[0], totals[1], totals[2], totals[3], "—" if avg is None else avg, totals[4],
              show_percent(percent(totals[5], totals[4])), totals[6]), bold=True)
    _notes(ws, (DEFINITIONS[-1],), 9)


def _places(wb: Workbook, tally: Tally, title: str) -> None:
    ws = _sheet(wb, "属地分布", title, _period_line(tally), ("乡镇", "村（社区）", "件数", "占总量"), (18, 22, 12, 12))
    for town in tally.by_township:
        _row(ws, (town.name, "小计", town.count, show_percent(town.share)), bold=True)
        for place in tally.by_place:
            head, _, village = place.name.partition("/")
            if head.strip() == town.name and village.strip():
                _row(ws, ("", village.strip(), place.count, show_percent(place.share)))
    _row(ws, ("合计", "", tally.this.total, show_percent(100.0 if tally.this.total else None)), bold=True)
    _notes(ws, ("按问题发生地统计。",), 4)


def _months(wb: Workbook, tally: Tally, title: str) -> None:
    headers = ("月份", "合计", *CHANNELS)
    ws = _sheet(wb, "月度趋势", title, _period_line(tally), headers, (12, 10, *([10] * len(CHANNELS))),
                landscape=True)
    for index, (month, count) in enumerate(tally.by_month):
        year, mon = month.split("-")
        label = f"{int(mon)}月" if tally.date_from.year == tally.date_to.year else f"{year}年{int(mon)}月"
        _row(ws, (label, count, *(tally.by_month_channel.get(c, ())[index] for c in CHANNELS)))
    _row(ws, ("合计", tally.this.total, *(tally.this.by_channel.get(c, 0) for c in CHANNELS)), bold=True)


def write_tally(path: Path, tally: Tally, *, office_name: str, summary: str) -> Path:
    """Write the five-sheet workbook at `path` (replaced only when complete); returns the path."""
    path = Path(path)
    title = tally_title(office_name, tally)
    wb = Workbook()
    wb.remove(wb.active)
    _overview(wb, tally, title, summary)
    _categories(wb, tally, title)
    _units(wb, tally, title)
    _places(wb, tally, title)
    _months(wb, tally, title)
    save_workbook(wb, path)
    return path
