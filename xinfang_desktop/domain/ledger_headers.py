"""台账 headers read as our columns: normalised, matched by the synonym table, two-row headers joined, guesses
from a column's content, and the preview that says how every column was read (no I/O)."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime

from xinfang_desktop.domain.ledger import IMPORT_HEADERS, SECOND_COLUMN, ParsedLedger

SERIAL_HEADER = "序号"  # a running count, taken as 编号 only when the ledger has no 编号 column
DATE_ORDER = ("登记日期", "交办日期", "办理期限", "反馈日期", "办结日期")  # as they fall in a matter's life
MIN_RECOGNISED = 3  # a row with fewer recognised columns is not the header
MIN_WITHOUT_DATE = 5  # ... or fewer than this when none of them is 登记日期
SAMPLE_ROWS = 200  # rows under the header a guess looks at
GUESS_SHARE = 0.8  # of a column's filled cells that must look alike for a guess

# how a column came to be read as a field
BY_NAME = "列名"
BY_MAP = "指定"
BY_PROFILE = "已保存的对应"
BY_GUESS = "按内容猜测"

_BRACKETED = re.compile(r"[(\[【〔［〈<][^)\]】〕］〉>]*[)\]】〕］〉>]")
_BRACKET_CHARS = str.maketrans("", "", "()[]【】〔〕［］〈〉<>")
_SPACE = re.compile(r"\s+")
_EDGES = ":：*※#＃"
_ID = re.compile(r"^\d{17}[\dXx]$")
_MOBILE = re.compile(r"^1[3-9]\d{9}$")
_PARTS = re.compile(r"[、，,；;/\s]+")
_CLAUSE = re.compile(r"[，,。；;！？]")
_FOOTER = ("合计", "小计", "总计", "共计", "累计", "备注", "说明", "注:", "注：", "注1", "截至", "截止", "制表", "填表",
           "填报", "审核", "统计人", "统计时间", "负责人", "经办人:", "经办人：", "单位盖章", "盖章")


def _nfkc(text: str) -> str:
    # full-width letters, digits, brackets, colons and the ideographic space become their plain forms
    return _SPACE.sub("", unicodedata.normalize("NFKC", text))


def normalize_header(text: str) -> str:
    """A header as compared: no spaces or line breaks, plain forms of full-width ones, no bracket marks
    (their words kept), no colon or asterisk at either end."""
    return _nfkc(text).translate(_BRACKET_CHARS).strip(_EDGES)


def bare_header(text: str) -> str:
    """A header without what its brackets add ("是否属实\\n（是/否）" → 是否属实); as normalize_header when
    that would leave nothing."""
    bare = _BRACKETED.sub("", _nfkc(text)).translate(_BRACKET_CHARS).strip(_EDGES)
    return bare or normalize_header(text)


def display_header(text: str) -> str:
    """A header as the preview and the messages show it: as written, without its spaces and line breaks."""
    return _SPACE.sub("", text)


class HeaderTable:
    """Synonyms of every canonical header, best first (resources/ledger/headers.json)."""

    def __init__(self, lists: Mapping[str, Sequence[str]]) -> None:
        self._of: dict[str, tuple[str, int]] = {}
        for canonical in IMPORT_HEADERS:
            self._of[normalize_header(canonical)] = (canonical, 0)
        for canonical, names in lists.items():
            if canonical not in IMPORT_HEADERS:
                raise ValueError(f"{canonical} is not a canonical header")
            for rank, name in enumerate(names, 1):
                self._of.setdefault(normalize_header(name), (canonical, rank))

    def match(self, text: str) -> tuple[str, int] | None:
        """(canonical header, rank: 0 for the canonical name itself) of a header, or None."""
        for key in (bare_header(text), normalize_header(text)):
            if key and key in self._of:
                return self._of[key]
        return None

    def canonical(self, text: str) -> str | None:
        found = self.match(text)
        return found[0] if found else None


@dataclass(frozen=True)
class HeaderCell:
    """One column's header: what is shown (a two-row header joined as 上/下), and the texts matched, in order."""

    shown: str
    keys: tuple[str, ...]
    written: str = ""  # as in the sheet (a two-row header: as shown), for 备注 and the error list

    @classmethod
    def of(cls, text: str) -> HeaderCell:
        return cls(display_header(text), (text,), text)


