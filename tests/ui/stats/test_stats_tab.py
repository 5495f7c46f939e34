"""The 统计 tab: counts off the UI thread, shows the same figures as the service, copies, exports, looks right."""

from __future__ import annotations

import sys
import types
from datetime import date
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from PySide6.QtCharts import QBarCategoryAxis, QChart, QChartView, QValueAxis
from PySide6.QtCore import QRectF
from PySide6.QtGui import QGuiApplication, QImage
from PySide6.QtWidgets import QApplication, QFileDialog, QGraphicsTextItem, QMessageBox
from pytestqt.qtbot import QtBot

from tests.helpers.qt import WAIT_MS
from xinfang_desktop.db.database import Database
from xinfang_desktop.domain.enums import Channel
from xinfang_desktop.domain.tally_text import summary_text
from xinfang_desktop.domain.values import MatterInput, PetitionerInput
from xinfang_desktop.services import registry
from xinfang_desktop.services.statistics import tally_year
from xinfang_desktop.ui.actions import ActionRunner
from xinfang_desktop.ui.fonts import apply_ui_font
from xinfang_desktop.ui.stats.stats_tab import COLUMNS, StatsTab


@pytest.fixture(autouse=True)
def _fonts(qapp: QApplication) -> None:
    apply_ui_font(qapp)


def _register(db: Database, day: date, channel: Channel = Channel.LETTER, persons: int = 1) -> None:
    with db.begin() as s:
        registry.register_matter(s, MatterInput(received_on=day, channel=channel, title="反映问题", persons=persons,
                                                petitioners=(PetitionerInput(name="张敏"),)))


def _shown(qtbot: QtBot, db: Database, size: tuple[int, int] = (1366, 860)) -> StatsTab:
    tab = StatsTab(ActionRunner(db))
    qtbot.addWidget(tab)
    tab.resize(*size)
    tab.show()
    qtbot.waitUntil(lambda: tab.current is not None and not tab.is_busy(), timeout=WAIT_MS)
    return tab


def _row(tab: StatsTab, label: str) -> list[str]:
    for r in range(tab.table.rowCount()):
        if tab.table.item(r, 0).text().strip("　") == label:
            return [tab.table.item(r, c).text() for c in range(len(COLUMNS))]
    raise AssertionError(f"no row {label}")


@pytest.fixture
def small(db: Database) -> Database:
    for day in (date(2025, 1, 5), date(2025, 1, 9), date(2025, 4, 1)):
        _register(db, day)
    _register(db, date(2025, 6, 6), Channel.VISIT, 7)
    _register(db, date(2024, 2, 2))
    return db


def test_figures_table_and_summary_match_the_service(qtbot: QtBot, small: Database) -> None:
    tab = _shown(qtbot, small)
    assert tab.year_box.currentText() == "2025年"
    assert [tab.year_box.itemText(i) for i in range(tab.year_box.count())] == ["2025年", "2024年", "自定义期间"]
    assert _row(tab, "总量（件次）")[1:4] == ["4", "1", "上升300.0%"]
    assert _row(tab, "来信（件）")[1:5] == ["3", "1", "上升200.0%", "75.0%"]
    assert _row(tab, "来访（人次）")[1:4] == ["7", "0", "—"]
    assert _row(tab, "集体访（批）")[1] == "1"
    with small.read() as s:
        expected = summary_text(tally_year(s, year=2025))
    assert tab.summary_box.toPlainText() == expected
    last_bars, month_bars = tab.month_chart.series()[0].barSets()
    assert month_bars.label() == "2025年" and last_bars.label() == "2024年"
    assert [month_bars.at(i) for i in range(12)] == [2, 0, 0, 1, 0, 1, 0, 0, 0, 0, 0, 0]
    assert [last_bars.at(i) for i in range(12)] == [0, 1] + [0] * 10


def test_a_range_and_a_refresh_after_a_write(qtbot: QtBot, small: Database) -> None:
    tab = _shown(qtbot, small)
    tab.choose_range(date(2025, 1, 1), date(2025, 3, 31))
    qtbot.waitUntil(lambda: not tab.is_busy() and tab.current is not None
                    and tab.current.date_to == date(2025, 3, 31), timeout=WAIT_MS)
    assert _row(tab, "总量（件次）")[1] == "2"
    assert tab.summary_box.toPlainText().startswith("2025年1月1日至2025年3月31日共受理群众来信来访2件次")
    assert tab.date_from.isEnabled()
    _register(small, date(2025, 2, 14))
    tab.refresh()  # what the main window does on data_changed
    qtbot.waitUntil(lambda: not tab.is_busy() and _row(tab, "总量（件次）")[1] == "3", timeout=WAIT_MS)


