"""登记, 拟办, 领导批示, 受理决定, edits, attachments and 作废: a matter's first steps."""

from __future__ import annotations

import hashlib
import logging
import re
from dataclasses import replace
from datetime import date
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from xinfang_desktop import wallclock
from xinfang_desktop.db.models import (
    Attachment,
    Category,
    Event,
    Matter,
    MatterPetitioner,
    Petitioner,
)
from xinfang_desktop.domain import workflow
from xinfang_desktop.domain.enums import Decision, EventKind, ReviewStage, Status
from xinfang_desktop.domain.errors import ConfirmationRequired, NotFoundError, ValidationError
from xinfang_desktop.domain.idcard import check_id_number, normalize_id_number
from xinfang_desktop.domain.places import canonical_place
from xinfang_desktop.domain.validation import check_petitioner_phones
from xinfang_desktop.domain.values import MatterInput, MatterRef, PetitionerInput, TransferTarget
from xinfang_desktop.domain.workflow.finish import review_stage
from xinfang_desktop.domain.workflow.register import id_warnings, validate
from xinfang_desktop.services.cases import apply, load_case, review_registered, rules, units
from xinfang_desktop.services.common import add_event, load_matter, require_text
from xinfang_desktop.services.convert import matter_ref, written
from xinfang_desktop.services.lists import category_label, region_tree
from xinfang_desktop.services.settings import format_number, get_setting

log = logging.getLogger(__name__)


def next_seq(session: Session, year: int) -> int:
    return (session.scalar(select(func.max(Matter.seq)).where(Matter.year == year)) or 0) + 1


def _petitioner_row(session: Session, data: PetitionerInput, made: dict[str, Petitioner | None]) -> Petitioner:
    """The same 身份证号 is the same person: reuse the row, refresh what the clerk typed anew.

    `made`: the rows known by number, the stored ones asked already (None: none on file) and those this
    form added, not yet flushed (a query cannot see them).
    """
    number = normalize_id_number(data.id_number) if data.id_number.strip() else ""
    sex = data.sex
    if number:
        checked = check_id_number(number)
        sex = sex or checked.sex
        if number in made:
            existing = made[number]
        else:
            existing = session.scalar(select(Petitioner).where(Petitioner.id_number == number).limit(1))
        if existing is not None:
            for attr in ("phone", "address", "region"):
                value = getattr(data, attr).strip()
                if value:
                    setattr(existing, attr, value)
            if data.name.strip():
                existing.name = data.name.strip()
            existing.sex = existing.sex or sex
            return existing
    row = Petitioner(
        name=require_text(data.name, "姓名", max_len=64),
        sex=sex,
        id_number=number,
        phone=data.phone.strip(),
        address=data.address.strip(),
        region=data.region.strip(),
    )
    session.add(row)
    if number:
        made[number] = row
    return row


def _on_file(session: Session, petitioners: tuple[PetitionerInput, ...]) -> dict[str, Petitioner | None]:
    """The stored petitioner of each 身份证号 the form gives (None: none on file), asked once for the form."""
    numbers = {normalize_id_number(p.id_number) for p in petitioners if p.id_number.strip()}
    found: dict[str, Petitioner | None] = dict.fromkeys(numbers)
    if numbers:
        for row in session.scalars(select(Petitioner).where(Petitioner.id_number.in_(numbers))
                                   .order_by(Petitioner.id)):
            found[row.id_number] = found[row.id_number] or row  # the first, as a lookup by number finds it
    return found


def _renames(on_file: dict[str, Petitioner | None],
             petitioners: tuple[PetitionerInput, ...]) -> list[tuple[Petitioner, str]]:
    """The petitioners on file whose 身份证号 the form gives under another name: (the stored row, the name typed)."""
    found: list[tuple[Petitioner, str]] = []
    for p in petitioners:
        name = p.name.strip()
        row = on_file.get(normalize_id_number(p.id_number)) if name and p.id_number.strip() else None
        if row is not None and row.name != name and all(row is not other for other, _ in found):
            found.append((row, name))
    return found


