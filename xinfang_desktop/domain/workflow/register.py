"""登记 and correcting a registered matter: from a form (or a ledger row) to a matter's first state."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from xinfang_desktop.domain.enums import Channel, EventKind, PetitionerRole, Purpose, Route, Source
from xinfang_desktop.domain.errors import ConfirmationRequired, ValidationError
from xinfang_desktop.domain.idcard import check_id_number, mask_id_number, normalize_id_number
from xinfang_desktop.domain.status import Action
from xinfang_desktop.domain.validation import COLLECTIVE_PERSONS, check_phone
from xinfang_desktop.domain.values import MatterInput, PetitionerInput
from xinfang_desktop.domain.workflow.checks import (
    cn_date,
    require_day,
    require_persons,
    require_step,
    require_text,
)
from xinfang_desktop.domain.workflow.state import Case, Line, MatterState, Outcome, Rules, outcome

MAX_REPRESENTATIVES = 5  # Art. 20
TITLE_MAX = 200


@dataclass(frozen=True)
class Earlier:
    """The matter a new one repeats (重复信访), as 登记 needs to know it."""

    id: int
    number: str
    final: bool


def validate(data: MatterInput, rules: Rules) -> None:
    """The checks of 登记 that need nothing but the form, the rules and today."""
    require_text(data.title, "标题", max_len=TITLE_MAX)
    require_day(data.received_on, "登记日期", rules)
    require_persons(data.persons)
    reps = [p for p in data.petitioners if p.role is PetitionerRole.REPRESENTATIVE]
    if len(reps) > MAX_REPRESENTATIVES:
        raise ValidationError(
            f"多人来访推选的代表人不超过{MAX_REPRESENTATIVES}人（信访工作条例第二十条），现在是{len(reps)}人",
            field="代表人",
        )
    named = [p for p in data.petitioners if p.name.strip()]
    if not data.anonymous and not named and not data.petitioner_unrecorded:
        raise ValidationError("请填写信访人“姓名”；不愿留名的请勾选“匿名”", field="姓名")
    if len(named) > data.persons and data.channel is Channel.VISIT:
        raise ValidationError(
            f"登记了{len(named)}名来访人，但“人数”只有{data.persons}，请核对人数", field="人数"
        )
    if data.source is Source.ASSIGNED_FROM_ABOVE and data.source_level is None:
        raise ValidationError("上级交办件请选择交办层级（国家/省/市/县）", field="来源层级")
    if data.route is not None and data.purpose is not Purpose.CLAIM:
        raise ValidationError("只有申诉求决类事项需要选择办理途径", field="办理途径")


def id_warnings(petitioners: tuple[PetitionerInput, ...], today: date | None = None) -> list[str]:
    """The ID-number warnings for the petitioners of a form, one Chinese line each (a birth date after
    `today`, by default the program's, is one)."""
    warnings = []
    for p in petitioners:
        if p.id_number.strip():
            result = check_id_number(p.id_number, today=today)
            if not result.ok:
                warnings.append(f"{p.name or '信访人'}的身份证号{result.number}：{result.reason}")
    return warnings


def registered_text(data: MatterInput) -> str:
    """The timeline's line for 登记."""
    names = "、".join(p.name for p in data.petitioners if p.name.strip()) or (
        "未登记" if data.petitioner_unrecorded and not data.anonymous else "匿名")
    return f"登记{data.channel.value}：{data.title.strip()}（信访人：{names}，人数{data.persons}）"


def is_collective(channel: Channel, persons: int) -> bool:
    return channel is Channel.VISIT and persons >= COLLECTIVE_PERSONS


def register(
    data: MatterInput, rules: Rules, *, number: str, seq: int, repeat_of: Earlier | None = None
) -> Outcome:
    """登记: the new matter (no id yet) and its first timeline lines.

    A bad ID check digit raises ConfirmationRequired unless `accept_id_warnings` is set, in
    which case the override is written on the timeline. The caller gives the 编号 and 序号.
    """
    validate(data, rules)
    warned = id_warnings(data.petitioners, rules.today)
    if warned and not data.accept_id_warnings:
        raise ConfirmationRequired("；".join(warned) + "。确认号码无误仍要保存吗？", field="身份证号")
    route = data.route
    if data.purpose is Purpose.CLAIM and route is None:
        route = Route.ORDINARY
    collective = data.collective
    if collective is None:
        collective = is_collective(data.channel, data.persons)
    matter = MatterState(
        year=data.received_on.year,
        seq=seq,
        number=number,
        received_on=data.received_on,
        channel=data.channel,
        source=data.source,
        source_level=data.source_level if data.source is Source.ASSIGNED_FROM_ABOVE else None,
        purpose=data.purpose,
        route=route,
        category_id=data.category_id,
        place=data.place.strip(),
        title=data.title.strip(),
        content=data.content.strip(),
        demand=data.demand.strip(),
        persons=data.persons,
        collective=collective,
        joint=data.joint,
        anonymous=data.anonymous,
        skip_level=data.skip_level,
        repeat=bool(data.repeat) or repeat_of is not None,
        repeat_of_id=repeat_of.id if repeat_of is not None else None,
        involves_deputy=data.involves_deputy,
        in_scope=data.in_scope,
        receiving_leader=data.receiving_leader.strip(),
        proposal=data.proposal.strip(),
        notice_due=rules.clock.notice_due(data.received_on),
        note=data.note.strip(),
    )
    lines = [Line(EventKind.REGISTERED, registered_text(data), {"number": number})]
    warnings = list(warned)
    if warned:
        lines.append(Line(EventKind.ID_OVERRIDE, "经确认按原号码保存：" + "；".join(warned)))
    if data.proposal.strip():
        lines.append(Line(EventKind.PROPOSED, data.proposal.strip()))
    if repeat_of is not None:
        lines.append(Line(EventKind.REPEAT_LINKED, f"确认为重复信访，原事项{repeat_of.number}"))
        if repeat_of.final:
            warnings.append(f"原事项{repeat_of.number}已复核终结：同一事实和理由不再受理（条例第三十六条）")
    return Outcome(case=Case(matter), lines=tuple(lines), warnings=tuple(warnings))


# what 修改 may change, with the label the timeline names it by
EDITABLE = {
    "received_on": "登记日期",
    "channel": "信访形式",
    "source": "来源",
    "source_level": "来源层级",
    "purpose": "信访目的",
    "route": "办理途径",
    "category_id": "问题分类",
    "place": "问题发生地",
    "title": "标题",
    "content": "反映内容",
    "demand": "诉求",
    "persons": "人数",
    "joint": "联名信",
    "anonymous": "匿名",
    "skip_level": "越级",
    "repeat": "重复信访",
    "involves_deputy": "涉及人大代表",
    "in_scope": "属于本机关受理范围",
    "receiving_leader": "接访领导",
    "note": "备注",
}


def show(value: object, labels: dict[int, str] | None = None) -> str:
    """A value as the timeline writes it in "before → after"."""
    if value is None or value == "":
        return "（空）"
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, date):
        return cn_date(value)
    if labels is not None and isinstance(value, int) and value in labels:
        return labels[value]
    return str(getattr(value, "value", value))


