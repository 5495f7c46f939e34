"""台账 in, in two phases: every row checked (replayed through domain/workflow) without writing, then written.

`check_import` reads only: it replays each row (ledger/replay.py) and finds what it would add,
so the preview the clerk confirms is the import itself and holds no lock while the clerk looks.
`write_import_batch` writes some of the checked rows in the caller's transaction, by column name
with executemany (through the ORM a row would cost about 10 ms); the caller (ledger/files.py)
commits each batch and gives the lock back between them. Numbers, ids, units, categories and
petitioners are taken at write time, so a clerk's save between two batches is simply followed.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from datetime import date
from operator import attrgetter
from typing import Any

from sqlalchemy.orm import Session

from xinfang_desktop import wallclock
from xinfang_desktop.db.dialect import as_date, driver
from xinfang_desktop.domain import workflow
from xinfang_desktop.domain.enums import EventKind, PetitionerRole, Sex, UnitKind
from xinfang_desktop.domain.errors import XinfangError
from xinfang_desktop.domain.idcard import check_id_number, normalize_id_number
from xinfang_desktop.domain.ledger import (
    COLUMNS,
    IMPORT_COLUMNS,
    ImportReport,
    LedgerRow,
    ParsedLedger,
    ParsedRow,
    RowProblem,
    SkippedRow,
)
from xinfang_desktop.domain.values import PetitionerInput, UnitInfo
from xinfang_desktop.domain.workflow.checks import cn_date, require_text
from xinfang_desktop.services.bulk import RowBatch, collector_paused, json_value, next_ids, stored
from xinfang_desktop.services.cases import matter_values, rules, transfer_values
from xinfang_desktop.services.changes import note_change
from xinfang_desktop.services.common import actor as actor_of
from xinfang_desktop.services.common import get_setting
from xinfang_desktop.services.ledger.cells import source_number_of
from xinfang_desktop.services.ledger.replay import Places, file_warnings, plan_row, replay
from xinfang_desktop.services.reference import add_category, add_unit, find_category, find_unit, region_tree
from xinfang_desktop.services.registry import format_number

log = logging.getLogger(__name__)

OTHER_CATEGORY = "其他"  # where a 问题分类 not on our list goes when the clerk does not add new ones
PROGRESS_EVERY = 25
NAME_MAX = 64  # petitioners.name
_IN_CHUNK = 500  # values in one IN (...): well under SQLite's limit of bound parameters
_ROW_FIELDS = tuple(name for name, _, _ in COLUMNS)
_EXTRA_FIELDS = tuple(name for name, _ in IMPORT_COLUMNS)
# the fields in one call each (astuple() deep-copies every value, a tenth of an import's time)
_ROW_VALUES = attrgetter(*_ROW_FIELDS)
_EXTRA_VALUES = attrgetter(*_EXTRA_FIELDS)


def import_key(values: LedgerRow) -> str:
    """A stable key from the row's own content: the same row imported again is recognised."""
    text = "\x1f".join([v if type(v) is str else "" if v is None else str(v) for v in _ROW_VALUES(values)])
    # the columns read since: only when the row has them, so a row imported before keeps its key
    text += "".join(f"\x1e{f}\x1f{v}" for f, v in zip(_EXTRA_FIELDS, _EXTRA_VALUES(values), strict=True) if v)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass
class _Person:
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


@dataclass(frozen=True)
class Checked:
    """A row that passed the check: its outcome, to be numbered and written."""

    row: ParsedRow
    key: str
    outcome: workflow.Outcome
    petitioners: tuple[PetitionerInput, ...]
    category: str
    number: str  # the ledger's own 编号, or "" for the next of its year at write time
    source_number: str = ""  # the number its source gave it (source_number_of), "" for none
    reviewed: str = ""  # a 复查/复核: the 编号 of the matter it is about


@dataclass
class Known:
    """Units and 问题分类 found on our lists, by the name the ledger writes: asked once per import, not per batch.

    Only what was found is kept: units and categories are never deleted, so an id found stays good
    across the import's transactions, while one not found is asked again (a clerk may add it meanwhile).
    """

    units: dict[str, UnitInfo] = field(default_factory=dict)
    categories: dict[str, int] = field(default_factory=dict)


@dataclass
class CheckedLedger:
    """What `check_import` found: the rows to write and the report as it will be if all are written."""

    rows: list[Checked]
    report: ImportReport
    known: Known = field(default_factory=Known)