def _rename_question(session: Session, renames: list[tuple[Petitioner, str]], warnings: list[str]) -> str:
    lines = list(warnings)
    for row, name in renames:
        earlier = session.scalar(select(func.count()).select_from(MatterPetitioner)
                                 .where(MatterPetitioner.petitioner_id == row.id)) or 0
        lines.append(f"身份证号{row.id_number}已登记为“{row.name}”（以往事项{earlier}件），本次填写的姓名是“{name}”")
    return ("；".join(lines) + "。\n\n确为同一人（改名或原登记有误）、号码无误的，点“是”保存：此人的姓名更正为本次所填，"
            "以往事项的办理过程中记下这次更正；姓名或身份证号填错的，点“否”返回修改。")


def _record_renames(session: Session, renames: list[tuple[Petitioner, str]], matter: Matter) -> None:
    """The clerk confirmed: each earlier matter of a renamed person says so on its timeline."""
    for row, name in renames:
        text = f"信访人姓名由“{row.name}”更正为“{name}”（{matter.number}登记时确认，身份证号{row.id_number}相同）"
        earlier = session.scalars(select(Matter).join(MatterPetitioner, MatterPetitioner.matter_id == Matter.id)
                                  .where(MatterPetitioner.petitioner_id == row.id)).all()
        for other in earlier:
            add_event(session, other, EventKind.EDITED, text, {"petitioner_id": row.id, "name": [row.name, name]})
        add_event(session, matter, EventKind.ID_OVERRIDE, text, {"petitioner_id": row.id, "name": [row.name, name]})


def allocate_number(session: Session, year: int, given: str | None = None) -> tuple[str, int]:
    """The 编号 and 序号 of a new matter: the one the clerk gave (if free) or the next of its year."""
    seq = next_seq(session, year)
    if given and given.strip():
        number = given.strip()
        if session.scalar(select(Matter.id).where(Matter.number == number)) is not None:
            raise ValidationError(f"编号“{number}”已被使用，请换一个编号", field="编号")
        return number, seq
    prefix = str(get_setting(session, "number_prefix"))
    # an imported ledger's own 编号 may be the one the next 序号 would make: never given twice
    while session.scalar(select(Matter.id).where(Matter.number == format_number(prefix, year, seq))) is not None:
        seq += 1
    return format_number(prefix, year, seq), seq


def register_matter(session: Session, data: MatterInput, *, now: date | None = None) -> MatterRef:
    """登记: a new matter with its petitioners; returns its number and any warnings."""
    the_rules = rules(session, now=now)
    if data.place.strip():
        data = replace(data, place=canonical_place(data.place, region_tree(session)))
    validate(data, the_rules)
    check_petitioner_phones(data.petitioners)  # the form's phones; an old ledger's are kept as written
    if data.category_id is not None and session.get(Category, data.category_id) is None:
        raise NotFoundError("所选问题分类不存在，请重新选择", field="问题分类")
    earlier = None
    if data.repeat_of_id is not None:
        original = load_matter(session, data.repeat_of_id)
        earlier = workflow.Earlier(original.id, original.number, original.final)
    made = _on_file(session, data.petitioners)
    renames = _renames(made, data.petitioners)
    if renames and not data.accept_id_warnings:
        # a name is never changed on earlier matters without the clerk saying so (with the ID warnings, one question)
        raise ConfirmationRequired(_rename_question(session, renames, id_warnings(data.petitioners, the_rules.today)),
                                   field="姓名")
    if data.accept_id_warnings or not id_warnings(data.petitioners):
        number, seq = allocate_number(session, data.received_on.year, data.number)
    else:
        number, seq = "", 0  # refused below with the warning, before any number is taken
    out = workflow.register(data, the_rules, number=number, seq=seq, repeat_of=earlier)
    matter = apply(session, None, out)
    _record_renames(session, renames, matter)  # before the rows take the new names
    # links by relationship, one flush at the end: a flush per row costs more than its SQL
    linked: list[Petitioner] = []
    for position, p in enumerate(x for x in data.petitioners if x.name.strip() or x.id_number.strip()):
        row = _petitioner_row(session, p, made)
        if any(row is other for other in linked):
            continue
        linked.append(row)
        session.add(MatterPetitioner(matter=matter, petitioner=row, role=p.role, position=position))
    session.flush()
    log.info("registered %s", matter.number)
    return matter_ref(matter, out.warnings)


