"""The year-end tally as frozen values and the rounding rules of DOMAIN §4 (its wording: tally_text)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal


def percent(part: int | float, whole: int | float) -> float | None:
    """part / whole as a percentage with one decimal, rounded half up; None when whole is 0.

    Decimal, not round(): round(8.25, 1) gives 8.2 on binary floats, a clerk's hand gives 8.3.
    """
    if not whole:
        return None
    value = Decimal(str(part)) * 100 / Decimal(str(whole))
    return float(value.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


def change(this: int | float, last: int | float) -> float | None:
    """同比 = (this − last) / last in percent, one decimal; None ("—") when last is 0."""
    return percent(this - last, last)


def mean_days(total_days: float | None, count: int) -> float | None:
    """A mean of day counts with one decimal, rounded half up; None when nothing was counted."""
    if not count or total_days is None:
        return None
    value = Decimal(str(total_days)) / Decimal(count)
    return float(value.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


def show_percent(value: float | None) -> str:
    """34.4% or "—"."""
    return "—" if value is None else f"{value:.1f}%"


def show_change(value: float | None) -> str:
    """上升8.0% / 下降3.1% / 持平 / "—" (nothing to compare with)."""
    if value is None:
        return "—"
    if value > 0:
        return f"上升{value:.1f}%"
    if value < 0:
        return f"下降{-value:.1f}%"
    return "持平"


NO_PLACE = "未填写"  # the 问题发生地 of a matter registered without one, in the tally and its breakdowns


@dataclass(frozen=True)
class Count:
    """One row of a breakdown: a name, how many, and its share of the total (or of its own base)."""

    name: str
    count: int
    share: float | None


@dataclass(frozen=True)
class CategoryCount:
    """问题分类 row: first level, second level ("" for the first-level total), count, share of 总量."""

    first: str
    second: str
    count: int
    share: float | None


@dataclass(frozen=True)
class UnitFigures:
    """承办单位 row. See services.statistics for the exact definitions."""

    unit: str
    assigned: int
    closed: int
    on_time: int
    overdue: int
    avg_days: float | None
    evaluated: int
    satisfied: int
    satisfaction_rate: float | None
    report_days: float = 0.0  # the sum behind avg_days, so a total row can be averaged exactly
    assisted: int = 0  # 协办件: its transfers as 协办, counted in none of the figures above


@dataclass(frozen=True)
class HeadCounts:
    """The counts compared year on year (the 同比 columns)."""

    total: int = 0
    by_channel: dict[str, int] = field(default_factory=dict)
    by_source: dict[str, int] = field(default_factory=dict)  # 来源, in the vocabulary's order
    by_purpose: dict[str, int] = field(default_factory=dict)  # 信访目的, likewise
    visit_persons: int = 0
    consultations: int = 0
    collective_batches: int = 0
    collective_persons: int = 0
    joint_letters: int = 0
    anonymous: int = 0
    skip_level: int = 0
    repeat: int = 0
    required: int = 0
    closed: int = 0
    closed_on_time: int = 0
    overdue: int = 0
    overdue_open: int = 0
    overdue_closed: int = 0
    closed_days: float = 0.0
    assigned_transfers: int = 0
    transfers_with_feedback: int = 0
    evaluated: int = 0
    satisfied: int = 0
    basically_satisfied: int = 0
    unsatisfied: int = 0
    supervised: int = 0
    key_supervision: int = 0
    reminders: int = 0
    leader_reviewed: int = 0
    leader_received_batches: int = 0
    leader_received_persons: int = 0
    settled: int = 0
    closed_not_settled: int = 0
    skip_by_level: dict[str, int] = field(default_factory=dict)
    # 复查 and 复核 requests (a procedure on an existing matter: in none of the figures above)
    reviews: int = 0
    reviews_closed: int = 0
    rechecks: int = 0
    rechecks_closed: int = 0
    # by the day of the 包案 and of the 验证, not the 登记日期 (a matter of last year may be taken on this year)
    leader_charged: int = 0  # 领导包案 件
    leader_charged_closed: int = 0  # of them 已办结 now
    leader_charged_settled: int = 0  # of them 息访 now
    verified: int = 0  # 验证 件: matters verified at least once
    verified_not_done: int = 0  # of them found 未落实 at least once
    leader_invited: int = 0  # 领导约访 次 (by the day held)
    leader_invited_persons: int = 0  # 领导约访 人次
    leader_visits: int = 0  # 领导下访 次
    leader_visit_batches: int = 0  # 下访 接谈 批
    leader_visit_persons: int = 0  # 下访 接谈 人次

    @property
    def closure_rate(self) -> float | None:
        return percent(self.closed, self.required)

    @property
    def on_time_rate(self) -> float | None:
        return percent(self.closed_on_time, self.closed)

    @property
    def avg_days(self) -> float | None:
        return mean_days(self.closed_days, self.closed)

    @property
    def feedback_rate(self) -> float | None:
        return percent(self.transfers_with_feedback, self.assigned_transfers)

    @property
    def satisfaction_rate(self) -> float | None:
        return percent(self.satisfied + self.basically_satisfied, self.evaluated)

    def share(self, count: int) -> float | None:
        """A share of 总量."""
        return percent(count, self.total)


@dataclass(frozen=True)
class Tally:
    """Every figure of DOMAIN §4 for one period, beside the same period one year earlier."""

    date_from: date
    date_to: date
    as_of: date
    this: HeadCounts
    last: HeadCounts
    last_from: date
    last_to: date
    by_source: tuple[Count, ...] = ()
    by_purpose: tuple[Count, ...] = ()
    by_category: tuple[CategoryCount, ...] = ()  # first levels, most first
    by_subcategory: tuple[CategoryCount, ...] = ()  # (first, second) pairs, grouped by first level
    by_township: tuple[Count, ...] = ()
    by_place: tuple[Count, ...] = ()  # the full 问题发生地 (乡镇/村)
    by_month: tuple[tuple[str, int], ...] = ()  # ("2025-01", n) for every month of the period
    by_month_channel: dict[str, tuple[int, ...]] = field(default_factory=dict)  # channel → counts per month
    by_unit: tuple[UnitFigures, ...] = ()
    last_by_month: tuple[tuple[str, int], ...] = ()  # the same months one year earlier

    @property
    def is_calendar_year(self) -> bool:
        return (self.date_from.month, self.date_from.day, self.date_to.month, self.date_to.day) == (1, 1, 12, 31) \
            and self.date_from.year == self.date_to.year

    def yoy(self, name: str) -> float | None:
        """同比 of one head count by attribute name, or of a channel by its Chinese value."""
        if name in self.this.by_channel:
            return change(self.this.by_channel[name], self.last.by_channel.get(name, 0))
        return change(getattr(self.this, name), getattr(self.last, name))
