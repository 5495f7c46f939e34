"""The use cases behind the 督办 board's multi-row actions and the settings dialogs: one action, all or nothing."""

from __future__ import annotations

from datetime import date

import pytest

from tests.helpers.builders import assigned, unit_id
from tests.helpers.database import second_program
from xinfang_desktop.db.database import Database
from xinfang_desktop.domain.enums import TransferRole, UnitKind
from xinfang_desktop.domain.errors import ChangedMeanwhileError, ValidationError
from xinfang_desktop.domain.values import SupervisionRow, TransferTarget
from xinfang_desktop.services import registry
from xinfang_desktop.services.common import set_settings
from xinfang_desktop.services.convert import get_matter, matter_version
from xinfang_desktop.services.reference import add_unit, units_with_history, update_unit
from xinfang_desktop.services.settings import get_setting, periods
from xinfang_desktop.services.supervision import board, remind_transfers, set_key_supervision_all

D = date.fromisoformat


def _reminders(db: Database, *matter_ids: int) -> list[int]:
    with db.read() as s:
        return [get_matter(s, m).transfers[0].reminders for m in matter_ids]


def _seen(db: Database, *matter_ids: int) -> dict[int, int]:
    with db.read() as s:
        return {m: matter_version(s, m) for m in matter_ids}


def test_reminding_several_transfers_is_all_or_nothing(db: Database) -> None:
    early = assigned(db, on=D("2026-03-05"))
    late = assigned(db, on=D("2026-03-20"))
    with db.read() as s:
        transfers = [get_matter(s, m).transfers[0].id for m in (early, late)]
    with pytest.raises(ValidationError) as caught, db.begin() as s:
        remind_transfers(s, transfer_ids=transfers, on=D("2026-03-10"), note="请尽快报结", versions=_seen(db, early, late))
    assert "交办日期" in caught.value.message
    assert _reminders(db, early, late) == [0, 0]  # the first was not kept either
    with db.begin() as s:
        assert remind_transfers(s, transfer_ids=transfers, on=D("2026-03-25"), note="", versions=_seen(db, early, late)) == 2
    assert _reminders(db, early, late) == [1, 1]


def test_key_supervision_for_several_matters_and_off_again(db: Database) -> None:
    matters = [assigned(db), assigned(db)]
    with db.begin() as s:
        assert set_key_supervision_all(s, matter_ids=matters, on=True, versions=_seen(db, *matters)) == 2
    with db.read() as s:
        assert [get_matter(s, m).key_supervision for m in matters] == [True, True]
    with db.begin() as s:
        set_key_supervision_all(s, matter_ids=matters[:1], on=False, versions=_seen(db, matters[0]))
    with db.read() as s:
        assert [get_matter(s, m).key_supervision for m in matters] == [False, True]


def another_clerk_instructs(db: Database, matter_id: int) -> None:
    """Another clerk, in another program, writes a 批示 on the matter: its version moves on."""
    other = second_program(db)
    try:
        with other.begin() as s:
            registry.instruct(s, matter_id=matter_id, leader="李书记", on=D("2026-03-20"), text="请抓紧办理")
    finally:
        other.close()


def _board(db: Database) -> list[SupervisionRow]:
    with db.read() as s:
        return board(s, on=D("2026-03-25"))


def test_the_boards_bulk_actions_are_refused_whole_when_another_clerk_changed_a_selected_matter(db: Database) -> None:
    """This clerk selects every row of the board; meanwhile another clerk, in another program, writes a 批示
    on one of the matters. 催办 and 重点督办 of the selection are each refused, naming that matter only, and
    nothing of either is written; refreshed, the same 催办 goes through, twice on the matter with two units."""
    first, changed, last = assigned(db), assigned(db), assigned(db)
    with db.begin() as s:  # a 协办 too: two rows (two transfers) of one matter in one action
        registry.transfer(s, matter_id=last, targets=(TransferTarget(unit_id(db, "县住房和城乡建设局"),
                                                                     TransferRole.ASSIST),), on=D("2026-03-06"))
    rows = _board(db)
    assert sorted(r.matter_id for r in rows) == sorted([first, changed, last, last])
    another_clerk_instructs(db, changed)
    with db.read() as s:
        number = get_matter(s, changed).number
        untouched = [get_matter(s, m).number for m in (first, last)]
    seen = {r.matter_id: r.version for r in rows if r.version is not None}
    assert len(seen) == 3
    with pytest.raises(ChangedMeanwhileError) as reminding, db.begin() as s:
        remind_transfers(s, transfer_ids=[r.transfer_id for r in rows if r.transfer_id is not None],
                         on=D("2026-03-25"), versions=seen)
    with pytest.raises(ChangedMeanwhileError) as marking, db.begin() as s:
        set_key_supervision_all(s, matter_ids=sorted(seen), on=True, versions=seen)
    for refused, what in ((reminding, "催办"), (marking, "重点督办")):
        message = refused.value.message
        assert f"所选的3件事项中，{number}（" in message and "已被修改，请刷新后再改" in message, message
        assert f"这次{what}一件也没有办理" in message
        assert not any(n in message for n in untouched)
    assert [(r.reminders, r.key_supervision) for r in _board(db)] == [(0, False)] * 4  # nothing half-written
    rows = _board(db)  # refreshed
    with db.begin() as s:
        assert remind_transfers(s, transfer_ids=[r.transfer_id for r in rows if r.transfer_id is not None],
                                on=D("2026-03-25"), versions={r.matter_id: r.version for r in rows if r.version}) == 4
    assert sorted(r.reminders for r in _board(db)) == [1, 1, 1, 1]


def test_the_batch_of_reminder_letters_is_refused_whole_when_another_clerk_changed_a_selected_matter(
    db: Database,
) -> None:
    """批量催办单 counts a 催办 on each transfer and numbers a letter for each: like the board's 催办, it
    is refused as a whole when a selected matter changed after the board was read, and nothing is issued."""
    from sqlalchemy import func, select

    from xinfang_desktop.db.models import Document
    from xinfang_desktop.services import documents
    from xinfang_desktop.services.common import set_setting

    with db.begin() as s:
        set_setting(s, "office_name", "青石县信访局")  # letters are issued only by a named office
    first, changed = assigned(db), assigned(db)
    rows = _board(db)
    seen = {r.matter_id: r.version for r in rows if r.version is not None}
    another_clerk_instructs(db, changed)
    transfers = [r.transfer_id for r in rows if r.transfer_id is not None]
    with pytest.raises(ChangedMeanwhileError) as refused, db.begin() as s:
        documents.reminder_batch(s, on=D("2026-03-25"), transfer_ids=transfers, versions=seen)
    with db.read() as s:
        number = get_matter(s, changed).number
        issued = s.scalar(select(func.count()).select_from(Document))
        untouched = get_matter(s, first).number
    assert f"{number}（" in refused.value.message and "这次批量催办一件也没有办理" in refused.value.message
    assert untouched not in refused.value.message
    assert issued == 0 and [r.reminders for r in _board(db)] == [0, 0]  # nothing half-written
    rows = _board(db)  # refreshed: it goes through
    with db.begin() as s:
        batch = documents.reminder_batch(s, on=D("2026-03-25"), transfer_ids=transfers,
                                         versions={r.matter_id: r.version for r in rows if r.version})
    assert len(batch.documents) == 2 and [r.reminders for r in _board(db)] == [1, 1]


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
