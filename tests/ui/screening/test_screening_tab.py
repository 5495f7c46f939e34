"""The 排查 tab: a month's disputes and 零报告 recorded in the window, a dispute made a matter, the 排查台账."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import openpyxl
import pytest
from PySide6.QtWidgets import QFileDialog, QMessageBox

from tests.helpers.action_dialogs import Script, script  # noqa: F401 - the fixture
from tests.ui.supervise.test_leaders_board import case_file_fields
from xinfang_desktop.db.database import Database
from xinfang_desktop.domain.enums import DisputeState, RiskLevel
from xinfang_desktop.ui.actions import ActionRunner
from xinfang_desktop.ui.matter.matter_dialog import MatterDialog
from xinfang_desktop.ui.screening.screening_tab import ScreeningTab

D = date.fromisoformat


@pytest.fixture
def tab(qtbot, db: Database) -> ScreeningTab:  # type: ignore[no-untyped-def]
    runner = ActionRunner(db)
    page = ScreeningTab(runner)
    qtbot.addWidget(page)
    runner.data_changed.connect(lambda _w: page.refresh())
    page.resize(1366, 728)
    page.set_month("2026-06")
    return page


def test_a_month_recorded_in_the_tab_then_a_dispute_made_a_matter_and_exported(  # type: ignore[no-untyped-def]
    qtbot, tab: ScreeningTab, script: Script, tmp_path: Path, monkeypatch: pytest.MonkeyPatch  # noqa: F811
) -> None:
    script.form(found_on=D("2026-06-05"), village="柳溪乡/柳溪村", parties="张三、李四", category="农村农业/土地承包",
                summary="承包地边界争议", risk=RiskLevel.MAJOR.value, responsible="王五", resolve_by=D("2026-06-25"),
                state=DisputeState.RESOLVING.value, petitioned=False)
    tab.buttons["登记矛盾纠纷…"].click()
    script.form(village="柳溪乡/柳溪村", reported_on=D("2026-06-28"))  # it reported a dispute: refused
    script.form(village="白云乡/白云村")  # the form came back over what was typed: only the 村 corrected
    tab.buttons["零报告…"].click()
    assert len(script.warnings) == 1 and "已上报1件矛盾纠纷" in script.warnings[0]
    assert script.titles[-2:] == ["零报告", "零报告"]
    assert tab.table.rowCount() == 1 and tab.table.item(0, 5).text() == "重大"
    assert "23个村（社区）中已上报2个（零报告1个）" in tab.summary_label.text()
    assert tab.missing_label.text().startswith("未上报：城关镇/东街社区、")
    assert "柳溪乡/柳溪村" not in tab.missing_label.text() and "白云乡/白云村" not in tab.missing_label.text()

    tab.table.selectRow(0)
    infos: list[str] = []
    monkeypatch.setattr(QMessageBox, "information", lambda _p, _t, text, *a, **k: infos.append(text))
    script.form(on=D("2026-06-09"))
    tab.buttons["转为信访事项"].click()
    assert infos and infos[0].startswith("已登记为信访事项")
    number = tab.table.item(0, 10).text()
    assert number and tab.table.item(0, 9).text() == "是"

    dispute = tab.disputes[0]
    assert dispute.matter_id is not None
    dialog = MatterDialog(tab.runner, dispute.matter_id)
    qtbot.addWidget(dialog)
    assert case_file_fields(dialog)["矛盾纠纷"] == "柳溪乡/柳溪村2026-06-05排查，风险等级重大，化解中：承包地边界争议"

    target = tmp_path / "排查台账.xlsx"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    assert tab.export() == target
    ws = openpyxl.load_workbook(target).active
    assert ws["A1"].value.endswith("2026年6月矛盾纠纷排查台账") and ws["L3"].value == number
    tab.grab().save(str(tmp_path / "screening_tab.png"))
    script.done()


def test_a_refused_dispute_form_comes_back_over_what_was_typed(  # type: ignore[no-untyped-def]
    tab: ScreeningTab, script: Script  # noqa: F811
) -> None:
    script.form(found_on=D("2026-06-10"), village="柳溪乡/柳溪村", parties="张三、李四", summary="宅基地边界争议",
                responsible="王五", resolve_by=D("2026-06-05"))  # before the 排查日期: refused
    script.form(resolve_by=D("2026-06-30"))  # only the date typed again
    tab.buttons["登记矛盾纠纷…"].click()
    assert len(script.warnings) == 1 and "化解期限" in script.warnings[0]
    assert script.titles == ["登记矛盾纠纷", "登记矛盾纠纷"]
    assert [(d.parties, d.summary, d.responsible, d.resolve_by) for d in tab.disputes] == [
        ("张三、李四", "宅基地边界争议", "王五", D("2026-06-30"))]
    script.done()


def test_a_dispute_past_its_date_shows_on_the_board(qtbot, db: Database, script: Script) -> None:  # type: ignore[no-untyped-def] # noqa: F811
    from xinfang_desktop.services import screening
    from xinfang_desktop.ui.supervise.supervise_tab import SuperviseTab

    with db.begin() as s:
        for village, resolve_by, state in (("柳溪乡/柳溪村", D("2026-06-10"), DisputeState.RESOLVING),
                                           ("青石镇/石桥村", D("2026-06-10"), DisputeState.RESOLVED),
                                           ("河口镇/河口村", D("2099-06-10"), DisputeState.UNRESOLVED)):
            screening.add_dispute(s, found_on=D("2026-06-05"), village=village, parties="张三", category_id=None,
                                  summary="宅基地纠纷", risk=RiskLevel.SERIOUS, responsible="王五",
                                  resolve_by=resolve_by, state=state)
    board = SuperviseTab(ActionRunner(db))
    qtbot.addWidget(board)
    board.set_filter("排查超期")
    rows = board.model.rows()
    assert [(r.title, r.unit, r.due_on) for r in rows] == [("【排查】柳溪乡/柳溪村：宅基地纠纷", "王五", D("2026-06-10"))]
    assert board.select_rows(lambda r: True) == 1
    board.actions["领导包案"].trigger()  # not a matter yet: said so, nothing asked
    assert script.infos and "尚未登记为信访事项" in script.infos[-1]
    script.done()


def test_the_summary_column_gets_the_width_and_short_columns_show_their_text(  # type: ignore[no-untyped-def]
    qtbot, db: Database
) -> None:
    from xinfang_desktop.services import screening

    with db.begin() as s:
        for day, village, parties, summary in (
            ("2026-06-03", "柳溪乡/柳溪村", "张三、李四", "承包地边界争议，双方各执一词，已多次到村委会反映"),
            ("2026-06-08", "河口镇/李家湾村", "王秀英、赵德明、孙丽", "宅基地界址纠纷，涉及邻里通行道路"),
        ):
            screening.add_dispute(s, found_on=D(day), village=village, parties=parties, category_id=None,
                                  summary=summary, risk=RiskLevel.ORDINARY, responsible="王五",
                                  resolve_by=D("2026-06-30"))
    page = ScreeningTab(ActionRunner(db))
    qtbot.addWidget(page)
    page.resize(1270, 600)  # the tab in the main window at 1366×728
    page.show()
    page.set_month("2026-06")
    qtbot.waitExposed(page)
    table = page.table
    widths = [table.columnWidth(c) for c in range(table.columnCount())]
    summary, last = widths[4], widths[-1]
    assert summary == max(widths) and summary > 2 * last
    metrics = table.fontMetrics()
    for column in (1, 2):  # 村（社区）, 当事人: whole
        assert all(table.columnWidth(column) >= metrics.horizontalAdvance(table.item(r, column).text())
                   for r in range(table.rowCount()))
    assert sum(widths) <= table.viewport().width() + 1  # no sideways scrolling
