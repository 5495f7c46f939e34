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
