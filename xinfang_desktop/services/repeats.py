"""Repeat detection: earlier matters that may be the same 信访 again, offered while a matter is registered."""

from __future__ import annotations

import difflib
from datetime import date

from sqlalchemy import and_, select
from sqlalchemy.orm import Session

from xinfang_desktop.db import tables
from xinfang_desktop.db.models import Matter
from xinfang_desktop.domain import workflow
from xinfang_desktop.domain.enums import Status
from xinfang_desktop.domain.idcard import normalize_id_number
from xinfang_desktop.domain.values import RepeatCandidate
from xinfang_desktop.services.cases import rules, state_of
from xinfang_desktop.services.handling import replies_received_on
from xinfang_desktop.services.search import SUMMARY, summaries
from xinfang_desktop.wallclock import today

_TITLE_SIMILARITY = 0.5
_MATTERS, _LINKS, _PETITIONERS = tables.matters, tables.matter_petitioners, tables.petitioners


def find_repeats(
    session: Session,
    *,
    name: str = "",
    id_number: str = "",
    phone: str = "",
    title: str = "",
    exclude_id: int | None = None,
    on: date | None = None,
    limit: int = 20,
) -> list[RepeatCandidate]:
    """Earlier matters that may be the same 信访 again, for the clerk to confirm.

    Same 身份证号; or same 姓名 and 联系电话; or same 姓名 and a similar 标题.
    """
    current = on or today()
    name, phone = name.strip(), phone.strip()
    number = normalize_id_number(id_number) if id_number.strip() else ""
    reasons: dict[int, str] = {}

    def matters_of(condition) -> list[int]:  # type: ignore[no-untyped-def]
        people = select(_PETITIONERS.c.id).where(condition)
        rows = session.scalars(
            select(_LINKS.c.matter_id).where(_LINKS.c.petitioner_id.in_(people)).limit(500)
        )
        return list(rows)

    if len(number) in (15, 18):
        for mid in matters_of(_PETITIONERS.c.id_number == number):
            reasons.setdefault(mid, "身份证号相同")
    if name and phone:
        for mid in matters_of(and_(_PETITIONERS.c.name == name, _PETITIONERS.c.phone == phone)):
            reasons.setdefault(mid, "姓名和联系电话相同")
    if name and title.strip():
        ids = matters_of(_PETITIONERS.c.name == name)
        if ids:
            for mid, other in session.execute(select(_MATTERS.c.id, _MATTERS.c.title).where(_MATTERS.c.id.in_(ids))):
                ratio = difflib.SequenceMatcher(None, title.strip(), other).ratio()
                if ratio >= _TITLE_SIMILARITY:
                    reasons.setdefault(mid, f"姓名相同且标题相近（相似度{ratio:.0%}）")
    reasons.pop(exclude_id, None)  # type: ignore[arg-type]
    if not reasons:
        return []
    rows = session.execute(
        select(*SUMMARY).where(_MATTERS.c.id.in_(reasons), _MATTERS.c.status != Status.VOIDED)
        .order_by(_MATTERS.c.received_on.desc(), _MATTERS.c.id.desc())
        .limit(limit)
    ).all()
    states = {m.id: state_of(m) for m in session.scalars(select(Matter).where(Matter.id.in_([r.id for r in rows])))}
    received = replies_received_on(session, states)
    the_rules = rules(session)
    return [RepeatCandidate(summary, reasons[row.id],
                            workflow.no_longer_accepted(states[row.id], the_rules, on=current,
                                                        reply_received_on=received.get(row.id)))
            for row, summary in zip(rows, summaries(session, rows), strict=True)]
