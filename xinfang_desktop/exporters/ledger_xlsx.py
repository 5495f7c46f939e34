"""Write the 台账 workbook: canonical headers, merged title, print-ready, streamed in openpyxl write-only mode."""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterable
from datetime import date
from pathlib import Path
from typing import Any

from lxml import etree  # type: ignore[import-untyped]
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter
from openpyxl.utils.datetime import to_excel
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet

from xinfang_desktop.domain.errors import StorageError
from xinfang_desktop.domain.idcard import mask_id_number
from xinfang_desktop.domain.ledger import COLUMNS, DATE_FIELDS, FLAG_FIELDS, LedgerRow
from xinfang_desktop.domain.privacy import mask_ids_in_text

# openpyxl refuses these in a cell, and an exception inside append() loses the whole sheet
# what XML 1.0 cannot hold: control characters, lone surrogates, and the two non-characters U+FFFE, U+FFFF
_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_ID_SPLIT = re.compile(r"([、，,；;\s]+)")

_THIN = Side(style="thin", color="000000")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_TITLE_FONT = Font(name="黑体", size=16, bold=True)
_HEADER_FONT = Font(name="黑体", size=10, bold=True)
_BODY_FONT = Font(name="宋体", size=10)
_CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
_WRAP = Alignment(vertical="center", wrap_text=True)
DATE_FORMAT = "yyyy-mm-dd"
HEADER_ROW = 2  # the title is row 1
BLOCK = 200  # body rows parsed and written together; the cancel is asked and progress told between blocks


class Cancelled(Exception):
    """The clerk cancelled the export; the partial file has been removed."""


def clean_text(value: str) -> str:
    return _ILLEGAL.sub("", value)


def print_ready(ws: Any, *, header_rows: int, landscape: bool, margins: tuple[float, float]) -> None:
    """A4, one page wide, centred, the title and header rows repeated and frozen, "第 N 页" below.

    `ws` is a normal or a write-only worksheet (the ledger is written in write-only mode).
    """
    ws.page_setup.paperSize = Worksheet.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = margins[0]
    ws.page_margins.top = ws.page_margins.bottom = margins[1]
    ws.print_title_rows = f"1:{header_rows}"
    ws.freeze_panes = f"A{header_rows + 1}"
    ws.oddFooter.center.text = "第 &P 页，共 &N 页"
    ws.evenFooter.center.text = "第 &P 页，共 &N 页"


def part_path(path: Path) -> Path:
    """Where a workbook is written before it is renamed into place: no half-written file under its name."""
    return path.with_name(f".{path.stem}.part.xlsx")


def free_path(target: Path) -> Path:
    """`target`, or the next name beside it that no file has (名称(2).xlsx, (3)…): an earlier file is kept."""
    candidate, n = target, 1
    while candidate.exists() or part_path(candidate).exists():
        n += 1
        candidate = target.with_name(f"{target.stem}({n}){target.suffix}")
    return candidate


def write_failed(path: Path, exc: OSError, what: str = "") -> StorageError:
    """The clerk's message for a workbook that could not be written: most often, Excel or WPS has it open."""
    if isinstance(exc, PermissionError):
        return StorageError(f"无法写入{what}“{path.name}”：文件可能正在Excel或WPS中打开，请关闭后重试")
    return StorageError(f"无法写入{what}“{path}”（{exc.strerror}），请换一个保存位置")


def save_workbook(wb: Workbook, path: Path, what: str = "") -> None:
    """Save beside `path` and rename into place; on failure leave nothing and raise StorageError."""
    tmp = part_path(path)
    try:
        wb.save(tmp)
        os.replace(tmp, path)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise write_failed(path, exc, what) from exc


# the columns that hold one entry per petitioner, joined with "、"
LIST_FIELDS = frozenset({"id_numbers", "phones", "addresses"})


def mask_ids(text: str) -> str:
    """Mask each number in a "、"-joined list of ID numbers, keeping the separators."""
    return "".join(part if _ID_SPLIT.fullmatch(part) or not part else mask_id_number(part) for part in _ID_SPLIT.split(text))


