"""统计: every figure of the year-end tally (DOMAIN §4), counted in SQL with GROUP BY, and 同比.

Definitions (the period is by 登记日期, both ends included; 已作废 matters are left out of
every figure, including the 承办单位 table and last year's column):

- 总量 (件次): matters registered. A visit is 1 批 and adds its 人数 to 来访人次.
- 集体访: matters flagged 集体访 (a visit of 5 or more, or so marked in an imported ledger);
  批 = matters, 人次 = the sum of their 人数.
- 需办理: every matter whose 受理决定 is not 不予受理 or 存查. Matters still awaiting a
  decision are included: they must be handled, and leaving them out would flatter the rate.
- 办结 = status 已办结; 办结率 = 办结 / 需办理.
- 按期办结 = 办结 on or before the matter's due date (after any 延期). A matter with no
  deadline of its own (转送, 直接答复) cannot be late and counts as 按期.
  按期办结率 = 按期办结 / 办结.
- 超期 = 办理中 with the due date before the as-of date (today unless given), plus 办结
  after the due date. Both parts are kept (`overdue_open`, `overdue_closed`).
- 平均办理天数 = mean of (办结日期 − 登记日期) over 办结 matters, one decimal.
- 反馈率 = 交办 transfers that have received feedback (accepted, or 退回补办: the unit did
  answer) / all 交办 transfers of the period's matters. 转送 owes no feedback and is not counted.
- 满意率 = (满意 + 基本满意) / matters with a 回访 result.
- 领导阅批 = matters with at least one 领导批示; share of 总量.
- 领导接访 = 来访 with a receiving leader recorded: 批 and 人次.
- 督办件 = matters marked 重点督办 OR reminded (催办) at least once on any of their
  transfers. 催办 times = the sum of the transfers' 催办 counters: handling.remind raises the
  counter in the same transaction as it writes the 催办 event, so the two agree, and the
  counter avoids a join through the whole timeline.
- 息访 = matters marked 息访; 办结未息访 = 办结 and not 息访.
- 越级 by level 到市 / 赴省 / 进京.
- 承办单位 (per unit, over its 交办 transfers of the period's matters): 交办数 = transfers;
  办结 = transfers whose report was accepted (已反馈, the unit's 报结); 按期 = accepted report
  received on or before the transfer's deadline; 超期 = accepted after it, or still
  unanswered past it at the as-of date; 平均天数 = mean of (report date − 交办日期);
  满意率 over the 回访 results of those matters.
- Percentages have one decimal, rounded half up; a division by zero gives None ("—").
  同比 = (this − last) / last over the same dates one year earlier (29 Feb → 28 Feb).

Cost at a million matters (a year holds about 345,000): reading ~690,000 index rows for a
year and the year before took 2.5–3.4 s however the SQL was squeezed. So every figure that
does not depend on the as-of date is counted per 登记日期 and kept in `tally_days`
(migration 0007), one row per day; triggers delete a day's row whenever a write could change
its figures. A tally reads the cached days, counts only the missing ones (grouped into
ranges) with the queries below, folds the day rows in Python, and stores the new days.
The two as-of parts (办理中 past due; a unit's transfers unanswered past due) are counted
live every time from small indexes. `use_cache=False` counts every day afresh and stores
nothing: the same queries, so the same definitions.

The per-day queries: this year and last year are read in one range of the covering index
ix_matters_tally, grouped by day and 信访形式 in index order (no sort), 0/1 figures packed
four to a SUM. The breakdowns (承办单位, 问题分类, 发生地) are counted only for the period's
own days; last year's days get them when their own year is tallied. Measured at a million
matters (benchmarks/bench_tally.py --cache, a year and its 同比): cold (empty cache) 3.3 s,
warm 0.1 s, after a day's work that dropped 29 days 0.26 s; uncached 3.6 s. The main window
and `xinfang demo` count this year's and last year's days ahead (ui/stats/tally_warmup.py).
"""

from __future__ import annotations

import json
import logging
import operator
import zlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import reduce
from typing import Any