def correct(case: Case, changes: dict[str, Any], rules: Rules, *, reason: str = "",
            labels: dict[int, str] | None = None) -> Outcome:
    """修改: correct registered fields; each change is named on the timeline with old and new value.

    `labels` names ids (问题分类) for the timeline. A reason, when given, is written after the changes.
    """
    m = case.matter
    require_step(Action.EDIT, m)
    unknown = set(changes) - set(EDITABLE)
    if unknown:
        raise ValidationError(f"这些项不能在此修改：{'、'.join(sorted(unknown))}")
    clean = dict(changes)
    for key in ("title", "place", "content", "demand", "receiving_leader", "note"):
        if key in clean:
            clean[key] = str(clean[key] or "").strip()
    if "title" in clean:
        clean["title"] = require_text(clean["title"], "标题", max_len=TITLE_MAX)
    if "persons" in clean:
        try:
            clean["persons"] = require_persons(int(str(clean["persons"])))
        except ValueError:
            raise ValidationError("“人数”应为整数，请重新填写", field="人数") from None
    if "received_on" in clean:
        received = clean["received_on"]
        if not isinstance(received, date):
            raise ValidationError("“登记日期”不是有效日期，请重新填写", field="登记日期")
        require_day(received, "登记日期", rules)
        if m.decided_on is not None and received > m.decided_on:
            raise ValidationError(
                f"“登记日期”{cn_date(received)}晚于受理决定日期{cn_date(m.decided_on)}，请核对日期", field="登记日期"
            )
    after = replace(m, **clean)
    if after.purpose is not Purpose.CLAIM and "route" not in clean:
        after = replace(after, route=None)
    elif after.purpose is Purpose.CLAIM and after.route is None:
        after = replace(after, route=Route.ORDINARY)
    if after.source is not Source.ASSIGNED_FROM_ABOVE:
        after = replace(after, source_level=None)
    elif after.source_level is None:
        raise ValidationError("上级交办件请选择交办层级（国家/省/市/县）", field="来源层级")
    if "persons" in clean or "channel" in clean:
        after = replace(after, collective=is_collective(after.channel, after.persons))
    if "received_on" in clean:
        # the 15-day notice runs from receipt: a corrected 登记日期 moves it
        after = replace(after, notice_due=rules.clock.notice_due(after.received_on))
    lines = [f"{label}：{show(getattr(m, key), labels)} → {show(getattr(after, key), labels)}"
             for key, label in EDITABLE.items() if getattr(m, key) != getattr(after, key)]
    if not lines:
        return outcome(case)
    text = "；".join(lines) + (f"（原因：{reason.strip()}）" if reason.strip() else "")
    return outcome(replace(case, matter=after), Line(EventKind.EDITED, text))