def update_matter(session: Session, *, matter_id: int, changes: dict[str, object], reason: str = "",
                  version: int | None = None) -> MatterRef:
    """修改: correct registered fields; each change is named on the timeline with old and new value.

    `version`: the matter's version the form was filled from (MatterDetail.version); a matter changed
    since is refused (ChangedMeanwhileError), so one clerk's save never writes over another's."""
    matter, case = load_case(session, matter_id, version=version)
    labels = None
    if isinstance(changes.get("place"), str) and str(changes["place"]).strip():
        changes = {**changes, "place": canonical_place(str(changes["place"]), region_tree(session))}
    if "category_id" in changes:
        ids = [i for i in (matter.category_id, changes["category_id"]) if isinstance(i, int)]
        for category_id in ids:
            if session.get(Category, category_id) is None:
                raise NotFoundError("所选问题分类不存在，请重新选择", field="问题分类")
        labels = {i: category_label(session, i) for i in ids}
    apply(session, matter, workflow.correct(case, changes, rules(session), reason=reason, labels=labels))
    return matter_ref(matter)


def register_as_new(session: Session, *, matter_id: int, on: date, reason: str,
                    version: int | None = None) -> MatterRef:
    """A request that came too late for 复查 (or 复核), registered as a new matter (Art. 35 and 36 leave that
    open for new facts and reasons): the same petitioners and title, the request's reason as its content.

    The petitioners are linked as they are on record (not typed again, so an old ledger's phone stays as it was).
    """
    original, case = load_case(session, matter_id, version=version)
    m = case.matter
    reason = workflow.require_text(reason, "申请理由")
    people = tuple(PetitionerInput(name=link.petitioner.name, role=link.role) for link in original.links)
    data = MatterInput(
        received_on=on, channel=m.channel, title=m.title, petitioners=people, source=m.source,
        source_level=m.source_level, purpose=m.purpose, route=m.route, category_id=m.category_id, place=m.place,
        content=reason, demand=m.demand, persons=m.persons, joint=m.joint, anonymous=m.anonymous or not people,
        involves_deputy=m.involves_deputy,
        note=f"{m.number}的{review_stage(m).value}申请已过期限（{workflow.cn_date(on)}提出），作为新的信访事项登记",
    )
    number, seq = allocate_number(session, on.year)
    out = workflow.register(data, rules(session), number=number, seq=seq)
    matter = apply(session, None, out)
    for link in original.links:
        session.add(MatterPetitioner(matter=matter, petitioner_id=link.petitioner_id, role=link.role,
                                     position=link.position))
    stage = review_stage(m)
    kind = EventKind.REVIEW_REQUESTED if stage is ReviewStage.REVIEW else EventKind.RECHECK_REQUESTED
    add_event(session, original, kind,
              f"{workflow.cn_date(on)}信访人申请{stage.value}，已过申请期限，作为新的信访事项登记为{number}")
    session.flush()
    log.info("registered %s as a new matter after %s", matter.number, m.number)
    return matter_ref(matter)


