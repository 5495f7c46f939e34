"""How far each sheet of a workbook reaches, read from the file's own records before calamine builds it.

calamine holds a sheet as one dense block from its first to its last cell: a 6 KB file with a
cell at A1 and one at XFD1048576 asks for 17 billion cells (512 GiB) and aborts the process,
and an .xls is built whole when it is opened. So the reader measures here first, the way
calamine will count (only cells with a value), and refuses a sheet too large to be a ledger.
Pure functions over bytes; no database.
"""

from __future__ import annotations

import io
import re
import struct
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import IO

MAX_ROWS = 1_048_576  # Excel's own limits: row 1048576, column XFD
MAX_COLUMNS = 16_384
# 200,000 matters of 50 columns; calamine spends 32 bytes a cell, so this is 320 MB at most
MAX_CELLS = 10_000_000
_CHUNK = 1 << 22


@dataclass(frozen=True)
class Extent:
    """A sheet's used block counted from A1 (the reader reads from A1): rows and columns."""

    rows: int
    columns: int

    @property
    def cells(self) -> int:
        return self.rows * self.columns

    @property
    def too_large(self) -> bool:
        return self.rows > MAX_ROWS or self.columns > MAX_COLUMNS or self.cells > MAX_CELLS

    @property
    def cells_text(self) -> str:
        """The number of cells as a clerk reads it: 171.8亿, 3200万."""
        if self.cells >= 100_000_000:
            return f"{self.cells / 100_000_000:.1f}亿"
        if self.cells >= 10_000:
            return f"{self.cells / 10_000:.0f}万"
        return str(self.cells)

    @property
    def last_cell(self) -> str:
        """The bottom-right cell as Excel names it (beyond XFD the letters go on)."""
        return f"{_column_letters(max(self.columns, 1))}{max(self.rows, 1)}"


def largest_extent(data: bytes) -> Extent | None:
    """The largest sheet of the workbook in `data`, or None when there is nothing to measure.

    Raises ValueError (or zipfile/struct errors) for a file too damaged to measure; the caller
    treats that like any unreadable workbook.
    """
    if data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        extents = list(_xls_extents(data))
    elif zipfile.is_zipfile(io.BytesIO(data)):  # found by its end record, as calamine's zip reader does
        extents = list(_zip_extents(data))
    else:
        return None  # not a format whose sheets can blow up (calamine refuses it)
    largest: Extent | None = None
    for extent in extents:
        largest = extent if largest is None else _larger(largest, extent)
    return largest


# .xlsx / .xlsm / .xlsb / .ods: a zip ------------------------------------------------------------
_NOT_RECORDS = ("printersettings", "vbaproject", "activex", "embeddings", "customui")


def _zip_extents(data: bytes) -> Iterator[Extent]:
    """Every part that could be a sheet, wherever it lies and however it is named (calamine follows the
    relationships, which a hostile file points anywhere); only cells inside a sheet's data count."""
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        names = [info.filename.replace("\\", "/").lower() for info in zf.infolist()]
        binary = any(name.endswith("workbook.bin") for name in names)  # an .xlsb: its sheets are records
        for info, name in zip(zf.infolist(), names, strict=True):
            if info.is_dir() or not name.endswith((".xml", ".bin")):
                continue
            if name.endswith(".bin") and (not binary or any(w in name for w in _NOT_RECORDS)):
                continue  # printer settings, macros, embedded objects: not BIFF12 records
            if name.endswith(".xml") and name.rsplit("/", 1)[-1] != "content.xml":
                yield _xlsx_extent(lambda info=info: zf.open(info))  # type: ignore[misc]
                continue
            with zf.open(info) as stream:
                yield _ods_extent(stream) if name.endswith(".xml") else _xlsb_extent(stream)


def _chunks(stream: IO[bytes]) -> Iterator[bytes]:
    """A streamed XML part (it can be 1 GB) in pieces that each end before a tag, never inside one."""
    carry = b""
    while True:
        chunk = stream.read(_CHUNK)
        buffer = carry + chunk
        if not chunk:
            if buffer:
                yield buffer
            return
        cut = buffer.rfind(b"<")  # the last tag may be cut by the chunk: keep it for the next round
        if cut <= 0:
            cut = len(buffer)
        yield buffer[:cut]
        carry = buffer[cut:]


