"""撤销作废 through the services: the matter counts again in the tally, the list and the 督办 board, as before its 作废."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import select

from tests.helpers.builders import assigned, refused, register, snapshot
from xinfang_desktop.db.database import Database
from xinfang_desktop.db.models import Event, Transfer
from xinfang_desktop.domain.enums import EventKind, Status, TransferState
from xinfang_desktop.domain.errors import InvalidTransitionError, ValidationError
from xinfang_desktop.domain.values import MatterFilter
from xinfang_desktop.services.convert import get_matter
from xinfang_desktop.services.registry import restore, state_before_void, void
from xinfang_desktop.services.search import count_matters
from xinfang_desktop.services.statistics import tally
from xinfang_desktop.services.supervision import board

AS_OF = date(2026, 3, 20)


def _figures(db: Database) -> tuple[int, int, list[int]]:
    """(the tally's 总量 of March, its 交办 to 城关镇, the matters on the 督办 board)."""
    with db.read() as s:
        result = tally(s, date_from=date(2026, 3, 1), date_to=date(2026, 3, 31), as_of=AS_OF)
        units = {u.unit: u.assigned for u in result.by_unit}
        return result.this.total, units.get("城关镇人民政府", 0), sorted({r.matter_id for r in board(s, on=AS_OF)})


def test_a_matter_voided_by_mistake_counts_again_once_restored(db: Database) -> None:
    kept = assigned(db)
    mistaken = assigned(db, title="反映河口镇修路占地补偿问题")
    pending = register(db, title="咨询低保政策")  # on the board too, by its 告知 deadline
    everyone = sorted([kept, mistaken, pending])
    assert _figures(db) == (3, 2, everyone)  # what this test registered: 3 matters, 2 交办
    with db.begin() as s:
        void(s, matter_id=mistaken, reason="以为是重复登记")
    assert _figures(db) == (2, 1, sorted([kept, pending]))
    refused(db, kept, lambda s: restore(s, matter_id=kept, reason="x"), InvalidTransitionError, "不能撤销作废")
    refused(db, mistaken, lambda s: restore(s, matter_id=mistaken, reason=" "), ValidationError, "撤销原因")
    with db.begin() as s:
        restore(s, matter_id=mistaken, reason="并非重复，作废有误")
    assert _figures(db) == (3, 2, everyone)
    with db.read() as s:
        m = get_matter(s, mistaken)
        states = s.scalars(select(Transfer.state).where(Transfer.matter_id == mistaken)).all()
        assert count_matters(s, MatterFilter()) == 3
    assert (m.status, m.void_reason) == (Status.IN_PROGRESS, "")
    assert states == [TransferState.WAITING]
    assert [e.kind for e in m.events[-2:]] == [EventKind.VOIDED, EventKind.RESTORED]
    assert m.events[-1].text == "撤销作废，恢复为“办理中”：并非重复，作废有误"
    assert m.events[-2].text == "作废（原状态：办理中）：以为是重复登记"


def test_a_void_written_before_its_state_was_kept_is_read_from_its_line(db: Database) -> None:
    matter_id = register(db)
    with db.begin() as s:
        void(s, matter_id=matter_id, reason="重复登记")
        assert state_before_void(s, matter_id) is Status.PENDING  # from the line's data
        # an older program wrote the state in the text only
        s.add(Event(matter_id=matter_id, at=datetime(2026, 3, 4, 9), actor="经办", kind=EventKind.VOIDED,
                    text="作废（原状态：不予受理）：登记错误", data=None))
        s.flush()
        assert state_before_void(s, matter_id) is Status.REJECTED
    before = snapshot(db, matter_id)
    with db.begin() as s:
        restore(s, matter_id=matter_id, reason="误作废")
    after = snapshot(db, matter_id)
    assert after[0].status is Status.REJECTED and after[1] == before[1] + 1
