"""The SQL behind the tally: every as-of-independent figure counted per 登记日期, and the live as-of parts.

See the package docstring for the definitions and for why figures are counted per day.
"""

from __future__ import annotations

import operator
import threading
from collections.abc import Callable, Iterator, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from sqlalchemy import Date, and_, case, func, literal_column, select
from sqlalchemy.orm import Session

from xinfang_desktop.db.models import Matter, Transfer
from xinfang_desktop.domain.enums import (
    Purpose,
    ReviewStage,
    Satisfaction,
    SkipLevel,
    Source,
    Status,
    TransferKind,
    TransferRole,
    TransferState,
)


def _flag(condition: Any) -> Any:
    """SUM(CASE WHEN condition THEN 1 ELSE 0 END)."""
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)


def _in_period(date_from: date, date_to: date) -> Any:
    return and_(
        Matter.received_on >= date_from,
        Matter.received_on <= date_to,
        Matter.status != Status.VOIDED,
    )


def _each_day(date_from: date, date_to: date) -> Iterator[date]:
    day = date_from
    while day <= date_to:
        yield day
        day += timedelta(days=1)


@dataclass(frozen=True)
class _Scan:
    """Days for the per-day queries to count: a range (both ends included), or `days` one by one."""

    first: date
    last: date
    days: tuple[date, ...] = ()

    @classmethod
    def of_days(cls, days: Sequence[date]) -> _Scan:
        ordered = tuple(sorted(days))
        return cls(ordered[0], ordered[-1], ordered)

    def each(self) -> Iterator[date]:
        return iter(self.days) if self.days else _each_day(self.first, self.last)

    def where(self) -> Any:
        """The scan's matters: a range seeks the date index once, a list of days once per day."""
        if self.days:
            # IN on the leading column of ix_matters_tally keeps index order: still no sort
            return and_(Matter.received_on.in_(self.days), Matter.status != Status.VOIDED)
        return _in_period(self.first, self.last)


# The per-matter 0/1 figures (none depends on the as-of date), each counted by summing a matter's
# 0 or 1 over its group. They are generated columns of matters (migration 0020, which spells out
# each condition), packed four to a column, 15 bits each, in the order of `_LANES`: one plain SUM
# adds four figures at once (reading a row's columns and stepping an aggregate are what cost).
# Exact while a group (one day and 信访形式) holds fewer than 2**15 matters; a pass that meets a
# larger group is done again with each lane shifted out and summed on its own.
_BITS = 15
_PER_COLUMN = 4
_GROUP_LIMIT = 1 << _BITS
_FLAG_NAMES = ("collective_batches", "joint_letters", "anonymous", "repeat", "required", "closed", "closed_on_time",
               "overdue_closed", "key_supervision", "led", "settled", "closed_not_settled", "leader_reviewed")


def _switch_names() -> list[str]:
    """The enum columns whose every value is counted, as 'prefix:value'."""
    switches: list[tuple[str, list[Any]]] = [("purpose", list(Purpose)), ("source", list(Source)),
                                             ("skip", list(SkipLevel)), ("satisfaction", list(Satisfaction))]
    return [f"{prefix}:{value.value}" for prefix, values in switches for value in values]


