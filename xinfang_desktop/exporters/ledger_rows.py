"""A ledger sheet's rows under its header as LedgerRow values: how each kind of cell is read, and a sheet's
cells read column by column; no database."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from datetime import date, datetime
from itertools import zip_longest
from typing import Any

from openpyxl.utils.datetime import from_excel

from xinfang_desktop.domain.frozen import built
from xinfang_desktop.domain.ledger import DATE_FIELDS, FIELD_OF_HEADER, FLAG_FIELDS, LedgerRow, ParsedRow, SkippedRow
from xinfang_desktop.exporters.ledger_xlsx import clean_text

NO_DATE = (date(1970, 1, 1), date(1899, 12, 30), date(1900, 1, 1))  # what some systems write for an empty date

_FULLWIDTH_DIGITS = str.maketrans("０１２３４５６７８９．－／", "0123456789.-/")
_DATE = re.compile(r"^\s*(\d{4})\s*[.\-/年]\s*(\d{1,2})\s*[.\-/月]\s*(\d{1,2})\s*日?")
_COMPACT_DATE = re.compile(r"^\s*(\d{4})(\d{2})(\d{2})\s*$")
_TRUE = frozenset({"是", "√", "✓", "✔", "☑", "y", "yes", "1", "有", "true", "对"})
_FALSE = frozenset({"", "否", "无", "n", "no", "0", "×", "✗", "✘", "false", "-", "—", "/"})
_PERSONS = re.compile(r"(-?\d+)")


def parse_date(value: Any) -> date | None:
    """A ledger date in any form of DOMAIN §6; None when blank. Raises ValueError when unreadable."""
    if value is None:
        return None
    day = _date(value)
    return None if day in NO_DATE else day


def _date(value: Any) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        # a date typed into a General-formatted cell comes back as its serial number
        if 1 <= value < 2958466:
            converted = from_excel(value)
            if isinstance(converted, datetime):
                return converted.date()
        raise ValueError(str(value))
    text = str(value).strip().translate(_FULLWIDTH_DIGITS)
    if not text:
        return None
    match = _DATE.match(text) or _COMPACT_DATE.match(text)
    if not match:
        raise ValueError(text)
    return date(int(match.group(1)), int(match.group(2)), int(match.group(3)))


def looks_like_date(value: Any) -> bool:
    """For a guess: a date cell, or text written as a date; a bare number is a date only as a recent serial."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return 25000 <= value <= 60000 and float(value).is_integer()
    try:
        return _date(value) is not None
    except ValueError:
        return False


def parse_flag(value: Any) -> bool:
    """是/否, √, ✓, Y or blank. Raises ValueError for anything else."""
    if value is None:
        return False
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise ValueError(text)


def cell_text(value: Any) -> str:
    """A cell as text: numbers without a spurious ".0" (phones, 身份证号 typed as numbers)."""
    if type(value) is str:
        # a printable text has none of the control characters clean_text takes out (most cells)
        return (value if value.isprintable() else clean_text(value)).strip()
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat()
    return clean_text(str(value)).strip()



_PADDED = re.compile(r"^\S(?:\s+\S)+$")
_ITEMS = re.compile(r"([、，,；;])")
NAME_FIELDS = frozenset({"petitioners", "units", "place"})


def unpad(text: str) -> str:
    """A name spaced out to line up in its column ("妇  联", "张  三") as the name; other spaces stay."""
    if " " not in text and "\u3000" not in text:
        return text
    return "".join(_SPACE_IN.sub("", part) if _PADDED.match(part.strip()) else part
                   for part in _ITEMS.split(text))


_SPACE_IN = re.compile(r"[\s\u3000]+")


def _persons(value: Any) -> int:
    """人数 as written ("8", "8人", "30余人"); its sign and size kept, so the workflow's rule (1..100,000)
    judges "-5" and "1e9" rather than this reading them as 5 and 1. Raises ValueError when unreadable."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return 1
    text = str(value).strip().translate(_FULLWIDTH_DIGITS).replace("−", "-")
    try:
        number = float(text)
    except ValueError:
        match = _PERSONS.search(text)
        if not match:
            raise ValueError(text) from None
        return int(match.group(1))
    if not number.is_integer():
        raise ValueError(text)
    return int(number)


# how a mapped column's cell is read (column_plan)
_NOTE, _DATE_CELL, _FLAG, _PERSONS_CELL, _NAME, _TEXT, _ID = range(7)
EXCEL_DIGITS = 15  # Excel keeps 15 significant digits of a number: an 18-digit 身份证号 typed as one loses the rest


def numeric_id(value: Any) -> str | None:
    """The digits of a 身份证号 cell Excel stored as a number, when it has more than Excel keeps (an 18-digit
    number read back as 110105198001010000): not the person's number. None for text, or a number short
    enough to be intact (a 15-digit old-style number survives)."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    if isinstance(value, float) and not value.is_integer():
        return None
    digits = str(int(value))
    return digits if len(digits.lstrip("-")) > EXCEL_DIGITS else None