from sqlalchemy import and_, case, exists, func, or_, select, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from xinfang_desktop.db.models import (
    Category,
    Feedback,
    Instruction,
    Matter,
    Transfer,
    Unit,
)
from xinfang_desktop.domain.enums import (
    Channel,
    Decision,
    Purpose,
    Satisfaction,
    SkipLevel,
    Source,
    Status,
    TransferKind,
    TransferState,
)
from xinfang_desktop.domain.errors import ValidationError
from xinfang_desktop.domain.tally import (
    CategoryCount,
    Count,
    HeadCounts,
    Tally,
    UnitFigures,
    mean_days,
    percent,
)
from xinfang_desktop.services.common import cn_date, today

log = logging.getLogger(__name__)

UNCATEGORISED = "未分类"
NO_PLACE = "未填写"
PLACE_SEPARATOR = "/"


def _flag(condition: Any) -> Any:
    """SUM(CASE WHEN condition THEN 1 ELSE 0 END)."""
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)


def _in_period(date_from: date, date_to: date) -> Any:
    return and_(
        Matter.received_on >= date_from,
        Matter.received_on <= date_to,
        Matter.status != Status.VOIDED,
    )


def one_year_earlier(day: date) -> date:
    try:
        return day.replace(year=day.year - 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year - 1, day=28)


def year_range(year: int) -> tuple[date, date]:
    return date(year, 1, 1), date(year, 12, 31)


def _sum(expression: Any) -> Any:
    return func.coalesce(func.sum(expression), 0)


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


# Figures that are 0 or 1 per matter are summed four to a SUM, 15 bits each in one 64-bit
# integer. Reading a row's columns and stepping an aggregate are what cost, so one CASE per
# enum column and one SUM per four flags roughly halve the per-row work. Exact while a group
# (one day and 信访形式) holds fewer than 2**15 matters; a pass that meets a larger group is
# done again with one SUM per flag.
_BITS = 15
_PER_SUM = 4
_GROUP_LIMIT = 1 << _BITS


def _flags() -> list[tuple[str, Any]]:
    """The per-matter 0/1 figures as (name, condition); none depends on the as-of date."""
    closed = Matter.status == Status.CLOSED
    return [
        ("collective_batches", Matter.collective),
        ("joint_letters", Matter.joint),
        ("anonymous", Matter.anonymous),
        ("repeat", Matter.repeat),
        ("required", or_(Matter.decision.is_(None), Matter.decision.not_in([Decision.REJECT, Decision.FILE]))),
        ("closed", closed),
        ("closed_on_time", and_(closed, or_(Matter.due_on.is_(None), Matter.closed_on <= Matter.due_on))),
        ("overdue_closed", and_(closed, Matter.closed_on > Matter.due_on)),
        ("key_supervision", Matter.key_supervision),
        ("led", Matter.receiving_leader != ""),
        ("settled", Matter.settled),
        ("closed_not_settled", and_(closed, ~Matter.settled)),
        # a probe of the instructions index per matter beats a second scan with COUNT(DISTINCT)
        ("leader_reviewed", exists().where(Instruction.matter_id == Matter.id)),
    ]


def _overdue_open(as_of: date) -> Any:
    """超期, the open part: 办理中 with its due date before the as-of date (counted live)."""
    return and_(Matter.status == Status.IN_PROGRESS, Matter.due_on < as_of)


def _switches() -> list[tuple[str, Any, list[Any]]]:
    """The enum columns whose every value is counted: (name prefix, column, values)."""
    return [
        ("purpose", Matter.purpose, list(Purpose)),
        ("source", Matter.source, list(Source)),
        ("skip", Matter.skip_level, list(SkipLevel)),
        ("satisfaction", Matter.satisfaction, list(Satisfaction)),
    ]


def _packed_sums(per_sum: int) -> list[tuple[Any, list[str]]]:
    """(SUM expression, the names it holds, lowest bits first)."""
    sums: list[tuple[Any, list[str]]] = []
    flags = _flags()
    for i in range(0, len(flags), per_sum):
        chunk = flags[i:i + per_sum]
        terms = [case((condition, 1 << (_BITS * k)), else_=0) for k, (_, condition) in enumerate(chunk)]
        sums.append((func.sum(reduce(operator.add, terms)), [name for name, _ in chunk]))
    for prefix, column, values in _switches():
        for i in range(0, len(values), per_sum):
            group = values[i:i + per_sum]
            weights = {value: 1 << (_BITS * k) for k, value in enumerate(group)}
            sums.append((func.sum(case(weights, value=column, else_=0)), [f"{prefix}:{v.value}" for v in group]))
    return sums