def ledger_title(office_name: str, period: str) -> str:
    """The title row: 机关名称 + 年份 + 信访工作台账, e.g. 青石县城关镇人民政府2026年信访工作台账."""
    return f"{office_name}{period}信访工作台账"


class _Styles:
    """One style per look of a body cell, registered with the workbook once; its id is what a cell names."""

    def __init__(self, ws: Worksheet) -> None:
        self.ws = ws
        self.wrap = self._style(_BODY_FONT, _WRAP)
        self.center = self._style(_BODY_FONT, _CENTER)
        self.date = self._style(_BODY_FONT, _CENTER, DATE_FORMAT)

    def _style(self, font: Font, alignment: Alignment, number_format: str | None = None) -> int:
        cell = WriteOnlyCell(self.ws, value=None)
        cell.font, cell.border, cell.alignment = font, _BORDER, alignment
        if number_format:
            cell.number_format = number_format
        return int(cell.style_id)


def _text(name: str, value: object, full_id: bool) -> str:
    text = clean_text(str(value or ""))[:32767]  # Excel's limit for one cell
    if name in LIST_FIELDS:
        # one entry per petitioner, in their order: the import pairs them by position, so an empty one
        # between two stays, but trailing ones (an 8-person visit with one ID: "…1232、、、、、、、") go
        text = text.rstrip("、")
    if name == "id_numbers" and not full_id:
        return mask_ids(text)
    if not full_id:
        return mask_ids_in_text(text)  # an ID typed into 备注 or the content is masked there too
    return text


# The body rows are built here as the very XML openpyxl's writer makes of a styled cell: <c r s t> with
# <is><t> for text (xml:space when it has outer spaces; inline text, so "=同上" is never a formula) and
# <v> for a number or a day's serial; lxml parses them a block at a time and openpyxl's writer writes
# the elements. Its own per-cell path costs 1.9 s of lxml calls for the 300,000 cells of 10,000
# matters, styles resolved beforehand (its et writer is slower still); text, parse and write take
# 0.25 + 0.6 + 0.3 s. The parse is the guard too: a slip in this text raises, never reaching a file.
_DATE, _NUMBER, _FLAG, _TEXT = range(4)
_ESCAPE = re.compile(r"[&<>\r]")
_ENTITIES = {"&": "&amp;", "<": "&lt;", ">": "&gt;", "\r": "&#13;"}  # a parser reads a bare \r as \n
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, collect_ids=False)


def _escape(text: str) -> str:
    return _ESCAPE.sub(lambda m: _ENTITIES[m.group()], text) if _ESCAPE.search(text) else text


class _RowXml:
    """The body rows as the XML openpyxl writes for styled cells, built as text.

    Most columns repeat a few values (信访形式, 状态, a day): each column keeps what it made of a
    value, so a repeated one is looked up rather than cleaned, masked and escaped again.
    """

    # values remembered per column, and only short ones: the repeated ones are short and come early, and
    # memory stays under 20 MB however long the free texts (a 反映问题 may be 32,767 characters)
    MEMO, MEMO_LENGTH = 1024, 256

    def __init__(self, styles: _Styles, full_id: bool) -> None:
        self.full_id = full_id
        # (field, kind, "<c r=\"A", "\" s=\"3\" t=", what the column made of each value so far)
        self.columns: list[tuple[str, int, str, str, dict[object, str]]] = []
        for index, (name, _, _) in enumerate(COLUMNS, 1):
            if name in DATE_FIELDS:
                kind, style = _DATE, styles.date
            elif name == "persons":
                kind, style = _NUMBER, styles.center
            elif name in FLAG_FIELDS:
                kind, style = _FLAG, styles.center
            else:
                kind = _TEXT
                style = styles.center if name in ("channel", "skip_level", "satisfaction", "status") else styles.wrap
            self.columns.append((name, kind, f'<c r="{get_column_letter(index)}', f'" s="{style}" t=', {}))

    def _body(self, name: str, kind: int, value: object) -> str:
        """The cell after its reference: its style, type and value."""
        if kind == _TEXT:
            text = _text(name, value, self.full_id)
            if not text:
                return '"inlineStr"/>'
            space = ' xml:space="preserve"' if text != text.strip() else ""
            return f'"inlineStr"><is><t{space}>{_escape(text)}</t></is></c>'
        if kind == _FLAG:
            return '"inlineStr"><is><t>是</t></is></c>' if value else '"inlineStr"/>'
        if kind == _NUMBER:
            return f'"n"><v>{int(value):.16g}</v></c>'  # type: ignore[call-overload]
        if isinstance(value, date):
            return f'"n"><v>{to_excel(value):.16g}</v></c>'
        return '"n"/>'

    def __call__(self, row: LedgerRow, r: int) -> str:
        parts = [f'<row r="{r}">']
        for name, kind, ref, style, memo in self.columns:
            value = getattr(row, name)
            body = memo.get(value)
            if body is None:
                body = style + self._body(name, kind, value)
                if len(memo) < self.MEMO and len(body) <= self.MEMO_LENGTH:
                    memo[value] = body
            parts.append(f"{ref}{r}{body}")
        parts.append("</row>")
        return "".join(parts)


