"""The year-end tally in words: the 基本情况 paragraph, the rows of the 总体情况 table, the definitions
printed under it, and the JSON of `xinfang tally --json`."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from xinfang_desktop.domain.enums import Channel, SkipLevel
from xinfang_desktop.domain.tally import HeadCounts, Tally, change, percent, show_change, show_percent


def period_label(date_from: date, date_to: date) -> str:
    """全年 wording for a calendar year, otherwise the two dates."""
    if (date_from.month, date_from.day, date_to.month, date_to.day) == (1, 1, 12, 31) \
            and date_from.year == date_to.year:
        return f"{date_from.year}年"
    return f"{date_from.year}年{date_from.month}月{date_from.day}日至{date_to.year}年{date_to.month}月{date_to.day}日"


def _compare(this: int, last: int, unit: str) -> str:
    """"，较去年同期237件，上升8.0%" — or nothing when last year had none to compare with."""
    if last == 0:
        return ""
    moved = change(this, last)
    if moved == 0:
        return f"，与去年同期{last}{unit}持平"
    return f"，较去年同期{last}{unit}，{show_change(moved)}"


def _as_class(category: str) -> str:
    """农村农业 → 农村农业类; a name already ending in 类 (未分类) is not doubled."""
    return category if category.endswith("类") else f"{category}类"


def summary_text(tally: Tally, *, top_categories: int = 5) -> str:
    """The 基本情况 paragraph of the 年度信访工作总结, in the seeds' wording, from the tally's own figures."""
    t, last = tally.this, tally.last
    head = "全年" if tally.is_calendar_year else period_label(tally.date_from, tally.date_to)
    if t.total == 0:
        return f"{head}未受理群众来信来访。"
    parts = [f"{head}共受理群众来信来访{t.total}件次{_compare(t.total, last.total, '件次')}"]
    channel_bits = []
    letters = t.by_channel.get(Channel.LETTER.value, 0)
    if letters:
        channel_bits.append(
            f"来信{letters}件{_compare(letters, last.by_channel.get(Channel.LETTER.value, 0), '件')}"
        )
    visits = t.by_channel.get(Channel.VISIT.value, 0)
    if visits:
        channel_bits.append(
            f"来访{visits}批（次）{t.visit_persons}人次"
            f"{_compare(visits, last.by_channel.get(Channel.VISIT.value, 0), '批（次）')}"
        )
    for channel in (Channel.CALL, Channel.ONLINE, Channel.FAX, Channel.OTHER):
        n = t.by_channel.get(channel.value, 0)
        if n:
            label = "其他形式" if channel is Channel.OTHER else channel.value
            channel_bits.append(f"{label}{n}件")
    text = parts[0]
    if channel_bits:
        text += "；其中" + "；".join(channel_bits)
    if t.consultations:
        text += f"；咨询{t.consultations}件"
    text += "。"

    cats = [c for c in tally.by_category if c.count][:top_categories]
    if cats:
        text += "从反映的问题看，" + "，".join(
            f"{_as_class(c.first)}{c.count}件，占{show_percent(c.share)}" for c in cats
        ) + "。"

    flags = []
    if t.collective_batches:
        flags.append(f"集体访{t.collective_batches}批{t.collective_persons}人次")
    if t.joint_letters:
        flags.append(f"联名信{t.joint_letters}件")
    if t.repeat:
        flags.append(f"重复信访{t.repeat}件，占{show_percent(t.share(t.repeat))}")
    if t.skip_level:
        levels = "、".join(f"{k}{v}件" for k, v in t.skip_by_level.items() if v)
        flags.append(f"越级信访{t.skip_level}件" + (f"（{levels}）" if levels else ""))
    if t.anonymous:
        flags.append(f"匿名信访{t.anonymous}件")
    if flags:
        text += "；".join(flags) + "。"

    handling = []
    if t.leader_reviewed:
        handling.append(f"领导审阅把关的信访件达{t.leader_reviewed}件，占{show_percent(t.share(t.leader_reviewed))}")
    if t.leader_received_batches:
        handling.append(f"领导接访{t.leader_received_batches}批{t.leader_received_persons}人次")
    if t.leader_invited:
        handling.append(f"领导约访{t.leader_invited}次{t.leader_invited_persons}人次")
    if t.leader_visits:
        handling.append(f"领导下访{t.leader_visits}次，接待群众{t.leader_visit_batches}批{t.leader_visit_persons}人次")
    if t.leader_charged:
        handling.append(f"领导包案{t.leader_charged}件，已办结{t.leader_charged_closed}件、"
                        f"息访{t.leader_charged_settled}件")
    if t.supervised:
        handling.append(f"督办件{t.supervised}件" + (f"，催办{t.reminders}次" if t.reminders else ""))
    if t.assigned_transfers:
        handling.append(f"交办件{t.assigned_transfers}件次，反馈率{show_percent(t.feedback_rate)}")
    if handling:
        text += "；".join(handling) + "。"

    closing = f"已办结{t.closed}件，办结率{show_percent(t.closure_rate)}"
    if t.closed:
        closing += f"，其中按期办结{t.closed_on_time}件，按期办结率{show_percent(t.on_time_rate)}"
        if t.avg_days is not None:
            closing += f"，平均办理{t.avg_days:.1f}天"
    if t.evaluated:
        closing += f"；回访{t.evaluated}件，满意率{show_percent(t.satisfaction_rate)}"
    if t.settled:
        closing += f"；息访{t.settled}件"
    if t.verified:
        closing += f"；验证{t.verified}件" + (f"，其中未落实{t.verified_not_done}件，已重新督办"
                                             if t.verified_not_done else "，均已落实")
    text += closing + "。"
    return text


SKIP_LEVELS: tuple[str, ...] = tuple(level.value for level in SkipLevel)
CHANNELS: tuple[str, ...] = tuple(channel.value for channel in Channel)


@dataclass(frozen=True)
class FigureRow:
    """One line of the 总体情况 table, as the 统计 tab and the tally workbook both show it."""

    label: str
    this: int | float | None
    last: int | float | None
    yoy: str  # 上升8.0% / 下降… / 持平 / — ; for a rate, the change in 百分点
    share: str  # share of 总量 ("" where a share means nothing)
    kind: str = "count"  # "count", "percent" (a rate) or "days" (平均办理天数)
    indent: int = 0

    @property
    def is_rate(self) -> bool:
        return self.kind != "count"

    def show(self, value: int | float | None) -> str:
        """The value as the table prints it: 1065, 99.8%, 43.0 or —."""
        if value is None:
            return "—"
        if self.kind == "percent":
            return show_percent(float(value))
        if self.kind == "days":
            return f"{value:.1f}"
        return str(value)


def _count_row(label: str, this: int, last: int, total: int, *, indent: int = 0, share: bool = True) -> FigureRow:
    return FigureRow(label, this, last, show_change(change(this, last)),
                     show_percent(percent(this, total)) if share else "", indent=indent)


def _rate_row(label: str, this: float | None, last: float | None, *, days: bool = False) -> FigureRow:
    if this is None or last is None:
        moved = "—"
    elif days:
        diff = float((Decimal(str(this)) - Decimal(str(last))).quantize(Decimal("0.1")))
        moved = "持平" if diff == 0 else (f"增加{diff:.1f}天" if diff > 0 else f"减少{-diff:.1f}天")
    else:
        diff = float((Decimal(str(this)) - Decimal(str(last))).quantize(Decimal("0.1")))
        moved = "持平" if diff == 0 else (f"上升{diff:.1f}个百分点" if diff > 0 else f"下降{-diff:.1f}个百分点")
    return FigureRow(label, this, last, moved, "", kind="days" if days else "percent")


def figure_rows(tally: Tally) -> list[FigureRow]:
    """Every head figure of DOMAIN §4 with last year's value, 同比 and share, in the report's order."""
    t, p = tally.this, tally.last
    n = t.total
    rows = [_count_row("总量（件次）", t.total, p.total, n, share=False)]
    labels = {"来信": "来信（件）", "来访": "来访（批次）", "来电": "来电（件）", "传真": "传真（件）",
              "网上信访": "网上信访（件）", "其他": "其他形式（件）"}
    for channel in CHANNELS:
        rows.append(_count_row(labels[channel], t.by_channel.get(channel, 0), p.by_channel.get(channel, 0), n,
                               indent=1))
        if channel == "来访":
            rows.append(_count_row("来访（人次）", t.visit_persons, p.visit_persons, n, indent=1, share=False))
    rows += [
        _count_row("咨询（件）", t.consultations, p.consultations, n),
        _count_row("集体访（批）", t.collective_batches, p.collective_batches, n),
        _count_row("集体访（人次）", t.collective_persons, p.collective_persons, n, share=False),
        _count_row("联名信（件）", t.joint_letters, p.joint_letters, n),
        _count_row("匿名（件）", t.anonymous, p.anonymous, n),
        _count_row("越级（件）", t.skip_level, p.skip_level, n),
    ]
    for level in SKIP_LEVELS:
        rows.append(_count_row(level, t.skip_by_level.get(level, 0), p.skip_by_level.get(level, 0), n, indent=1))
    rows += [
        _count_row("重复信访（件）", t.repeat, p.repeat, n),
        _count_row("领导阅批（件）", t.leader_reviewed, p.leader_reviewed, n),
        _count_row("领导接访（批）", t.leader_received_batches, p.leader_received_batches, n),
        _count_row("领导接访（人次）", t.leader_received_persons, p.leader_received_persons, n, share=False),
        _count_row("领导约访（次）", t.leader_invited, p.leader_invited, n, share=False),
        _count_row("领导约访（人次）", t.leader_invited_persons, p.leader_invited_persons, n, share=False),
        _count_row("领导下访（次）", t.leader_visits, p.leader_visits, n, share=False),
        _count_row("下访接待（批）", t.leader_visit_batches, p.leader_visit_batches, n, indent=1, share=False),
        _count_row("下访接待（人次）", t.leader_visit_persons, p.leader_visit_persons, n, indent=1, share=False),
        _count_row("领导包案（件）", t.leader_charged, p.leader_charged, n, share=False),
        _count_row("其中办结", t.leader_charged_closed, p.leader_charged_closed, n, indent=1, share=False),
        _count_row("其中息访", t.leader_charged_settled, p.leader_charged_settled, n, indent=1, share=False),
        _count_row("督办件（件）", t.supervised, p.supervised, n),
        _count_row("其中重点督办", t.key_supervision, p.key_supervision, n, indent=1),
        _count_row("催办（次）", t.reminders, p.reminders, n, share=False),
        _count_row("交办（件次）", t.assigned_transfers, p.assigned_transfers, n, share=False),
        _count_row("已反馈（件次）", t.transfers_with_feedback, p.transfers_with_feedback, n, indent=1, share=False),
        _rate_row("反馈率", t.feedback_rate, p.feedback_rate),
        _count_row("需办理（件）", t.required, p.required, n),
        _count_row("办结（件）", t.closed, p.closed, n),
        _rate_row("办结率", t.closure_rate, p.closure_rate),
        _count_row("按期办结（件）", t.closed_on_time, p.closed_on_time, n, indent=1),
        _rate_row("按期办结率", t.on_time_rate, p.on_time_rate),
        _count_row("超期（件）", t.overdue, p.overdue, n),
        _count_row("在办超期", t.overdue_open, p.overdue_open, n, indent=1),
        _count_row("逾期办结", t.overdue_closed, p.overdue_closed, n, indent=1),
        _rate_row("平均办理天数", t.avg_days, p.avg_days, days=True),
        _count_row("回访（件）", t.evaluated, p.evaluated, n),
        _count_row("满意", t.satisfied, p.satisfied, n, indent=1, share=False),
        _count_row("基本满意", t.basically_satisfied, p.basically_satisfied, n, indent=1, share=False),
        _count_row("不满意", t.unsatisfied, p.unsatisfied, n, indent=1, share=False),
        _rate_row("满意率", t.satisfaction_rate, p.satisfaction_rate),
        _count_row("息访（件）", t.settled, p.settled, n),
        _count_row("办结未息访（件）", t.closed_not_settled, p.closed_not_settled, n),
        _count_row("复查（件）", t.reviews, p.reviews, n, share=False),
        _count_row("其中已办结", t.reviews_closed, p.reviews_closed, n, indent=1, share=False),
        _count_row("复核（件）", t.rechecks, p.rechecks, n, share=False),
        _count_row("其中已办结", t.rechecks_closed, p.rechecks_closed, n, indent=1, share=False),
        _count_row("验证（件）", t.verified, p.verified, n, share=False),
        _count_row("其中未落实", t.verified_not_done, p.verified_not_done, n, indent=1, share=False),
    ]
    # the breakdowns by 来源 and 信访目的 (DOMAIN §4), year on year as 信访形式 is
    rows += [_count_row(f"来源：{name}（件）", count, p.by_source.get(name, 0), n) for name, count in t.by_source.items()]
    rows += [_count_row(f"目的：{name}（件）", count, p.by_purpose.get(name, 0), n)
             for name, count in t.by_purpose.items()]
    return rows


DEFINITIONS: tuple[str, ...] = (
    "统计口径：按登记日期统计，起止日期均含；已作废事项不计入任何数字。",
    "复查、复核是对已有事项的程序，单列为复查（件）、复核（件），不计入总量、来信、来访、集体访等各项。",
    "同比＝（本期－去年同期）÷去年同期；去年同期为0时不计（—）。比率的变化以百分点表示。",
    "需办理＝受理决定不是不予受理、存查的事项（含尚未作出决定的）；办结率＝办结÷需办理。",
    "按期办结＝在办理期限（含延期后的期限）内办结；没有办理期限的（转送、直接答复）视为按期。按期办结率＝按期办结÷办结。",
    "超期＝办理中且已过办理期限的，加上逾期办结的。平均办理天数＝办结日期－登记日期的平均数。",
    "反馈率＝已收到反馈（含退回补办）的交办件次÷交办件次；转送不要求反馈，不计入。满意率＝（满意＋基本满意）÷已回访。",
    "督办件＝列为重点督办或被催办过的事项；催办次数按卷宗中的催办记录计。领导阅批＝有领导批示的事项。",
    "领导约访、下访按约访、下访日期，领导包案按包案日期，验证按验证日期统计（不按登记日期）；其中办结、息访为统计时的状态；"
    "未落实＝验证中有未落实记录的事项。",
    "承办单位：交办数、办结、按期、超期、满意率只计主办；协办的单列为协办件。办结指该单位的办理结果已反馈并经审核采纳（报结）；"
    "按期、超期以交办期限计；平均天数＝报结日期－交办日期。",
)


def _head_json(counts: HeadCounts) -> dict[str, object]:
    return {
        "total": counts.total,
        "by_channel": {c: counts.by_channel.get(c, 0) for c in CHANNELS},
        "visit_persons": counts.visit_persons,
        "consultations": counts.consultations,
        "collective_visits": {"batches": counts.collective_batches, "persons": counts.collective_persons},
        "joint_letters": counts.joint_letters,
        "anonymous": counts.anonymous,
        "skip_level": counts.skip_level,
        "skip_by_level": {s: counts.skip_by_level.get(s, 0) for s in SKIP_LEVELS},
        "repeat": counts.repeat,
        "required": counts.required,
        "closed": counts.closed,
        "closure_rate": counts.closure_rate,
        "closed_on_time": counts.closed_on_time,
        "on_time_rate": counts.on_time_rate,
        "overdue": counts.overdue,
        "overdue_open": counts.overdue_open,
        "overdue_closed": counts.overdue_closed,
        "avg_days": counts.avg_days,
        "assigned_transfers": counts.assigned_transfers,
        "transfers_with_feedback": counts.transfers_with_feedback,
        "feedback_rate": counts.feedback_rate,
        "evaluated": counts.evaluated,
        "satisfaction": {"满意": counts.satisfied, "基本满意": counts.basically_satisfied, "不满意": counts.unsatisfied},
        "satisfaction_rate": counts.satisfaction_rate,
        "supervised": counts.supervised,
        "key_supervision": counts.key_supervision,
        "reminders": counts.reminders,
        "leader_reviewed": counts.leader_reviewed,
        "leader_reviewed_share": counts.share(counts.leader_reviewed),
        "leader_received": {"batches": counts.leader_received_batches, "persons": counts.leader_received_persons},
        "settled": counts.settled,
        "closed_not_settled": counts.closed_not_settled,
        "reviews": {"count": counts.reviews, "closed": counts.reviews_closed},
        "rechecks": {"count": counts.rechecks, "closed": counts.rechecks_closed},
        "leader_charged": {"cases": counts.leader_charged, "closed": counts.leader_charged_closed,
                           "settled": counts.leader_charged_settled},
        "verified": {"cases": counts.verified, "not_done": counts.verified_not_done},
        "leader_invited": {"times": counts.leader_invited, "persons": counts.leader_invited_persons},
        "leader_visits": {"times": counts.leader_visits, "batches": counts.leader_visit_batches,
                          "persons": counts.leader_visit_persons},
    }


def tally_json(tally: Tally, summary: str) -> dict[str, object]:
    """The `xinfang tally --json` object: the issue's keys, plus the extra figures under their own names."""
    out: dict[str, object] = {
        "date_from": tally.date_from.isoformat(),
        "date_to": tally.date_to.isoformat(),
        "as_of": tally.as_of.isoformat(),
    }
    out.update(_head_json(tally.this))
    out.update({
        "by_source": {c.name: c.count for c in tally.by_source},
        "by_purpose": {c.name: c.count for c in tally.by_purpose},
        "by_category": {c.first: c.count for c in tally.by_category},
        "by_subcategory": [{"first": c.first, "second": c.second, "count": c.count} for c in tally.by_subcategory],
        "by_township": {c.name: c.count for c in tally.by_township},
        "by_place": {c.name: c.count for c in tally.by_place},
        "months": [m for m, _ in tally.by_month],
        "by_month": [n for _, n in tally.by_month],
        "by_unit": [
            {"unit": u.unit, "assigned": u.assigned, "closed": u.closed, "on_time": u.on_time, "overdue": u.overdue,
             "avg_days": u.avg_days, "satisfaction_rate": u.satisfaction_rate, "assisted": u.assisted}
            for u in tally.by_unit
        ],
        "last_year": {"date_from": tally.last_from.isoformat(), "date_to": tally.last_to.isoformat(),
                      **_head_json(tally.last), "by_month": [n for _, n in tally.last_by_month]},
        "yoy": {
            "total": tally.yoy("total"),
            "by_channel": {c: tally.yoy(c) for c in CHANNELS},
            "visit_persons": tally.yoy("visit_persons"),
        },
        "summary_text": summary,
    })
    return out
