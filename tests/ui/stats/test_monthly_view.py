"""The 统计 tab's 每月汇总分析 page: a month's figures against the test's own count, another month, a refresh
after a write, the workbook and the PDF written from the window, and a screenshot."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import openpyxl
import pytest
from PySide6.QtWidgets import QApplication, QFileDialog, QTableWidget
from pytestqt.qtbot import QtBot

from tests.helpers.pdf import pdf_text
from tests.helpers.qt import SHOTS
from tests.services.test_monthly import MATTERS, _count, month  # noqa: F401 - the fixture
from xinfang_desktop.db.database import Database
from xinfang_desktop.domain.enums import Channel
from xinfang_desktop.domain.monthly import summary_text
from xinfang_desktop.domain.tally import change, show_change
from xinfang_desktop.domain.values import MatterInput, PetitionerInput
from xinfang_desktop.services import monthly as monthly_service
from xinfang_desktop.services import registry
from xinfang_desktop.ui.actions import ActionRunner
from xinfang_desktop.ui.fonts import apply_ui_font
from xinfang_desktop.ui.stats import monthly_view
from xinfang_desktop.ui.stats.stats_tab import StatsTab

D = date.fromisoformat
JUNE, MAY, JUNE_LAST = (D("2026-06-01"), D("2026-06-30")), (D("2026-05-01"), D("2026-05-31")), (
    D("2025-06-01"), D("2025-06-30"))


@pytest.fixture(autouse=True)
def _fonts_and_day(qapp: QApplication, monkeypatch: pytest.MonkeyPatch) -> None:
    apply_ui_font(qapp)
    # the window is opened on 3 July 2026: June is the month just ended, 超期 judged at its last day
    for module in (monthly_service, monthly_view):
        monkeypatch.setattr(module, "today", lambda: D("2026-07-03"))


def _rows(table: QTableWidget) -> list[list[str]]:
    return [[table.item(r, c).text().strip("　") for c in range(table.columnCount())] for r in range(table.rowCount())]


def _figure(view: monthly_view.MonthlyView, label: str) -> list[str]:
    return next(row for row in _rows(view.figures) if row[0] == label)[1:]


def _shown(qtbot: QtBot, db: Database) -> tuple[StatsTab, monthly_view.MonthlyView]:
    tab = StatsTab(ActionRunner(db))
    qtbot.addWidget(tab)
    tab.resize(1366, 620)  # what the 统计 tab has of a 1366x728 screen under the menus, tabs and status bar
    tab.show()
    view = tab.monthly
    assert view.current is None  # not counted while its page is hidden
    tab.pages.setCurrentIndex(1)
    qtbot.waitUntil(lambda: view.current is not None and not view.is_busy(), timeout=20000)
    return tab, view


def test_the_month_in_the_window_is_the_tests_own_count(qtbot: QtBot, month: tuple[Database, list[int]]) -> None:  # noqa: F811
    db, _ids = month
    tab, view = _shown(qtbot, db)
    assert view.month() == "2026-06" and view.month_box.currentText() == "2026年6月"
    offered = [view.month_box.itemData(i) for i in range(view.month_box.count())]
    assert offered[0] == "2026-07" and offered[-1] == "2025-06"  # this month back to the first 登记日期
    total, previous, last_year = len(_count(JUNE)), len(_count(MAY)), len(_count(JUNE_LAST))
    assert _figure(view, "总量（件次）") == [str(total), str(previous), show_change(change(total, previous)),
                                          str(last_year), show_change(change(total, last_year))]
    assert _figure(view, "总量（件次）")[2] == "上升150.0%"
    visits = _count(JUNE, channel=Channel.VISIT)
    assert _figure(view, "来访（批次）")[0] == str(len(visits))
    assert _figure(view, "来访（人次）")[0] == str(sum(m[2] for m in visits))
    assert _figure(view, "领导包案（件）")[0] == "1" and _figure(view, "其中未落实")[0] == "1"
    firsts: dict[str, int] = {}
    for m in _count(JUNE):
        firsts[m[3].split("/")[0]] = firsts.get(m[3].split("/")[0], 0) + 1
    top = max(firsts, key=lambda k: firsts[k])
    assert _rows(view.categories)[0] == [top, str(firsts[top]), f"{100 * firsts[top] / total:.1f}%"]
    assert _rows(view.places)[0] == ["柳溪乡/柳溪村", "3"]
    repeat, skip = sum(m[5] for m in _count(JUNE)), sum(m[6] is not None for m in _count(JUNE))
    assert view.flags_label.text().startswith(f"重复信访{repeat}件，越级信访{skip}件")
    # past due on the day it is counted (3 July, the text's 截至): the matters still awaiting their decision 15
    # days after receipt, and the May matter due on 20 June; the longest first
    as_of = D("2026-07-03")
    late = sorted([(as_of - m[0] - timedelta(days=15)).days for i, m in enumerate(MATTERS)
                   if i not in (0, 5) and m[0] + timedelta(days=15) < as_of] + [(as_of - D("2026-06-20")).days],
                  reverse=True)
    assert "截至2026年7月3日" in view.past_due_box.title()
    assert [int(row[3]) for row in _rows(view.past_due)] == late
    assert f"共{len(late)}件" in view.past_due_box.title()
    assert "排查出矛盾纠纷3件，已化解1件，重大风险1件" in view.screening_text.toPlainText()
    with db.read() as s:
        expected = summary_text(monthly_service.monthly(s, month="2026-06", as_of=as_of))
    assert view.summary_box.toPlainText() == expected

    # every button in sight at the width of the screen
    for button in (view.copy_button, *view.export_buttons.values()):
        corner = button.mapTo(tab, button.rect().bottomRight())
        assert button.isVisible() and corner.x() <= tab.width() and corner.y() <= tab.height()
    SHOTS.mkdir(parents=True, exist_ok=True)
    assert tab.grab().save(str(SHOTS / "stats-monthly.png"))

    view.choose_month("2026-05")
    qtbot.waitUntil(lambda: not view.is_busy() and view.current is not None and view.current.report.month == 5,
                    timeout=20000)
    assert _figure(view, "总量（件次）")[:2] == [str(len(_count(MAY))), "0"]


def test_a_write_recounts_the_month_in_sight(qtbot: QtBot, month: tuple[Database, list[int]]) -> None:  # noqa: F811
    db, _ids = month
    tab, view = _shown(qtbot, db)
    before = int(_figure(view, "总量（件次）")[0])
    tab.runner.run(None, registry.register_matter, MatterInput(
        received_on=D("2026-06-20"), channel=Channel.LETTER, title="反映问题", petitioners=(PetitionerInput(name="周雪"),)))
    tab.refresh()  # what the main window does on data_changed
    qtbot.waitUntil(lambda: not view.is_busy() and _figure(view, "总量（件次）")[0] == str(before + 1), timeout=20000)
    assert _figure(view, "来信（件）")[0] == str(len(_count(JUNE, channel=Channel.LETTER)) + 1)


def test_the_workbook_and_the_pdf_written_from_the_window(qtbot: QtBot, month: tuple[Database, list[int]],  # noqa: F811
                                                          tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    db, _ids = month
    _tab, view = _shown(qtbot, db)
    asked: list[str] = []

    def save_as(_parent: object, _title: str, suggested: str, _filter: str) -> tuple[str, str]:
        asked.append(Path(suggested).name)
        return str(tmp_path / "六月分析"), ""

    monkeypatch.setattr(QFileDialog, "getSaveFileName", save_as)
    view.export_buttons["xlsx"].click()
    qtbot.waitUntil(lambda: "已保存" in view.status_label.text(), timeout=20000)
    assert asked == ["青石县城关镇人民政府2026年6月信访情况汇总分析.xlsx"]
    ws = openpyxl.load_workbook(tmp_path / "六月分析.xlsx").active
    assert ws["A1"].value == "青石县城关镇人民政府2026年6月信访情况汇总分析"
    assert [c.value for c in ws[3]] == ["总量（件次）", 5, 2, "上升150.0%", 4, "上升25.0%"]

    view.status_label.clear()
    view.export_buttons["pdf"].click()
    qtbot.waitUntil(lambda: "已保存" in view.status_label.text(), timeout=20000)
    pdf = (tmp_path / "六月分析.pdf").read_bytes()
    text = pdf_text(pdf, tmp_path)
    assert "2026年6月信访情况汇总分析" in text and "三、超期未办结事项" in text
    assert "2026年7月3日" in text  # dated the day it was written
    assert not list(tmp_path.glob(".*.part.*"))
