"""The 每月汇总分析's 基本情况, as pasted into the month's report."""

from __future__ import annotations

from xinfang_desktop.domain.monthly import MonthlyReport, summary_text
from xinfang_desktop.domain.tally import NO_PLACE, Count, HeadCounts


def _report(*places: Count) -> MonthlyReport:
    counts = HeadCounts(total=6, by_channel={"来信": 6})
    return MonthlyReport(year=2026, month=11, as_of_text="2026年11月30日", this=counts, previous=HeadCounts(),
                         last_year=HeadCounts(), places=places)


def test_the_places_named_are_places_not_the_matters_without_one() -> None:
    text = summary_text(_report(Count(NO_PLACE, 3, 0.5), Count("河口镇/李家湾村", 2, 0.33), Count("河口镇/沙洲村", 1, 0.17)))
    assert "问题发生较多的是河口镇李家湾村2件、河口镇沙洲村1件。" in text
    assert NO_PLACE not in text
    # a month whose matters all lack a 问题发生地 names none
    assert "问题发生较多" not in summary_text(_report(Count(NO_PLACE, 6, 1.0)))
