"""Art. 30 in the letters to a unit: the informant's variants in 标题, 反映内容 and 诉求 never reach the PDF."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

from tests.helpers.pdf import pdf_text
from xinfang_desktop.db.database import Database
from xinfang_desktop.domain.enums import Channel, Decision, PetitionerRole, Purpose
from xinfang_desktop.domain.idcard import check_digit
from xinfang_desktop.domain.letters import DocumentKind
from xinfang_desktop.domain.values import MatterInput, PetitionerInput, TransferTarget
from xinfang_desktop.services import documents
from xinfang_desktop.services.reference import list_units
from xinfang_desktop.services.registry import decide, register_matter

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