def correct_matter(session: Session, *, matter_id: int, changes: dict[str, object], reason: str,
                   version: int | None = None) -> MatterRef:
    """修改 from the 卷宗: the clerk names the reason, and at least one field changes; `version` as for
    update_matter (the 卷宗's MatterDetail.version)."""
    reason = workflow.require_text(reason, "修改原因", max_len=200)
    if not changes:
        raise ValidationError("没有修改任何一项：请改正要更正的内容，或按“取消”", field="标题")
    return update_matter(session, matter_id=matter_id, changes=changes, reason=reason, version=version)


def correct_petitioner(session: Session, *, matter_id: int, petitioner_id: int, name: str, id_number: str = "",
                       phone: str = "", address: str = "", region: str = "", reason: str,
                       version: int | None = None) -> MatterRef:
    """修改信访人 on one matter: the person's record is corrected (for each of their matters, it is one
    person), the line goes on this matter's timeline. A number already another person's is refused."""
    matter, case = load_case(session, matter_id, version=version)
    link = next((x for x in matter.links if x.petitioner_id == petitioner_id), None)
    if link is None:
        raise NotFoundError("该信访人不在此事项中，请重新打开卷宗", field="姓名")
    row = link.petitioner
    before = PetitionerInput(name=row.name, id_number=row.id_number, phone=row.phone, address=row.address,
                             region=row.region)
    after = PetitionerInput(name=name, id_number=id_number, phone=phone, address=address, region=region)
    out, corrected = workflow.correct_petitioner(case, before, after, reason=reason)
    number = corrected.id_number
    if number:
        other = session.scalar(select(Petitioner).where(Petitioner.id_number == number,
                                                        Petitioner.id != row.id).limit(1))
        if other is not None:
            raise ValidationError(f"身份证号{number}已登记为另一信访人“{other.name}”，请核对", field="身份证号")
    row.name, row.id_number, row.phone = corrected.name, corrected.id_number, corrected.phone
    row.address, row.region = corrected.address, corrected.region
    if number:
        row.sex = row.sex or check_id_number(number).sex
    apply(session, matter, out)
    return matter_ref(matter)


def propose(session: Session, *, matter_id: int, text: str, version: int | None = None) -> MatterRef:
    """拟办意见."""
    matter, case = load_case(session, matter_id, version=version)
    return written(session, matter, workflow.propose(case, text))


def instruct(session: Session, *, matter_id: int, leader: str, on: date, text: str,
             version: int | None = None) -> MatterRef:
    """领导批示: who, when, what."""
    matter, case = load_case(session, matter_id, version=version)
    return written(session, matter, workflow.instruct(case, leader=leader, on=on, text=text, rules=rules(session)))


def _targets(session: Session, targets: tuple[TransferTarget, ...]) -> tuple[workflow.Target, ...]:
    found = units(session, [t.unit_id for t in targets])
    return tuple(workflow.Target(found[t.unit_id], t.role, t.due_on) for t in targets)


def decide(
    session: Session,
    *,
    matter_id: int,
    decision: Decision,
    on: date,
    reason: str = "",
    competent_body: str = "",
    targets: tuple[TransferTarget, ...] = (),
    due_on: date | None = None,
    version: int | None = None,
) -> MatterRef:
    """受理决定: 受理 / 不予受理 / 转送 / 交办 / 直接答复 / 存查; `due_on` sets a 受理's deadline by hand."""
    matter, case = load_case(session, matter_id, version=version)
    out = workflow.decide(case, decision, on=on, rules=rules(session), reason=reason,
                          competent_body=competent_body, targets=_targets(session, targets), due_on=due_on)
    return written(session, matter, out)


def transfer(session: Session, *, matter_id: int, targets: tuple[TransferTarget, ...], on: date,
             version: int | None = None) -> MatterRef:
    """交办 an accepted matter to (more) units after the decision."""
    matter, case = load_case(session, matter_id, version=version)
    out = workflow.transfer(case, _targets(session, targets), on=on, rules=rules(session))
    return written(session, matter, out)


