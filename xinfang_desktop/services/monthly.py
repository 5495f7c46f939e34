"""每月信访情况汇总分析: one month's tally beside the month before and the same month last year, the
matters past due at the as-of date, and the month's 矛盾纠纷排查."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy.orm import Session

from xinfang_desktop.domain.monthly import MonthlyReport, PastDue, Screening
from xinfang_desktop.domain.tally import Count
from xinfang_desktop.domain.workflow.checks import cn_date
from xinfang_desktop.services.screening import month_range, month_summary
from xinfang_desktop.services.statistics import tally
from xinfang_desktop.services.supervision import overdue
from xinfang_desktop.wallclock import today


def monthly(session: Session, *, month: str, as_of: date | None = None, use_cache: bool = True) -> MonthlyReport:
    """The analysis of `month` (2026-06). `as_of` (default: the month's last day, or today if sooner) is the
    day 超期 is judged at."""
    first, last = month_range(month)
    current = as_of or min(last, today())
    this = tally(session, date_from=first, date_to=last, as_of=current, use_cache=use_cache)
    previous_last = first - timedelta(days=1)
    previous_first = previous_last.replace(day=1)
    previous = tally(session, date_from=previous_first, date_to=previous_last, as_of=current, use_cache=use_cache)
    # each matter once, with its longest-overdue deadline (a matter with two units is two rows on the board)
    seen: dict[int, PastDue] = {}
    for row in overdue(session, on=current):
        if row.matter_id not in seen:
            seen[row.matter_id] = PastDue(row.number, row.title, -row.days_left, row.unit)
    s = month_summary(session, month=month, as_of=current)
    screening = Screening(s.villages, s.reported, s.zero, s.disputes, s.resolved, s.major, s.petitioned, s.past_due,
                          s.unreported)
    return MonthlyReport(year=first.year, month=first.month, as_of_text=cn_date(current), this=this.this,
                         previous=previous.this, last_year=this.last,
                         categories=tuple(Count(c.first, c.count, c.share) for c in this.by_category),
                         places=this.by_place, past_due=tuple(seen.values()), screening=screening)

