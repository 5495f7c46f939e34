"""台账 headers against a database: the column mappings the clerk confirmed, kept by layout and offered again."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from xinfang_desktop.db.database import Database
from xinfang_desktop.db.models import LedgerProfile
from xinfang_desktop.domain.errors import NotFoundError, ValidationError
from xinfang_desktop.domain.ledger import IMPORT_HEADERS, ParsedLedger
from xinfang_desktop.domain.ledger_headers import BY_GUESS, BY_MAP, BY_PROFILE, SavedMapping, saved_mapping
from xinfang_desktop.exporters.ledger_import import header_table, read_ledger


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


def list_profiles(session: Session) -> list[SavedMapping]:
    """Every saved mapping, the newest first, each column read as the next import would read it."""
    rows = session.scalars(select(LedgerProfile).order_by(LedgerProfile.saved_at.desc(), LedgerProfile.layout))
    return [saved_mapping(p.layout, p.mapping, header_table(), source=p.source, saved_at=p.saved_at) for p in rows]


def _profile(session: Session, layout: str) -> LedgerProfile:
    row = session.get(LedgerProfile, layout)
    if row is None:
        raise NotFoundError("这组表头的列对应已不存在（可能已被删除），请关闭后重新打开“台账列对应”", field="列对应")
    return row


def update_profile(session: Session, *, layout: str, mapping: Mapping[str, str], at: datetime) -> SavedMapping:
    """The clerk's corrected mapping for a layout, used by the next import of the same headers."""
    row = _profile(session, layout)
    for header, target in mapping.items():
        if target and target not in IMPORT_HEADERS:
            raise ValidationError(f"“{header}”的对应台账列“{target}”不是台账的列，请从列表中选择", field="对应台账列")
    row.mapping, row.saved_at = dict(mapping), at
    return saved_mapping(row.layout, row.mapping, header_table(), source=row.source, saved_at=row.saved_at)


def delete_profile(session: Session, *, layout: str) -> SavedMapping:
    """Forget a layout's mapping (returned, as it was): the next import of those headers reads them by name and
    guesses again."""
    row = _profile(session, layout)
    gone = saved_mapping(row.layout, row.mapping, header_table(), source=row.source, saved_at=row.saved_at)
    session.delete(row)
    return gone


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
