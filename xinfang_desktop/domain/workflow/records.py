"""The records around the matters: 领导约访/下访, the 领导接访日 roster, 矛盾纠纷排查 and 零报告, with their rules.

Pure values and checks: each function returns the frozen record to write, or raises a
ValidationError whose Chinese message names the field.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from xinfang_desktop.domain.enums import DisputeState, MeetingKind, RiskLevel
from xinfang_desktop.domain.errors import ValidationError
from xinfang_desktop.domain.values import ReceptionDay as ReceptionDay
from xinfang_desktop.domain.workflow.checks import (
    MAX_PERSONS,
    cn_date,
    require_day,
    require_not_before,
    require_text,
)
from xinfang_desktop.domain.workflow.state import Rules

WEEKDAYS = "一二三四五六日"


def weekday(day: date) -> str:
    """星期四."""
    return f"星期{WEEKDAYS[day.weekday()]}"


def month_of(day: date) -> str:
    """2026-11: the month a 排查 report belongs to."""
    return f"{day.year:04d}-{day.month:02d}"


def parse_month(text: str) -> tuple[int, int]:
    """2026-11 → (2026, 11), or a ValidationError naming 月份."""
    try:
        year_text, month_text = text.strip().split("-")
        year, month = int(year_text), int(month_text)
    except ValueError:
        raise ValidationError(f"“月份”{text}应写成年-月，如2026-11", field="月份") from None
    if not 1 <= month <= 12 or not 1980 <= year <= 9999:
        raise ValidationError(f"“月份”{text}不是有效的月份，请写成年-月，如2026-11", field="月份")
    return year, month


@dataclass(frozen=True)
class Meeting:
    """领导约访 (the petitioner invited) or 下访 (leaders going down to a village)."""

    kind: MeetingKind
    held_on: date
    leader: str
    post: str
    place: str
    people: str  # who was met
    talk: str  # what was said
    agreed: str  # what was agreed
    batches: int = 1
    persons: int = 1
    matter_id: int | None = None
    matter_number: str = ""  # shown beside a meeting on a matter
    id: int | None = None


def meeting(*, kind: MeetingKind, held_on: date, leader: str, post: str, place: str, people: str, talk: str,
            agreed: str, rules: Rules, batches: int = 1, persons: int = 1, matter_id: int | None = None) -> Meeting:
    """A meeting as the clerk records it; a 约访 is always on a matter (the petitioner is invited about it)."""
    kind = MeetingKind(kind)
    label = f"{kind.value}日期"
    require_day(held_on, label, rules)
    if kind is MeetingKind.INVITED and matter_id is None:
        raise ValidationError("领导约访应针对一件信访事项，请先选择事项", field="信访事项")
    if batches < 1:
        raise ValidationError("“批次”至少为1", field="批次")
    if not 1 <= persons <= MAX_PERSONS:
        raise ValidationError(f"“人次”应在1到{MAX_PERSONS}之间", field="人次")
    if batches > persons:
        raise ValidationError(f"“批次”{batches}多于“人次”{persons}，请核对", field="批次")
    return Meeting(kind, held_on, require_text(leader, "领导", max_len=32), post.strip()[:32],
                   require_text(place, "地点", max_len=100), require_text(people, "接谈对象"),
                   require_text(talk, "谈话内容"), agreed.strip(), batches, persons, matter_id)


def meeting_text(m: Meeting) -> str:
    """The line a meeting writes on its matter's timeline."""
    text = f"{cn_date(m.held_on)}{m.post}{m.leader}在{m.place}{m.kind.value}{m.people}：{m.talk}"
    return text + (f"；商定：{m.agreed}" if m.agreed else "")


def reception_day(*, day: date, leader: str, post: str, place: str, hours: str, today: date,
                  taken: bool = False) -> ReceptionDay:
    """A new roster line: not for a day already past (the notice announces days to come), one a leader a day."""
    if day < today:
        raise ValidationError(f"“接访日期”{cn_date(day)}已经过去，公告只能安排今天及以后的接访日", field="接访日期")
    leader = require_text(leader, "接访领导", max_len=32)
    if taken:
        raise ValidationError(f"{leader}在{cn_date(day)}已有接访安排", field="接访日期")
    return ReceptionDay(day, leader, require_text(post, "领导职务", max_len=32), require_text(place, "接访地点", max_len=100),
                        require_text(hours, "接访时间", max_len=32))


@dataclass(frozen=True)
class Dispute:
    """One dispute a 村 reported in the monthly 矛盾纠纷排查."""

    found_on: date  # 排查日期
    village: str  # 乡镇/村
    parties: str  # 当事人
    category_id: int | None  # 纠纷类型, from the 问题分类 tree
    summary: str  # 简要情况
    risk: RiskLevel
    responsible: str  # 责任人
    resolve_by: date  # 化解期限
    state: DisputeState  # 化解情况
    petitioned: bool = False  # 是否引发信访
    matter_id: int | None = None
    matter_number: str = ""
    category: str = ""
    id: int | None = None

    def past_due(self, on: date) -> bool:
        """Not yet 已化解 and past its 化解期限."""
        return self.state is not DisputeState.RESOLVED and self.resolve_by < on


def dispute(*, found_on: date, village: str, parties: str, category_id: int | None, summary: str,
            risk: RiskLevel, responsible: str, resolve_by: date, state: DisputeState, rules: Rules,
            petitioned: bool = False, zero_reported: bool = False) -> Dispute:
    """A dispute as the 村 reports it. `zero_reported`: the 村 sent a 零报告 for that month already."""
    require_day(found_on, "排查日期", rules)
    village = require_text(village, "村", max_len=64)
    require_not_before(resolve_by, found_on, "化解期限", "排查日期")
    if zero_reported:
        raise ValidationError(
            f"{village}{found_on.year}年{found_on.month}月已报零报告；如确有纠纷，请先撤回该月的零报告", field="村")
    return Dispute(found_on, village, require_text(parties, "当事人"), category_id, require_text(summary, "简要情况"),
                   RiskLevel(risk), require_text(responsible, "责任人", max_len=32), resolve_by, DisputeState(state),
                   petitioned)


def zero_report(*, month: str, village: str, reported_on: date, rules: Rules, disputes: int,
                already: bool = False) -> tuple[str, str, date]:
    """A 村's 零报告 for a month: refused when it reported a dispute that month, or a 零报告 already."""
    year, number = parse_month(month)
    village = require_text(village, "村", max_len=64)
    require_day(reported_on, "报告日期", rules)
    if disputes:
        raise ValidationError(f"{village}{year}年{number}月已上报{disputes}件矛盾纠纷，不能再报零报告", field="村")
    if already:
        raise ValidationError(f"{village}{year}年{number}月已报过零报告", field="村")
    return f"{year:04d}-{number:02d}", village, reported_on
