"""台账 headers against a database: the column mappings the clerk confirmed, kept by layout and offered again."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from xinfang_desktop.db.database import Database
from xinfang_desktop.db.models import LedgerProfile
from xinfang_desktop.domain.ledger import ParsedLedger
from xinfang_desktop.domain.ledger_headers import BY_GUESS, BY_MAP, BY_PROFILE
from xinfang_desktop.exporters.ledger_import import read_ledger


def saved_profiles(session: Session) -> dict[str, dict[str, str]]:
    """Every confirmed mapping, by layout key (a handful of rows: one per system the office imports from)."""
    return {p.layout: dict(p.mapping) for p in session.scalars(select(LedgerProfile))}


def confirmed_mappings(ledger: ParsedLedger) -> dict[str, dict[str, str]]:
    """What the clerk decided for each layout of a ledger read: columns named by hand, from a profile, or
    guesses accepted (header as shown → canonical header, "" for 备注). Layouts read by names alone are absent."""
    found: dict[str, dict[str, str]] = {}
    for sheet in ledger.sheets:
        chosen = {c.header: c.field or "" for c in sheet.columns if c.how in (BY_MAP, BY_PROFILE, BY_GUESS)}
        if chosen and sheet.layout:
            found.setdefault(sheet.layout, {}).update(chosen)
    return found


def save_profiles(session: Session, ledger: ParsedLedger, *, at: datetime) -> int:
    """Keep the ledger's confirmed mappings for its layouts (replacing an older one); returns how many."""
    mappings = confirmed_mappings(ledger)
    for layout, mapping in mappings.items():
        row = session.get(LedgerProfile, layout)
        if row is None:
            session.add(LedgerProfile(layout=layout, mapping=mapping, source=ledger.source_name, saved_at=at))
        else:
            row.mapping, row.source, row.saved_at = mapping, ledger.source_name, at
    return len(mappings)


def read_ledger_file(
    db: Database,
    path: Path,
    *,
    mapping: Mapping[str, str] | None = None,
    accept_guesses: bool = False,
    use_profiles: bool = True,
) -> ParsedLedger:
    """Read a ledger with the clerk's mapping and, where that says nothing, the one saved for its layout."""
    profiles: dict[str, dict[str, str]] = {}
    if use_profiles:
        with db.read() as session:
            profiles = saved_profiles(session)
    return read_ledger(Path(path), mapping=mapping, profiles=profiles, accept_guesses=accept_guesses)
