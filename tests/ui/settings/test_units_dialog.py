"""The 承办单位 dialog: add, rename, deactivate; no unit is ever deleted, a used one keeps its history."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.helpers.action_dialogs import Script, script  # noqa: F401 - the fixture
from xinfang_desktop import wallclock
from xinfang_desktop.db.database import Database
from xinfang_desktop.domain.enums import Channel, Decision, UnitKind
from xinfang_desktop.domain.values import MatterInput, PetitionerInput, TransferTarget
from xinfang_desktop.services.convert import get_matter
from xinfang_desktop.services.reference import list_units
from xinfang_desktop.services.registry import decide, register_matter
from xinfang_desktop.ui.actions import ActionRunner
from xinfang_desktop.ui.settings.units_dialog import UnitsDialog


@pytest.fixture
def dialog(qtbot, db: Database) -> UnitsDialog:  # type: ignore[no-untyped-def]
    widget = UnitsDialog(ActionRunner(db))
    qtbot.addWidget(widget)
    return widget


def test_add_a_unit_and_a_duplicate_name_is_refused(db: Database, dialog: UnitsDialog, script: Script) -> None:  # noqa: F811
    before = len(dialog.units)
    script.form(name="县信访局", kind=UnitKind.COUNTY_DEPT.value, contact="刘主任", phone="0571-1234567")
    dialog.add_button.click()
    assert len(dialog.units) == before + 1
    added = dialog.selected_unit()
    assert added is not None and added.name == "县信访局" and added.contact == "刘主任"
    script.form(name="县信访局", kind=UnitKind.OTHER.value)
    dialog.add_button.click()
    assert len(dialog.units) == before + 1
    assert "已有名为“县信访局”" in script.warnings[-1]
    script.done()


def test_rename_and_deactivate_a_used_unit_keeps_its_history(  # type: ignore[no-untyped-def]
    db: Database, dialog: UnitsDialog, script: Script  # noqa: F811
) -> None:
    today = wallclock.today()
    with db.begin() as s:
        unit = list_units(s)[0]
        matter_id = register_matter(s, MatterInput(received_on=today, channel=Channel.LETTER, title="反映问题",
                                                   petitioners=(PetitionerInput(name="赵六"),))).id
        decide(s, matter_id=matter_id, decision=Decision.ASSIGN, on=today,
               targets=(TransferTarget(unit.id, due_on=today + timedelta(days=30)),))
    dialog.refresh()
    dialog.select_unit(unit.id)
    row = dialog.units.index(dialog.selected_unit())
    assert dialog.table.item(row, UnitsDialog.COL_HISTORY).text() == "有"
    # no way to delete: only 修改 and 停用
    assert not any("删除" in b.text() for b in (dialog.add_button, dialog.edit_button, dialog.toggle_button))

    script.form(name="城关镇政府（新）")
    dialog.edit_button.click()
    dialog.toggle_button.click()
    with db.read() as s:
        stored = {u.id: u for u in list_units(s, include_inactive=True)}
        active_ids = {u.id for u in list_units(s)}
        transfer_unit = get_matter(s, matter_id).transfers[0].unit
    assert stored[unit.id].name == "城关镇政府（新）" and not stored[unit.id].active
    assert unit.id not in active_ids  # no longer offered for 交办
    assert transfer_unit == "城关镇政府（新）"  # the old transfer still shows its unit
    assert dialog.table.item(row, UnitsDialog.COL_ACTIVE).text() == "已停用"
    assert dialog.toggle_button.text().startswith("启用")
    dialog.toggle_button.click()
    with db.read() as s:
        assert unit.id in {u.id for u in list_units(s)}
    script.done()