@dataclass(frozen=True)
class Column:
    """How one column of a sheet is read."""

    index: int
    header: str  # as shown; "第N列" for a column without a header
    field: str | None  # the canonical header it is read as; None: kept in 备注
    how: str = ""  # BY_NAME, BY_MAP, BY_PROFILE, BY_GUESS; "" when kept in 备注
    guess: str | None = None  # what its content suggests (shown; read so only when accepted)
    reason: str = ""  # why it was guessed so
    rival: int | None = None  # set aside: the index of the column taken for the same field
    could_be: str | None = None  # the field it was set aside from


def _lookup(choice: Mapping[str, str], cell: HeaderCell) -> str | None:
    """The clerk's target for a column, named as it stands, as shown, or as it reads normalised."""
    if not choice:
        return None
    for key in (cell.shown, *cell.keys):
        if key in choice:
            return choice[key]
    wanted = {normalize_header(cell.shown), *(normalize_header(k) for k in cell.keys),
              *(bare_header(k) for k in cell.keys)}
    for key, target in choice.items():
        if normalize_header(key) in wanted or bare_header(key) in wanted:
            return target
    return None


def _named(cells: Sequence[HeaderCell], table: HeaderTable, mapping: Mapping[str, str],
           profile: Mapping[str, str]) -> list[Column]:
    """Columns read by what their headers say (the clerk's mapping, a saved profile, the synonyms); each field once."""
    chosen: list[tuple[str | None, str, int]] = []  # (field, how, rank)
    for i, cell in enumerate(cells):
        if not cell.shown:
            # a column without a header is named by its place, as the preview shows it
            cell = HeaderCell(f"第{i + 1}列", ())
        target = _lookup(mapping, cell)
        how = BY_MAP
        if target is None:
            target, how = _lookup(profile, cell), BY_PROFILE
        if target is not None:
            chosen.append((target if target in IMPORT_HEADERS else None, how, -1))
            continue
        found = None
        for key in cell.keys:
            found = table.match(key)
            if found:
                break
        chosen.append((found[0], BY_NAME, found[1]) if found else (None, "", 0))
    columns: list[Column] = []
    best: dict[str, int] = {}
    # the clerk's choice first, then the canonical name, then the synonym nearer the top, then the leftmost
    for i in sorted(range(len(cells)), key=lambda i: (chosen[i][2], i)):
        name = chosen[i][0]
        if name is not None and name not in best:
            best[name] = i
    for i, cell in enumerate(cells):
        name, how, _ = chosen[i]
        shown = cell.shown or f"第{i + 1}列"
        if name is None:
            columns.append(Column(i, shown, None, how if how != BY_NAME else ""))
        elif best[name] == i:
            columns.append(Column(i, shown, name, how))
        elif SECOND_COLUMN.get(name) and SECOND_COLUMN[name] not in best:
            # set aside for the same field, but saying something else: read as that (反映内容, 署名方式)
            best[SECOND_COLUMN[name]] = i
            columns.append(Column(i, shown, SECOND_COLUMN[name], how, rival=best[name], could_be=name))
        else:
            columns.append(Column(i, shown, None, "", rival=best[name], could_be=name))
    if "编号" not in best:
        for i, cell in enumerate(cells):
            if columns[i].field is None and not columns[i].how and columns[i].rival is None and any(
                    normalize_header(k) == SERIAL_HEADER for k in cell.keys):
                columns[i] = Column(i, columns[i].header, "编号", BY_NAME)
                break
    return columns


def recognised(cells: Sequence[HeaderCell], table: HeaderTable, mapping: Mapping[str, str] | None = None) -> list[str]:
    """The fields a row of header cells names, one for each column that names one (信访日期 and 登记日期: twice)."""
    return [c.field or c.could_be or "" for c in _named(cells, table, mapping or {}, {}) if c.field or c.could_be]


