"""Ledger headers: normalising, the synonym table, two-row headers, guesses from content and the preview text."""

from __future__ import annotations

import pytest

from xinfang_desktop.domain.ledger import HEADERS, ParsedLedger, ParsedSheet
from xinfang_desktop.domain.ledger_headers import (
    BY_GUESS,
    BY_MAP,
    BY_NAME,
    BY_PROFILE,
    HeaderCell,
    HeaderTable,
    Sample,
    bare_header,
    content_kind,
    describe,
    footer_text,
    header_cells,
    is_numbering_row,
    layout_key,
    normalize_header,
    read_columns,
    two_row_header,
)
from xinfang_desktop.exporters.ledger_import import header_table

TABLE = header_table()


def _cells(*texts: str) -> tuple[HeaderCell, ...]:
    return tuple(HeaderCell.of(t) for t in texts)


@pytest.mark.parametrize(
    ("text", "plain", "bare"),
    [(" 信访人 姓名 ", "信访人姓名", "信访人姓名"), ("是否属实\n（是/否）", "是否属实是/否", "是否属实"),
     ("联系电话：", "联系电话", "联系电话"), ("登记日期\u3000(年月日)", "登记日期年月日", "登记日期"),
     ("*受理编号", "受理编号", "受理编号"), ("（是否）重复", "是否重复", "重复"), ("【备注】", "备注", "备注"),
     ("身份证号码（18位）", "身份证号码18位", "身份证号码"), ("ＩＤ　号", "ID号", "ID号")],
)
def test_normalising(text: str, plain: str, bare: str) -> None:
    assert normalize_header(text) == plain
    assert bare_header(text) == bare


@pytest.mark.parametrize(
    ("text", "canonical"),
    [("来信来访日期", "登记日期"), (" 信访人 姓名 ", "信访人"), ("身份证号码（18位）", "身份证号"), ("（是否）重复", "重复信访"),
     ("受理编号", "编号"), ("信访件编号", "编号"), ("来信日期", "登记日期"), ("是否办结", "状态"), ("回访 情况", "满意度"),
     ("联系电话：", "联系电话"), ("经办人", None), ("接件时间", "登记日期"), ("受理时间", "登记日期"),
     ("信访日期", "登记日期"), ("内容摘要", "反映问题"), ("主要内容", "反映问题"), ("问题摘要", "反映问题"),
     ("事由概要", "反映问题"), ("问题属地", "问题发生地"), ("信访方式", "信访形式"), ("信访形式\n（来信/来访）", "信访形式"),
     ("举报人", "信访人"), ("被反映人", None), ("处置方式", "处理方式"), ("承办部门", "承办单位"), ("是否属实\n(是/否)", None),
     ("线索来源", "来源"), ("转办时间", "交办日期"), ("办理时限", "办理期限"), ("当前状态", "状态"), ("满意度评价", "满意度")],
)
def test_synonyms(text: str, canonical: str | None) -> None:
    assert TABLE.canonical(text) == canonical


def test_the_table_is_data_and_refuses_a_column_we_have_not() -> None:
    assert HeaderTable({"反映问题": ["来件摘录"]}).canonical("来件 摘录") == "反映问题"
    assert all(TABLE.canonical(h) == h for h in HEADERS)
    with pytest.raises(ValueError):
        HeaderTable({"摘要": ["x"]})


def test_two_columns_of_one_meaning_the_canonical_name_wins_and_the_other_is_shown() -> None:
    columns = read_columns(_cells("信访日期", "登记日期", "信访方式", "信访形式", "信访人"), (), TABLE)
    assert [(c.header, c.field, c.rival, c.could_be) for c in columns] == [
        ("信访日期", None, 1, "登记日期"), ("登记日期", "登记日期", None, None),
        # set aside from 信访形式, but read for what it says: 匿名/署名/联名/集体访
        ("信访方式", "署名方式", 3, "信访形式"),
        ("信访形式", "信访形式", None, None), ("信访人", "信访人", None, None)]
    # without the canonical name, the synonym higher in the list wins: 信访日期 before 日期
    columns = read_columns(_cells("日期", "信访日期"), (), TABLE)
    assert [c.field for c in columns] == [None, "登记日期"]


def test_serial_is_the_number_only_without_a_number_column() -> None:
    assert [c.field for c in read_columns(_cells("序号", "登记日期"), (), TABLE)] == ["编号", "登记日期"]
    assert [c.field for c in read_columns(_cells("序号", "受理编号"), (), TABLE)] == [None, "编号"]


