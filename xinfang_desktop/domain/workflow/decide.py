"""拟办, 领导批示, the six 受理决定 (and 撤销 of a 不予受理 or 存查) and 交办 (主办/协办) to more units."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Protocol

from xinfang_desktop.domain.enums import Decision, EventKind, Status, TransferKind, TransferRole, TransferState
from xinfang_desktop.domain.errors import ValidationError
from xinfang_desktop.domain.frozen import quick_init
from xinfang_desktop.domain.letters import DocumentKind
from xinfang_desktop.domain.status import AFTER_DECISION, Action
from xinfang_desktop.domain.workflow.checks import cn_date, require_day, require_step, require_text
from xinfang_desktop.domain.workflow.state import Case, Instruction, Line, Outcome, Rules, Transfer, Unit, outcome


@quick_init
@dataclass(frozen=True)
class Target:
    """One unit a 交办 or 转送 goes to, with its role and (for a 交办) its own deadline or None for the default."""

    unit: Unit
    role: TransferRole = TransferRole.LEAD
    due_on: date | None = None


# the document a decision offers
DECISION_DOCUMENT: dict[Decision, DocumentKind | None] = {
    Decision.ACCEPT: DocumentKind.ACCEPT_NOTICE,
    Decision.REJECT: DocumentKind.REJECT_NOTICE,
    Decision.FORWARD: DocumentKind.FORWARD_LETTER,
    Decision.ASSIGN: DocumentKind.ASSIGN_LETTER,
    Decision.ANSWER: DocumentKind.REPLY_LETTER,
    Decision.FILE: None,
}
# the notice to the petitioner a decision leads to besides a letter to the units: where the matter went
DECISION_NOTICE: dict[Decision, str] = {
    Decision.ASSIGN: DocumentKind.ASSIGN_NOTICE.value,
    Decision.FORWARD: DocumentKind.FORWARD_NOTICE.value,
}


def propose(case: Case, text: str) -> Outcome:
    """拟办意见."""
    require_step(Action.PROPOSE, case.matter)
    text = require_text(text, "拟办意见")
    return outcome(case.with_matter(proposal=text), Line(EventKind.PROPOSED, text))


def instruct(case: Case, *, leader: str, on: date, text: str, rules: Rules) -> Outcome:
    """领导批示: who, when, what."""
    require_step(Action.INSTRUCT, case.matter)
    leader = require_text(leader, "批示领导", max_len=32)
    text = require_text(text, "批示内容")
    require_day(on, "批示日期", rules, after=case.matter.received_on, after_label="登记日期")
    return Outcome(case=case, lines=(Line(EventKind.INSTRUCTED, f"{leader}于{cn_date(on)}批示：{text}"),),
                   instructions=(Instruction(leader, on, text),))


class Sent(Protocol):
    """A transfer as the window and the workflow both hold it."""

    @property
    def unit(self) -> str: ...
    @property
    def kind(self) -> TransferKind: ...
    @property
    def role(self) -> TransferRole: ...
    @property
    def state(self) -> TransferState: ...


def lead_unit(transfers: Iterable[Sent]) -> str:
    """The 主办 a matter has ("" before its first 交办): a 协办 added later joins it."""
    return next((t.unit for t in transfers if t.kind is TransferKind.ASSIGN and t.role is TransferRole.LEAD
                 and t.state is not TransferState.CANCELLED), "")


def _sent(case: Case, kind: TransferKind, targets: tuple[Target, ...], on: date, rules: Rules) -> list[Transfer]:
    if not targets:
        raise ValidationError("请选择至少一个承办单位", field="承办单位")
    if kind is TransferKind.ASSIGN:
        # a 协办 added later joins the 主办 the matter already has; a second 主办 is refused
        lead = lead_unit(case.transfers)
        leads = sum(t.role is TransferRole.LEAD for t in targets)
        if not lead and not leads:
            raise ValidationError("请指定一个主办单位", field="承办单位")
        if lead and leads:
            raise ValidationError(f"本件已由“{lead}”主办，追加的单位请设为协办", field="承办单位")
        if leads > 1:
            raise ValidationError("主办单位只能有一个，其他单位请设为协办", field="承办单位")
    names = [t.unit.name for t in targets]
    if len(set(names)) != len(names):
        raise ValidationError("同一承办单位选择了两次，请去掉重复的单位", field="承办单位")
    rows = []
    for target in targets:
        if not target.unit.active:
            raise ValidationError(f"承办单位“{target.unit.name}”已停用，请选择其他单位", field="承办单位")
        due = None
        if kind is TransferKind.ASSIGN:
            due = target.due_on or rules.clock.transfer_due(on)
            if due <= on:
                raise ValidationError(
                    f"“办理期限”{cn_date(due)}应晚于交办日期{cn_date(on)}，请重新填写", field="办理期限"
                )
        role = target.role if kind is TransferKind.ASSIGN else TransferRole.LEAD
        rows.append(Transfer(target.unit.id, target.unit.name, kind, role, on, due))
    return rows


def _described(rows: list[Transfer]) -> str:
    return "；".join(f"{t.unit}（{t.role.value}" + (f"，限{cn_date(t.due_on)}前报结" if t.due_on else "") + "）"
                    for t in rows)


def decide(case: Case, decision: Decision, *, on: date, rules: Rules, reason: str = "", competent_body: str = "",
           targets: tuple[Target, ...] = (), due_on: date | None = None) -> Outcome:
    """受理决定: 受理 / 不予受理 / 转送 / 交办 / 直接答复 / 存查.

    `due_on`: for 受理, a deadline set at the time instead of the clock's (an old ledger's own).
    """
    m = case.matter
    require_step(Action.DECIDE, m)
    require_day(on, "决定日期", rules, after=m.received_on, after_label="登记日期")
    reason, body = reason.strip(), competent_body.strip()
    text = f"{cn_date(on)}决定{decision.value}"
    changes: dict[str, object] = {}
    new: list[Transfer] = []
    if decision is Decision.REJECT:
        reason = require_text(reason, "不予受理理由")
        body = require_text(body, "有权处理机关")
        text += f"：{reason}；告知向{body}提出"
    elif decision is Decision.ACCEPT:
        if due_on is not None and due_on <= on:
            raise ValidationError(f"“办理期限”{cn_date(due_on)}应晚于决定日期{cn_date(on)}，请重新填写", field="办理期限")
        changes["due_on"] = due_on or rules.clock.handling_due(on)
        text += f"，限{cn_date(changes['due_on'])}前办结"  # type: ignore[arg-type]
    elif decision is Decision.ASSIGN:
        new = _sent(case, TransferKind.ASSIGN, targets, on, rules)
        changes["due_on"] = max(t.due_on for t in new if t.due_on is not None)
        text += "：" + _described(new)
    elif decision is Decision.FORWARD:
        if targets:
            new = _sent(case, TransferKind.FORWARD, targets, on, rules)
            body = body or "、".join(t.unit for t in new)
        body = require_text(body, "转送机关")
        text += f"至{body}"
    elif decision is Decision.ANSWER:
        reason = require_text(reason, "答复内容")
        changes.update(reply_text=reason, replied_on=on)
        text += f"：{reason}"
    elif decision is Decision.FILE and reason:
        text += f"：{reason}"
    if on > m.notice_due:
        text += f"（超过{rules.clock.periods.notice_days}日告知期限）"
    after = case.with_matter(decision=decision, decided_on=on, decision_reason=reason, competent_body=body,
                             status=AFTER_DECISION[decision], **changes)
    if new:
        after = after.with_transfers(case.transfers + tuple(new))
    kind = DECISION_DOCUMENT[decision]
    notice = DECISION_NOTICE.get(decision)
    return outcome(after, Line(EventKind.DECIDED, text, {"decision": decision.value}),
                   document=kind.value if kind else None, notice=notice)


def revoke(case: Case, *, reason: str) -> Outcome:
    """撤销受理决定: a 不予受理 or 存查 decided by mistake is taken back with a reason; the matter waits for its
    受理决定 again (in the 交办 tab), its 告知 deadline as it was. A letter issued stays in its 文书."""
    m = case.matter
    require_step(Action.REVOKE, m)
    reason = require_text(reason, "撤销原因")
    decision = m.decision.value if m.decision else ""
    after = case.with_matter(decision=None, decided_on=None, decision_reason="", competent_body="",
                             status=Status.PENDING)
    return outcome(after, Line(EventKind.DECISION_REVOKED, f"撤销受理决定“{decision}”：{reason}", {"decision": decision}))


def transfer(case: Case, targets: tuple[Target, ...], *, on: date, rules: Rules) -> Outcome:
    """交办 an accepted matter to (more) units after the decision; the matter's deadline is the latest."""
    m = case.matter
    require_step(Action.TRANSFER, m)
    require_day(on, "交办日期", rules, after=m.received_on, after_label="登记日期")
    new = _sent(case, TransferKind.ASSIGN, targets, on, rules)
    dues = [t.due_on for t in new if t.due_on is not None] + ([m.due_on] if m.due_on else [])
    after = case.with_transfers(case.transfers + tuple(new)).with_matter(due_on=max(dues))
    first = len(case.transfers)
    return outcome(after, Line(EventKind.TRANSFERRED, f"{cn_date(on)}交办：" + _described(new),
                                     transfer=first if len(new) == 1 else None),
                   document=DocumentKind.ASSIGN_LETTER.value)
