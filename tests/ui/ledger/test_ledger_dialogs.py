"""导入台账 / 导出台账 dialogs: workers with progress, the preview writes nothing, mapping, one-transaction import."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from pytestqt.qtbot import QtBot

from tests.helpers.qt import WAIT_MS
from xinfang_desktop.db.database import Database
from xinfang_desktop.domain.enums import Channel
from xinfang_desktop.domain.values import MatterFilter, MatterInput, PetitionerInput
from xinfang_desktop.exporters.ledger_import import error_workbook_path
from xinfang_desktop.services.reference import find_category
from xinfang_desktop.services.registry import register_matter
from xinfang_desktop.services.search import count_matters, get_matter
from xinfang_desktop.ui.ledger import ledger_dialogs
from xinfang_desktop.ui.ledger.ledger_dialogs import ExportDialog, ImportDialog, MappingDialog


@pytest.fixture
def messages(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, str]]:
    shown: list[tuple[str, str]] = []

    def record(kind: str) -> Any:
        def show(_parent: object, title: str, text: str, *_a: object) -> None:
            shown.append((kind, text))
        return show

    monkeypatch.setattr(ledger_dialogs.QMessageBox, "information", record("information"))
    monkeypatch.setattr(ledger_dialogs.QMessageBox, "warning", record("warning"))
    return shown


def _register(db: Database, n: int, year: int = 2025) -> None:
    with db.begin() as s:
        for i in range(n):
            register_matter(s, MatterInput(received_on=date(year, 1 + i % 12, 3), channel=Channel.LETTER,
                                           title=f"反映问题{i}", petitioners=(PetitionerInput(f"张{i}"),)))


def _hand_ledger(path: Path) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "2019年"
    ws.append(["2019年信访工作台账"])
    ws.append(["日期", "来信人", "情况", "方式", "经办人"])
    ws.append(["2019.3.5", "张三", "反映路灯不亮", "来信", "李"])
    ws.append(["2019年4月1日", "李四", "反映道路破损", "来访", "王"])
    ws.append(["", "王五", "没有日期", "来信", ""])
    ws.append(["制表人：李"])
    wb.save(path)
    return path


def test_export_runs_in_a_worker_and_writes_the_year(qtbot: QtBot, db: Database, tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch,
                                                      messages: list[tuple[str, str]]) -> None:
    _register(db, 30)
    _register(db, 5, year=2024)
    dialog = ExportDialog(db)
    qtbot.addWidget(dialog)
    dialog.scope.setCurrentIndex(dialog.scope.findText("2025年"))
    assert dialog.count_label.text() == "共30件信访事项"
    assert dialog.default_name() == "青石县城关镇人民政府2025年信访工作台账.xlsx"
    target = tmp_path / "out"
    monkeypatch.setattr(ledger_dialogs.QFileDialog, "getSaveFileName",
                        lambda *_a, **_k: (str(target), "Excel 工作簿 (*.xlsx)"))
    with qtbot.waitSignal(dialog.finished_export, timeout=WAIT_MS) as blocker:
        dialog.export_button.click()
    assert blocker.args == [tmp_path / "out.xlsx"]
    ws = openpyxl.load_workbook(tmp_path / "out.xlsx").active
    assert ws["A1"].value == "青石县城关镇人民政府2025年信访工作台账"
    assert ws.max_row == 32 and ws["F3"].value is None
    assert messages and "已导出30件" in messages[-1][1]


def test_export_keeps_the_filter_it_was_given(qtbot: QtBot, db: Database) -> None:
    _register(db, 12)
    flt = MatterFilter(date_from=date(2025, 1, 1), date_to=date(2025, 6, 30))
    dialog = ExportDialog(db, flt)
    qtbot.addWidget(dialog)
    assert dialog.scope.currentText() == "2025年1月1日至2025年6月30日"
    assert dialog.current_filter() == flt and dialog.count_label.text() == "共6件信访事项"


def test_export_failure_is_shown_and_no_file(qtbot: QtBot, db: Database, tmp_path: Path,
                                              messages: list[tuple[str, str]]) -> None:
    _register(db, 3)
    dialog = ExportDialog(db)
    qtbot.addWidget(dialog)
    dialog.scope.setCurrentIndex(dialog.scope.findText("2025年"))
    with qtbot.waitSignal(dialog.finished_export, timeout=WAIT_MS) as blocker:
        dialog.start(tmp_path / "no-such-folder" / "x.xlsx")
    assert blocker.args == [None]
    assert messages[-1][0] == "warning" and "无法写入" in messages[-1][1]


def test_import_preview_mapping_then_one_transaction(qtbot: QtBot, db: Database, tmp_path: Path,
                                                     messages: list[tuple[str, str]]) -> None:
    path = _hand_ledger(tmp_path / "旧台账.xlsx")
    dialog = ImportDialog(db, path)
    qtbot.addWidget(dialog)
    with qtbot.waitSignal(dialog.previewed, timeout=WAIT_MS) as blocker:
        dialog.start_preview()
    report = blocker.args[0]
    # no 反映问题 column yet; the sign-off line under the table is not a row
    assert (report.rows_read, report.imported, len(report.skipped)) == (3, 0, 3)
    assert dialog.ledger is not None and dialog.ledger.unrecognised == ("情况", "经办人")
    assert dialog.map_button.isEnabled() and not dialog.import_button.isEnabled()
    with db.read() as s:
        assert count_matters(s) == 0  # the preview wrote nothing

    mapping = MappingDialog(dialog.ledger.unrecognised, {}, dialog)
    mapping.boxes["情况"].setCurrentIndex(mapping.boxes["情况"].findData("反映问题"))
    assert mapping.mapping() == {"情况": "反映问题", "经办人": ""}
    with qtbot.waitSignal(dialog.previewed, timeout=WAIT_MS) as blocker:
        dialog.set_mapping(mapping.mapping())
    report = blocker.args[0]
    assert (report.imported, [s.row for s in report.skipped]) == (2, [5])
    cells = [[dialog.table.item(r, c).text() for c in range(4)] for r in range(dialog.table.rowCount())]
    assert cells[0][:3] == ["2019年", "5", "无法导入"]
    assert dialog.import_button.isEnabled()
    dialog.grab().save(str(tmp_path / "preview.png"))

    with qtbot.waitSignal(dialog.imported, timeout=WAIT_MS) as blocker:
        dialog.import_button.click()
    outcome = blocker.args[0]
    assert outcome.report.imported == 2 and outcome.error_workbook == error_workbook_path(path)
    with db.read() as s:
        assert count_matters(s, MatterFilter(year=2019)) == 2
    assert "已导入2件" in messages[-1][1]


def test_import_of_a_file_that_is_not_a_workbook(qtbot: QtBot, db: Database, tmp_path: Path,
                                                  messages: list[tuple[str, str]]) -> None:
    path = tmp_path / "x.xlsx"
    path.write_text("这不是Excel")
    dialog = ImportDialog(db, path)
    qtbot.addWidget(dialog)
    with qtbot.waitSignal(dialog.failed, timeout=WAIT_MS) as blocker:
        dialog.start_preview()
    assert "不是可读取的Excel工作簿" in blocker.args[0]
    assert messages[-1][0] == "warning" and not dialog.import_button.isEnabled()
    with db.read() as s:
        assert count_matters(s) == 0


def test_open_import_dialog_without_a_file_does_nothing(db: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ledger_dialogs.QFileDialog, "getOpenFileName", lambda *_a, **_k: ("", ""))
    assert ledger_dialogs.open_import_dialog(None, db) is None


def test_closing_the_preview_rolls_the_pending_import_back(qtbot: QtBot, db: Database, tmp_path: Path,
                                                           messages: list[tuple[str, str]]) -> None:
    path = _hand_ledger(tmp_path / "旧台账.xlsx")
    dialog = ImportDialog(db, path)
    qtbot.addWidget(dialog)
    with qtbot.waitSignal(dialog.previewed, timeout=WAIT_MS):
        dialog.start_preview()
    dialog.reject()
    assert dialog.wait_for_worker()
    with db.read() as s:
        assert count_matters(s) == 0
    assert dialog.outcome is None and not error_workbook_path(path).exists()
    # the database is free again: an ordinary write goes through at once
    _register(db, 1)
    with db.read() as s:
        assert count_matters(s) == 1


def test_a_row_under_another_matters_number_is_shown_and_may_be_renumbered(
        qtbot: QtBot, db: Database, tmp_path: Path, messages: list[tuple[str, str]]) -> None:
    with db.begin() as s:
        taken = register_matter(s, MatterInput(received_on=date(2025, 3, 1), channel=Channel.LETTER,
                                               title="本机的一件", petitioners=(PetitionerInput("王五"),))).number
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["编号", "登记日期", "信访人", "反映问题"])
    ws.append([taken, "2025.4.1", "赵六", "别处的另一件"])
    path = tmp_path / "别处.xlsx"
    wb.save(path)
    dialog = ImportDialog(db, path)
    qtbot.addWidget(dialog)
    with qtbot.waitSignal(dialog.previewed, timeout=WAIT_MS) as blocker:
        dialog.start_preview()
    report = blocker.args[0]
    assert (report.imported, len(report.conflicts)) == (0, 1)
    assert dialog.renumber_box.isVisibleTo(dialog) and not dialog.import_button.isEnabled()
    assert dialog.table.item(0, 2).text() == "编号冲突" and "已被另一件事项使用" in dialog.table.item(0, 3).text()
    with qtbot.waitSignal(dialog.previewed, timeout=WAIT_MS) as blocker:
        dialog.renumber_box.setChecked(True)
    assert blocker.args[0].imported == 1 and dialog.import_button.isEnabled()
    with qtbot.waitSignal(dialog.imported, timeout=WAIT_MS) as blocker:
        dialog.import_button.click()
    assert blocker.args[0].report.imported == 1
    with db.read() as s:
        assert count_matters(s) == 2


def test_categories_not_on_our_list_are_offered_for_adding_or_filed_under_other(
        qtbot: QtBot, db: Database, tmp_path: Path, messages: list[tuple[str, str]]) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["登记日期", "信访人", "反映问题", "问题分类"])
    ws.append(["2025.4.1", "赵六", "反映公墓收费", "殡葬改革_公墓_收费"])
    ws.append(["2025.4.2", "钱七", "反映承包地", "农村农业/土地承包"])
    path = tmp_path / "省系统.xlsx"
    wb.save(path)
    dialog = ImportDialog(db, path)
    qtbot.addWidget(dialog)
    with qtbot.waitSignal(dialog.previewed, timeout=WAIT_MS) as blocker:
        dialog.start_preview()
    assert blocker.args[0].new_categories == ("殡葬改革/公墓",)
    assert dialog.other_box.isVisibleTo(dialog) and not dialog.other_box.isChecked()
    texts = [dialog.table.item(i, 3).text() for i in range(dialog.table.rowCount())]
    assert "问题分类“殡葬改革/公墓”不在分类表中，导入时新增" in texts
    with qtbot.waitSignal(dialog.previewed, timeout=WAIT_MS) as blocker:
        dialog.other_box.setChecked(True)
    assert blocker.args[0].new_categories == ()
    assert dialog.other_box.isVisibleTo(dialog)  # still there, to take the choice back
    with qtbot.waitSignal(dialog.imported, timeout=WAIT_MS) as blocker:
        dialog.import_button.click()
    with db.read() as s:
        labels = sorted(get_matter(s, i).category for i in blocker.args[0].report.matter_ids)
        assert labels == ["其他", "农村农业/土地承包"]
        assert find_category(s, "殡葬改革") is None


def _visible_progress(dialog: ImportDialog) -> list[str]:
    from PySide6.QtWidgets import QProgressDialog

    return [p.labelText() for p in dialog.findChildren(QProgressDialog) if p.isVisible()]


def test_closing_the_preview_leaves_no_progress_dialog_behind(qtbot: QtBot, db: Database, tmp_path: Path,
                                                               messages: list[tuple[str, str]],
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    # a check quicker than the progress dialog's delay: on the clerk's PC a small file takes less than 300 ms
    original = ledger_dialogs.QProgressDialog.setMinimumDuration
    monkeypatch.setattr(ledger_dialogs.QProgressDialog, "setMinimumDuration",
                        lambda self, _ms: original(self, 2500))
    path = _hand_ledger(tmp_path / "旧台账.xlsx")
    dialog = ImportDialog(db, path)
    qtbot.addWidget(dialog)
    dialog.show()
    with qtbot.waitSignal(dialog.previewed, timeout=WAIT_MS):
        dialog.start_preview()
    qtbot.wait(3000)  # past the progress dialog's delay before it shows itself
    assert _visible_progress(dialog) == []
    dialog.reject()
    assert dialog.wait_for_worker()
    qtbot.wait(600)
    assert _visible_progress(dialog) == []


def test_a_reader_that_panics_ends_the_job_with_a_message(qtbot: QtBot, db: Database, tmp_path: Path,
                                                          messages: list[tuple[str, str]],
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    class PanicException(BaseException):
        """What calamine raises from Rust: not an Exception."""

    def panics(*_a: object, **_k: object) -> None:
        raise PanicException("index out of bounds")

    monkeypatch.setattr(ledger_dialogs, "read_ledger_file", panics)
    dialog = ImportDialog(db, _hand_ledger(tmp_path / "旧台账.xlsx"))
    qtbot.addWidget(dialog)
    dialog.show()
    with qtbot.waitSignal(dialog.failed, timeout=WAIT_MS) as blocker:
        dialog.start_preview()
    assert "程序内部出错" in blocker.args[0] and "index out of bounds" not in blocker.args[0]
    qtbot.wait(600)
    assert _visible_progress(dialog) == []
