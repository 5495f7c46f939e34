"""The renderer, read back from the PDF: A4, the GB/T 9704 margins and grid, page numbers, fonts, rare characters."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers.pdf import MM, page_sizes, pdf_fonts, pdf_text, pdf_words
from xinfang_desktop.domain.errors import StorageError
from xinfang_desktop.domain.letters import LetterContent, Paragraph
from xinfang_desktop.exporters.fonts import Role, load_fonts
from xinfang_desktop.exporters.letter_layout import CHARS
from xinfang_desktop.exporters.letter_pdf import render_letter, render_letters

RARE = "王䶮𠮷"  # U+4DAE (CJK Ext A) and U+20BB7 (Ext B): in no body font


def _letter(paragraphs: int = 1, name: str = RARE) -> LetterContent:
    body = "经审查，该信访事项属于本机关职权范围，本机关决定予以受理，并将依法按程序办理。" * 3
    return LetterContent(
        kind="受理告知书",
        title="信访事项受理告知书",
        addressee=f"{name}：",
        paragraphs=(Paragraph("一、受理情况", 1), Paragraph("（一）受理依据", 2))
        + tuple(Paragraph(f"{n}.{body}") for n in range(1, paragraphs + 1)),
        signature="青石县城关镇人民政府",
        date="2026年11月22日",
        number="信告〔2026〕12号",
    )


def test_page_is_a4_and_every_font_is_an_embedded_truetype_subset(tmp_path: Path) -> None:
    pdf = render_letter(_letter())
    assert page_sizes(pdf) == [(pytest.approx(595.28, abs=0.01), pytest.approx(841.89, abs=0.01))]
    fonts = pdf_fonts(pdf, tmp_path)
    assert fonts, "no fonts listed"
    for font in fonts:
        assert font.embedded and font.subset and font.unicode, font
        assert "CID" not in font.type or font.embedded
    assert not any(f.name.endswith("Helvetica") for f in fonts)


def test_rare_characters_are_drawn_by_a_font_that_has_them(tmp_path: Path) -> None:
    fonts = load_fonts(system_dir=None)
    runs = fonts.runs(RARE, Role.BODY)
    assert [text for _, text in runs] == ["王", "䶮𠮷"]
    rare_font = runs[1][0]
    assert rare_font in fonts.fallbacks
    from reportlab.pdfbase import pdfmetrics

    cmap = pdfmetrics.getFont(rare_font).face.charToGlyph
    assert 0x4DAE in cmap and 0x20BB7 in cmap and cmap[0x4DAE] != 0 and cmap[0x20BB7] != 0
    pdf = render_letter(_letter(), fonts=fonts)
    # the glyph is in the PDF and maps back to the character (copy, search, pdftotext)
    assert RARE in pdf_text(pdf, tmp_path)
    assert any("HanaMin" in f.name for f in pdf_fonts(pdf, tmp_path))


def test_text_stays_inside_the_type_area_and_page_numbers_alternate(tmp_path: Path) -> None:
    pdf = render_letter(_letter(paragraphs=8))
    words = pdf_words(pdf, tmp_path)
    pages = max(w.page for w in words)
    assert pages >= 2
    left, right = 28 * MM, (28 + 156) * MM
    top, bottom = 37 * MM, (37 + 225) * MM
    numbers = [w for w in words if w.text.isdigit() and w.y_min > bottom]
    body = [w for w in words if w not in numbers and w.text != "—"]
    for w in body:
        assert left - 0.5 <= w.x_min and w.x_max <= right + 0.5, w
        assert top - 0.5 <= w.y_min and w.y_max <= bottom + 0.5, w
    # "— 1 —": 7 mm below the 版心, odd pages at the right, even pages at the left
    by_page = {w.page: w for w in numbers}
    assert sorted(by_page) == list(range(1, pages + 1))
    for page, w in by_page.items():
        assert w.text == str(page)
        # the word box starts at the font's ascent, a little above the top of the digits
        assert bottom + 7 * MM - 4 <= w.y_min <= bottom + 7 * MM
        if page % 2:
            assert w.x_min > (28 + 156 / 2) * MM
        else:
            assert w.x_max < (28 + 156 / 2) * MM


def test_a_full_line_holds_28_characters_and_the_date_sits_four_characters_in(tmp_path: Path) -> None:
    pdf = render_letter(_letter(paragraphs=1, name="张三"))
    text = pdf_text(pdf, tmp_path)
    lines = [line for line in text.splitlines() if line.strip()]
    widest = max(len(line) for line in lines if line.isascii() is False)
    assert widest <= CHARS
    assert any(len(line) == CHARS for line in lines)
    words = pdf_words(pdf, tmp_path)
    date = next(w for w in words if w.text.startswith("2026年11月22日"))
    # the date ends four characters (of 156/28 mm) left of the 版心's right edge
    assert date.x_max == pytest.approx((28 + 156 - 4 * 156 / 28) * MM, abs=2)
    signature = next(w for w in words if w.text == "青石县城关镇人民政府")
    assert (signature.x_min + signature.x_max) / 2 == pytest.approx((date.x_min + date.x_max) / 2, abs=2)
    assert signature.y_min < date.y_min
    title = next(w for w in words if w.text == "信访事项受理告知书")
    assert (title.x_min + title.x_max) / 2 == pytest.approx((28 + 78) * MM, abs=2)
    assert title.y_max - title.y_min > 18  # 22 pt, bigger than the 16 pt body


def test_a_batch_numbers_each_letter_from_one(tmp_path: Path) -> None:
    pdf = render_letters([_letter(name="张三"), _letter(name="李四")])
    assert len(page_sizes(pdf)) == 2
    text = pdf_text(pdf, tmp_path)
    assert text.count("— 1 —") == 2 and "张三" in text and "李四" in text


def test_a_missing_font_file_is_a_storage_error(tmp_path: Path) -> None:
    with pytest.raises(StorageError, match="字体文件"):
        load_fonts(fonts_dir=tmp_path / "no-fonts", system_dir=None)


def test_windows_fonts_are_preferred_when_present(tmp_path: Path) -> None:
    # a stand-in "simfang.ttf": any TrueType file under the Windows name must be chosen for the body
    bundled = Path(__file__).resolve().parents[2] / "resources" / "fonts"
    system = tmp_path / "Fonts"
    system.mkdir()
    (system / "simfang.ttf").write_bytes((bundled / "gkai00mp.ttf").read_bytes())
    fonts = load_fonts(system_dir=system)
    assert fonts.files[fonts.names[Role.BODY]].path == system / "simfang.ttf"
    assert fonts.files[fonts.names[Role.TITLE]].path.name == "wqy-microhei.ttc"


def test_letter_format_has_a_letterhead_30mm_down_and_no_page_number_on_page_one(tmp_path: Path) -> None:
    from dataclasses import replace

    letter = replace(_letter(paragraphs=8, name="张三"), kind="复信", title="复信", letterhead="青石县城关镇人民政府")
    pdf = render_letter(letter)
    words = pdf_words(pdf, tmp_path)
    head = next(w for w in words if w.page == 1 and w.text == "青石县城关镇人民政府")
    # the letterhead's top edge 30 mm from the top of the page (the box starts at the font's ascent)
    assert head.y_min == pytest.approx(30 * MM, abs=3)
    number = next(w for w in words if w.page == 1 and w.text.startswith("信告"))
    assert number.x_max == pytest.approx((28 + 156) * MM, abs=1.5) and number.y_min > head.y_max
    title = next(w for w in words if w.page == 1 and w.text == "复信")
    assert title.y_min > number.y_max + 2 * (225 / 22) * MM - 5  # two blank lines between number and title
    bottom = (37 + 225) * MM
    page_numbers = {w.page: w.text for w in words if w.y_min > bottom and w.text.isdigit()}
    assert 1 not in page_numbers and page_numbers.get(2) == "2"


def test_form_rows_put_labels_and_values_in_two_columns_inside_the_type_area(tmp_path: Path) -> None:
    from xinfang_desktop.domain.letters import TABLE_ROW

    rows = ("送达文书｜受理告知书（信告〔2026〕1号）", "受送达人｜王䶮𠮷", "受送达人签名（盖章）｜", "签收日期｜　　年　　月　　日")
    letter = LetterContent(kind="送达回证", title="送达回证", addressee="",
                           paragraphs=tuple(Paragraph(r, TABLE_ROW) for r in rows),
                           signature="青石县城关镇人民政府", date="2026年11月22日", number="信告〔2026〕2号")
    pdf = render_letter(letter)
    words = pdf_words(pdf, tmp_path)
    label = next(w for w in words if w.text == "受送达人")
    value = next(w for w in words if w.text == "王䶮𠮷")
    assert label.y_min == pytest.approx(value.y_min, abs=1)  # the same row
    assert 28 * MM < label.x_min < value.x_min and value.x_max < (28 + 156) * MM
    assert "年　　月　　日" in pdf_text(pdf, tmp_path) or "年 月 日" in " ".join(pdf_text(pdf, tmp_path).split())


def test_a_table_keeps_each_row_on_one_line_and_repeats_its_header_on_the_next_page(tmp_path: Path) -> None:
    from xinfang_desktop.domain.letters import Table

    rows = tuple((f"第{n}项（人次）", str(n), str(n * 10), "下降100.0%", "1234", "上升57.1%") for n in range(1, 31))
    long_title = "反映邻居违章建房影响采光问题，要求有关部门依法拆除并赔偿损失"
    letter = LetterContent(
        kind="汇总分析", title="汇总分析", addressee="",
        paragraphs=(Paragraph("二、主要数据", 1),
                    Table(("项目", "本月", "上月", "环比", "去年同月", "同比"), rows, centred=frozenset(range(1, 6))),
                    Table(("编号", "标题", "超期天数"), (("信〔2026〕0001号", long_title, "12"),),
                          centred=frozenset({2}))),
        signature="青石县城关镇人民政府", date="2026年7月1日")
    pdf = render_letter(letter)
    words = pdf_words(pdf, tmp_path)
    left, right, top, bottom = 28 * MM, (28 + 156) * MM, 37 * MM, (37 + 225) * MM
    for w in words:
        if w.y_min < bottom:
            assert left - 0.5 <= w.x_min and w.x_max <= right + 0.5, w
            assert top - 0.5 <= w.y_min, w
            assert w.y_max <= bottom + 0.5, w
    for n in (1, 17, 30):
        label = next(w for w in words if w.text == f"第{n}项（人次）")
        same_row = [w.text for w in words if w.page == label.page and abs(w.y_min - label.y_min) < 2]
        assert same_row == [f"第{n}项（人次）", str(n), str(n * 10), "下降100.0%", "1234", "上升57.1%"]
    pages = max(w.page for w in words)
    assert pages == 2  # thirty rows of a 4号 table: about 35 lines of the 3号 grid
    headers = [w for w in words if w.text == "去年同月"]
    assert [w.page for w in headers] == [1, 2]  # repeated atop the page the table runs onto
    first_row_on_2 = min((w for w in words if w.page == 2 and w.text.startswith("第")), key=lambda w: w.y_min)
    assert headers[1].y_max < first_row_on_2.y_min
    # a long title wraps inside its own column, the columns beside it stay on its first line
    number = next(w for w in words if w.text == "信〔2026〕0001号")
    title_words = [w for w in words if w.page == number.page and w.text in long_title and w.text]
    assert len({round(w.y_min) for w in title_words}) >= 2
    assert all(number.x_max < w.x_min for w in title_words)


@pytest.mark.parametrize("lines_before", range(14, 24))
def test_a_heading_never_ends_a_page_but_goes_over_with_its_paragraph(tmp_path: Path, lines_before: int) -> None:
    # one-line paragraphs push 四、救济途径 to every row around the foot of page 1 (and a two-line heading)
    content = LetterContent(
        kind="信访处理意见书", title="信访事项处理意见书", addressee="张三：",
        paragraphs=(*(Paragraph(f"第{n}段。") for n in range(1, lines_before + 1)),
                    Paragraph("四、救济途径", 1), Paragraph("如对本处理意见不服，可以自收到本意见书之日起三十日内申请复查。"),
                    Paragraph("（一）" + "关于复查申请的具体事项说明" * 3, 2), Paragraph("复查申请应当书面提出。")),
        signature="青石县城关镇人民政府", date="2026年11月22日", number="信告〔2026〕12号")
    words = pdf_words(render_letter(content), tmp_path)

    def page_of(start: str) -> int:
        return next(w.page for w in words if w.text.startswith(start))

    assert page_of("四、救济途径") == page_of("如对本处理意见不服")
    assert page_of("（一）关于") == page_of("复查申请应当书面提出")
    texts = [w for w in words if not w.text.isdigit() and w.text != "—"]
    for page in {w.page for w in texts}:
        last = max((w for w in texts if w.page == page), key=lambda w: w.y_max)
        assert not last.text.startswith(("四、", "（一）")), (page, last.text)


@pytest.mark.parametrize("filler", range(20, 29))
def test_a_figure_is_never_broken_across_two_lines(filler: int) -> None:
    """walk6: the monthly analysis printed “环比上升150.” at a line's end and “0%” below it."""
    from xinfang_desktop.exporters.letter_layout import BODY_CHAR_SPACE, BODY_SIZE, BODY_W, Measure

    m = Measure(load_fonts(), {})
    text = "甲" * filler + "上升150.0%，同比下降12.5%。"
    lines = m.wrap(text, Role.BODY, BODY_SIZE, BODY_CHAR_SPACE, BODY_W, BODY_W)
    assert "".join(lines) == text and len(lines) >= 2
    assert any("150.0%" in line for line in lines) and any("12.5%" in line for line in lines), lines


@pytest.mark.parametrize("filler", range(14, 29))
def test_a_date_keeps_each_figure_with_its_unit(filler: int) -> None:
    """walk6: “截至2026年11月30” at a line's end and “日” below it."""
    from xinfang_desktop.exporters.letter_layout import BODY_CHAR_SPACE, BODY_SIZE, BODY_W, Measure

    m = Measure(load_fonts(), {})
    text = "甲" * filler + "截至2026年11月30日，超过办理期限未办结的0件。"
    lines = m.wrap(text, Role.BODY, BODY_SIZE, BODY_CHAR_SPACE, BODY_W, BODY_W)
    assert "".join(lines) == text and len(lines) >= 2
    for line, after in zip(lines, lines[1:], strict=False):
        assert not (line[-1].isdigit() and after[0] in "年月日"), lines
