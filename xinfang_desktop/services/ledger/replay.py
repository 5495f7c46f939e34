"""A ledger row as the steps of a matter's life, and those steps replayed through domain/workflow in memory.

`plan_row` reads what a row says happened (登记, 批示, the decision, feedback, 答复, 办结, 回访,
息访 as 备注 dates it, 作废); `replay` runs it through the same workflow functions a clerk's actions run. A refused
登记 refuses the row; a refused later step leaves the matter as it was before that step, with a
warning in the workflow's own words. No database here: units come by name through a lookup.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

from xinfang_desktop.domain import workflow
from xinfang_desktop.domain.enums import (
    Channel,
    Decision,
    PetitionerRole,
    ReviewStage,
    Status,
    TransferKind,
    TransferRole,
)
from xinfang_desktop.domain.errors import ValidationError, XinfangError
from xinfang_desktop.domain.frozen import built, quick_init
from xinfang_desktop.domain.idcard import normalize_id_number
from xinfang_desktop.domain.ledger import ParsedLedger, ParsedRow, RowProblem
from xinfang_desktop.domain.places import canonical_place, place_of
from xinfang_desktop.domain.values import MatterInput, PetitionerInput
from xinfang_desktop.domain.workflow.checks import cn_date
from xinfang_desktop.domain.workflow.register import MAX_REPRESENTATIVES
from xinfang_desktop.services.ledger.cells import (
    ANONYMOUS,
    LIST_SPLIT,
    TITLE_CLAUSE,
    NoteCell,
    category_path,
    channel_of,
    decision_of,
    first_clause,
    manner_of,
    names,
    purpose_of,
    read_note,
    satisfaction_of,
    skip_level_of,
    source_of,
    split,
    status_of,
    without_manner,
)

VOID_REASON = "台账注明已作废"


@quick_init
@dataclass(frozen=True)
class Step:
    """One workflow step a row asks for: `what` names it in a warning; `each` repeats it over transfers.

    each: None (once), "all" (every transfer), "unreported" (every 交办 without feedback yet).
    """

    what: str
    name: str
    kwargs: dict[str, Any] = field(default_factory=dict)
    each: str | None = None


@quick_init
@dataclass(frozen=True)
class RowPlan:
    data: MatterInput
    category: str
    steps: tuple[Step, ...]
    status: Status | None  # the ledger's own 状态, to compare with where the replay ends
    warnings: tuple[str, ...]
    once: tuple[str, ...] = ()  # warnings about the whole file: the import says each once
    review: tuple[ReviewStage, str] | None = None  # a 复查/复核 (as 备注 says) of the matter of that 编号
    result: str = ""  # the ledger's 办理结果: kept in 备注 when no step the replay took holds it


def _petitioners(row: ParsedRow, named: list[str], collective: bool,
                 warn: Callable[[str], None]) -> tuple[PetitionerInput, ...]:
    """The persons of the 信访人 cell (`named`: names() of it), with their numbers, phones and addresses."""
    v = row.values
    if not named:
        return ()
    several = len(named) > 1
    ids = split(v.id_numbers, LIST_SPLIT) if several else [v.id_numbers.strip()]
    phones = split(v.phones) if several else [v.phones.strip()]
    addresses = split(v.addresses, LIST_SPLIT) if several else [v.addresses.strip()]
    result = []
    for i, name in enumerate(named):
        # a collective visit has at most five representatives (Art. 20); others named are petitioners
        role = PetitionerRole.REPRESENTATIVE if collective and i < MAX_REPRESENTATIVES else PetitionerRole.PETITIONER
        number = ids[i] if i < len(ids) else ""
        if "*" in number:
            warn(f"{name}的身份证号已脱敏（{number}），未导入号码")
            number = ""
        result.append(PetitionerInput(
            name=name, id_number=normalize_id_number(number) if number else "",
            phone=phones[i] if i < len(phones) else "", address=addresses[i] if i < len(addresses) else "", role=role,
        ))
    return tuple(result)


def _persons(row: ParsedRow, named: int, channel: Channel, warn: Callable[[str], None]) -> int:
    """人数; a visit cannot count fewer people than the ledger names (`named` of them)."""
    v = row.values
    least = named if channel is Channel.VISIT else 1
    if v.persons < 1:
        warn(f"人数{v.persons}无效，按{max(least, 1)}人登记")
        return max(least, 1)
    if least > v.persons:
        if "persons" in row.columns and v.persons > 1:
            warn(f"人数{v.persons}少于登记的来访人{named}名，按{named}人登记")
        return least
    return v.persons


Places = Mapping[str, Sequence[str]]  # the office's 乡镇 and their 村
_CLAUSE_MARK = re.compile(r"[。！？!?；;\n，,]")


PARAGRAPH_TITLES = f"“反映问题”列是大段文字：标题取各件的第一句（至多{TITLE_CLAUSE}字），全文记入反映内容"


def _title(row: ParsedRow, warn: Callable[[str], None], once: Callable[[str], None]) -> tuple[str, str]:
    """(标题, 反映内容): a content without a title gives its first clause as the title; a title written as a
    paragraph (another system's 事由概要) is its first clause too, the paragraph kept as the content."""
    v = row.values
    title, content = v.title.strip(), v.content.strip()
    if not title and content:
        title = first_clause(content)
        if "title" in row.columns:  # with no title column at all, the file's one warning says it
            warn(f"没有标题，标题取反映内容的第一句：{title}")
    elif len(title) > TITLE_CLAUSE and _CLAUSE_MARK.search(title.rstrip("。！？!?")):
        content = content or title
        title = first_clause(title)
        once(PARAGRAPH_TITLES)
    return title[:200] or v.demand.strip()[:200], content


def matter_input(row: ParsedRow, warn: Callable[[str], None], places: Places | None = None,
                 once: Callable[[str], None] | None = None) -> MatterInput:
    """The 登记 of a row, its 问题分类 not yet looked up (that may add one); `once` hears what the file
    as a whole is told (by default, `warn`)."""
    return built(MatterInput, _matter_fields(row, warn, places, once or warn, read_note(row.values.note)))


def _matter_fields(row: ParsedRow, warn: Callable[[str], None], places: Places | None,
                   once: Callable[[str], None], said: NoteCell) -> dict[str, Any]:
    """matter_input's fields, for plan_row to finish (its 备注) before the one MatterInput is built (by
    frozen.built: dataclasses' own __init__ of its 29 fields was a fifth of a row's plan)."""
    v = row.values
    # a 信访方式 column (or the 信访形式 cell itself) may say how it was signed: 匿名, 联名, 集体访
    manner = manner_of(v.channel, v.manner)
    channel_text = without_manner(v.channel) or without_manner(v.manner)
    channel, note = channel_of(channel_text)
    purpose, note2 = purpose_of(v.purpose)
    source, level, note3 = source_of(v.source)
    skip, note4 = skip_level_of(v.skip_level)
    for text in (note, note2, note3, note4):
        if text:
            warn(text)
    decision, proposal = decision_of(v.handling, v.units)
    number = v.number.strip()
    if number.isdigit():
        number = ""  # a 序号 counts rows; the matter gets this office's own number
    kept = [said.note]
    if channel_text and channel_text != channel and channel in (Channel.ONLINE, Channel.OTHER):
        # another system's channel (手机信访, 领导信箱…) read as ours: its own word is kept
        kept.append(f"原信访形式：{channel_text}")
    _, full_path = category_path(v.category)
    if full_path:
        kept.append(f"原问题分类：{full_path}")
    # the office's own 乡镇 first, as the form writes it; another system's 省市县镇村 read down to ours
    place = canonical_place(v.place, places or {})
    if place == v.place.strip():
        place = place_of(place, places or {})
    if place.replace("/", "") != v.place.strip().replace("/", ""):
        kept.append(f"原问题发生地：{v.place.strip()}")
    title, content = _title(row, warn, once)
    collective = v.collective if "collective" in row.columns else None
    named = names(v.petitioners)
    return {
        "received_on": v.received_on,
        "channel": channel,
        "title": title,
        "petitioners": _petitioners(row, named, v.collective or manner.collective, warn),
        "source": source,
        "source_level": level,
        "purpose": purpose,
        "place": place,
        "content": content,
        "demand": v.demand,
        "persons": _persons(row, len(named), channel, warn),
        "joint": v.joint or manner.joint,
        "anonymous": v.anonymous or manner.anonymous or (not named and ANONYMOUS in split(v.petitioners)),
        "skip_level": skip,
        "proposal": proposal if decision is None else "",
        "note": "；".join(x for x in kept if x),
        "accept_id_warnings": True,  # an old ledger's numbers are history: warn, keep
        # the ledger's own flags are kept as it says; with no such column, register decides
        "collective": True if manner.collective else collective,
        "repeat": v.repeat,
        "number": number or None,
        "petitioner_unrecorded": "petitioners" not in row.columns,
    }


_INSTRUCTION_SPLIT = re.compile(r"[；;\n]")


def _instructions(text: str) -> list[tuple[str, str]]:
    found = []
    for entry in split(text, _INSTRUCTION_SPLIT):
        if not entry:
            continue
        leader, sep, said = entry.partition("：")
        if not sep:
            leader, sep, said = entry.partition(":")
        if not sep or not said.strip():
            leader, said = "领导", entry
        found.append((leader.strip()[:32], said.strip()))
    return found


def _decision_step(row: ParsedRow, decision: Decision, on: date, units: list[str],
                   warn: Callable[[str], None]) -> Step:
    """The 受理决定 a row records; `units`: the names of its 承办单位 cell."""
    v = row.values
    kwargs: dict[str, Any] = {"decision": decision, "on": on}
    if decision is Decision.ASSIGN:
        due = v.due_on if v.due_on is not None and v.due_on > on else None
        kwargs["units"] = [(n, TransferRole.LEAD if i == 0 else TransferRole.ASSIST, due)
                           for i, n in enumerate(dict.fromkeys(units))]
    elif decision is Decision.FORWARD:
        # a 转送 with a 交办日期 went to units on our list; without one, to a body named in words
        if units and v.transferred_on is not None:
            kwargs["units"] = [(n, TransferRole.LEAD, None) for n in units]
            kwargs["units_if_known"] = True
        kwargs["competent_body"] = v.units or "台账未注明"
        if v.feedback_on is None and v.closed_on is None:
            kwargs["reason"] = v.result  # a 转送's own 办理结果 (属纪检监察机关职责), as the decision gave it
    elif decision is Decision.REJECT:
        if not v.result.strip():
            warn("不予受理未注明理由，理由记为“台账未注明理由”")
        kwargs.update(reason=v.result or "台账未注明理由", competent_body=v.units or "台账未注明")
    elif decision is Decision.ANSWER:
        kwargs["reason"] = v.result or "已当场答复"
    elif decision is Decision.FILE:
        kwargs["reason"] = v.result
    elif decision is Decision.ACCEPT and v.due_on is not None and v.due_on > on:
        kwargs["due_on"] = v.due_on  # the ledger's own deadline is what was set at the time
    return Step("受理决定", "decide", kwargs)


def plan_row(row: ParsedRow, places: Places | None = None) -> RowPlan:
    """What a ledger row says happened to its matter, as steps; the warnings of reading its cells.

    `places`: the office's 乡镇 and 村, to read a 问题发生地 written out in full (省市县镇村) as ours.
    """
    warnings: list[str] = []
    once: list[str] = []
    warn = warnings.append
    v = row.values
    said = read_note(v.note)
    data = _matter_fields(row, warn, places, once.append, said)
    steps = [Step("领导批示", "instruct", {"leader": leader, "on": v.received_on, "text": text})
             for leader, text in _instructions(v.instruction)]
    decision, _ = decision_of(v.handling, v.units)
    status = status_of(v.status)
    if v.status.strip() and status is None:
        warn(f"状态“{v.status}”无法识别，按台账其他各列登记")
    if decision is None and (v.closed_on is not None or status in (Status.CLOSED, Status.REPLIED)):
        decision = Decision.ACCEPT  # handled without a recorded decision: it was accepted
    units = [n for n in split(v.units, LIST_SPLIT) if n]
    if decision is Decision.ACCEPT and units:
        # 受理, then 交办 to the units named (追加交办): the ledger keeps the transfer's date, not the decision's
        steps.append(_decision_step(row, decision, v.received_on, units, warn))
        on = v.transferred_on or v.received_on
        due = v.due_on if v.due_on is not None and v.due_on > on else None
        steps.append(Step("交办", "transfer", {"on": on, "units": [
            (n, TransferRole.LEAD if i == 0 else TransferRole.ASSIST, due) for i, n in enumerate(dict.fromkeys(units))]}))
    elif decision is not None:
        steps.append(_decision_step(row, decision, v.transferred_on or v.received_on, units, warn))
    if v.feedback_on is not None:
        steps.append(Step("反馈", "feedback", {"received_on": v.feedback_on, "text": v.result or "已反馈",
                                             "result": v.result}, each="all"))
    # the last step the ledger dates: a 办结 or 答复 it does not date came then, never before the transfer
    last_known = max(v.received_on, v.transferred_on or v.received_on, v.feedback_on or v.received_on)
    if status is Status.REPLIED:
        steps.append(Step("答复", "reply", {"on": v.feedback_on or last_known, "text": v.result or "已答复"}))
    if v.closed_on is not None or status is Status.CLOSED:
        closed_on = v.closed_on or last_known
        if v.closed_on is None:
            warn(f"台账注明已办结但没有办结日期，按最后一步的日期{cn_date(closed_on)}登记")
        # a closed 交办 matter whose feedback the ledger left out: its report came in by closure
        steps.append(Step("反馈", "feedback", {"received_on": closed_on, "text": v.result or "已办结",
                                             "result": v.result}, each="unreported"))
        steps.append(Step("办结", "close", {"on": closed_on, "result": v.result}))
    satisfaction = satisfaction_of(v.satisfaction)
    if v.satisfaction.strip() and satisfaction is None:
        warn(f"满意度“{v.satisfaction}”无法识别，未登记回访")
    if satisfaction is not None:
        steps.append(Step("回访", "follow_up", {"on": v.closed_on or last_known,
                                              "satisfaction": satisfaction}))
    result = v.result.strip()
    if result and not any(_takes_result(step, result) for step in steps):
        # a 办理结果 no step holds (受理, not yet reported): kept in 备注, never dropped
        data["note"] = _with_result(data["note"], result)
    if said.settled_on is not None:
        steps.append(Step("息访", "settle", {"on": said.settled_on}))
    if status is Status.VOIDED:
        steps.append(Step("作废", "void", {"reason": said.void_reason or VOID_REASON}))
    return RowPlan(built(MatterInput, data), category_path(v.category)[0], tuple(steps), status, tuple(warnings),
                   tuple(once), said.review, result)


RESULT_NOTE = "办理结果："


def _with_result(note: str, result: str) -> str:
    kept = f"{RESULT_NOTE}{result}"
    return note if kept in note else "；".join(x for x in (note, kept) if x)


def _takes_result(step: Step, result: str) -> bool:
    """Whether a step of a plan writes the ledger's 办理结果 (a feedback step, if the matter has transfers)."""
    if step.name in ("feedback", "reply", "close"):
        return True
    return step.name == "decide" and step.kwargs.get("reason") == result


def file_warnings(ledger: ParsedLedger) -> list[RowProblem]:
    """What a whole file lacks, said once (at the header of the first sheet that lacks it), not on every row."""
    found: dict[str, RowProblem] = {}
    for sheet in ledger.sheets:
        if "信访人" not in sheet.mapped:
            found.setdefault("petitioners", RowProblem(
                sheet.name, sheet.header_row, "台账没有信访人列：各件的信访人记为未登记（不计为匿名），可在事项中补录"))
        if "反映问题" not in sheet.mapped and "反映内容" in sheet.mapped:
            found.setdefault("title", RowProblem(
                sheet.name, sheet.header_row, f"台账没有标题列：标题取反映内容的第一句（至多{TITLE_CLAUSE}字）"))
    return list(found.values())


UnitLookup = Callable[[str], "workflow.Unit | None"]


def targets(step: Step, unit: UnitLookup) -> tuple[workflow.Target, ...] | None:
    """The units a decision names, found by name (a unit not on our list has id 0 until it is added).

    None when a 转送 names a unit we do not have: it went to a body named in words.
    """
    found = []
    for name, role, due in step.kwargs.get("units", ()):
        known = unit(name)
        if known is None and step.kwargs.get("units_if_known"):
            return None
        found.append(workflow.Target(known or workflow.Unit(0, name), role, due))
    return tuple(found)


def _indexes(case: workflow.Case, each: str | None) -> Sequence[int | None]:
    if each is None:
        return _ONCE
    if each == "all":
        return range(len(case.transfers))
    return [i for i, t in enumerate(case.transfers) if t.kind is TransferKind.ASSIGN and not t.feedback]


_ONCE: tuple[None] = (None,)


def _decide(case: workflow.Case, step: Step, index: int | None, rules: workflow.Rules,
            unit: UnitLookup) -> workflow.Outcome:
    kw = dict(step.kwargs)
    found = targets(step, unit)
    kw.pop("units", None)
    kw.pop("units_if_known", None)
    if kw["decision"] is Decision.ASSIGN and not found:
        raise ValidationError("台账没有写承办单位，无法登记交办", field="承办单位")
    if found is None:
        found = ()
    elif found and kw["decision"] is Decision.FORWARD:
        kw["competent_body"] = ""  # the units it went to name the body
    return workflow.decide(case, kw.pop("decision"), rules=rules, targets=found, **kw)


def _transfer(case: workflow.Case, step: Step, index: int | None, rules: workflow.Rules,
              unit: UnitLookup) -> workflow.Outcome:
    return workflow.transfer(case, targets(step, unit) or (), on=step.kwargs["on"], rules=rules)


def _feedback(case: workflow.Case, step: Step, index: int | None, rules: workflow.Rules,
              unit: UnitLookup) -> workflow.Outcome:
    assert index is not None
    return workflow.feedback(case, index, rules=rules, **step.kwargs)


Run = Callable[[workflow.Case, Step, "int | None", workflow.Rules, UnitLookup], workflow.Outcome]
# each step's workflow function by the step's name; the rest take the step's own arguments as they are
_RUN: dict[str, Run] = {
    "decide": _decide,
    "transfer": _transfer,
    "feedback": _feedback,
    "instruct": lambda case, step, index, rules, unit: workflow.instruct(case, rules=rules, **step.kwargs),
    "void": lambda case, step, index, rules, unit: workflow.void(case, **step.kwargs),
    "reply": lambda case, step, index, rules, unit: workflow.reply(case, rules=rules, **step.kwargs),
    "close": lambda case, step, index, rules, unit: workflow.close(case, rules=rules, **step.kwargs),
    "settle": lambda case, step, index, rules, unit: workflow.settle(case, rules=rules, **step.kwargs),
    "follow_up": lambda case, step, index, rules, unit: workflow.follow_up(case, rules=rules, **step.kwargs),
}


def run_step(case: workflow.Case, step: Step, index: int | None, rules: workflow.Rules,
             unit: UnitLookup) -> workflow.Outcome:
    """One step of a plan on a case, through the workflow."""
    return _RUN[step.name](case, step, index, rules, unit)


def _holds(case: workflow.Case, text: str) -> bool:
    """Whether a matter after its steps holds a 办理结果 somewhere the export writes it from (or its feedback)."""
    m = case.matter
    return text in (m.result, m.reply_text, m.decision_reason) or f"{RESULT_NOTE}{text}" in m.note or any(
        text in (f.result, f.text) for t in case.transfers for f in t.feedback)


def replay(plan: RowPlan, rules: workflow.Rules, unit: UnitLookup, *, number: str, seq: int,
           imported: workflow.Line | None = None) -> workflow.Outcome:
    """登记 and every later step of a row; raises only when 登记 itself is refused.

    A later step that is refused is left out, with a warning "X未导入：<the workflow's reason>".
    `imported` is the timeline line saying where the row came from, written after 登记's own.
    """
    done = workflow.register(plan.data, rules, number=number, seq=seq)
    if plan.review is not None:
        # a 复查/复核 the ledger holds as a row of its own: a procedure on the matter it names (the importer
        # links it), never a new matter in the tally
        done = replace(done, case=done.case.with_matter(stage=plan.review[0]))
    # Outcome.then, step after step, gathered in lists: one Outcome at the end instead of one a step
    case, document, child = done.case, done.document, done.child
    lines, instructions, warned = list(done.lines), list(done.instructions), list(done.warnings)
    if imported is not None:
        lines.append(imported)
    warnings: list[str] = []
    for step in plan.steps:
        if step.name == "reply" and case.matter.status is Status.REPLIED:
            continue  # answered at the decision (直接答复)
        run = _RUN[step.name]  # run_step's table, looked up once a step
        for index in _ONCE if step.each is None else _indexes(case, step.each):
            try:
                later = run(case, step, index, rules, unit)
            except XinfangError as exc:
                warnings.append(f"{step.what}未导入：{exc.message}")
                continue
            case = later.case
            lines += later.lines
            instructions += later.instructions
            warned += later.warnings
            document = later.document or document
            child = later.child or child
    if plan.result and not _holds(case, plan.result):
        # the step that would have held the 办理结果 was refused, or found no transfer: kept in 备注
        case = case.with_matter(note=_with_result(case.matter.note, plan.result))
    final = case.matter.status
    if plan.status is not None and final is not plan.status and plan.status is not Status.IN_PROGRESS:
        warnings.append(f"台账状态为“{plan.status.value}”，导入后为“{final.value}”，请核对")
    return workflow.Outcome(case, tuple(lines), tuple(instructions), document, tuple(warned + warnings), child)

