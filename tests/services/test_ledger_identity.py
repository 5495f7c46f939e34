"""Who a ledger row's petitioner is: a 身份证号 Excel stored as a number is no identity (walk6 #2), and a
known 身份证号 under another name keeps the name on file (walk6 #1, the import side)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import openpyxl
import pytest

from xinfang_desktop.db.database import Database
from xinfang_desktop.domain.enums import Channel
from xinfang_desktop.domain.values import MatterFilter, MatterInput, PetitionerInput
from xinfang_desktop.exporters.ledger_import import read_ledger
from xinfang_desktop.services import registry
from xinfang_desktop.services.ledger import ledger_rows
from xinfang_desktop.services.ledger.files import import_ledger_file

HEADER = ["编号", "登记日期", "信访形式", "信访人", "身份证号", "联系电话", "住址", "反映问题"]
ID_SUN = "110105198001010016"
ID_QIAN = "110105198001010024"
OLD_ID = "110105800101001"  # 15 digits, the old style: intact as a number


def _ledger(path: Path, rows: list[list[object]]) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "2026年"
    ws.append(HEADER)
    for row in rows:
        ws.append(row)
    wb.save(path)
    return path


def _people(db: Database) -> list[tuple[str, int, str, str]]:
    """(编号, petitioner id, name, 身份证号) of every matter, by 编号."""
    with db.read() as s:
        return [tuple(r) for r in s.connection().exec_driver_sql(  # type: ignore[misc]
            "SELECT m.number, p.id, p.name, p.id_number FROM matters m JOIN matter_petitioners mp "
            "ON mp.matter_id = m.id JOIN petitioners p ON p.id = mp.petitioner_id ORDER BY m.number")]


@pytest.mark.parametrize("value", [1.1010519800101E+17, 110105198001010016], ids=["excel-float", "int"])
def test_an_id_number_stored_as_a_number_is_no_identity(db: Database, tmp_path: Path, value: object) -> None:
    """Two people whose 18-digit numbers Excel kept as 110105198001010000 stay two people; the cell goes to 备注."""
    path = _ledger(tmp_path / "idnum.xlsx", [
        ["A-1", date(2026, 3, 2), "来信", "孙大明", value, "", "", "反映道路破损"],
        ["A-2", date(2026, 3, 3), "来信", "钱小丽", 1.1010519800101E+17, "", "", "反映路灯不亮"],
    ])
    outcome = import_ledger_file(db, path)
    assert outcome.report.imported == 2
    people = _people(db)
    assert [(n, name, number) for n, _, name, number in people] == [("A-1", "孙大明", ""), ("A-2", "钱小丽", "")]
    assert people[0][1] != people[1][1]
    texts = [w.text for w in outcome.report.warnings]
    lost = "110105198001010000"  # as calamine reads either: the digits past the fifteenth are gone
    assert ("“身份证号”在Excel中存成了数字，后几位已丢失（读到" + lost + "），未作为身份证号导入，请按原件补正") in texts
    assert not any("校验位" in t or "最后一位应为" in t for t in texts)
    with db.read() as s:
        notes = {r.number: r.note for r in ledger_rows(s, MatterFilter(year=2026))}
    assert notes["A-1"] == notes["A-2"] == f"身份证号：{lost}（Excel中存成了数字，后几位已丢失）"


def test_a_numeric_id_never_finds_a_stored_person(db: Database, tmp_path: Path) -> None:
    """A stored 孙大明 whose number is 110105198001010000 (a bad import of old) is not found by a numeric cell."""
    with db.begin() as s:
        registry.register_matter(s, MatterInput(
            received_on=date(2026, 1, 5), channel=Channel.LETTER, title="旧件", accept_id_warnings=True,
            petitioners=(PetitionerInput("孙大明", id_number="110105198001010000"),)))
    path = _ledger(tmp_path / "idnum.xlsx", [
        ["A-2", date(2026, 3, 3), "来信", "钱小丽", 1.1010519800101E+17, "", "", "反映路灯不亮"]])
    assert import_ledger_file(db, path).report.imported == 1
    people = {n: (pid, name) for n, pid, name, _ in _people(db)}
    assert people["A-2"][1] == "钱小丽" and people["A-2"][0] != next(
        pid for n, (pid, _) in people.items() if n != "A-2")


def test_a_15_digit_id_stored_as_a_number_is_intact(db: Database, tmp_path: Path) -> None:
    """Fifteen digits are within what Excel keeps: the old-style number is read as written, one person."""
    path = _ledger(tmp_path / "old.xlsx", [
        ["B-1", date(2026, 3, 2), "来信", "周老汉", float(OLD_ID), "", "", "反映道路破损"],
        ["B-2", date(2026, 4, 2), "来信", "周老汉", int(OLD_ID), "", "", "再次反映道路破损"],
    ])
    ledger = read_ledger(path)
    assert [r.values.id_numbers for r in ledger.rows] == [OLD_ID, OLD_ID]
    outcome = import_ledger_file(db, path, ledger=ledger)
    assert outcome.report.imported == 2
    assert not any("存成了数字" in w.text for w in outcome.report.warnings)
    (a, b) = _people(db)
    assert a[1] == b[1] and a[3] == b[3] == OLD_ID


def test_an_id_typed_as_text_is_read_as_before(db: Database, tmp_path: Path) -> None:
    path = _ledger(tmp_path / "text.xlsx", [
        ["C-1", date(2026, 3, 2), "来信", "孙大明", ID_SUN, "", "", "反映道路破损"],
        ["C-2", date(2026, 3, 3), "来信", "钱小丽", ID_QIAN, "", "", "反映路灯不亮"],
    ])
    outcome = import_ledger_file(db, path)
    assert not outcome.report.warnings
    assert [(name, number) for _, _, name, number in _people(db)] == [("孙大明", ID_SUN), ("钱小丽", ID_QIAN)]


def _names_by_number(db: Database) -> dict[str, str]:
    return {n: name for n, _, name, _ in _people(db)}


def test_a_known_id_under_another_name_keeps_the_name_within_one_import(db: Database, tmp_path: Path) -> None:
    """idsame.xlsx: B-1 孙大明 and B-2 孙大铭 with one 身份证号: one person, 孙大明 on both, the row warned."""
    path = _ledger(tmp_path / "idsame.xlsx", [
        ["B-1", date(2026, 3, 2), "来信", "孙大明", ID_SUN, "", "", "反映道路破损"],
        ["B-2", date(2026, 3, 9), "来信", "孙大铭", ID_SUN, "", "", "再次反映道路破损"],
    ])
    outcome = import_ledger_file(db, path)
    assert outcome.report.imported == 2
    assert _names_by_number(db) == {"B-1": "孙大明", "B-2": "孙大明"}
    assert [(w.row, w.text) for w in outcome.report.warnings] == [
        (3, f"身份证号{ID_SUN}在本台账“2026年”第2行登记为孙大明，本行写作孙大铭，按孙大明导入；"
            "如确为改名，请导入后在卷宗中核对")]
    with db.read() as s:
        notes = {r.number: r.note for r in ledger_rows(s, MatterFilter(year=2026))}
    assert notes == {"B-1": "", "B-2": "信访人姓名台账写作孙大铭"}  # what the row said is kept with its matter


def test_a_stored_id_under_another_name_keeps_the_stored_name(db: Database, tmp_path: Path) -> None:
    """A person on file is never renamed on their earlier matters by an import; a new phone is said and kept."""
    with db.begin() as s:
        registry.register_matter(s, MatterInput(
            received_on=date(2026, 1, 5), channel=Channel.LETTER, title="旧件", number="A-0",
            petitioners=(PetitionerInput("孙大明", id_number=ID_SUN, phone="13800000001", address="河口镇河口村"),)))
    path = _ledger(tmp_path / "later.xlsx", [
        ["B-2", date(2026, 3, 9), "来信", "孙大铭", ID_SUN, "13900000002", "河口镇河口村", "再次反映道路破损"],
        ["B-3", date(2026, 4, 9), "来信", "孙大明", ID_SUN, "13900000002", "", "三次反映道路破损"],
    ])
    outcome = import_ledger_file(db, path)
    assert outcome.report.imported == 2
    assert _names_by_number(db) == {"A-0": "孙大明", "B-2": "孙大明", "B-3": "孙大明"}
    assert [(w.row, w.text) for w in outcome.report.warnings] == [
        (2, f"身份证号{ID_SUN}在库中登记为孙大明，本行写作孙大铭，按孙大明导入；如确为改名，请导入后在卷宗中核对"),
        (2, f"孙大明（身份证号{ID_SUN}）在库中的联系电话为13800000001，本行为13900000002，已按本行更新"),
    ]
    with db.read() as s:
        phones = {r.number: r.phones for r in ledger_rows(s, MatterFilter(year=2026))}
    assert set(phones.values()) == {"13900000002"}  # one person: the newer phone on every matter