# what 修改信访人 may change, with the label the timeline names it by
PETITIONER_FIELDS = {"name": "姓名", "id_number": "身份证号", "phone": "联系电话", "address": "住址", "region": "乡镇/村"}


def correct_petitioner(case: Case, before: PetitionerInput, after: PetitionerInput, *,
                       reason: str) -> tuple[Outcome, PetitionerInput]:
    """修改信访人: a name, ID number, phone or address corrected on a matter's petitioner, with a reason;
    the outcome (the matter's line) and the person as corrected (trimmed, the phone and number normalised).

    The line names the person and each field before → after; ID numbers are written masked, as the
    卷宗 shows them. A number whose check digit fails is refused: a correction is there to make it right.
    """
    require_step(Action.EDIT, case.matter)
    reason = require_text(reason, "修改原因", max_len=200)
    require_text(after.name, "姓名", max_len=64)
    phone = check_phone(after.phone)
    number = normalize_id_number(after.id_number) if after.id_number.strip() else ""
    if number and number != normalize_id_number(before.id_number or ""):
        checked = check_id_number(number)
        if not checked.ok:
            raise ValidationError(f"身份证号{checked.number}：{checked.reason}，请核对", field="身份证号")
    after = replace(after, name=after.name.strip(), id_number=number, phone=phone,
                    address=after.address.strip(), region=after.region.strip())

    def shown(key: str, person: PetitionerInput) -> str:
        value = getattr(person, key)
        return show(mask_id_number(value) if key == "id_number" and value else value)

    changed = [f"{label}：{shown(key, before)} → {shown(key, after)}" for key, label in PETITIONER_FIELDS.items()
               if (getattr(before, key) or "") != getattr(after, key)]
    if not changed:
        raise ValidationError("没有修改任何一项：请改正要更正的内容，或按“取消”", field="姓名")
    text = f"信访人{before.name}：" + "；".join(changed) + f"（原因：{reason}）"
    return outcome(case, Line(EventKind.EDITED, text)), after
