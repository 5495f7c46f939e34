"""The tally's per-day cache (tally_days, migration 0007): read the cached days, count the missing ones, keep them.

A cached day is derived data: triggers drop a day's row whenever a write could change its
figures, and `_CACHE_VERSION` drops every row of another layout.
"""

from __future__ import annotations

import json
import logging
import zlib
from collections.abc import Sequence
from datetime import date, timedelta
from typing import Any

from sqlalchemy import func, select, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from xinfang_desktop.db.dialect import SECOND_READER, as_date, on_server
from xinfang_desktop.db.models import Matter
from xinfang_desktop.services.statistics.queries import (
    _MATTER_NAMES,
    _TRANSFER_NAMES,
    _UNIT_NAMES,
    Beside,
    _count_scans,
    _Day,
    _each_day,
    _Scan,
)

log = logging.getLogger(__name__)

# Bump when a figure's definition changes without its name changing: cached days of another
# layout count as missing and are counted again.
_LAYOUT_REVISION = 3  # 2: 复查/复核 apart from the matter figures; 3: and from 督办件's reminded part
_CACHE_VERSION = zlib.crc32(json.dumps([_LAYOUT_REVISION, _MATTER_NAMES, _UNIT_NAMES, _TRANSFER_NAMES]).encode()
                            ) & 0x7FFFFFFF



def _scans(periods: list[tuple[date, date]]) -> list[tuple[date, date]]:
    """Date ranges to read: adjacent or overlapping periods (a year and the year before) in one.

    Each day folds into every period holding it, so no range may be read twice.
    """
    spans = sorted(periods)
    merged = [spans[0]]
    for start, end in spans[1:]:
        last_start, last_end = merged[-1]
        if start <= last_end + timedelta(days=1):
            merged[-1] = (last_start, max(end, last_end))
        else:
            merged.append((start, end))
    return merged


# Missing days in runs shorter than this are counted together, one index seek per day, in one
# query per part: a day's work touches scattered days, and a query per day costs more.
_RUN_DAYS = 8
_DAYS_PER_LIST = 400


def _missing_scans(missing: Sequence[date]) -> list[_Scan]:
    """The missing days as long ranges, plus the short runs' days as lists of single days."""
    runs: list[list[date]] = []
    for day in sorted(missing):
        if runs and runs[-1][-1] + timedelta(days=1) == day:
            runs[-1].append(day)
        else:
            runs.append([day])
    scans = [_Scan(run[0], run[-1]) for run in runs if len(run) >= _RUN_DAYS]
    singles = [day for run in runs if len(run) < _RUN_DAYS for day in run]
    scans += [_Scan.of_days(singles[i:i + _DAYS_PER_LIST]) for i in range(0, len(singles), _DAYS_PER_LIST)]
    return scans


def _count_days(session: Session, scans: list[tuple[_Scan, bool]], live: Beside | None = None
                ) -> tuple[dict[date, _Day], dict[str, Any]]:
    """The days of the scans counted afresh (with the breakdowns where the flag says), two passes at
    a time where the session allows a second reader beside it; and the `live` queries' results."""
    return _count_scans(session, scans, session.info.get(SECOND_READER), live)


_SELECT_CACHED = text(
    "SELECT day, matters, transfers, units, categories, places FROM tally_days"
    " WHERE day >= :date_from AND day <= :date_to AND version = :version"
)
_STORE = text(
    "INSERT OR REPLACE INTO tally_days (day, version, matters, transfers, units, categories, places)"
    " VALUES (:day, :version, :matters, :transfers, :units, :categories, :places)"
)
_STORE_ON_SERVER = text(
    "INSERT INTO tally_days (day, version, matters, transfers, units, categories, places)"
    " VALUES (:day, :version, :matters, :transfers, :units, :categories, :places) ON CONFLICT (day) DO UPDATE"
    " SET version = excluded.version, matters = excluded.matters, transfers = excluded.transfers,"
    " units = excluded.units, categories = excluded.categories, places = excluded.places"
)


_NOT_COUNTED = "null"


class _CachedDay(_Day):
    """A day read from tally_days: the breakdowns are parsed only if the period needs them."""

    def __init__(self, matters: str, transfers: str, units: str, categories: str, places: str) -> None:
        super().__init__(json.loads(matters), json.loads(transfers), with_details=units != _NOT_COUNTED)
        self._raw: tuple[str, ...] = (units, categories, places) if self.with_details else ()

    def details(self) -> None:
        if self._raw:
            units, categories, places = self._raw
            self.units = {int(k): v for k, v in json.loads(units).items()}
            self.categories = {(int(k) if k else None): n for k, n in json.loads(categories).items()}
            self.places = json.loads(places)
            self._raw = ()


def _has_cache(session: Session) -> bool:
    """Whether the database has tally_days (migration 0007; a read-only copy may not)."""
    if on_server(session):
        return session.scalar(text("SELECT to_regclass('tally_days')")) is not None
    return bool(session.scalar(text("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'tally_days'")))


