"""撤销作废, 撤销受理决定 and 更正办理结果 through the services: what the tally, the list and the 督办 board show follows the correction."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import select

from tests.helpers.builders import assigned, refused, register, snapshot
from xinfang_desktop.db.database import Database
from xinfang_desktop.db.models import Event, Transfer
from xinfang_desktop.domain.enums import Decision, EventKind, Satisfaction, Status, TransferState
from xinfang_desktop.domain.errors import InvalidTransitionError, ValidationError
from xinfang_desktop.domain.values import MatterFilter
from xinfang_desktop.services import handling
from xinfang_desktop.services.convert import get_matter
from xinfang_desktop.services.registry import decide, restore, revoke_decision, state_before_void, void
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


# 更正办理结果 ---------------------------------------------------------------------------------------
def _closed(db: Database, *, on: date, title: str) -> int:
    matter_id = register(db, title=title)
    with db.begin() as s:
        decide(s, matter_id=matter_id, decision=Decision.ACCEPT, on=date(2026, 3, 5))
        handling.reply(s, matter_id=matter_id, on=on, text="经核实，已予解决")
        handling.close(s, matter_id=matter_id, on=on, result="已解决")
        handling.follow_up(s, matter_id=matter_id, on=on, satisfaction=Satisfaction.UNSATISFIED)
    return matter_id


def _closures(db: Database) -> tuple[int, int, int]:
    """(按期办结, 逾期办结, 满意) of the year, by the tally."""
    with db.read() as s:
        this = tally(s, date_from=date(2026, 1, 1), date_to=date(2026, 12, 31), as_of=date(2026, 11, 30)).this
    return this.closed_on_time, this.overdue_closed, this.satisfied


def test_a_closing_date_and_a_satisfaction_typed_wrong_are_corrected_and_the_tally_follows(db: Database) -> None:
    late = _closed(db, on=date(2026, 6, 20), title="反映拖欠工资")
    _closed(db, on=date(2026, 4, 1), title="反映道路积水")
    with db.read() as s:
        due = get_matter(s, late).due_on
    assert due is not None and date(2026, 4, 20) <= due < date(2026, 6, 20)  # the typo made it late
    assert _closures(db) == (1, 1, 0)  # what this test recorded: one closed in time, one late, both 不满意
    refused(db, late, lambda s: handling.amend(s, matter_id=late, changes={"closed_on": date(2026, 4, 20)}, reason=""),
            ValidationError, "更正原因")
    refused(db, late, lambda s: handling.amend(s, matter_id=late, changes={}, reason="x"), ValidationError,
            "没有更正任何一项")
    with db.begin() as s:
        handling.amend(s, matter_id=late, changes={"closed_on": date(2026, 4, 20), "satisfaction": Satisfaction.SATISFIED},
                       reason="办结日期录入笔误")
    assert _closures(db) == (2, 0, 1)
    with db.read() as s:
        m = get_matter(s, late)
    assert (m.closed_on, m.satisfaction, m.status) == (date(2026, 4, 20), Satisfaction.SATISFIED, Status.CLOSED)
    assert m.events[-1].text == ("更正办理结果：办结日期：2026年6月20日 → 2026年4月20日；满意度：不满意 → 满意"
                                 "（原因：办结日期录入笔误）")


# 撤销受理决定 -------------------------------------------------------------------------------------
def test_a_rejection_by_mistake_is_taken_back_and_the_matter_is_decided_again(db: Database) -> None:
    kept = register(db, title="咨询低保政策")
    rejected = register(db)
    with db.begin() as s:
        decide(s, matter_id=rejected, decision=Decision.REJECT, on=date(2026, 3, 4), reason="不属于本机关职权范围",
               competent_body="县人民法院")

    def required() -> int:
        with db.read() as s:
            return tally(s, date_from=date(2026, 3, 1), date_to=date(2026, 3, 31), as_of=AS_OF).this.required

    assert required() == 1  # what this test registered: two, one of them 不予受理 (needs no handling)
    refused(db, kept, lambda s: revoke_decision(s, matter_id=kept, reason="x"), InvalidTransitionError, "不能撤销受理决定")
    with db.begin() as s:
        revoke_decision(s, matter_id=rejected, reason="误选不予受理")
    with db.read() as s:
        m = get_matter(s, rejected)
    assert (m.status, m.decision, m.decided_on) == (Status.PENDING, None, None)
    assert m.events[-1].text == "撤销受理决定“不予受理”：误选不予受理"
    assert required() == 2
    with db.begin() as s:
        decide(s, matter_id=rejected, decision=Decision.ACCEPT, on=date(2026, 3, 6))
    assert required() == 2


def test_a_voided_review_request_stays_voided_once_another_was_registered_on_the_same_reply(db: Database) -> None:
    """review7: 撤销作废 of a 复查 brought back a second live 复查 of one decision, counted twice in the tally."""
    original = register(db)
    with db.begin() as s:
        decide(s, matter_id=original, decision=Decision.ACCEPT, on=date(2026, 3, 4))
        handling.reply(s, matter_id=original, on=date(2026, 3, 10), text="经核实，不予支持")
        first = handling.request_review(s, matter_id=original, on=date(2026, 3, 15), reason="不服").id
        void(s, matter_id=first, reason="登记错误")
        second = handling.request_review(s, matter_id=original, on=date(2026, 3, 16), reason="不服").id
    with db.read() as s:
        second_number = get_matter(s, second).number
    refused(db, first, lambda s: restore(s, matter_id=first, reason="误作废"), InvalidTransitionError, second_number)
    with db.read() as s:
        assert tally(s, date_from=date(2026, 3, 1), date_to=date(2026, 3, 31), as_of=AS_OF).this.reviews == 1
    # and a 答复日期 a 复查 was asked of is no longer corrected
    refused(db, original, lambda s: handling.amend(s, matter_id=original, changes={"replied_on": date(2026, 3, 9)},
                                                   reason="笔误"), ValidationError, second_number, "答复日期")
