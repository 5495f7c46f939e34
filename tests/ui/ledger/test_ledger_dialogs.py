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
from xinfang_desktop.services.convert import get_matter
from xinfang_desktop.services.reference import find_category
from xinfang_desktop.services.registry import register_matter, void
from xinfang_desktop.services.search import count_matters, list_matters
from xinfang_desktop.ui.ledger import ledger_dialogs
from xinfang_desktop.ui.ledger.ledger_dialogs import ExportDialog, ImportDialog
from xinfang_desktop.ui.ledger.mapping_dialog import MappingDialog


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
    _register(db, 31)
    with db.begin() as s:  # a voided matter is in no ledger of the year, as in no tally
        void(s, matter_id=list_matters(s, MatterFilter(year=2025))[0].id, reason="重复登记")
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

    mapping = MappingDialog.for_ledger(dialog.ledger, dialog)
    qtbot.addWidget(mapping)
    mapping.box("情况").setCurrentIndex(mapping.box("情况").findData("反映问题"))
    assert mapping.mapping() == {"情况": "反映问题"}  # 经办人 stays in 备注, as unmapped columns do
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


def _guessed_ledger(path: Path, year: int) -> Path:
    """A system's export whose 证件 and 联系 columns only their content explains."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = f"{year}年"
    ws.append(["登记日期", "信访人", "反映问题", "证件", "联系", "信访日期"])
    ws.append([f"{year}-03-01", "张三", "反映路灯不亮", "11010519491231002X", "13812345678", f"{year}-02-28"])
    ws.append([f"{year}-03-02", "李四", "反映道路破损", "110105194912310021", "13912345678", f"{year}-03-01"])
    wb.save(path)
    return path


def test_guesses_are_shown_marked_and_taken_only_when_the_clerk_confirms_then_offered_again(
        qtbot: QtBot, db: Database, tmp_path: Path, messages: list[tuple[str, str]]) -> None:
    from xinfang_desktop.services.ledger.export import ledger_rows
    from xinfang_desktop.services.ledger.headers import saved_profiles
    from xinfang_desktop.ui.ledger.mapping_dialog import GUESS_COLOUR

    path = _guessed_ledger(tmp_path / "导出2024.xlsx", 2024)
    dialog = ImportDialog(db, path)
    qtbot.addWidget(dialog)
    dialog.show()
    with qtbot.waitSignal(dialog.previewed, timeout=WAIT_MS):
        dialog.start_preview()
    assert dialog.ledger is not None
    text = dialog.columns_text.toPlainText()
    assert "“证件” 猜测为 身份证号（内容多为18位身份证号），未采用，暂保留在备注" in text
    assert "“信访日期” 也可作 登记日期，已取“登记日期”，此列保留在备注" in text
    assert "有2列是按内容猜测的（证件、联系），尚未采用" in dialog.summary.text()
    assert dialog.tabs.currentWidget() is dialog.columns_text  # the decision waiting is what the clerk sees first
    dialog.grab().save(str(tmp_path / "import-preview.png"))

    mapping = MappingDialog.for_ledger(dialog.ledger, dialog)
    qtbot.addWidget(mapping)
    mapping.show()
    rows = {mapping.table.item(r, 0).text(): r for r in range(mapping.table.rowCount())}
    assert list(rows) == ["登记日期", "信访人", "反映问题", "证件", "联系", "信访日期"]
    guess_row = rows["证件"]
    assert mapping.table.item(guess_row, 0).background().color() == GUESS_COLOUR
    assert mapping.table.item(guess_row, 1).text() == "11010519491231002X"
    assert mapping.table.item(guess_row, 3).text() == "猜测：内容多为18位身份证号（确定后采用）"
    assert mapping.table.item(rows["信访人"], 3).text() == "按列名识别"
    assert mapping.box("证件").currentData() == "身份证号"  # shown chosen; taken when the clerk confirms
    # only what differs from the names, so the rest keeps being read by name
    assert mapping.mapping() == {"证件": "身份证号", "联系": "联系电话"}
    assert mapping.width() <= 1366 and mapping.height() <= 728
    mapping.grab().save(str(tmp_path / "mapping.png"))

    with qtbot.waitSignal(dialog.previewed, timeout=WAIT_MS):
        dialog.set_mapping(mapping.mapping())
    assert "“证件” → 身份证号（指定）" in dialog.columns_text.toPlainText()
    assert "猜测" not in dialog.summary.text()
    with qtbot.waitSignal(dialog.imported, timeout=WAIT_MS):
        dialog.import_button.click()
    with db.read() as s:
        rows_written = {r.title: r for r in ledger_rows(s)}
        profiles = saved_profiles(s)
    assert rows_written["反映路灯不亮"].id_numbers == "11010519491231002X"
    assert rows_written["反映路灯不亮"].phones == "13812345678"
    assert list(profiles.values()) == [{"证件": "身份证号", "联系": "联系电话"}]

    # next year's export of the same system: offered as saved, said so, the clerk sees it before importing
    again = ImportDialog(db, _guessed_ledger(tmp_path / "导出2025.xlsx", 2025))
    qtbot.addWidget(again)
    with qtbot.waitSignal(again.previewed, timeout=WAIT_MS) as blocker:
        again.start_preview()
    assert blocker.args[0].imported == 2
    assert "“证件” → 身份证号（已保存的对应）" in again.columns_text.toPlainText()
    assert "2列按上次导入同样表头时保存的对应读取" in again.summary.text()
    assert MappingDialog.for_ledger(again.ledger, again).mapping() == {"证件": "身份证号", "联系": "联系电话"}
    again.reject()  # never shown: closing at teardown would not reach done(), and its worker would wait on
    assert again.wait_for_worker()