def looks_like_header(fields: list[str]) -> bool:
    return len(fields) >= MIN_RECOGNISED and ("登记日期" in fields or len(fields) >= MIN_WITHOUT_DATE)


@dataclass(frozen=True)
class Sample:
    """A column's filled cells under the header, as text, and how many of them are dates."""

    texts: tuple[str, ...]
    dates: int = 0


def _share(texts: Sequence[str], pattern: re.Pattern[str]) -> float:
    hits = sum(1 for t in texts if all(pattern.match(p) for p in _PARTS.split(t) if p))
    return hits / len(texts)


def content_kind(sample: Sample) -> tuple[str, str] | None:
    """(field, why) a column's content suggests, or None; the field "日期" for dates (placed by position)."""
    texts = [t for t in sample.texts if t]
    if len(texts) < 2:
        return None
    if _share(texts, _ID) >= GUESS_SHARE:
        return "身份证号", "内容多为18位身份证号"
    if _share(texts, _MOBILE) >= GUESS_SHARE:
        return "联系电话", "内容多为1开头的11位手机号"
    if sample.dates / len(texts) >= GUESS_SHARE:
        return "日期", "内容多为日期"
    # free text runs in clauses; an address or a unit's name is as long but has no comma
    mean = sum(len(t) for t in texts) / len(texts)
    clauses = sum(1 for t in texts if _CLAUSE.search(t)) / len(texts)
    if mean >= 30 or (mean >= 15 and clauses >= 0.5):
        return "反映问题", "内容为较长的文字"
    return None


def _date_field(position: int, taken: Mapping[str, int]) -> str | None:
    """The first free date field whose place in a matter's life fits the column's position among the dates taken."""
    for order, name in enumerate(DATE_ORDER):
        if name in taken:
            continue
        if all((at < position) == (DATE_ORDER.index(other) < order) for other, at in taken.items()
               if other in DATE_ORDER):
            return name
    return None


def read_columns(
    cells: Sequence[HeaderCell],
    samples: Sequence[Sample],
    table: HeaderTable,
    *,
    mapping: Mapping[str, str] | None = None,
    profile: Mapping[str, str] | None = None,
    accept_guesses: bool = False,
) -> tuple[Column, ...]:
    """Every column of a header: by the clerk's mapping, then a saved profile, then its name; a column that
    none of these names gets a guess from its content, used only when `accept_guesses`."""
    columns = _named(cells, table, mapping or {}, profile or {})
    taken = {c.field: c.index for c in columns if c.field}
    for i, column in enumerate(columns):
        if column.field is not None or column.how or column.rival is not None or i >= len(samples):
            continue
        if any(normalize_header(k) == SERIAL_HEADER for k in cells[i].keys):
            continue
        kind = content_kind(samples[i])
        if kind is None:
            continue
        name, reason = kind
        guessed = _date_field(i, taken) if name == "日期" else (name if name not in taken else None)
        if guessed is None:
            continue
        taken[guessed] = i
        columns[i] = Column(i, column.header, guessed if accept_guesses else None,
                            BY_GUESS if accept_guesses else "", guess=guessed, reason=reason)
    return tuple(columns)


def header_cells(top: Sequence[object], below: Sequence[object] | None = None,
                 spans: Iterable[tuple[int, int]] = ()) -> tuple[HeaderCell, ...]:
    """A header row's cells, or two rows joined: a parent cell merged over several columns (`spans`, its first
    and last column) heads each child under it; a cell merged down over both rows is itself."""
    def text(cells: Sequence[object], j: int) -> str:
        value = cells[j] if j < len(cells) else None
        return "" if value is None else str(value).strip()

    width = max(len(top), len(below or ()))
    if below is None:
        return tuple(HeaderCell.of(text(top, j)) for j in range(width))
    parents = [text(top, j) for j in range(width)]
    spans = list(spans)
    for first, last in spans:
        for j in range(first + 1, min(last + 1, width)):
            parents[j] = parents[first]
    if not spans:
        # no merge information (an .xls): a blank parent cell over a child belongs to the parent on its left
        for j in range(1, width):
            if not parents[j] and text(below, j) and text(below, j - 1) and parents[j - 1]:
                parents[j] = parents[j - 1]
    cells = []
    for j in range(width):
        parent, child = parents[j], text(below, j)
        if parent and child and parent != child:
            shown = f"{display_header(parent)}/{display_header(child)}"
            cells.append(HeaderCell(shown, (parent + child, child), shown))
        else:
            cells.append(HeaderCell.of(parent or child))
    return tuple(cells)