def _load_days(session: Session, periods: list[tuple[date, date]], *, use_cache: bool, live: Beside | None = None
               ) -> tuple[dict[date, _Day], dict[date, _Day], dict[str, Any]]:
    """(every day of the periods, the days counted afresh, each `live` query's result), from tally_days
    where cached.

    The first period gets the breakdowns (承办单位, 问题分类, 发生地); the others only the head counts.
    The live queries (of what no day keeps) are taken by the count's threads where days are counted.
    """
    detail_from, detail_to = periods[0]
    days: dict[date, _Day] = {}
    if use_cache:
        for scan_from, scan_to in _scans(periods):
            for day, *parts in session.execute(_SELECT_CACHED, {"date_from": scan_from.isoformat(),
                                                                "date_to": scan_to.isoformat(),
                                                                "version": _CACHE_VERSION}):
                try:
                    read_back = _CachedDay(*parts)
                    if detail_from <= as_date(day) <= detail_to:
                        read_back.details()  # parsed now, while a bad entry can still be counted afresh
                    days[as_date(day)] = read_back
                except (ValueError, TypeError, AttributeError) as exc:
                    # derived data read back damaged (a cut or flipped file): counted afresh and replaced
                    log.warning("tally: cached day %s unreadable (%s), counted afresh", day, exc)
    full: list[date] = []
    partial: list[date] = []
    for scan_from, scan_to in _scans(periods):
        for day in _each_day(scan_from, scan_to):
            cached = days.get(day)
            wanted = detail_from <= day <= detail_to
            if cached is None or (wanted and not cached.with_details):
                (full if wanted else partial).append(day)
    scans = [(scan, details) for missing, details in ((full, True), (partial, False)) for scan in _missing_scans(missing)]
    if not scans:
        return days, {}, {name: query(session) for name, query in (live or {}).items()}
    fresh, counted_live = _count_days(session, scans, live)
    days.update(fresh)
    return days, fresh, counted_live


def _store_days(session: Session, fresh: dict[date, _Day]) -> bool:
    """Keep the days counted afresh. Derived data, not a clerk's action: no timeline event.

    A read-only database, a busy one or a snapshot that another writer has moved past refuses
    the write: the savepoint is rolled back and the tally, already counted, stands.
    """
    if not fresh:
        return True

    def dumps(value: Any) -> str:
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"))

    rows = [{
        "day": day.isoformat(), "version": _CACHE_VERSION, "matters": dumps(d.matters), "transfers": dumps(d.transfers),
        "units": dumps({str(k): v for k, v in d.units.items()}) if d.with_details else _NOT_COUNTED,
        "categories": dumps({("" if k is None else str(k)): n for k, n in d.categories.items()})
        if d.with_details else _NOT_COUNTED,
        "places": dumps(d.places) if d.with_details else _NOT_COUNTED,
    } for day, d in sorted(fresh.items())]
    try:
        with session.begin_nested():
            session.execute(_STORE_ON_SERVER if on_server(session) else _STORE, rows)
    except DBAPIError as exc:
        log.info("tally: %d counted days not cached (%s)", len(rows), exc.orig)
        return False
    return True


_SELECT_KEPT = text(
    "SELECT day FROM tally_days WHERE day >= :date_from AND day <= :date_to AND version = :version"
    " AND units <> :not_counted"
)


def fill_cache(session: Session, *, date_from: date, date_to: date) -> int:
    """Count and keep every day of [date_from, date_to] not yet cached with its breakdowns; returns
    how many were counted.

    Only the keys of the kept days are read (no JSON parsed), so a fill of what is already kept
    costs one index range. The caller commits (`with db.derive() as s:`).
    """
    if not _has_cache(session):
        return 0
    kept = {as_date(day) for day in session.scalars(_SELECT_KEPT, {
        "date_from": date_from.isoformat(), "date_to": date_to.isoformat(), "version": _CACHE_VERSION,
        "not_counted": _NOT_COUNTED})}
    missing = [day for day in _each_day(date_from, date_to) if day not in kept]
    scans = [(scan, True) for scan in _missing_scans(missing)]
    fresh = _count_days(session, scans)[0] if scans else {}
    return len(fresh) if _store_days(session, fresh) else 0


def complete_cache(session: Session) -> int:
    """Count and keep every day not yet cached, from 1 January of the first 登记日期's year to 31
    December of the last's; returns how many were counted.

    Run where many days at once lose their rows (a migration, which may also change the layout;
    the ledger import; a copy onto a server), so that a tally never meets a year of missing days:
    counting them takes seconds at a million matters (the matter rows themselves are read), a
    tally of kept days reads a few thousand rows. A clerk's action drops only its matter's days,
    which the next tally counts in milliseconds.
    """
    if not _has_cache(session):
        return 0
    first, last = session.execute(select(func.min(Matter.received_on), func.max(Matter.received_on))).one()
    if first is None:
        return 0
    return fill_cache(session, date_from=date(as_date(first).year, 1, 1), date_to=date(as_date(last).year, 12, 31))


# Below this many matters a cold tally takes a fraction of a second: no warm-up is worth a thread.
WARM_FROM_MATTERS = 20_000


def warm_ranges(session: Session, *, year: int, at_least: int = WARM_FROM_MATTERS) -> list[tuple[date, date]]:
    """The months of `year` and the year before (the 统计 tab's first view and its 同比) to fill ahead,
    newest first; none when the database holds fewer than `at_least` matters (judged by the
    largest id, read from the end of the table's b-tree). Each month is one `fill_cache` in its
    own transaction, so a warm-up yields the write lock often and a clerk's write meanwhile
    costs it one month, not two years."""
    if (session.scalar(select(func.max(Matter.id))) or 0) < at_least:
        return []
    months = []
    for first in (date(y, m, 1) for y in (year, year - 1) for m in range(12, 0, -1)):
        last = (first.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)
        months.append((first, last))
    return months
