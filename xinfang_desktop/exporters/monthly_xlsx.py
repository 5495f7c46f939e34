"""Write the 每月信访情况汇总分析 workbook: the figures with 环比 and 同比, hot issues, past due, 排查, the paragraph."""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment

from xinfang_desktop.domain.monthly import MonthlyReport, figure_table
from xinfang_desktop.domain.tally import show_percent
from xinfang_desktop.exporters.ledger_xlsx import (
    _BODY_FONT,
    _BORDER,
    _CENTER,
    _HEADER_FONT,
    _TITLE_FONT,
    _WRAP,
    clean_text,
    print_ready,
    save_workbook,
)

HEADERS = ("项目", "本月", "上月", "环比", "去年同月", "同比")
WIDTHS = (22, 10, 10, 14, 10, 14)


def write_monthly(path: Path, report: MonthlyReport, *, office: str, summary: str) -> None:
    wb = Workbook()
    ws = wb.active
    ws.title = "汇总分析"
    for column, width in zip("ABCDEF", WIDTHS, strict=True):
        ws.column_dimensions[column].width = width
    ws.merge_cells("A1:F1")
    ws["A1"] = clean_text(f"{office}{report.label}信访情况汇总分析")
    ws["A1"].font, ws["A1"].alignment = _TITLE_FONT, Alignment(horizontal="center", vertical="center")
    ws.row_dimensions[1].height = 30
    for c, header in enumerate(HEADERS, 1):
        cell = ws.cell(row=2, column=c, value=header)
        cell.font, cell.border, cell.alignment = _HEADER_FONT, _BORDER, _CENTER
    row = 3
    for values in figure_table(report):
        for c, value in enumerate(values, 1):
            cell = ws.cell(row=row, column=c, value=value)
            cell.font, cell.border, cell.alignment = _BODY_FONT, _BORDER, _WRAP if c == 1 else _CENTER
        row += 1

    def section(title: str, lines: list[str]) -> None:
        nonlocal row
        row += 1
        ws.cell(row=row, column=1, value=title).font = _HEADER_FONT
        for line in lines or ["无"]:
            row += 1
            ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=6)
            cell = ws.cell(row=row, column=1, value=clean_text(line))
            cell.font, cell.alignment = _BODY_FONT, _WRAP
        row += 1

    section("问题分类（一级）", [f"{c.name}：{c.count}件，占{show_percent(c.share)}" for c in report.categories if c.count])
    section("问题发生地", [f"{p.name}：{p.count}件" for p in report.places[:10] if p.count])
    section(f"超期未办结（截至{report.as_of_text}）", [f"{p.number}　{p.title}（{p.unit or '本机关'}，超期{p.days}天）"
                                                 for p in report.past_due])
    s = report.screening
    section("矛盾纠纷排查", [f"应报{s.villages}个，已报{s.reported}个（零报告{s.zero}个），矛盾纠纷{s.disputes}件，已化解"
                         f"{s.resolved}件，重大风险{s.major}件，超过化解期限{s.past_due}件",
                         "未上报：" + ("、".join(s.unreported) if s.unreported else "无")])
    section("基本情况", [summary])
    print_ready(ws, header_rows=2, landscape=False, margins=(0.6, 0.7))
    save_workbook(wb, Path(path), "汇总分析")