def two_row_header(top: Sequence[object], below: Sequence[object], spans: Sequence[tuple[int, int]],
                   table: HeaderTable, mapping: Mapping[str, str] | None = None) -> tuple[HeaderCell, ...] | None:
    """The two rows joined when they are one header (the lower row's cells name more columns); else None."""
    def filled(cells: Sequence[object], j: int) -> bool:
        return j < len(cells) and cells[j] is not None and str(cells[j]).strip() != ""

    width = max(len(top), len(below))
    under_parent = any(filled(below, j) and (not filled(top, j) or any(a < j <= b for a, b in spans))
                       for j in range(width))
    # a data row has numbers or dates; a header's lower row only words
    words = all(isinstance(c, str) and not any(ch.isdigit() for ch in c) for c in below if filled([c], 0))
    # a title over the header is one cell, not parents of several
    if not (under_parent and words and sum(filled(top, j) for j in range(width)) >= 2):
        return None
    joined = header_cells(top, below, spans)
    count = len(recognised(joined, table, mapping))
    if count > len(recognised(header_cells(top), table, mapping)) and count > len(
            recognised(header_cells(below), table, mapping)):
        return joined
    return None


def is_numbering_row(cells: Sequence[object]) -> bool:
    """A row of column numbers (1, 2, 3 …) under the header."""
    numbers = []
    for c in cells:
        if c is None or (isinstance(c, str) and not c.strip()):
            continue
        text = str(int(c)) if isinstance(c, float) and c.is_integer() else str(c).strip().strip("()（）")
        if not text.isdigit():
            return False
        numbers.append(int(text))
    return len(numbers) >= 3 and numbers == list(range(numbers[0], numbers[0] + len(numbers))) and numbers[0] <= 1


def footer_text(cells: Sequence[object]) -> str | None:
    """The words of a 合计 / 小计 / 备注 / 截至… / 制表人 row under the table, or None for any other row."""
    for c in cells:
        if c is None or (isinstance(c, str) and not c.strip()):
            continue
        text = _nfkc(str(c))
        return display_header(str(c))[:40] if text.startswith(_FOOTER) or display_header(str(c)).startswith(_FOOTER) \
            else None
    return None


def layout_key(cells: Sequence[HeaderCell]) -> str:
    """The same headers, in the same order, give the same key (next year's export of the same system)."""
    return "\x1f".join(normalize_header(c.shown) for c in cells).rstrip("\x1f")


def layout_cells(layout: str) -> tuple[HeaderCell, ...]:
    """The header a layout key was made from, as cells again: a two-row header's 上/下 matched as it was read,
    a column without a header named by its place."""
    cells = []
    for i, text in enumerate(layout.split("\x1f")):
        if not text:
            cells.append(HeaderCell(f"第{i + 1}列", ()))
        elif "/" in text:
            parent, child = text.split("/", 1)
            cells.append(HeaderCell(text, (parent + child, child), text))
        else:
            cells.append(HeaderCell.of(text))
    return tuple(cells)


@dataclass(frozen=True)
class SavedMapping:
    """A column mapping the clerk confirmed for one layout (设置 shows, changes and deletes it)."""

    layout: str  # the key it is found by (layout_key)
    headers: tuple[str, ...]  # the layout's headers, in order
    mapping: tuple[tuple[str, str], ...]  # header as shown → canonical header, "" for 备注; in header order
    source: str  # the file it was confirmed for
    saved_at: datetime
    columns: tuple[Column, ...]  # how an import of this layout reads every column now


