"""领导包案 and 验证 recorded from the 督办 tab, seen on the board, in the 卷宗 and in the tally."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtWidgets import QFormLayout, QLabel, QScrollArea

from tests.helpers.action_dialogs import Script, script  # noqa: F401 - the fixture
from tests.helpers.qt import WAIT_MS
from xinfang_desktop.db.database import Database
from xinfang_desktop.domain.enums import Channel, Decision, Status, VerifyResult
from xinfang_desktop.domain.values import MatterInput, PetitionerInput, SupervisionRow
from xinfang_desktop.services import handling, registry
from xinfang_desktop.services.convert import get_matter
from xinfang_desktop.ui.actions import ActionRunner
from xinfang_desktop.ui.matter.matter_dialog import MatterDialog
from xinfang_desktop.ui.stats.stats_tab import COLUMNS, StatsTab
from xinfang_desktop.ui.supervise.board_model import BoardModel
from xinfang_desktop.ui.supervise.supervise_tab import SuperviseTab

D = date.fromisoformat


@pytest.fixture
def runner(db: Database) -> ActionRunner:
    return ActionRunner(db)


@pytest.fixture
def board(qtbot, runner: ActionRunner) -> SuperviseTab:  # type: ignore[no-untyped-def]
    tab = SuperviseTab(runner)
    qtbot.addWidget(tab)
    runner.data_changed.connect(lambda _w: tab.refresh())
    return tab


def accepted(db: Database, title: str) -> int:
    with db.begin() as s:
        matter_id = registry.register_matter(
            s, MatterInput(received_on=D("2026-03-02"), channel=Channel.VISIT, title=title,
                           petitioners=(PetitionerInput(name="王秀英"),))).id
        registry.decide(s, matter_id=matter_id, decision=Decision.ACCEPT, on=D("2026-03-03"))
    return matter_id


def closed(db: Database, title: str) -> int:
    matter_id = accepted(db, title)
    with db.begin() as s:
        handling.reply(s, matter_id=matter_id, on=D("2026-04-01"), text="已协调解决")
        handling.close(s, matter_id=matter_id, on=D("2026-04-02"), result="已解决")
    return matter_id


def pick(tab: SuperviseTab, matter_id: int) -> SupervisionRow:
    assert tab.select_rows(lambda r: r.matter_id == matter_id) == 1, tab.filter_combo.currentText()
    return tab.selected_rows()[0]


def case_file_fields(dialog: MatterDialog) -> dict[str, str]:
    scroll = dialog.tabs.widget(0)
    assert isinstance(scroll, QScrollArea)
    form = scroll.widget().layout()
    assert isinstance(form, QFormLayout)
    found = {}
    for row in range(form.rowCount()):
        label = form.itemAt(row, QFormLayout.ItemRole.LabelRole)
        field = form.itemAt(row, QFormLayout.ItemRole.FieldRole)
        if label is not None and field is not None and isinstance(field.widget(), QLabel):
            found[label.widget().text()] = field.widget().text()
    return found


def tally_rows(qtbot, runner: ActionRunner, *labels: str) -> dict[str, str]:  # type: ignore[no-untyped-def]
    """This year's column of some rows of the 统计 tab, for 2026."""
    tab = StatsTab(runner)
    qtbot.addWidget(tab)
    tab.show()
    qtbot.waitUntil(lambda: tab.current is not None and not tab.is_busy(), timeout=WAIT_MS)
    tab.choose_year(2026)
    qtbot.waitUntil(lambda: tab.current is not None and not tab.is_busy() and tab.current.date_from.year == 2026,
                    timeout=10000)
    found = {}
    for r in range(tab.table.rowCount()):
        label = tab.table.item(r, 0).text().strip("　")
        if label in labels:
            found[label] = tab.table.item(r, COLUMNS.index("本期")).text()
    return found


def test_a_charge_from_the_board_shows_in_its_column_its_filter_and_the_case_file(  # type: ignore[no-untyped-def]
    qtbot, db: Database, runner: ActionRunner, board: SuperviseTab, script: Script  # noqa: F811
) -> None:
    charged, other = accepted(db, "反映征地补偿款未发放"), accepted(db, "反映道路破损")
    board.refresh()
    pick(board, charged)
    script.form(leader="李明", post="副镇长", on=D("2026-03-05"), measures="召集村组和企业协调，督促发放",
                resolve_by=D("2026-04-30"))
    board.actions["领导包案"].trigger()
    assert script.warnings == []
    assert pick(board, charged).leader == "李明"
    row = next(r for r in range(board.model.rowCount()) if board.model.key_at(r).matter_id == charged)
    assert board.model.index(row, BoardModel.COL_LEADER).data() == "李明"
    board.set_filter("领导包案")
    assert {r.matter_id for r in board.model.rows()} == {charged}
    assert other not in {r.matter_id for r in board.model.rows()}

    dialog = MatterDialog(runner, charged)
    qtbot.addWidget(dialog)
    assert case_file_fields(dialog)["领导包案"] == (
        "副镇长李明（2026-03-05包案，化解期限2026-04-30）：召集村组和企业协调，督促发放")
    # a 化解期限 before the 包案日期 is refused, named, and nothing changes
    board.set_filter("全部在办")
    pick(board, other)
    script.form(leader="王芳", post="镇长", on=D("2026-03-10"), measures="包案", resolve_by=D("2026-03-08"))
    script.cancel()  # the refused form comes back over what was typed; the clerk gives up
    board.actions["领导包案"].trigger()
    assert len(script.warnings) == 1 and "化解期限" in script.warnings[0]
    with db.read() as s:
        assert get_matter(s, other).charge is None
    assert tally_rows(qtbot, runner, "领导包案（件）", "其中办结") == {"领导包案（件）": "1", "其中办结": "0"}
    script.done()


def test_verification_from_the_waiting_list_confirmed_and_not_carried_out(  # type: ignore[no-untyped-def]
    qtbot, db: Database, runner: ActionRunner, board: SuperviseTab, script: Script  # noqa: F811
) -> None:
    good, bad = closed(db, "反映低保待遇未落实"), closed(db, "反映宅基地纠纷")
    board.set_filter("待验证")
    assert {r.matter_id for r in board.model.rows()} == {good, bad}
    pick(board, good)
    script.form(on=D("2026-04-10"), checker="张红", method="实地查看", result=VerifyResult.CONFIRMED.value)
    board.actions["验证"].trigger()
    pick(board, bad)
    script.form(on=D("2026-04-10"), checker="张红", method="走访信访人", result=VerifyResult.NOT_DONE.value,
                reason="界桩仍未移回")
    board.actions["验证"].trigger()
    assert script.warnings == []
    assert board.model.rows() == []  # both verified: none waits

    with db.read() as s:
        assert get_matter(s, good).status is Status.CLOSED
        back = get_matter(s, bad)
    assert (back.status, back.key_supervision) == (Status.IN_PROGRESS, True)
    board.set_filter("重点督办")
    assert pick(board, bad).key_supervision  # back on the board, under 重点督办

    dialog = MatterDialog(runner, bad)
    qtbot.addWidget(dialog)
    assert case_file_fields(dialog)["验证"] == "2026-04-10 张红走访信访人：未落实（界桩仍未移回）"
    timeline = [dialog.timeline.item(r, 3).text() for r in range(dialog.timeline.rowCount())]
    assert "验证未落实，重新列为重点督办：界桩仍未移回" in timeline
    assert tally_rows(qtbot, runner, "验证（件）", "其中未落实") == {"验证（件）": "2", "其中未落实": "1"}
    script.done()
