"""The 接访 tab and the 约访/下访 actions: the roster, its notice, the 登记 form's leader on duty, the tally."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtWidgets import QFileDialog

from tests.helpers.action_dialogs import Script, script  # noqa: F401 - the fixture
from tests.ui.supervise.test_leaders_board import accepted, pick, tally_rows
from xinfang_desktop.db.database import Database
from xinfang_desktop.domain.enums import Channel, EventKind, MeetingKind
from xinfang_desktop.services import leaders
from xinfang_desktop.services.convert import get_matter
from xinfang_desktop.ui.actions import ActionRunner
from xinfang_desktop.ui.leaders.leaders_tab import LeadersTab
from xinfang_desktop.ui.matter.matter_dialog import MatterDialog
from xinfang_desktop.ui.register.register_tab import RegisterTab
from xinfang_desktop.ui.supervise.supervise_tab import SuperviseTab

D = date.fromisoformat
FAR = D("2099-06-01")  # a roster day still to come whenever the test runs


@pytest.fixture
def runner(db: Database) -> ActionRunner:
    return ActionRunner(db)


@pytest.fixture
def tab(qtbot, runner: ActionRunner) -> LeadersTab:  # type: ignore[no-untyped-def]
    page = LeadersTab(runner)
    qtbot.addWidget(page)
    runner.data_changed.connect(lambda _w: page.refresh())
    page.resize(1366, 728)
    return page


def test_the_roster_is_planned_printed_and_refuses_a_day_gone_by(  # type: ignore[no-untyped-def]
    tab: LeadersTab, script: Script, tmp_path: Path, monkeypatch: pytest.MonkeyPatch  # noqa: F811
) -> None:
    tab.set_period(D("2099-06-01"), D("2099-06-30"))
    for day, leader, post in ((FAR, "王芳", "镇长"), (D("2099-06-08"), "李明", "副镇长")):
        script.form(day=day, leader=leader, post=post, place="镇信访接待室", hours="上午8:30—12:00")
        tab.add_day_button.click()
    script.form(day=D("2026-03-02"), leader="赵强", post="副书记", place="镇信访接待室", hours="上午")
    tab.add_day_button.click()
    assert len(script.warnings) == 1 and "接访日期" in script.warnings[0] and "已经过去" in script.warnings[0]
    assert [tab.roster_table.item(r, 3).text() for r in range(tab.roster_table.rowCount())] == ["王芳", "李明"]
    assert tab.roster_table.item(0, 1).text() == "星期一"  # 2099-06-01

    target = tmp_path / "公告.pdf"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    assert tab.print_notice() == target
    reader = PdfReader(target)
    assert len(reader.pages) == 1
    text = reader.pages[0].extract_text().replace("\n", "")
    assert "领导接访日安排" in text and "副镇长李明" in text and "6月8日" in text
    tab.grab().save(str(tmp_path / "leaders_tab.png"))
    script.done()


def test_a_visit_down_on_its_own_and_an_invitation_on_a_matter_are_counted(  # type: ignore[no-untyped-def]
    qtbot, db: Database, runner: ActionRunner, tab: LeadersTab, script: Script  # noqa: F811
) -> None:
    matter_id = accepted(db, "反映灌溉渠堵塞")
    tab.set_period(D("2026-01-01"), D("2026-12-31"))
    script.form(held_on=D("2026-05-06"), leader="李明", post="副镇长", place="柳溪村村委会", people="村民代表",
                batches=3, persons=11, talk="听取春耕用水意见", agreed="月底前清淤")
    tab.visit_button.click()
    board = SuperviseTab(runner)
    qtbot.addWidget(board)
    pick(board, matter_id)
    script.form(held_on=D("2026-03-10"), leader="王芳", post="镇长", place="镇信访接待室", people="王秀英",
                persons=2, talk="面谈渠道清淤问题", agreed="一周内答复")
    board.actions["约访"].trigger()
    assert script.warnings == []
    tab.refresh()
    kinds = [tab.meeting_table.item(r, 1).text() for r in range(tab.meeting_table.rowCount())]
    assert kinds == [MeetingKind.VISITING.value, MeetingKind.INVITED.value]
    assert tab.meeting_table.item(1, 4).text() == get_matter_number(db, matter_id)

    dialog = MatterDialog(runner, matter_id)
    qtbot.addWidget(dialog)
    found = [(dialog.timeline.item(r, 1).text(), dialog.timeline.item(r, 3).text())
             for r in range(dialog.timeline.rowCount())]
    assert (EventKind.INVITED.value, "2026年3月10日镇长王芳在镇信访接待室约访王秀英：面谈渠道清淤问题；商定：一周内答复") in found
    assert tally_rows(qtbot, runner, "领导约访（次）", "领导约访（人次）", "领导下访（次）", "下访接待（批）",
                      "下访接待（人次）") == {"领导约访（次）": "1", "领导约访（人次）": "2", "领导下访（次）": "1",
                                        "下访接待（批）": "3", "下访接待（人次）": "11"}
    script.done()


def get_matter_number(db: Database, matter_id: int) -> str:
    with db.read() as s:
        return get_matter(s, matter_id).number


def test_the_register_form_offers_the_leader_on_duty_for_a_visit_that_day(  # type: ignore[no-untyped-def]
    qtbot, db: Database, runner: ActionRunner
) -> None:
    with db.begin() as s:
        leaders.add_reception_day(s, day=D("2026-03-02"), leader="李明", post="副镇长", place="镇信访接待室",
                                  hours="上午", now=D("2026-03-01"))
    form = RegisterTab(runner)
    qtbot.addWidget(form)
    ui = form.ui
    ui.channel_combo.setCurrentIndex(ui.channel_combo.findText(Channel.VISIT.value))
    ui.received_date.setDate(ui.received_date.date().fromString("2026-03-02", "yyyy-MM-dd"))
    assert form.leaders_on_duty == ["李明"]
    assert ui.leader_edit.placeholderText() == "当日接访领导：副镇长李明"
    assert ui.leader_edit.completer().model().index(0, 0).data() == "李明"
    ui.received_date.setDate(ui.received_date.date().fromString("2026-03-03", "yyyy-MM-dd"))
    assert form.leaders_on_duty == [] and ui.leader_edit.placeholderText() == ""
