"""Render LetterContent to PDF bytes after GB/T 9704-2012: A4, 版心 156 × 225 mm, 22 lines of 28 characters."""

from __future__ import annotations

import io
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

from pypdf import PdfReader, PdfWriter
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen.canvas import Canvas

from xinfang_desktop.domain.letters import CELL_SEPARATOR, TABLE_ROW, LetterContent, Table
from xinfang_desktop.exporters.fonts import FontSet, Role, load_fonts

PAGE_W, PAGE_H = A4
TOP_MARGIN = 37 * mm  # 天头
LEFT_MARGIN = 28 * mm  # 订口
BODY_W = 156 * mm
BODY_H = 225 * mm
LINES = 22
CHARS = 28
BODY_SIZE = 16.0  # 3号
TITLE_SIZE = 22.0  # 2号
PAGE_NUMBER_SIZE = 14.0  # 4号
ROW = BODY_H / LINES  # 28.99 pt: the line grid
CELL = BODY_W / CHARS  # 15.79 pt: a 16 pt character on the 28-a-line grid
BODY_CHAR_SPACE = CELL - BODY_SIZE  # slightly negative: 28 characters exactly fill 156 mm
BODY_LEFT = LEFT_MARGIN
BODY_RIGHT = LEFT_MARGIN + BODY_W
BODY_TOP = PAGE_H - TOP_MARGIN
BODY_BOTTOM = BODY_TOP - BODY_H
PAGE_NUMBER_GAP = 7 * mm  # the page number's top sits 7 mm below the 版心
SEAL_GAP_ROWS = 2  # blank rows between the text and the signature: the seal's top stays within one line of the text
DATE_RIGHT_INDENT = 4  # the date ends four characters left of the 版心's right edge

# a line may not start with closing punctuation nor end with opening punctuation (禁则)
_NO_START = set("，。、；：？！）》」』”’…—％,.;:?!)]}%〕")
_NO_END = set("（《「『“‘([{〔")
# 信函格式: letterhead 30 mm from the top, a red double line 4 mm below it and one 20 mm above the
# bottom edge, both 170 mm long and centred
LETTERHEAD_TOP = 30 * mm
LETTERHEAD_SIZE = 26.0  # 一号; the standard only says 红色小标宋
LETTERHEAD_GAP = 4 * mm
RULE_LENGTH = 170 * mm
RULE_BOTTOM = 20 * mm
RULE_THICK, RULE_THIN, RULE_SPACE = 1.5, 0.5, 1.5
RED = (0.85, 0.0, 0.0)
CREATOR = "信访台账"
# forms (送达回证): a label column of seven characters and half a character of padding in each cell
LABEL_W = 7 * CELL + CELL
CELL_PAD = CELL / 2
RULE_WIDTH = 0.75
# tables of several columns (Table): 4号, on rows of their own height rather than the 22-line grid, so that
# a month's sixteen figures with 环比 and 同比 take one line each instead of wrapping over two grid rows
TABLE_SIZE = 14.0
TABLE_LEADING = 20.0
TABLE_PAD_X = 5.0
TABLE_PAD_Y = 2.0
_ASCENT = 0.86  # of the em: where the baseline sits so a CJK glyph is centred in its grid row


@dataclass(frozen=True)
class _Line:
    text: str
    role: Role
    size: float
    align: str  # "left", "center", "right", "at"
    indent: float = 0.0  # left indent, or for "right" the distance from the right edge, for "at" the centre x
    char_space: float = 0.0
    justify_width: float = 0.0  # >0: spread the characters to fill exactly this width
    blank: bool = False
    # one grid row of a form: the label's and the value's text on it, and which rules close it
    cells: tuple[str, str] | None = None
    rule_top: bool = False
    rule_bottom: bool = False
    height: float = ROW
    # one row of a Table: each column's wrapped lines, the columns' x edges (n + 1), which are centred, and the
    # header row to repeat when the table runs onto a new page
    grid: tuple[tuple[str, ...], ...] | None = None
    edges: tuple[float, ...] = ()
    centred: frozenset[int] = frozenset()
    header: _Line | None = None
    # a heading's line: never the last on a page, it goes over with the paragraph it heads
    keep_next: bool = False