def test_a_hidden_tab_does_not_count_until_shown(qtbot: QtBot, small: Database) -> None:
    tab = StatsTab(ActionRunner(small))
    qtbot.addWidget(tab)
    tab.refresh()
    assert tab.current is None and not tab.is_busy()
    tab.show()
    qtbot.waitUntil(lambda: tab.current is not None, timeout=WAIT_MS)


def test_copy_and_export_tally(qtbot: QtBot, small: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    tab = _shown(qtbot, small)
    tab.copy_button.click()
    assert QGuiApplication.clipboard().text() == tab.summary
    target = tmp_path / "统计表"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    tab.tally_button.click()
    book = openpyxl.load_workbook(tmp_path / "统计表.xlsx")
    assert book.sheetnames == ["总体情况", "问题分类", "承办单位", "属地分布", "月度趋势"]
    assert book["总体情况"]["B4"].value == 4


def test_export_tally_to_a_bad_place_says_so(qtbot: QtBot, small: Database, tmp_path: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    tab = _shown(qtbot, small)
    warnings: list[str] = []
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        lambda *a, **k: (str(tmp_path / "no-such-dir" / "x.xlsx"), ""))
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, _t, text, *a: warnings.append(text))
    tab.tally_button.click()
    assert warnings and "x.xlsx" in warnings[0]


def test_export_ledger_hands_the_period_to_the_ledger_dialog(qtbot: QtBot, small: Database,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[Any] = []
    fake = types.ModuleType("xinfang_desktop.ui.ledger.ledger_dialogs")
    fake.open_export_dialog = lambda parent, db, flt=None: calls.append((parent, db, flt))  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "xinfang_desktop.ui.ledger.ledger_dialogs", fake)
    tab = _shown(qtbot, small)
    tab.ledger_button.click()
    assert len(calls) == 1
    parent, db, flt = calls[0]
    assert parent is tab and db is small
    assert (flt.date_from, flt.date_to, flt.include_voided) == (date(2025, 1, 1), date(2025, 12, 31), False)


def test_screenshot_over_a_demo_database(qtbot: QtBot, tmp_path: Path) -> None:
    from xinfang_desktop.services.demo import generate

    demo = Database(tmp_path / "demo.sqlite3")
    with demo.begin() as s:
        generate(s, cases=1500, seed=7, end=date(2025, 12, 31), years=2)
    tab = _shown(qtbot, demo)
    assert tab.year_box.currentData() == 2025
    shot = tmp_path / "stats_tab.png"
    assert tab.grab().save(str(shot))
    image = QImage(str(shot))
    assert (image.width(), image.height()) == (1366, 860)
    # the charts drew bars in the 公文 red: the screenshot is not an empty frame
    reds = sum(1 for x in range(0, image.width(), 4) for y in range(0, image.height(), 4)
               if image.pixelColor(x, y).name() == "#c0392b")
    assert reds > 500
    assert tab.category_chart.axes()[0].categories()[-1] != ""
    demo.close()