def revoke_decision(session: Session, *, matter_id: int, reason: str, version: int | None = None) -> MatterRef:
    """撤销受理决定: a 不予受理 or 存查 by mistake taken back; the matter waits for its decision again."""
    matter, case = load_case(session, matter_id, version=version)
    return written(session, matter, workflow.revoke(case, reason=reason))


def void(session: Session, *, matter_id: int, reason: str, version: int | None = None) -> MatterRef:
    """作废 with a reason; the matter and its timeline stay, its open transfers are closed with it."""
    matter, case = load_case(session, matter_id, version=version)
    return written(session, matter, workflow.void(case, reason=reason))


_VOIDED_FROM = re.compile(r"^作废（原状态：(.+?)）")  # what a 作废 line says (finish.void), older lines too


def state_before_void(session: Session, matter_id: int) -> Status:
    """The state a voided matter was in before its last 作废, as that timeline line recorded it."""
    data, text = session.execute(
        select(Event.data, Event.text).where(Event.matter_id == matter_id, Event.kind == EventKind.VOIDED)
        .order_by(Event.id.desc()).limit(1)).one_or_none() or (None, "")
    said = (data or {}).get("status") or (found.group(1) if (found := _VOIDED_FROM.match(text)) else "")
    return Status(said) if said in {s.value for s in Status} else Status.VOIDED


def restore(session: Session, *, matter_id: int, reason: str, version: int | None = None) -> MatterRef:
    """撤销作废 with a reason: back to the state the last 作废 left; its transfers wait for their reports again."""
    matter, case = load_case(session, matter_id, version=version)
    before = state_before_void(session, matter_id)
    parent = session.get(Matter, matter.parent_id) if matter.parent_id is not None else None
    other = review_registered(session, parent) if parent is not None else None  # this one is voided: another
    return written(session, matter, workflow.restore(case, reason=reason, before=before, other_request=other))


def add_attachment(session: Session, *, matter_id: int, source: Path) -> MatterRef:
    """Keep a scan in the database with the matter, so every clerk of a server database can open it."""
    matter = load_matter(session, matter_id)
    try:
        data = source.read_bytes()
    except OSError as exc:
        raise ValidationError(f"附件“{source.name}”无法读取（{exc.strerror}），请检查文件后重试", field="附件") from exc
    digest = hashlib.sha256(data).hexdigest()
    session.add(
        Attachment(
            matter_id=matter.id,
            filename=source.name,
            stored_path=f"{digest}{source.suffix.lower()}",
            sha256=digest,
            size=len(data),
            added_at=wallclock.now(),
            content=data,
        )
    )
    add_event(session, matter, EventKind.ATTACHED, f"添加附件：{source.name}（{len(data)}字节）")
    return matter_ref(matter)


def attachment_content(session: Session, *, attachment_id: int) -> bytes:
    """The file of an attachment, to open it; NotFoundError saying where it was when an older version
    kept it outside the database and it was gone when the database was upgraded (migration 0016)."""
    row = session.get(Attachment, attachment_id)
    if row is None:
        raise NotFoundError("找不到该附件，请重新打开卷宗", field="附件")
    if row.content is None:
        raise NotFoundError(f"附件“{row.filename}”的文件不在数据库中：旧版本把它另存在登记它的电脑上，数据库文件旁的"
                            f"“…-attachments”文件夹里（文件名{row.stored_path}），升级时那里已没有这个文件。"
                            "请在那台电脑上找到它，重新添加。", field="附件")
    return bytes(row.content)


def register_with_attachments(session: Session, data: MatterInput, *, files: tuple[Path, ...]) -> MatterRef:
    """登记 and attach scans in one action: an unreadable file stops the whole registration."""
    for path in files:
        if not path.is_file():
            raise ValidationError(f"附件“{path.name}”不存在或无法读取，请重新选择", field="附件")
    ref = register_matter(session, data)
    for path in files:
        add_attachment(session, matter_id=ref.id, source=path)
    return ref
