"""Measuring a sheet before calamine builds it: the one search a chunk for cells written the usual way, the
bound it widens, and the slower ways a part is measured when its cells are written otherwise."""

from __future__ import annotations

import io
import random
import re
import zipfile

import pytest

from xinfang_desktop.exporters import sheet_bounds
from xinfang_desktop.exporters.sheet_bounds import Extent, largest_extent


def _workbook(cells: str) -> bytes:
    body = ('<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
            f"{cells}</sheetData></worksheet>")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("xl/worksheets/sheet1.xml", body)
    return buffer.getvalue()


def _rows(first: int, last: int, columns: str = "ABCDE", tail: str = "") -> str:
    """Rows of valued cells, as Excel and openpyxl write them; `tail` is put at the end of the last row."""
    return "".join(f'<row r="{r}">' + "".join(f'<c r="{c}{r}" t="inlineStr"><is><t>x</t></is></c>' for c in columns)
                   + (tail if r == last else "") + "</row>" for r in range(first, last + 1))


# the search's bound takes in cells without a value (s="1": formatted only); the slower measuring, which
# counts as calamine does, leaves them out. So each test below says by its figures which way was taken.
def test_rows_in_order_are_bounded_from_the_last_cell_by_one_search() -> None:
    data = _workbook(_rows(1, 300, tail='<c r="H300" s="1"/>'))
    assert largest_extent(data) == Extent(300, 8)


def test_in_many_chunks_each_is_bounded_from_its_own_last_cell(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sheet_bounds, "_CHUNK", 512)  # about 60 chunks
    data = _workbook(_rows(1, 300, tail='<c r="H300" s="1"/>'))
    assert largest_extent(data) == Extent(300, 8)


def test_a_cell_outside_the_bound_widens_it() -> None:
    # a formatted cell far right in row 3 and one far down in a row of its own, before the table ends
    data = _workbook(_rows(1, 3, tail='<c r="Z3" s="1"/>') + '<row r="900"><c r="B900" s="1"/></row>'
                     + _rows(4, 300))
    assert largest_extent(data) == Extent(900, 26)


def test_cells_in_no_usual_order_are_counted_as_calamine_counts_them() -> None:
    # each cell lies beyond all before it (a diagonal, its first row last): more widenings than a part is allowed
    n = sheet_bounds.WIDENINGS + 40
    diagonal = "".join(f'<row r="{i}"><c r="{sheet_bounds._column_letters(i)}{i}"><v>1</v></c></row>'
                       for i in range(2, n + 1))
    data = _workbook(diagonal + '<row r="1"><c r="ZZ999" s="1"/><c r="A1"><v>1</v></c></row>')
    assert largest_extent(data) == Extent(n, n)


@pytest.mark.parametrize("written", ['<c\nr="XFD1048576">', '<c\tr="XFD1048576">', '<c\r\nr="XFD1048576">',
                                     '<x:c r="XFD1048576">', '<c  r="XFD1048576">', '<c s="1" r="XFD1048576">'])
def test_a_far_cell_written_otherwise_is_still_found(written: str) -> None:
    # calamine reads <c\nr="…"> as any cell: so many cells from A1 would abort the process
    end = "</x:c>" if written.startswith("<x:") else "</c>"
    data = _workbook(_rows(1, 20) + f'<row r="1048576">{written}<v>1</v>{end}</row>')
    extent = largest_extent(data)
    assert extent is not None and extent.too_large and extent.last_cell == "XFD1048576"


@pytest.mark.parametrize("ref", ["A0", "B01", "C0003"])
def test_a_position_with_a_zero_before_it_is_read_by_its_number(ref: str) -> None:
    data = _workbook(_rows(1, 5) + f'<row r="6"><c r="{ref}"><v>1</v></c></row>')
    assert largest_extent(data) == Extent(5, 5)


def test_a_part_with_no_cells_reaches_nowhere() -> None:
    assert largest_extent(_workbook("")) == Extent(0, 0)


@pytest.mark.parametrize("top", [1, 2, 9, 10, 11, 19, 99, 100, 101, 999, 1000, 10002, 20455, 1048576, 9999999])
def test_the_row_pattern_takes_exactly_the_numbers_up_to_its_top(top: int) -> None:
    pattern = re.compile(sheet_bounds._up_to(str(top), "123456789", "0123456789"))
    rnd = random.Random(top)
    tried = {*range(1, 1200), *range(top - 150, top + 150), *(rnd.randrange(1, 10 * top + 10) for _ in range(2000))}
    for n in sorted(n for n in tried if n > 0):
        assert bool(pattern.fullmatch(str(n))) == (n <= top), (top, n)
    assert not pattern.fullmatch("0") and not pattern.fullmatch("01")


@pytest.mark.parametrize("top", [1, 2, 25, 26, 27, 30, 52, 53, 701, 702, 703, 1000, 16384, 18278])
def test_the_column_pattern_takes_exactly_the_columns_up_to_its_top(top: int) -> None:
    letters = sheet_bounds._LETTERS
    pattern = re.compile(sheet_bounds._up_to(sheet_bounds._column_letters(top), letters, letters))
    for n in range(1, 18279):
        assert bool(pattern.fullmatch(sheet_bounds._column_letters(n))) == (n <= top), (top, n)