def _tags(stream: IO[bytes], pattern: re.Pattern[bytes]) -> Iterator[re.Match[bytes]]:
    for chunk in _chunks(stream):
        yield from pattern.finditer(chunk)


_XLSX_TAG = re.compile(rb"<(/?)(?:[\w.-]+:)?(sheetData|row|c)\b([^>]*?)(/?)>(</(?:[\w.-]+:)?c>)?")
_ROW_R = re.compile(rb"""\br\s*=\s*["'](\d+)["']""")
_CELL_R = re.compile(rb"""\br\s*=\s*["']([A-Za-z]+)(\d+)["']""")


def _column_number(letters: bytes) -> int:
    n = 0
    for ch in letters.upper():
        n = n * 26 + ch - 64
    return n


# Excel, WPS, openpyxl and xlsxwriter write every cell as <c r="A1" …>, the rows in order. Then one search a
# chunk bounds the part: the bound is guessed from the chunk's last cell, and the search finds any cell
# outside it or written otherwise; a cell outside widens the bound and the search goes on from it. That
# bound takes in cells without a value too, so a part that looks too large is measured again counting
# valued cells only, as is one with cells in no usual order or written otherwise (a prefix, a newline or
# a tab before the position, which calamine reads like a space); one with a cell without its position is
# walked tag by tag, as calamine reads it.
_USUAL_CELL = re.compile(rb'<c r="([A-Z]{1,3})(\d{1,7})"')
_PREFIX_HINT = re.compile(rb":c[\s>/]")  # found by its literal start: one quick pass where there is none
_PREFIXED_CELL = re.compile(rb"<[\w.-]+:c[\s>/]")
_ANY_CELL = re.compile(rb"<(?:[\w.-]+:)?c[\s>/]")
_PLACED_CELL = re.compile(rb"""<(?:[\w.-]+:)?c\s[^>]*?\br\s*=\s*["'][A-Za-z]+\d+["']""")
_VALUED_CELL = re.compile(
    rb"""<(?:[\w.-]+:)?c\s[^>]*?\br\s*=\s*["']([A-Za-z]+)(\d+)["'][^>]*(?<!/)>(?!</(?:[\w.-]+:)?c>)"""
)
WIDENINGS = 64  # cells outside the bound so far, in a part, before it is taken as unordered
_DIGITS, _LETTERS = "0123456789", "ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def _xlsx_extent(open_part: Callable[[], IO[bytes]]) -> Extent:
    bound = _usual_bound(open_part)
    if bound is not None and not bound.too_large:
        return bound
    rows = cols = 0
    with open_part() as stream:
        for chunk in _chunks(stream):
            if len(_ANY_CELL.findall(chunk)) != len(_PLACED_CELL.findall(chunk)):
                break
            found = _VALUED_CELL.findall(chunk)
            if found:
                rows = max(rows, max(int(r) for r in {r for _, r in found}))
                cols = max(cols, max(_column_number(c) for c in {c for c, _ in found}))
        else:
            return Extent(rows, cols)
    with open_part() as stream:
        return _walk_xlsx(stream)


def _usual_bound(open_part: Callable[[], IO[bytes]]) -> Extent | None:
    """The extent of every cell, valued or not, when all are written the usual way in about the usual
    order; else None."""
    rows = cols = widened = 0
    with open_part() as stream:
        for chunk in _chunks(stream):
            if _PREFIX_HINT.search(chunk) and _PREFIXED_CELL.search(chunk):
                return None
            at = chunk.rfind(b'<c r="')
            if at >= 0 and (last := _USUAL_CELL.match(chunk, at)):
                rows, cols = max(rows, int(last[2])), max(cols, _column_number(last[1]))
            at = 0
            while outside := _outside(rows, cols).search(chunk, at):
                cell = _USUAL_CELL.match(chunk, outside.start())
                widened += 1
                if cell is None or widened > WIDENINGS:
                    return None
                row, col = int(cell[2]), _column_number(cell[1])
                if row <= rows and col <= cols:
                    return None  # a position written otherwise (A0, A01): measured the slower way
                rows, cols, at = max(rows, row), max(cols, col), outside.start()
    return Extent(rows, cols)


@lru_cache(maxsize=256)
def _outside(rows: int, cols: int) -> re.Pattern[bytes]:
    """A cell tag not written <c r="A1" with its position inside the first `rows` rows and `cols` columns."""
    if not rows or not cols:
        return re.compile(rb"<c[\s>/]")
    inside = _up_to(_column_letters(cols), _LETTERS, _LETTERS) + _up_to(str(rows), _DIGITS[1:], _DIGITS)
    return re.compile(b'<c(?! r="' + inside.encode() + rb'")[\s>/]')


