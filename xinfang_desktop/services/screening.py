"""矛盾纠纷排查: each 村's monthly report (its disputes, or a 零报告), who has not reported, what is past due,
and a dispute registered as a 信访事项 in one step (linked both ways)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session

from xinfang_desktop import wallclock
from xinfang_desktop.db.models import Category, Dispute, Event, Matter, ZeroReport
from xinfang_desktop.domain.enums import Channel, DisputeState, EventKind, RiskLevel
from xinfang_desktop.domain.errors import NotFoundError, ValidationError
from xinfang_desktop.domain.values import MatterInput, MatterRef, PetitionerInput
from xinfang_desktop.domain.workflow import records
from xinfang_desktop.domain.workflow.records import month_of, parse_month
from xinfang_desktop.exporters.screening_import import DisputeRow, read_disputes
from xinfang_desktop.services.cases import rules
from xinfang_desktop.services.common import actor
from xinfang_desktop.services.lists import category_label, region_tree
from xinfang_desktop.services.reference import find_category
from xinfang_desktop.services.registry import register_matter
from xinfang_desktop.wallclock import today


def month_range(month: str) -> tuple[date, date]:
    """2026-11 → (2026-11-01, 2026-11-30)."""
    year, number = parse_month(month)
    first = date(year, number, 1)
    return first, (first + timedelta(days=32)).replace(day=1) - timedelta(days=1)


def villages(session: Session) -> list[str]:
    """Every active 村 as 乡镇/村, in the order of the 乡镇和村 list: those that owe a monthly report."""
    return [f"{town}/{village}" for town, names in region_tree(session).items() for village in names]


def _dispute(session: Session, row: Dispute) -> records.Dispute:
    number = session.scalar(select(Matter.number).where(Matter.id == row.matter_id)) if row.matter_id else ""
    return records.Dispute(row.found_on, row.village, row.parties, row.category_id, row.summary, row.risk,
                           row.responsible, row.resolve_by, row.state, row.petitioned, row.matter_id, number or "",
                           category_label(session, row.category_id), row.id)


def _in_month(month: str) -> ColumnElement[bool]:
    first, last = month_range(month)
    return Dispute.found_on.between(first, last)


def _zero(session: Session, month: str, village: str) -> ZeroReport | None:
    return session.scalar(select(ZeroReport).where(ZeroReport.month == month, ZeroReport.village == village))


def add_dispute(session: Session, *, found_on: date, village: str, parties: str, category_id: int | None,
                summary: str, risk: RiskLevel, responsible: str, resolve_by: date,
                state: DisputeState = DisputeState.RESOLVING, petitioned: bool = False) -> records.Dispute:
    """One dispute a 村 reported; refused for a 村 that sent that month's 零报告."""
    if category_id is not None and session.get(Category, category_id) is None:
        raise NotFoundError("所选纠纷类型不存在，请重新选择", field="纠纷类型")
    zero = _zero(session, month_of(found_on), village.strip()) is not None
    found = records.dispute(found_on=found_on, village=village, parties=parties, category_id=category_id,
                            summary=summary, risk=risk, responsible=responsible, resolve_by=resolve_by, state=state,
                            rules=rules(session), petitioned=petitioned, zero_reported=zero)
    row = Dispute(found_on=found.found_on, village=found.village, parties=found.parties, category_id=found.category_id,
                  summary=found.summary, risk=found.risk, responsible=found.responsible, resolve_by=found.resolve_by,
                  state=found.state, petitioned=found.petitioned, created_at=wallclock.now())
    session.add(row)
    session.flush()
    return _dispute(session, row)


def set_dispute_state(session: Session, *, dispute_id: int, state: DisputeState) -> records.Dispute:
    """化解情况 as it moves on (化解中 → 已化解)."""
    row = session.get(Dispute, dispute_id)
    if row is None:
        raise NotFoundError("找不到该矛盾纠纷")
    row.state = DisputeState(state)
    session.flush()
    return _dispute(session, row)


def add_zero_report(session: Session, *, month: str, village: str, reported_on: date) -> str:
    """A 村's 零报告; refused when it reported a dispute that month (or a 零报告 already)."""
    month = month_of(month_range(month)[0])
    disputes = session.scalar(select(func.count(Dispute.id)).where(_in_month(month), Dispute.village == village.strip()))
    already = _zero(session, month, village.strip()) is not None
    month, village, reported_on = records.zero_report(month=month, village=village, reported_on=reported_on,
                                                      rules=rules(session), disputes=disputes or 0, already=already)
    session.add(ZeroReport(month=month, village=village, reported_on=reported_on))
    session.flush()
    return village