def _switch_names() -> list[str]:
    return [f"{prefix}:{value.value}" for prefix, _, values in _switches() for value in values]


# The sums of one (day, 信访形式) group, in the order a cached day stores them.
_MATTER_NAMES: tuple[str, ...] = (
    "total", "persons", "collective_persons", "led_persons", "closed_days",
    *(name for name, _ in _flags()), *_switch_names(),
)
# A 承办单位's sums over one day's transfers; `late` is the as-of-independent part of 超期.
_UNIT_NAMES = ("assigned", "closed", "on_time", "late", "report_days", "evaluated", "satisfied")
# Bump when a figure's definition changes without its name changing: cached days of another
# layout count as missing and are counted again.
_LAYOUT_REVISION = 1
_CACHE_VERSION = zlib.crc32(json.dumps([_LAYOUT_REVISION, _MATTER_NAMES, _UNIT_NAMES]).encode()) & 0x7FFFFFFF


@dataclass
class _Day:
    """What one 登记日期 contributes to every as-of-independent figure (a row of tally_days).

    The breakdowns (承办单位, 问题分类, 发生地) are counted only for days of the period itself:
    a day needed only for last year's column keeps them unset (JSON null in tally_days) until
    a tally of its own period counts the whole day again.
    """

    matters: dict[str, list[float]] = field(default_factory=dict)  # 信访形式 -> _MATTER_NAMES sums
    transfers: list[int] = field(default_factory=lambda: [0, 0, 0, 0])  # see _transfer_rows
    units: dict[int, list[float | None]] = field(default_factory=dict)  # unit id -> _UNIT_NAMES sums
    categories: dict[int | None, int] = field(default_factory=dict)  # category id -> matters
    places: dict[str, int] = field(default_factory=dict)  # 问题发生地 as stored -> matters
    with_details: bool = True

    def details(self) -> None:
        """Make units, categories and places readable (a day counted afresh has them already)."""


def _matter_rows(session: Session, *, scan: _Scan, per_sum: int) -> list[tuple[date, str, list[float]]] | None:
    """(day, 信访形式, sums in _MATTER_NAMES order) per group; None when a group is too large to pack."""
    packed = _packed_sums(per_sum)
    closed = Matter.status == Status.CLOSED
    days = func.julianday(Matter.closed_on) - func.julianday(Matter.received_on)
    query = (
        select(
            Matter.received_on,
            Matter.channel,
            func.count(),
            func.sum(Matter.persons),
            func.sum(case((Matter.collective, Matter.persons), else_=0)),
            func.sum(case((Matter.receiving_leader != "", Matter.persons), else_=0)),
            func.sum(case((closed, days), else_=0)),
            *(expression for expression, _ in packed),
        )
        # grouping in the order of ix_matters_tally: SQLite aggregates as it reads, no sort
        .where(scan.where())
        .group_by(Matter.received_on, Matter.channel)
    )
    rows = []
    mask = (1 << _BITS) - 1
    for day, channel, count, persons, collective_persons, led_persons, closed_days, *values in session.execute(query):
        if per_sum > 1 and count >= _GROUP_LIMIT:
            return None
        sums: dict[str, float] = {
            "total": count,
            "persons": persons or 0,
            "collective_persons": collective_persons or 0,
            "led_persons": led_persons or 0,
            "closed_days": float(closed_days or 0.0),
        }
        for value, (_, names) in zip(values, packed):
            value = int(value or 0)
            if len(names) == 1:
                sums[names[0]] = value
            else:
                for k, name in enumerate(names):
                    sums[name] = (value >> (_BITS * k)) & mask
        rows.append((day, getattr(channel, "value", channel), [sums[name] for name in _MATTER_NAMES]))
    return rows


