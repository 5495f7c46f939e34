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

Cost at a million matters (a year holds about 345,000): the time goes into reading each
row's columns and evaluating the per-row conditions, not into fetching. So this year and
last year are read in one range of the covering index ix_matters_tally, grouped by day and
信访形式 in index order (no sort, a few thousand rows to fold), 0/1 figures packed four to a
SUM; the 批示 EXISTS probe is about a fifth of that pass. 问题分类/发生地 walk their own index
in group order. Measured on a loaded 2-core machine: 6.4–7.0 s before, 2.9–4 s after.
"""

from __future__ import annotations

import operator
from dataclasses import dataclass
from datetime import date, timedelta
from functools import reduce
from typing import Any

from sqlalchemy import and_, case, exists, func, or_, select, text
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


# Figures that are 0 or 1 per matter are summed four to a SUM, 15 bits each in one 64-bit
# integer. Reading a row's columns and stepping an aggregate are what cost, so one CASE per
# enum column and one SUM per four flags roughly halve the per-row work. Exact while a group
# (one day and 信访形式) holds fewer than 2**15 matters; a pass that meets a larger group is
# done again with one SUM per flag.
_BITS = 15
_PER_SUM = 4
_GROUP_LIMIT = 1 << _BITS


def _flags(as_of: date) -> list[tuple[str, Any]]:
    """The per-matter 0/1 figures as (name, condition)."""
    closed = Matter.status == Status.CLOSED
    return [
        ("collective_batches", Matter.collective),
        ("joint_letters", Matter.joint),
        ("anonymous", Matter.anonymous),
        ("repeat", Matter.repeat),
        ("required", or_(Matter.decision.is_(None), Matter.decision.not_in([Decision.REJECT, Decision.FILE]))),
        ("closed", closed),
        ("closed_on_time", and_(closed, or_(Matter.due_on.is_(None), Matter.closed_on <= Matter.due_on))),
        ("overdue_open", and_(Matter.status == Status.IN_PROGRESS, Matter.due_on < as_of)),
        ("overdue_closed", and_(closed, Matter.closed_on > Matter.due_on)),
        ("key_supervision", Matter.key_supervision),
        ("led", Matter.receiving_leader != ""),
        ("settled", Matter.settled),
        ("closed_not_settled", and_(closed, ~Matter.settled)),
        # a probe of the instructions index per matter beats a second scan with COUNT(DISTINCT)
        ("leader_reviewed", exists().where(Instruction.matter_id == Matter.id)),
    ]


def _switches() -> list[tuple[str, Any, list[Any]]]:
    """The enum columns whose every value is counted: (name prefix, column, values)."""
    return [
        ("purpose", Matter.purpose, list(Purpose)),
        ("source", Matter.source, list(Source)),
        ("skip", Matter.skip_level, list(SkipLevel)),
        ("satisfaction", Matter.satisfaction, list(Satisfaction)),
    ]


def _packed_sums(as_of: date, per_sum: int) -> list[tuple[Any, list[str]]]:
    """(SUM expression, the names it holds, lowest bits first)."""
    sums: list[tuple[Any, list[str]]] = []
    flags = _flags(as_of)
    for i in range(0, len(flags), per_sum):
        chunk = flags[i:i + per_sum]
        terms = [case((condition, 1 << (_BITS * k)), else_=0) for k, (_, condition) in enumerate(chunk)]
        sums.append((func.sum(reduce(operator.add, terms)), [name for name, _ in chunk]))
    for prefix, column, values in _switches():
        for i in range(0, len(values), per_sum):
            chunk = values[i:i + per_sum]
            weights = {value: 1 << (_BITS * k) for k, value in enumerate(chunk)}
            sums.append((func.sum(case(weights, value=column, else_=0)), [f"{prefix}:{v.value}" for v in chunk]))
    return sums


@dataclass(frozen=True)
class _MatterPass:
    """The sums of one period, and the same sums per month (from the per-day rows)."""

    sums: dict[str, float]
    months: dict[str, dict[str, float]]


def _scans(periods: list[tuple[date, date]]) -> list[tuple[date, date]]:
    """Date ranges to read: adjacent or overlapping periods (a year and the year before) in one.

    Each day row folds into every period holding it, so no range may be read twice.
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


def _matter_rows(session: Session, *, date_from: date, date_to: date, as_of: date, per_sum: int
                 ) -> list[tuple[date, str, dict[str, float]]] | None:
    """(day, 信访形式, sums) per group; None when a group is too large to pack."""
    packed = _packed_sums(as_of, per_sum)
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
        .where(_in_period(date_from, date_to))
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
            "closed_days": closed_days or 0.0,
        }
        for value, (_, names) in zip(values, packed):
            value = int(value or 0)
            if len(names) == 1:
                sums[names[0]] = value
            else:
                for k, name in enumerate(names):
                    sums[name] = (value >> (_BITS * k)) & mask
        rows.append((day, getattr(channel, "value", channel), sums))
    return rows


