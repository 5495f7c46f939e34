"""Collects, per session, what its flushes wrote, as a domain Changes record the caller hands to the views.

An ORM flush listener sees every row any service writes, so no service can forget to
report one; a bulk job that writes past the ORM (the ledger import) notes its own.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import event
from sqlalchemy.orm import Session, UOWTransaction

from xinfang_desktop.db import models
from xinfang_desktop.domain.changes import KINDS, Changes

_KEY = "xinfang_changes"


def _record(session: Session) -> dict[str, set[Any]]:
    found: dict[str, set[Any]] | None = session.info.get(_KEY)
    if found is None:
        found = session.info[_KEY] = {kind: set() for kind in KINDS}
        found["everything"] = set()
    return found


def note_change(session: Session, kind: str, *ids: Any) -> None:
    """Record that rows of `kind` were written; with no ids, that some were ("everything" for a bulk job)."""
    _record(session)[kind].update(ids or (_SOME[kind],))


def changes_of(session: Session) -> Changes:
    """What this session has written so far."""
    found = _record(session)
    kinds: dict[str, Any] = {kind: frozenset(found[kind]) for kind in KINDS}
    return Changes(**kinds, everything=bool(found["everything"]))


# the id noted for "some rows of this kind" (a petitioner's change shows in its matters' rows)
_SOME: dict[str, Any] = {kind: "" if kind in ("settings", "templates") else 0 for kind in KINDS} | {"everything": True}


def _kinds_of(obj: object) -> list[tuple[str, Any]]:
    if isinstance(obj, models.Matter):
        return [("matters", obj.id)]
    if isinstance(obj, (models.Event, models.Instruction, models.Attachment, models.MatterPetitioner,
                        models.LeaderCharge, models.Verification)):
        return [("matters", obj.matter_id)]
    if isinstance(obj, models.Petitioner):
        return [("matters", None)]
    if isinstance(obj, models.Transfer):
        return [("transfers", obj.id), ("matters", obj.matter_id)]
    if isinstance(obj, models.Feedback):
        return [("transfers", obj.transfer_id)]
    if isinstance(obj, models.Document):
        return [("documents", obj.id), ("matters", obj.matter_id)]
    if isinstance(obj, models.Unit):
        return [("units", obj.id)]
    if isinstance(obj, models.Category):
        return [("categories", obj.id)]
    if isinstance(obj, models.Region):
        return [("places", obj.id)]
    if isinstance(obj, (models.Setting, models.CalendarDay)):
        return [("settings", getattr(obj, "key", "calendar"))]
    if isinstance(obj, (models.LeaderMeeting, models.Dispute)):
        kind = "meetings" if isinstance(obj, models.LeaderMeeting) else "disputes"
        found: list[tuple[str, Any]] = [(kind, obj.id)]
        return found + ([("matters", obj.matter_id)] if obj.matter_id is not None else [])
    if isinstance(obj, models.ReceptionDay):
        return [("meetings", obj.id)]
    if isinstance(obj, models.ZeroReport):
        return [("disputes", obj.id)]
    if isinstance(obj, models.LetterTemplate):
        return [("templates", obj.kind)]
    return []


@event.listens_for(Session, "after_flush")
def _after_flush(session: Session, _flush: UOWTransaction) -> None:
    found = _record(session)
    for obj in (*session.new, *session.dirty, *session.deleted):
        for kind, key in _kinds_of(obj):
            found[kind].add(_SOME[kind] if key is None else key)
