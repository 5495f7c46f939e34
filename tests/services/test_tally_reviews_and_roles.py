"""A year with 复查, 复核, 协办 and voided matters: the tally against counts made here from what was registered."""

from __future__ import annotations

from datetime import date

from xinfang_desktop.db.database import Database
from xinfang_desktop.domain.enums import Channel, Decision, Satisfaction, TransferRole, UnitKind
from xinfang_desktop.domain.values import MatterInput, PetitionerInput, TransferTarget
from xinfang_desktop.services import handling, registry
from xinfang_desktop.services.reference import add_unit
from xinfang_desktop.services.search import get_matter
from xinfang_desktop.services.statistics import tally_year

AS_OF = date(2026, 12, 31)


def _visit(s, day: date, persons: int, title: str) -> int:  # type: ignore[no-untyped-def]
    return registry.register_matter(s, MatterInput(
        received_on=day, channel=Channel.VISIT, title=title, persons=persons,
        petitioners=(PetitionerInput("张三"),)), now=AS_OF).id


def test_reviews_and_assisting_units_are_counted_apart(db: Database) -> None:
    with db.begin() as s:
        lead = add_unit(s, name="城关镇人民政府（测）", kind=UnitKind.TOWNSHIP).id
        helper = add_unit(s, name="县人社局（测）", kind=UnitKind.COUNTY_DEPT).id
        # an 8-person visit, answered, then its 复查 and its 复核
        big = _visit(s, date(2026, 2, 2), 8, "集体反映拖欠工资")
        registry.decide(s, matter_id=big, decision=Decision.ACCEPT, on=date(2026, 2, 3))
        handling.reply(s, matter_id=big, on=date(2026, 2, 20), text="答复")
        handling.close(s, matter_id=big, on=date(2026, 2, 21))
        review = handling.request_review(s, matter_id=big, on=date(2026, 3, 1), reason="不服").id
        handling.reply(s, matter_id=review, on=date(2026, 3, 20), text="维持")
        handling.close(s, matter_id=review, on=date(2026, 3, 21))
        handling.request_review(s, matter_id=review, on=date(2026, 4, 1), reason="仍不服")
        # a matter handled by a 主办 and a 协办: only the 主办 is credited with 办结, 按期 and 满意
        pair = _visit(s, date(2026, 5, 5), 1, "反映土地问题")
        registry.decide(s, matter_id=pair, decision=Decision.ASSIGN, on=date(2026, 5, 6),
                        targets=(TransferTarget(lead), TransferTarget(helper, TransferRole.ASSIST)))
        for t in get_matter(s, pair).transfers:
            handling.record_feedback(s, transfer_id=t.id, received_on=date(2026, 5, 20), text="已办",
                                     result="配合核实" if t.role is TransferRole.ASSIST else "已解决")
        handling.close(s, matter_id=pair, on=date(2026, 5, 22))
        handling.follow_up(s, matter_id=pair, on=date(2026, 5, 25), satisfaction=Satisfaction.SATISFIED)
        # a voided 6-person visit counts nowhere
        gone = _visit(s, date(2026, 6, 6), 6, "登记错误")
        registry.void(s, matter_id=gone, reason="重复登记")
        closed_pair = get_matter(s, pair)
    assert closed_pair.result == "已解决"  # the matter's result is the 主办's

    for use_cache in (False, True, True):  # counted afresh, then stored, then read back
        with db.derive() as s:
            t = tally_year(s, year=2026, as_of=AS_OF, use_cache=use_cache)
        this = t.this
        # registered here: the 8-person visit and the pair; the 复查, 复核 and the voided one are not matters
        assert this.total == 2
        assert this.by_channel[Channel.VISIT.value] == 2 and this.visit_persons == 8 + 1
        assert (this.collective_batches, this.collective_persons) == (1, 8)
        assert (this.reviews, this.reviews_closed, this.rechecks, this.rechecks_closed) == (1, 1, 1, 0)
        assert this.closed == 2 and this.overdue_open == 0
        units = {u.unit: u for u in t.by_unit}
        assert (units["城关镇人民政府（测）"].assigned, units["城关镇人民政府（测）"].closed,
                units["城关镇人民政府（测）"].satisfied, units["城关镇人民政府（测）"].assisted) == (1, 1, 1, 0)
        assert (units["县人社局（测）"].assigned, units["县人社局（测）"].closed, units["县人社局（测）"].satisfied,
                units["县人社局（测）"].assisted) == (0, 0, 0, 1)
        assert sum(c.count for c in t.by_category) == 2 and sum(c.count for c in t.by_place) == 2
