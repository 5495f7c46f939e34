"""The first start of a real database: the page filled, skipped, or finished later from 设置; and 关于."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialog, QFileDialog
from pytestqt.qtbot import QtBot

from tests.helpers.qt import WAIT_MS, record_boxes, type_text
from xinfang_desktop.db.database import Database
from xinfang_desktop.domain.enums import UnitKind
from xinfang_desktop.services.lists import region_tree
from xinfang_desktop.services.office import needs_first_start, office_facts
from xinfang_desktop.services.reference import list_units
from xinfang_desktop.services.settings import get_setting
from xinfang_desktop.ui.about import AboutDialog
from xinfang_desktop.ui.main_window import MainWindow
from xinfang_desktop.ui.settings.first_start import FirstStartDialog


@pytest.fixture
def shown(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    return record_boxes(monkeypatch)


def _window(qtbot: QtBot, db: Database) -> MainWindow:
    window = MainWindow(db)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    window.after_first_paint()
    return window


def _pages(window: MainWindow) -> list[FirstStartDialog]:
    return [w for w in window.findChildren(FirstStartDialog) if w.isVisible()]


def _page(qtbot: QtBot, window: MainWindow) -> FirstStartDialog:
    qtbot.waitUntil(lambda: bool(_pages(window)), timeout=WAIT_MS)
    return _pages(window)[0]


def test_a_new_real_database_asks_and_the_filled_page_is_saved(
    qtbot: QtBot, real_db: Database, shown: list[str]
) -> None:
    window = _window(qtbot, real_db)
    assert "尚未填写机关名称" in window.windowTitle()
    page = _page(qtbot, window)
    type_text(page.name_edit, "青石县河口镇人民政府")
    page.kind_combo.setCurrentIndex(page.kind_combo.findData("乡镇人民政府"))
    page.prefix_edit.setText("河信")
    type_text(page.review_edit, "青石县人民政府")
    type_text(page.recheck_edit, "青山市人民政府")
    type_text(page.regions_edit, "河口镇/李家湾村\n河口镇\t沙洲村\n河口镇：河口村、新河村")
    type_text(page.units_edit, "河口镇派出所\t县直部门\n县民政局\n河口镇农业综合服务中心")
    page.save_button.click()
    assert shown == []
    assert not page.isVisible() and page.result() == QDialog.DialogCode.Accepted
    assert page.added is not None and (page.added.towns, page.added.villages, page.added.units) == (1, 4, 3)
    with real_db.read() as s:
        facts = office_facts(s)
        assert (facts.office_name, facts.office_kind, facts.number_prefix, facts.review_body, facts.recheck_body) == (
            "青石县河口镇人民政府", "乡镇人民政府", "河信", "青石县人民政府", "青山市人民政府")
        assert region_tree(s) == {"河口镇": ["李家湾村", "沙洲村", "河口村", "新河村"]}
        assert {u.name: u.kind for u in list_units(s)}["河口镇派出所"] is UnitKind.COUNTY_DEPT
        assert not needs_first_start(s)
    # the register form offers the new places at once, and the title names the office
    town = window.register_tab.ui.town_combo
    assert town.findData("河口镇") >= 0
    assert "青石县河口镇人民政府" in window.windowTitle()


def test_the_page_refuses_an_empty_office_name_and_stays_open(
    qtbot: QtBot, real_db: Database, shown: list[str]
) -> None:
    window = _window(qtbot, real_db)
    page = _page(qtbot, window)
    type_text(page.regions_edit, "河口镇/李家湾村")
    page.save_button.click()
    assert shown == ["“机关名称”不能为空，请填写"]
    assert page.isVisible()
    assert page.regions_edit.toPlainText() == "河口镇/李家湾村"
    assert page.focusWidget() is page.name_edit
    with real_db.read() as s:
        assert region_tree(s) == {} and needs_first_start(s)
    window.close()


def test_skipped_it_is_not_asked_again_and_finished_later_from_the_settings_menu(
    qtbot: QtBot, real_db: Database, shown: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    window = _window(qtbot, real_db)
    _page(qtbot, window).later_button.click()
    with real_db.read() as s:
        assert office_facts(s).first_start == "skipped" and not needs_first_start(s)
    window.close()

    again = _window(qtbot, real_db)  # the next start: no page
    qtbot.wait(50)
    assert not _pages(again)

    # later, from 设置 → 首次设置…, with the 乡镇和村 read from an Excel column (merged 乡镇 cells)
    workbook = tmp_path / "村.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    for row in (["序号", "乡镇", "村"], [1, "河口镇", "李家湾村"], [2, None, "沙洲村"], [3, "柳溪乡", "竹园村"]):
        ws.append(row)
    wb.save(workbook)
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(workbook), ""))
    again.menu_actions["首次设置…"].trigger()
    page = _page(qtbot, again)
    page.regions_button.click()
    assert page.regions_edit.toPlainText() == "河口镇\t李家湾村\n河口镇\t沙洲村\n柳溪乡\t竹园村"
    type_text(page.name_edit, "青石县河口镇人民政府")
    # Tab follows the page: each list's box, then its 从Excel读取…
    chain, widget = [], page.recheck_edit
    for _ in range(4):
        widget = widget.nextInFocusChain()
        while not widget.focusPolicy() & Qt.FocusPolicy.TabFocus:
            widget = widget.nextInFocusChain()
        chain.append(widget)
    assert chain == [page.regions_edit, page.regions_button, page.units_edit, page.units_button]
    page.save_button.click()
    assert shown == []
    # back to work: the 登记 tab, the cursor in 信访形式
    qtbot.waitUntil(lambda: again.register_tab.ui.channel_combo.hasFocus() or
                    QApplication.focusWidget() is again.register_tab.ui.channel_combo, timeout=5000)
    assert again.tabs.currentWidget() is again.register_tab
    with real_db.read() as s:
        assert region_tree(s) == {"河口镇": ["李家湾村", "沙洲村"], "柳溪乡": ["竹园村"]}
        assert get_setting(s, "office_name") == "青石县河口镇人民政府" and office_facts(s).first_start == "done"


def test_a_login_that_may_not_write_is_offered_neither_the_first_start_nor_a_restore(
    qtbot: QtBot, real_db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A leader's or viewer's server login is read_only (tests/test_roles.py): it could save neither the office's
    name nor a restored database, so the window offers neither; a clerk's login is offered both."""
    monkeypatch.setattr(real_db, "read_only", True)
    window = _window(qtbot, real_db)
    qtbot.wait(100)
    assert not _pages(window)
    restore = window.menu_actions["从备份恢复…"]
    assert not restore.isEnabled() and "只读或查阅账号不能恢复数据库" in restore.toolTip()
    window.close()
    monkeypatch.undo()  # the same database, as a clerk opens it: the office is still to be named
    window = _window(qtbot, real_db)
    assert _page(qtbot, window) is not None and window.menu_actions["从备份恢复…"].isEnabled()


