"""The matter list model: a window over SQL that pages by key, filters in SQL and colours deadlines."""

from __future__ import annotations

from datetime import timedelta

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from tests.helpers.qt import WAIT_MS, type_text
from xinfang_desktop.db.database import Database
from xinfang_desktop.db.models import Matter
from xinfang_desktop.domain.enums import Channel, Status
from xinfang_desktop.domain.values import MatterFilter, MatterInput, PetitionerInput
from xinfang_desktop.services.demo import generate
from xinfang_desktop.services.registry import register_matter
from xinfang_desktop.services.search import list_matters
from xinfang_desktop.ui.actions import ActionRunner
from xinfang_desktop.ui.register import matter_list
from xinfang_desktop.ui.register.matter_list import (
    BLOCK,
    COL_NUMBER,
    COL_PETITIONERS,
    COL_TITLE,
    DEADLINE_ROLE,
    MATTER_ID_ROLE,
    MatterListView,
    MatterTableModel,
)
from xinfang_desktop.wallclock import today


@pytest.fixture
def demo_db(db: Database) -> Database:
    with db.begin() as s:
        generate(s, cases=450, seed=7)
    return db


def test_model_passes_qtmodeltester(qtmodeltester, demo_db: Database) -> None:  # type: ignore[no-untyped-def]
    model = MatterTableModel(ActionRunner(demo_db))
    model.reload()
    assert model.rowCount() == 450
    qtmodeltester.check(model)
    model.set_filter(MatterFilter(channel=Channel.VISIT))
    qtmodeltester.check(model)