@dataclass
class _Measure:
    fonts: FontSet
    _widths: dict[tuple[str, float], dict[str, float]]

    def width(self, text: str, role: Role, size: float, char_space: float) -> float:
        total = 0.0
        for font, run in self.fonts.runs(text, role):
            cache = self._widths.setdefault((font, size), {})
            for ch in run:
                w = cache.get(ch)
                if w is None:
                    w = cache[ch] = pdfmetrics.stringWidth(ch, font, size)
                total += w + char_space
        return total

    def wrap(self, text: str, role: Role, size: float, char_space: float, first: float, rest: float) -> list[str]:
        """Greedy line breaking with 禁则 and without splitting a run of Latin letters or digits."""
        lines: list[str] = []
        start = 0
        limit = first
        while start < len(text):
            used = 0.0
            i = start
            while i < len(text):
                w = self.width(text[i], role, size, char_space)
                if used + w > limit + 0.01 and i > start:
                    break
                used += w
                i += 1
            if i < len(text):
                j = i
                for _ in range(6):
                    prev, nxt = text[j - 1], text[j]
                    latin = prev.isascii() and prev.isalnum() and nxt.isascii() and nxt.isalnum()
                    if nxt in _NO_START or prev in _NO_END or latin:
                        if j - 1 <= start:
                            break
                        j -= 1
                    else:
                        i = j
                        break
            lines.append(text[start:i])
            start = i
            limit = rest
        return lines or [""]


def _body_lines(m: _Measure, text: str, role: Role, *, indent_chars: int, justify: bool) -> list[_Line]:
    """A paragraph on the grid: first line indented, full lines justified to the 版心's width."""
    indent = indent_chars * CELL
    pieces = m.wrap(text, role, BODY_SIZE, BODY_CHAR_SPACE, BODY_W - indent, BODY_W)
    lines = []
    for n, piece in enumerate(pieces):
        left = indent if n == 0 else 0.0
        last = n == len(pieces) - 1
        width = BODY_W - left if justify and not last else 0.0
        lines.append(_Line(piece, role, BODY_SIZE, "left", left, BODY_CHAR_SPACE, width))
    return lines


def _table_lines(m: _Measure, text: str) -> list[_Line]:
    """A form row over as many grid rows as its longer cell needs; an empty value leaves two rows to sign in."""
    label, _, value = text.partition(CELL_SEPARATOR)
    # ideographic spaces are kept: they hold room to write in (　　年　　月　　日)
    label, value = label.strip(" \t"), value.strip(" \t")
    inner_label = LABEL_W - 2 * CELL_PAD
    inner_value = BODY_W - LABEL_W - 2 * CELL_PAD
    labels = m.wrap(label, Role.BODY, BODY_SIZE, BODY_CHAR_SPACE, inner_label, inner_label)
    values = m.wrap(value, Role.BODY, BODY_SIZE, BODY_CHAR_SPACE, inner_value, inner_value) if value else ["", ""]
    height = max(len(labels), len(values))
    lines = []
    for i in range(height):
        cells = (labels[i] if i < len(labels) else "", values[i] if i < len(values) else "")
        lines.append(_Line("".join(cells) or " ", Role.BODY, BODY_SIZE, "left", char_space=BODY_CHAR_SPACE,
                           cells=cells, rule_top=i == 0, rule_bottom=i == height - 1))
    return lines


def _column_widths(natural: list[float]) -> list[float]:
    """Share the 版心's width: a column narrower than its fair share keeps its natural width, the wide ones
    (titles, names) share what is left and wrap; room to spare goes to every column alike."""
    widths = [0.0] * len(natural)
    left, room = sorted(range(len(natural)), key=lambda i: natural[i]), BODY_W
    for n, i in enumerate(left):
        fair = room / (len(left) - n)
        widths[i] = min(natural[i], fair)
        room -= widths[i]
    return [w + room / len(widths) for w in widths]