def _transfer_rows(session: Session, *, scan: _Scan) -> list[tuple[date, int, int, int, int]]:
    """Per day: 交办 transfers, those answered, 催办 times, reminded matters not 重点督办.

    Grouped by the matter's 登记日期 (ix_matters_tally order, no sort): a matter has one day,
    so the per-day distinct counts add up.
    """
    assign = Transfer.kind == TransferKind.ASSIGN
    query = (
        select(
            Matter.received_on,
            _flag(assign),
            _flag(and_(assign, Transfer.state != TransferState.WAITING)),
            _sum(Transfer.reminders),
            func.count(func.distinct(case((and_(Transfer.reminders > 0, ~Matter.key_supervision),
                                           Transfer.matter_id)))),
        )
        .join(Matter, Matter.id == Transfer.matter_id)
        .where(scan.where())
        .group_by(Matter.received_on)
    )
    return [(day, int(a), int(b), int(c), int(d)) for day, a, b, c, d in session.execute(query)]


_ANSWERED = Transfer.state == TransferState.ANSWERED
# not answered, spelled as the states it can be so that SQLite seeks ix_transfers_state_due
_UNANSWERED = Transfer.state.in_([s for s in TransferState if s is not TransferState.ANSWERED])


def _unit_from(query: Any) -> Any:
    """A unit's 交办 transfers of the period's matters, each with its accepted report if any."""
    return (
        query.select_from(Transfer)
        .join(Matter, Matter.id == Transfer.matter_id)
        .outerjoin(Feedback, and_(Feedback.transfer_id == Transfer.id, Feedback.accepted.is_(True)))
        .where(Transfer.kind == TransferKind.ASSIGN)
    )


def _unit_rows(session: Session, *, scan: _Scan) -> list[tuple[date, int, list[float | None]]]:
    """(day, unit id, _UNIT_NAMES sums): every 承办单位 figure but the as-of part of 超期."""
    report_days = func.julianday(Feedback.received_on) - func.julianday(Transfer.sent_on)
    query = _unit_from(select(
        Matter.received_on,
        Transfer.unit_id,
        func.count(Transfer.id),
        _flag(_ANSWERED),
        _flag(and_(_ANSWERED, or_(Transfer.due_on.is_(None), Feedback.received_on <= Transfer.due_on))),
        # 超期, the answered part: accepted after the deadline (the other part is _unit_overdue_open)
        _flag(and_(_ANSWERED, Feedback.received_on > Transfer.due_on)),
        func.sum(case((_ANSWERED, report_days))),
        _flag(Matter.satisfaction.is_not(None)),
        _flag(Matter.satisfaction.in_([Satisfaction.SATISFIED, Satisfaction.BASICALLY])),
    )).where(scan.where()).group_by(Matter.received_on, Transfer.unit_id)
    return [(day, unit_id, [int(n), int(c), int(o), int(late), None if d is None else float(d), int(e), int(s)])
            for day, unit_id, n, c, o, late, d, e, s in session.execute(query)]


def _unit_overdue_open(session: Session, *, date_from: date, date_to: date, as_of: date) -> dict[int, int]:
    """超期, the open part, per unit: transfers not answered and past their deadline at as_of (live)."""
    query = _unit_from(select(Transfer.unit_id, func.count())).where(
        _in_period(date_from, date_to), _UNANSWERED, Transfer.due_on < as_of
    ).group_by(Transfer.unit_id)
    return {unit_id: int(n) for unit_id, n in session.execute(query)}


def _category_place_counts(session: Session, *, scan: _Scan
                           ) -> tuple[list[tuple[date, int | None, int]], list[tuple[date, str, int]]]:
    """(day, category id, matters) and (day, 发生地 as stored, matters) of a scan.

    Two marginal counts over ix_matters_tally (it holds both columns): 40,000 day rows for two
    years at a million matters, where one count by (day, category, place) gives 360,000.
    """
    def per_day(column: Any) -> list[tuple[date, Any, int]]:
        query = select(Matter.received_on, column, func.count()).where(scan.where()).group_by(Matter.received_on, column)
        return [(day, key, n) for day, key, n in session.execute(query)]

    return per_day(Matter.category_id), per_day(Matter.place)


