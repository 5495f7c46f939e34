"""Read 矛盾纠纷排查 rows pasted from Excel or read from a workbook: the header found (the 排查台账's own, or the
names villages' sheets use), each cell read into its field, and what is wrong with each row said in Chinese."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from xinfang_desktop.domain.enums import DisputeState, RiskLevel
from xinfang_desktop.domain.errors import ValidationError
from xinfang_desktop.exporters.ledger_import import parse_date, parse_flag

# field: (the 排查台账's header, then the other names seen), compared without spaces and brackets
HEADERS: dict[str, tuple[str, ...]] = {
    "found_on": ("排查日期", "日期", "排查时间", "发现日期"),
    "town": ("乡镇", "所属乡镇", "乡镇街道"),
    "village": ("村（社区）", "村", "社区", "村居", "所属村", "村名"),
    "parties": ("当事人", "当事人姓名", "纠纷当事人", "涉及人员"),
    "category": ("纠纷类型", "类型", "纠纷类别", "问题分类"),
    "summary": ("简要情况", "纠纷简要情况", "基本情况", "主要内容", "纠纷内容", "情况"),
    "risk": ("风险等级", "风险", "等级"),
    "responsible": ("责任人", "化解责任人", "包案人"),
    "resolve_by": ("化解期限", "期限", "化解时限"),
    "state": ("化解情况", "化解状态", "是否化解"),
    "petitioned": ("是否引发信访", "引发信访"),
    # written by the 排查台账 and read over: a matter is linked by 转为信访事项, not by a number typed in
    "ignored": ("序号", "信访事项编号", "备注"),
}
LABELS = {field: names[0] for field, names in HEADERS.items()}
REQUIRED = ("found_on", "village", "parties", "summary", "responsible", "resolve_by")
_BRACKETS = re.compile(r"[\s（）()\[\]【】]")
_BY_NAME = {_BRACKETS.sub("", name): field for field, names in HEADERS.items() for name in names}
HEADER_ROWS = 5  # a title (merged, "…矛盾纠纷排查台账") or two may stand above the header


@dataclass(frozen=True)
class DisputeRow:
    """One row as read; `errors` say what is wrong in it. services.screening.check_disputes gives it back
    checked: the 村 and the 纠纷类型 as found in the lists (with `category_id`), and every error of the row."""

    line: int  # the row's number in the sheet or in the pasted text, as the clerk counts
    found_on: date | None
    village: str  # as written: 乡镇/村, or a 村 alone, or 乡镇 and 村 from two columns joined by "/"
    parties: str
    category: str
    summary: str
    risk: RiskLevel
    responsible: str
    resolve_by: date | None
    state: DisputeState
    petitioned: bool
    errors: tuple[str, ...] = ()
    # cells that could not be read, as written (field, text): the preview shows "重人", not the default 一般
    unread: tuple[tuple[str, str], ...] = ()
    category_id: int | None = None  # the 纠纷类型 found in 问题分类, once checked


@dataclass(frozen=True)
class DisputeSheet:
    rows: tuple[DisputeRow, ...]
    columns: tuple[str, ...]  # the fields recognised, left to right
    skipped: int  # rows below the header with nothing to import (the 台账's 零报告 and 未上报 lines, blank rows)


def split_pasted(text: str) -> list[list[str]]:
    """Rows copied from Excel: cells split by tabs, a cell holding a line break in quotes (as Excel copies it)."""
    return [[cell.strip() for cell in row] for row in csv.reader(io.StringIO(text.replace("\r\n", "\n")),
                                                                 delimiter="\t")]


def _header(rows: Sequence[Sequence[str]]) -> tuple[int, dict[int, str]]:
    for index, row in enumerate(rows[:HEADER_ROWS]):
        found = {c: _BY_NAME[_BRACKETS.sub("", cell)] for c, cell in enumerate(row) if _BRACKETS.sub("", cell) in _BY_NAME}
        if sum(field in REQUIRED for field in found.values()) >= 2:
            return index, found
    raise ValidationError("没有找到表头：请连同表头一行（排查日期、村（社区）、当事人、简要情况、责任人、化解期限…）一起复制，"
                          "或选择含表头的Excel工作簿", field="表头")


def _choice(cells: dict[str, str], field: str, kind: type[RiskLevel] | type[DisputeState],
            default: RiskLevel | DisputeState, errors: list[str], unread: list[tuple[str, str]]) -> RiskLevel | DisputeState:
    text = cells.get(field, "")
    if not text:
        return default
    try:
        return kind(text)
    except ValueError:
        errors.append(f"{LABELS[field]}“{text}”不认识，应为{'、'.join(k.value for k in kind)}之一")
        unread.append((field, text))
        return default


def read_disputes(rows: Sequence[Sequence[str]]) -> DisputeSheet:
    """The disputes under the header; a row is never dropped for being wrong, only for being empty."""
    start, columns = _header(rows)
    missing = [LABELS[f] for f in REQUIRED if f not in columns.values()]
    if missing:
        raise ValidationError(f"表头中缺少{'、'.join(missing)}列，请补上这些列后重新粘贴或选择文件", field="表头")
    parsed, skipped = [], 0
    for number, row in enumerate(rows[start + 1:], start=start + 2):
        cells = {field: row[c].strip() if c < len(row) else "" for c, field in columns.items()}
        if not any(cells.get(f) for f in REQUIRED):
            skipped += 1
            continue
        errors: list[str] = []
        unread: list[tuple[str, str]] = []
        for field in REQUIRED:
            if not cells.get(field):
                errors.append(f"{LABELS[field]}未填写")
        days: dict[str, date | None] = {}
        for field in ("found_on", "resolve_by"):
            try:
                days[field] = parse_date(cells[field])
            except ValueError:
                days[field] = None
                unread.append((field, cells[field]))
                errors.append(f"{LABELS[field]}“{cells[field]}”不是日期，请写成2026-06-05或2026年6月5日")
        try:
            petitioned = parse_flag(cells.get("petitioned", ""))
        except ValueError:
            petitioned = False
            unread.append(("petitioned", cells["petitioned"]))
            errors.append(f"是否引发信访“{cells['petitioned']}”应为“是”或“否”")
        village = cells["village"]
        if cells.get("town") and "/" not in village:
            village = f"{cells['town']}/{village}"
        parsed.append(DisputeRow(
            line=number, found_on=days["found_on"], village=village, parties=cells["parties"],
            category=cells.get("category", ""), summary=cells["summary"],
            risk=RiskLevel(_choice(cells, "risk", RiskLevel, RiskLevel.ORDINARY, errors, unread)),
            responsible=cells["responsible"], resolve_by=days["resolve_by"],
            state=DisputeState(_choice(cells, "state", DisputeState, DisputeState.RESOLVING, errors, unread)),
            petitioned=petitioned, errors=tuple(errors), unread=tuple(unread)))
    fields = tuple(f for _, f in sorted(columns.items()) if f != "ignored")
    return DisputeSheet(tuple(parsed), fields, skipped)