def list_disputes(session: Session, *, month: str) -> list[records.Dispute]:
    """The month's disputes, by 村 then 排查日期."""
    rows = session.scalars(select(Dispute).where(_in_month(month)).order_by(Dispute.village, Dispute.found_on,
                                                                             Dispute.id))
    return [_dispute(session, row) for row in rows]


def zero_reports(session: Session, *, month: str) -> list[str]:
    return list(session.scalars(select(ZeroReport.village).where(ZeroReport.month == month).order_by(ZeroReport.id)))


def unreported(session: Session, *, month: str) -> list[str]:
    """The 村 that sent neither a dispute nor a 零报告 this month."""
    reported = set(zero_reports(session, month=month))
    reported |= set(session.scalars(select(Dispute.village).where(_in_month(month))))
    return [v for v in villages(session) if v not in reported]


def past_due(session: Session, *, on: date | None = None) -> list[records.Dispute]:
    """Disputes not yet 已化解 past their 化解期限 (shown on the 督办 board), longest past first."""
    current = on or today()
    rows = session.scalars(select(Dispute).where(Dispute.state != DisputeState.RESOLVED, Dispute.resolve_by < current)
                           .order_by(Dispute.resolve_by, Dispute.id))
    return [_dispute(session, row) for row in rows]


def disputes_of_matter(session: Session, matter_id: int) -> list[records.Dispute]:
    """The dispute(s) a matter came from: the link back from the 卷宗."""
    return [_dispute(session, r) for r in session.scalars(select(Dispute).where(Dispute.matter_id == matter_id))]


def to_matter(session: Session, *, dispute_id: int, on: date, channel: Channel = Channel.VISIT) -> MatterRef:
    """The dispute becomes a 信访事项: registered from its own fields, linked both ways, noted on both sides."""
    row = session.get(Dispute, dispute_id)
    if row is None:
        raise NotFoundError("找不到该矛盾纠纷")
    if row.matter_id is not None:
        number = session.scalar(select(Matter.number).where(Matter.id == row.matter_id))
        raise ValidationError(f"该矛盾纠纷已登记为信访事项{number}", field="信访事项")
    names = [n.strip() for n in row.parties.replace("，", "、").replace(",", "、").split("、") if n.strip()]
    data = MatterInput(received_on=on, channel=channel, title=row.summary[:60], content=row.summary,
                       petitioners=tuple(PetitionerInput(name=n) for n in names[:5]), category_id=row.category_id,
                       place=row.village, persons=max(1, len(names)) if channel is Channel.VISIT else 1,
                       note=f"由{row.village}{row.found_on.year}年{row.found_on.month}月矛盾纠纷排查转入")
    ref = register_matter(session, data)
    row.matter_id, row.petitioned = ref.id, True
    session.add(Event(matter_id=ref.id, at=wallclock.now(), actor=actor(session),
                      kind=EventKind.DISPUTE,
                      text=f"由矛盾纠纷排查转入：{row.village}，排查日期{row.found_on.isoformat()}，"
                           f"风险等级{row.risk.value}，责任人{row.responsible}"))
    session.flush()
    return ref


@dataclass(frozen=True)
class MonthScreening:
    """A month's 排查 at a glance: who reported, how many disputes, how many 已化解 and of 重大 risk."""

    month: str
    villages: int
    reported: int
    zero: int
    disputes: int
    resolved: int
    major: int
    petitioned: int
    past_due: int
    unreported: tuple[str, ...] = ()

    @property
    def missing(self) -> int:
        return len(self.unreported)


def month_summary(session: Session, *, month: str, as_of: date | None = None) -> MonthScreening:
    found = list_disputes(session, month=month)
    zero = zero_reports(session, month=month)
    missing = unreported(session, month=month)
    all_villages = villages(session)
    current = as_of or today()
    reporting = {d.village for d in found} | set(zero)
    return MonthScreening(
        month=month_of(month_range(month)[0]), villages=len(all_villages), reported=len(reporting), zero=len(zero),
        disputes=len(found), resolved=sum(d.state is DisputeState.RESOLVED for d in found),
        major=sum(d.risk is RiskLevel.MAJOR for d in found), petitioned=sum(d.petitioned for d in found),
        past_due=sum(d.past_due(current) for d in found), unreported=tuple(missing),
    )



