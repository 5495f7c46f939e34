"""What the rows of an import find in the database: units and 问题分类 by the name the ledger writes,
the 编号 taken and the next 序号 of a year, matters imported before, petitioners by 身份证号.

Each is asked once per import (or once per few hundred values), not once per row; what this import
itself has given (numbers, matters, petitioners) is found as if it were stored.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from xinfang_desktop.db.dialect import as_date, driver
from xinfang_desktop.domain import workflow
from xinfang_desktop.domain.enums import Sex, UnitKind
from xinfang_desktop.domain.idcard import check_id_number, normalize_id_number
from xinfang_desktop.domain.ledger import ParsedRow
from xinfang_desktop.domain.values import PetitionerInput, UnitInfo
from xinfang_desktop.domain.workflow.checks import require_text
from xinfang_desktop.services.cases import rules
from xinfang_desktop.services.reference import add_category, add_unit, find_category, find_unit

NAME_MAX = 64  # petitioners.name
_IN_CHUNK = 500  # values in one IN (...): well under SQLite's limit of bound parameters


@dataclass
class Person:
    """A petitioner of this import, known by 身份证号 (or new): written once, updated if a later row says more."""

    id: int
    name: str
    sex: str | None
    id_number: str
    phone: str
    address: str
    region: str
    stored: bool  # already in the database (an earlier batch or before this import)
    changed: bool = False

    def values(self) -> dict[str, Any]:
        return {"id": self.id, "name": self.name, "sex": self.sex, "id_number": self.id_number, "phone": self.phone,
                "address": self.address, "region": self.region}


@dataclass
class Known:
    """Units and 问题分类 found on our lists, by the name the ledger writes: asked once per import, not per batch.

    Only what was found is kept: units and categories are never deleted, so an id found stays good
    across the import's transactions, while one not found is asked again (a clerk may add it meanwhile).
    """

    units: dict[str, UnitInfo] = field(default_factory=dict)
    categories: dict[str, int] = field(default_factory=dict)


class Lookups:
    """The lookups of one import run, kept for its length (the check, then every batch of the write)."""

    def __init__(self, session: Session, known: Known | None = None) -> None:
        self.session = session
        self.known = known if known is not None else Known()
        self.driver: Any = driver(session)
        self.rules = rules(session)
        self.units: dict[str, UnitInfo | None] = {}  # by name as the ledger writes it; None: not on our list
        self.categories: dict[str, int | None] = {}
        self.known_categories: dict[str, tuple[int | None, int | None]] = {}
        self.seqs: dict[int, int] = {}  # the last 序号 of each year, this import's included
        self.numbers: set[str] = set()  # the 编号 this import has given, written or not yet
        self.given: dict[str, tuple[date, str]] = {}  # (登记日期, 标题) by the 编号 this import gave
        self.written: dict[str, int] = {}  # the id of each matter written, by the 编号 its row gave
        self.people: dict[str, Person] = {}  # by 身份证号
        # stored petitioners by 身份证号 (id, name, sex, phone, address, region), asked in chunks; None: none
        self.stored_people: dict[str, tuple[Any, ...] | None] = {}
        self.sexes: dict[str, Sex | None] = {}
        # what the check has met: by 身份证号, (姓名, where: 本台账“工作表”第n行) of the first row giving it;
        # which of a stored person's phone and address a row changes, said once a person
        self.named: dict[str, tuple[str, str]] = {}
        self.told: set[tuple[str, str]] = set()

    # reference lists: found by name, added when the ledger names one we do not have
    def unit_info(self, name: str) -> UnitInfo | None:
        if name in self.known.units:
            return self.known.units[name]
        if name not in self.units:
            found = self.units[name] = find_unit(self.session, name)
            if found is not None:
                self.known.units[name] = found
        return self.units[name]

    def unit(self, name: str) -> workflow.Unit | None:
        found = self.unit_info(name)
        return workflow.Unit(found.id, found.name, found.active) if found is not None else None

    def unit_id(self, name: str) -> int:
        """A unit the check found missing, added when its first row is written (its warning was given then)."""
        found = self.unit_info(name)
        if found is None:
            kind = UnitKind.TOWNSHIP if name.endswith(("镇", "乡", "镇人民政府", "乡人民政府", "街道")) else UnitKind.OTHER
            found = self.units[name] = add_unit(self.session, name=name, kind=kind)
            self.known.units[name] = found
        return found.id

    def category_id(self, row: ParsedRow, label: str) -> int | None:
        label = label.strip()
        if not label:
            return None
        if label in self.known.categories:
            return self.known.categories[label]
        if label not in self.categories:
            exact, first = self.category_found(label)
            if exact is None:
                # the check said it would be added (its warning was given then)
                parts = label.split("/")
                if first is None and len(parts) > 1:
                    first = add_category(self.session, name=parts[0]).id
                exact = add_category(self.session, name=parts[-1], parent_id=first if len(parts) > 1 else None).id
            self.categories[label] = self.known.categories[label] = exact
        return self.categories[label]

    def category_found(self, label: str) -> tuple[int | None, int | None]:
        """(the 问题分类 a "一级/二级" label names, its first level): ids on our list, None for each not there.

        Asked once per label, not per row.
        """
        if label in self.known.categories:
            return self.known.categories[label], None
        if label not in self.known_categories:
            found = find_category(self.session, label)
            first, sep, _ = label.partition("/")
            if not sep:
                self.known_categories[label] = (found, found)
            else:
                top = self.driver.execute("SELECT id FROM categories WHERE name = ? AND parent_id IS NULL",
                                          (first,)).fetchone()
                top_id = top[0] if top is not None else None
                # find_category gives the first level when the second is not under it
                self.known_categories[label] = (found if found != top_id else None, top_id)
            exact = self.known_categories[label][0]
            if exact is not None:
                self.known.categories[label] = exact
        return self.known_categories[label]

    # numbering: peeked for the replay, taken when the row goes in
    def next_seq(self, year: int) -> int:
        if year not in self.seqs:
            found = self.driver.execute("SELECT max(seq) FROM matters WHERE year = ?", (year,)).fetchone()
            self.seqs[year] = found[0] or 0
        return self.seqs[year] + 1

    def holder(self, number: str) -> tuple[date, str] | None:
        """(登记日期, 标题) of the matter holding a 编号: in the database, or given earlier in this import."""
        if number in self.given:
            return self.given[number]
        found = self.driver.execute("SELECT received_on, title FROM matters WHERE number = ?", (number,)).fetchone()
        return (as_date(found[0]), found[1]) if found is not None else None

    def matter_id(self, number: str) -> int | None:
        """The id of the matter holding a 编号 as a ledger row gave it: written by this import, or stored."""
        if number in self.written:
            return self.written[number]
        found = self.driver.execute("SELECT id FROM matters WHERE number = ?", (number,)).fetchone()
        return found[0] if found is not None else None

    def taken(self, column: str, values: list[str]) -> set[str]:
        """Which of these values a stored matter already has (one query per few hundred, by the unique index)."""
        found: set[str] = set()
        for start in range(0, len(values), _IN_CHUNK):
            chunk = values[start:start + _IN_CHUNK]
            marks = ", ".join("?" * len(chunk))
            found.update(v for (v,) in self.driver.execute(
                f"SELECT {column} FROM matters WHERE {column} IN ({marks})", chunk))
        return found

    def imported_before(self, source: str, day: date) -> bool:
        """Whether the matter a source numbered is here: the same source number and the same 登记日期."""
        found = self.driver.execute("SELECT 1 FROM matters WHERE source_number = ? AND received_on = ?",
                                    (source, day.isoformat())).fetchone()
        return found is not None

    def ask_people(self, numbers: Iterable[str]) -> None:
        """The stored petitioners of these 身份证号, a few hundred a query, for person() to find."""
        wanted = [n for n in dict.fromkeys(numbers) if n and n not in self.stored_people]
        for start in range(0, len(wanted), _IN_CHUNK):
            chunk = wanted[start:start + _IN_CHUNK]
            marks = ", ".join("?" * len(chunk))
            for number, *found in self.driver.execute(
                    "SELECT id_number, id, name, sex, phone, address, region FROM petitioners "
                    f"WHERE id_number IN ({marks})", chunk):
                self.stored_people.setdefault(number, tuple(found))  # the first, as person()'s LIMIT 1
            for number in chunk:
                self.stored_people.setdefault(number, None)

    def stored_person(self, number: str) -> tuple[Any, ...] | None:
        """(id, name, sex, phone, address, region) of the stored petitioner of a 身份证号, or None."""
        if number not in self.stored_people:
            found = self.driver.execute(
                "SELECT id, name, sex, phone, address, region FROM petitioners WHERE id_number = ? LIMIT 1",
                (number,)).fetchone()
            self.stored_people[number] = tuple(found) if found is not None else None
        return self.stored_people[number]

    def person(self, p: PetitionerInput) -> Person:
        """The petitioner row a ledger's person becomes, as 登记 would: the same 身份证号 is the same person.

        A person on file keeps the name on file (a row spelling it otherwise never renames them on their
        earlier matters: the check warns, identity_warnings); a later row's phone, address or region is newer.
        """
        number = normalize_id_number(p.id_number) if p.id_number.strip() else ""
        sex = p.sex or (self.sex_of(number) if number else None)
        sex_value = sex.value if sex is not None else None
        known = self.people.get(number) if number else None
        if number and known is None:
            found = self.stored_person(number)
            if found is not None:
                known = Person(found[0], found[1], found[2], number, found[3], found[4], found[5], stored=True)
        if known is not None:
            update = {a: getattr(p, a).strip() for a in ("phone", "address", "region") if getattr(p, a).strip()}
            if not known.sex and sex_value:
                update["sex"] = sex_value
            return replace(known, **update, changed=known.changed or any(
                getattr(known, a) != value for a, value in update.items()))
        return Person(0, require_text(p.name, "姓名", max_len=NAME_MAX), sex_value, number, p.phone.strip(),
                       p.address.strip(), p.region.strip(), stored=False)

    def identity_warnings(self, p: PetitionerInput) -> tuple[list[str], str]:
        """What a row's person with a known 身份证号 would change, for the check to say: (warnings, a note
        keeping the name the row writes, or ""). The name on file stays (person() keeps it); a stored
        person's phone or address is updated from the row, and said once a person.

        Call `met` once the row goes in, for the rows after it.
        """
        number, name = p.id_number, p.name.strip()
        if not number or not name:
            return [], ""
        stored = self.stored_person(number)
        first = self.named.get(number)
        warnings: list[str] = []
        note = ""
        if stored is not None:
            on_file, place = stored[1], "在库中"
        elif first is not None:
            on_file, place = first[0], f"在{first[1]}"
        else:
            return [], ""
        if on_file != name:
            warnings.append(f"身份证号{number}{place}登记为{on_file}，本行写作{name}，按{on_file}导入；"
                            "如确为改名，请导入后在卷宗中核对")
            note = f"信访人姓名台账写作{name}"
        if stored is not None:
            for attr, label, old in (("phone", "联系电话", stored[3]), ("address", "住址", stored[4])):
                new = getattr(p, attr).strip()
                if new and old and new != old and (number, attr) not in self.told:
                    self.told.add((number, attr))
                    warnings.append(f"{on_file}（身份证号{number}）在库中的{label}为{old}，本行为{new}，已按本行更新")
        return warnings, note

    def met(self, p: PetitionerInput, where: str) -> None:
        """A checked row's person, for the rows after it: the first name a 身份证号 is given in this import."""
        if p.id_number and p.name.strip():
            self.named.setdefault(p.id_number, (p.name.strip(), where))

    def sex_of(self, number: str) -> Sex | None:
        """The sex an ID number says (asked for each of a person's rows, in the check and again at write)."""
        if number not in self.sexes:
            # the import's today, as 登记's own check of the number (not the clock again for every person)
            self.sexes[number] = check_id_number(number, today=self.rules.today).sex
        return self.sexes[number]