def _count_days(session: Session, scan: _Scan, *, details: bool) -> dict[date, _Day]:
    """Every day of a scan (days without matters too) counted afresh, with or without the breakdowns."""
    days = {day: _Day(with_details=details) for day in scan.each()}
    rows = _matter_rows(session, scan=scan, per_sum=_PER_SUM)
    if rows is None:
        rows = _matter_rows(session, scan=scan, per_sum=1)
    assert rows is not None
    for day, channel, values in rows:
        days[day].matters[channel] = values
    for day, *transfer_figures in _transfer_rows(session, scan=scan):
        days[day].transfers = list(transfer_figures)
    if not details:
        return days
    for day, unit_id, unit_sums in _unit_rows(session, scan=scan):
        days[day].units[unit_id] = unit_sums
    categories, places = _category_place_counts(session, scan=scan)
    for day, category_id, n in categories:
        days[day].categories[category_id] = n
    for day, place, n in places:
        days[day].places[place] = n
    return days


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


_SELECT_CACHED = text(
    "SELECT day, matters, transfers, units, categories, places FROM tally_days"
    " WHERE day >= :date_from AND day <= :date_to AND version = :version"
)
_STORE = text(
    "INSERT OR REPLACE INTO tally_days (day, version, matters, transfers, units, categories, places)"
    " VALUES (:day, :version, :matters, :transfers, :units, :categories, :places)"
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
    return bool(session.scalar(text("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'tally_days'")))


def _load_days(session: Session, periods: list[tuple[date, date]], *, use_cache: bool
               ) -> tuple[dict[date, _Day], dict[date, _Day]]:
    """(every day of the periods, the days counted afresh), from tally_days where cached.

    The first period gets the breakdowns (承办单位, 问题分类, 发生地); the others only the head counts.
    """
    detail_from, detail_to = periods[0]
    days: dict[date, _Day] = {}
    if use_cache:
        for scan_from, scan_to in _scans(periods):
            for day, *parts in session.execute(_SELECT_CACHED, {"date_from": scan_from.isoformat(),
                                                                "date_to": scan_to.isoformat(),
                                                                "version": _CACHE_VERSION}):
                days[date.fromisoformat(day)] = _CachedDay(*parts)
    full: list[date] = []
    partial: list[date] = []
    for scan_from, scan_to in _scans(periods):
        for day in _each_day(scan_from, scan_to):
            cached = days.get(day)
            wanted = detail_from <= day <= detail_to
            if cached is None or (wanted and not cached.with_details):
                (full if wanted else partial).append(day)
    fresh: dict[date, _Day] = {}
    for missing, details in ((full, True), (partial, False)):
        for scan in _missing_scans(missing):
            fresh.update(_count_days(session, scan, details=details))
    days.update(fresh)
    return days, fresh


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
            session.execute(_STORE, rows)
    except DBAPIError as exc:
        log.info("tally: %d counted days not cached (%s)", len(rows), exc.orig)
        return False
    return True


def fill_cache(session: Session, *, date_from: date, date_to: date) -> int:
    """Count and keep every day of [date_from, date_to] not yet cached; returns how many were counted.

    For warming the cache ahead of the first tally (after a demo, at start-up). The caller
    commits (`with db.derive() as s:`).
    """
    if not _has_cache(session):
        return 0
    _, fresh = _load_days(session, [(date_from, date_to)], use_cache=True)
    return len(fresh) if _store_days(session, fresh) else 0


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


def _month(day: date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


@dataclass(frozen=True)
class _MatterPass:
    """The sums of one period, and the same sums per month (from the per-day rows)."""

    sums: dict[str, float]
    months: dict[str, dict[str, float]]


def _fold(sums: dict[str, float], channel: str, row: dict[str, float]) -> None:
    """Add one (month, 信访形式) group to a period's or a month's sums."""
    for name, value in row.items():
        sums[name] = sums.get(name, 0) + value
    sums[f"channel:{channel}"] = sums.get(f"channel:{channel}", 0) + row["total"]
    if channel == Channel.VISIT.value:
        sums["visit_persons"] = sums.get("visit_persons", 0) + row["persons"]
        sums["leader_received_batches"] = sums.get("leader_received_batches", 0) + row["led"]
        sums["leader_received_persons"] = sums.get("leader_received_persons", 0) + row["led_persons"]


def _matter_pass(session: Session, days: dict[date, _Day], *, date_from: date, date_to: date,
                 as_of: date) -> _MatterPass:
    """The matter figures of one period and its months: the day rows added up per (month, 信访形式)
    first (lists, a few thousand rows), then named; 超期 of the matters in hand counted live."""
    buckets: dict[tuple[str, str], list[float]] = {}
    for day in _each_day(date_from, date_to):
        month = _month(day)
        for channel, values in days[day].matters.items():
            bucket = buckets.get((month, channel))
            buckets[(month, channel)] = list(values) if bucket is None else list(map(operator.add, bucket, values))
    matter_pass = _MatterPass({}, {})
    for (month, channel), values in sorted(buckets.items()):
        row = dict(zip(_MATTER_NAMES, values))
        _fold(matter_pass.sums, channel, row)
        _fold(matter_pass.months.setdefault(month, {}), channel, row)
    names = ["total", "visit_persons", "collective_persons", "closed_days", "leader_received_batches",
             "leader_received_persons", *(name for name, _ in _flags())]
    names += _switch_names()
    names += [f"channel:{c.value}" for c in Channel]
    for name in names:
        matter_pass.sums.setdefault(name, 0)
    # ix_matters_status_received: the period's matters in hand, a few thousand at most
    matter_pass.sums["overdue_open"] = session.scalar(
        select(func.count()).select_from(Matter).where(_in_period(date_from, date_to), _overdue_open(as_of))) or 0
    return matter_pass


def _transfer_figures(days: dict[date, _Day], *, date_from: date, date_to: date) -> tuple[int, int, int, int]:
    sums = [0, 0, 0, 0]
    for day in _each_day(date_from, date_to):
        sums = list(map(operator.add, sums, days[day].transfers))
    return sums[0], sums[1], sums[2], sums[3]


def head_counts(matters: _MatterPass, transfer_figures: tuple[int, int, int, int]) -> HeadCounts:
    """The scalar figures of one period from its matter sums and its transfer figures."""
    m = {k: int(v) for k, v in matters.sums.items()}
    by_channel = {c.value: m[f"channel:{c.value}"] for c in Channel}
    skip_by_level = {s.value: m[f"skip:{s.value}"] for s in SkipLevel}
    transfers, answered, reminder_times, reminded_not_key = transfer_figures
    reviewed = m["leader_reviewed"]
    total, key = m["total"], m["key_supervision"]
    n_closed, on_time, overdue_open, overdue_closed = (m["closed"], m["closed_on_time"], m["overdue_open"],
                                                       m["overdue_closed"])
    days = float(matters.sums["closed_days"])
    n_satisfied, n_basic, n_unsatisfied = (m[f"satisfaction:{s.value}"] for s in
                                           (Satisfaction.SATISFIED, Satisfaction.BASICALLY, Satisfaction.UNSATISFIED))
    evaluated = n_satisfied + n_basic + n_unsatisfied
    visit_persons, consultations = m["visit_persons"], m[f"purpose:{Purpose.CONSULTATION.value}"]
    collective, collective_persons = m["collective_batches"], m["collective_persons"]
    joint, anonymous, repeat, required = m["joint_letters"], m["anonymous"], m["repeat"], m["required"]
    skip = sum(skip_by_level.values())
    leader_batches, leader_persons = m["leader_received_batches"], m["leader_received_persons"]
    settled, closed_not_settled = m["settled"], m["closed_not_settled"]
    return HeadCounts(
        total=total,
        by_channel=by_channel,
        visit_persons=visit_persons,
        consultations=consultations,
        collective_batches=collective,
        collective_persons=collective_persons,
        joint_letters=joint,
        anonymous=anonymous,
        skip_level=skip,
        repeat=repeat,
        required=required,
        closed=n_closed,
        closed_on_time=on_time,
        overdue=overdue_open + overdue_closed,
        overdue_open=overdue_open,
        overdue_closed=overdue_closed,
        closed_days=float(days),
        assigned_transfers=transfers,
        transfers_with_feedback=answered,
        evaluated=evaluated,
        satisfied=n_satisfied,
        basically_satisfied=n_basic,
        unsatisfied=n_unsatisfied,
        supervised=key + reminded_not_key,
        key_supervision=key,
        reminders=reminder_times,
        leader_reviewed=reviewed,
        leader_received_batches=leader_batches,
        leader_received_persons=leader_persons,
        settled=settled,
        closed_not_settled=closed_not_settled,
        skip_by_level=skip_by_level,
    )


def _months(date_from: date, date_to: date) -> list[str]:
    months = []
    year, month = date_from.year, date_from.month
    while (year, month) <= (date_to.year, date_to.month):
        months.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def _counts(values: dict[str, int], total: int, order: list[str] | None = None) -> tuple[Count, ...]:
    """Rows in the vocabulary's order when given (zeros kept), else most first."""
    names = order if order is not None else sorted(values, key=lambda k: (-values[k], k))
    return tuple(Count(name, values.get(name, 0), percent(values.get(name, 0), total)) for name in names)


def _by_unit(session: Session, days: dict[date, _Day], *, date_from: date, date_to: date,
             as_of: date) -> tuple[UnitFigures, ...]:
    """The 承办单位 table: the day rows added up per unit, plus the live part of 超期; names by id."""
    sums: dict[int, list[float | None]] = {}
    for day in _each_day(date_from, date_to):
        for unit_id, values in days[day].units.items():
            mine = sums.get(unit_id)
            if mine is None:
                sums[unit_id] = list(values)
            else:
                # report days: SQL's SUM, NULL while every answered transfer lacks an accepted report
                for k, value in enumerate(values):
                    if value is not None:
                        held = mine[k]
                        mine[k] = value if held is None else held + value
    overdue_open = _unit_overdue_open(session, date_from=date_from, date_to=date_to, as_of=as_of)
    names = {unit_id: name for unit_id, name in session.execute(select(Unit.id, Unit.name))}
    rows = []
    for unit_id, (assigned, closed, on_time, late, days_sum, evaluated, satisfied) in sums.items():
        if unit_id not in names:
            continue
        n_closed, n_evaluated, n_satisfied = int(closed or 0), int(evaluated or 0), int(satisfied or 0)
        rows.append(UnitFigures(
            names[unit_id], int(assigned or 0), n_closed, int(on_time or 0),
            int(late or 0) + overdue_open.get(unit_id, 0), mean_days(days_sum, n_closed), n_evaluated,
            n_satisfied, percent(n_satisfied, n_evaluated), float(days_sum or 0.0),
        ))
    return tuple(sorted(rows, key=lambda r: (-r.assigned, r.unit)))


def _categories(
    session: Session, counts: dict[int | None, int], total: int
) -> tuple[tuple[CategoryCount, ...], tuple[CategoryCount, ...]]:
    """First-level and (first, second) counts from the counts per stored category id."""
    cats = {c.id: c for c in session.scalars(select(Category))}
    order = {c.id: (c.position, c.id) for c in cats.values()}
    first_counts: dict[str, int] = {}
    second_counts: dict[tuple[str, str], int] = {}
    first_order: dict[str, tuple[int, int]] = {}
    for category_id, n in counts.items():
        cat = cats.get(category_id) if category_id is not None else None
        if cat is None:
            first, second, key = UNCATEGORISED, "", (10**9, 0)
        elif cat.parent_id is None or cat.parent_id not in cats:
            first, second, key = cat.name, "", order[cat.id]
        else:
            parent = cats[cat.parent_id]
            first, second, key = parent.name, cat.name, order[parent.id]
        first_counts[first] = first_counts.get(first, 0) + n
        first_order[first] = key
        if second:
            second_counts[(first, second)] = second_counts.get((first, second), 0) + n
    firsts = sorted(first_counts, key=lambda k: (-first_counts[k], first_order[k]))
    by_first = tuple(CategoryCount(f, "", first_counts[f], percent(first_counts[f], total)) for f in firsts)
    by_second = tuple(
        CategoryCount(f, s, n, percent(n, total))
        for f in firsts
        for (ff, s), n in sorted(second_counts.items(), key=lambda kv: -kv[1])
        if ff == f
    )
    return by_first, by_second


def tally(session: Session, *, date_from: date, date_to: date, as_of: date | None = None,
          use_cache: bool = True) -> Tally:
    """Every figure of DOMAIN §4 for [date_from, date_to] and the same dates one year earlier.

    See the module docstring for the exact definition of each figure. Days not yet cached are
    counted and stored in the caller's transaction (open it with `db.derive()` to keep them);
    `use_cache=False` counts every day afresh and writes nothing (for tests and benchmarks).
    """
    if date_to < date_from:
        raise ValidationError(
            f"统计的结束日期{cn_date(date_to)}早于开始日期{cn_date(date_from)}，请重新选择", field="统计期间"
        )
    current = as_of or today()
    last_from, last_to = one_year_earlier(date_from), one_year_earlier(date_to)
    # both periods in one pass: for a year, last year ends the day before this one begins
    periods = [(date_from, date_to), (last_from, last_to)]
    use_cache = use_cache and _has_cache(session)
    days, fresh = _load_days(session, periods, use_cache=use_cache)
    matters = _matter_pass(session, days, date_from=date_from, date_to=date_to, as_of=current)
    last_matters = _matter_pass(session, days, date_from=last_from, date_to=last_to, as_of=current)
    this = head_counts(matters, _transfer_figures(days, date_from=date_from, date_to=date_to))
    last = head_counts(last_matters, _transfer_figures(days, date_from=last_from, date_to=last_to))
    total = this.total

    sources = {src.value: int(matters.sums[f"source:{src.value}"]) for src in Source}
    purposes = {p.value: int(matters.sums[f"purpose:{p.value}"]) for p in Purpose}
    months = _months(date_from, date_to)
    empty: dict[str, float] = {}
    by_month_channel = {
        c.value: tuple(int(matters.months.get(m, empty).get(f"channel:{c.value}", 0)) for m in months) for c in Channel
    }
    by_month = tuple((m, int(matters.months.get(m, empty).get("total", 0))) for m in months)
    last_by_month = tuple(
        (m, int(last_matters.months.get(m, empty).get("total", 0))) for m in _months(last_from, last_to)
    )

    stored_places: dict[str, int] = {}
    category_counts: dict[int | None, int] = {}
    for day in _each_day(date_from, date_to):
        the_day = days[day]
        the_day.details()
        for category_id, n in the_day.categories.items():
            category_counts[category_id] = category_counts.get(category_id, 0) + n
        for place, n in the_day.places.items():
            stored_places[place] = stored_places.get(place, 0) + n
    places: dict[str, int] = {}
    townships: dict[str, int] = {}
    for place, n in stored_places.items():
        name = (place or "").strip() or NO_PLACE
        places[name] = places.get(name, 0) + n
        town = name.split(PLACE_SEPARATOR, 1)[0].strip() or NO_PLACE
        townships[town] = townships.get(town, 0) + n

    by_first, by_second = _categories(session, category_counts, total)
    result = Tally(
        date_from=date_from,
        date_to=date_to,
        as_of=current,
        this=this,
        last=last,
        last_from=last_from,
        last_to=last_to,
        by_source=_counts(sources, total, [s.value for s in Source]),
        by_purpose=_counts(purposes, total, [p.value for p in Purpose]),
        by_category=by_first,
        by_subcategory=by_second,
        by_township=_counts(townships, total),
        by_place=_counts(places, total),
        by_month=by_month,
        by_month_channel=by_month_channel,
        last_by_month=last_by_month,
        by_unit=_by_unit(session, days, date_from=date_from, date_to=date_to, as_of=current),
    )
    if use_cache:
        # last, so that the write lock is held only from here to the caller's commit
        _store_days(session, fresh)
    return result


def tally_year(session: Session, *, year: int, as_of: date | None = None, use_cache: bool = True) -> Tally:
    date_from, date_to = year_range(year)
    return tally(session, date_from=date_from, date_to=date_to, as_of=as_of, use_cache=use_cache)


def years_with_matters(session: Session) -> list[int]:
    """The years from the first to the last 登记日期, newest first (for the 统计 tab's year picker).

    min/max ride the received-date index; DISTINCT year would scan a million rows.
    """
    first, last = session.execute(select(func.min(Matter.received_on), func.max(Matter.received_on))).one()
    if first is None:
        return []
    return list(range(last.year, first.year - 1, -1))