def test_a_demo_database_is_not_asked(qtbot: QtBot, db: Database) -> None:
    window = _window(qtbot, db)
    qtbot.wait(50)
    assert not _pages(window)


def test_about_names_the_version_the_database_and_the_font_licences(qtbot: QtBot, db: Database) -> None:
    from importlib.metadata import version

    dialog = AboutDialog(db.path)
    qtbot.addWidget(dialog)
    dialog.show()
    said = dialog.info.text()
    assert f"版本 {version('xinfang-desktop')}" in said and str(db.path) in said and ("KB" in said or "MB" in said)
    assert dialog.fonts.count() == 5
    assert "Apache License" in dialog.licence.toPlainText()
    dialog.fonts.setCurrentRow(1)
    assert "ARPHIC PUBLIC LICENSE" in dialog.licence.toPlainText()


def test_about_wraps_the_font_names_instead_of_scrolling_sideways(qtbot: QtBot, db: Database) -> None:
    dialog = AboutDialog(db.path)
    qtbot.addWidget(dialog)
    dialog.resize(700, 500)  # the dialog at its narrowest on a 1280 screen leaves the list about 220 wide
    dialog.show()
    qtbot.waitExposed(dialog)
    fonts = dialog.fonts
    fonts.setFixedWidth(180)
    qtbot.wait(20)
    assert not fonts.horizontalScrollBar().isVisible()
    line = fonts.fontMetrics().height()
    for row in range(fonts.count()):
        item = fonts.item(row)
        rect = fonts.visualItemRect(item)
        assert rect.right() <= fonts.viewport().width(), item.text()
        # every character of the name in sight: as many lines as its width needs
        lines = -(-fonts.fontMetrics().horizontalAdvance(item.text()) // rect.width())
        assert rect.height() >= lines * line, item.text()
