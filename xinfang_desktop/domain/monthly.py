"""每月信访情况汇总分析 as frozen values: the month beside the month before (环比) and the same month last
year (同比), the hot issues, what is past due, the 排查 summary, and the paragraph in the reports' style."""

from __future__ import annotations

from dataclasses import dataclass, field

from xinfang_desktop.domain.enums import Channel
from xinfang_desktop.domain.letters import LetterContent, Paragraph, Table
from xinfang_desktop.domain.places import in_prose
from xinfang_desktop.domain.tally import NO_PLACE, Count, HeadCounts, change, show_change, show_percent


@dataclass(frozen=True)
class Screening:
    """The month's 矛盾纠纷排查 at a glance."""

    villages: int = 0
    reported: int = 0
    zero: int = 0
    disputes: int = 0
    resolved: int = 0
    major: int = 0
    petitioned: int = 0
    past_due: int = 0
    unreported: tuple[str, ...] = ()


@dataclass(frozen=True)
class PastDue:
    """A matter open past its deadline at the as-of date."""

    number: str
    title: str
    days: int  # days past due
    unit: str


@dataclass(frozen=True)
class MonthlyReport:
    year: int
    month: int
    as_of_text: str  # 2026年6月30日
    this: HeadCounts
    previous: HeadCounts  # the month before
    last_year: HeadCounts  # the same month one year earlier
    categories: tuple[Count, ...] = ()  # first-level 问题分类, most first
    places: tuple[Count, ...] = ()  # 问题发生地, most first
    past_due: tuple[PastDue, ...] = ()
    screening: Screening = field(default_factory=Screening)

    @property
    def label(self) -> str:
        return f"{self.year}年{self.month}月"

    def mom(self, name: str) -> float | None:
        """环比 of one head count (or a channel by its Chinese value), percent with one decimal."""
        return change(_value(self.this, name), _value(self.previous, name))

    def yoy(self, name: str) -> float | None:
        """同比 of one head count (or a channel by its Chinese value)."""
        return change(_value(self.this, name), _value(self.last_year, name))


def _value(counts: HeadCounts, name: str) -> int:
    if name in counts.by_channel or name in {c.value for c in Channel}:
        return counts.by_channel.get(name, 0)
    return int(getattr(counts, name))


FIGURES: tuple[tuple[str, str], ...] = (  # (label, HeadCounts field or channel) of the comparison table
    ("总量（件次）", "total"), ("来信（件）", Channel.LETTER.value), ("来访（批次）", Channel.VISIT.value),
    ("来访（人次）", "visit_persons"), ("网上信访（件）", Channel.ONLINE.value), ("来电（件）", Channel.CALL.value),
    ("集体访（批）", "collective_batches"), ("重复信访（件）", "repeat"), ("越级（件）", "skip_level"),
    ("办结（件）", "closed"), ("领导接访（批）", "leader_received_batches"), ("领导约访（人次）", "leader_invited_persons"),
    ("领导下访（次）", "leader_visits"), ("领导包案（件）", "leader_charged"), ("验证（件）", "verified"),
    ("其中未落实", "verified_not_done"),
)


def figure_table(report: MonthlyReport) -> list[tuple[str, int, int, str, int, str]]:
    """(label, this month, the month before, 环比, the same month last year, 同比) per figure."""
    return [(label, _value(report.this, name), _value(report.previous, name), show_change(report.mom(name)),
             _value(report.last_year, name), show_change(report.yoy(name))) for label, name in FIGURES]


def _moved(word: str, value: float | None) -> str:
    return f"{word}{show_change(value)}" if value is not None else ""


def summary_text(report: MonthlyReport, *, top: int = 3) -> str:
    """The month's paragraph, in the wording of the monthly 汇总分析 the offices send up."""
    t = report.this
    if t.total == 0:
        text = f"{report.label}，未受理群众来信来访。"
    else:
        moves = "，".join(m for m in (_moved("环比", report.mom("total")), _moved("同比", report.yoy("total"))) if m)
        text = f"{report.label}，共受理群众来信来访{t.total}件次" + (f"，{moves}" if moves else "")
        letters, visits = t.by_channel.get(Channel.LETTER.value, 0), t.by_channel.get(Channel.VISIT.value, 0)
        parts = ([f"来信{letters}件"] if letters else []) + ([f"来访{visits}批{t.visit_persons}人次"] if visits else [])
        others = t.total - letters - visits
        if others:
            parts.append(f"来电、网上等其他形式{others}件")
        text += ("；其中" + "、".join(parts) if parts else "") + "。"
        cats = [c for c in report.categories if c.count][:top]
        if cats:
            text += "反映较集中的问题是：" + "、".join(
                f"{c.name if c.name.endswith('类') else c.name + '类'}{c.count}件（占{show_percent(c.share)}）"
                for c in cats) + "。"
        flags = ([f"重复信访{t.repeat}件"] if t.repeat else []) + ([f"越级信访{t.skip_level}件"] if t.skip_level else []) \
            + ([f"集体访{t.collective_batches}批{t.collective_persons}人次"] if t.collective_batches else [])
        if flags:
            text += "，".join(flags) + "。"
        # matters without a 问题发生地 are no place where problems arise (the table still lists them)
        places = [p for p in report.places if p.count and p.name != NO_PLACE][:top]
        if places:
            text += "问题发生较多的是" + "、".join(f"{in_prose(p.name)}{p.count}件" for p in places) + "。"
    text += f"截至{report.as_of_text}，超过办理期限未办结的信访事项{len(report.past_due)}件"
    text += "，已逐件督办。" if report.past_due else "。"
    leaders = []
    if t.leader_received_batches:
        leaders.append(f"领导接访{t.leader_received_batches}批{t.leader_received_persons}人次")
    if t.leader_invited:
        leaders.append(f"约访{t.leader_invited}次{t.leader_invited_persons}人次")
    if t.leader_visits:
        leaders.append(f"下访{t.leader_visits}次{t.leader_visit_batches}批{t.leader_visit_persons}人次")
    if t.leader_charged:
        leaders.append(f"领导包案{t.leader_charged}件")
    if t.verified:
        leaders.append(f"验证{t.verified}件" + (f"（未落实{t.verified_not_done}件）" if t.verified_not_done else ""))
    if leaders:
        text += "本月" + "，".join(leaders) + "。"
    s = report.screening
    if s.villages:
        text += (f"本月矛盾纠纷排查：{s.villages}个村（社区）应报，已报{s.reported}个（其中零报告{s.zero}个），"
                 f"排查出矛盾纠纷{s.disputes}件，已化解{s.resolved}件，重大风险{s.major}件")
        text += f"；{len(s.unreported)}个村（社区）未上报。" if s.unreported else "。"
    return text


