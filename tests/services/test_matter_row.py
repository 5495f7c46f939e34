"""matter_row: a matter's place in the list under a filter, as list_matters orders it."""

from __future__ import annotations

from datetime import date

from xinfang_desktop.db.database import Database
from xinfang_desktop.domain.enums import Channel, Status
from xinfang_desktop.domain.values import MatterFilter
from xinfang_desktop.services.demo import generate
from xinfang_desktop.services.search import list_matters, matter_row


def test_the_row_is_the_place_in_list_order_or_none_outside_the_filter(db: Database) -> None:
    with db.begin() as s:
        generate(s, cases=300, seed=5, end=date(2026, 11, 30))  # its 2025 letters whatever the day
    filters = (MatterFilter(), MatterFilter(status=Status.CLOSED), MatterFilter(channel=Channel.VISIT),
               MatterFilter(text="反映"), MatterFilter(year=2025, channel=Channel.LETTER))
    with db.read() as s:
        every = [m.id for m in list_matters(s, limit=1000)]
        for flt in filters:
            listed = [m.id for m in list_matters(s, flt, limit=1000)]
            assert listed and len(listed) < len(every) or flt == MatterFilter()
            # every listed matter is found at its place; every other one is not in the list
            assert [matter_row(s, flt, matter_id=i) for i in listed] == list(range(len(listed)))
            outside = [i for i in every if i not in set(listed)][:20]
            assert all(matter_row(s, flt, matter_id=i) is None for i in outside)
        assert matter_row(s, matter_id=10**9) is None