def test_rows_match_sql_order_across_blocks_and_after_a_far_jump(demo_db: Database) -> None:
    model = MatterTableModel(ActionRunner(demo_db))
    model.reload()
    with demo_db.read() as s:
        expected = [m.id for m in list_matters(s, limit=1000)]
    # jump straight to the last block (a scroll-bar drag): found by offset, no earlier block loaded
    last = model.rowCount() - 1
    assert model.index(last, 0).data(MATTER_ID_ROLE) == expected[last]
    assert list(model._blocks) == [last // BLOCK]
    # then read everything in order: the rest come by key from their neighbour
    got = [model.index(r, 0).data(MATTER_ID_ROLE) for r in range(model.rowCount())]
    assert got == expected


def test_cache_is_bounded(demo_db: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(matter_list, "MAX_BLOCKS", 2)
    model = MatterTableModel(ActionRunner(demo_db))
    model.reload()
    for row in (0, 250, 449, 0):
        assert model.index(row, 0).data() is not None
    assert len(model._blocks) <= 2


def test_search_finds_a_two_character_name_and_a_four_character_phrase(qtbot: QtBot, db: Database) -> None:
    with db.begin() as s:
        for name, title in (("张伟", "反映拖欠工资问题"), ("王芳", "反映道路破损问题"), ("张伟国", "咨询低保政策")):
            register_matter(s, MatterInput(received_on=today(), channel=Channel.LETTER, title=title,
                                           petitioners=(PetitionerInput(name=name),)))
    view = MatterListView(ActionRunner(db))
    qtbot.addWidget(view)
    view.show()
    type_text(view.search_edit, "张伟")
    view.apply_filter()  # what the debounce timer does
    names = sorted(view.model.index(r, COL_PETITIONERS).data() for r in range(view.model.rowCount()))
    assert names == ["张伟", "张伟国"]
    assert "2" in view.count_label.text()

    view.search_edit.clear()
    type_text(view.search_edit, "道路破损")
    qtbot.waitUntil(lambda: view.model.rowCount() == 1, timeout=WAIT_MS)  # the debounce fires by itself
    assert view.model.index(0, COL_TITLE).data() == "反映道路破损问题"


def test_filters_by_status_and_channel(qtbot: QtBot, demo_db: Database) -> None:
    view = MatterListView(ActionRunner(demo_db))
    qtbot.addWidget(view)
    view.channel_combo.setCurrentIndex(view.channel_combo.findText("来访"))
    view.status_combo.setCurrentIndex(view.status_combo.findText("已办结"))
    flt = view.model.filter
    assert flt.channel is Channel.VISIT and flt.status is Status.CLOSED
    with demo_db.read() as s:
        expected = {m.id for m in list_matters(s, MatterFilter(channel=Channel.VISIT, status=Status.CLOSED),
                                               limit=1000)}
    got = {view.model.index(r, 0).data(MATTER_ID_ROLE) for r in range(view.model.rowCount())}
    assert got == expected and got


def test_overdue_rows_are_red_and_due_soon_amber(db: Database) -> None:
    with db.begin() as s:
        refs = [register_matter(s, MatterInput(received_on=today() - timedelta(days=20), channel=Channel.LETTER,
                                               title=title, petitioners=(PetitionerInput(name="刘洋"),)))
                for title in ("超期的", "临期的", "宽裕的", "办结的")]
        for ref, days in zip(refs, (-3, 2, 40, -10), strict=True):
            matter = s.get(Matter, ref.id)
            assert matter is not None
            matter.status = Status.IN_PROGRESS
            matter.due_on = today() + timedelta(days=days)
        closed = s.get(Matter, refs[3].id)
        assert closed is not None
        closed.status = Status.CLOSED  # a closed matter no longer owes anything: no colour
    model = MatterTableModel(ActionRunner(db))
    model.reload()
    by_title = {model.index(r, COL_TITLE).data(): r for r in range(model.rowCount())}
    states = {t: model.index(r, 0).data(DEADLINE_ROLE) for t, r in by_title.items()}
    assert states == {"超期的": "超期", "临期的": "临期", "宽裕的": "", "办结的": ""}
    red = model.index(by_title["超期的"], COL_NUMBER).data(Qt.ItemDataRole.BackgroundRole)
    amber = model.index(by_title["临期的"], COL_NUMBER).data(Qt.ItemDataRole.BackgroundRole)
    assert red.color().red() > red.color().green() > 0
    assert amber.color().red() > amber.color().blue()
    assert red.color() != amber.color()
    assert model.index(by_title["宽裕的"], COL_NUMBER).data(Qt.ItemDataRole.BackgroundRole) is None


def test_double_click_emits_the_matter(qtbot: QtBot, demo_db: Database) -> None:
    view = MatterListView(ActionRunner(demo_db))
    qtbot.addWidget(view)
    view.apply_filter()
    first = view.model.index(0, 0).data(MATTER_ID_ROLE)
    with qtbot.waitSignal(view.matter_activated) as blocker:
        view.table.doubleClicked.emit(view.model.index(0, 2))
    assert blocker.args == [first]


def test_showing_the_list_reads_only_the_first_block(qtbot: QtBot, demo_db: Database) -> None:
    view = MatterListView(ActionRunner(demo_db))
    qtbot.addWidget(view)
    view.resize(900, 600)
    view.apply_filter()
    view.show()
    qtbot.waitExposed(view)
    assert view.model.rowCount() == 450
    qtbot.waitUntil(lambda: bool(view.model._blocks), timeout=WAIT_MS)  # the first paint
    assert list(view.model._blocks) == [0]  # 450 rows counted, 200 read: the view asked only for what it paints
    view.table.scrollToBottom()
    qtbot.waitUntil(lambda: (450 - 1) // BLOCK in view.model._blocks, timeout=WAIT_MS)
    assert 1 not in view.model._blocks  # the middle was skipped, not walked


def test_the_list_finds_a_matter_by_its_source_number_and_the_case_file_shows_it(
        qtbot: QtBot, db: Database, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """A clerk asked about 信访件编号 JJ-2025-02 of the upper level's export types it and opens the 卷宗."""
    import openpyxl

    from tests.helpers.qt import SHOTS
    from tests.ui.supervise.test_leaders_board import case_file_fields
    from xinfang_desktop.services.ledger.files import import_ledger_file
    from xinfang_desktop.ui.matter.matter_dialog import MatterDialog

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["序号", "信访件编号", "受理时间", "举报人", "反映主要问题"])
    ws.append([1, "JJ-2025-01", "2025-04-01", "王五", "反映村干部优亲厚友"])
    ws.append([2, "JJ-2025-02", "2025-04-08", "赵六", "反映站所工作人员吃拿卡要"])
    wb.save(tmp_path / "纪检台账.xlsx")
    import_ledger_file(db, tmp_path / "纪检台账.xlsx")
    runner = ActionRunner(db)
    view = MatterListView(runner)
    qtbot.addWidget(view)
    view.resize(1280, 600)
    view.show()
    assert "原编号" in view.search_edit.placeholderText()
    qtbot.keyClicks(view.search_edit, "JJ-2025-02")
    qtbot.waitUntil(lambda: view.model.rowCount() == 1, timeout=WAIT_MS)
    assert view.model.index(0, COL_TITLE).data() == "反映站所工作人员吃拿卡要"
    dialog = MatterDialog(runner, view.model.index(0, 0).data(MATTER_ID_ROLE))
    qtbot.addWidget(dialog)
    dialog.show()
    fields = case_file_fields(dialog)
    assert fields["原编号"] == "JJ-2025-02"
    SHOTS.mkdir(parents=True, exist_ok=True)
    dialog.grab().save(str(SHOTS / "matter-source-number.png"))
    # a matter registered here has none, and the 卷宗 shows no empty row for it
    with db.begin() as s:
        own = register_matter(s, MatterInput(received_on=today(), channel=Channel.LETTER, title="反映路灯不亮",
                                             petitioners=(PetitionerInput(name="张三"),))).id
    plain = MatterDialog(runner, own)
    qtbot.addWidget(plain)
    assert "原编号" not in case_file_fields(plain)


def test_the_title_keeps_its_room_beside_the_register_form(qtbot: QtBot, qapp, demo_db: Database) -> None:  # type: ignore[no-untyped-def]
    """At 1280×720 the list beside the form is about 750 pixels wide: 标题 showed 7 characters (issue 13)."""
    from xinfang_desktop.ui.fonts import apply_ui_font

    apply_ui_font(qapp)  # measured in the font the clerk sees
    view = MatterListView(ActionRunner(demo_db))
    qtbot.addWidget(view)
    table = view.table
    char = view.fontMetrics().horizontalAdvance("国")
    view.resize(750, 500)
    view.show()
    view.apply_filter()
    qtbot.waitUntil(lambda: view.model.rowCount() > 0, timeout=WAIT_MS)
    assert table.viewport().width() < 750
    assert table.columnWidth(COL_TITLE) >= char * 12
    # what gave way is 问题分类 (its tooltip whole), not the numbers, dates or states
    assert table.columnWidth(matter_list.COL_CATEGORY) < view.natural_widths[matter_list.COL_CATEGORY]
    for column in (COL_NUMBER, matter_list.COL_RECEIVED, matter_list.COL_STATUS, matter_list.COL_DUE):
        assert table.columnWidth(column) == view.natural_widths[column]
    number = view.model.index(0, COL_NUMBER).data()
    assert view.fontMetrics().horizontalAdvance(number) < table.columnWidth(COL_NUMBER)
    # on a wide screen every column has its natural width again
    view.resize(1400, 500)
    qtbot.waitUntil(lambda: table.columnWidth(matter_list.COL_CATEGORY)
                    == view.natural_widths[matter_list.COL_CATEGORY], timeout=WAIT_MS)
    assert table.columnWidth(COL_TITLE) > char * 30


@pytest.mark.parametrize("prefix", ["河信", "县人大信访"])
def test_the_number_column_shows_a_number_of_the_offices_own_prefix_whole(  # type: ignore[no-untyped-def]
    qtbot: QtBot, qapp, db: Database, prefix: str
) -> None:
    """The first-start page sets the prefix after the window is built: 编号 read "河信〔2026〕00…" at 1366."""
    from xinfang_desktop.services.common import set_setting
    from xinfang_desktop.ui.fonts import apply_ui_font

    apply_ui_font(qapp)
    runner = ActionRunner(db)
    view = MatterListView(runner)
    qtbot.addWidget(view)
    view.resize(860, 500)  # beside the register form at 1366
    view.show()
    runner.run(None, set_setting, "number_prefix", prefix)
    with db.begin() as s:
        register_matter(s, MatterInput(received_on=today(), channel=Channel.LETTER, title="反映路灯不亮",
                                       petitioners=(PetitionerInput(name="张三"),)))
    view.refresh()
    qtbot.waitUntil(lambda: view.model.rowCount() == 1, timeout=WAIT_MS)
    number = view.model.index(0, COL_NUMBER).data()
    assert number.startswith(f"{prefix}〔")
    assert view.fontMetrics().horizontalAdvance(number) + matter_list.CELL_PADDING <= view.table.columnWidth(COL_NUMBER)
    assert view.table.columnWidth(COL_TITLE) > 0
