"""问题发生地 as the office keeps it (乡镇/村), whichever writer records it: the form, a 修改, the import."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import openpyxl

from xinfang_desktop.db.database import Database
from xinfang_desktop.domain.enums import Channel
from xinfang_desktop.domain.places import canonical_place
from xinfang_desktop.domain.values import MatterFilter, MatterInput, PetitionerInput
from xinfang_desktop.services.convert import get_matter
from xinfang_desktop.services.ledger.files import export_ledger_file, import_ledger_file
from xinfang_desktop.services.reference import add_region, seed_defaults
from xinfang_desktop.services.registry import register_matter, update_matter
from xinfang_desktop.services.statistics.figures import tally_year

TOWNS = {"河口镇": ["李家湾村", "李家村"], "桃花镇": []}


def test_a_place_typed_run_together_is_the_offices_town_and_village_and_more_is_kept() -> None:
    assert canonical_place("河口镇李家湾村", TOWNS) == "河口镇/李家湾村"  # the longest village named
    assert canonical_place(" 桃花镇 ", TOWNS) == "桃花镇"
    assert canonical_place("河口镇李家湾村3组", TOWNS) == "河口镇/李家湾村/3组"  # nothing typed is dropped
    assert canonical_place("李家湾村3组", TOWNS) == "河口镇/李家湾村/3组"  # a village only one town has
    assert canonical_place("河口镇街道", TOWNS) == "河口镇/街道"
    assert canonical_place("河口镇/李家湾村", TOWNS) == "河口镇/李家湾村"
    assert canonical_place("县城南门", TOWNS) == "县城南门"
    assert canonical_place("青石县河口镇", TOWNS) == "青石县河口镇"  # another system's: the import reads it


def _db(path: Path) -> Database:
    db = Database(path)
    with db.begin() as s:
        seed_defaults(s)
        for town, villages in TOWNS.items():
            add_region(s, name=town)
            for village in villages:
                add_region(s, name=village, town=town)
    return db


def test_the_form_the_correction_and_a_round_trip_keep_one_place(tmp_path: Path) -> None:
    db = _db(tmp_path / "a.sqlite3")
    with db.begin() as s:
        ids = [register_matter(s, MatterInput(received_on=date(2025, 5, d), channel=Channel.LETTER, title=f"反映问题{d}",
                                              petitioners=(PetitionerInput(f"王{d}"),), place=place)).id
               for d, place in ((6, "河口镇李家湾村"), (7, "河口镇李家湾村3组"), (8, "桃花镇"))]
        update_matter(s, matter_id=ids[2], changes={"place": "河口镇李家村"}, reason="录入错误")
    with db.read() as s:
        places = [get_matter(s, i).place for i in ids]
        by_place = {c.name: c.count for c in tally_year(s, year=2025, use_cache=False).by_place}
        by_town = {c.name: c.count for c in tally_year(s, year=2025, use_cache=False).by_township}
    assert places == ["河口镇/李家湾村", "河口镇/李家湾村/3组", "河口镇/李家村"]
    assert by_place == {"河口镇/李家湾村": 1, "河口镇/李家湾村/3组": 1, "河口镇/李家村": 1}
    assert by_town == {"河口镇": 3}

    first, second = tmp_path / "first.xlsx", tmp_path / "second.xlsx"
    export_ledger_file(db, first, flt=MatterFilter(year=2025))
    other = _db(tmp_path / "b.sqlite3")
    report = import_ledger_file(other, first).report
    export_ledger_file(other, second, flt=MatterFilter(year=2025))
    with other.read() as s:
        assert sorted(get_matter(s, i).place for i in report.matter_ids) == sorted(places)

    def cells(path: Path) -> list[tuple[object, ...]]:
        return [tuple(r) for r in openpyxl.load_workbook(path).active.iter_rows(min_row=2, values_only=True)]
    assert cells(second) == cells(first)
    db.close()
    other.close()