# the paste-or-Excel import ---------------------------------------------------------------
@dataclass(frozen=True)
class ImportPreview:
    """What 导入 would write: every row checked (what is wrong with it in `errors`), and the empty rows skipped."""

    lines: tuple[DisputeRow, ...]
    skipped: int = 0

    @property
    def wrong(self) -> list[DisputeRow]:
        return [line for line in self.lines if line.errors]


def _place(known: list[str], written: str) -> tuple[str, str]:
    """(乡镇/村, error) for a 村 as written: 乡镇/村, or a 村 name found in one 乡镇 only."""
    text = written.replace("／", "/").replace(" ", "")
    if text in known:
        return text, ""
    if "/" not in text:
        matches = [v for v in known if v.split("/", 1)[1] == text]
        if len(matches) == 1:
            return matches[0], ""
        if matches:
            return written, f"村（社区）“{written}”在{'、'.join(m.split('/')[0] for m in matches)}都有，请写成“乡镇/村”"
    return written, f"村（社区）“{written}”不在乡镇和村名单中，请写成“乡镇/村”，或先在 设置 → 乡镇和村 中添加"


def check_disputes(session: Session, *, rows: Sequence[Sequence[str]]) -> ImportPreview:
    """Every row read and checked by the same rules as one dispute entered by hand (and not one already
    registered, nor twice in the rows); nothing is written."""
    sheet = read_disputes(rows)
    known = villages(session)
    the_rules = rules(session)
    seen: dict[tuple[object, ...], int] = {}
    lines = []
    for row in sheet.rows:
        errors = list(row.errors)
        village, wrong_place = _place(known, row.village) if row.village else (row.village, "")
        if wrong_place:
            errors.append(wrong_place)
        category_id = find_category(session, row.category) if row.category else None
        if row.category and category_id is None:
            errors.append(f"纠纷类型“{row.category}”不在问题分类中，请写成“一级/二级”，如“农村农业/土地承包”")
        category = category_label(session, category_id)
        # the rules of a dispute run on every row whose fields are there to judge, so that a clerk sees all
        # that is wrong with a row at once (a 风险等级 misspelt and a 化解期限 before its 排查日期)
        complete = row.parties.strip() and row.summary.strip() and row.responsible.strip()
        if complete and not wrong_place and row.found_on is not None and row.resolve_by is not None:
            zero = _zero(session, month_of(row.found_on), village) is not None
            try:
                records.dispute(found_on=row.found_on, village=village, parties=row.parties, category_id=category_id,
                                summary=row.summary, risk=row.risk, responsible=row.responsible,
                                resolve_by=row.resolve_by, state=row.state, rules=the_rules,
                                petitioned=row.petitioned, zero_reported=zero)
            except ValidationError as exc:
                errors.append(exc.message)
            key = (row.found_on, village, row.parties.strip(), row.summary.strip())
            if key in seen:
                errors.append(f"与第{seen[key]}行相同，请删去重复的一行")
            elif session.scalar(select(func.count(Dispute.id)).where(
                    Dispute.found_on == row.found_on, Dispute.village == village,
                    Dispute.parties == key[2], Dispute.summary == key[3])):
                errors.append("这件矛盾纠纷已经登记过，请勿重复导入")
            seen.setdefault(key, row.line)
        lines.append(replace(row, village=village, category=category or row.category, category_id=category_id,
                             errors=tuple(errors)))
    return ImportPreview(tuple(lines), sheet.skipped)


def import_disputes(session: Session, *, rows: Sequence[Sequence[str]]) -> int:
    """All the rows, or none: a row with an error refuses the whole import (the caller's one transaction)."""
    preview = check_disputes(session, rows=rows)
    wrong = preview.wrong
    if wrong:
        first = wrong[0]
        raise ValidationError(f"第{first.line}行：{'；'.join(first.errors)}。共{len(wrong)}行有误，未导入任何一行，"
                              "请改正后重新检查", field="导入")
    if not preview.lines:
        raise ValidationError("没有可导入的矛盾纠纷：表头下面没有内容", field="导入")
    for line in preview.lines:
        assert line.found_on is not None and line.resolve_by is not None  # checked above
        add_dispute(session, found_on=line.found_on, village=line.village, parties=line.parties,
                    category_id=line.category_id, summary=line.summary, risk=line.risk,
                    responsible=line.responsible, resolve_by=line.resolve_by, state=line.state,
                    petitioned=line.petitioned)
    return len(preview.lines)
