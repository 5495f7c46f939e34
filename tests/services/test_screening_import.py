"""The 排查 import: rows pasted from Excel or read from a workbook (the 排查台账's own included), each row checked by
the rules of a dispute entered by hand, every error said per row in Chinese, and all rows or none written."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select

from xinfang_desktop.db.database import Database
from xinfang_desktop.db.models import Dispute
from xinfang_desktop.domain.enums import DisputeState, RiskLevel
from xinfang_desktop.domain.errors import ValidationError
from xinfang_desktop.exporters.ledger_import import read_rows
from xinfang_desktop.exporters.screening_import import split_pasted
from xinfang_desktop.exporters.screening_xlsx import write_screening
from xinfang_desktop.services import reference, screening
from xinfang_desktop.services.office import seed_demo_office
from xinfang_desktop.services.reference import seed_defaults

D = date.fromisoformat
HEADER = "排查日期\t村（社区）\t当事人\t纠纷类型\t简要情况\t风险等级\t责任人\t化解期限\t化解情况\t是否引发信访"
GOOD = [
    "2026-06-05\t柳溪乡/柳溪村\t张三、李四\t农村农业/土地承包\t承包地边界争议\t重大\t王五\t2026-06-25\t化解中\t否",
    # a 村 alone (found in one 乡镇), a date as a village writes it, the table's defaults when blank
    "2026年6月8日\t石桥村\t赵六\t\t\"宅基地纠纷，\n双方各执一词\"\t\t钱七\t2026.6.30\t\t",
]


def _count(db: Database) -> int:
    with db.read() as s:
        return int(s.scalar(select(func.count(Dispute.id))) or 0)


def _check(db: Database, text: str) -> screening.ImportPreview:
    with db.read() as s:
        return screening.check_disputes(s, rows=split_pasted(text))


def test_pasted_rows_are_read_into_their_fields_and_imported_in_one_go(db: Database) -> None:
    text = "\n".join([HEADER, *GOOD])
    preview = _check(db, text)
    assert [line.errors for line in preview.lines] == [(), ()]
    first, second = preview.lines
    assert (first.line, first.village, first.category, first.risk, first.resolve_by) == (
        2, "柳溪乡/柳溪村", "农村农业/土地承包", RiskLevel.MAJOR, D("2026-06-25"))
    assert (second.line, second.found_on, second.village, second.risk, second.state, second.petitioned) == (
        3, D("2026-06-08"), "青石镇/石桥村", RiskLevel.ORDINARY, DisputeState.RESOLVING, False)
    assert second.summary == "宅基地纠纷，\n双方各执一词"  # a cell with a line break, as Excel copies it
    with db.begin() as s:
        assert screening.import_disputes(s, rows=split_pasted(text)) == 2
    with db.read() as s:
        found = screening.list_disputes(s, month="2026-06")
        assert "柳溪乡/柳溪村" not in screening.unreported(s, month="2026-06")
    assert [(d.village, d.parties, d.category) for d in found] == [
        ("柳溪乡/柳溪村", "张三、李四", "农村农业/土地承包"), ("青石镇/石桥村", "赵六", "")]
    # the same rows again: each is said to be registered already, and nothing is written twice
    again = _check(db, text)
    assert all(line.errors == ("这件矛盾纠纷已经登记过，请勿重复导入",) for line in again.lines)


def test_each_wrong_row_says_what_is_wrong_and_nothing_is_written(db: Database) -> None:
    with db.begin() as s:
        screening.add_zero_report(s, month="2026-06", village="白云乡/白云村", reported_on=D("2026-06-28"))
        reference.add_region(s, name="柳溪村", town="河口镇")  # now two 乡镇 have a 柳溪村
    rows = [
        HEADER,
        GOOD[0],
        "2026-06-10\t柳溪村\t孙八\t\t山林界址\t一般\t王五\t2026-06-30\t\t",  # which 柳溪村?
        "2026-06-11\t青石镇/无名村\t周九\t\t噪音\t一般\t王五\t2026-06-30\t\t",  # not in the list
        "2026-06-12\t河口镇/河口村\t吴十\t\t债务\t一般\t王五\t2026-06-01\t\t",  # 化解期限 before 排查日期
        "2026-06-13\t白云乡/白云村\t郑一\t\t地界\t一般\t王五\t2026-06-30\t\t",  # sent its 零报告
        "六月中旬\t河口镇/河口村\t\t不知道\t地界\t高\t王五\t2026-06-30\t已调处\t也许",  # every cell wrong
        GOOD[0],  # the same row twice
        "\t\t\t\t\t\t\t\t\t",  # a blank row is passed over
    ]
    preview = _check(db, "\n".join(rows))
    by_line = {line.line: line.errors for line in preview.lines}
    assert by_line[2] == ()
    assert by_line[3] == ("村（社区）“柳溪村”在柳溪乡、河口镇都有，请写成“乡镇/村”",)
    assert "不在乡镇和村名单中" in by_line[4][0]
    assert len(by_line[5]) == 1 and "化解期限" in by_line[5][0]
    assert len(by_line[6]) == 1 and "零报告" in by_line[6][0]
    assert set(by_line[7]) == {"当事人未填写", "排查日期“六月中旬”不是日期，请写成2026-06-05或2026年6月5日",
                               "是否引发信访“也许”应为“是”或“否”", "风险等级“高”不认识，应为一般、较大、重大之一",
                               "化解情况“已调处”不认识，应为已化解、化解中、未化解之一",
                               "纠纷类型“不知道”不在问题分类中，请写成“一级/二级”，如“农村农业/土地承包”"}
    # what could not be read is kept as written, for the preview to show it instead of a default
    unread = {line.line: dict(line.unread) for line in preview.lines}
    assert unread[7] == {"found_on": "六月中旬", "risk": "高", "state": "已调处", "petitioned": "也许"}
    assert unread[2] == {} and unread[5] == {}
    assert by_line[8] == ("与第2行相同，请删去重复的一行",)
    assert 9 not in by_line and preview.skipped == 1
    with pytest.raises(ValidationError) as exc, db.begin() as s:
        screening.import_disputes(s, rows=split_pasted("\n".join(rows)))
    assert exc.value.message.startswith("第3行：村（社区）“柳溪村”在柳溪乡、河口镇都有")
    assert "共6行有误，未导入任何一行" in exc.value.message
    assert _count(db) == 0  # the good row was not written either


def test_a_paste_without_its_header_or_missing_a_column_is_refused(db: Database) -> None:
    with pytest.raises(ValidationError) as exc:
        _check(db, GOOD[0])
    assert exc.value.field == "表头" and "连同表头" in exc.value.message
    with pytest.raises(ValidationError) as exc:
        _check(db, "排查日期\t村（社区）\t当事人\n2026-06-05\t柳溪乡/柳溪村\t张三")
    assert exc.value.message.startswith("表头中缺少简要情况、责任人、化解期限列")
    with pytest.raises(ValidationError) as exc, db.begin() as s:
        screening.import_disputes(s, rows=split_pasted(HEADER))
    assert "没有可导入的矛盾纠纷" in exc.value.message


def test_a_months_exported_register_reads_back_into_another_database(db: Database, tmp_path: Path) -> None:
    text = "\n".join([HEADER, *GOOD])
    with db.begin() as s:
        screening.import_disputes(s, rows=split_pasted(text))
        screening.add_zero_report(s, month="2026-06", village="白云乡/白云村", reported_on=D("2026-06-28"))
    with db.read() as s:
        disputes = screening.list_disputes(s, month="2026-06")
        target = tmp_path / "排查台账.xlsx"
        write_screening(target, disputes, title="城关镇2026年6月矛盾纠纷排查台账", zero=screening.zero_reports(s, month="2026-06"),
                        unreported=screening.unreported(s, month="2026-06"), as_of=D("2026-07-01"))
    other = Database(tmp_path / "other.sqlite3")
    with other.begin() as s:
        seed_defaults(s)
        seed_demo_office(s)
    # the title above the header, real Excel dates, and the 零报告 and 未上报 lines below are all understood
    rows = read_rows(target)
    with other.read() as s:
        preview = screening.check_disputes(s, rows=rows)
    assert [line.errors for line in preview.lines] == [(), ()] and preview.skipped == 2
    with other.begin() as s:
        assert screening.import_disputes(s, rows=rows) == 2
    with other.read() as s:
        again = screening.list_disputes(s, month="2026-06")
    assert [(d.found_on, d.village, d.parties, d.summary, d.risk, d.resolve_by) for d in again] == [
        (d.found_on, d.village, d.parties, d.summary, d.risk, d.resolve_by) for d in disputes]
    other.close()