def _up_to(top: str, lead: str, rest: str) -> str:
    """A regex for the numerals that count up to `top`, its first character from `lead`, the others from
    `rest` (both in order): a shorter numeral counts less, one as long compares character by character."""
    ways = [f"[{lead}][{rest}]{{0,{len(top) - 2}}}"] if len(top) > 1 else []
    for i, ch in enumerate(top):
        chars = lead if i == 0 else rest
        if below := chars[: chars.index(ch)]:
            ways.append(f"{top[:i]}[{below}][{rest}]{{{len(top) - i - 1}}}")
    return "(?:" + "|".join([*ways, top]) + ")"


def _column_letters(n: int) -> str:
    """Column `n` (from 1) as Excel names it: 1 A, 27 AA (beyond XFD the letters go on)."""
    letters = ""
    while n:
        n, rem = divmod(n - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def _walk_xlsx(stream: IO[bytes]) -> Extent:
    row, col = 0, 0  # 1-based, of the last row and cell seen
    rows = cols = 0
    inside = False
    for match in _tags(stream, _XLSX_TAG):
        end, kind, attrs, closed, empty = match.groups()
        if kind == b"sheetData":
            inside = not end and not closed
            row = col = 0
            continue
        if end or not inside:
            continue
        if kind == b"row":
            found = _ROW_R.search(attrs)
            row = int(found.group(1)) if found else row + 1
            col = 0
            continue
        cell = _CELL_R.search(attrs)
        if cell:
            col, row = _column_number(cell.group(1)), int(cell.group(2))
        else:
            col += 1
        if not closed and not empty:  # <c .../> or <c ...></c> has no value: calamine does not count it
            rows, cols = max(rows, row), max(cols, col)
    return Extent(rows, cols)


def _xlsb_extent(stream: IO[bytes]) -> Extent:
    """BIFF12 records: BrtRowHdr (0) gives the row, a cell record (2..11) its column; blanks (1) do not count."""
    data = stream.read()  # binary sheets are compact: a 100,000-row sheet is a few MB
    at, end = 0, len(data)
    row = -1
    rows = cols = 0
    inside = False

    def varint(limit: int) -> int | None:
        nonlocal at
        value = 0
        for i in range(limit):
            if at >= end:
                return None
            byte = data[at]
            at += 1
            value |= (byte & 0x7F) << (7 * i)
            if byte < 0x80:
                break
        return value

    while True:
        typ, size = varint(2), varint(4)
        if typ is None or size is None or at + 4 > end:
            break
        first = struct.unpack_from("<I", data, at)[0]
        at += size
        if typ == 0x0091:  # BrtBeginSheetData: other binary parts hold no cells
            inside = True
        elif not inside:
            continue
        elif typ == 0x0000:
            row = first
        elif 0x0002 <= typ <= 0x000B and row >= 0:
            rows, cols = max(rows, row + 1), max(cols, first + 1)
        elif typ == 0x0092:  # BrtEndSheetData
            break
    return Extent(rows, cols)


_ODS_TAG = re.compile(rb"<(/?)table:(table-row|table-cell|covered-table-cell|table)(?=[\s/>])([^>]*?)(/?)>")
_ROWS_REPEATED = re.compile(rb"""number-rows-repeated\s*=\s*["'](\d+)["']""")
_COLUMNS_REPEATED = re.compile(rb"""number-columns-repeated\s*=\s*["'](\d+)["']""")


def _ods_extent(stream: IO[bytes]) -> Extent:
    """The largest table of content.xml; repeated rows and cells count as often as they repeat."""
    best = Extent(0, 0)
    row = rows = cols = 0  # of the current table
    repeat, position, row_cols = 1, 0, 0  # of the current row
    for match in _tags(stream, _ODS_TAG):
        end, kind, attrs, closed = match.groups()
        if kind == b"table":
            if end:
                best = _larger(best, Extent(rows, cols))
            else:
                row = rows = cols = 0
            continue
        if kind == b"table-row":
            if not end:
                found = _ROWS_REPEATED.search(attrs)
                repeat, position, row_cols = int(found.group(1)) if found else 1, 0, 0
                if not closed:
                    continue
            if row_cols:  # the row (or an empty self-closed one) ends
                rows, cols = max(rows, row + repeat), max(cols, row_cols)
            row += repeat
            continue
        if end:
            continue
        found = _COLUMNS_REPEATED.search(attrs)
        position += int(found.group(1)) if found else 1
        if not closed or b"value-type" in attrs:  # an empty cell is not counted
            row_cols = position
    return _larger(best, Extent(rows, cols))


def _larger(a: Extent, b: Extent) -> Extent:
    return max(a, b, key=lambda e: (e.too_large, e.cells))


# .xls: BIFF records in an OLE2 compound file --------------------------------------------------------
# the records calamine turns into cells, each with the row and column in its first four bytes
_XLS_CELLS = frozenset({0x0203, 0x0204, 0x00D6, 0x0205, 0x027E, 0x00FD, 0x0006})
_BOF, _EOF, _BOUNDSHEET, _DIMENSIONS, _MULRK, _CONTINUE = 0x0809, 0x000A, 0x0085, 0x0200, 0x00BD, 0x003C


def _xls_extents(data: bytes) -> Iterator[Extent]:
    import olefile  # only an .xls needs it

    with olefile.OleFileIO(data) as ole:
        name = "Workbook" if ole.exists("Workbook") else "Book" if ole.exists("Book") else None
        if name is None:
            return
        stream = ole.openstream(name).read()
    positions: list[int] = []
    for typ, body in _records(stream, 0):
        if typ == _BOUNDSHEET and len(body) >= 4:
            positions.append(struct.unpack_from("<I", body)[0])
        elif typ == _EOF:
            break
    for position in positions:
        if position < len(stream):
            yield _xls_sheet(stream, position)


def _records(stream: bytes, position: int) -> Iterator[tuple[int, bytes]]:
    """BIFF records from `position`, each with its CONTINUE records appended (as calamine reads them)."""
    end = len(stream)
    while position + 4 <= end:
        typ, size = struct.unpack_from("<HH", stream, position)
        body = stream[position + 4 : position + 4 + size]
        position += 4 + size
        if len(body) < size:
            return
        while position + 4 <= end and struct.unpack_from("<H", stream, position)[0] == _CONTINUE:
            more = struct.unpack_from("<H", stream, position + 2)[0]
            body += stream[position + 4 : position + 4 + more]
            position += 4 + more
        yield typ, body


def _xls_sheet(stream: bytes, position: int) -> Extent:
    rows = cols = 0
    reserve = 0  # what calamine reserves from the DIMENSIONS record, in cells
    seen_bof, depth = False, 0
    for typ, body in _records(stream, position):
        if depth:
            depth += 1 if typ == _BOF else -1 if typ == _EOF else 0
            continue
        if typ == _BOF:
            if seen_bof:
                depth = 1
            seen_bof = True
        elif typ == _EOF:
            break
        elif typ == _DIMENSIONS:
            reserve = max(reserve, _dimension_cells(body))
        elif typ in _XLS_CELLS and len(body) >= 4:
            row, col = struct.unpack_from("<HH", body)
            rows, cols = max(rows, row + 1), max(cols, col + 1)
        elif typ == _MULRK and len(body) >= 6:
            row = struct.unpack_from("<H", body)[0]
            col_last = struct.unpack_from("<H", body, len(body) - 2)[0]
            rows, cols = max(rows, row + 1), max(cols, col_last + 1)
    extent = Extent(rows, cols)
    if reserve > MAX_CELLS and not extent.too_large:
        # the cells are few but the DIMENSIONS record asks calamine for room for billions
        side = MAX_COLUMNS + 1
        return Extent(max(reserve // side, 1), side)
    return extent


def _dimension_cells(body: bytes) -> int:
    """rows × columns as calamine computes them from DIMENSIONS (u32 arithmetic that wraps)."""
    if len(body) == 10:
        rf, rl, cf, cl = struct.unpack_from("<HHHH", body)
    elif len(body) == 14:
        rf, rl, cf, cl = struct.unpack_from("<IIHH", body)
    else:
        return 0
    if cf > 0xFF or cl < cf:
        cf = 0
    end_row, end_col = (rl - 1, cl - 1) if rl >= 1 and cl >= 1 else (rf, cf)
    rows = (end_row - rf + 1) % (1 << 32)
    cols = (end_col - cf + 1) % (1 << 32)
    return int(rows * cols)