def _grid_lines(m: _Measure, table: Table) -> list[_Line]:
    """A Table: the header and one _Line per row, as high as its most-wrapped cell."""
    columns = len(table.header)
    rows = [tuple(table.header)] + [tuple(r) + ("",) * (columns - len(r)) for r in table.rows]
    roles = [Role.HEADING1] + [Role.BODY] * len(table.rows)
    natural = [max(m.width(row[c], role, TABLE_SIZE, 0.0) for row, role in zip(rows, roles, strict=True))
               + 2 * TABLE_PAD_X for c in range(columns)]
    widths = _column_widths(natural)
    edges = [BODY_LEFT]
    for w in widths:
        edges.append(edges[-1] + w)
    lines: list[_Line] = []
    header: _Line | None = None
    for row, role in zip(rows, roles, strict=True):
        grid = tuple(tuple(m.wrap(cell, role, TABLE_SIZE, 0.0, w - 2 * TABLE_PAD_X, w - 2 * TABLE_PAD_X))
                     for cell, w in zip(row, widths, strict=True))
        height = max(len(g) for g in grid) * TABLE_LEADING + 2 * TABLE_PAD_Y
        line = _Line(" ".join(row), role, TABLE_SIZE, "left", height=height, grid=grid, edges=tuple(edges),
                     centred=table.centred, header=header)
        if header is None:
            header = line
        lines.append(line)
    return lines


def _role_of(level: int) -> Role:
    return {1: Role.HEADING1, 2: Role.HEADING2}.get(level, Role.BODY)


def _layout(m: _Measure, content: LetterContent) -> tuple[list[_Line], list[_Line]]:
    """The lines of the letter and, apart, its signature block (kept together on one page)."""
    lines: list[_Line] = []
    blank = _Line("", Role.BODY, BODY_SIZE, "left", blank=True)
    if content.letterhead and content.number:
        # 信函格式: the number flush with the 版心's right edge under the rule, the title two lines below
        lines.extend([_Line(content.number, Role.BODY, BODY_SIZE, "right", char_space=BODY_CHAR_SPACE), blank, blank])
    for piece in m.wrap(content.title, Role.TITLE, TITLE_SIZE, 0.0, BODY_W, BODY_W):
        lines.append(_Line(piece, Role.TITLE, TITLE_SIZE, "center"))
    if content.number and not content.letterhead:
        lines.append(_Line(content.number, Role.BODY, BODY_SIZE, "center", char_space=BODY_CHAR_SPACE))
    lines.append(blank)
    if content.addressee:
        lines.extend(_body_lines(m, content.addressee, Role.BODY, indent_chars=0, justify=True))
    for paragraph in content.paragraphs:
        if isinstance(paragraph, Table):
            lines.extend(_grid_lines(m, paragraph))
        elif paragraph.level == TABLE_ROW:
            lines.extend(_table_lines(m, paragraph.text))
        else:
            body = _body_lines(m, paragraph.text, _role_of(paragraph.level), indent_chars=2, justify=True)
            if paragraph.level in (1, 2):
                body = [replace(line, keep_next=True) for line in body]
            lines.extend(body)
    sign: list[_Line] = []
    if content.signature or content.date:
        sign.extend(_Line("", Role.BODY, BODY_SIZE, "left", blank=True) for _ in range(SEAL_GAP_ROWS))
        date_width = m.width(content.date, Role.BODY, BODY_SIZE, BODY_CHAR_SPACE)
        date_right = DATE_RIGHT_INDENT * CELL
        centre = BODY_RIGHT - date_right - date_width / 2
        if content.signature:
            sign.append(_Line(content.signature, Role.BODY, BODY_SIZE, "at", centre, BODY_CHAR_SPACE))
        if content.date:
            sign.append(_Line(content.date, Role.BODY, BODY_SIZE, "right", date_right, BODY_CHAR_SPACE))
    return lines, sign


def _height(lines: list[_Line]) -> float:
    return sum(line.height for line in lines)


def _fits(lines: list[_Line], more: float) -> bool:
    return bool(_height(lines) + more <= BODY_H + 0.01)


def _headings_at_foot(page: list[_Line]) -> list[_Line]:
    """The heading lines ending a page, taken off it to go over with their paragraph (all of a page of
    headings only stays: there is nothing better to do with it)."""
    n = len(page)
    while n and page[n - 1].keep_next:
        n -= 1
    if n == 0 or not any(not line.blank for line in page[:n]):
        return []
    held = page[n:]
    del page[n:]
    return held