def test_the_clerks_mapping_then_a_profile_then_names() -> None:
    cells = _cells("来件情况", "登记日期", "日期", "去向")
    columns = read_columns(cells, (), TABLE, mapping={" 来件 情况 ": "反映问题", "去向": ""},
                           profile={"日期": "办结日期", "去向": "承办单位"})
    assert [(c.field, c.how) for c in columns] == [("反映问题", BY_MAP), ("登记日期", BY_NAME),
                                                   ("办结日期", BY_PROFILE), (None, BY_MAP)]


def test_a_column_without_a_header_is_named_by_its_place() -> None:
    columns = read_columns(_cells("登记日期", "", "信访人"), (), TABLE, mapping={"第2列": "反映问题"})
    assert [(c.header, c.field, c.how) for c in columns] == [("登记日期", "登记日期", BY_NAME),
                                                             ("第2列", "反映问题", BY_MAP), ("信访人", "信访人", BY_NAME)]


def _samples(*columns: list[str], dates: tuple[int, ...] = ()) -> tuple[Sample, ...]:
    return tuple(Sample(tuple(texts), dates[i] if i < len(dates) else 0) for i, texts in enumerate(columns))


@pytest.mark.parametrize(
    ("texts", "dates", "kind"),
    [(["110105194912310021", "33010219800101123X", "11010519491231002X、330102198001011234"], 0, "身份证号"),
     (["13812345678", "15900001111", "13700002222、18600003333"], 0, "联系电话"),
     (["2025-01-03", "2025.1.5", "x"], 2, None),  # two in three is not enough
     (["2025-01-03", "2025.1.5", "2025年1月6日"], 3, "日期"),
     (["反映村里道路年久失修，雨天积水严重，群众出行不便", "反映小区物业擅自涨价，要求依法处理并退还多收费用"], 0, "反映问题"),
     (["张三", "李四"], 0, None), (["01012345678", "13812345678"], 0, None), (["13812345678"], 0, None),
     (["浙江省杭州市西湖区留下街道东岳村12号", "浙江省杭州市西湖区蒋村街道蒋村花园3幢"], 0, None)],
)
def test_content_kinds(texts: list[str], dates: int, kind: str | None) -> None:
    found = content_kind(Sample(tuple(texts), dates))
    assert (found[0] if found else None) == kind


def test_guesses_are_shown_and_read_so_only_when_accepted() -> None:
    cells = _cells("件号", "登记日期", "证件", "联系", "事项说明", "日期二")
    long = "反映村里道路年久失修，雨天积水严重，群众出行非常不便，请求修缮"
    samples = _samples(["A1", "A2"], ["2025-01-03", "2025-01-04"], ["110105194912310021", "110105194912310022"],
                       ["13812345678", "13912345678"], [long, long], ["2025-01-10", "2025-01-11"], dates=(0, 2, 0, 0, 0, 2))
    shown = read_columns(cells, samples, TABLE)
    assert [(c.field, c.guess) for c in shown] == [(None, None), ("登记日期", None), (None, "身份证号"),
                                                   (None, "联系电话"), (None, "反映问题"), (None, "交办日期")]
    taken = read_columns(cells, samples, TABLE, accept_guesses=True)
    assert [c.field for c in taken] == [None, "登记日期", "身份证号", "联系电话", "反映问题", "交办日期"]
    assert all(c.how == BY_GUESS for c in taken[2:])
    # a field already named is not guessed again
    again = read_columns(_cells("联系电话", "联系"), _samples(["13812345678"] * 2, ["13912345678"] * 2), TABLE)
    assert again[1].guess is None


def test_dates_are_guessed_by_their_place_among_the_date_fields_named() -> None:
    cells = _cells("甲", "交办日期", "乙", "办结日期", "丙")
    dates = ["2025-01-03", "2025-01-04"]
    guessed = read_columns(cells, _samples(dates, dates, dates, dates, dates, dates=(2,) * 5), TABLE)
    # left of 交办日期 only 登记日期 fits; between 交办 and 办结: 办理期限; after 办结日期 nothing
    assert [c.guess for c in guessed] == ["登记日期", None, "办理期限", None, None]


def test_a_two_row_header_joins_parents_and_children() -> None:
    top = ("序号", "信访人信息", None, None, "登记日期", "交办", None)
    below = (None, "姓名", "身份证号码", "电话", None, "单位", "日期")
    joined = two_row_header(top, below, [(1, 3), (5, 6)], TABLE)
    assert joined is not None
    assert [c.shown for c in joined] == ["序号", "信访人信息/姓名", "信访人信息/身份证号码", "信访人信息/电话", "登记日期",
                                         "交办/单位", "交办/日期"]
    # the joined words are tried first: 交办 + 日期 is 交办日期, not the 登记日期 that 日期 alone would be
    assert [c.field for c in read_columns(joined, (), TABLE)] == ["编号", "信访人", "身份证号", "联系电话", "登记日期",
                                                                  "承办单位", "交办日期"]
    # without merge information (an .xls), a blank parent cell over a child is the parent on its left
    assert [c.shown for c in header_cells(top, below)][1:4] == ["信访人信息/姓名", "信访人信息/身份证号码",
                                                                "信访人信息/电话"]


