"""每月信访情况汇总分析: one month's tally beside the month before and the same month last year, the
matters past due at the as-of date, and the month's 矛盾纠纷排查; written as a workbook or a PDF the same way
for `xinfang monthly -o` and the 统计 tab."""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from xinfang_desktop.db.models import Matter
from xinfang_desktop.domain.errors import ValidationError
from xinfang_desktop.domain.monthly import MonthlyReport, PastDue, Screening, monthly_letter, summary_text
from xinfang_desktop.domain.tally import Count
from xinfang_desktop.domain.workflow.checks import cn_date
from xinfang_desktop.exporters.ledger_xlsx import write_failed
from xinfang_desktop.services.screening import month_range, month_summary
from xinfang_desktop.services.settings import get_setting
from xinfang_desktop.services.statistics import tally
from xinfang_desktop.services.supervision import overdue
from xinfang_desktop.wallclock import today


def monthly(session: Session, *, month: str, as_of: date | None = None, use_cache: bool = True) -> MonthlyReport:
    """The analysis of `month` (2026-06) as of `as_of`, the day its text says (截至…): 超期 is judged at it,
    and 办结 and the rest are the matters' state then. By default today, the day the figures are counted, also
    for a month gone by: its last day would print "截至10月31日" over closures made in November."""
    first, last = month_range(month)
    current = as_of or today()
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


@dataclass(frozen=True)
class MonthlyAnalysis:
    """What the window shows and the files carry: the report, its paragraph, and the office that sends it."""

    report: MonthlyReport
    summary: str
    office: str


def analysis(session: Session, *, month: str, as_of: date | None = None) -> MonthlyAnalysis:
    report = monthly(session, month=month, as_of=as_of)
    return MonthlyAnalysis(report, summary_text(report), str(get_setting(session, "office_name")))


def month_choices(session: Session) -> tuple[list[str], str]:
    """The months to offer, newest first (from the first 登记日期 to this month), and the one to show first:
    the month just ended, or the last month with matters when they stop earlier (a practice database)."""
    now = today()
    this_month = f"{now.year:04d}-{now.month:02d}"
    before = (now.replace(day=1) - timedelta(days=1)).strftime("%Y-%m")
    # min/max ride the received-date index (a DISTINCT month would scan every matter)
    first, last = session.execute(select(func.min(Matter.received_on), func.max(Matter.received_on))).one()
    if first is None:
        return [this_month, before], before
    months, year, month = [], now.year, now.month
    start = min(first, now)
    while (year, month) >= (start.year, start.month):
        months.append(f"{year:04d}-{month:02d}")
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return months, min(before, f"{last.year:04d}-{last.month:02d}") if last < now else before


def export_analysis(done: MonthlyAnalysis, *, target: Path, issued_on: date) -> None:
    """The analysis as a workbook (.xlsx) or as a PDF to send up (.pdf), dated `issued_on`; written beside the
    target and renamed into place, so a failure leaves no half-written file."""
    suffix = target.suffix.lower()
    if suffix == ".xlsx":
        from xinfang_desktop.exporters.monthly_xlsx import write_monthly

        write_monthly(target, done.report, office=done.office, summary=done.summary)
        return
    if suffix != ".pdf":
        raise ValidationError(f"文件“{target.name}”应以 .xlsx 或 .pdf 结尾，请改用其中一种", field="文件名")
    from xinfang_desktop.exporters.letter_pdf import render_letter

    pdf = render_letter(monthly_letter(done.report, office=done.office, summary=done.summary,
                                       date_text=cn_date(issued_on)))
    part = target.with_name(f".{target.stem}.part.pdf")
    try:
        part.write_bytes(pdf)
        os.replace(part, target)
    except OSError as exc:
        part.unlink(missing_ok=True)
        raise write_failed(target, exc, "汇总分析") from exc