class _Importer:
    """One import run: the lookups a row's replay needs, and the batch its outcome goes into."""

    def __init__(self, session: Session, source_name: str, known: Known | None = None, *,
                 new_categories: bool = True) -> None:
        self.session = session
        self.known = known if known is not None else Known()
        self.driver: Any = driver(session)
        self.source_name = source_name
        self.warnings: list[RowProblem] = []
        self.units: dict[str, UnitInfo | None] = {}  # by name as the ledger writes it; None: not on our list
        self.categories: dict[str, int | None] = {}
        self.rules = rules(session)
        self.prefix = str(get_setting(session, "number_prefix"))
        self.actor = actor_of(session)
        self.batch = RowBatch()
        self.at = stored(wallclock.now())  # when the rows of this batch (its one transaction) were written
        self.ids = next_ids(session)
        self.seqs: dict[int, int] = {}  # the last 序号 of each year, this import's included
        self.numbers: set[str] = set()  # the 编号 this import has given, written or not yet
        self.sources: set[tuple[str, date]] = set()  # (source number, 登记日期) of this import's rows
        self.people: dict[str, _Person] = {}  # by 身份证号
        # stored petitioners by 身份证号 (id, name, sex, phone, address, region), asked in chunks; None: none
        self.stored_people: dict[str, tuple[Any, ...] | None] = {}
        self.sexes: dict[str, Sex | None] = {}
        self.new_people: dict[int, _Person] = {}  # not yet written, by id
        self.changed_people: dict[int, _Person] = {}
        self.given: dict[str, tuple[date, str]] = {}  # (登记日期, 标题) by the 编号 this import gave
        self.written: dict[str, int] = {}  # the id of each matter written, by the 编号 its row gave
        self.adding_units: set[str] = set()
        self.known_categories: dict[str, tuple[int | None, int | None]] = {}
        self.adding_categories: dict[str, None] = {}  # in the order met
        self.said: set[str] = set()  # the warnings about the whole file given so far
        self.new_categories = new_categories  # False: a 问题分类 not on our list is filed under 其他
        self._places: Places | None = None

    @property
    def places(self) -> Places:
        if self._places is None:
            self._places = region_tree(self.session)
        return self._places

    def warn(self, row: ParsedRow, text: str) -> None:
        self.warnings.append(RowProblem(row.sheet, row.row, text))

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

    def person(self, p: PetitionerInput) -> _Person:
        """The petitioner row a ledger's person becomes, as 登记 would: the same 身份证号 is the same person."""
        number = normalize_id_number(p.id_number) if p.id_number.strip() else ""
        sex = p.sex or (self.sex_of(number) if number else None)
        sex_value = sex.value if sex is not None else None
        known = self.people.get(number) if number else None
        if number and known is None:
            if number in self.stored_people:
                found = self.stored_people[number]
            else:
                found = self.driver.execute(
                    "SELECT id, name, sex, phone, address, region FROM petitioners WHERE id_number = ? LIMIT 1",
                    (number,)).fetchone()
            if found is not None:
                known = _Person(found[0], found[1], found[2], number, found[3], found[4], found[5], stored=True)
        if known is not None:
            update = {a: getattr(p, a).strip() for a in ("phone", "address", "region") if getattr(p, a).strip()}
            if p.name.strip():
                update["name"] = p.name.strip()
            if not known.sex and sex_value:
                update["sex"] = sex_value
            return replace(known, **update, changed=known.changed or any(
                getattr(known, a) != value for a, value in update.items()))
        return _Person(0, require_text(p.name, "姓名", max_len=NAME_MAX), sex_value, number, p.phone.strip(),
                       p.address.strip(), p.region.strip(), stored=False)

    def sex_of(self, number: str) -> Sex | None:
        """The sex an ID number says (asked for each of a person's rows, in the check and again at write)."""
        if number not in self.sexes:
            # the import's today, as 登记's own check of the number (not the clock again for every person)
            self.sexes[number] = check_id_number(number, today=self.rules.today).sex
        return self.sexes[number]

    def check(self, row: ParsedRow, key: str, *, renumber_from: str = "") -> Checked:
        """Replay one row; raise (nothing kept) when its 登记 is refused.

        `renumber_from`: the row's own 编号 is another matter's; it gets the next of its year, the old in 备注.
        """
        plan = plan_row(row, self.places)
        label = plan.category.strip()
        exact, first = self.category_found(label) if label else (None, None)
        if label and not self.new_categories and exact is None:
            note = plan.data.note
            if "原问题分类：" not in note:  # a path of three levels is kept already
                note = "；".join(x for x in (note, f"原问题分类：{row.values.category.strip()}") if x)
            instead = label.partition("/")[0] if first is not None else OTHER_CATEGORY
            plan = replace(plan, category=instead, data=replace(plan.data, note=note))
            self.warn(row, f"问题分类“{label}”不在分类表中，按“{instead}”登记")
        if renumber_from:
            note = "；".join(x for x in (plan.data.note, f"原编号：{renumber_from}") if x)
            plan = replace(plan, data=replace(plan.data, number=None, note=note))
        if plan.review is not None and self.holder(plan.review[1]) is None:
            stage, reviewed = plan.review
            self.warn(row, f"备注所说{stage.value}的原事项{reviewed}不在本库中，也不在本台账中，按初次信访登记")
            plan = replace(plan, review=None)
        for text in plan.warnings:
            self.warn(row, text)
        for text in plan.once:
            if text not in self.said:
                self.said.add(text)
                self.warn(row, text)
        data = plan.data
        for p in data.petitioners:
            name = p.name.strip()
            if not 0 < len(name) <= NAME_MAX and (name or p.id_number.strip()):
                # a new person needs a name of at most NAME_MAX characters: refused here, not at write
                # (a name that fits needs no look-up: person() takes it either way)
                self.person(p)
        year = data.received_on.year
        seq = self.next_seq(year)
        given = data.number.strip() if data.number else ""
        number = given or format_number(self.prefix, year, seq)
        imported = workflow.Line(EventKind.IMPORTED, f"从台账“{self.source_name}”工作表“{row.sheet}”第{row.row}行导入",
                                 {"file": self.source_name, "sheet": row.sheet, "row": row.row, "import_key": key})
        out = replay(plan, self.rules, self.unit, number=number, seq=seq, imported=imported)
        # 登记 has passed: the row will go in
        self.seqs[year] = seq
        self.numbers.add(number)
        self.given[number] = (data.received_on, data.title.strip())
        source = source_number_of(row.values.number)
        if source:
            self.sources.add((source, data.received_on))
        for text in out.warnings:
            self.warn(row, text)
        for t in out.case.transfers:
            if not t.unit_id and t.unit not in self.adding_units:
                self.adding_units.add(t.unit)
                self.warn(row, f"承办单位“{t.unit}”不在单位名单中，导入时新增")
        label = plan.category.strip()
        if label and label not in self.adding_categories and self.category_found(label)[0] is None:
            self.adding_categories[label] = None
            self.warn(row, f"问题分类“{label}”不在分类表中，导入时新增")
        return Checked(row, key, out, data.petitioners, label, given, source, plan.review[1] if plan.review else "")

    def write_outcome(self, checked: Checked, *, renumber_from: str = "") -> int:
        """A checked row's outcome into the batch, by column name, as services/cases.apply writes one.

        `renumber_from`: its 编号 was free at the check and another matter took it meanwhile (a clerk's
        登记 while the import ran): the next free one of its year, the ledger's in 备注.
        """
        row, out = checked.row, checked.outcome
        people: list[tuple[_Person, PetitionerRole]] = []
        for p in checked.petitioners:
            if p.name.strip() or p.id_number.strip():
                person = self.person(p)
                if not any(person.id_number and person.id_number == other.id_number for other, _ in people):
                    people.append((person, p.role))
        ids, batch = self.ids, self.batch
        matter_id = ids["matters"]
        ids["matters"] += 1
        year = out.case.matter.year
        seq = self.next_seq(year)
        number = checked.number
        note = out.case.matter.note
        if not number or renumber_from:
            while (number := format_number(self.prefix, year, seq)) in self.numbers or self.taken("number", [number]):
                seq += 1  # the 编号 of a matter stored or of a row of this batch: the next
        if renumber_from:
            note = "；".join(x for x in (note, f"原编号：{renumber_from}") if x)
        self.seqs[year] = seq
        self.numbers.add(number)
        at = self.at
        if checked.number:
            self.written[checked.number] = matter_id
        values = matter_values(out.case.matter)
        values.update(id=matter_id, created_at=at, number=number, seq=seq, note=note,
                      category_id=self.category_id(row, checked.category), import_key=checked.key,
                      source_number=checked.source_number or None,
                      parent_id=self.matter_id(checked.reviewed) if checked.reviewed else None)
        batch.add("matters", **values)
        for position, (person, role) in enumerate(people):
            if not person.id:
                person.id = ids["petitioners"]
                ids["petitioners"] += 1
            if not person.stored:
                self.new_people[person.id] = person  # a later row's newer phone or address replaces it
            elif person.changed:
                self.changed_people[person.id] = person
            if person.id_number:
                self.people[person.id_number] = person
            batch.add("matter_petitioners", matter_id=matter_id, petitioner_id=person.id, role=role, position=position)
        transfer_ids = []
        for t in out.case.transfers:
            values = transfer_values(t)
            values["unit_id"] = self.unit_id(t.unit) if not t.unit_id else t.unit_id
            transfer_ids.append(ids["transfers"])
            batch.add("transfers", id=ids["transfers"], matter_id=matter_id, **values)
            ids["transfers"] += 1
            for f in t.feedback:
                batch.add("feedback", id=ids["feedback"], transfer_id=transfer_ids[-1], received_on=f.received_on,
                          text=f.text, result=f.result, accepted=f.accepted, return_reason=f.return_reason)
                ids["feedback"] += 1
        for i in out.instructions:
            batch.add("instructions", id=ids["instructions"], matter_id=matter_id, leader=i.leader, on=i.on, text=i.text)
            ids["instructions"] += 1
        for line in out.lines:
            data = line.data
            if line.kind == EventKind.REGISTERED:
                data = {"number": number}
            if line.transfer is not None:
                data = {**(data or {}), "transfer_id": transfer_ids[line.transfer]}
            batch.add("events", id=ids["events"], matter_id=matter_id, at=at, actor=self.actor, kind=line.kind,
                      text=line.text, data=json_value(data))
            ids["events"] += 1
        return matter_id

    def write(self) -> None:
        """The batch and the petitioners it made or changed, into the database."""
        for p in self.new_people.values():
            self.batch.add("petitioners", **p.values())
            p.stored, p.changed = True, False
        self.new_people.clear()
        self.batch.write(self.session)
        if self.changed_people:
            self.driver.executemany("UPDATE petitioners SET name = ?, sex = ?, phone = ?, address = ?, region = ? "
                                    "WHERE id = ?", [(p.name, p.sex, p.phone, p.address, p.region, p.id)
                                                     for p in self.changed_people.values()])
            for p in self.changed_people.values():
                p.changed = False
            self.changed_people.clear()