def monthly_json(report: MonthlyReport, summary: str) -> dict[str, object]:
    """The `xinfang monthly --json` object: `total`, `mom` and `yoy` as in the year-end tally, and the rest."""
    t = report.this
    return {
        "month": f"{report.year:04d}-{report.month:02d}",
        "total": t.total,
        "by_channel": dict(t.by_channel),
        "visit_persons": t.visit_persons,
        "previous_month": {"total": report.previous.total, "by_channel": dict(report.previous.by_channel)},
        "same_month_last_year": {"total": report.last_year.total, "by_channel": dict(report.last_year.by_channel)},
        "mom": {"total": report.mom("total"), "by_channel": {c.value: report.mom(c.value) for c in Channel}},
        "yoy": {"total": report.yoy("total"), "by_channel": {c.value: report.yoy(c.value) for c in Channel}},
        "hot": {
            "categories": {c.name: c.count for c in report.categories},
            "repeat": t.repeat,
            "skip_level": t.skip_level,
            "places": {p.name: p.count for p in report.places},
        },
        "past_due": {"count": len(report.past_due),
                     "matters": [{"number": p.number, "title": p.title, "days": p.days, "unit": p.unit}
                                 for p in report.past_due]},
        "leaders": {"received": {"batches": t.leader_received_batches, "persons": t.leader_received_persons},
                    "invited": {"times": t.leader_invited, "persons": t.leader_invited_persons},
                    "visits": {"times": t.leader_visits, "batches": t.leader_visit_batches,
                               "persons": t.leader_visit_persons},
                    "charged": t.leader_charged, "verified": t.verified, "not_done": t.verified_not_done},
        "screening": {"villages": report.screening.villages, "reported": report.screening.reported,
                      "zero": report.screening.zero, "disputes": report.screening.disputes,
                      "resolved": report.screening.resolved, "major": report.screening.major,
                      "unreported": list(report.screening.unreported)},
        "summary_text": summary,
    }


FIGURE_HEADERS = ("项目", "本月", "上月", "环比", "去年同月", "同比")
PAST_DUE_HEADERS = ("编号", "标题", "承办单位", "超期天数")
PAST_DUE_LISTED = 10  # in the letter; the workbook lists them all


def monthly_letter(report: MonthlyReport, *, office: str, summary: str, date_text: str) -> LetterContent:
    """The analysis as a document to send up (GB/T 9704 through letter_pdf): headings, the paragraph, and the
    figures and the matters past due as tables, one line a figure."""
    figures = Table(FIGURE_HEADERS, tuple(tuple(str(v) for v in row) for row in figure_table(report)),
                    centred=frozenset(range(1, 6)))
    paragraphs: list[Paragraph | Table] = [Paragraph("一、基本情况", 1), Paragraph(summary),
                                           Paragraph("二、主要数据", 1), figures]
    paragraphs.append(Paragraph("三、超期未办结事项", 1))
    if report.past_due:
        paragraphs.append(Paragraph(f"截至{report.as_of_text}，超过办理期限未办结的信访事项{len(report.past_due)}件"
                                    + ("：" if len(report.past_due) <= PAST_DUE_LISTED
                                       else f"，超期最久的{PAST_DUE_LISTED}件如下（全部见汇总分析表）：")))
        longest = sorted(report.past_due, key=lambda p: -p.days)[:PAST_DUE_LISTED]
        paragraphs.append(Table(PAST_DUE_HEADERS, tuple((p.number, p.title, p.unit or "本机关", str(p.days))
                                                        for p in longest), centred=frozenset({3})))
    else:
        paragraphs.append(Paragraph("无。"))
    s = report.screening
    paragraphs.append(Paragraph("四、矛盾纠纷排查", 1))
    paragraphs.append(Paragraph(
        f"应报{s.villages}个村（社区），已报{s.reported}个，零报告{s.zero}个；排查出矛盾纠纷{s.disputes}件，已化解"
        f"{s.resolved}件，重大风险{s.major}件，引发信访{s.petitioned}件，超过化解期限{s.past_due}件。"
        + (f"未上报：{'、'.join(map(in_prose, s.unreported))}。" if s.unreported else "")))
    return LetterContent(kind="信访情况汇总分析", title=f"{report.label}信访情况汇总分析", addressee="",
                         paragraphs=tuple(paragraphs), signature=office, date=date_text)
