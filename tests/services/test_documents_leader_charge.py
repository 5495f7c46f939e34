"""领导包案 on the letters to the units: the 交办函 (主办 and 协办) and the 催办单 say who is in charge and by when,
read back from the PDFs; a matter without 包案 says nothing of it."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from sqlalchemy import select

from tests.helpers.pdf import page_sizes
from tests.services.test_documents import _assigned, _issue, _text
from xinfang_desktop.db.database import Database
from xinfang_desktop.db.models import Transfer
from xinfang_desktop.domain.enums import TransferRole
from xinfang_desktop.domain.letters import DocumentKind
from xinfang_desktop.services import documents, handling

D = date.fromisoformat
SAID = "本事项由副镇长李明包案，化解期限为2026年4月30日"


def _transfers(db: Database, matter_id: int) -> dict[TransferRole, int]:
    with db.read() as s:
        return {t.role: t.id for t in s.scalars(select(Transfer).where(Transfer.matter_id == matter_id))}


def test_the_letters_to_the_units_name_the_leader_in_charge(db: Database, tmp_path: Path) -> None:
    matter_id = _assigned(db, assist=True)
    with db.begin() as s:
        handling.take_charge(s, matter_id=matter_id, leader="李明", post="副镇长", measures="包案化解，每周听取汇报",
                             resolve_by=D("2026-04-30"), on=D("2026-03-06"))
    units = _transfers(db, matter_id)
    _n, lead = _issue(db, matter_id, DocumentKind.ASSIGN_LETTER, on=D("2026-03-06"),
                      transfer_id=units[TransferRole.LEAD])
    text = _text(lead, tmp_path)
    assert SAID + "。" in text
    assert len(page_sizes(lead)) == 1  # one line more, and the 交办函 with its 协办 unit still fits on one page
    assert "包案化解，每周听取汇报" not in text  # the leader's own measures stay in the 卷宗
    _n, assist = _issue(db, matter_id, DocumentKind.ASSIGN_LETTER, on=D("2026-03-06"),
                        transfer_id=units[TransferRole.ASSIST])
    assert SAID + "。" in _text(assist, tmp_path)
    _n, reminder = _issue(db, matter_id, DocumentKind.REMINDER, on=D("2026-05-10"),
                          transfer_id=units[TransferRole.LEAD])
    text = _text(reminder, tmp_path)
    assert SAID + "，请你单位同时向包案领导报告办理进展。" in text and "已超期6日" in text
    # the batch of 催办单 fills the same letter
    with db.begin() as s:
        batch = documents.reminder_batch(s, on=D("2026-05-11"))
    assert SAID in _text(batch.pdf, tmp_path)

    # a later 包案 hands the matter to another leader: the next letter names the new one
    with db.begin() as s:
        handling.take_charge(s, matter_id=matter_id, leader="王芳", post="镇长", measures="亲自包案",
                             resolve_by=D("2026-05-31"), on=D("2026-05-12"))
    _n, again = _issue(db, matter_id, DocumentKind.REMINDER, on=D("2026-05-12"), transfer_id=units[TransferRole.LEAD])
    text = _text(again, tmp_path)
    assert "本事项由镇长王芳包案，化解期限为2026年5月31日" in text and "李明" not in text


def test_without_a_leader_in_charge_the_letters_say_nothing_of_it(db: Database, tmp_path: Path) -> None:
    matter_id = _assigned(db)
    _n, letter = _issue(db, matter_id, DocumentKind.ASSIGN_LETTER, on=D("2026-03-06"))
    _n, reminder = _issue(db, matter_id, DocumentKind.REMINDER, on=D("2026-05-10"))
    for pdf in (letter, reminder):
        text = _text(pdf, tmp_path)
        assert "包案" not in text and "反映村道硬化工程质量问题" in text