def test_a_failed_count_is_said_in_the_tab(qtbot: QtBot, small: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    import xinfang_desktop.ui.stats.stats_tab as module
    from xinfang_desktop.domain.errors import StorageError

    tab = _shown(qtbot, small)

    def broken(*_a: object, **_k: object) -> None:
        raise StorageError("数据库文件无法读取，请检查")

    monkeypatch.setattr(module, "tally", broken)
    tab.refresh()
    qtbot.waitUntil(lambda: not tab.is_busy(), timeout=WAIT_MS)
    assert tab.status_label.text() == "统计未完成：数据库文件无法读取，请检查"
    assert tab.count_button.isEnabled()


def test_export_ledger_opens_the_real_dialog_on_the_chosen_year(qtbot: QtBot, small: Database,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    from xinfang_desktop.ui.ledger import ledger_dialogs

    seen: list[str] = []

    def fake_exec(dialog: Any) -> int:
        seen.append(dialog.scope.itemText(0))
        return 0

    monkeypatch.setattr(ledger_dialogs.ExportDialog, "exec", fake_exec)
    tab = _shown(qtbot, small)
    tab.ledger_button.click()
    assert seen == ["2025年"]


def test_the_running_year_counts_to_today_against_the_same_days_last_year(
    qtbot: QtBot, db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    from xinfang_desktop.ui.stats import stats_tab as stats_module

    monkeypatch.setattr(stats_module, "today", lambda: date(2025, 6, 30))
    for day in (date(2025, 3, 1), date(2024, 3, 1), date(2024, 11, 1)):  # the last one is after 30 June
        _register(db, day)
    tab = _shown(qtbot, db)
    tab.choose_year(2025)
    qtbot.waitUntil(lambda: tab.current is not None and not tab.is_busy() and tab.current.date_from.year == 2025,
                    timeout=10000)
    assert tab.period() == (date(2025, 1, 1), date(2025, 6, 30))
    assert (tab.current.last_from, tab.current.last_to) == (date(2024, 1, 1), date(2024, 6, 30))
    assert (tab.current.this.total, tab.current.last.total) == (1, 1)  # not 1 against 2: 同比 is 0.0%, not −50%
    tab.choose_year(2024)
    qtbot.waitUntil(lambda: not tab.is_busy() and tab.current.date_from.year == 2024, timeout=WAIT_MS)
    assert tab.period() == (date(2024, 1, 1), date(2024, 12, 31))  # a finished year is the whole year


def _drawn(view: QChartView) -> dict[str, QRectF]:
    """The text Qt draws in a chart: its visible text items (Qt hides an axis label that would overlap)."""
    return {item.toPlainText(): item.sceneBoundingRect() for item in view.scene().items()
            if isinstance(item, QGraphicsTextItem) and item.isVisible() and item.toPlainText()}


def _axis(chart: QChart, kind: type) -> Any:
    return next(a for a in chart.axes() if isinstance(a, kind))


@pytest.fixture(scope="module")
def demo_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from xinfang_desktop.services.demo import generate

    path = tmp_path_factory.mktemp("demo") / "demo.sqlite3"
    demo = Database(path)
    with demo.begin() as s:
        generate(s, cases=400, seed=7, end=date(2026, 9, 30))
    demo.close()
    return path


def _in_the_demo_range(qtbot: QtBot, tab: StatsTab) -> StatsTab:
    """The demo's nine months, whatever day the test runs (the running year counts to today)."""
    tab.choose_range(date(2026, 1, 1), date(2026, 9, 30))
    qtbot.waitUntil(lambda: not tab.is_busy() and tab.current is not None
                    and tab.current.date_to == date(2026, 9, 30), timeout=WAIT_MS)
    return tab


# 1280 wide: the main window at 1366×728; 470 high: what the tab has left there under the morning banner
@pytest.mark.parametrize("size", [(1270, 470), (1270, 620)])
def test_every_unit_and_category_name_is_drawn_apart(qtbot: QtBot, demo_path: Path, size: tuple[int, int]) -> None:
    demo = Database(demo_path)
    tab = _in_the_demo_range(qtbot, _shown(qtbot, demo, size))
    qtbot.wait(50)  # the charts' minimum heights settle after their first layout
    for chart, view in ((tab.unit_chart, tab.unit_view), (tab.category_chart, tab.category_view)):
        names = _axis(chart, QBarCategoryAxis).categories()
        assert len(names) >= 6
        drawn = _drawn(view)
        assert set(names) <= set(drawn), f"{chart.title()}: not drawn {set(names) - set(drawn)}"
        rects = sorted((drawn[n] for n in names), key=lambda r: r.top())
        assert all(upper.bottom() <= lower.top() for upper, lower in zip(rects, rects[1:])), chart.title()
        assert all(view.sceneRect().contains(r) for r in rects)
    demo.close()


def test_the_month_chart_numbers_are_drawn_on_a_new_database(qtbot: QtBot, real_db: Database) -> None:
    tab = _shown(qtbot, real_db, (1270, 620))
    qtbot.wait(50)
    axis = _axis(tab.month_chart, QValueAxis)
    assert (axis.min(), axis.max(), axis.tickCount()) == (0, 4, 5)
    drawn = _drawn(tab.month_view)
    assert {"0", "1", "2", "3", "4"} <= set(drawn)
    assert not [t for t in drawn if "…" in t or "..." in t]


def test_the_count_line_fits_beside_the_buttons(qtbot: QtBot, demo_path: Path) -> None:
    demo = Database(demo_path)
    tab = _in_the_demo_range(qtbot, _shown(qtbot, demo, (1270, 620)))
    label = tab.status_label
    assert label.fontMetrics().horizontalAdvance(label.text()) <= label.width()
    assert label.text().startswith(f"共{tab.current.this.total}件次，去年同期{tab.current.last.total}件次")
    assert "对比" not in label.text() and "2025年1月1日" in label.toolTip()
    demo.close()


@pytest.mark.parametrize("top, steps", [(0, (4, 1)), (3, (4, 1)), (7, (4, 2)), (17, (4, 5)), (19, (3, 10)),
                                         (40, (3, 20)), (140, (4, 50))])
def test_value_axis_steps_are_one_two_or_five(top: int, steps: tuple[int, int]) -> None:
    from xinfang_desktop.ui.stats.charts import value_steps

    assert value_steps(top) == steps