def _paginate(lines: list[_Line], sign: list[_Line], first_page_offset: int = 0) -> list[list[_Line]]:
    """Fill pages of 22 rows (a table's rows have their own height); the signature block never stands alone
    on a page (GB/T 9704 7.3.5.4), a heading never ends one (it goes over with its paragraph), and a table
    carried onto a new page repeats its header there.

    first_page_offset: grid rows on page 1 taken by a letterhead.
    """
    skipped = _Line("", Role.BODY, BODY_SIZE, "left", blank=True)
    pages: list[list[_Line]] = [[skipped] * first_page_offset]
    for line in lines:
        if not _fits(pages[-1], line.height):
            held = _headings_at_foot(pages[-1])
            pages.append(held + ([line.header] if line.header is not None else []))
        if line.blank and not pages[-1]:
            continue  # no blank row at the top of a page
        pages[-1].append(line)
    if sign:
        last = pages[-1]
        if not _fits(last, _height(sign)):
            # carry the last two text lines over so the seal presses text, not an empty page
            carry = last[-2:]
            del last[-len(carry):]
            carry[:0] = _headings_at_foot(last)
            header = carry[0].header
            if header is not None and last and last[-1] is header:
                carry.insert(0, last.pop())  # nor a table's header left alone at the foot of a page
            elif header is not None and header not in carry:
                carry.insert(0, header)
            pages.append([line for line in carry if not line.blank])
        pages[-1].extend(sign)
    return pages


def _draw_cells(canvas: Canvas, fonts: FontSet, line: _Line, top: float, first: bool, last: bool) -> None:
    """One grid row of a form: both cells' text and the rules around them."""
    assert line.cells is not None
    baseline = top - (ROW - line.size) / 2 - line.size * _ASCENT
    for x, cell in ((BODY_LEFT + CELL_PAD, line.cells[0]), (BODY_LEFT + LABEL_W + CELL_PAD, line.cells[1])):
        if cell:
            text = canvas.beginText(x, baseline)
            text.setCharSpace(line.char_space)
            for font, run in fonts.runs(cell, line.role):
                text.setFont(font, line.size)
                text.textOut(run)
            canvas.drawText(text)
    canvas.saveState()
    canvas.setLineWidth(RULE_WIDTH)
    for x in (BODY_LEFT, BODY_LEFT + LABEL_W, BODY_RIGHT):
        canvas.line(x, top, x, top - ROW)
    # a row split by a page break is closed at the page's edge
    if line.rule_top or first:
        canvas.line(BODY_LEFT, top, BODY_RIGHT, top)
    if line.rule_bottom or last:
        canvas.line(BODY_LEFT, top - ROW, BODY_RIGHT, top - ROW)
    canvas.restoreState()


def _draw_grid(canvas: Canvas, fonts: FontSet, m: _Measure, line: _Line, top: float) -> None:
    """One row of a Table: a box around each cell, its lines centred in the row's height."""
    assert line.grid is not None
    edges, bottom = line.edges, top - line.height
    canvas.saveState()
    canvas.setLineWidth(RULE_WIDTH)
    for x in edges:
        canvas.line(x, top, x, bottom)
    canvas.line(edges[0], top, edges[-1], top)
    canvas.line(edges[0], bottom, edges[-1], bottom)
    canvas.restoreState()
    tallest = max(len(cell) for cell in line.grid)
    for c, cell in enumerate(line.grid):
        left, right = edges[c], edges[c + 1]
        first_top = top - TABLE_PAD_Y - (tallest - len(cell)) * TABLE_LEADING / 2
        for k, piece in enumerate(cell):
            if not piece:
                continue
            baseline = first_top - k * TABLE_LEADING - (TABLE_LEADING - line.size) / 2 - line.size * _ASCENT
            if c in line.centred or line.header is None:  # the header row is centred throughout
                x = left + (right - left - m.width(piece, line.role, line.size, 0.0)) / 2
            else:
                x = left + TABLE_PAD_X
            text = canvas.beginText(x, baseline)
            for font, run in fonts.runs(piece, line.role):
                text.setFont(font, line.size)
                text.textOut(run)
            canvas.drawText(text)


