"""A sheet's body read column by column gives, row for row, what reading it one cell after another gives."""

from __future__ import annotations

import dataclasses
import random
from datetime import date, datetime, time, timedelta
from typing import Any

import pytest

from xinfang_desktop.domain.ledger import FIELD_OF_HEADER, LedgerRow, ParsedRow, SkippedRow
from xinfang_desktop.exporters import ledger_rows
from xinfang_desktop.exporters.ledger_rows import column_plan, parse_body

# every way a column is read: text, 登记日期 and another date, a name, 身份证号, 人数, a flag, 备注, two
# columns kept in 备注 (one without a header) and two read as the same field
HEADERS = ("编号", "登记日期", "信访形式", "信访人", "身份证号", "人数", "集体访", "办结日期", "备注", "序号", "",
           "反映问题", "反映问题")
MAPPED: list[str | None] = [*HEADERS[:9], None, None, "反映问题", "反映问题"]
TEXTS = ["", " ", "信〔2025〕0001号", "来信", "妇  联", "张  三、李四", "110105198001010011", "是", "否", "待定", "下月",
         "2019.3.5", "２０１９．３．５", "20190305", "8人", "30余人", "-5", "见附件", "√", "N", "合计", "制表人：王五"]
NUMBERS = [0.0, 1.0, 2.0, 8.0, 43529.0, 2.5, -0.0, 1e9, 110105198001010011.0, float("nan")]
EVERY_KIND = [*TEXTS, *NUMBERS, None, True, False, 1, 0, 43529, 110105198001010011, date(2019, 3, 5),
              datetime(2019, 3, 5, 10, 30), date(1970, 1, 1), time(10, 30), timedelta(days=2)]
CONTROL = ["正文\x07", "\x1b[0m", "\u202e逆序"]
POOLS = {
    "text only": TEXTS,
    "text and dates": [*TEXTS, date(2019, 3, 5), date(1899, 12, 30), datetime(2019, 3, 6, 8, 0)],
    "text and one kind of number": [*TEXTS, *NUMBERS],
    "every kind (True, 1 and 1.0 side by side)": EVERY_KIND,
    "text with control characters": [*TEXTS, *CONTROL],
}


def _body(pool: list[Any], seed: int) -> list[tuple[int, tuple[Any, ...]]]:
    rnd = random.Random(seed)
    body = []
    for number in range(3, 403):
        width = rnd.choice([len(HEADERS)] * 8 + [4, len(HEADERS) + 2])  # a few rows short, a few wider
        cells: list[Any] = [rnd.choice(pool) for _ in range(width)]
        if rnd.random() < 0.7:
            cells[1] = rnd.choice([date(2025, 1, 2), "2025.1.3", 45659.0])  # most rows have a 登记日期
        if rnd.random() < 0.05:
            cells = [""] * width  # a blank row
        body.append((number, tuple(cells)))
    return body


@pytest.mark.parametrize("pool", list(POOLS))
def test_read_column_by_column_is_read_row_by_row(pool: str) -> None:
    plan = column_plan(MAPPED)
    fields = frozenset(FIELD_OF_HEADER[m] for m in MAPPED if m is not None)
    for seed in range(3):
        body = _body(POOLS[pool], seed)
        expected = [ledger_rows.parse_row("表", number, cells, HEADERS, plan, fields) for number, cells in body]
        assert parse_body("表", body, HEADERS, plan, fields) == expected
        # the pools hold what a clerk's ledger holds: clean rows, rows with warnings, rows that cannot go in
        kinds = {type(r) for r in expected} | {bool(r.warnings) for r in expected if isinstance(r, ParsedRow)}
        assert kinds == {ParsedRow, SkippedRow, type(None), True, False}


def test_a_body_with_no_rows_or_no_columns() -> None:
    assert parse_body("表", [], HEADERS, column_plan(MAPPED), frozenset()) == []
    body = [(2, ("2019.3.5", "张三")), (3, ("", ""))]
    (row, blank) = parse_body("表", body, ("日期", "姓名"), column_plan([None, None]), frozenset())
    assert isinstance(row, SkippedRow) and blank is None


def test_a_plain_frozen_dataclass_is_made_with_the_fields_its_constructor_would_set() -> None:
    values = {"number": "X-1", "received_on": date(2025, 1, 2), "channel": "来信", "persons": 3, "joint": True}
    made = ledger_rows._LEDGER_ROW(values)
    assert made == LedgerRow(**values) and repr(made) == repr(LedgerRow(**values))
    assert made.__dict__ == LedgerRow(**values).__dict__ and list(made.__dict__) == list(LedgerRow(**values).__dict__)
    parsed = {"sheet": "表", "row": 3, "values": made, "warnings": (), "raw": ("X-1",), "columns": frozenset({"number"})}
    assert ledger_rows._PARSED_ROW(parsed) == ParsedRow(**parsed)
    with pytest.raises(dataclasses.FrozenInstanceError):
        made.number = "X-2"  # type: ignore[misc]


def test_a_row_made_from_its_fields_at_once_equals_the_constructors() -> None:
    """The rows are made by frozen.built (tests/domain/test_frozen.py): the same value LedgerRow(**fields) gives."""
    fields = {"number": "信〔2025〕0001号", "received_on": date(2025, 3, 2), "channel": "来信", "title": "反映拖欠工资",
              "persons": 2, "joint": True}
    row = ledger_rows._LEDGER_ROW(fields)
    assert row == LedgerRow(**fields) and list(vars(row)) == list(vars(LedgerRow(**fields)))
    with pytest.raises(TypeError):
        ledger_rows._LEDGER_ROW({**fields, "no_such_column": 1})