def _rows_as_elements(ws: Worksheet) -> None:
    """Make append() take a block of ready <row> elements and write them as they are."""
    ws._values_to_row = lambda rows, row_idx: rows
    ws._writer.write_row = lambda xf, rows, row_idx: xf.write(*rows)


def _block(rows: list[str]) -> list[Any]:
    """Rendered rows as <row> elements."""
    return list(etree.fromstring(f"<sheetData>{''.join(rows)}</sheetData>", _PARSER))


def _abandon(ws: Worksheet, tmp: Path) -> None:
    """Leave nothing behind: end the sheet's stream (else its writer complains when collected), drop the file."""
    try:
        ws.close()
    except Exception:  # noqa: BLE001 - the original error is the one to report
        pass
    tmp.unlink(missing_ok=True)


def write_ledger(
    path: Path,
    rows: Iterable[LedgerRow],
    *,
    title: str,
    sheet_name: str = "台账",
    full_id: bool = False,
    progress: Callable[[int], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> int:
    """Stream `rows` into a new ledger workbook at `path`; returns how many were written.

    The file appears only when complete: it is written beside the target and renamed,
    so a cancelled or failed export leaves no half-written ledger.
    """
    path = Path(path)
    tmp = part_path(path)
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(clean_text(sheet_name)[:31] or "台账")
    last = get_column_letter(len(COLUMNS))
    # widths must be set before the first row in write-only mode
    for index, (_, _, width) in enumerate(COLUMNS, 1):
        ws.column_dimensions[get_column_letter(index)].width = width
    print_ready(ws, header_rows=HEADER_ROW, landscape=True, margins=(0.4, 0.6))
    ws.merged_cells.add(f"A1:{last}1")

    title_cell = WriteOnlyCell(ws, value=clean_text(title))
    title_cell.data_type = "s"
    title_cell.font, title_cell.alignment = _TITLE_FONT, Alignment(horizontal="center", vertical="center")
    ws.row_dimensions[1].height = 30
    ws.append([title_cell])
    header_cells = []
    for _, header, _ in COLUMNS:
        cell = WriteOnlyCell(ws, value=header)
        cell.font, cell.border, cell.alignment = _HEADER_FONT, _BORDER, _CENTER
        header_cells.append(cell)
    ws.append(header_cells)

    render = _RowXml(_Styles(ws), full_id)
    _rows_as_elements(ws)  # only our own blocks of rows from here on
    written = 0
    block: list[str] = []
    try:
        for row in rows:
            if not block and cancelled is not None and cancelled():
                raise Cancelled()
            block.append(render(row, HEADER_ROW + 1 + written))
            written += 1
            if len(block) == BLOCK:
                ws.append(_block(block))
                block = []
                if progress is not None:
                    progress(written)
        if block:
            ws.append(_block(block))
        if written:
            ws.auto_filter.ref = f"A{HEADER_ROW}:{last}{HEADER_ROW + written}"
        wb.save(tmp)
        os.replace(tmp, path)
    except BaseException as exc:
        _abandon(ws, tmp)
        if isinstance(exc, OSError):
            raise write_failed(path, exc) from exc
        raise
    if progress is not None:
        progress(written)
    return written
