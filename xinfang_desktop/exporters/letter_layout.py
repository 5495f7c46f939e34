"""The letter page after GB/T 9704-2012 (A4, 版心 156 × 225 mm, 22 lines of 28 characters, the 信函格式's
letterhead and rules) and the text of a letter laid out on its grid: lines with 禁则, forms, tables, pages."""

from __future__ import annotations

from dataclasses import dataclass, replace

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics

from xinfang_desktop.domain.letters import CELL_SEPARATOR, TABLE_ROW, LetterContent, Table
from xinfang_desktop.exporters.fonts import FontSet, Role

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
_NUMBER = set("0123456789０１２３４５６７８９.．%％")  # 150.0% is one word: never "150." at a line's end and "0%" below
_DATE_UNIT = set("年月日")  # and a date's figure keeps its unit: never "11月30" at a line's end and "日" below
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
ASCENT = 0.86  # of the em: where the baseline sits so a CJK glyph is centred in its grid row


@dataclass(frozen=True)
class Line:
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
    header: Line | None = None
    # a heading's line: never the last on a page, it goes over with the paragraph it heads
    keep_next: bool = False


@dataclass
class Measure:
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
                    latin = latin or (prev in _NUMBER and (nxt in _NUMBER or nxt in _DATE_UNIT))
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


def _body_lines(m: Measure, text: str, role: Role, *, indent_chars: int, justify: bool) -> list[Line]:
    """A paragraph on the grid: first line indented, full lines justified to the 版心's width."""
    indent = indent_chars * CELL
    pieces = m.wrap(text, role, BODY_SIZE, BODY_CHAR_SPACE, BODY_W - indent, BODY_W)
    lines = []
    for n, piece in enumerate(pieces):
        left = indent if n == 0 else 0.0
        last = n == len(pieces) - 1
        width = BODY_W - left if justify and not last else 0.0
        lines.append(Line(piece, role, BODY_SIZE, "left", left, BODY_CHAR_SPACE, width))
    return lines


def _table_lines(m: Measure, text: str) -> list[Line]:
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
        lines.append(Line("".join(cells) or " ", Role.BODY, BODY_SIZE, "left", char_space=BODY_CHAR_SPACE,
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


def _grid_lines(m: Measure, table: Table) -> list[Line]:
    """A Table: the header and one Line per row, as high as its most-wrapped cell."""
    columns = len(table.header)
    rows = [tuple(table.header)] + [tuple(r) + ("",) * (columns - len(r)) for r in table.rows]
    roles = [Role.HEADING1] + [Role.BODY] * len(table.rows)
    natural = [max(m.width(row[c], role, TABLE_SIZE, 0.0) for row, role in zip(rows, roles, strict=True))
               + 2 * TABLE_PAD_X for c in range(columns)]
    widths = _column_widths(natural)
    edges = [BODY_LEFT]
    for w in widths:
        edges.append(edges[-1] + w)
    lines: list[Line] = []
    header: Line | None = None
    for row, role in zip(rows, roles, strict=True):
        grid = tuple(tuple(m.wrap(cell, role, TABLE_SIZE, 0.0, w - 2 * TABLE_PAD_X, w - 2 * TABLE_PAD_X))
                     for cell, w in zip(row, widths, strict=True))
        height = max(len(g) for g in grid) * TABLE_LEADING + 2 * TABLE_PAD_Y
        line = Line(" ".join(row), role, TABLE_SIZE, "left", height=height, grid=grid, edges=tuple(edges),
                     centred=table.centred, header=header)
        if header is None:
            header = line
        lines.append(line)
    return lines


def _role_of(level: int) -> Role:
    return {1: Role.HEADING1, 2: Role.HEADING2}.get(level, Role.BODY)


def layout(m: Measure, content: LetterContent) -> tuple[list[Line], list[Line]]:
    """The lines of the letter and, apart, its signature block (kept together on one page)."""
    lines: list[Line] = []
    blank = Line("", Role.BODY, BODY_SIZE, "left", blank=True)
    if content.letterhead and content.number:
        # 信函格式: the number flush with the 版心's right edge under the rule, the title two lines below
        lines.extend([Line(content.number, Role.BODY, BODY_SIZE, "right", char_space=BODY_CHAR_SPACE), blank, blank])
    for piece in m.wrap(content.title, Role.TITLE, TITLE_SIZE, 0.0, BODY_W, BODY_W):
        lines.append(Line(piece, Role.TITLE, TITLE_SIZE, "center"))
    if content.number and not content.letterhead:
        lines.append(Line(content.number, Role.BODY, BODY_SIZE, "center", char_space=BODY_CHAR_SPACE))
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
    sign: list[Line] = []
    if content.signature or content.date:
        sign.extend(Line("", Role.BODY, BODY_SIZE, "left", blank=True) for _ in range(SEAL_GAP_ROWS))
        date_width = m.width(content.date, Role.BODY, BODY_SIZE, BODY_CHAR_SPACE)
        date_right = DATE_RIGHT_INDENT * CELL
        centre = BODY_RIGHT - date_right - date_width / 2
        if content.signature:
            sign.append(Line(content.signature, Role.BODY, BODY_SIZE, "at", centre, BODY_CHAR_SPACE))
        if content.date:
            sign.append(Line(content.date, Role.BODY, BODY_SIZE, "right", date_right, BODY_CHAR_SPACE))
    return lines, sign


def _height(lines: list[Line]) -> float:
    return sum(line.height for line in lines)


def _fits(lines: list[Line], more: float) -> bool:
    return bool(_height(lines) + more <= BODY_H + 0.01)


def _headings_at_foot(page: list[Line]) -> list[Line]:
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


def paginate(lines: list[Line], sign: list[Line], first_page_offset: int = 0) -> list[list[Line]]:
    """Fill pages of 22 rows (a table's rows have their own height); the signature block never stands alone
    on a page (GB/T 9704 7.3.5.4), a heading never ends one (it goes over with its paragraph), and a table
    carried onto a new page repeats its header there.

    first_page_offset: grid rows on page 1 taken by a letterhead.
    """
    skipped = Line("", Role.BODY, BODY_SIZE, "left", blank=True)
    pages: list[list[Line]] = [[skipped] * first_page_offset]
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
