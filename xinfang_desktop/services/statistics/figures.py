"""The tally's figures: the day rows folded per period and month, 同比, and the breakdowns named."""

from __future__ import annotations

import operator
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from xinfang_desktop.db.models import Category, Matter, Unit
from xinfang_desktop.domain.enums import Channel, Purpose, Satisfaction, SkipLevel, Source
from xinfang_desktop.domain.errors import ValidationError
from xinfang_desktop.domain.tally import (
    NO_PLACE,
    CategoryCount,
    Count,
    HeadCounts,
    Tally,
    UnitFigures,
    mean_days,
    percent,
)
from xinfang_desktop.services.common import cn_date
from xinfang_desktop.services.statistics.cache import _has_cache, _load_days, _store_days
from xinfang_desktop.services.statistics.leaders import leader_figures
from xinfang_desktop.services.statistics.queries import (
    _FLAG_NAMES,
    _MATTER_NAMES,
    _TRANSFER_NAMES,
    _Day,
    _each_day,
    _in_period,
    _overdue_open,
    _switch_names,
    _unit_overdue_open,
)
from xinfang_desktop.wallclock import today

UNCATEGORISED = "未分类"
PLACE_SEPARATOR = "/"



def one_year_earlier(day: date) -> date:
    try:
        return day.replace(year=day.year - 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year - 1, day=28)


def year_range(year: int) -> tuple[date, date]:
    return date(year, 1, 1), date(year, 12, 31)


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


def _overdue_in_hand(session: Session, *, date_from: date, date_to: date, as_of: date) -> int:
    """超期, the open part, of a period's matters (live); ix_matters_status_received: a few thousand at most."""
    return session.scalar(
        select(func.count()).select_from(Matter).where(_in_period(date_from, date_to), _overdue_open(as_of),
                                                       Matter.parent_id.is_(None))) or 0


def _matter_pass(days: dict[date, _Day], *, date_from: date, date_to: date, overdue_open: int) -> _MatterPass:
    """The matter figures of one period and its months: the day rows added up per (month, 信访形式)
    first (lists, a few thousand rows), then named; with 超期 of the matters in hand (counted live)."""
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
             "leader_received_persons", *_FLAG_NAMES]
    names += _switch_names()
    names += [f"channel:{c.value}" for c in Channel]
    for name in names:
        matter_pass.sums.setdefault(name, 0)
    matter_pass.sums["overdue_open"] = overdue_open
    return matter_pass


def _transfer_figures(days: dict[date, _Day], *, date_from: date, date_to: date) -> dict[str, int]:
    """The transfer figures and the 复查/复核 counts of a period, by _TRANSFER_NAMES."""
    sums = [0] * len(_TRANSFER_NAMES)
    for day in _each_day(date_from, date_to):
        sums = list(map(operator.add, sums, days[day].transfers))
    return dict(zip(_TRANSFER_NAMES, sums))


def head_counts(matters: _MatterPass, transfer_figures: dict[str, int]) -> HeadCounts:
    """The scalar figures of one period from its matter sums and its transfer figures."""
    m = {k: int(v) for k, v in matters.sums.items()}
    by_channel = {c.value: m[f"channel:{c.value}"] for c in Channel}
    by_source = {src.value: m[f"source:{src.value}"] for src in Source}
    by_purpose = {p.value: m[f"purpose:{p.value}"] for p in Purpose}
    skip_by_level = {s.value: m[f"skip:{s.value}"] for s in SkipLevel}
    t = transfer_figures
    transfers, answered, reminder_times, reminded_not_key = (t["assigned"], t["answered"], t["reminders"],
                                                             t["reminded_not_key"])
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
        by_source=by_source,
        by_purpose=by_purpose,
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
        reviews=t["reviews"],
        reviews_closed=t["reviews_closed"],
        rechecks=t["rechecks"],
        rechecks_closed=t["rechecks_closed"],
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
             overdue_open: dict[int, int]) -> tuple[UnitFigures, ...]:
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
    names = {unit_id: name for unit_id, name in session.execute(select(Unit.id, Unit.name))}
    rows = []
    for unit_id, (assigned, closed, on_time, late, days_sum, evaluated, satisfied, assisted) in sums.items():
        if unit_id not in names:
            continue
        n_closed, n_evaluated, n_satisfied = int(closed or 0), int(evaluated or 0), int(satisfied or 0)
        rows.append(UnitFigures(
            names[unit_id], int(assigned or 0), n_closed, int(on_time or 0),
            int(late or 0) + overdue_open.get(unit_id, 0), mean_days(days_sum, n_closed), n_evaluated,
            n_satisfied, percent(n_satisfied, n_evaluated), float(days_sum or 0.0), int(assisted or 0),
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
    # what no day keeps (it depends on the as-of date, or on the day of a 包案, 验证 or meeting)
    live: dict[str, Callable[[Session], Any]] = {
        "leaders": lambda s: leader_figures(s, date_from=date_from, date_to=date_to),
        "last leaders": lambda s: leader_figures(s, date_from=last_from, date_to=last_to),
        "in hand": lambda s: _overdue_in_hand(s, date_from=date_from, date_to=date_to, as_of=current),
        "last in hand": lambda s: _overdue_in_hand(s, date_from=last_from, date_to=last_to, as_of=current),
        "units in hand": lambda s: _unit_overdue_open(s, date_from=date_from, date_to=date_to, as_of=current),
    }
    days, fresh, counted = _load_days(session, periods, use_cache=use_cache, live=live)
    matters = _matter_pass(days, date_from=date_from, date_to=date_to, overdue_open=counted["in hand"])
    last_matters = _matter_pass(days, date_from=last_from, date_to=last_to, overdue_open=counted["last in hand"])
    this = replace(head_counts(matters, _transfer_figures(days, date_from=date_from, date_to=date_to)),
                   **counted["leaders"])
    last = replace(head_counts(last_matters, _transfer_figures(days, date_from=last_from, date_to=last_to)),
                   **counted["last leaders"])
    total = this.total

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
        by_source=_counts(this.by_source, total, [s.value for s in Source]),
        by_purpose=_counts(this.by_purpose, total, [p.value for p in Purpose]),
        by_category=by_first,
        by_subcategory=by_second,
        by_township=_counts(townships, total),
        by_place=_counts(places, total),
        by_month=by_month,
        by_month_channel=by_month_channel,
        last_by_month=last_by_month,
        by_unit=_by_unit(session, days, date_from=date_from, date_to=date_to, overdue_open=counted["units in hand"]),
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
