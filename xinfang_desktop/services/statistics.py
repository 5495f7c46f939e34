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
- 督办件 = matters marked 重点督办 OR reminded (催办) at least once. 催办 times = the
  number of 催办 events on the timeline of the period's matters.
- 息访 = matters marked 息访; 办结未息访 = 办结 and not 息访.
- 越级 by level 到市 / 赴省 / 进京.
- 承办单位 (per unit, over its 交办 transfers of the period's matters): 交办数 = transfers;
  办结 = transfers whose report was accepted (已反馈, the unit's 报结); 按期 = accepted report
  received on or before the transfer's deadline; 超期 = accepted after it, or still
  unanswered past it at the as-of date; 平均天数 = mean of (report date − 交办日期);
  满意率 over the 回访 results of those matters.
- Percentages have one decimal, rounded half up; a division by zero gives None ("—").
  同比 = (this − last) / last over the same dates one year earlier (29 Feb → 28 Feb).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import and_, case, func, or_, select
from sqlalchemy.orm import Session

from xinfang_desktop.db.models import Category, Event, Feedback, Instruction, Matter, Transfer, Unit
from xinfang_desktop.domain.enums import (
    Channel,
    Decision,
    EventKind,
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


def head_counts(session: Session, *, date_from: date, date_to: date, as_of: date) -> HeadCounts:
    """The scalar figures of one period: one pass over its matters, plus transfers, 批示 and 催办."""
    period = _in_period(date_from, date_to)
    visit = Matter.channel == Channel.VISIT
    closed = Matter.status == Status.CLOSED
    closed_days = func.julianday(Matter.closed_on) - func.julianday(Matter.received_on)
    row = session.execute(
        select(
            func.count(Matter.id),
            func.coalesce(func.sum(case((visit, Matter.persons), else_=0)), 0),
            _flag(Matter.purpose == Purpose.CONSULTATION),
            _flag(Matter.collective),
            func.coalesce(func.sum(case((Matter.collective, Matter.persons), else_=0)), 0),
            _flag(Matter.joint),
            _flag(Matter.anonymous),
            _flag(Matter.skip_level.is_not(None)),
            _flag(Matter.repeat),
            _flag(or_(Matter.decision.is_(None), Matter.decision.not_in([Decision.REJECT, Decision.FILE]))),
            _flag(closed),
            _flag(and_(closed, or_(Matter.due_on.is_(None), Matter.closed_on <= Matter.due_on))),
            _flag(and_(Matter.status == Status.IN_PROGRESS, Matter.due_on < as_of)),
            _flag(and_(closed, Matter.closed_on > Matter.due_on)),
            func.coalesce(func.sum(case((closed, closed_days), else_=0)), 0),
            _flag(Matter.satisfaction.is_not(None)),
            _flag(Matter.satisfaction == Satisfaction.SATISFIED),
            _flag(Matter.satisfaction == Satisfaction.BASICALLY),
            _flag(Matter.satisfaction == Satisfaction.UNSATISFIED),
            _flag(Matter.key_supervision),
            _flag(and_(visit, Matter.receiving_leader != "")),
            func.coalesce(func.sum(case((and_(visit, Matter.receiving_leader != ""), Matter.persons), else_=0)), 0),
            _flag(Matter.settled),
            _flag(and_(closed, ~Matter.settled)),
        ).where(period)
    ).one()
    (total, visit_persons, consultations, collective, collective_persons, joint, anonymous, skip, repeat,
     required, n_closed, on_time, overdue_open, overdue_closed, days, evaluated, n_satisfied, n_basic,
     n_unsatisfied, key, leader_batches, leader_persons, settled, closed_not_settled) = row

    by_channel = {c.value: 0 for c in Channel}
    skip_by_level = {s.value: 0 for s in SkipLevel}
    for channel, skip_level, n in session.execute(
        select(Matter.channel, Matter.skip_level, func.count()).where(period).group_by(
            Matter.channel, Matter.skip_level)
    ):
        by_channel[Channel(channel).value] += n
        if skip_level is not None:
            skip_by_level[SkipLevel(skip_level).value] += n

    transfers, answered = session.execute(
        select(func.count(Transfer.id), _flag(Transfer.state != TransferState.WAITING))
        .join(Matter, Matter.id == Transfer.matter_id)
        .where(period, Transfer.kind == TransferKind.ASSIGN)
    ).one()
    reviewed = session.scalar(
        select(func.count(func.distinct(Instruction.matter_id)))
        .join(Matter, Matter.id == Instruction.matter_id)
        .where(period)
    ) or 0
    reminder_times, reminded, reminded_key = session.execute(
        select(
            func.count(Event.id),
            func.count(func.distinct(Event.matter_id)),
            func.count(func.distinct(case((Matter.key_supervision, Event.matter_id)))),
        )
        .join(Matter, Matter.id == Event.matter_id)
        .where(period, Event.kind == EventKind.REMINDED.value)
    ).one()
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
        supervised=key + reminded - reminded_key,
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


def _categories(session: Session, period: Any, total: int) -> tuple[tuple[CategoryCount, ...], tuple[CategoryCount, ...]]:
    cats = {c.id: c for c in session.scalars(select(Category))}
    order = {c.id: (c.position, c.id) for c in cats.values()}
    first_counts: dict[str, int] = {}
    second_counts: dict[tuple[str, str], int] = {}
    first_order: dict[str, tuple[int, int]] = {}
    for category_id, n in session.execute(
        select(Matter.category_id, func.count()).where(period).group_by(Matter.category_id)
    ):
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


def tally(session: Session, *, date_from: date, date_to: date, as_of: date | None = None) -> Tally:
    """Every figure of DOMAIN §4 for [date_from, date_to] and the same dates one year earlier.

    See the module docstring for the exact definition of each figure.
    """
    if date_to < date_from:
        raise ValidationError(
            f"统计的结束日期{cn_date(date_to)}早于开始日期{cn_date(date_from)}，请重新选择", field="统计期间"
        )
    current = as_of or today()
    this = head_counts(session, date_from=date_from, date_to=date_to, as_of=current)
    last_from, last_to = one_year_earlier(date_from), one_year_earlier(date_to)
    last = head_counts(session, date_from=last_from, date_to=last_to, as_of=current)
    period = _in_period(date_from, date_to)
    total = this.total

    month = func.substr(Matter.received_on, 1, 7)
    sources: dict[str, int] = {}
    purposes: dict[str, int] = {}
    month_channel: dict[tuple[str, str], int] = {}
    for channel, source, purpose, ym, n in session.execute(
        select(Matter.channel, Matter.source, Matter.purpose, month, func.count())
        .where(period)
        .group_by(Matter.channel, Matter.source, Matter.purpose, month)
    ):
        sources[Source(source).value] = sources.get(Source(source).value, 0) + n
        purposes[Purpose(purpose).value] = purposes.get(Purpose(purpose).value, 0) + n
        key = (Channel(channel).value, ym)
        month_channel[key] = month_channel.get(key, 0) + n
    months = _months(date_from, date_to)
    by_month_channel = {c.value: tuple(month_channel.get((c.value, m), 0) for m in months) for c in Channel}
    by_month = tuple((m, sum(month_channel.get((c.value, m), 0) for c in Channel)) for m in months)

    places: dict[str, int] = {}
    townships: dict[str, int] = {}
    for place, n in session.execute(select(Matter.place, func.count()).where(period).group_by(Matter.place)):
        name = (place or "").strip() or NO_PLACE
        places[name] = places.get(name, 0) + n
        town = name.split(PLACE_SEPARATOR, 1)[0].strip() or NO_PLACE
        townships[town] = townships.get(town, 0) + n

    by_first, by_second = _categories(session, period, total)
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
