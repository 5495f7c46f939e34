"""The tally workbook read back with openpyxl: five sheets, print settings, computed values, text stays text."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import openpyxl
import pytest

from xinfang_desktop.domain.errors import StorageError
from xinfang_desktop.domain.tally import CategoryCount, Count, HeadCounts, Tally, UnitFigures, percent
from xinfang_desktop.domain.tally_text import summary_text
from xinfang_desktop.exporters.tally_xlsx import HEADER_ROW, SHEETS, write_tally

CHANNELS = {"来信": 256, "来访": 119, "来电": 60, "传真": 2, "网上信访": 60, "其他": 2}
LAST = {"来信": 237, "来访": 110, "来电": 50, "传真": 1, "网上信访": 50, "其他": 5}


def _tally() -> Tally:
    this = HeadCounts(total=499, by_channel=CHANNELS, visit_persons=814, consultations=124, required=480,
                      closed=470, closed_on_time=440, closed_days=9400.0, assigned_transfers=300,
                      transfers_with_feedback=290, evaluated=100, satisfied=80, basically_satisfied=10)
    last = HeadCounts(total=453, by_channel=LAST, visit_persons=700, required=450, closed=450)
    months = tuple((f"2025-{m:02d}", 40 + m) for m in range(1, 13))
    return Tally(
        date_from=date(2025, 1, 1), date_to=date(2025, 12, 31), as_of=date(2026, 1, 5), this=this, last=last,
        last_from=date(2024, 1, 1), last_to=date(2024, 12, 31),
        by_category=(CategoryCount("农村农业", "", 300, percent(300, 499)),
                     CategoryCount("=SUM(A1)", "", 199, percent(199, 499))),
        by_subcategory=(CategoryCount("农村农业", "土地承包", 200, percent(200, 499)),),
        by_township=(Count("城关镇", 499, 100.0),),
        by_place=(Count("城关镇/东街社区", 300, percent(300, 499)), Count("城关镇", 199, percent(199, 499))),
        by_month=months,
        by_month_channel={c: tuple(n if c == "来信" else 0 for _, n in months) for c in CHANNELS},
        by_unit=(UnitFigures("城关镇人民政府", 200, 190, 180, 12, 40.0, 50, 45, 90.0, 7600.0),
                 UnitFigures("县民政局", 100, 100, 90, 10, 30.0, 50, 40, 80.0, 3000.0)),
    )


@pytest.fixture
def workbook(tmp_path: Path) -> openpyxl.Workbook:
    tally = _tally()
    path = write_tally(tmp_path / "统计.xlsx", tally, office_name="青石县城关镇人民政府", summary=summary_text(tally))
    assert not list(tmp_path.glob(".*part*")), "no temporary file is left behind"
    return openpyxl.load_workbook(path)


def test_five_sheets_each_print_ready(workbook: openpyxl.Workbook) -> None:
    assert workbook.sheetnames == list(SHEETS) == ["总体情况", "问题分类", "承办单位", "属地分布", "月度趋势"]
    for ws in workbook.worksheets:
        assert ws.page_setup.paperSize == 9, ws.title  # A4
        assert ws.sheet_properties.pageSetUpPr.fitToPage, ws.title
        assert ws.page_setup.fitToWidth == 1 and ws.page_setup.fitToHeight == 0, ws.title
        assert ws.print_title_rows == f"$1:${HEADER_ROW}", ws.title
        assert "&P" in ws.oddFooter.center.text, ws.title
        assert ws.freeze_panes == f"A{HEADER_ROW + 1}"
        title = ws["A1"].value
        assert title == f"青石县城关镇人民政府2025年信访工作统计表（{ws.title}）"
        assert any(str(r).startswith("A1:") for r in ws.merged_cells.ranges)
        header = ws.cell(row=HEADER_ROW, column=1)
        assert header.border.left.style == "thin" and header.font.bold
        body = ws.cell(row=HEADER_ROW + 1, column=2)
        assert body.border.bottom.style == "thin"
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type != "f", f"{ws.title}!{cell.coordinate} is a formula"


def test_overview_figures_and_yoy(workbook: openpyxl.Workbook) -> None:
    ws = workbook["总体情况"]
    rows = {r[0]: r for r in ws.iter_rows(min_row=HEADER_ROW + 1, values_only=True) if r[0]}
    assert rows["总量（件次）"][1:4] == (499, 453, "上升10.2%")
    assert rows["来信（件）"][1:5] == (256, 237, "上升8.0%", "51.3%")
    assert rows["来访（人次）"][1:3] == (814, 700)
    assert rows["办结率"][1:4] == ("97.9%", "100.0%", "下降2.1个百分点")
    assert rows["平均办理天数"][1] == 20.0
    assert rows["其他形式（件）"][3] == "下降60.0%"
    paragraph = [r[0] for r in ws.iter_rows(values_only=True) if r[0] and str(r[0]).startswith("全年共受理")]
    assert paragraph and "上升8.0%" in paragraph[0]


def test_categories_units_places_months(workbook: openpyxl.Workbook) -> None:
    cats = list(workbook["问题分类"].iter_rows(min_row=HEADER_ROW + 1, values_only=True))
    assert cats[0] == ("农村农业", "小计", 300, "60.1%")
    assert cats[1] == (None, "土地承包", 200, "40.1%")
    assert cats[2][0] == "=SUM(A1)"  # written as text, not a formula
    assert ("合计", None, 499, "100.0%") in cats

    units = list(workbook["承办单位"].iter_rows(min_row=HEADER_ROW + 1, values_only=True))
    assert units[0] == ("城关镇人民政府", 200, 190, 180, 12, 40.0, 50, "90.0%", 0)
    # totals are exact: (7600 + 3000) / 290 days, (45 + 40) / 100 satisfied
    assert units[2] == ("合计", 300, 290, 270, 22, 36.6, 100, "85.0%", 0)

    places = list(workbook["属地分布"].iter_rows(min_row=HEADER_ROW + 1, values_only=True))
    assert places[0] == ("城关镇", "小计", 499, "100.0%")
    assert places[1] == (None, "东街社区", 300, "60.1%")

    months = list(workbook["月度趋势"].iter_rows(min_row=HEADER_ROW + 1, max_row=HEADER_ROW + 13, values_only=True))
    assert [m[0] for m in months[:12]] == [f"{k}月" for k in range(1, 13)]
    assert months[0][:3] == ("1月", 41, 41)
    assert months[12][0] == "合计" and months[12][1] == 499


def test_unwritable_target_is_a_clear_error_and_leaves_nothing(tmp_path: Path) -> None:
    target = tmp_path / "missing-folder" / "统计.xlsx"
    with pytest.raises(StorageError) as err:
        write_tally(target, _tally(), office_name="某镇", summary="")
    assert "统计.xlsx" in err.value.message
    assert not target.exists()