def column_plan(mapped: list[str | None]) -> tuple[tuple[int, str, int], ...]:
    """For each column of a sheet: its index, the LedgerRow field it fills ("" for 备注) and how it is read;
    worked out once a sheet rather than once a cell."""
    plan = []
    for i, target in enumerate(mapped):
        if target is None:
            plan.append((i, "", _NOTE))
            continue
        name = FIELD_OF_HEADER[target]
        kind = (_DATE_CELL if name in DATE_FIELDS else _FLAG if name in FLAG_FIELDS else _PERSONS_CELL
                if name == "persons" else _NAME if name in NAME_FIELDS else _ID if name == "id_numbers" else _TEXT)
        plan.append((i, name, kind))
    return tuple(plan)


def parse_row(
    sheet: str, number: int, cells: tuple[Any, ...], headers: tuple[str, ...],
    plan: tuple[tuple[int, str, int], ...], columns: frozenset[str],
) -> ParsedRow | SkippedRow | None:
    if all(c is None or c == "" or cell_text(c) == "" for c in cells):
        return None  # blank rows are not rows
    values: dict[str, Any] = {}
    notes: list[str] = []
    warnings: list[str] = []
    width = len(cells)
    for i, name, kind in plan:
        value = cells[i] if i < width else None
        if kind is _TEXT:
            values[name] = cell_text(value)
        elif kind is _NOTE:
            text = cell_text(value)
            if text and headers[i]:
                notes.append(f"{headers[i]}：{text}")
            elif text:
                notes.append(text)
        elif kind is _DATE_CELL:
            try:
                values[name] = parse_date(value)
            except ValueError:
                if name == "received_on" and not any(ch.isdigit() for ch in cell_text(value)):
                    values[name] = None  # words in the date column: a note or sign-off line, not a date
                    continue
                if name == "received_on":
                    return SkippedRow(sheet, number, f"“{headers[i]}”{cell_text(value)}不是可识别的日期", cells)
                warnings.append(f"“{headers[i]}”{cell_text(value)}不是可识别的日期，已忽略")
                values[name] = None
        elif kind is _FLAG:
            try:
                values[name] = parse_flag(value)
            except ValueError:
                warnings.append(f"“{headers[i]}”的“{cell_text(value)}”不是是/否标记，按“否”处理")
                values[name] = False
        elif kind is _PERSONS_CELL:
            try:
                values[name] = _persons(value)
            except ValueError:
                warnings.append(f"“{headers[i]}”的“{cell_text(value)}”不是人数，按1人处理")
                values[name] = 1
        elif kind is _ID:
            lost = numeric_id(value)
            if lost is None:
                values[name] = cell_text(value)
            else:
                # never an identity (it would find, or merge, the wrong person): kept in 备注 as the cell says
                values[name] = ""
                notes.append(f"{headers[i] or '身份证号'}：{lost}（Excel中存成了数字，后几位已丢失）")
                warnings.append(f"“{headers[i] or '身份证号'}”在Excel中存成了数字，后几位已丢失（读到{lost}），"
                                "未作为身份证号导入，请按原件补正")
        else:
            values[name] = unpad(cell_text(value))
    return _row(sheet, number, cells, values, notes, warnings, columns)


def _row(sheet: str, number: int, cells: tuple[Any, ...], values: dict[str, Any], notes: list[str],
         warnings: list[str], columns: frozenset[str]) -> ParsedRow | SkippedRow:
    if values.get("received_on") is None:
        # a sign-off line under the table (制表人、审核人) or a row without a date
        text = "；".join(t for t in (cell_text(c) for c in cells) if t)
        return SkippedRow(sheet, number, f"没有登记日期，无法导入（{text[:40]}）", cells)
    if notes:
        values["note"] = "；".join(([values["note"]] if values.get("note") else []) + notes)
    values.setdefault("number", "")
    values.setdefault("channel", "")
    return _PARSED_ROW({"sheet": sheet, "row": number, "values": _LEDGER_ROW(values), "warnings": tuple(warnings),
                        "raw": cells, "columns": columns})


