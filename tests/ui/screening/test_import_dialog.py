"""导入矛盾纠纷 in the 排查 tab: rows pasted from the clipboard or read from a workbook, checked per row in the
dialog, the import refused while a row is wrong, and all the rows written in one action once none is."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QDialog, QFileDialog, QMessageBox
from pytestqt.qtbot import QtBot

from tests.helpers.qt import SHOTS, WAIT_MS
from tests.services.test_screening_import import GOOD, HEADER
from xinfang_desktop.db.database import Database
from xinfang_desktop.domain.changes import Changes
from xinfang_desktop.exporters.screening_xlsx import write_screening
from xinfang_desktop.services import screening
from xinfang_desktop.ui.actions import ActionRunner
from xinfang_desktop.ui.fonts import apply_ui_font
from xinfang_desktop.ui.screening.import_dialog import COLUMNS, WRONG_TEXT, DisputeImportDialog
from xinfang_desktop.ui.screening.screening_tab import ScreeningTab

D = date.fromisoformat
WRONG = "2026-06-12\t河口镇/河口村\t吴十\t\t债务\t高\t王五\t2026-06-01\t\t"


@pytest.fixture(autouse=True)
def _fonts(qapp: QApplication) -> None:
    apply_ui_font(qapp)


def _paste(qtbot: QtBot, dialog: DisputeImportDialog, text: str) -> None:
    """As the clerk does: copy in Excel, Ctrl+V in the box; the check runs a moment later."""
    QGuiApplication.clipboard().setText(text)
    dialog.paste_box.clear()
    dialog.paste_box.paste()
    qtbot.waitUntil(lambda: not dialog._timer.isActive(), timeout=5000)


def _results(dialog: DisputeImportDialog) -> list[str]:
    last = dialog.table.columnCount() - 1
    return [dialog.table.item(r, last).text() for r in range(dialog.table.rowCount())]


def test_a_wrong_row_is_shown_and_stops_the_import_until_it_is_put_right(qtbot: QtBot, db: Database) -> None:
    runner = ActionRunner(db)
    told: list[Changes] = []
    runner.data_changed.connect(told.append)
    dialog = DisputeImportDialog(runner)
    qtbot.addWidget(dialog)
    dialog.show()
    _paste(qtbot, dialog, "\n".join([HEADER, *GOOD, WRONG]))
    assert dialog.table.rowCount() == 3
    results = _results(dialog)
    assert results[:2] == ["可以导入", "可以导入"]
    assert "风险等级“高”不认识" in results[2] and "化解期限" in results[2]  # all that is wrong, at once
    assert "共3行，其中1行有误" in dialog.status_label.text()
    assert not dialog.import_button.isEnabled()
    # the misspelt 风险等级 stands in its cell as written, in red, never as the 一般 it would default to
    risk = dialog.table.item(2, COLUMNS.index("风险等级"))
    assert risk.text() == "高" and risk.foreground().color() == WRONG_TEXT and risk.font().bold()
    assert dialog.table.item(0, COLUMNS.index("风险等级")).text() == "重大"
    SHOTS.mkdir(parents=True, exist_ok=True)
    assert dialog.grab().save(str(SHOTS / "screening-import.png"))

    # half put right in Excel and pasted again: the 化解期限 before the 排查日期 is still said
    _paste(qtbot, dialog, "\n".join([HEADER, *GOOD, WRONG.replace("\t高\t", "\t较大\t")]))
    assert "化解期限" in _results(dialog)[2] and "风险等级" not in _results(dialog)[2]
    assert not dialog.import_button.isEnabled()
    _paste(qtbot, dialog, "\n".join([HEADER, *GOOD, WRONG.replace("\t高\t", "\t较大\t").replace("2026-06-01",
                                                                                              "2026-07-01")]))
    assert _results(dialog) == ["可以导入"] * 3 and dialog.import_button.isEnabled()
    assert "全部无误" in dialog.status_label.text()
    dialog.import_button.click()
    assert dialog.result() == QDialog.DialogCode.Accepted and dialog.imported == 3
    with db.read() as s:
        assert len(screening.list_disputes(s, month="2026-06")) == 3
    assert len(told) == 1 and len(told[0].disputes) == 3  # one action, one refresh


def test_a_wrong_row_is_as_tall_as_its_errors_when_checked_before_the_dialog_is_shown(
        qtbot: QtBot, db: Database) -> None:
    text = "\n".join([HEADER, *GOOD, WRONG])

    def dialog(*, check_first: bool) -> DisputeImportDialog:
        made = DisputeImportDialog(ActionRunner(db))
        qtbot.addWidget(made)
        if check_first:  # as a file read at once, or the screen probe, does
            made.paste_box.setPlainText(text)
            made.check()
        made.show()
        qtbot.waitExposed(made)
        if not check_first:
            made.paste_box.setPlainText(text)
            made.check()
        return made

    early, late = dialog(check_first=True), dialog(check_first=False)
    # checked before it was shown, the 检查结果 column was still narrow: the row grew to its text wrapped there
    qtbot.waitUntil(lambda: early.table.rowHeight(2) == late.table.rowHeight(2), timeout=WAIT_MS)
    lines = early.table.rowHeight(2) / early.table.fontMetrics().lineSpacing()
    assert 1.5 < lines < 4.5, early.table.rowHeight(2)  # its two errors on two to four lines, not nine
    one_line = early.table.verticalHeader().defaultSectionSize()
    assert early.table.rowHeight(0) == early.table.rowHeight(1) == one_line  # the right rows stay one line


def test_a_paste_without_a_header_is_said_in_the_dialog(qtbot: QtBot, db: Database) -> None:
    dialog = DisputeImportDialog(ActionRunner(db))
    qtbot.addWidget(dialog)
    _paste(qtbot, dialog, GOOD[0])
    assert dialog.table.rowCount() == 0 and "连同表头" in dialog.status_label.text()
    assert not dialog.import_button.isEnabled()


def test_a_villages_workbook_read_into_the_tab(qtbot: QtBot, db: Database, tmp_path: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    # a 村's 排查台账 for May, as this program writes it (the format the villages are given to fill in)
    source = Database(tmp_path / "village.sqlite3")
    from xinfang_desktop.services.office import seed_demo_office
    from xinfang_desktop.services.reference import seed_defaults

    with source.begin() as s:
        seed_defaults(s)
        seed_demo_office(s)
        for text in GOOD:
            screening.import_disputes(s, rows=[HEADER.split("\t"), text.replace("2026-06", "2026-05").replace(
                "2026年6月", "2026年5月").replace("2026.6", "2026.5").split("\t")])
        workbook = tmp_path / "柳溪村5月排查台账.xlsx"
        write_screening(workbook, screening.list_disputes(s, month="2026-05"), title="2026年5月矛盾纠纷排查台账",
                        zero=[], unreported=[], as_of=D("2026-06-01"))
    source.close()

    tab = ScreeningTab(ActionRunner(db))
    qtbot.addWidget(tab)
    tab.runner.data_changed.connect(lambda _c: tab.refresh())
    tab.set_month("2026-06")
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(workbook), ""))
    infos: list[str] = []
    monkeypatch.setattr(QMessageBox, "information", lambda _p, _t, text, *a, **k: infos.append(text))

    def clerk(dialog: DisputeImportDialog) -> int:
        dialog.read_button.click()
        assert _results(dialog) == ["可以导入", "可以导入"]
        assert "另有2行没有排查内容" in dialog.status_label.text()  # the 零报告 and 未上报 lines
        dialog.import_button.click()
        return int(dialog.result())

    monkeypatch.setattr(DisputeImportDialog, "exec", clerk)
    assert tab.buttons["导入…"].isVisible() or not tab.isVisible()
    assert tab.import_rows() == 2
    assert infos == ["已导入2件矛盾纠纷"]
    assert tab.month() == "2026-05" and tab.table.rowCount() == 2  # the month imported is shown
    assert {tab.table.item(r, 1).text() for r in range(2)} == {"柳溪乡/柳溪村", "青石镇/石桥村"}
