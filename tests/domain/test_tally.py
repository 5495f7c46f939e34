"""DOMAIN §4 arithmetic: percentages with one decimal, 同比, and the 基本情况 paragraph's wording."""

from __future__ import annotations

from datetime import date

from xinfang_desktop.domain.tally import (
    CategoryCount,
    HeadCounts,
    Tally,
    change,
    mean_days,
    percent,
    show_change,
    show_percent,
)
from xinfang_desktop.domain.tally_text import period_label, summary_text


def test_seed_report_letters_change_is_eight_point_zero_not_seven_point_four() -> None:
    # the seed printed "来信256件,较去年同期237件次,上升7.4%"; (256 − 237) / 237 = 8.02%
    assert change(256, 237) == 8.0
    assert show_change(change(256, 237)) == "上升8.0%"


def test_seed_report_total_change() -> None:
    # "499件次,较去年同期453件次,上升10%": 46 / 453 = 10.15%
    assert change(499, 453) == 10.2


def test_decrease_and_flat_and_nothing_to_compare() -> None:
    assert show_change(change(237, 256)) == "下降7.4%"
    assert show_change(change(5, 5)) == "持平"
    assert change(5, 0) is None
    assert show_change(None) == "—"


def test_percent_rounds_half_up_with_one_decimal() -> None:
    assert percent(422, 502) == 84.1
    assert percent(1, 8) == 12.5
    assert percent(33, 400) == 8.3  # 8.25 → 8.3, where round() on floats gives 8.2
    assert percent(0, 7) == 0.0
    assert percent(3, 0) is None
    assert show_percent(percent(344, 1000)) == "34.4%"
    assert show_percent(None) == "—"


def test_mean_days() -> None:
    assert mean_days(100.0, 3) == 33.3
    assert mean_days(0.0, 0) is None


def _tally(this: HeadCounts, last: HeadCounts, frm: date, to: date, cats: tuple[CategoryCount, ...] = ()) -> Tally:
    return Tally(date_from=frm, date_to=to, as_of=to, this=this, last=last, last_from=frm.replace(year=frm.year - 1),
                 last_to=to.replace(year=to.year - 1), by_category=cats)


def _channels(letters: int, visits: int, calls: int = 0) -> dict[str, int]:
    return {"来信": letters, "来访": visits, "来电": calls, "传真": 0, "网上信访": 0, "其他": 0}


def test_summary_paragraph_in_the_seeds_wording() -> None:
    this = HeadCounts(total=499, by_channel=_channels(256, 119, 0), visit_persons=814, consultations=124,
                      required=499, closed=499, closed_on_time=499, closed_days=4990.0,
                      repeat=50, assigned_transfers=200, transfers_with_feedback=190)
    last = HeadCounts(total=453, by_channel=_channels(237, 100), visit_persons=700)
    cats = (CategoryCount("农村农业", "", 120, percent(120, 499)), CategoryCount("未分类", "", 6, percent(6, 499)))
    text = summary_text(_tally(this, last, date(2025, 1, 1), date(2025, 12, 31), cats))
    assert text.startswith("全年共受理群众来信来访499件次，较去年同期453件次，上升10.2%；")
    assert "其中来信256件，较去年同期237件，上升8.0%" in text
    assert "来访119批（次）814人次，较去年同期100批（次），上升19.0%" in text
    assert "咨询124件" in text
    assert "农村农业类120件，占24.0%" in text
    assert "，未分类6件，占1.2%。" in text and "未分类类" not in text
    assert "重复信访50件，占10.0%" in text
    assert "反馈率95.0%" in text
    assert "办结率100.0%" in text
    assert "7.4" not in text


def test_summary_of_a_range_names_its_dates_and_skips_missing_comparisons() -> None:
    this = HeadCounts(total=3, by_channel=_channels(3, 0), required=3)
    text = summary_text(_tally(this, HeadCounts(by_channel=_channels(0, 0)), date(2025, 3, 1), date(2025, 6, 30)))
    assert text.startswith("2025年3月1日至2025年6月30日共受理群众来信来访3件次；其中来信3件。")
    assert "较去年同期" not in text
    assert "办结率0.0%" in text


def test_summary_of_an_empty_period() -> None:
    empty = HeadCounts(by_channel=_channels(0, 0))
    assert summary_text(_tally(empty, empty, date(2025, 1, 1), date(2025, 12, 31))) == "全年未受理群众来信来访。"


def test_period_label() -> None:
    assert period_label(date(2025, 1, 1), date(2025, 12, 31)) == "2025年"
    assert period_label(date(2025, 1, 1), date(2025, 6, 30)) == "2025年1月1日至2025年6月30日"