def _draw_line(canvas: Canvas, fonts: FontSet, m: _Measure, line: _Line, top: float, first: bool,
               last: bool) -> None:
    if line.grid is not None:
        _draw_grid(canvas, fonts, m, line, top)
        return
    if line.cells is not None:
        _draw_cells(canvas, fonts, line, top, first, last)
        return
    if line.blank or not line.text:
        return
    baseline = top - (ROW - line.size) / 2 - line.size * _ASCENT
    char_space = line.char_space
    width = m.width(line.text, line.role, line.size, char_space)
    if line.justify_width and len(line.text) > 1:
        slack = line.justify_width - width
        # only spread a line that 禁则 shortened by a little, never a short last line
        if 0 < slack < 3 * CELL:
            char_space += slack / (len(line.text) - 1)
            width = line.justify_width
    if line.align == "center":
        x = BODY_LEFT + (BODY_W - width) / 2
    elif line.align == "right":
        x = BODY_RIGHT - line.indent - width
    elif line.align == "at":
        x = line.indent - width / 2
    else:
        x = BODY_LEFT + line.indent
    bold = line.role is Role.TITLE and fonts.fake_bold_title
    canvas.saveState()  # the render mode is graphics state: keep a fake bold from leaking
    text = canvas.beginText(x, baseline)
    if bold:
        text.setTextRenderMode(2)
        canvas.setLineWidth(line.size * 0.03)
    text.setCharSpace(char_space)
    for font, run in fonts.runs(line.text, line.role):
        text.setFont(font, line.size)
        text.textOut(run)
    canvas.drawText(text)
    canvas.restoreState()


def _draw_page_number(canvas: Canvas, fonts: FontSet, m: _Measure, page: int) -> None:
    """“— 1 —” in 4号宋体 7 mm below the 版心: odd pages one character in from the right, even from the left."""
    label = f"— {page} —"
    width = m.width(label, Role.PAGE_NUMBER, PAGE_NUMBER_SIZE, 0.0)
    baseline = BODY_BOTTOM - PAGE_NUMBER_GAP - PAGE_NUMBER_SIZE * 0.72
    if page % 2:
        x = BODY_RIGHT - PAGE_NUMBER_SIZE - width
    else:
        x = BODY_LEFT + PAGE_NUMBER_SIZE
    text = canvas.beginText(x, baseline)
    for font, run in fonts.runs(label, Role.PAGE_NUMBER):
        text.setFont(font, PAGE_NUMBER_SIZE)
        text.textOut(run)
    canvas.drawText(text)


def _letterhead_rule_y() -> float:
    """Where the upper red double line's top sits (points from the bottom)."""
    return float(PAGE_H - LETTERHEAD_TOP - LETTERHEAD_SIZE - LETTERHEAD_GAP)


def _draw_rule(canvas: Canvas, y_top: float, *, thick_first: bool) -> None:
    left = (PAGE_W - RULE_LENGTH) / 2
    widths = (RULE_THICK, RULE_THIN) if thick_first else (RULE_THIN, RULE_THICK)
    y = y_top
    for width in widths:
        canvas.setLineWidth(width)
        canvas.line(left, y - width / 2, left + RULE_LENGTH, y - width / 2)
        y -= width + RULE_SPACE


def _draw_letterhead(canvas: Canvas, fonts: FontSet, m: _Measure, text: str) -> None:
    """信函格式: the office's name in red, centred, its top 30 mm from the page's top; red double lines."""
    canvas.saveState()
    canvas.setFillColorRGB(*RED)
    canvas.setStrokeColorRGB(*RED)
    width = m.width(text, Role.TITLE, LETTERHEAD_SIZE, 0.0)
    if width > RULE_LENGTH:  # a long name is condensed to the rule's length rather than overflow
        text_object = canvas.beginText(0, 0)
        text_object.setHorizScale(100 * RULE_LENGTH / width)
        width = RULE_LENGTH
    else:
        text_object = canvas.beginText(0, 0)
    text_object.setTextOrigin((PAGE_W - width) / 2, PAGE_H - LETTERHEAD_TOP - LETTERHEAD_SIZE * _ASCENT)
    if fonts.fake_bold_title:
        text_object.setTextRenderMode(2)
        canvas.setLineWidth(LETTERHEAD_SIZE * 0.03)
    for font, run in fonts.runs(text, Role.TITLE):
        text_object.setFont(font, LETTERHEAD_SIZE)
        text_object.textOut(run)
    canvas.drawText(text_object)
    _draw_rule(canvas, _letterhead_rule_y(), thick_first=True)
    _draw_rule(canvas, RULE_BOTTOM + RULE_THICK + RULE_THIN + RULE_SPACE, thick_first=False)
    canvas.restoreState()