def _fold(sums: dict[str, float], channel: str, row: dict[str, float]) -> None:
    """Add one (day, 信访形式) group to a period's or a month's sums."""
    for name, value in row.items():
        sums[name] = sums.get(name, 0) + value
    sums[f"channel:{channel}"] = sums.get(f"channel:{channel}", 0) + row["total"]
    if channel == Channel.VISIT.value:
        sums["visit_persons"] = sums.get("visit_persons", 0) + row["persons"]
        sums["leader_received_batches"] = sums.get("leader_received_batches", 0) + row["led"]
        sums["leader_received_persons"] = sums.get("leader_received_persons", 0) + row["led_persons"]


def _matter_passes(session: Session, *, periods: list[tuple[date, date]], as_of: date) -> list[_MatterPass]:
    """The matter figures of each period (and per month), adjacent periods read in one range.

    Grouping by 登记日期 and 信访形式 rides ix_matters_tally in order, so SQLite reads only
    that index and aggregates as it reads; the day rows fold into periods and months here.
    """
    passes = [_MatterPass({}, {}) for _ in periods]
    for scan_from, scan_to in _scans(periods):
        rows = _matter_rows(session, date_from=scan_from, date_to=scan_to, as_of=as_of, per_sum=_PER_SUM)
        if rows is None:
            rows = _matter_rows(session, date_from=scan_from, date_to=scan_to, as_of=as_of, per_sum=1)
        assert rows is not None
        for day, channel, row in rows:
            for (start, end), matter_pass in zip(periods, passes):
                if start <= day <= end:
                    _fold(matter_pass.sums, channel, row)
                    _fold(matter_pass.months.setdefault(f"{day.year:04d}-{day.month:02d}", {}), channel, row)
    names = ["total", "visit_persons", "collective_persons", "closed_days", "leader_received_batches",
             "leader_received_persons", *(name for name, _ in _flags(as_of))]
    names += [f"{prefix}:{v.value}" for prefix, _, values in _switches() for v in values]
    names += [f"channel:{c.value}" for c in Channel]
    for matter_pass in passes:
        for name in names:
            matter_pass.sums.setdefault(name, 0)
    return passes


def _matter_pass(session: Session, *, date_from: date, date_to: date, as_of: date) -> _MatterPass:
    return _matter_passes(session, periods=[(date_from, date_to)], as_of=as_of)[0]


def _transfer_passes(session: Session, *, periods: list[tuple[date, date]]) -> list[tuple[int, int, int, int]]:
    """Per period: 交办 transfers, those answered, 催办 times, reminded matters not 重点督办.

    Grouped by the matter's 登记日期 (ix_matters_tally order, no sort): a matter has one day,
    so the per-day distinct counts add up, and adjacent periods are read in one range.
    """
    assign = Transfer.kind == TransferKind.ASSIGN
    figures = [[0, 0, 0, 0] for _ in periods]
    for scan_from, scan_to in _scans(periods):
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
            .where(_in_period(scan_from, scan_to))
            .group_by(Matter.received_on)
        )
        for day, *values in session.execute(query):
            for (start, end), sums in zip(periods, figures):
                if start <= day <= end:
                    for k, value in enumerate(values):
                        sums[k] += int(value)
    return [(a, b, c, d) for a, b, c, d in figures]


def head_counts(session: Session, *, date_from: date, date_to: date, as_of: date,
                matters: _MatterPass | None = None,
                transfer_figures: tuple[int, int, int, int] | None = None) -> HeadCounts:
    """The scalar figures of one period: one pass over its matters, plus transfers and 批示."""
    if matters is None:
        matters = _matter_pass(session, date_from=date_from, date_to=date_to, as_of=as_of)
    m = {k: int(v) if k != "closed_days" else float(v) for k, v in matters.sums.items()}
    by_channel = {c.value: m[f"channel:{c.value}"] for c in Channel}
    skip_by_level = {s.value: m[f"skip:{s.value}"] for s in SkipLevel}
    if transfer_figures is None:
        transfer_figures = _transfer_passes(session, periods=[(date_from, date_to)])[0]
    transfers, answered, reminder_times, reminded_not_key = transfer_figures
    reviewed = m["leader_reviewed"]
    total, key = m["total"], m["key_supervision"]
    n_closed, on_time, overdue_open, overdue_closed = (m["closed"], m["closed_on_time"], m["overdue_open"],
                                                       m["overdue_closed"])
    days = m["closed_days"]
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