# Read column by column, each column's cells are converted once a distinct value. A cell that would give
# its row a warning or a note of its own is set aside, and its row read by parse_row one cell after
# another, so that warnings and notes come as they always have; the other rows are put together at once.
_ASIDE = object()
_NUMBERS = frozenset({bool, int, float})  # True, 1 and 1.0 are one key of a dict but three different cells


class _Memo(dict[Any, Any]):
    """convert(value) of each distinct value, worked out when first asked for."""

    def __init__(self, convert: Callable[[Any], Any]) -> None:
        super().__init__()
        self.convert = convert

    def __missing__(self, value: Any) -> Any:
        self[value] = converted = self.convert(value)
        return converted


def _each(read: Callable[[Any], Any], cells: Sequence[Any], kinds: set[type]) -> list[Any]:
    """read(cell) of each cell; once a distinct value, unless a column mixes kinds of number."""
    if len(_NUMBERS & kinds) > 1:
        return [read(c) for c in cells]
    return list(map(_Memo(read).__getitem__, cells))


def _texts(cells: Sequence[Any], kinds: set[type]) -> list[str]:
    """cell_text of each cell: a column of printable text (most) at the speed of str.strip."""
    if kinds == {str} and all(map(str.isprintable, cells)):
        return list(map(str.strip, cells))
    return _each(cell_text, cells, kinds)


def _or_aside(parse: Callable[[Any], Any]) -> Callable[[Any], Any]:
    def read(value: Any) -> Any:
        try:
            return parse(value)
        except ValueError:
            return _ASIDE
    return read


def _id_text(value: Any) -> Any:
    return cell_text(value) if numeric_id(value) is None else _ASIDE  # lost digits: a note and a warning


def _note(header: str) -> Callable[[str], str]:
    def read(text: str) -> str:
        return f"{header}：{text}" if text and header else text
    return read


_READ_CELL: dict[int, Callable[[Any], Any]] = {
    _DATE_CELL: _or_aside(parse_date), _FLAG: _or_aside(parse_flag), _PERSONS_CELL: _or_aside(_persons), _ID: _id_text,
}


def parse_body(
    sheet: str, body: Sequence[tuple[int, tuple[Any, ...]]], headers: tuple[str, ...],
    plan: tuple[tuple[int, str, int], ...], columns: frozenset[str],
) -> list[ParsedRow | SkippedRow | None]:
    """What parse_row gives for each (row number, cells) of a sheet's body, read column by column."""
    by_column = list(zip_longest(*(cells for _, cells in body)))
    blank = (None,) * len(body)
    names: list[str] = []
    values: list[list[Any]] = []
    notes: list[list[str]] = []
    aside: set[int] = set()
    for i, name, kind in plan:
        cells = by_column[i] if i < len(by_column) else blank
        kinds = set(map(type, cells))
        if kind in _READ_CELL and not (kind is _ID and kinds == {str}):  # a 身份证号 written as text is its text
            converted = _each(_READ_CELL[kind], cells, kinds)
            if _ASIDE in converted:
                aside.update(k for k, v in enumerate(converted) if v is _ASIDE)
        else:
            converted = _texts(cells, kinds)
            if kind is _NAME:
                converted = _each(unpad, converted, {str})
            elif kind is _NOTE:
                notes.append(_each(_note(headers[i]), converted, {str}))
                continue
        names.append(name)
        values.append(converted)
    rows: list[ParsedRow | SkippedRow | None] = []
    for k, ((number, cells), row_values, row_notes) in enumerate(
            zip(body, zip(*values) if values else [()] * len(body), zip(*notes) if notes else [()] * len(body))):
        if k in aside:
            rows.append(parse_row(sheet, number, cells, headers, plan, columns))
            continue
        fields = dict(zip(names, row_values))
        # a row with a date is not blank (a date is read only from a cell with text): only one without is asked
        if fields.get("received_on") is None and all(c is None or c == "" or cell_text(c) == "" for c in cells):
            rows.append(None)  # blank rows are not rows
        else:
            rows.append(_row(sheet, number, cells, fields, [n for n in row_notes if n], [], columns))
    return rows


# LedgerRow(**fields) spends 8 µs a row setting its 32 fields one by one, more than reading the row: each
# row is made from its dict of fields at once (frozen.built). A row's values are fields a header reads, and
# note, number and channel: LedgerRow would refuse others, and so does built.
def _LEDGER_ROW(values: dict[str, Any]) -> LedgerRow:
    return built(LedgerRow, values)


def _PARSED_ROW(values: dict[str, Any]) -> ParsedRow:
    return built(ParsedRow, values)
