"""The steps of a matter's life the window offers on one matter: a form each, one service call, the letter it leads to.

The 卷宗 offers what `MatterDetail.steps` (workflow.allowed_steps) lets through, so its menu never
shows a step the workflow would refuse; the 督办 board's matter actions call the same functions.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from typing import Any, TypeVar

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QLineEdit, QMessageBox, QWidget

from xinfang_desktop.domain import workflow
from xinfang_desktop.domain.enums import (
    Channel,
    Purpose,
    ReplyOpinion,
    ReviewStage,
    Route,
    Satisfaction,
    SkipLevel,
    Source,
    SourceLevel,
    TransferState,
)
from xinfang_desktop.domain.errors import XinfangError
from xinfang_desktop.domain.status import Action
from xinfang_desktop.domain.values import MatterDetail, MatterRef
from xinfang_desktop.domain.workflow.amend import AMENDABLE
from xinfang_desktop.services import handling, registry
from xinfang_desktop.services.common import clock
from xinfang_desktop.services.lists import category_tree
from xinfang_desktop.ui import action_dialogs as dialogs
from xinfang_desktop.ui.action_dialogs import Field, FormDialog
from xinfang_desktop.ui.actions import ActionRunner
from xinfang_desktop.ui.documents import documents_hook

T = TypeVar("T")

# the steps the 卷宗 does itself; 受理决定, 交办, 催办 and 登记反馈 need the 交办 and 督办 tabs' unit lists
IN_DIALOG = (
    Action.PROPOSE, Action.INSTRUCT, Action.KEY_SUPERVISE, Action.EXTEND, Action.REPLY, Action.FOLLOW_UP,
    Action.CLOSE, Action.SETTLE, Action.REQUEST_REVIEW, Action.REQUEST_RECHECK, Action.EDIT, Action.AMEND,
    Action.REVOKE, Action.VOID, Action.RESTORE,
)
NEW_MATTER = "登记为新事项"


def ask_and_run(parent: QWidget | None, runner: ActionRunner, title: str, fields: Sequence[Field],
                run: Callable[[dict[str, Any]], T | None], *, note: str = "", scroll: bool = False) -> T | None:
    """A form whose 确定 runs `run(values)` (a runner.run call); its result, or None when cancelled.

    Refused, the same dialog comes back over what the clerk typed, the field the message names focused.
    """
    dialog = FormDialog(title, fields, note=note, parent=parent, scroll=scroll)

    def focus(exc: XinfangError) -> None:
        for key, f in dialog.fields.items():
            if f.label == exc.field:
                widget = dialog.widgets[key]
                widget.setFocus(Qt.FocusReason.OtherFocusReason)
                if isinstance(widget, QLineEdit):
                    widget.selectAll()

    runner.error_shown.connect(focus)
    try:
        while dialog.exec() == QDialog.DialogCode.Accepted:
            result = run(dialog.values())
            if result is not None:
                return result
        return None
    finally:
        runner.error_shown.disconnect(focus)


def offer(parent: QWidget | None, runner: ActionRunner, done: MatterRef | None) -> None:
    """Offer the letters the workflow says the step leads to (DOMAIN §5), if any."""
    said: set[str] = set()  # a setting both letters lack is said once
    for kind in (done.document, done.notice) if done is not None else ():
        if kind:
            documents_hook.offer_document(parent, runner, done.id, kind, said=said)


def seen(parent: QWidget | None, d: MatterDetail) -> MatterDetail:
    """The matter as the clerk sees it when pressing 确定: the 卷宗's own, read again after a save was refused
    because another clerk had changed it (so the retry of the form, over what was typed, is checked against
    what the 卷宗 now shows); elsewhere (the board) as the step was opened, until the clerk refreshes."""
    shown = getattr(parent, "detail", None)
    return shown if isinstance(shown, MatterDetail) and shown.id == d.id else d


def _note(d: MatterDetail) -> str:
    return f"{d.number}　{d.title}"


# the steps -----------------------------------------------------------------------------------
def propose(parent: QWidget | None, runner: ActionRunner, d: MatterDetail) -> bool:
    return ask_and_run(
        parent, runner, "拟办意见", [Field("text", "拟办意见", "text", d.proposal)],
        lambda v: runner.run(parent, registry.propose, matter_id=d.id, version=seen(parent, d).version, text=v["text"], what="拟办"),
        note=_note(d)) is not None


def instruct(parent: QWidget | None, runner: ActionRunner, d: MatterDetail) -> bool:
    return ask_and_run(
        parent, runner, "领导批示", dialogs.instruct_fields(),
        lambda v: runner.run(parent, registry.instruct, matter_id=d.id,
                             version=seen(parent, d).version, leader=v["leader"], on=v["on"],
                             text=v["text"], what="领导批示"),
        note=_note(d)) is not None


def key_supervise(parent: QWidget | None, runner: ActionRunner, d: MatterDetail) -> bool:
    return runner.run(parent, handling.set_key_supervision, matter_id=d.id, version=seen(parent, d).version, on=not d.key_supervision,
                      what="重点督办") is not None


def extend(parent: QWidget | None, runner: ActionRunner, d: MatterDetail) -> bool:
    if d.due_on is None:
        QMessageBox.information(parent, "延期", "该事项没有办理期限，无需延期")
        return False
    limit = runner.read(clock).extension_limit(d.due_on)
    note = f"{_note(d)}\n延期只能一次，最长{(limit - d.due_on).days}日，理由将告知信访人。"
    if d.extended:
        note += "\n注意：该事项已经延期过一次。"
    done = ask_and_run(
        parent, runner, "延期", dialogs.extend_fields(d.due_on, limit),
        lambda v: runner.run(parent, handling.extend, matter_id=d.id, version=seen(parent, d).version, new_due_on=v["new_due_on"],
                             reason=v["reason"], on=v["on"], what="延期"),
        note=note)
    offer(parent, runner, done)
    return done is not None


def reply(parent: QWidget | None, runner: ActionRunner, d: MatterDetail) -> bool:
    document = workflow.reply_document(d.stage, d.purpose).value
    found = "\n".join(f.text for t in d.transfers for f in t.feedback if f.accepted and f.text)

    def run(v: dict[str, Any]) -> MatterRef | None:
        opinion = ReplyOpinion(v["opinion"]) if v.get("opinion") else None
        return runner.run(parent, handling.reply, matter_id=d.id,
                          version=seen(parent, d).version, on=v["on"], text=v["text"], opinion=opinion,
                          findings=v.get("findings", ""), what="答复")

    done = ask_and_run(parent, runner, "答复", dialogs.reply_fields(d.result, document=document, findings=found), run,
                       note=_note(d))
    offer(parent, runner, done)
    return done is not None


def follow_up(parent: QWidget | None, runner: ActionRunner, d: MatterDetail) -> bool:
    done = ask_and_run(
        parent, runner, "回访", dialogs.follow_up_fields(),
        lambda v: runner.run(parent, handling.follow_up, matter_id=d.id, version=seen(parent, d).version, on=v["on"],
                             satisfaction=Satisfaction(v["satisfaction"]), note=v["note"],
                             petitioner_view=v["petitioner_view"], what="回访"),
        note=_note(d))
    offer(parent, runner, done)
    return done is not None


def close(parent: QWidget | None, runner: ActionRunner, d: MatterDetail) -> bool:
    return ask_and_run(
        parent, runner, "办结", dialogs.close_fields(d.result),
        lambda v: runner.run(parent, handling.close, matter_id=d.id,
                             version=seen(parent, d).version, on=v["on"], result=v["result"], what="办结"),
        note=_note(d)) is not None


def settle(parent: QWidget | None, runner: ActionRunner, d: MatterDetail) -> bool:
    return ask_and_run(
        parent, runner, "息访", [dialogs.today_field("on", "息访日期")],
        lambda v: runner.run(parent, handling.settle, matter_id=d.id, version=seen(parent, d).version, on=v["on"], what="息访"),
        note=_note(d)) is not None


def request_review(parent: QWidget | None, runner: ActionRunner, d: MatterDetail) -> bool:
    """复查 or 复核申请: a new linked matter. Past its 30 days the workflow says so, and the clerk may
    register the request as a new matter at once (same petitioners and title, the reason as content)."""
    stage = ReviewStage.REVIEW if d.stage is ReviewStage.FIRST else ReviewStage.RECHECK
    note = f"{_note(d)}\n将登记为一件新的{stage.value}事项，另计办理期限。"
    try:
        deadline: date | None = runner.read(handling.review_deadline, matter_id=d.id)
    except XinfangError:
        deadline = None  # refused with the workflow's own message when the clerk presses 确定
    if deadline is not None:
        note += f"\n申请期限：{workflow.cn_date(deadline)}前（答复之日起30日）。"
    registered: list[MatterRef] = []

    def run(v: dict[str, Any]) -> MatterRef | None:
        if deadline is None or v["on"] <= deadline or not v["reason"].strip():
            return runner.run(parent, handling.request_review, matter_id=d.id,
                              version=seen(parent, d).version, on=v["on"], reason=v["reason"],
                              what=f"{stage.value}申请")
        # past the window the workflow refuses the request: say so once, with what the clerk may still do
        answer = QMessageBox.question(
            parent, NEW_MATTER,
            f"申请{stage.value}的期限已于{workflow.cn_date(deadline)}届满，原处理意见已经生效，不再受理{stage.value}。\n"
            "如信访人提出了新的事实和理由，可以作为新的信访事项登记：信访人、标题照原事项，申请理由作为反映内容。"
            "\n现在登记为新事项吗？")
        if answer != QMessageBox.StandardButton.Yes:
            return None
        new = register_late_request(parent, runner, d, on=v["on"], reason=v["reason"])
        if new is not None:
            registered.append(new)
        return new

    ref = ask_and_run(parent, runner, f"{stage.value}申请", dialogs.review_fields(stage.value), run, note=note)
    if ref is None:
        return False
    if registered:
        QMessageBox.information(parent, NEW_MATTER, f"已登记为新的信访事项{ref.number}，请在“交办”页作出受理决定。")
    else:
        offer(parent, runner, ref)
    return True


def register_late_request(parent: QWidget | None, runner: ActionRunner, d: MatterDetail, *, on: date,
                          reason: str) -> MatterRef | None:
    """登记为新事项: the request past its 30 days, registered as a new matter in one step."""
    return runner.run(parent, registry.register_as_new, matter_id=d.id,
                      version=seen(parent, d).version, on=on, reason=reason, what=NEW_MATTER)


def void(parent: QWidget | None, runner: ActionRunner, d: MatterDetail) -> bool:
    note = (f"{_note(d)}\n作废后该事项不再出现在事项列表、督办和统计中（事项列表选状态“已作废”可查到），"
            "未反馈的交办一并撤销。办理过程保留；作废有误的，可在“办理”中撤销作废。")
    return ask_and_run(
        parent, runner, "作废", [Field("reason", "作废原因", "text", hint="如：重复登记、登记错误")],
        lambda v: runner.run(parent, registry.void, matter_id=d.id, version=seen(parent, d).version, reason=v["reason"], what="作废"),
        note=note) is not None


def revoke(parent: QWidget | None, runner: ActionRunner, d: MatterDetail) -> bool:
    decision = d.decision.value if d.decision else ""
    note = (f"{_note(d)}\n受理决定：{decision}\n撤销后该事项回到“待处理”，请在“交办”页重新作出受理决定；"
            "已出具的文书保留在文书中。撤销记入办理过程。")
    return ask_and_run(
        parent, runner, "撤销受理决定", [Field("reason", "撤销原因", "text", hint="如：误选不予受理")],
        lambda v: runner.run(parent, registry.revoke_decision, matter_id=d.id, version=seen(parent, d).version,
                             reason=v["reason"], what="撤销受理决定"),
        note=note) is not None


def restore(parent: QWidget | None, runner: ActionRunner, d: MatterDetail) -> bool:
    before = runner.read(registry.state_before_void, d.id)
    reopened = ("；作废时撤销的交办恢复为作废前的待反馈或退回补办" if any(t.state is TransferState.CANCELLED for t in d.transfers)
                else "")
    note = (f"{_note(d)}\n作废原因：{d.void_reason}\n撤销作废后，该事项恢复为作废前的状态“{before.value}”，重新出现在"
            f"事项列表、督办和统计中{reopened}。撤销记入办理过程。")
    return ask_and_run(
        parent, runner, "撤销作废", [Field("reason", "撤销原因", "text", hint="如：误作废")],
        lambda v: runner.run(parent, registry.restore, matter_id=d.id, version=seen(parent, d).version,
                             reason=v["reason"], what="撤销作废"),
        note=note) is not None


# 修改 ------------------------------------------------------------------------------------------
NO_CATEGORY = "（未分类）"
NO_LEVEL = "（无）"
NO_SKIP = "否"
REASON = "修改原因"


def _categories(runner: ActionRunner) -> dict[str, int | None]:
    labels: dict[str, int | None] = {NO_CATEGORY: None}
    for first in runner.read(category_tree):
        labels[first.name] = first.id
        for second in first.children:
            labels[f"{first.name}/{second.name}"] = second.id
    return labels


def correct_fields(d: MatterDetail, categories: dict[str, int | None]) -> list[Field]:
    """Every field 修改 may change (workflow.register.EDITABLE), filled with what is registered."""
    def choice(key: str, label: str, current: str, values: Sequence[str]) -> Field:
        return Field(key, label, "choice", current, tuple(values))

    return [
        Field("reason", REASON, "line", hint="写入办理过程，如：登记时笔误"),
        Field("received_on", "登记日期", "date", d.received_on),
        choice("channel", "信访形式", d.channel.value, [c.value for c in Channel]),
        choice("source", "来源", d.source.value, [s.value for s in Source]),
        choice("source_level", "来源层级", d.source_level.value if d.source_level else NO_LEVEL,
               [NO_LEVEL, *(s.value for s in SourceLevel)]),
        choice("purpose", "信访目的", d.purpose.value, [p.value for p in Purpose]),
        choice("route", "办理途径", d.route.value if d.route else NO_LEVEL, [NO_LEVEL, *(r.value for r in Route)]),
        choice("category_id", "问题分类", d.category or NO_CATEGORY, list(categories)),
        Field("place", "问题发生地", "line", d.place),
        Field("title", "标题", "line", d.title),
        Field("content", "反映内容", "text", d.content),
        Field("demand", "诉求", "text", d.demand),
        Field("persons", "人数", "line", str(d.persons)),
        choice("skip_level", "越级", d.skip_level.value if d.skip_level else NO_SKIP,
               [NO_SKIP, *(s.value for s in SkipLevel)]),
        Field("joint", "联名信", "check", d.joint),
        Field("anonymous", "匿名", "check", d.anonymous),
        Field("repeat", "重复信访", "check", d.repeat),
        Field("involves_deputy", "涉及人大代表", "check", d.involves_deputy),
        Field("in_scope", "属于本机关受理范围", "check", d.in_scope),
        Field("receiving_leader", "接访领导", "line", d.receiving_leader),
        Field("note", "备注", "text", d.note),
    ]


def changes_of(d: MatterDetail, values: dict[str, Any], categories: dict[str, int | None]) -> dict[str, Any]:
    """The fields the clerk changed, as the values workflow.correct takes."""
    typed: dict[str, Any] = {
        "received_on": values["received_on"],
        "channel": Channel(values["channel"]),
        "source": Source(values["source"]),
        "source_level": None if values["source_level"] == NO_LEVEL else SourceLevel(values["source_level"]),
        "purpose": Purpose(values["purpose"]),
        "route": None if values["route"] == NO_LEVEL else Route(values["route"]),
        "category_id": categories.get(values["category_id"]),
        "skip_level": None if values["skip_level"] == NO_SKIP else SkipLevel(values["skip_level"]),
    }
    for key in ("place", "title", "content", "demand", "receiving_leader", "note"):
        typed[key] = str(values[key]).strip()
    for key in ("joint", "anonymous", "repeat", "involves_deputy", "in_scope"):
        typed[key] = bool(values[key])
    persons = str(values["persons"]).strip()
    typed["persons"] = persons if persons != str(d.persons) else d.persons
    return {key: value for key, value in typed.items() if value != getattr(d, key)}


def correct(parent: QWidget | None, runner: ActionRunner, d: MatterDetail) -> bool:
    """修改: every registered field, with a reason; the timeline shows each before → after."""
    categories = _categories(runner)
    return ask_and_run(
        parent, runner, f"修改　{d.number}", correct_fields(d, categories),
        lambda v: runner.run(parent, registry.correct_matter, matter_id=d.id, changes=changes_of(d, v, categories),
                             reason=v["reason"], version=seen(parent, d).version, what="修改"),
        note="改正登记时的错误；每项修改连同原因记入办理过程。", scroll=True) is not None


def amend_fields(d: MatterDetail) -> list[Field]:
    """更正办理结果: the fields of the steps this matter has had (workflow.amend.AMENDABLE), filled with the record."""
    taken = {"replied_on": d.replied_on, "closed_on": d.closed_on, "followed_up_on": d.followed_up_on}
    fields = [Field("reason", "更正原因", "line", hint="写入办理过程，如：办结日期录入笔误")]
    for key, (label, step) in AMENDABLE.items():
        if taken[step] is None:
            continue
        value = getattr(d, key)
        if key == "satisfaction":
            fields.append(Field(key, label, "choice", value.value if value else "", tuple(x.value for x in Satisfaction)))
        else:
            fields.append(Field(key, label, "date" if key in taken else "text", value))
    return fields


def amend(parent: QWidget | None, runner: ActionRunner, d: MatterDetail) -> bool:
    """更正办理结果: a 答复, 办结 or 回访 recorded wrong, corrected with a reason; the timeline shows before → after."""
    fields = amend_fields(d)

    def run(v: dict[str, Any]) -> MatterRef | None:
        typed = {f.key: Satisfaction(v[f.key]) if f.key == "satisfaction" else
                 str(v[f.key]).strip() if f.kind == "text" else v[f.key] for f in fields if f.key != "reason"}
        changes = {key: value for key, value in typed.items() if value != getattr(d, key)}
        return runner.run(parent, handling.amend, matter_id=d.id, changes=changes, reason=v["reason"],
                          version=seen(parent, d).version, what="更正办理结果")

    return ask_and_run(parent, runner, f"更正办理结果　{d.number}", fields, run,
                       note=f"{_note(d)}\n改正答复、办结或回访登记时的错误（如办结日期、满意度）；每项更正连同原因"
                            "记入办理过程，统计随之更新。") is not None


def correct_petitioner(parent: QWidget | None, runner: ActionRunner, d: MatterDetail, petitioner_id: int) -> bool:
    """修改信访人: name, ID number, phone, address; the person is one record for all their matters."""
    p = next(x for x in d.petitioners if x.id == petitioner_id)
    fields = [
        Field("reason", REASON, "line", hint="写入办理过程，如：姓名登记错字"),
        Field("name", "姓名", "line", p.name),
        Field("id_number", "身份证号", "line", p.id_number),
        Field("phone", "联系电话", "line", p.phone),
        Field("address", "住址", "line", p.address),
        Field("region", "乡镇/村", "line", p.region),
    ]
    return ask_and_run(
        parent, runner, f"修改信访人　{p.name}", fields,
        lambda v: runner.run(parent, registry.correct_petitioner, matter_id=d.id, version=seen(parent, d).version, petitioner_id=p.id,
                             name=v["name"], id_number=v["id_number"], phone=v["phone"], address=v["address"],
                             region=v["region"], reason=v["reason"], what="修改信访人"),
        note=f"{_note(d)}\n改正此人的登记信息；此人的其他信访事项同样显示改正后的信息。") is not None


RUN: dict[Action, Callable[[QWidget | None, ActionRunner, MatterDetail], bool]] = {
    Action.PROPOSE: propose,
    Action.INSTRUCT: instruct,
    Action.KEY_SUPERVISE: key_supervise,
    Action.EXTEND: extend,
    Action.REPLY: reply,
    Action.FOLLOW_UP: follow_up,
    Action.CLOSE: close,
    Action.SETTLE: settle,
    Action.REQUEST_REVIEW: request_review,
    Action.REQUEST_RECHECK: request_review,
    Action.EDIT: correct,
    Action.AMEND: amend,
    Action.REVOKE: revoke,
    Action.VOID: void,
    Action.RESTORE: restore,
}


def label(action: Action, d: MatterDetail) -> str:
    if action is Action.KEY_SUPERVISE and d.key_supervision:
        return "取消重点督办"
    if action is Action.EDIT:
        return "修改登记内容…"
    return action.value + ("" if action is Action.KEY_SUPERVISE else "…")
