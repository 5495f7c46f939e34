"""Screenshots of the main window over a demo database, as evidence to look at (saved to screenshots/)."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from tests.helpers.qt import SHOTS, type_text
from xinfang_desktop.db.database import Database
from xinfang_desktop.domain.enums import Channel
from xinfang_desktop.services.convert import get_matter
from xinfang_desktop.services.demo import generate
from xinfang_desktop.services.search import list_matters
from xinfang_desktop.ui.fonts import apply_ui_font
from xinfang_desktop.ui.main_window import MainWindow
from xinfang_desktop.ui.startup import install_chinese_translations


@pytest.fixture
def window(qtbot: QtBot, db: Database) -> MainWindow:
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    apply_ui_font(app)  # the bundled fonts, as at start-up
    install_chinese_translations(app)
    with db.begin() as s:
        generate(s, cases=300, seed=11)
    win = MainWindow(db)
    qtbot.addWidget(win)
    win.resize(1366, 860)
    win.register_tab.matter_list.apply_filter()
    win.show()
    qtbot.waitExposed(win)
    win.after_first_paint()
    return win


def _save(widget, name: str) -> Path:  # type: ignore[no-untyped-def]
    SHOTS.mkdir(parents=True, exist_ok=True)
    QApplication.processEvents()
    path = SHOTS / name
    assert widget.grab().save(str(path))
    assert path.stat().st_size > 10_000  # a blank or failed grab is tiny
    return path


def test_screenshots(window: MainWindow, db: Database, qtbot: QtBot) -> None:
    _save(window, "1-empty-form.png")

    # a returning petitioner: take one who already has a matter in the demo data
    with db.read() as s:
        # a matter with exactly one named petitioner (an anonymous one lists "匿名" and nobody)
        earlier = next(m for m in list_matters(s, limit=300) if len(get_matter(s, m.id).petitioners) == 1)
        person = get_matter(s, earlier.id).petitioners[0]
    tab = window.register_tab
    ui = tab.ui
    ui.channel_combo.setCurrentIndex(ui.channel_combo.findData(Channel.VISIT))
    type_text(ui.name_edit, person.name)
    type_text(ui.id_edit, person.id_number)
    type_text(ui.phone_edit, person.phone)
    type_text(ui.address_edit, person.address)
    town, _, village = person.region.partition("/")
    ui.town_combo.setCurrentIndex(max(ui.town_combo.findData(town), 0))
    ui.village_combo.setCurrentIndex(max(ui.village_combo.findData(village), 0))
    ui.persons_spin.setValue(6)
    tab.set_other(tab.add_other_row(), name="赵大成", phone="13800002222", representative=True)
    type_text(ui.category_combo, "农村农业/土地承包")
    type_text(ui.title_edit, earlier.title)
    type_text(ui.content_edit, "信访人称其承包地被村组调整，未得到补偿，多次反映未果。")
    type_text(ui.demand_edit, "请求恢复承包地或给予补偿")
    tab.update_history()
    assert tab.history.table.rowCount() >= 1
    assert "可能重复" in tab.history.status_label.text()
    _save(window, "2-filled-form-with-history.png")

    _save(tab.matter_list, "3-list.png")
    # the matters still running, where the deadline colours show
    tab.matter_list.status_combo.setCurrentIndex(tab.matter_list.status_combo.findText("办理中"))
    _save(tab.matter_list, "3b-list-in-progress.png")

    with db.read() as s:
        rich = max((get_matter(s, m.id) for m in list_matters(s, limit=120)), key=lambda d: len(d.events))
    dialog = window.open_matter(rich.id)
    assert dialog is not None
    qtbot.addWidget(dialog)
    qtbot.waitExposed(dialog)
    _save(dialog, "4-opened-matter.png")
    dialog.tabs.setCurrentIndex(3)
    _save(dialog, "5-opened-matter-timeline.png")

    # an old 1024x768 office PC: the window still fits and the save buttons stay in sight
    window.resize(1024, 740)
    assert window.width() <= 1024
    assert tab.ui.save_button.visibleRegion().boundingRect().width() == tab.ui.save_button.width()
    _save(window, "6-small-screen.png")