def test_a_title_over_the_header_or_a_data_row_under_it_is_not_a_second_header_row() -> None:
    header = ("登记日期", "信访人", "反映问题", "信访形式")
    assert two_row_header(("2025年信访台账",), header, [(0, 3)], TABLE) is None
    assert two_row_header(header, ("2025-01-02", "张三", "反映问题", "电话"), [], TABLE) is None


@pytest.mark.parametrize(
    ("cells", "numbering"),
    [((1, 2, 3, 4, 5), True), (("1", "2", "3"), True), ((None, 1.0, 2.0, 3.0), True), (("（1）", "（2）", "（3）"), True),
     ((1, 2), False), ((1, 3, 4), False), ((5, "2025-01-02", "张三"), False), ((2, 3, 4), False)],
)
def test_a_row_of_column_numbers(cells: tuple[object, ...], numbering: bool) -> None:
    assert is_numbering_row(cells) is numbering


@pytest.mark.parametrize(
    ("cells", "text"),
    [(("合计", None, "12件"), "合计"), ((None, " 小 计 "), "小计"), (("备注：1.本表…",), "备注：1.本表…"),
     (("截至2025年12月31日",), "截至2025年12月31日"), (("制表人：李",), "制表人：李"), ((3, "合计"), None),
     (("张三", "合计"), None)],
)
def test_footer_rows(cells: tuple[object, ...], text: str | None) -> None:
    assert footer_text(cells) == text


def test_the_layout_key_ignores_spacing_and_brackets() -> None:
    assert layout_key(_cells("登记 日期", "信访人（姓名）", "")) == layout_key(_cells("登记日期", "信访人(姓名)"))
    assert layout_key(_cells("登记日期", "信访人")) != layout_key(_cells("信访人", "登记日期"))


def _sheet(name: str, columns: tuple[object, ...], ignored: tuple[tuple[int, str], ...] = ()) -> ParsedSheet:
    from xinfang_desktop.domain.ledger_headers import Column

    cols = tuple(c for c in columns if isinstance(c, Column))
    return ParsedSheet(name, 2, tuple(c.header for c in cols), tuple(c.field for c in cols), (), 1, cols, ignored)


def test_the_preview_says_every_guess_every_rival_and_the_rows_set_aside() -> None:
    cells = _cells("信访日期", "登记日期", "证件", "去向")
    samples = _samples(["2025-01-01"] * 2, ["2025-01-01"] * 2, ["110105194912310021"] * 2, ["x", "y"], dates=(2, 2))
    columns = read_columns(cells, samples, TABLE)
    ledger = ParsedLedger("a.xlsx", (_sheet("1月", columns, ((3, "是列序号"),)), _sheet("2月", columns)), (), (),
                          ("汇总",))
    lines = describe(ledger, accept_hint="加 --accept-guesses", map_hint="用 --map")
    assert lines == [
        "工作表“1月”、“2月”：表头在第2行",
        "  “信访日期” 也可作 登记日期，已取“登记日期”，此列保留在备注",
        "  “登记日期” → 登记日期",
        "  “证件” 猜测为 身份证号（内容多为18位身份证号），未采用，暂保留在备注",
        "  “去向” 未对应，保留在备注",
        "  “1月”第3行是列序号，不作为事项",
        "工作表“汇总”中没有台账表头，未导入",
        "有按内容猜测的列尚未采用：加 --accept-guesses",
    ]
    accepted = read_columns(cells, samples, TABLE, accept_guesses=True)
    text = describe(ParsedLedger("a.xlsx", (_sheet("1月", accepted),), (), ()), accept_hint="x", map_hint="y")
    assert "  “证件” → 身份证号（按内容猜测，已采用：内容多为18位身份证号）" in text
    assert not any("尚未采用" in line for line in text)
    no_date = read_columns(_cells("信访人", "反映问题", "联系电话"), (), TABLE)
    text = describe(ParsedLedger("a.xlsx", (_sheet("1月", no_date),), (), ()), accept_hint="x", map_hint="用 --map")
    assert "  找不到“登记日期”列，各行无法导入：用 --map" in text
