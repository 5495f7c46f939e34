"""Open every window and dialog over a demo database on a screen of a given size; print what lies where.

Run in its own process (the screen is fixed when Qt starts), under Qt's offscreen platform told the
screen's size by a config file; test_fits_screen.py runs it for 1366×728 and 1280×720 and asserts on
the JSON it prints. With --shots DIR it also saves a screenshot of each.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]


def screen_config(width: int, height: int, dpr: float) -> str:
    """The offscreen platform's config: one screen of this logical size, with window frames."""
    path = Path(tempfile.mkdtemp()) / "screen.json"
    path.write_text(json.dumps({"windowFrameMargins": True, "screens": [
        {"name": "probe", "x": 0, "y": 0, "width": width, "height": height,
         "logicalDpi": 96, "logicalBaseDpi": 96, "dpr": dpr}]}))
    return f"offscreen:configfile={path}"


def _captured(call: Callable[[], Any]) -> Any:
    """The dialog a real action of the program opens, caught at its exec() and handed back unshown.

    exec() answers 取消 at once, so the action stops there; a message box instead of the dialog
    (nothing selected, a refusal) is an error the test reports with its text.
    """
    from PySide6.QtWidgets import QDialog, QMessageBox

    caught: list[Any] = []
    said: list[str] = []

    def fake_exec(dialog: Any) -> int:
        caught.append(dialog)
        return int(QDialog.DialogCode.Rejected.value)

    def fake_box(_parent: Any, _title: str, text: str, *_a: Any, **_k: Any) -> Any:
        said.append(text)
        return QMessageBox.StandardButton.No

    saved = {name: getattr(QMessageBox, name) for name in ("information", "warning", "critical", "question")}
    saved_exec = QDialog.exec
    QDialog.exec = fake_exec  # type: ignore[method-assign]
    for name in saved:
        setattr(QMessageBox, name, fake_box)
    try:
        call()
    finally:
        QDialog.exec = saved_exec  # type: ignore[method-assign]
        for name, box in saved.items():
            setattr(QMessageBox, name, box)
    if not caught:
        raise RuntimeError("no dialog opened" + (f": {said[0]}" if said else ""))
    return caught[0]