def check_import(
    session: Session,
    ledger: ParsedLedger,
    *,
    progress: Callable[[int, int], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
    renumber: bool = False,
    new_categories: bool = True,
) -> CheckedLedger:
    """Check every readable row of a parsed ledger, writing nothing: the rows to import and the report.

    A row already imported (same content), or the same matter under its 编号 (same 登记日期 and
    标题), is a duplicate. A different matter under a 编号 already taken is a conflict: left out,
    or with `renumber` imported under a new 编号 with the old one in 备注; listed either way. A row
    whose 登记 the workflow refuses is skipped with the workflow's message. A 问题分类 not on our list
    is added (the report says so), or with `new_categories` False filed under 其他, the ledger's kept in 备注.
    """
    importer = _Importer(session, ledger.source_name, new_categories=new_categories)
    skipped: list[SkippedRow] = list(ledger.skipped)
    rows: list[Checked] = []
    conflicts: list[SkippedRow] = []
    order = {sheet.name: i for i, sheet in enumerate(ledger.sheets)}
    # this import's rows so far; earlier ones are asked of the unique indexes row by row, which
    # at a million matters beats reading every 编号 into memory
    seen: set[str] = set()
    importer.warnings += file_warnings(ledger)
    for parsed in ledger.rows:
        for text in parsed.warnings:
            importer.warn(parsed, text)
    duplicates = 0
    total = len(ledger.rows)
    keys = [import_key(row.values) for row in ledger.rows]
    numbers = [row.values.number.strip() for row in ledger.rows]
    # what the database holds already, asked a few hundred values a query instead of a query a row
    stored_keys = importer.taken("import_key", keys)
    stored_sources = importer.taken("source_number", list({s for s in map(source_number_of, numbers) if s}))
    stored_numbers = importer.taken("number", list({n for n in numbers if n and not n.isdigit()}))
    with collector_paused():  # the outcomes pile up: full collections would walk them again and again
        for done, (row, key, number) in enumerate(zip(ledger.rows, keys, numbers, strict=True), 1):
            source = source_number_of(number)
            if key in seen or key in stored_keys:
                duplicates += 1
            elif source and ((source, row.values.received_on) in importer.sources
                             or (source in stored_sources and importer.imported_before(source, row.values.received_on))):
                # the same export again, or a later one whose rows now say more: its number knows the matter
                seen.add(key)
                importer.warn(row, f"编号“{number}”（{cn_date(row.values.received_on)}登记）的事项已导入，未重复登记")
                duplicates += 1
            elif number and not number.isdigit() and (number in importer.numbers or number in stored_numbers):
                seen.add(key)
                holder = importer.holder(number)
                if holder is None or holder == (row.values.received_on, row.values.title.strip()):
                    importer.warn(row, f"编号“{number}”已在数据库中，视为已导入，未重复登记")
                    duplicates += 1
                else:
                    day, title = holder
                    reason = (f"编号“{number}”已被另一件事项使用（{cn_date(day)}登记：{title}），"
                              + ("已按新编号导入，原编号记入备注" if renumber else "未导入；可选择以新编号导入"))
                    conflicts.append(SkippedRow(row.sheet, row.row, reason, row.raw))
                    if renumber:
                        try:
                            rows.append(importer.check(row, key, renumber_from=number))
                        except XinfangError as exc:
                            skipped.append(SkippedRow(row.sheet, row.row, exc.message, row.raw))
            else:
                seen.add(key)
                try:
                    rows.append(importer.check(row, key))
                except XinfangError as exc:
                    skipped.append(SkippedRow(row.sheet, row.row, exc.message, row.raw))
            if done % PROGRESS_EVERY == 0 or done == total:
                if progress is not None:
                    progress(done, total)
                if cancelled is not None and cancelled():
                    raise XinfangError("导入已取消，未写入任何数据")
    skipped.sort(key=lambda s: (order.get(s.sheet, 0), s.row))
    report = ImportReport(rows_read=ledger.rows_read, imported=len(rows), duplicates=duplicates,
                          skipped=tuple(skipped), warnings=tuple(importer.warnings), conflicts=tuple(conflicts),
                          renumbered=renumber, new_categories=tuple(importer.adding_categories))
    return CheckedLedger(rows, report, importer.known)


@dataclass(frozen=True)
class BatchWritten:
    """What one batch wrote: the new matters' ids, the rows another import wrote first (left out), and
    the rows renumbered because another matter took their 编号 after the check (listed as conflicts)."""

    ids: list[int]
    late: list[Checked]
    renumbered: list[SkippedRow]


def write_import_batch(
    session: Session, source_name: str, rows: list[Checked], known: Known | None = None
) -> BatchWritten:
    """Write checked rows in the caller's transaction.

    A row whose import key or source number was written meanwhile (a second import of the same file), or
    whose 编号 now holds the same matter (登记日期 and 标题), is left out. A row whose 编号 another matter
    took meanwhile (a clerk's 登记 beside the import) goes in under the next free 编号, the old in 备注, and
    is listed: never dropped. `known`: the units and categories the check (or an earlier batch) found, so
    they are not asked again.
    """
    importer = _Importer(session, source_name, known)
    keys = importer.taken("import_key", [c.key for c in rows])
    numbers = importer.taken("number", [c.number for c in rows if c.number])
    sources = importer.taken("source_number", [c.source_number for c in rows if c.source_number])
    importer.numbers.update(c.number for c in rows if c.number)  # a later row's own 编号 is not given to another
    importer.ask_people(normalize_id_number(p.id_number) for c in rows for p in c.petitioners if p.id_number.strip())
    written: list[int] = []
    late: list[Checked] = []
    renumbered: list[SkippedRow] = []
    for checked in rows:
        values = checked.row.values
        if checked.key in keys or (checked.source_number in sources
                                   and importer.imported_before(checked.source_number, values.received_on)):
            late.append(checked)
            continue
        moved_from = ""
        if checked.number and checked.number in numbers:
            holder = importer.holder(checked.number)
            if holder is None or holder == (values.received_on, values.title.strip()):
                late.append(checked)
                continue
            day, title = holder
            moved_from = checked.number
            renumbered.append(SkippedRow(checked.row.sheet, checked.row.row,
                                         f"编号“{moved_from}”在导入期间被另一件事项使用（{cn_date(day)}登记：{title}），"
                                         "已按新编号导入，原编号记入备注", checked.row.raw))
        written.append(importer.write_outcome(checked, renumber_from=moved_from))
    importer.write()
    note_change(session, "everything")
    log.info("ledger %s: %d rows written", source_name, len(written))
    return BatchWritten(written, late, renumbered)
