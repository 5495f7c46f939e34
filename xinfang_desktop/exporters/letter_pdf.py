"""Render LetterContent to PDF bytes after GB/T 9704-2012: the pages letter_layout lays out, drawn with reportlab."""

from __future__ import annotations

import io
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from pypdf import PdfReader, PdfWriter
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen.canvas import Canvas

from xinfang_desktop.domain.letters import LetterContent
from xinfang_desktop.exporters.fonts import FontSet, Role, load_fonts
from xinfang_desktop.exporters.letter_layout import (
    ASCENT,
    BODY_BOTTOM,
    BODY_LEFT,
    BODY_RIGHT,
    BODY_SIZE,
    BODY_TOP,
    BODY_W,
    CELL,
    CELL_PAD,
    CREATOR,
    LABEL_W,
    LETTERHEAD_GAP,
    LETTERHEAD_SIZE,
    LETTERHEAD_TOP,
    PAGE_H,
    PAGE_NUMBER_GAP,
    PAGE_NUMBER_SIZE,
    PAGE_W,
    RED,
    ROW,
    RULE_BOTTOM,
    RULE_LENGTH,
    RULE_SPACE,
    RULE_THICK,
    RULE_THIN,
    RULE_WIDTH,
    TABLE_LEADING,
    TABLE_PAD_X,
    TABLE_PAD_Y,
    Line,
    Measure,
    layout,
    paginate,
)


def _draw_cells(canvas: Canvas, fonts: FontSet, line: Line, top: float, first: bool, last: bool) -> None:
    """One grid row of a form: both cells' text and the rules around them."""
    assert line.cells is not None
    baseline = top - (ROW - line.size) / 2 - line.size * ASCENT
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


def _draw_grid(canvas: Canvas, fonts: FontSet, m: Measure, line: Line, top: float) -> None:
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
            baseline = first_top - k * TABLE_LEADING - (TABLE_LEADING - line.size) / 2 - line.size * ASCENT
            if c in line.centred or line.header is None:  # the header row is centred throughout
                x = left + (right - left - m.width(piece, line.role, line.size, 0.0)) / 2
            else:
                x = left + TABLE_PAD_X
            text = canvas.beginText(x, baseline)
            for font, run in fonts.runs(piece, line.role):
                text.setFont(font, line.size)
                text.textOut(run)
            canvas.drawText(text)


def _draw_line(canvas: Canvas, fonts: FontSet, m: Measure, line: Line, top: float, first: bool,
               last: bool) -> None:
    if line.grid is not None:
        _draw_grid(canvas, fonts, m, line, top)
        return
    if line.cells is not None:
        _draw_cells(canvas, fonts, line, top, first, last)
        return
    if line.blank or not line.text:
        return
    baseline = top - (ROW - line.size) / 2 - line.size * ASCENT
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


def _draw_page_number(canvas: Canvas, fonts: FontSet, m: Measure, page: int) -> None:
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


def _draw_letterhead(canvas: Canvas, fonts: FontSet, m: Measure, text: str) -> None:
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
    text_object.setTextOrigin((PAGE_W - width) / 2, PAGE_H - LETTERHEAD_TOP - LETTERHEAD_SIZE * ASCENT)
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


def _draw_letter(canvas: Canvas, fonts: FontSet, m: Measure, content: LetterContent) -> int:
    """Draw one letter on new pages; returns how many."""
    lines, sign = layout(m, content)
    offset = 0
    if content.letterhead:
        rule_bottom = _letterhead_rule_y() - (RULE_THICK + RULE_THIN + RULE_SPACE)
        offset = max(0, math.ceil((BODY_TOP - rule_bottom) / ROW))
    pages = paginate(lines, sign, offset)
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
    m = Measure(fonts, {})
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
