"""The 台账 (Excel ledger): its canonical columns and its frozen row values (the header variants: ledger_headers)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from xinfang_desktop.domain.ledger_headers import Column

# (field of LedgerRow, canonical header, column width in characters), in ledger order
COLUMNS: tuple[tuple[str, str, float], ...] = (
    ("number", "编号", 17),
    ("received_on", "登记日期", 11),
    ("channel", "信访形式", 8),
    ("source", "来源", 10),
    ("petitioners", "信访人", 10),
    ("id_numbers", "身份证号", 20),
    ("phones", "联系电话", 13),
    ("addresses", "住址", 20),
    ("persons", "人数", 5),
    ("place", "问题发生地", 10),
    ("category", "问题分类", 14),
    ("purpose", "信访目的", 10),
    ("title", "反映问题", 30),
    ("demand", "诉求", 20),
    ("collective", "集体访", 6),
    ("joint", "联名信", 6),
    ("anonymous", "匿名", 5),
    ("skip_level", "越级", 5),
    ("repeat", "重复信访", 6),
    ("instruction", "领导批示", 18),
    ("handling", "处理方式", 9),
    ("units", "承办单位", 16),
    ("transferred_on", "交办日期", 11),
    ("due_on", "办理期限", 11),
    ("feedback_on", "反馈日期", 11),
    ("result", "办理结果", 24),
    ("closed_on", "办结日期", 11),
    ("satisfaction", "满意度", 8),
    ("status", "状态", 8),
    ("note", "备注", 18),
)

# read by the import, never written by the export: another system's 反映内容 beside its 标题, and a
# second 信访形式 column (信访方式) that says how the matter was signed (匿名/署名/联名/集体)
IMPORT_COLUMNS: tuple[tuple[str, str], ...] = (
    ("content", "反映内容"),
    ("manner", "署名方式"),
)
HEADERS: tuple[str, ...] = tuple(header for _, header, _ in COLUMNS)
IMPORT_HEADERS: tuple[str, ...] = HEADERS + tuple(header for _, header in IMPORT_COLUMNS)
FIELD_OF_HEADER: dict[str, str] = {header: name for name, header, _ in COLUMNS} | {
    header: name for name, header in IMPORT_COLUMNS}
# a column set aside for another of the same meaning that is read as something else: 反映内容 beside
# a 标题, and how it was signed (信访方式: 匿名/署名/联名/集体访) beside 信访形式
SECOND_COLUMN: dict[str, str] = {"反映问题": "反映内容", "信访形式": "署名方式"}
DATE_FIELDS = frozenset({"received_on", "transferred_on", "due_on", "feedback_on", "closed_on"})
FLAG_FIELDS = frozenset({"collective", "joint", "anonymous", "repeat"})

@dataclass(frozen=True)
class LedgerRow:
    """One matter as one ledger row; also what an import reads from one row.

    Several petitioners are joined with "、" in each of 信访人, 身份证号, 联系电话 and 住址.
    ID numbers are full here; the exporter masks them unless asked not to.
    """

    number: str
    received_on: date
    channel: str
    source: str = ""
    petitioners: str = ""
    id_numbers: str = ""
    phones: str = ""
    addresses: str = ""
    persons: int = 1
    place: str = ""
    category: str = ""
    purpose: str = ""
    title: str = ""
    demand: str = ""
    collective: bool = False
    joint: bool = False
    anonymous: bool = False
    skip_level: str = ""  # the level (到市/赴省/进京), "是" when the ledger gives none, or ""
    repeat: bool = False
    instruction: str = ""  # "张县长：请城关镇妥善处理" entries joined with "；"
    handling: str = ""  # the 受理决定, or the 拟办意见 while none is made
    units: str = ""
    transferred_on: date | None = None
    due_on: date | None = None
    feedback_on: date | None = None
    result: str = ""
    closed_on: date | None = None
    satisfaction: str = ""
    status: str = ""
    note: str = ""
    # IMPORT_COLUMNS: read, never exported
    content: str = ""
    manner: str = ""


@dataclass(frozen=True)
class RowProblem:
    """A problem found in one ledger row: the row is still imported (warning) or skipped."""

    sheet: str
    row: int
    text: str


@dataclass(frozen=True)
class ParsedRow:
    """A readable ledger row: its values, the warnings found reading it and the raw cells."""

    sheet: str
    row: int
    values: LedgerRow
    warnings: tuple[str, ...] = ()
    raw: tuple[object, ...] = ()
    # the LedgerRow fields the sheet has a column for: a flag with no column is not "否"
    columns: frozenset[str] = frozenset()


@dataclass(frozen=True)
class SkippedRow:
    """A row that cannot be imported, with why and its raw cells (for the error workbook)."""

    sheet: str
    row: int
    reason: str
    raw: tuple[object, ...] = ()


@dataclass(frozen=True)
class ParsedSheet:
    """Where the header of one sheet was found and how its columns were read."""

    name: str
    header_row: int
    headers: tuple[str, ...]  # as written in the ledger
    mapped: tuple[str | None, ...]  # the canonical header each column was read as; None: kept in 备注
    unrecognised: tuple[str, ...]
    header_rows: int = 1  # 2: a parent row over a child row, joined
    columns: tuple[Column, ...] = ()  # how each column was read, guesses included (the preview)
    ignored: tuple[tuple[int, str], ...] = ()  # (row, why): a row of column numbers, 合计 and sign-off lines
    layout: str = ""  # the key of its set of headers, under which a confirmed mapping is saved


@dataclass(frozen=True)
class ParsedLedger:
    """A whole workbook read: the rows that can be imported and those that cannot."""

    source_name: str
    sheets: tuple[ParsedSheet, ...]
    rows: tuple[ParsedRow, ...]
    skipped: tuple[SkippedRow, ...]
    passed_over: tuple[str, ...] = ()  # sheets without a ledger header (a summary sheet), not read

    @property
    def unrecognised(self) -> tuple[str, ...]:
        seen: dict[str, None] = {}
        for sheet in self.sheets:
            for header in sheet.unrecognised:
                seen.setdefault(header, None)
        return tuple(seen)

    @property
    def rows_read(self) -> int:
        return len(self.rows) + len(self.skipped)


@dataclass(frozen=True)
class ImportReport:
    """What an import did (or, in a dry run, would do)."""

    rows_read: int
    imported: int
    duplicates: int
    skipped: tuple[SkippedRow, ...] = ()
    warnings: tuple[RowProblem, ...] = ()
    matter_ids: tuple[int, ...] = field(default=(), repr=False)
    # a different matter under a 编号 already taken: left out, or (renumbered) imported under a new 编号
    conflicts: tuple[SkippedRow, ...] = ()
    renumbered: bool = False
    # free at the check, taken by another matter before the row was written (a clerk's 登记 beside the
    # import): imported under the next free 编号, the ledger's in 备注
    moved: tuple[SkippedRow, ...] = ()
    # 问题分类 not on our list: added by the import, unless the clerk files them under 其他
    new_categories: tuple[str, ...] = ()