def saved_mapping(layout: str, mapping: Mapping[str, str], table: HeaderTable, *, source: str,
                  saved_at: datetime) -> SavedMapping:
    """A profile as the clerk reviews it: every column of its layout, read as the import would read it."""
    cells = layout_cells(layout)
    columns = read_columns(cells, (), table, profile=mapping)
    order = {c.header: c.index for c in columns}
    given = sorted(mapping.items(), key=lambda kv: order.get(kv[0], order.get(normalize_header(kv[0]), len(order))))
    return SavedMapping(layout, tuple(c.shown for c in cells), tuple(given), source, saved_at, columns)


@dataclass(frozen=True)
class SheetLayout:
    """What the preview says of one sheet, or of several with the same header (one sheet a month)."""

    sheets: tuple[str, ...]
    header_row: int
    header_rows: int
    columns: tuple[Column, ...]
    ignored: tuple[tuple[str, int, str], ...] = field(default=())  # (sheet, row, why): rows that are not matters


def layouts(ledger: ParsedLedger) -> list[SheetLayout]:
    """The sheets of a ledger grouped by their header, in sheet order."""
    found: dict[tuple[int, int, tuple[Column, ...]], SheetLayout] = {}
    for sheet in ledger.sheets:
        key = (sheet.header_row, sheet.header_rows, sheet.columns)
        ignored = tuple((sheet.name, row, why) for row, why in sheet.ignored)
        if key in found:
            was = found[key]
            found[key] = replace(was, sheets=(*was.sheets, sheet.name), ignored=was.ignored + ignored)
        else:
            found[key] = SheetLayout((sheet.name,), sheet.header_row, sheet.header_rows, sheet.columns, ignored)
    return list(found.values())


def guesses_pending(ledger: ParsedLedger) -> bool:
    """Whether a column was guessed but not read so (the clerk has not accepted the guesses)."""
    return any(c.guess is not None and c.field is None for s in ledger.sheets for c in s.columns)


def describe(ledger: ParsedLedger, *, accept_hint: str, map_hint: str) -> list[str]:
    """The preview of how every column is read, one line each: the clerk sees each guess and each column set
    aside for another of the same meaning. The hints say how a guess is accepted, or a column named, where
    this is shown."""
    lines: list[str] = []
    for layout in layouts(ledger):
        names = "、".join(f"“{s}”" for s in layout.sheets)
        rows = f"第{layout.header_row}行" if layout.header_rows == 1 else \
            f"第{layout.header_row}—{layout.header_row + 1}行（两行表头，已合并）"
        lines.append(f"工作表{names}：表头在{rows}")
        for c in layout.columns:
            if c.field is not None and c.how == BY_GUESS:
                lines.append(f"  “{c.header}” → {c.field}（{BY_GUESS}，已采用：{c.reason}）")
            elif c.field is not None:
                how = "" if c.how == BY_NAME else f"（{c.how}）"
                lines.append(f"  “{c.header}” → {c.field}{how}")
            elif c.guess is not None:
                lines.append(f"  “{c.header}” 猜测为 {c.guess}（{c.reason}），未采用，暂保留在备注")
            elif c.rival is not None:
                taken = layout.columns[c.rival].header
                lines.append(f"  “{c.header}” 也可作 {c.could_be}，已取“{taken}”，此列保留在备注")
            elif c.how:
                lines.append(f"  “{c.header}” 保留在备注（{c.how}）")
            elif c.header != f"第{c.index + 1}列":
                lines.append(f"  “{c.header}” 未对应，保留在备注")
        if not any(c.field == "登记日期" for c in layout.columns):
            lines.append(f"  找不到“登记日期”列，各行无法导入：{map_hint}")
        for sheet, row, why in layout.ignored:
            where = f"“{sheet}”" if len(layout.sheets) > 1 else ""
            lines.append(f"  {where}第{row}行{why}，不作为事项")
    for name in ledger.passed_over:
        lines.append(f"工作表“{name}”中没有台账表头，未导入")
    if guesses_pending(ledger):
        lines.append(f"有按内容猜测的列尚未采用：{accept_hint}")
    return lines
