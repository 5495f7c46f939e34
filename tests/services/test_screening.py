"""矛盾纠纷排查: the month's reports, 零报告 and who is missing, a dispute becoming a matter, the 排查台账 workbook."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import openpyxl
import pytest

from xinfang_desktop.db.database import Database
from xinfang_desktop.domain.enums import DisputeState, EventKind, RiskLevel
from xinfang_desktop.domain.errors import ValidationError
from xinfang_desktop.exporters.screening_xlsx import screening_title, write_screening
from xinfang_desktop.services import screening
from xinfang_desktop.services.convert import get_matter
from xinfang_desktop.services.reference import find_category

D = date.fromisoformat


def _dispute(db: Database, village: str, on: date, *, risk: RiskLevel = RiskLevel.ORDINARY,
             state: DisputeState = DisputeState.RESOLVING, resolve_by: date | None = None) -> int:
    with db.begin() as s:
        found = screening.add_dispute(s, found_on=on, village=village, parties="张三、李四",
                                      category_id=find_category(s, "农村农业/土地承包"), summary="承包地边界争议",
                                      risk=risk, responsible="王五", resolve_by=resolve_by or D("2026-06-20"),
                                      state=state)
    assert found.id is not None
    return found.id


def test_a_month_of_reports_zero_reports_and_the_villages_still_missing(db: Database) -> None:
    with db.read() as s:
        everyone = screening.villages(s)
    assert len(everyone) == 23 and everyone[0] == "城关镇/东街社区"
    _dispute(db, "柳溪乡/柳溪村", D("2026-06-05"), risk=RiskLevel.MAJOR)
    _dispute(db, "柳溪乡/柳溪村", D("2026-06-12"), state=DisputeState.RESOLVED)
    _dispute(db, "青石镇/石桥村", D("2026-06-08"), resolve_by=D("2026-06-10"))
    _dispute(db, "青石镇/石桥村", D("2026-05-28"))  # last month's: not this month's report
    with db.begin() as s:
        screening.add_zero_report(s, month="2026-06", village="白云乡/白云村", reported_on=D("2026-06-28"))
    # a 零报告 for a 村 that reported a dispute that month is refused, naming the field
    with pytest.raises(ValidationError) as exc, db.begin() as s:
        screening.add_zero_report(s, month="2026-06", village="柳溪乡/柳溪村", reported_on=D("2026-06-28"))
    assert exc.value.field == "村" and "已上报2件矛盾纠纷" in exc.value.message
    # and a dispute for a 村 that sent its 零报告
    with pytest.raises(ValidationError) as exc, db.begin() as s:
        screening.add_dispute(s, found_on=D("2026-06-29"), village="白云乡/白云村", parties="赵六", category_id=None,
                              summary="邻里纠纷", risk=RiskLevel.ORDINARY, responsible="王五",
                              resolve_by=D("2026-07-10"))
    assert exc.value.field == "村" and "零报告" in exc.value.message
    with pytest.raises(ValidationError) as exc, db.begin() as s:
        screening.add_dispute(s, found_on=D("2026-06-29"), village="河口镇/河口村", parties="赵六", category_id=None,
                              summary="邻里纠纷", risk=RiskLevel.ORDINARY, responsible="王五",
                              resolve_by=D("2026-06-28"))
    assert exc.value.field == "化解期限"

    with db.read() as s:
        summary = screening.month_summary(s, month="2026-06", as_of=D("2026-06-30"))
        missing = screening.unreported(s, month="2026-06")
        late = screening.past_due(s, on=D("2026-06-30"))
    reported = {"柳溪乡/柳溪村", "青石镇/石桥村", "白云乡/白云村"}
    assert missing == [v for v in everyone if v not in reported]
    assert (summary.villages, summary.reported, summary.zero, summary.disputes, summary.resolved, summary.major,
            summary.past_due, summary.missing) == (23, 3, 1, 3, 1, 1, 2, 20)
    # past due, whatever the month: the earliest 化解期限 first (last month's is still open)
    assert [d.found_on for d in late] == [D("2026-06-08"), D("2026-06-05"), D("2026-05-28")]


def test_a_dispute_becomes_a_matter_in_one_step_linked_both_ways(db: Database) -> None:
    dispute_id = _dispute(db, "柳溪乡/柳溪村", D("2026-06-05"), risk=RiskLevel.SERIOUS)
    with db.begin() as s:
        ref = screening.to_matter(s, dispute_id=dispute_id, on=D("2026-06-09"))
    with db.read() as s:
        detail = get_matter(s, ref.id)
        [back] = screening.disputes_of_matter(s, ref.id)
        [listed] = screening.list_disputes(s, month="2026-06")
    assert (detail.place, [p.name for p in detail.petitioners], detail.persons) == ("柳溪乡/柳溪村", ["张三", "李四"], 2)
    assert detail.title == "承包地边界争议" and "农村农业" in detail.category
    assert any(e.kind == EventKind.DISPUTE and "风险等级较大" in e.text for e in detail.events)
    assert back.id == dispute_id and listed.matter_number == detail.number and listed.petitioned
    with pytest.raises(ValidationError, match=detail.number), db.begin() as s:
        screening.to_matter(s, dispute_id=dispute_id, on=D("2026-06-10"))


def test_the_screening_workbook_reads_back_print_ready(db: Database, tmp_path: Path) -> None:
    _dispute(db, "柳溪乡/柳溪村", D("2026-06-05"), risk=RiskLevel.MAJOR)
    _dispute(db, "青石镇/石桥村", D("2026-06-08"), resolve_by=D("2026-06-10"))
    with db.begin() as s:
        screening.add_zero_report(s, month="2026-06", village="白云乡/白云村", reported_on=D("2026-06-28"))
    with db.read() as s:
        found = screening.list_disputes(s, month="2026-06")
        missing = screening.unreported(s, month="2026-06")
        zero = screening.zero_reports(s, month="2026-06")
    path = tmp_path / "排查台账.xlsx"
    assert write_screening(path, found, title=screening_title("青石县城关镇人民政府", 2026, 6), zero=zero,
                           unreported=missing, as_of=D("2026-06-30")) == 2
    ws = openpyxl.load_workbook(path).active
    assert ws["A1"].value == "青石县城关镇人民政府2026年6月矛盾纠纷排查台账" and "A1:M1" in ws.merged_cells
    assert [c.value for c in ws[2]][:6] == ["序号", "排查日期", "村（社区）", "当事人", "纠纷类型", "简要情况"]
    rows = [[c.value for c in row] for row in ws.iter_rows(min_row=3, max_row=4)]
    assert rows[0][2] == "柳溪乡/柳溪村" and rows[0][6] == "重大" and rows[0][1].date() == D("2026-06-05")
    assert rows[1][2] == "青石镇/石桥村" and rows[1][12] == "已超过化解期限"
    assert ws["A5"].value == "零报告（本月未排查出矛盾纠纷）：白云乡/白云村"
    assert ws["A6"].value.startswith("未上报：城关镇/东街社区、") and len(ws["A6"].value.split("、")) == 20
    assert ws.page_setup.orientation == "landscape" and ws.print_title_rows == "$1:$2" and ws.freeze_panes == "A3"
