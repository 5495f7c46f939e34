"""The use cases behind the 督办 board's multi-row actions and the settings dialogs: one action, all or nothing."""

from __future__ import annotations

from datetime import date

import pytest

from tests.helpers.builders import assigned, unit_id
from xinfang_desktop.db.database import Database
from xinfang_desktop.domain.enums import UnitKind
from xinfang_desktop.domain.errors import ValidationError
from xinfang_desktop.services.common import get_setting, periods, set_settings
from xinfang_desktop.services.reference import add_unit, units_with_history, update_unit
from xinfang_desktop.services.search import get_matter
from xinfang_desktop.services.supervision import remind_transfers, set_key_supervision_all

D = date.fromisoformat


def _reminders(db: Database, *matter_ids: int) -> list[int]:
    with db.read() as s:
        return [get_matter(s, m).transfers[0].reminders for m in matter_ids]


def test_reminding_several_transfers_is_all_or_nothing(db: Database) -> None:
    early = assigned(db, on=D("2026-03-05"))
    late = assigned(db, on=D("2026-03-20"))
    with db.read() as s:
        transfers = [get_matter(s, m).transfers[0].id for m in (early, late)]
    with pytest.raises(ValidationError) as caught, db.begin() as s:
        remind_transfers(s, transfer_ids=transfers, on=D("2026-03-10"), note="请尽快报结")
    assert "交办日期" in caught.value.message
    assert _reminders(db, early, late) == [0, 0]  # the first was not kept either
    with db.begin() as s:
        assert remind_transfers(s, transfer_ids=transfers, on=D("2026-03-25"), note="") == 2
    assert _reminders(db, early, late) == [1, 1]


def test_key_supervision_for_several_matters_and_off_again(db: Database) -> None:
    matters = [assigned(db), assigned(db)]
    with db.begin() as s:
        assert set_key_supervision_all(s, matter_ids=matters, on=True) == 2
    with db.read() as s:
        assert [get_matter(s, m).key_supervision for m in matters] == [True, True]
    with db.begin() as s:
        set_key_supervision_all(s, matter_ids=matters[:1], on=False)
    with db.read() as s:
        assert [get_matter(s, m).key_supervision for m in matters] == [False, True]


def test_settings_of_one_dialog_are_saved_together_or_not_at_all(db: Database) -> None:
    with db.read() as s:
        office, before = get_setting(s, "office_name"), periods(s)
    with pytest.raises(ValidationError), db.begin() as s:
        set_settings(s, values={"office_name": "青石县信访局", "clerk_name": "  "})
    with db.read() as s:
        assert get_setting(s, "office_name") == office  # the good value was not kept without the bad one
    with db.begin() as s:
        saved = set_settings(s, values={"office_name": " 青石县信访局 ", "periods": {"due_soon_days": 7}})
    assert saved["office_name"] == " 青石县信访局 "
    with db.read() as s:
        assert get_setting(s, "office_name") == "青石县信访局"
        assert periods(s).due_soon_days == 7 and periods(s).handling_days == before.handling_days


def test_units_with_history_lists_inactive_units_and_which_were_ever_given_a_matter(db: Database) -> None:
    assigned(db)  # to 城关镇人民政府
    town = unit_id(db, "城关镇人民政府")
    with db.begin() as s:
        new = add_unit(s, name="县自然资源局测试科", kind=UnitKind.COUNTY_DEPT).id
        update_unit(s, unit_id=town, active=False)
    with db.read() as s:
        listed = {u.id: (u.active, had) for u, had in units_with_history(s)}
    assert listed[town] == (False, True)  # inactive, and never to be deleted
    assert listed[new] == (True, False)
    assert sum(had for _, had in listed.values()) == 1