# migration 0020's LANES, by name; reminded_not_key is half of 督办件 (a day keeps it with the transfer figures)
_LANES: tuple[str, ...] = (*_FLAG_NAMES, "reminded_not_key", *_switch_names())
_LANE_COLUMNS = tuple(f"matters.tally_lanes_{i}" for i in range(0, -(-len(_LANES) // _PER_COLUMN)))
_REMINDED_LANE = _LANES.index("reminded_not_key")


def _lane_sums(packed: bool) -> list[Any]:
    """SUMs giving every lane: one per column (four lanes to unpack), or one per lane."""
    if packed:
        return [func.sum(literal_column(column)) for column in _LANE_COLUMNS]
    mask = (1 << _BITS) - 1
    return [func.sum(literal_column(f"({_LANE_COLUMNS[k // _PER_COLUMN]} >> {_BITS * (k % _PER_COLUMN)}) & {mask}"))
            for k in range(len(_LANES))]


def _overdue_open(as_of: date) -> Any:
    """超期, the open part: 办理中 with its due date before the as-of date (counted live)."""
    return and_(Matter.status == Status.IN_PROGRESS, Matter.due_on < as_of)


# The sums of one (day, 信访形式) group, in the order a cached day stores them.
_MATTER_NAMES: tuple[str, ...] = (
    "total", "persons", "collective_persons", "led_persons", "closed_days", *_FLAG_NAMES, *_switch_names(),
)
# A 承办单位's sums over one day's transfers as 主办; `late` is the as-of-independent part of 超期;
# `assisted`: its transfers as 协办 (协办件), which count nowhere else.
_UNIT_NAMES = ("assigned", "closed", "on_time", "late", "report_days", "evaluated", "satisfied", "assisted")
# A day's transfer figures (see _matter_rows), then its 复查 and 复核 requests and how many are closed.
_TRANSFER_NAMES = ("assigned", "answered", "reminders", "reminded_not_key",
                   "reviews", "reviews_closed", "rechecks", "rechecks_closed")
_REMINDED_NOT_KEY = _TRANSFER_NAMES.index("reminded_not_key")


# 复查 and 复核 are procedures on an existing matter (they have a parent): their own rows, and
# subtracted from every matter figure. The partial index ix_matters_reviews finds the few of them.
_REVIEW = Matter.parent_id.is_not(None)
@dataclass
class _Day:
    """What one 登记日期 contributes to every as-of-independent figure (a row of tally_days).

    The breakdowns (承办单位, 问题分类, 发生地) are counted only for days of the period itself:
    a day needed only for last year's column keeps them unset (JSON null in tally_days) until
    a tally of its own period counts the whole day again.
    """

    matters: dict[str, list[float]] = field(default_factory=dict)  # 信访形式 -> _MATTER_NAMES sums
    transfers: list[int] = field(default_factory=lambda: [0] * len(_TRANSFER_NAMES))  # _TRANSFER_NAMES
    units: dict[int, list[float | None]] = field(default_factory=dict)  # unit id -> _UNIT_NAMES sums
    categories: dict[int | None, int] = field(default_factory=dict)  # category id -> matters
    places: dict[str, int] = field(default_factory=dict)  # 问题发生地 as stored -> matters
    with_details: bool = True

    def details(self) -> None:
        """Make units, categories and places readable (a day counted afresh has them already)."""


def _matter_rows(session: Session, *, scan: _Scan, packed: bool,
                 reviews: bool = False) -> list[tuple[date, str, list[float], list[int]]] | None:
    """(day, 信访形式, sums in _MATTER_NAMES order, the four transfer figures) per group; None when a
    group is too large to pack.

    The transfer figures: 交办 transfers, those answered, 催办 times (from the matter's own sums of its
    transfers, migration 0014, so the pass probes no transfer), and reminded matters not 重点督办.
    The first three are transfer figures (反馈率, 催办 times): a 复查/复核's transfers count like any
    other. The fourth is half of 督办件, a matter figure: a 复查/复核's comes off (_matter_parts), as its
    重点督办 does with every other matter figure.
    `reviews`: the 复查/复核 matters alone (to be subtracted from the rest).
    """
    lanes = _lane_sums(packed)
    query: Any = (
        select(
            Matter.received_on,
            Matter.channel,
            func.count(),
            func.sum(Matter.persons),
            *(func.sum(literal_column(f"matters.{name}"))
              for name in ("tally_collective_persons", "tally_led_persons", "tally_closed_days")),
            *lanes,
            func.sum(Matter.assigned_transfers), func.sum(Matter.answered_transfers), func.sum(Matter.reminder_times),
        )
        # grouping in the order of ix_matters_tally: SQLite aggregates as it reads, no sort
        .where(scan.where(), *([_REVIEW] if reviews else []))
        .group_by(Matter.received_on, Matter.channel)
    )
    rows = []
    mask = (1 << _BITS) - 1
    shifts = [_BITS * k for k in range(_PER_COLUMN)]
    width = len(lanes)
    # Core, not the ORM's loading: a few thousand plain rows
    for day, channel, count, persons, collective_persons, led_persons, closed_days, *values in (
            session.connection().execute(query).all()):
        if packed and count >= _GROUP_LIMIT:
            return None
        if packed:
            flags = [(int(value or 0) >> shift) & mask for value in values[:width] for shift in shifts][:len(_LANES)]
        else:
            flags = [int(value or 0) for value in values[:width]]
        assigned, answered, reminders = (int(n or 0) for n in values[width:])
        # _MATTER_NAMES: the five sums, then the lanes in _LANES order but reminded_not_key (a transfer figure)
        rows.append((day, getattr(channel, "value", channel),
                     [count, int(persons or 0), int(collective_persons or 0), int(led_persons or 0),
                      float(closed_days or 0.0), *flags[:_REMINDED_LANE], *flags[_REMINDED_LANE + 1:]],
                     [assigned, answered, reminders, flags[_REMINDED_LANE]]))
    return rows


def _review_rows(session: Session, *, scan: _Scan) -> list[tuple[date, int, int, int, int]]:
    """Per day: 复查 requests, those closed, 复核 requests, those closed."""
    closed = Matter.status == Status.CLOSED
    review, recheck = Matter.stage == ReviewStage.REVIEW, Matter.stage == ReviewStage.RECHECK
    query = (
        select(Matter.received_on, _flag(review), _flag(and_(review, closed)), _flag(recheck),
               _flag(and_(recheck, closed)))
        .where(scan.where(), _REVIEW)
        .group_by(Matter.received_on)
    )
    return [(day, int(a), int(b), int(c), int(d)) for day, a, b, c, d in session.execute(query)]


_ANSWERED = Transfer.state == TransferState.ANSWERED
# not answered, spelled as the states it can be so that SQLite seeks ix_transfers_state_due
_UNANSWERED = Transfer.state.in_([s for s in TransferState if s is not TransferState.ANSWERED])


_LEAD = Transfer.role == TransferRole.LEAD

# A transfer's 承办单位 figures (migration 0025's generated columns of transfers, which spell out each
# condition): the five 0/1 figures packed 12 bits each in the order of `_UNIT_LANES`, and the days from
# 交办 to the accepted report of an answered 主办 transfer. Exact while a (day, unit) group holds fewer
# than 2**12 transfers; a pass that meets a larger one is done again with each lane summed on its own.
_UNIT_BITS = 12
_UNIT_GROUP_LIMIT = 1 << _UNIT_BITS
_UNIT_LANES = ("assigned", "closed", "on_time", "late", "assisted")
_UNIT_PACKED: Any = literal_column("transfers.tally_unit_lanes")


def _unit_from(query: Any) -> Any:
    """A unit's 交办 transfers of the period's matters."""
    return (
        query.select_from(Transfer)
        .join(Matter, Matter.id == Transfer.matter_id)
        # the matter's own count (read from its index row) spares a probe of the transfers of the
        # two matters in five that have no 交办
        .where(Transfer.kind == TransferKind.ASSIGN, Matter.assigned_transfers > 0)
    )


def _unit_rows(session: Session, *, scan: _Scan) -> list[tuple[date, int, list[float | None]]]:
    """(day, unit id, _UNIT_NAMES sums): every 承办单位 figure but the as-of part of 超期."""
    rows = _unit_sums(session, scan=scan, packed=True)
    if rows is None:
        rows = _unit_sums(session, scan=scan, packed=False)
    assert rows is not None
    return rows


# The transfer's copy of its matter's 登记日期 (NULL while the matter is voided) and the satisfaction
# figures made of its copy of the matter's 回访 result (migration 0029: triggers keep both), 12 bits a
# lane as _UNIT_LANES: ix_transfers_day holds them with the unit lanes, so the pass reads no matter.
_TALLY_DAY: Any = literal_column("transfers.tally_day", Date)
_RATED_LANES = ("evaluated", "satisfied")
_RATED_PACKED: Any = literal_column("transfers.tally_unit_rated")


def _unit_day_where(scan: _Scan) -> Any:
    """The scan's days as each transfer carries its matter's (a voided matter's transfers carry none)."""
    day = _TALLY_DAY
    if scan.days:
        return day.in_(scan.days)
    return and_(day >= scan.first, day <= scan.last)


def _unit_query(scan: _Scan, *, packed: bool) -> Any:
    """Per (day, unit), in the order of ix_transfers_day (no join, no sort): the transfers, the lanes (a
    packed SUM each, or one per lane) and the report days."""
    mask = (1 << _UNIT_BITS) - 1

    def lanes(column: Any, names: tuple[str, ...]) -> list[Any]:
        if packed:
            return [func.sum(column)]
        return [func.sum(column.op(">>")(_UNIT_BITS * k).op("&")(mask)) for k in range(len(names))]

    return (
        select(_TALLY_DAY.label("day"), Transfer.unit_id, func.count(), *lanes(_UNIT_PACKED, _UNIT_LANES),
               *lanes(_RATED_PACKED, _RATED_LANES), func.sum(literal_column("transfers.tally_report_days")))
        .select_from(Transfer)
        # 交办 spelt in the SQL, as ix_transfers_day's WHERE (a bound value would not match the partial index)
        .where(Transfer.kind == literal_column(f"'{TransferKind.ASSIGN.value}'"), _unit_day_where(scan))
        .group_by(_TALLY_DAY, Transfer.unit_id)
    )


def _unit_sums(session: Session, *, scan: _Scan, packed: bool) -> list[tuple[date, int, list[float | None]]] | None:
    """The unit rows, the lanes summed packed (None when a group is too large) or one by one."""
    mask = (1 << _UNIT_BITS) - 1
    unit_shifts = [_UNIT_BITS * k for k in range(len(_UNIT_LANES))]
    rated_shifts = [_UNIT_BITS * k for k in range(len(_RATED_LANES))]
    # where each of _UNIT_NAMES is in a row's flags (_UNIT_LANES, then _RATED_LANES) + [report days]
    order = [(*_UNIT_LANES, *_RATED_LANES, "report_days").index(name) for name in _UNIT_NAMES]
    rows: list[tuple[date, int, list[float | None]]] = []
    for day, unit_id, count, *values in session.connection().execute(_unit_query(scan, packed=packed)).all():
        if packed and count >= _UNIT_GROUP_LIMIT:
            return None
        *sums, report_days = values
        flags: list[float | None]
        if packed:
            unit, rated = int(sums[0]), int(sums[1])
            flags = [(unit >> shift) & mask for shift in unit_shifts]
            flags += [(rated >> shift) & mask for shift in rated_shifts]
        else:
            flags = [int(n or 0) for n in sums]
        flags.append(None if report_days is None else float(report_days))
        rows.append((day, unit_id, [flags[k] for k in order]))
    return rows


def _unit_overdue_open(session: Session, *, date_from: date, date_to: date, as_of: date) -> dict[int, int]:
    """超期, the open part, per unit: transfers not answered and past their deadline at as_of (live)."""
    query = _unit_from(select(Transfer.unit_id, func.count())).where(
        _in_period(date_from, date_to), _UNANSWERED, Transfer.due_on < as_of, _LEAD
    ).group_by(Transfer.unit_id)
    return {unit_id: int(n) for unit_id, n in session.execute(query)}


def _category_place_counts(session: Session, *, scan: _Scan
                           ) -> tuple[list[tuple[date, int | None, int]], list[tuple[date, str, int]]]:
    """(day, category id, matters) and (day, 发生地 as stored, matters) of a scan, 复查/复核 left out.

    Two marginal counts, each over its own narrow index in (day, key) order (migration 0020: no
    sort): 40,000 day rows for two years at a million matters, where one count by (day, category,
    place) gives 360,000. The 复查/复核 among them are few: read one by one (ungrouped, so that
    the partial index ix_matters_reviews finds them, not a day index and every matter's row).
    """
    reviews = session.execute(select(Matter.received_on, Matter.category_id, Matter.place)
                              .where(scan.where(), _REVIEW)).all()

    def per_day(column: Any, key: int) -> list[tuple[date, Any, int]]:
        found: dict[tuple[date, Any], int] = {}
        query = select(Matter.received_on, column, func.count()).where(scan.where()).group_by(Matter.received_on,
                                                                                              column)
        for day, value, n in session.connection().execute(query).all():  # Core: thousands of plain rows
            found[(day, value)] = n
        for review in reviews:
            found[(review[0], review[key])] -= 1
        return [(day, value, n) for (day, value), n in found.items() if n]

    return per_day(Matter.category_id, 1), per_day(Matter.place, 2)


def _matter_parts(session: Session, scan: _Scan) -> dict[date, _Day]:
    """Every day of a scan (days without matters too) with its matter and transfer figures."""
    days = {day: _Day() for day in scan.each()}
    rows = _matter_rows(session, scan=scan, packed=True)
    if rows is None:
        rows = _matter_rows(session, scan=scan, packed=False)
    assert rows is not None
    for day, channel, values, transfer_figures in rows:
        days[day].matters[channel] = values
        days[day].transfers[:4] = map(operator.add, days[day].transfers[:4], transfer_figures)
    # the 复查/复核 among them come off every matter figure (they are few: one seek of their index),
    # 督办件 included: both of its parts, 重点督办 (a matter flag) and reminded (from the transfers)
    for day, channel, values, transfer_figures in _matter_rows(session, scan=scan, packed=False, reviews=True) or []:
        days[day].transfers[_REMINDED_NOT_KEY] -= transfer_figures[_REMINDED_NOT_KEY]
        kept = [a - b for a, b in zip(days[day].matters[channel], values)]
        if kept[0]:
            days[day].matters[channel] = kept
        else:
            del days[day].matters[channel]
    for day, *review_figures in _review_rows(session, scan=scan):
        days[day].transfers[4:] = review_figures
    return days


# The parts of a scan's count, each one query or a few, independent of the others.
_PARTS: dict[str, Callable[[Session, _Scan], Any]] = {
    "units": lambda session, scan: _unit_rows(session, scan=scan),
    "matters": _matter_parts,
    "categories": lambda session, scan: _category_place_counts(session, scan=scan),
}
# A count of fewer days (a clerk's day of work) is not worth a second connection and a thread.
_PARALLEL_FROM_DAYS = 60


# Work a count's threads take after its parts: any query of the same data, by name (the tally's live parts).
Beside = Mapping[str, Callable[[Session], Any]]


def _count_scans(session: Session, scans: Sequence[tuple[_Scan, bool]],
                 second: Callable[[Session], AbstractContextManager[Session]] | None = None,
                 live: Beside | None = None) -> tuple[dict[date, _Day], dict[str, Any]]:
    """Every day of the scans counted afresh, with the breakdowns where the scan's flag says so; and
    the result of each `live` query by its name.

    `second` opens a second session reading the same data (Database.second_reader): then the parts
    are counted by two threads at once, one on each session (sqlite3 lets the GIL go while a
    statement runs, psycopg while it waits on the server), each taking the next part, the longest first, then the live queries (small:
    they fill the gap where one thread finishes first instead of running alone after the count).
    """
    live = live or {}
    tasks = [(k, part) for part in _PARTS for k, (_, details) in enumerate(scans) if details or part == "matters"]
    tasks += [(-1, name) for name in live]
    done: dict[tuple[int, str], Any] = {}
    days_counted = sum(len(list(scan.each())) for scan, _ in scans)
    beside: AbstractContextManager[Session | None] = nullcontext()
    if second is not None and days_counted >= _PARALLEL_FROM_DAYS:
        beside = second(session)
    with beside as helper:
        queue = iter(tasks)
        lock = threading.Lock()

        def work(reader: Session) -> None:
            while True:
                with lock:
                    task = next(queue, None)
                if task is None:
                    return
                k, part = task
                done[task] = live[part](reader) if k < 0 else _PARTS[part](reader, scans[k][0])

        if helper is None:
            work(session)
        else:
            with ThreadPoolExecutor(max_workers=1) as pool:
                other = pool.submit(work, helper)
                work(session)
                other.result()
    counted: dict[date, _Day] = {}
    for k, (_, details) in enumerate(scans):
        days = done[(k, "matters")]
        for day in days.values():
            day.with_details = details
        if details:
            for day, unit_id, unit_sums in done[(k, "units")]:
                days[day].units[unit_id] = unit_sums
            categories, places = done[(k, "categories")]
            for day, category_id, n in categories:
                days[day].categories[category_id] = n
            for day, place, n in places:
                days[day].places[place] = n
        counted.update(days)
    return counted, {name: done[(-1, name)] for name in live}
