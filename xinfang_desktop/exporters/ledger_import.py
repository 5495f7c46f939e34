"""Read an existing Excel 台账: find the header under title rows, map columns, read the rows (ledger_rows); no database."""

from __future__ import annotations

import io
import json
from collections.abc import Mapping
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from python_calamine import CalamineError, CalamineWorkbook, PasswordError, SheetTypeEnum

from xinfang_desktop.domain.errors import StorageError, ValidationError
from xinfang_desktop.domain.ledger import FIELD_OF_HEADER, ParsedLedger, ParsedRow, ParsedSheet, SkippedRow
from xinfang_desktop.domain.ledger_headers import (
    SAMPLE_ROWS,
    HeaderCell,
    HeaderTable,
    Sample,
    footer_text,
    header_cells,
    is_numbering_row,
    layout_key,
    looks_like_header,
    read_columns,
    recognised,
    two_row_header,
)
from xinfang_desktop.exporters.ledger_rows import (  # parse_date, parse_flag and cell_text: read from here too
    cell_text,
    column_plan,
    looks_like_date,
    parse_body,
)
from xinfang_desktop.exporters.ledger_rows import parse_date as parse_date
from xinfang_desktop.exporters.ledger_rows import parse_flag as parse_flag
from xinfang_desktop.exporters.ledger_xlsx import clean_text, free_path, save_workbook
from xinfang_desktop.exporters.sheet_bounds import MAX_COLUMNS, MAX_ROWS, largest_extent
from xinfang_desktop.paths import resources_dir

HEADER_SCAN_ROWS = 30  # title rows, notes and blank rows above the header
KEEP_IN_NOTE = ""  # a mapping value: keep the column in 备注


def _open(path: Path) -> CalamineWorkbook:
    """The workbook, read whole into memory: .xlsx, .xlsm, the old .xls of Excel 97–2003, .xlsb or .ods."""
    if not path.is_file():
        raise ValidationError(f"找不到文件“{path}”，请重新选择", field="台账文件")
    try:
        # read by us first: a file Excel holds open is refused here, with a message that says so
        data = path.read_bytes()
    except PermissionError as exc:
        raise StorageError(f"文件“{path.name}”被其他程序占用（可能正在Excel中打开），请关闭后重试") from exc
    except OSError as exc:
        raise StorageError(f"文件“{path.name}”无法读取（{exc.strerror}），请检查文件后重试") from exc
    unreadable = ValidationError(
        f"文件“{path.name}”不是可读取的Excel工作簿（或已损坏），请选择Excel台账（.xlsx或.xls），"
        "或用Excel打开检查后另存再导入", field="台账文件")
    try:
        # measured before calamine builds the sheets: it holds each as one dense block
        extent = largest_extent(data)
    except Exception as exc:  # noqa: BLE001 - a damaged container, in any of the ways a parser can say so
        raise unreadable from exc
    if extent is not None and extent.too_large:
        beyond = "，超出了Excel的最大范围" if extent.rows > MAX_ROWS or extent.columns > MAX_COLUMNS else ""
        raise ValidationError(
            f"文件“{path.name}”中有工作表延伸到{extent.last_cell}单元格（约{extent.cells_text}个单元格{beyond}），"
            "远超台账应有的大小，文件可能已损坏或被改动过。请在Excel中按Ctrl+End找到最后一个单元格，"
            "删除台账以外多余的行和列后另存，再导入",
            field="台账文件",
        )
    try:
        return CalamineWorkbook.from_filelike(io.BytesIO(data))
    except PasswordError as exc:
        raise ValidationError(f"文件“{path.name}”设有打开密码，请在Excel中取消密码后再导入", field="台账文件") from exc
    except (CalamineError, ValueError, OSError) as exc:
        raise unreadable from exc
    except BaseException as exc:
        # calamine's PanicException (a truncated .xls) derives from BaseException
        if isinstance(exc, (KeyboardInterrupt, SystemExit)):
            raise
        raise unreadable from exc


@lru_cache(maxsize=1)
def header_table() -> HeaderTable:
    """The synonyms shipped in resources/ledger/headers.json."""
    with (resources_dir() / "ledger" / "headers.json").open(encoding="utf-8") as fh:
        return HeaderTable(json.load(fh))


def _spans(merges: Any, row: int) -> list[tuple[int, int]]:
    """The columns (first, last) of the cells merged across in a header row."""
    return [(a[1], b[1]) for a, b in (merges or ()) if a[0] == row and b[1] > a[1]]


