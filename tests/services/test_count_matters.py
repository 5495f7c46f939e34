"""count_matters agrees with the rows the list would page through, with and without 作废."""

from __future__ import annotations

from sqlalchemy import func, select

from xinfang_desktop.db.database import Database
from xinfang_desktop.db.models import Matter
from xinfang_desktop.domain.enums import Status
from xinfang_desktop.domain.values import MatterFilter
from xinfang_desktop.services.demo import generate
from xinfang_desktop.services.registry import void
from xinfang_desktop.services.search import count_matters, list_matters


def test_count_all_and_without_voided(db: Database) -> None:
    with db.begin() as s:
        generate(s, cases=120, seed=5)
        first = s.scalar(select(Matter.id).order_by(Matter.id))
        void(s, matter_id=first, reason="重复登记")
    with db.read() as s:
        stored = s.scalar(select(func.count(Matter.id)))
        voided = s.scalar(select(func.count(Matter.id)).where(Matter.status == Status.VOIDED))
        assert count_matters(s) == stored == len(list_matters(s, limit=1000))
        assert voided >= 1
        assert count_matters(s, MatterFilter(include_voided=False)) == stored - voided
        assert count_matters(s, MatterFilter(include_voided=False)) == len(
            list_matters(s, MatterFilter(include_voided=False), limit=1000))


def test_the_list_without_voided_finds_each_row_by_offset_and_each_matter_by_row(db: Database) -> None:
    """The default list leaves the voided out: a far jump (matter_key_at) and finding a matter again
    (matter_row) skip them the same way the rows do, ties on one 登记日期 included."""
    from datetime import date, timedelta

    from xinfang_desktop.domain.enums import Channel
    from xinfang_desktop.domain.values import MatterInput, PetitionerInput
    from xinfang_desktop.services.registry import register_matter
    from xinfang_desktop.services.search import matter_key_at, matter_row

    start = date(2025, 3, 1)
    with db.begin() as s:
        ids = [register_matter(s, MatterInput(received_on=start + timedelta(days=i // 3), channel=Channel.LETTER,
                                              title=f"事项{i}", petitioners=(PetitionerInput("张三"),)),
                               now=date(2025, 12, 31)).id for i in range(30)]
        for i in (0, 1, 2, 7, 8, 15, 28, 29):  # the newest, the oldest, neighbours and a whole day
            void(s, matter_id=ids[i], reason="重复登记")
    for flt in (MatterFilter(include_voided=False), MatterFilter(include_voided=False, year=2025)):
        with db.read() as s:
            rows = list_matters(s, flt, limit=1000)
            assert len(rows) == count_matters(s, flt) == 22
            assert all(r.status is not Status.VOIDED for r in rows)
            for offset, row in enumerate(rows):
                assert matter_key_at(s, flt, offset=offset) == (row.received_on, row.id)
                assert matter_row(s, flt, matter_id=row.id) == offset
            assert matter_key_at(s, flt, offset=22) is None
            assert matter_row(s, flt, matter_id=ids[7]) is None