def _windows(db: Any, work: Path) -> Iterator[tuple[str, Callable[[], Any]]]:
    """(name, build) for every window and dialog; build returns the top-level widget to show."""
    from PySide6.QtWidgets import QMessageBox

    from xinfang_desktop.domain.enums import Decision, MeetingKind, Status
    from xinfang_desktop.domain.status import Action
    from xinfang_desktop.domain.values import MatterFilter
    from xinfang_desktop.exporters.ledger_import import read_ledger
    from xinfang_desktop.services.convert import get_matter
    from xinfang_desktop.services.ledger.files import export_ledger_file
    from xinfang_desktop.services.search import list_matters
    from xinfang_desktop.ui.about import AboutDialog
    from xinfang_desktop.ui.backups.backup_ui import BackupSettingsDialog
    from xinfang_desktop.ui.documents.document_dialog import document_dialog
    from xinfang_desktop.ui.documents.template_dialog import TemplateDialog
    from xinfang_desktop.ui.ledger.ledger_dialogs import ExportDialog, ImportDialog
    from xinfang_desktop.ui.ledger.mapping_dialog import MappingDialog
    from xinfang_desktop.ui.main_window import MainWindow, help_text
    from xinfang_desktop.ui.matter import steps
    from xinfang_desktop.ui.matter.matter_dialog import MatterDialog
    from xinfang_desktop.ui.settings import settings_dialogs
    from xinfang_desktop.ui.settings.first_start import FirstStartDialog
    from xinfang_desktop.ui.settings.units_dialog import UnitsDialog
    from xinfang_desktop.wallclock import today

    window = MainWindow(db)
    window.register_tab.matter_list.apply_filter()
    window.show_at_start()  # as launch() does: a first start, nothing saved
    window.after_first_paint()  # the morning banner and the status bar's counts take their room, as at start
    runner = window.runner
    last_month = (today().replace(day=1) - timedelta(days=1)).strftime("%Y-%m")  # a whole month of disputes
    def show_tab(title: str) -> None:
        # by its title: the tabs' order changes as tabs are added (接访 and 排查 came before 统计)
        window.tabs.setCurrentIndex(next(i for i in range(window.tabs.count()) if window.tabs.tabText(i) == title))

    for title in ("登记", "交办", "督办", "接访", "排查", "统计"):
        def tab(t: str = title) -> Any:
            show_tab(t)
            if t == "排查":
                window.screening_tab.set_month(last_month)
            return window
        yield f"主窗口-{title}", tab

    def monthly_page() -> Any:
        show_tab("统计")
        window.stats_tab.pages.setCurrentIndex(1)  # type: ignore[attr-defined]
        return window
    yield "主窗口-每月汇总分析", monthly_page
    with db.read() as s:
        accepted = list_matters(s, MatterFilter(status=Status.IN_PROGRESS), limit=50)
        pending = list_matters(s, MatterFilter(status=Status.PENDING), limit=5)
        details = [get_matter(s, m.id) for m in list_matters(s, MatterFilter(), limit=400)]
        # and one voided, for 撤销作废 (the list leaves the voided out)
        details += [get_matter(s, m.id) for m in list_matters(s, MatterFilter(status=Status.VOIDED), limit=1)]
    in_hand = {m.id for m in accepted}
    # a named petitioner's: an anonymous matter has no 受理告知书 to open
    matter_id = next(d.id for d in details if d.id in in_hand and d.petitioners)
    yield "信访事项", lambda: MatterDialog(runner, matter_id, window)

    # every step of the 卷宗, on a matter whose state offers it: 重点督办 is a toggle without a form, and
    # 复核申请 is 复查申请's form (one function, the stage's name in its title)
    done: set[Any] = set()
    for action, step in steps.RUN.items():
        if action is Action.KEY_SUPERVISE or step in done:
            continue
        done.add(step)
        detail = next((d for d in details if action in d.steps), None)
        if detail is None:
            yield action.value, lambda a=action: _fail(f"no matter of the demo offers {a.value}")
            continue
        yield steps.label(action, detail).rstrip("…"), \
            lambda f=step, d=detail: _captured(lambda: f(window, runner, d))
    with_people = next(d for d in details if d.petitioners)
    yield "修改信访人", lambda: _captured(lambda: steps.correct_petitioner(
        window, runner, with_people, with_people.petitioners[0].id))

    def decide_tab(decision: Decision) -> Any:
        tab = window.decide_tab
        tab.select_matter(pending[0].id)
        return _captured(lambda: tab.decide(decision))
    for decision in Decision:
        yield decision.value, lambda d=decision: decide_tab(d)

    transfer_id = next(d.transfers[0].id for d in details if d.id in in_hand and d.transfers)

    def board(action: Callable[[Any], Any]) -> Any:
        tab = window.supervise_tab
        if not tab.select_rows(lambda r: r.transfer_id == transfer_id):
            raise RuntimeError("the board does not show the transfer")
        return _captured(lambda: action(tab))
    for name, action in (("催办", lambda t: t.remind()), ("追加交办", lambda t: t.assign_more()),
                         ("登记反馈", lambda t: t.feedback()), ("领导包案", lambda t: t.take_charge()),
                         ("领导约访", lambda t: t.meet(MeetingKind.INVITED)), ("验证", lambda t: t.verify())):
        yield name, lambda a=action: board(a)
    yield "添加接访日", lambda: _captured(window.leaders_tab.add_day)
    yield "领导下访", lambda: _captured(lambda: window.leaders_tab.record(MeetingKind.VISITING))

    def screening(action: Callable[[Any], Any]) -> Any:
        tab = window.screening_tab
        tab.set_month(last_month)
        tab.table.selectRow(0)
        return _captured(lambda: action(tab))
    for name, action in (("登记矛盾纠纷", lambda t: t.add_dispute()), ("零报告", lambda t: t.add_zero()),
                         ("化解情况", lambda t: t.set_state()), ("转为信访事项", lambda t: t.to_matter())):
        yield name, lambda a=action: screening(a)

    yield "文书", lambda: document_dialog(window, runner, matter_id, "受理告知书", explain=False)
    yield "文书模板", lambda: TemplateDialog(runner, window)
    for name in ("OfficeDialog", "PeriodsDialog", "CategoriesDialog", "RegionsDialog"):
        yield name, lambda n=name: getattr(settings_dialogs, n)(runner, window)
    yield "承办单位", lambda: UnitsDialog(runner, window)
    yield "备份设置", lambda: BackupSettingsDialog(runner, window)
    yield "导出台账", lambda: ExportDialog(db, None, window)
    ledger = work / "台账.xlsx"
    export_ledger_file(db, ledger, flt=MatterFilter(year=2026))
    yield "导入台账", lambda: ImportDialog(db, ledger, window)
    # every column of our own ledger: the longest mapping table a clerk meets
    yield "对应列名", lambda: MappingDialog.for_ledger(read_ledger(ledger), window)

    def profiles() -> Any:
        # a provincial system's export, its unknown columns named by the clerk: the mapping 设置 lists
        import openpyxl

        from xinfang_desktop.services.ledger.headers import save_profiles

        wb = openpyxl.Workbook()
        wb.active.append(["序号", "信访件编号", "登记时间", "信访人姓名", "证件号码", "联系电话", "信访人住址", "信访形式",
                          "问题属地", "内容分类", "事项摘要", "诉求内容", "责任单位", "办理状态", "答复意见"])
        wb.active.append([1, "340102202500123", "2025-04-01", "王五", "", "", "", "来信", "", "", "", "", "", "", ""])
        wb.save(work / "省系统导出.xlsx")
        named = read_ledger(work / "省系统导出.xlsx", mapping={"事项摘要": "反映问题", "诉求内容": "诉求",
                                                            "答复意见": "办理结果", "问题属地": "问题发生地"})
        with db.begin() as s:
            save_profiles(s, named, at=datetime.fromisoformat(f"{today() - timedelta(days=3)}T10:05"))
        return _captured(lambda: window.menu_actions["台账列对应…"].trigger())
    yield "台账列对应", profiles

    def profile_mapping() -> Any:
        dialog = _captured(lambda: window.menu_actions["台账列对应…"].trigger())
        return _captured(dialog.edit_selected)
    yield "修改列对应", profile_mapping

    def dispute_import() -> Any:
        from xinfang_desktop.ui.screening.import_dialog import DisputeImportDialog

        dialog = DisputeImportDialog(runner, window)
        # a wrong row and a right one, so the rows and their errors are measured too
        dialog.paste_box.setPlainText("排查日期\t村（社区）\t当事人\t简要情况\t风险等级\t责任人\t化解期限\n"
                                      "2026-06-05\t柳溪乡/柳溪村\t张三\t承包地边界争议\t重大\t王五\t2026-06-25\n"
                                      "2026-06-12\t河口镇/河口村\t吴十\t债务纠纷\t高\t王五\t2026-06-01\n")
        dialog.check()
        return dialog
    yield "导入矛盾纠纷", dispute_import
    yield "首次设置", lambda: FirstStartDialog(runner, window)
    yield "关于", lambda: AboutDialog(db.path, window)

    def help_box() -> Any:
        box = QMessageBox(QMessageBox.Icon.Information, "使用说明", help_text(), QMessageBox.StandardButton.Ok, window)
        return box
    yield "使用说明", help_box