def _by_unit(session: Session, period: Any, as_of: date) -> tuple[UnitFigures, ...]:
    answered = Transfer.state == TransferState.ANSWERED
    report_days = func.julianday(Feedback.received_on) - func.julianday(Transfer.sent_on)
    query = (
        select(
            Unit.name,
            func.count(Transfer.id),
            _flag(answered),
            _flag(and_(answered, or_(Transfer.due_on.is_(None), Feedback.received_on <= Transfer.due_on))),
            _flag(or_(and_(answered, Feedback.received_on > Transfer.due_on),
                      and_(~answered, Transfer.due_on < as_of))),
            func.sum(case((answered, report_days))),
            _flag(Matter.satisfaction.is_not(None)),
            _flag(Matter.satisfaction.in_([Satisfaction.SATISFIED, Satisfaction.BASICALLY])),
        )
        .select_from(Transfer)
        .join(Matter, Matter.id == Transfer.matter_id)
        .join(Unit, Unit.id == Transfer.unit_id)
        .outerjoin(Feedback, and_(Feedback.transfer_id == Transfer.id, Feedback.accepted.is_(True)))
        .where(period, Transfer.kind == TransferKind.ASSIGN)
        .group_by(Unit.id, Unit.name)
    )
    rows = [
        UnitFigures(name, assigned, closed, on_time, overdue, mean_days(days, closed), evaluated, satisfied,
                    percent(satisfied, evaluated), float(days or 0.0))
        for name, assigned, closed, on_time, overdue, days, evaluated, satisfied in session.execute(query)
    ]
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


# From this many days on, walking all of ix_matters_place in group order beats seeking the
# period's range and sorting it (a year: 0.17 s against 0.5 s at a million matters).
_PLACE_INDEX_DAYS = 90
_PLACE_INDEX = "ix_matters_place"


def _category_place_counts(session: Session, *, date_from: date, date_to: date) -> list[tuple[int | None, str, int]]:
    """(category id, 发生地, matters) of the period."""
    query = (
        select(Matter.category_id, Matter.place, func.count())
        .where(_in_period(date_from, date_to))
        .group_by(Matter.category_id, Matter.place)
    )
    # SQLite's planner, without statistics, prefers the date range; a database not yet
    # migrated to 0006 (a read-only copy) has no such index and goes the plain way
    if (date_to - date_from).days >= _PLACE_INDEX_DAYS and session.scalar(
        text("SELECT 1 FROM sqlite_master WHERE type = 'index' AND name = :name"), {"name": _PLACE_INDEX}
    ):
        query = query.with_hint(Matter, f"INDEXED BY {_PLACE_INDEX}", "sqlite")
    return [(category_id, place, n) for category_id, place, n in session.execute(query)]


def tally(session: Session, *, date_from: date, date_to: date, as_of: date | None = None) -> Tally:
    """Every figure of DOMAIN §4 for [date_from, date_to] and the same dates one year earlier.

    See the module docstring for the exact definition of each figure.
    """
    if date_to < date_from:
        raise ValidationError(
            f"统计的结束日期{cn_date(date_to)}早于开始日期{cn_date(date_from)}，请重新选择", field="统计期间"
        )
    current = as_of or today()
    last_from, last_to = one_year_earlier(date_from), one_year_earlier(date_to)
    # both periods in one pass: for a year, last year ends the day before this one begins
    periods = [(date_from, date_to), (last_from, last_to)]
    matters, last_matters = _matter_passes(session, periods=periods, as_of=current)
    this_transfers, last_transfers = _transfer_passes(session, periods=periods)
    this = head_counts(session, date_from=date_from, date_to=date_to, as_of=current, matters=matters,
                       transfer_figures=this_transfers)
    last = head_counts(session, date_from=last_from, date_to=last_to, as_of=current, matters=last_matters,
                       transfer_figures=last_transfers)
    period = _in_period(date_from, date_to)
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

    places: dict[str, int] = {}
    townships: dict[str, int] = {}
    category_counts: dict[int | None, int] = {}
    for category_id, place, n in _category_place_counts(session, date_from=date_from, date_to=date_to):
        category_counts[category_id] = category_counts.get(category_id, 0) + n
        name = (place or "").strip() or NO_PLACE
        places[name] = places.get(name, 0) + n
        town = name.split(PLACE_SEPARATOR, 1)[0].strip() or NO_PLACE
        townships[town] = townships.get(town, 0) + n

    by_first, by_second = _categories(session, category_counts, total)
    return Tally(
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
        by_unit=_by_unit(session, period, current),
    )


def tally_year(session: Session, *, year: int, as_of: date | None = None) -> Tally:
    date_from, date_to = year_range(year)
    return tally(session, date_from=date_from, date_to=date_to, as_of=as_of)


def years_with_matters(session: Session) -> list[int]:
    """The years from the first to the last 登记日期, newest first (for the 统计 tab's year picker).

    min/max ride the received-date index; DISTINCT year would scan a million rows.
    """
    first, last = session.execute(select(func.min(Matter.received_on), func.max(Matter.received_on))).one()
    if first is None:
        return []
    return list(range(last.year, first.year - 1, -1))