def _find_header(rows: list[tuple[Any, ...]], merges: Any, table: HeaderTable, mapping: Mapping[str, str],
                 profiles: Mapping[str, Mapping[str, str]]) -> tuple[int, int, tuple[HeaderCell, ...]] | None:
    """The header in the first rows of a sheet: its first row, how many rows it takes, its cells (two rows joined)."""
    for index, cells in enumerate(rows[:HEADER_SCAN_ROWS]):
        joined = None
        if index + 1 < len(rows):
            joined = two_row_header(cells, rows[index + 1], _spans(merges, index), table, mapping)
        header = joined or header_cells(cells)
        if looks_like_header(recognised(header, table, mapping)) or layout_key(header) in profiles:
            return index, 2 if joined else 1, header
    return None


def _samples(rows: list[tuple[Any, ...]], width: int) -> tuple[Sample, ...]:
    texts: list[list[str]] = [[] for _ in range(width)]
    dates = [0] * width
    for cells in rows[:SAMPLE_ROWS]:
        for j in range(min(width, len(cells))):
            text = cell_text(cells[j])
            if text:
                texts[j].append(text)
                dates[j] += looks_like_date(cells[j])
    return tuple(Sample(tuple(t), d) for t, d in zip(texts, dates, strict=True))


def read_ledger(
    path: Path,
    *,
    mapping: Mapping[str, str] | None = None,
    profiles: Mapping[str, Mapping[str, str]] | None = None,
    accept_guesses: bool = False,
    table: HeaderTable | None = None,
) -> ParsedLedger:
    """Read every sheet of the workbook that has a recognisable header.

    `mapping` is the clerk's choice for columns: header text → canonical header, or "" to keep
    the column in 备注 (the default for any column left unmapped). `profiles` are mappings the
    clerk confirmed before, by layout key: the one of a sheet's headers applies where `mapping`
    says nothing. A column no name explains is guessed from its content; the guess is in the
    sheet's `columns` for the preview and is read so only with `accept_guesses`.
    Raises ValidationError for a file that is not a workbook or has no header anywhere.
    """
    path = Path(path)
    mapping = dict(mapping or {})
    profiles = profiles or {}
    table = table or header_table()
    wb = _open(path)
    sheets: list[ParsedSheet] = []
    passed_over: list[str] = []
    parsed: list[ParsedRow] = []
    skipped: list[SkippedRow] = []
    try:
        for meta in wb.sheets_metadata:
            if meta.typ is not SheetTypeEnum.WorkSheet:
                continue  # a chart or macro sheet
            ws = wb.get_sheet_by_name(meta.name)
            # from A1, so that row numbers are the sheet's own
            rows = [tuple(cells) for cells in ws.to_python(skip_empty_area=False)]
            found = _find_header(rows, ws.merged_cell_ranges, table, mapping, profiles)
            if found is None:
                if any(any(cell_text(c) for c in cells) for cells in rows):
                    passed_over.append(meta.name)
                continue
            index, height, cells = found
            first = index + height
            ignored: list[tuple[int, str]] = []
            body: list[tuple[int, tuple[Any, ...]]] = []
            for number, row in enumerate(rows[first:], first + 1):
                if number == first + 1 and is_numbering_row(row):
                    ignored.append((number, "是列序号"))
                    continue
                body.append((number, row))
            key = layout_key(cells)
            columns = read_columns(cells, _samples([r for _, r in body], len(cells)), table, mapping=mapping,
                                   profile=profiles.get(key, {}), accept_guesses=accept_guesses)
            headers = tuple(c.written for c in cells)
            mapped = list(c.field for c in columns)
            fields = frozenset(FIELD_OF_HEADER[m] for m in mapped if m is not None)
            plan = column_plan(mapped)
            for (number, row), result in zip(body, parse_body(meta.name, body, headers, plan, fields), strict=True):
                if isinstance(result, ParsedRow):
                    parsed.append(result)
                elif isinstance(result, SkippedRow):
                    # a 合计 or sign-off line has no date: asked only of the rows that cannot go in
                    footer = footer_text(row)
                    if footer is not None:
                        ignored.append((number, f"“{footer}”是表尾的合计、说明或签名行"))
                    else:
                        skipped.append(result)
            unrecognised = tuple(h for h, m in zip(headers, mapped, strict=True) if m is None and h)
            sheets.append(ParsedSheet(meta.name, index + 1, headers, tuple(mapped), unrecognised, height,
                                      columns, tuple(ignored), key))
    except ValidationError:
        raise
    except BaseException as exc:
        # CalamineError, or its PanicException (a BaseException) on a damaged sheet
        if isinstance(exc, (KeyboardInterrupt, SystemExit)):
            raise
        raise ValidationError(f"文件“{path.name}”已损坏，无法读取，请用Excel打开检查后另存", field="台账文件") from exc
    finally:
        wb.close()
    if not sheets:
        raise ValidationError(
            f"文件“{path.name}”中找不到台账表头（应有“登记日期”“信访人”“反映问题”等列名），请检查文件或先整理表头",
            field="台账文件",
        )
    return ParsedLedger(path.name, tuple(sheets), tuple(parsed), tuple(skipped), tuple(passed_over))


