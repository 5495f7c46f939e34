"""Every action's record of what it wrote, collected from the session's flushes, as the action runner hands it on."""

from __future__ import annotations

from datetime import date

from xinfang_desktop.db.database import Database
from xinfang_desktop.domain.enums import Channel, Decision, UnitKind
from xinfang_desktop.domain.values import MatterInput, PetitionerInput, TransferTarget
from xinfang_desktop.services import handling, registry
from xinfang_desktop.services.changes import changes_of
from xinfang_desktop.services.common import set_setting
from xinfang_desktop.services.reference import add_unit


def _register(db: Database) -> int:
    with db.begin() as s:
        return registry.register_matter(s, MatterInput(received_on=date(2026, 3, 2), channel=Channel.LETTER,
                                                       title="反映噪音", petitioners=(PetitionerInput("王五"),)),
                                        now=date(2026, 3, 10)).id


def test_each_action_names_the_rows_it_wrote(db: Database) -> None:
    matter_id = _register(db)
    with db.begin() as s:
        unit = add_unit(s, name="测试单位", kind=UnitKind.OTHER)
        s.flush()
        made = changes_of(s)
    assert made.units == {unit.id} and not made.matters and made.touches("units")
    with db.begin() as s:
        registry.decide(s, matter_id=matter_id, decision=Decision.ASSIGN, on=date(2026, 3, 3),
                        targets=(TransferTarget(unit.id),))
        s.flush()
        decided = changes_of(s)
    assert matter_id in decided.matters and len(decided.transfers) == 1 and not decided.units
    (transfer_id,) = decided.transfers
    with db.begin() as s:
        handling.remind(s, transfer_id=transfer_id, on=date(2026, 3, 20))
        s.flush()
        reminded = changes_of(s)
    assert reminded.transfers == {transfer_id} and matter_id in reminded.matters
    with db.begin() as s:
        set_setting(s, "office_name", "河口镇人民政府")
        s.flush()
        named = changes_of(s)
    assert named.settings == {"office_name"} and not named.touches("matters", "transfers")
