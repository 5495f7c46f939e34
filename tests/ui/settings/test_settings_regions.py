"""设置 → 乡镇和村: rename and 停用/启用 from the dialog; the register form stops offering a stopped one."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QApplication, QTreeWidgetItem
from pytestqt.qtbot import QtBot

from tests.helpers.qt import SHOTS, record_boxes
from xinfang_desktop.db.database import Database
from xinfang_desktop.domain.enums import Channel
from xinfang_desktop.domain.values import MatterInput, PetitionerInput
from xinfang_desktop.services.convert import get_matter
from xinfang_desktop.services.lists import region_tree
from xinfang_desktop.services.registry import register_matter
from xinfang_desktop.ui.actions import ActionRunner
from xinfang_desktop.ui.fonts import apply_ui_font
from xinfang_desktop.ui.register.register_tab import RegisterTab
from xinfang_desktop.ui.settings.settings_dialogs import ENTRY_NAME, RegionsDialog
from xinfang_desktop.wallclock import today


@pytest.fixture
def boxes(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    return record_boxes(monkeypatch)


@pytest.fixture
def runner(db: Database) -> ActionRunner:
    return ActionRunner(db)


def _answer(monkeypatch: pytest.MonkeyPatch, text: str) -> None:
    monkeypatch.setattr("PySide6.QtWidgets.QInputDialog.getText", lambda *a, **k: (text, True))


def _find(dialog: RegionsDialog, town: str, village: str | None = None) -> QTreeWidgetItem:
    for i in range(dialog.tree.topLevelItemCount()):
        top = dialog.tree.topLevelItem(i)
        if top.data(0, ENTRY_NAME) == town:
            if village is None:
                return top
            return next(top.child(j) for j in range(top.childCount()) if top.child(j).data(0, ENTRY_NAME) == village)
    raise AssertionError(town)


def _offered_places(tab: RegisterTab) -> list[str]:
    combo = tab.ui.place_combo
    return [combo.itemData(i) for i in range(combo.count())]


def test_rename_and_stop_a_village_then_the_register_form_offers_the_new_list(
    qtbot: QtBot, db: Database, runner: ActionRunner, boxes: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    apply_ui_font(app)
    with db.begin() as s:
        matter = register_matter(s, MatterInput(
            received_on=today(), channel=Channel.LETTER, title="反映道路损毁问题", content="村道损毁", demand="请求修复",
            place="青石镇/石桥村", petitioners=(PetitionerInput("李明", region="青石镇/石桥村"),)))
    tab = RegisterTab(runner)
    qtbot.addWidget(tab)
    assert "青石镇/石桥村" in _offered_places(tab)

    dialog = RegionsDialog(runner)
    qtbot.addWidget(dialog)
    dialog.tree.setCurrentItem(_find(dialog, "青石镇", "石桥村"))
    _answer(monkeypatch, "石桥社区")
    assert dialog.rename_selected()
    renamed = dialog.tree.currentItem()  # the renamed entry stays selected after the reload
    assert renamed is not None and renamed.text(0) == "石桥社区" and renamed.parent().text(0) == "青石镇"

    # a name already used under the same 乡镇 is refused with the field named; nothing changes
    _answer(monkeypatch, "龙井村")
    assert not dialog.rename_selected()
    assert boxes == ["乡镇“青石镇”下已有名为“龙井村”的村（社区），请换一个名称"]
    assert dialog.tree.currentItem().text(0) == "石桥社区"

    assert dialog.toggle_selected()
    assert dialog.tree.currentItem().text(0) == "石桥社区（停用）"
    dialog.tree.setCurrentItem(_find(dialog, "河口镇"))
    assert dialog.toggle_selected()  # a whole 乡镇 stopped
    assert _find(dialog, "河口镇").text(0) == "河口镇（停用）"
    assert _find(dialog, "河口镇", "沙洲村").text(0) == "沙洲村"  # its villages still listed here

    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.tree.setCurrentItem(_find(dialog, "青石镇", "石桥社区"))
    SHOTS.mkdir(parents=True, exist_ok=True)
    QApplication.processEvents()
    assert dialog.grab().save(str(SHOTS / "settings-regions-renamed-stopped.png"))

    tab.reload_lists()  # what the main window does after the dialog closes
    places = _offered_places(tab)
    assert "青石镇/石桥社区" not in places and "青石镇/石桥村" not in places
    assert "青石镇/龙井村" in places
    assert not any(p.startswith("河口镇") for p in places)
    assert tab.ui.town_combo.findData("河口镇") < 0
    with db.read() as s:
        assert "河口镇" not in region_tree(s)
        assert get_matter(s, matter.id).place == "青石镇/石桥村"  # registered text kept

    # 启用 again: offered again under its new name
    dialog.tree.setCurrentItem(_find(dialog, "青石镇", "石桥社区"))
    assert dialog.toggle_selected()
    tab.reload_lists()
    assert "青石镇/石桥社区" in _offered_places(tab)


def test_adding_a_village_under_a_stopped_town_is_refused(
    qtbot: QtBot, db: Database, runner: ActionRunner, boxes: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    dialog = RegionsDialog(runner)
    qtbot.addWidget(dialog)
    dialog.tree.setCurrentItem(_find(dialog, "柳溪乡"))
    assert dialog.toggle_selected()
    _answer(monkeypatch, "新村")
    assert not dialog.add_entry(dialog.tree.currentItem())
    assert boxes == ["乡镇“柳溪乡”已停用，请先启用该乡镇再添加村（社区）"]
