"""The 督办 board sorts every column by its own values: 标题 by title (拼音), 编号 by year and number…"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from tests.helpers.qt import SHOTS
from xinfang_desktop.db.database import Database
from xinfang_desktop.domain.values import SupervisionRow
from xinfang_desktop.services.demo import generate
from xinfang_desktop.services.handling import set_key_supervision
from xinfang_desktop.ui.actions import ActionRunner
from xinfang_desktop.ui.fonts import apply_ui_font
from xinfang_desktop.ui.supervise.board_model import SORT_ROLE, BoardModel, DecisionQueueModel, chinese_collator
from xinfang_desktop.ui.supervise.supervise_tab import SuperviseTab

T = date(2026, 11, 20)
M = BoardModel


def _row(matter_id: int, number: str, title: str, unit: str, days: int, state: str, key: bool, ext: bool,
         reminders: int, leader: str = "") -> SupervisionRow:
    return SupervisionRow(matter_id, number, title, matter_id * 10, unit, T + timedelta(days=days), days, state,
                          key, ext, reminders, leader)


# each column's order differs from the days-left order and from the others', so a column that
# sorted by anything but itself would show up
ROWS = [
    _row(1, "信〔2026〕0010号", "反映道路破损问题", "城关镇人民政府", 3, "待反馈", False, True, 2, "王芳"),
    _row(2, "信〔2026〕0002号", "安置补偿款未到位", "县人力资源和社会保障局", -4, "退回补办", True, False, 0),
    _row(3, "信〔2025〕0100号", "拆迁安置争议", "白云乡人民政府", 12, "待反馈", True, True, 1, "李明"),
    _row(4, "人大信〔2026〕10000号", "咨询低保政策", "县民政局", 0, "待反馈", False, False, 5),
    _row(5, "信〔2026〕9999号", "工资拖欠问题", "城关镇人民政府", 30, "退回补办", False, False, 3, "陈刚"),
]
EXPECTED = {  # matter ids in ascending order, worked out by hand; ties go by days left
    M.COL_NUMBER: [3, 2, 1, 5, 4],  # 2025 first; 9999 before 10000; the 人大信 prefix does not split 2026
    M.COL_TITLE: [2, 3, 1, 5, 4],  # 拼音: 安置 an, 拆迁 chai, 反映 fan, 工资 gong, 咨询 zi
    M.COL_UNIT: [3, 1, 5, 4, 2],  # 白云 bai, 城关 cheng (3 days, then 30), 县民政 xian min, 县人力 xian ren
    M.COL_DUE: [2, 4, 1, 3, 5],
    M.COL_DAYS: [2, 4, 1, 3, 5],
    M.COL_DEADLINE: [2, 4, 1, 3, 5],  # 超期, 临期 (0 and 3 days, soon = 5), 正常
    M.COL_STATE: [4, 1, 3, 2, 5],  # 待反馈 dai before 退回补办 tui
    M.COL_FLAGS: [3, 2, 1, 4, 5],  # both marks, 重点督办, 已延期, none
    M.COL_REMINDERS: [2, 3, 1, 5, 4],
    M.COL_LEADER: [2, 4, 5, 3, 1],  # none first (by days left), then 陈 chen, 李 li, 王 wang
}


def _model(rows: list[SupervisionRow] = ROWS) -> BoardModel:
    model = BoardModel(due_soon_days=5)
    model.set_rows(rows)
    return model


def _ids(model: BoardModel) -> list[int]:
    return [model.key_at(r).matter_id for r in range(model.rowCount())]


@pytest.mark.parametrize("column", list(EXPECTED))
def test_each_column_sorts_by_its_own_values_both_ways(column: int) -> None:
    model = _model()
    model.sort(column, Qt.SortOrder.AscendingOrder)
    assert _ids(model) == EXPECTED[column], M.HEADERS[column]
    model.sort(column, Qt.SortOrder.DescendingOrder)
    assert _ids(model) == EXPECTED[column][::-1], M.HEADERS[column]
    # the sort role agrees with the order shown (for anything that sorts through it)
    roles = [model.index(r, column).data(SORT_ROLE) for r in range(model.rowCount())]
    assert roles == sorted(roles, reverse=True)


def test_the_title_order_is_pinyin_not_code_points() -> None:
    titles = [r.title for r in ROWS]
    assert sorted(titles) != [ROWS[i - 1].title for i in EXPECTED[M.COL_TITLE]]  # code points would differ
    model = _model()
    model.sort(M.COL_TITLE)
    assert [model.display(r, M.COL_TITLE) for r in range(5)] == [
        "安置补偿款未到位", "拆迁安置争议", "反映道路破损问题", "工资拖欠问题", "咨询低保政策"]


def test_a_sorted_board_stays_sorted_when_reloaded_and_reads_rows_it_sorts_by() -> None:
    reads: list[int] = []
    by_key = {(r.matter_id, r.transfer_id): r for r in ROWS}

    def loader(keys):  # type: ignore[no-untyped-def]
        reads.append(len(keys))
        return [by_key[(k.matter_id, k.transfer_id)] for k in keys]

    from xinfang_desktop.ui.supervise.board_model import key_of

    model = BoardModel(loader, due_soon_days=5)
    model.sort(M.COL_TITLE)
    model.set_keys([key_of(r) for r in ROWS])  # keys alone, as the tab does: the titles are read to sort
    assert _ids(model) == EXPECTED[M.COL_TITLE] and reads == [5]
    model.display(0, M.COL_TITLE)
    assert reads == [5]  # painting reuses what the sort read


def test_the_decision_queue_sorts_titles_by_pinyin_and_numbers_by_value() -> None:
    from xinfang_desktop.domain.enums import Channel
    from xinfang_desktop.domain.values import DecisionRow

    def row(i: int, number: str, title: str) -> DecisionRow:
        return DecisionRow(i, number, T, Channel.LETTER, "张三", title, T + timedelta(days=15), 15 - i, "", "", False)

    model = DecisionQueueModel()
    model.set_rows([row(1, "信〔2026〕0010号", "咨询低保政策"), row(2, "信〔2026〕0002号", "安置补偿款未到位")])
    model.sort(DecisionQueueModel.COL_TITLE)
    assert [model.row_at(r).matter_id for r in range(2)] == [2, 1]
    model.sort(DecisionQueueModel.COL_NUMBER)
    assert [model.row_at(r).matter_id for r in range(2)] == [2, 1]


def test_sorted_models_pass_the_model_tester(qtmodeltester) -> None:  # type: ignore[no-untyped-def]
    model = _model()
    for column in EXPECTED:
        model.sort(column)
        qtmodeltester.check(model)


def test_clicking_the_title_header_on_the_board_sorts_by_title(qtbot: QtBot, db: Database) -> None:
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    apply_ui_font(app)
    with db.begin() as s:
        generate(s, cases=450, seed=7)
    runner = ActionRunner(db)
    tab = SuperviseTab(runner)
    qtbot.addWidget(tab)
    tab.resize(1200, 520)
    runner.data_changed.connect(lambda _what: tab.refresh())
    tab.show()
    qtbot.waitExposed(tab)
    header = tab.view.horizontalHeader()
    x = header.sectionViewportPosition(M.COL_TITLE) + header.sectionSize(M.COL_TITLE) // 2
    QTest.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, header.height() // 2))
    assert header.sortIndicatorSection() == M.COL_TITLE
    collator = chinese_collator()
    titles = [tab.model.display(r, M.COL_TITLE) for r in range(tab.model.rowCount())]
    assert len(set(titles)) > 3 and titles == sorted(titles, key=collator.sortKey)
    days = [tab.model.key_at(r).days_left for r in range(tab.model.rowCount())]
    assert days != sorted(days)  # not the days-left order the 标题 header used to give

    # a change reloads the board: still in title order, and the marked matter shows its mark
    first = tab.model.key_at(0).matter_id
    assert runner.run(None, set_key_supervision, matter_id=first, on=True, what="重点督办") is not None
    titles = [tab.model.display(r, M.COL_TITLE) for r in range(tab.model.rowCount())]
    assert titles == sorted(titles, key=collator.sortKey)
    assert header.sortIndicatorSection() == M.COL_TITLE
    QApplication.processEvents()
    SHOTS.mkdir(parents=True, exist_ok=True)
    assert tab.grab().save(str(SHOTS / "board-sorted-by-title.png"))

    x = header.sectionViewportPosition(M.COL_FLAGS) + header.sectionSize(M.COL_FLAGS) // 2
    QTest.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, header.height() // 2))
    assert "重点督办" in tab.model.display(0, M.COL_FLAGS)
