"""The main window: tabs, menus, title and status bar, geometry, switching databases, the opened matter, `--smoke`."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QFileDialog
from pytestqt.qtbot import QtBot

from tests.helpers.database import second_program
from tests.helpers.qt import WAIT_MS, record_boxes
from xinfang_desktop.db.database import Database
from xinfang_desktop.domain.changes import Changes
from xinfang_desktop.domain.enums import Channel, Status
from xinfang_desktop.domain.values import MatterInput, PetitionerInput
from xinfang_desktop.services.demo import generate
from xinfang_desktop.services.lists import category_tree, region_tree
from xinfang_desktop.services.registry import register_matter
from xinfang_desktop.services.search import count_matters
from xinfang_desktop.services.settings import get_setting, periods
from xinfang_desktop.ui.main_window import SETTINGS_APP, SETTINGS_ORG, MainWindow
from xinfang_desktop.ui.register.matter_list import MATTER_ID_ROLE
from xinfang_desktop.ui.settings.settings_dialogs import (
    CategoriesDialog,
    OfficeDialog,
    PeriodsDialog,
    RegionsDialog,
)
from xinfang_desktop.wallclock import today


@pytest.fixture
def window(qtbot: QtBot, db: Database) -> MainWindow:
    win = MainWindow(db)
    qtbot.addWidget(win)
    win.register_tab.matter_list.apply_filter()
    win.show()
    qtbot.waitExposed(win)
    return win


@pytest.fixture
def no_boxes(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    return record_boxes(monkeypatch, ("warning", "critical", "information", "about"))


def test_tabs_menus_and_title(window: MainWindow, db: Database) -> None:
    assert [window.tabs.tabText(i) for i in range(window.tabs.count())] == ["登记", "交办", "督办", "接访", "排查", "统计"]
    menus = [a.text() for a in window.menuBar().actions()]
    assert menus == ["文件(&F)", "设置(&S)", "帮助(&H)"]
    for name in ("新建数据库…", "打开数据库…", "备份", "导入台账…", "导出台账…", "退出", "机关信息…", "承办单位…",
                 "问题分类…", "乡镇和村…", "办理期限…", "使用说明", "关于"):
        assert name in window.menu_actions
    assert db.path.name in window.windowTitle()


@pytest.mark.parametrize("engine", ["sqlite", "postgresql"])
def test_help_and_about_say_where_the_data_is(window: MainWindow, db: Database, no_boxes: list[str]) -> None:
    """On one PC the data stays on it; on a server it is on the server, the only machine the program reaches."""
    window.menu_actions["使用说明"].trigger()
    about = window.show_about()
    said = about.info.text()
    about.close()
    if db.is_server:
        assert f"数据保存在服务器数据库“{db.label}”中，本程序只连接这台服务器，不连互联网。" in no_boxes[0]
        assert f"数据库：{db.label}（服务器）" in said and "只连接这台服务器" in said
        assert "本机" not in no_boxes[0] + said and "大小" not in said
    else:
        assert "数据只保存在本机，不联网。" in no_boxes[0]
        assert f"数据库：{db.path}" in said and "数据只保存在本机" in said


def test_status_bar_counts_open_and_overdue(window: MainWindow, db: Database) -> None:
    with db.begin() as s:
        generate(s, cases=200, seed=3)
        open_count = count_matters(s, _flt(Status.PENDING)) + count_matters(s, _flt(Status.IN_PROGRESS))
    window.after_first_paint()
    text = window.open_label.text()
    assert f"在办 {open_count} 件" in text
    assert re.search(r"超期 \d+ 件", text)


def test_a_matter_with_a_lead_and_an_assisting_unit_is_one_matter_in_hand_on_the_board_and_the_status_bar(
    window: MainWindow, db: Database
) -> None:
    from xinfang_desktop.domain.enums import Decision, TransferRole
    from xinfang_desktop.domain.values import TransferTarget
    from xinfang_desktop.services.reference import list_units
    from xinfang_desktop.services.registry import decide

    day = today()
    with db.begin() as s:
        units = [u.id for u in list_units(s)][:2]
        both, alone = (register_matter(s, MatterInput(received_on=day, channel=Channel.LETTER, title=title,
                                                      petitioners=(PetitionerInput(name="王秀英"),))).id
                       for title in ("反映村道开裂", "反映路灯不亮"))
        decide(s, matter_id=both, decision=Decision.ASSIGN, on=day,
               targets=(TransferTarget(units[0]), TransferTarget(units[1], role=TransferRole.ASSIST)))
    window.after_first_paint()
    board = window.supervise_tab
    board.set_filter("全部在办")
    assert board.model.rowCount() == 3  # the two transfers of one matter, and the other awaiting its decision
    assert "在办 2 件" in board.counts_label.text() and "当前显示 3 条" in board.counts_label.text()
    assert "在办 2 件" in window.open_label.text()
    assert {alone, both} == {r.matter_id for r in board.model.rows()}


def _flt(status: Status):  # type: ignore[no-untyped-def]
    from xinfang_desktop.domain.values import MatterFilter

    return MatterFilter(status=status)


def test_registering_refreshes_list_and_status_through_one_signal(window: MainWindow, db: Database,
                                                                 qtbot: QtBot) -> None:
    assert window.register_tab.matter_list.model.rowCount() == 0
    tab = window.register_tab
    tab.ui.title_edit.setText("反映路灯不亮")
    tab.ui.name_edit.setText("郑华")
    assert tab.save() is not None
    assert window.register_tab.matter_list.model.rowCount() == 1
    qtbot.waitUntil(lambda: "在办 1 件" in window.open_label.text(), timeout=WAIT_MS)


def test_geometry_is_remembered(qtbot: QtBot, db: Database) -> None:
    first = MainWindow(db)
    qtbot.addWidget(first)
    first.show()
    qtbot.waitExposed(first)
    total = sum(first.register_tab.splitter.sizes())
    first.register_tab.splitter.setSizes([total - 700, 700])
    wanted = first.register_tab.splitter.sizes()
    first.close()
    assert QSettings(SETTINGS_ORG, SETTINGS_APP).value("main/geometry") is not None
    second = MainWindow(db)
    qtbot.addWidget(second)
    assert second.restored
    second.show_at_start()
    qtbot.waitExposed(second)
    assert second.size() == first.size()
    assert second.register_tab.splitter.sizes() == wanted


def test_opened_matter_shows_fields_petitioners_timeline(window: MainWindow, db: Database, qtbot: QtBot) -> None:
    with db.begin() as s:
        ref = register_matter(s, MatterInput(received_on=today(), channel=Channel.VISIT, title="反映山林权属纠纷",
                                             persons=2, petitioners=(PetitionerInput(name="冯军"),
                                                                     PetitionerInput(name="冯丽"))))
    window.register_tab.refresh()
    index = window.register_tab.matter_list.model.index(0, 0)
    assert index.data(MATTER_ID_ROLE) == ref.id
    dialog = window.open_matter(ref.id)
    assert dialog is not None
    qtbot.addWidget(dialog)
    assert ref.number in dialog.windowTitle()
    tabs = [dialog.tabs.tabText(i) for i in range(dialog.tabs.count())]
    assert tabs[1] == "信访人（2）" and tabs[3].startswith("办理过程") and tabs[4].startswith("文书")
    assert dialog.timeline.rowCount() >= 1 and dialog.timeline.item(0, 1).text() == "登记"


def test_settings_dialogs_save_in_one_action(qtbot: QtBot, window: MainWindow, db: Database,
                                            monkeypatch: pytest.MonkeyPatch, no_boxes: list[str]) -> None:
    office = OfficeDialog(window.runner, window)
    qtbot.addWidget(office)
    office.edits["office_name"].setText("青石县人大常委会")
    office.edits["number_prefix"].setText("人大信")
    assert "人大信〔" in office.example.text()
    office.accept()
    with db.read() as s:
        assert get_setting(s, "office_name") == "青石县人大常委会"
        assert get_setting(s, "number_prefix") == "人大信"

    # an empty value is refused and the other, valid, value is not half-saved
    office = OfficeDialog(window.runner, window)
    qtbot.addWidget(office)
    office.edits["office_name"].setText("另一个机关")
    office.edits["number_prefix"].setText("  ")
    office.accept()
    assert no_boxes
    with db.read() as s:
        assert get_setting(s, "office_name") == "青石县人大常委会"

    dialog = PeriodsDialog(window.runner, window)
    qtbot.addWidget(dialog)
    dialog.inputs["transfer_days"].setValue(90)
    dialog.accept()
    with db.read() as s:
        assert periods(s).transfer_days == 90

    monkeypatch.setattr("PySide6.QtWidgets.QInputDialog.getText", lambda *a, **k: ("信访积案", True))
    cats = CategoriesDialog(window.runner, window)
    qtbot.addWidget(cats)
    cats.tree.setCurrentItem(cats.tree.topLevelItem(0))
    assert cats.add_entry(cats.tree.topLevelItem(0))
    with db.read() as s:
        tree = category_tree(s)
    assert "信访积案" in [c.name for c in tree[0].children]

    # rename, then 停用: gone from the register form's list, kept (marked) in the dialog
    added = next(cats.tree.topLevelItem(0).child(i) for i in range(cats.tree.topLevelItem(0).childCount())
                 if cats.tree.topLevelItem(0).child(i).text(0) == "信访积案")
    cats.tree.setCurrentItem(added)
    monkeypatch.setattr("PySide6.QtWidgets.QInputDialog.getText", lambda *a, **k: ("信访积案化解", True))
    assert cats.rename_selected()
    renamed = next(cats.tree.topLevelItem(0).child(i) for i in range(cats.tree.topLevelItem(0).childCount())
                   if cats.tree.topLevelItem(0).child(i).text(0) == "信访积案化解")
    cats.tree.setCurrentItem(renamed)
    assert cats.toggle_selected()
    with db.read() as s:
        assert "信访积案化解" not in [c.name for c in category_tree(s)[0].children]
    labels = [cats.tree.topLevelItem(0).child(i).text(0) for i in range(cats.tree.topLevelItem(0).childCount())]
    assert "信访积案化解（停用）" in labels

    monkeypatch.setattr("PySide6.QtWidgets.QInputDialog.getText", lambda *a, **k: ("新村", True))
    regions = RegionsDialog(window.runner, window)
    qtbot.addWidget(regions)
    town = regions.tree.topLevelItem(0).text(0)
    assert regions.add_entry(regions.tree.topLevelItem(0))
    with db.read() as s:
        assert "新村" in region_tree(s)[town]
    window.register_tab.reload_lists()
    window.register_tab.ui.town_combo.setCurrentIndex(window.register_tab.ui.town_combo.findData(town))
    assert window.register_tab.ui.village_combo.findData("新村") >= 0


def test_new_database_switches_the_window(window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                         no_boxes: list[str]) -> None:
    target = tmp_path / "second.sqlite3"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    window.new_database()
    assert window.db.path == target.resolve()
    assert "second.sqlite3" in window.windowTitle()
    assert window.tabs.count() == 6
    assert window.register_tab.ui.category_combo.count() > 1  # the new file was seeded with the generic lists
    assert window.register_tab.ui.town_combo.count() <= 1  # and with no made-up 乡镇: the first start asks
    window.new_database()  # the same file again: refused, nothing replaced
    assert no_boxes and "已存在" in no_boxes[-1]


def test_ledger_menus_hand_over_the_database_and_the_list_filter(
    window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    from xinfang_desktop.ui.ledger import ledger_dialogs

    seen: list[object] = []
    monkeypatch.setattr(ledger_dialogs, "open_export_dialog", lambda parent, db, flt=None: seen.append((db, flt)))
    monkeypatch.setattr(ledger_dialogs, "open_import_dialog", lambda parent, db: seen.append(db) or "outcome")
    window.register_tab.matter_list.search_edit.setText("张伟")
    window.menu_actions["导出台账…"].trigger()
    assert seen[0][0] is window.db and seen[0][1].text == "张伟"  # type: ignore[index]
    window.menu_actions["导入台账…"].trigger()
    assert seen[1] is window.db


def test_backup_writes_a_copy(window: MainWindow, no_boxes: list[str]) -> None:
    target = window.backup()
    assert target is not None and target.exists() and target.stat().st_size > 0
    assert str(target) in no_boxes[-1]


def test_smoke_prints_first_paint_and_exits_zero(tmp_path: Path) -> None:
    """How CI runs the window: `xinfang --smoke --db PATH` in a subprocess."""
    path = tmp_path / "smoke.sqlite3"
    db = Database(path)
    with db.begin() as s:
        generate(s, cases=120, seed=5)
    db.close()
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    result = subprocess.run([sys.executable, "-m", "xinfang_desktop", "--smoke", "--db", str(path)],
                            capture_output=True, text=True, timeout=120, env=env)
    assert result.returncode == 0, result.stderr
    match = re.search(r"first paint (\d+) ms, (\d+) matters", result.stdout)
    assert match, result.stdout
    assert int(match.group(1)) > 0
    assert int(match.group(2)) == 120


def test_f5_shows_what_another_clerk_saved_meanwhile(window: MainWindow, db: Database, qtbot: QtBot) -> None:
    """Nothing tells this program when another clerk's program saves (on a server, or the same file):
    文件→刷新 (F5) reads the list, the board and the status bar again, the tab in sight at once."""
    window.after_first_paint()
    window.tabs.setCurrentWidget(window.pages["督办"])
    board = window.supervise_tab
    qtbot.waitUntil(lambda: window.banner is not None and window.banner.isVisible(), timeout=WAIT_MS)
    assert board.model.rowCount() == 0
    other = second_program(db)
    try:
        with other.begin() as s:
            register_matter(s, MatterInput(received_on=today(), channel=Channel.LETTER, title="反映路灯不亮",
                                           petitioners=(PetitionerInput(name="郑华"),)))
    finally:
        other.close()
    assert board.model.rowCount() == 0 and window.register_tab.matter_list.model.rowCount() == 0
    assert window.menu_actions["刷新"].shortcut().toString() == "F5"
    window.menu_actions["刷新"].trigger()
    qtbot.waitUntil(lambda: board.model.rowCount() == 1, timeout=WAIT_MS)  # 待受理, its 15 days
    assert board.model.rows()[0].title == "反映路灯不亮"
    qtbot.waitUntil(lambda: window.register_tab.matter_list.model.rowCount() == 1, timeout=WAIT_MS)
    qtbot.waitUntil(lambda: "在办 1 件" in window.open_label.text(), timeout=WAIT_MS)


def test_other_tabs_are_built_when_first_shown_and_refreshed_when_stale(
    window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    page = window.pages["督办"]
    assert page.widget is None  # not built for the first paint
    window.tabs.setCurrentWidget(page)
    assert page.widget is not None and type(page.widget).__name__ == "SuperviseTab"
    assert window.supervise_tab is page.widget

    calls: list[str] = []
    monkeypatch.setattr(page.widget, "refresh", lambda: calls.append("督办"), raising=False)
    window.tabs.setCurrentIndex(0)
    window.runner.data_changed.emit(Changes(matters=frozenset({0}), label="登记"))
    assert calls == []  # not in sight: only marked stale
    window.tabs.setCurrentWidget(page)
    assert calls == ["督办"]
    window.runner.data_changed.emit(Changes(transfers=frozenset({0}), label="催办"))  # in sight: reloads at once
    assert calls == ["督办", "督办"]
    window.runner.data_changed.emit(Changes(templates=frozenset({"交办函"}), label="文书模板"))
    assert calls == ["督办", "督办"]  # the board shows no template: it is left alone


def test_opened_matter_offers_every_document_kind(window: MainWindow, db: Database, qtbot: QtBot) -> None:
    from xinfang_desktop.domain.letters import DocumentKind

    with db.begin() as s:
        ref = register_matter(s, MatterInput(received_on=today(), channel=Channel.LETTER, title="反映问题",
                                             petitioners=(PetitionerInput(name="何平"),)))
    dialog = window.open_matter(ref.id)
    assert dialog is not None
    qtbot.addWidget(dialog)
    menu = dialog.document_button.menu()
    assert [a.text() for a in menu.actions()] == [k.value for k in DocumentKind]


def test_a_document_issued_from_the_opened_matter_appears_in_its_list(
    window: MainWindow, db: Database, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    from xinfang_desktop.domain.enums import Decision
    from xinfang_desktop.services import documents
    from xinfang_desktop.services.registry import decide
    from xinfang_desktop.ui.documents import document_dialog

    with db.begin() as s:
        ref = register_matter(s, MatterInput(received_on=today(), channel=Channel.LETTER, title="反映问题",
                                             petitioners=(PetitionerInput(name="何平", address="青石镇"),)))
        decide(s, matter_id=ref.id, decision=Decision.ACCEPT, on=today())
    dialog = window.open_matter(ref.id)
    assert dialog is not None
    qtbot.addWidget(dialog)
    # the document dialog itself (preview, print) belongs to the documents issue: issue straight away
    monkeypatch.setattr(document_dialog, "ask_document",
                        lambda parent, runner, matter_id, kind: runner.run(
                            parent, documents.issue_document, matter_id=matter_id, kind=kind))
    dialog.tabs.setCurrentIndex(4)
    action = next(a for a in dialog.document_button.menu().actions() if a.text() == "受理告知书")
    action.trigger()
    assert dialog.tabs.currentIndex() == 4 and dialog.tabs.tabText(4) == "文书（1）"
    assert dialog.documents_table.item(0, 1).text() == "受理告知书"


def test_morning_banner_opens_the_board_through_the_lazy_page(window: MainWindow) -> None:
    window.after_first_paint()
    assert window.banner is not None
    seen: list[str] = []
    page = window.pages["督办"]
    page.ensure()
    assert page.widget is not None
    original = getattr(page.widget, "set_filter", None)
    page.widget.set_filter = lambda name: (seen.append(name), original and original(name))  # type: ignore[attr-defined]
    window.banner.filter_requested.emit("超期")  # type: ignore[attr-defined]
    assert window.tabs.currentWidget() is page
    assert seen == ["超期"]


def test_an_unexpected_error_in_a_slot_is_logged_and_shown(
    qapp, monkeypatch: pytest.MonkeyPatch, no_boxes: list[str], caplog: pytest.LogCaptureFixture  # type: ignore[no-untyped-def]
) -> None:
    from xinfang_desktop.ui.startup import install_crash_handler

    monkeypatch.setattr(sys, "excepthook", sys.excepthook)  # restored after the test
    install_crash_handler(qapp, smoke=False)
    try:
        raise KeyError("坏数据")
    except KeyError as exc:
        sys.excepthook(type(exc), exc, exc.__traceback__)
    # the dialog names the kind of error; its text (which can quote a matter) is only in the log
    assert no_boxes and "程序内部出错" in no_boxes[-1] and "KeyError" in no_boxes[-1]
    assert "坏数据" not in no_boxes[-1]
    assert "KeyError" in caplog.text


def test_opened_matter_lists_its_scans_and_finds_the_stored_file(
    window: MainWindow, db: Database, qtbot: QtBot, tmp_path: Path
) -> None:
    scan = tmp_path / "来信扫描.pdf"
    scan.write_bytes(b"%PDF-1.4 scan of a letter")
    tab = window.register_tab
    tab.ui.name_edit.setText("钟华")
    tab.ui.title_edit.setText("反映饮水困难")
    tab.add_attachment(scan)
    ref = tab.save()
    assert ref is not None
    dialog = window.open_matter(ref.id)
    assert dialog is not None
    qtbot.addWidget(dialog)
    assert dialog.tabs.tabText(5) == "附件（1）"
    assert dialog.attachments_table.item(0, 0).text() == "来信扫描.pdf"
    assert dialog.attachment_path(0).read_bytes() == scan.read_bytes()
    assert not (db.path.parent / f"{db.path.stem}-attachments").exists()  # kept in the database, not beside it