def _fail(reason: str) -> Any:
    raise RuntimeError(reason)


def _measure(name: str, widget: Any) -> dict[str, Any]:
    from PySide6.QtCore import QPoint, QRect
    from PySide6.QtWidgets import QAbstractButton, QAbstractScrollArea

    def in_scrolled_content(w: Any) -> bool:
        parent = w.parentWidget()
        while parent is not None and parent is not widget:
            grand = parent.parentWidget()
            if isinstance(grand, QAbstractScrollArea) and parent is grand.viewport():
                return True
            parent = grand
        return False

    area = widget.screen().availableGeometry()
    frame = widget.frameGeometry()
    buttons = []
    for button in widget.findChildren(QAbstractButton):
        if not button.isVisibleTo(widget) or in_scrolled_content(button) or button.window() is not widget \
                or button.objectName().startswith("qt_"):  # Qt's own (a table's corner button)
            continue
        top_left = button.mapTo(widget, QPoint(0, 0))
        inside = QRect(top_left, button.size())
        shown = button.visibleRegion().boundingRect()
        buttons.append({
            "text": button.text() or button.toolTip() or button.objectName() or type(button).__name__,
            "rect": [inside.x(), inside.y(), inside.width(), inside.height()],
            "within_window": widget.rect().contains(inside),
            "unclipped": shown.width() >= button.width() and shown.height() >= button.height(),
        })
    return {
        "name": name,
        "area": [area.x(), area.y(), area.width(), area.height()],
        "frame": [frame.x(), frame.y(), frame.width(), frame.height()],
        "frame_inside": area.contains(frame),
        "buttons": buttons,
    }