def _draw_letter(canvas: Canvas, fonts: FontSet, m: _Measure, content: LetterContent) -> int:
    """Draw one letter on new pages; returns how many."""
    lines, sign = _layout(m, content)
    offset = 0
    if content.letterhead:
        rule_bottom = _letterhead_rule_y() - (RULE_THICK + RULE_THIN + RULE_SPACE)
        offset = max(0, math.ceil((BODY_TOP - rule_bottom) / ROW))
    pages = _paginate(lines, sign, offset)
    for number, page in enumerate(pages, start=1):
        if content.letterhead and number == 1:
            _draw_letterhead(canvas, fonts, m, content.letterhead)
        top = BODY_TOP
        for row, line in enumerate(page):
            _draw_line(canvas, fonts, m, line, top, row == 0, row == len(page) - 1)
            top -= line.height
        if not (content.letterhead and number == 1):  # 信函格式: no page number on the first page
            _draw_page_number(canvas, fonts, m, number)
        canvas.showPage()
    return len(pages)


def _title(contents: Sequence[LetterContent]) -> str:
    first = contents[0]
    return f"{first.title} {first.number}".strip() if len(contents) == 1 else f"{first.kind}（{len(contents)}份）"


def _draw(contents: Sequence[LetterContent], fonts: FontSet,
          drawn: Callable[[int], None] | None = None) -> tuple[bytes, list[int]]:
    """All the letters in one PDF, each starting on a new page; and how many pages each took."""
    buffer = io.BytesIO()
    # the initial font would otherwise be an un-embedded Helvetica
    canvas = Canvas(buffer, pagesize=A4, pageCompression=1, initialFontName=fonts.names[Role.BODY],
                    initialFontSize=BODY_SIZE)
    if contents:
        canvas.setTitle(_title(contents))
        canvas.setAuthor(contents[0].signature)
    canvas.setCreator(CREATOR)
    m = _Measure(fonts, {})
    pages = []
    for done, content in enumerate(contents, start=1):
        pages.append(_draw_letter(canvas, fonts, m, content))
        if drawn is not None:
            drawn(done)
    canvas.save()
    return buffer.getvalue(), pages


def render_letters(contents: Sequence[LetterContent], *, fonts: FontSet | None = None) -> bytes:
    """Several letters in one PDF (a batch to print); each starts on a new page and numbers its own pages."""
    return _draw(contents, fonts or load_fonts())[0]


def render_letter(content: LetterContent, *, fonts: FontSet | None = None) -> bytes:
    """One letter as PDF bytes: what is stored when it is issued and printed ever after."""
    return render_letters([content], fonts=fonts)


@dataclass(frozen=True)
class LetterBatch:
    """A batch drawn once: every letter in one PDF to print, and each letter's own PDF to keep."""

    pdf: bytes
    letters: tuple[bytes, ...]


def render_batch(contents: Sequence[LetterContent], *, fonts: FontSet | None = None,
                 drawn: Callable[[int], None] | None = None) -> LetterBatch:
    """Draw the letters once into one PDF, then cut each letter's pages out of it.

    Most of a PDF's cost is its own font subsets (a 催办单 alone: about 16 ms, 65 KB); cutting
    the pages out reuses the one drawing. drawn(n) is called after the n-th letter is drawn
    (an exception raised there stops the batch).
    """
    pdf, pages = _draw(contents, fonts or load_fonts(), drawn)
    reader = PdfReader(io.BytesIO(pdf))
    letters = []
    start = 0
    for content, count in zip(contents, pages, strict=True):
        writer = PdfWriter()
        for page in reader.pages[start:start + count]:
            writer.add_page(page)
        writer.add_metadata({"/Title": _title([content]), "/Author": content.signature, "/Creator": CREATOR})
        out = io.BytesIO()
        writer.write(out)
        letters.append(out.getvalue())
        start += count
    return LetterBatch(pdf, tuple(letters))
