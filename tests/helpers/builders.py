"""Small builders the service tests share: a matter as the clerk would register it, units, snapshots."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from xinfang_desktop.db.database import Database
from xinfang_desktop.db.models import Event
from xinfang_desktop.domain.enums import Channel, Decision, TransferRole
from xinfang_desktop.domain.errors import XinfangError
from xinfang_desktop.domain.values import MatterInput, PetitionerInput, TransferTarget
from xinfang_desktop.services.convert import get_matter
from xinfang_desktop.services.reference import find_unit
from xinfang_desktop.services.registry import decide, register_matter

RECEIVED = date(2026, 3, 3)
VALID_ID = "11010519491231002X"


def matter_input(**changes: Any) -> MatterInput:
    base = MatterInput(
        received_on=RECEIVED,
        channel=Channel.LETTER,
        title="反映柳溪村土地承包经营权被调整问题",
        content="承包地被村组收回另行发包",
        demand="请求恢复承包经营权",
        petitioners=(PetitionerInput("王建国", id_number=VALID_ID, phone="13812345678"),),
    )
    return replace(base, **changes)


def register(db: Database, **changes: Any) -> int:
    with db.begin() as s:
        return register_matter(s, matter_input(**changes), now=date(2026, 11, 1)).id


def unit_id(db: Database, name: str) -> int:
    with db.read() as s:
        unit = find_unit(s, name)
    assert unit is not None, name
    return unit.id


def assigned(db: Database, *, on: date = date(2026, 3, 5), **changes: Any) -> int:
    """A registered matter 交办 to 城关镇人民政府 (主办) with the default period."""
    matter_id = register(db, **changes)
    with db.begin() as s:
        decide(s, matter_id=matter_id, decision=Decision.ASSIGN, on=on,
               targets=(TransferTarget(unit_id(db, "城关镇人民政府"), TransferRole.LEAD),))
    return matter_id


def snapshot(db: Database, matter_id: int) -> tuple[Any, int]:
    """The whole 卷宗 and the number of events in the database, to prove a refused step changed nothing."""
    with db.read() as s:
        return get_matter(s, matter_id), s.scalar(select(func.count(Event.id)))


def events_of(db: Database, matter_id: int) -> list[tuple[str, str]]:
    with db.read() as s:
        return [(e.kind, e.text) for e in get_matter(s, matter_id).events]


def refused(db: Database, matter_id: int, step: Callable[[Session], object], error: type[XinfangError],
            fragment: str, field: str | None = None) -> XinfangError:
    """Run one user action that must be refused; prove the message and that nothing changed."""
    before = snapshot(db, matter_id)
    with pytest.raises(error) as caught, db.begin() as s:
        step(s)
    assert fragment in caught.value.message, caught.value.message
    if field is not None:
        assert caught.value.field == field
    assert snapshot(db, matter_id) == before
    return caught.value
