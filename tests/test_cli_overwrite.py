"""`xinfang letter -o` never overwrites a file without --force, and refuses before a 文号 is taken."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select

from xinfang_desktop.cli import main
from xinfang_desktop.db.database import Database
from xinfang_desktop.db.models import Document
from xinfang_desktop.domain.enums import Channel, Decision
from xinfang_desktop.domain.values import MatterInput, PetitionerInput
from xinfang_desktop.services.registry import decide, register_matter


def _documents(db: Database) -> int:
    with db.read() as s:
        return int(s.scalar(select(func.count(Document.id))) or 0)


def test_letter_refuses_an_existing_output_until_forced(db: Database, tmp_path: Path,
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    with db.begin() as s:
        matter = register_matter(s, MatterInput(received_on=date(2026, 3, 2), channel=Channel.LETTER, title="反映路灯",
                                                petitioners=(PetitionerInput("张三"),)))
    with db.begin() as s:
        decide(s, matter_id=matter.id, decision=Decision.ACCEPT, on=date(2026, 3, 5))
    number = matter.number
    signed = tmp_path / "已盖章.pdf"
    signed.write_bytes(b"%PDF the signed one")
    args = ["letter", "--db", str(db.path), "--matter", number, "--kind", "受理告知书", "-o", str(signed)]
    assert main(args) == 2
    assert "已存在，未覆盖" in capsys.readouterr().err
    assert signed.read_bytes() == b"%PDF the signed one" and _documents(db) == 0  # no number consumed
    assert main([*args, "--force"]) == 0
    assert signed.read_bytes().startswith(b"%PDF-") and _documents(db) == 1