def error_workbook_path(source: Path) -> Path:
    """Where the error workbook of an import goes: next to the source (write_error_workbook takes
    the next free name, 旧台账-导入错误(2).xlsx, when a list of an earlier import is there)."""
    return Path(source).with_name(f"{Path(source).stem}-导入错误.xlsx")


def write_error_workbook(
    target: Path, ledger: ParsedLedger, skipped: tuple[SkippedRow, ...], title: str = "未导入的行"
) -> Path:
    """List exactly the rows not imported (or imported under a new number, as `title` says): sheet, row, why,
    then the row's cells as the ledger had them.

    Written to `target`, or to the next free name beside it; returns the path written.
    """
    target = free_path(Path(target))
    headers_by_sheet = {s.name: s.headers for s in ledger.sheets}
    # the three columns of ours come first; a row is cut at Excel's last column, XFD
    width = min(max((len(h) for h in headers_by_sheet.values()), default=0), MAX_COLUMNS - 3)
    first_headers = next(iter(headers_by_sheet.values()), ())
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(title[:31])
    for letter, w in (("A", 12), ("B", 8), ("C", 40)):
        ws.column_dimensions[letter].width = w
    ws.append(["工作表", "行号", "原因", *first_headers[:width]])
    for row in skipped:
        cells: list[Any] = [row.sheet, row.row, row.reason]
        for value in row.raw[:width]:
            if isinstance(value, (int, float, date)) and not isinstance(value, bool):
                cells.append(value)
            else:
                cell = WriteOnlyCell(ws, value=None)
                cell.value = clean_text(cell_text(value))
                cell.data_type = "s"  # never let a "=" cell become a formula
                cells.append(cell)
        ws.append(cells)
    save_workbook(wb, target, "错误清单")
    return target


LIST_HEADERS = {"乡镇", "村", "村（社区）", "社区", "乡镇名称", "村名", "名称", "单位", "单位名称", "承办单位", "类别",
                "单位类别", "序号"}


def read_rows(path: Path) -> list[list[str]]:
    """The first sheet of a workbook, each cell as text (a date as 2026-06-05), for rows pasted in by file."""
    path = Path(path)
    wb = _open(path)
    try:
        sheets = [m for m in wb.sheets_metadata if m.typ is SheetTypeEnum.WorkSheet]
        if not sheets:
            raise ValidationError(f"文件“{path.name}”中没有工作表", field="Excel文件")
        return [[cell_text(c) for c in row] for row in wb.get_sheet_by_name(sheets[0].name).to_python()]
    except (CalamineError, ValueError) as exc:
        raise ValidationError(f"文件“{path.name}”已损坏，无法读取，请用Excel打开检查后另存", field="Excel文件") from exc
    finally:
        wb.close()


def read_list_text(path: Path) -> str:
    """The first sheet of a workbook as lines, its cells joined by tabs, for a list pasted in (乡镇和村, 承办单位).

    A header row ("乡镇", "村", "单位名称"…) and a leading 序号 column are left out; what is left
    goes into the text box for the clerk to look over before saving.
    """
    rows = [row for row in read_rows(path) if any(row)]
    if rows and any(c.replace(" ", "") in LIST_HEADERS for c in rows[0]):
        rows = rows[1:]
    if rows and all(row[0].isdigit() for row in rows):
        rows = [row[1:] for row in rows]
    # a 乡镇 written once over its 村 (a merged cell, or left blank below) holds for the rows under it
    above = ""
    for row in rows:
        if row and not row[0] and len(row) > 1:
            row[0] = above
        above = row[0] if row else above
    return "\n".join("\t".join(c for c in row if c) for row in rows if any(row))