def _settle(app: Any, widget: Any) -> None:
    """Let the window lay itself out and finish what it loads in the background (the tally, a PDF page)."""
    import time

    deadline = time.monotonic() + 20
    stats = getattr(widget, "pages", {}).get("统计")
    while time.monotonic() < deadline:
        app.processEvents()
        busy = stats is not None and stats.widget is not None and widget.tabs.currentWidget() is stats \
            and (stats.widget.is_busy() or stats.widget.current is None
                 or stats.widget.monthly.isVisible() and stats.widget.monthly.current is None)
        if not busy:
            break
        time.sleep(0.05)
    for _ in range(10):
        app.processEvents()
        time.sleep(0.02)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--shots", default="")
    parser.add_argument("--no-fit", action="store_true", help="without the screen fit: shows the test can fail")
    parser.add_argument("--only", default="", help="only the windows whose name contains this (to look at a few)")
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("QT_QPA_FONTDIR", str(ROOT / "resources" / "fonts"))
    # the suite's day (tests/conftest.py) when run by hand, never the day the probe happens to run; the demo
    # ends on it, so the 督办 board shows an ordinary day's mix (a few 超期, some 临期, most 正常)
    os.environ.setdefault("XINFANG_TODAY", "2026-12-02")
    from PySide6.QtWidgets import QApplication

    from xinfang_desktop.db.database import Database
    from xinfang_desktop.domain.values import MatterFilter
    from xinfang_desktop.services import registry
    from xinfang_desktop.services.demo import generate
    from xinfang_desktop.services.search import list_matters
    from xinfang_desktop.ui.fonts import apply_ui_font
    from xinfang_desktop.ui.screen import install_screen_fit
    from xinfang_desktop.ui.startup import install_chinese_translations
    from xinfang_desktop.wallclock import today

    work = Path(tempfile.mkdtemp())
    os.environ["XDG_DATA_HOME"] = str(work / "xdg-data")  # no saved geometry, nothing of the real user's
    os.environ["XDG_CONFIG_HOME"] = str(work / "xdg-config")
    app = QApplication(["probe"])
    apply_ui_font(app)
    install_chinese_translations(app)
    if not args.no_fit:
        install_screen_fit(app)  # as launch() does
    db = Database(work / "demo.sqlite3")
    with db.begin() as session:
        generate(session, cases=400, seed=7, end=today())
    with db.begin() as session:  # the demo voids nothing: one voided by mistake, for 撤销作废
        registry.void(session, matter_id=list_matters(session, MatterFilter(), limit=1)[0].id, reason="误作废")
    shots = Path(args.shots) if args.shots else None
    if shots is not None:
        shots.mkdir(parents=True, exist_ok=True)
    results = []
    for number, (name, build) in enumerate(_windows(db, work), start=1):
        if args.only not in name:
            continue
        try:
            widget = build()
            if widget is None:
                raise RuntimeError("nothing was built")
            widget.show()
            _settle(app, widget)
            result = _measure(name, widget)
            if shots is not None:
                widget.grab().save(str(shots / f"{number:02d}-{name}.png"))
            if not name.startswith("主窗口"):
                widget.close()  # the main window stays: the tabs' dialogs are its children
        except Exception as exc:  # noqa: BLE001 - reported, and the test fails on it
            result = {"name": name, "error": f"{type(exc).__name__}: {exc}"}
        results.append(result)
    print(json.dumps(results, ensure_ascii=False))
    db.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
