"""Art. 30 in the letters to a unit: the informant's variants never reach the PDF, in 标题, 反映内容 and 诉求 or in
whatever else was typed about the matter (处理意见, 办理结果, 延期理由, 领导批示 …)."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from pathlib import Path

from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from tests.helpers.builders import unit_id
from tests.helpers.pdf import pdf_text
from tests.helpers.people import ADDRESS, id_numbers, mobiles, names, normalized, said_about, traces
from xinfang_desktop.db.database import Database
from xinfang_desktop.db.models import Transfer
from xinfang_desktop.domain.enums import Channel, Decision, PetitionerRole, Purpose, TransferRole
from xinfang_desktop.domain.idcard import check_digit
from xinfang_desktop.domain.letters import ADDRESSEE, PLACEHOLDERS, RECORD_PLACEHOLDERS, Addressee, DocumentKind
from xinfang_desktop.domain.values import MatterInput, PetitionerInput, TransferTarget
from xinfang_desktop.services import documents
from xinfang_desktop.services.handling import extend, record_feedback, reply
from xinfang_desktop.services.reference import list_units
from xinfang_desktop.services.registry import decide, instruct, register_matter

ID_NUMBER = "33010219800101123" + check_digit("33010219800101123")


def _letter(db: Database, tmp_path: Path, *, decision: Decision, kind: DocumentKind) -> str:
    people = (
        PetitionerInput(name="赵德明", id_number=ID_NUMBER, phone="13912345678", address="城关镇石桥村5组12号"),
        PetitionerInput(name="钱秀英", phone="0571-8888 8888", address="城关镇柳溪村3组",
                        role=PetitionerRole.REPRESENTATIVE),
    )
    data = MatterInput(
        received_on=date(2026, 3, 2), channel=Channel.VISIT, purpose=Purpose.ACCUSATION, persons=2,
        title="赵 德明举报村主任挪用补助款",
        content=(f"村主任挪用补助款。举报人德明（身份证{ID_NUMBER[:6]} {ID_NUMBER[6:14]} {ID_NUMBER[14:].lower()}），"
                 "电话139-1234-5678或+86 139 1234 5678，家住石桥村五组12号；代表人钱　秀英，电话8888 8888。"),
        demand="请求查处，并向赵德明答复。", petitioners=people, place="城关镇石桥村",
    )
    with db.begin() as s:
        matter_id = register_matter(s, data).id
        unit = list_units(s)[0].id
    with db.begin() as s:
        decide(s, matter_id=matter_id, decision=decision, on=date(2026, 3, 5),
               targets=(TransferTarget(unit, due_on=date(2026, 5, 4)),))
    with db.begin() as s:
        info = documents.issue_document(s, matter_id=matter_id, kind=kind)
        pdf = documents.document_pdf(s, info.id)
    return pdf_text(pdf, tmp_path).replace("\n", "")


def _assert_no_informant(text: str) -> None:
    squeezed = re.sub(r"[\s\u3000\-+]", "", text)
    for secret in ("赵德明", "德明", "钱秀英", "秀英", ID_NUMBER[:10], "1391234", "12345678", "88888888",
                   "五组", "5组", "12号", "柳溪村", "3组"):
        assert secret not in squeezed, secret
    assert "村主任挪用补助款" in text  # what the unit must handle is still there
    assert "石桥村" in text  # the 问题发生地, named by the letter anyway


def test_the_assign_letter_carries_no_variant_of_the_informant(db: Database, tmp_path: Path) -> None:
    _assert_no_informant(_letter(db, tmp_path, decision=Decision.ASSIGN, kind=DocumentKind.ASSIGN_LETTER))


def test_the_forward_letter_carries_no_variant_of_the_informant(db: Database, tmp_path: Path) -> None:
    _assert_no_informant(_letter(db, tmp_path, decision=Decision.FORWARD, kind=DocumentKind.FORWARD_LETTER))


def test_the_letters_to_a_unit_state_the_problems_place(db: Database, tmp_path: Path) -> None:
    text = _letter(db, tmp_path, decision=Decision.FORWARD, kind=DocumentKind.FORWARD_LETTER)
    assert "问题发生地：城关镇石桥村" in text  # in prose, not the stored 城关镇/石桥村


def test_with_no_place_recorded_the_village_the_content_accuses_stays_in_the_letter(
        db: Database, tmp_path: Path) -> None:
    """walk6 #4: the informant lives in the village whose cadres are accused; with no 问题发生地 the letter
    printed “反映×××村干部…”, and the body it went to could not tell which village."""
    data = MatterInput(
        received_on=date(2026, 3, 2), channel=Channel.ONLINE, purpose=Purpose.ACCUSATION, title="举报村干部优亲厚友",
        content="反映河口村村干部在低保评定中优亲厚友。我家住河口村3组。",
        petitioners=(PetitionerInput(name="刘芳", address="河口镇河口村3组"),),
    )
    with db.begin() as s:
        matter_id = register_matter(s, data).id
        unit = list_units(s)[0].id
    with db.begin() as s:
        decide(s, matter_id=matter_id, decision=Decision.FORWARD, on=date(2026, 3, 5),
               targets=(TransferTarget(unit, due_on=date(2026, 5, 4)),))
    with db.begin() as s:
        info = documents.issue_document(s, matter_id=matter_id, kind=DocumentKind.FORWARD_LETTER)
        text = pdf_text(documents.document_pdf(s, info.id), tmp_path).replace("\n", "")
    assert "反映河口村村干部在低保评定中优亲厚友" in text
    assert "刘芳" not in text and "3组" not in text and "问题发生地" not in text  # no place: no such line


# every letter to a unit, printing everything typed about the matter between two marks
TO_UNITS = [kind for kind, to in ADDRESSEE.items() if to is Addressee.UNIT]
TYPED = [name for name in PLACEHOLDERS if name not in RECORD_PLACEHOLDERS]
START, END = "以下为录入内容", "以上为录入内容"
TEMPLATE = "\n".join(["【标题】检查", "【主送】{承办单位}", "【正文】", START, *(f"{n}：{{{n}}}" for n in TYPED), END,
                      "【署名】{机关名称}", "【日期】{成文日期}"])
MATTER = "村主任挪用补助款"  # what the unit must handle, told in every text


def _typed_part(pdf: bytes, tmp_path: Path) -> str:
    """The lines between the marks, as one text: page breaks and page numbers (— 1 —) taken out."""
    text = re.sub(r"\n*— \d+ —\n*\f?", "", pdf_text(pdf, tmp_path))
    return text[text.index(START) + len(START):text.index(END)].replace("\n", "")


def _walk_through(db: Database, person: PetitionerInput, said: Callable[[], str], *, decision: Decision) -> int:
    """A 检举控告 matter that has every text typed about it: 批示, 交办 or 转送, 延期, reports, 答复."""
    with db.begin() as s:
        matter_id = register_matter(s, MatterInput(
            received_on=date(2026, 3, 2), channel=Channel.VISIT, purpose=Purpose.ACCUSATION, title=MATTER + said(),
            content=said(), demand=said(), petitioners=(person,), place="城关镇柳溪村"), now=date(2026, 11, 1)).id
        instruct(s, matter_id=matter_id, leader="县委副书记", on=date(2026, 3, 3), text=said())
    lead = TransferTarget(unit_id(db, "城关镇人民政府"), TransferRole.LEAD, due_on=date(2026, 5, 4))
    assist = TransferTarget(unit_id(db, "县农业农村局"), TransferRole.ASSIST, due_on=date(2026, 5, 4))
    with db.begin() as s:
        decide(s, matter_id=matter_id, decision=decision, on=date(2026, 3, 5),
               targets=(lead, assist) if decision is Decision.ASSIGN else (lead,))
        if decision is Decision.ASSIGN:
            extend(s, matter_id=matter_id, new_due_on=date(2026, 5, 20), reason=said(), on=date(2026, 4, 30))
        first = s.scalars(select(Transfer).where(Transfer.matter_id == matter_id).order_by(Transfer.id)).first()
        assert first is not None
        record_feedback(s, transfer_id=first.id, received_on=date(2026, 5, 6), text=said(), result=said())
    return matter_id


def _issue(db: Database, matter_id: int, kind: DocumentKind, tmp_path: Path, transfer: int | None = None) -> str:
    with db.begin() as s:
        info = documents.issue_document(s, matter_id=matter_id, kind=kind, on=date(2026, 5, 10), transfer_id=transfer)
        return _typed_part(documents.document_pdf(s, info.id), tmp_path)


# each example issues four PDFs into one database (hence the shared fixture); shrinking a failure would
# outlast the test's timeout, and the failing draws are printed as they are
@settings(max_examples=4, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture],
          phases=[Phase.generate])
@given(st.data(), names(), id_numbers(), mobiles())
def test_no_letter_to_a_unit_carries_the_informant_in_anything_typed_about_the_matter(
        db: Database, tmp_path: Path, data: st.DataObject, name: str, number: str, mobile: str) -> None:
    with db.begin() as s:
        for kind in TO_UNITS:
            documents.set_template(s, kind=kind, text=TEMPLATE)

    def said() -> str:
        return MATTER + data.draw(said_about(name, number, mobile))

    person = PetitionerInput(name=name, id_number=number, phone=mobile, address=ADDRESS)
    assigned = _walk_through(db, person, said, decision=Decision.ASSIGN)
    forwarded = _walk_through(db, person, said, decision=Decision.FORWARD)
    with db.read() as s:
        open_transfer = s.scalars(select(Transfer.id).where(Transfer.matter_id == assigned)
                                  .order_by(Transfer.id.desc())).first()
    letters = {DocumentKind.REMINDER: _issue(db, assigned, DocumentKind.REMINDER, tmp_path, open_transfer)}
    with db.begin() as s:
        record_feedback(s, transfer_id=open_transfer, received_on=date(2026, 5, 12), text=said(), result=said())
        for matter_id in (assigned, forwarded):
            reply(s, matter_id=matter_id, on=date(2026, 5, 15), text=said(), findings=said())
    letters[DocumentKind.ASSIGN_LETTER] = _issue(db, assigned, DocumentKind.ASSIGN_LETTER, tmp_path)
    letters[DocumentKind.ASSIST_LETTER] = _issue(db, assigned, DocumentKind.ASSIST_LETTER, tmp_path, open_transfer)
    letters[DocumentKind.FORWARD_LETTER] = _issue(db, forwarded, DocumentKind.FORWARD_LETTER, tmp_path)
    assert set(letters) == set(TO_UNITS)
    for kind, typed in letters.items():
        left = normalized(typed)
        for trace in traces(name, number, mobile):
            assert trace not in left, (kind, trace, typed)
    # each was typed before the letter, and is printed scrubbed (a 转送 matter is not 延期 by this office)
    printed = {DocumentKind.REMINDER: ("领导批示", "延期理由", "办理结果"),
               DocumentKind.ASSIGN_LETTER: ("领导批示", "延期理由", "办理结果", "处理意见", "认定事实"),
               DocumentKind.ASSIST_LETTER: ("领导批示", "延期理由", "办理结果", "处理意见"),
               DocumentKind.FORWARD_LETTER: ("领导批示", "办理结果", "处理意见")}
    for kind, fields in printed.items():
        for field in fields:
            assert _printed(letters[kind], field), (kind, field, letters[kind])


def _printed(typed: str, field: str) -> bool:
    """The field's line is in the letter and still tells the matter."""
    return f"{field}：" in typed and MATTER in typed.split(f"{field}：", 1)[1][:40]
