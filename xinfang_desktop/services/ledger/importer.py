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
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date
from functools import lru_cache
from operator import attrgetter

from sqlalchemy.orm import Session

from xinfang_desktop import wallclock
from xinfang_desktop.domain import workflow
from xinfang_desktop.domain.enums import EventKind, PetitionerRole
from xinfang_desktop.domain.errors import XinfangError
from xinfang_desktop.domain.idcard import normalize_id_number
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
from xinfang_desktop.domain.values import PetitionerInput
from xinfang_desktop.domain.workflow.checks import cn_date
from xinfang_desktop.services.bulk import RowBatch, collector_paused, json_value, next_ids, stored
from xinfang_desktop.services.cases import matter_values, transfer_values
from xinfang_desktop.services.changes import note_change
from xinfang_desktop.services.common import actor as actor_of
from xinfang_desktop.services.ledger.cells import LIST_SPLIT, source_number_of, split
from xinfang_desktop.services.ledger.lookups import NAME_MAX, Known, Lookups, Person
from xinfang_desktop.services.ledger.replay import Places, file_warnings, plan_row, replay
from xinfang_desktop.services.lists import region_tree
from xinfang_desktop.services.settings import format_number, get_setting

log = logging.getLogger(__name__)

OTHER_CATEGORY = "其他"  # where a 问题分类 not on our list goes when the clerk does not add new ones
PROGRESS_EVERY = 25
_ROW_FIELDS = tuple(name for name, _, _ in COLUMNS)
_EXTRA_FIELDS = tuple(name for name, _ in IMPORT_COLUMNS)
# the fields in one call each (astuple() deep-copies every value, a tenth of an import's time)
_ROW_VALUES = attrgetter(*_ROW_FIELDS)
_EXTRA_VALUES = attrgetter(*_EXTRA_FIELDS)


@lru_cache(maxsize=4096, typed=True)  # typed: True and 1 are not the same text
def _key_text(value: object) -> str:
    """str() of a date, number or flag of a row: a ledger's dates repeat, and str(date) was a tenth of the key."""
    return str(value)


def import_key(values: LedgerRow) -> str:
    """A stable key from the row's own content: the same row imported again is recognised."""
    text = "\x1f".join([v if type(v) is str else "" if v is None else _key_text(v) for v in _ROW_VALUES(values)])
    # the columns read since: only when the row has them, so a row imported before keeps its key
    text += "".join(f"\x1e{f}\x1f{v}" for f, v in zip(_EXTRA_FIELDS, _EXTRA_VALUES(values), strict=True) if v)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


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
class CheckedLedger:
    """What `check_import` found: the rows to write and the report as it will be if all are written."""

    rows: list[Checked]
    report: ImportReport
    known: Known = field(default_factory=Known)


class _Importer(Lookups):
    """One import run: each row replayed (its lookups: Lookups), and the batch its outcome goes into."""

    def __init__(self, session: Session, source_name: str, known: Known | None = None, *,
                 new_categories: bool = True) -> None:
        super().__init__(session, known)
        self.source_name = source_name
        self.warnings: list[RowProblem] = []
        self.prefix = str(get_setting(session, "number_prefix"))
        self.actor = actor_of(session)
        self.batch = RowBatch()
        self.at = stored(wallclock.now())  # when the rows of this batch (its one transaction) were written
        self.ids = next_ids(session)
        self.sources: set[tuple[str, date]] = set()  # (source number, 登记日期) of this import's rows
        self.new_people: dict[int, Person] = {}  # not yet written, by id
        self.changed_people: dict[int, Person] = {}
        self.adding_units: set[str] = set()
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
        where = f"本台账“{row.sheet}”第{row.row}行"
        said: list[str] = []
        kept: list[str] = []
        for p in plan.data.petitioners:
            texts, note = self.identity_warnings(p)
            said += texts
            kept += [note] if note else []
        if kept:
            plan = replace(plan, data=replace(plan.data, note="；".join(x for x in (plan.data.note, *kept) if x)))
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
        for text in said:
            self.warn(row, text)
        for p in data.petitioners:
            self.met(p, where)
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
        people: list[tuple[Person, PetitionerRole]] = []
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
    # the stored petitioners of the file's 身份证号, a few hundred a query, for the check of each row's names
    importer.ask_people(normalize_id_number(n) for row in ledger.rows
                        for n in split(row.values.id_numbers, LIST_SPLIT) if n and "*" not in n)
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
