"""A clerk's first day on a new, empty database, on a screen of a given size: what each step showed and said.

Run in its own process (the screen is fixed when Qt starts) by test_first_day_walk.py, under Qt's offscreen
platform told the screen's size. The program is started as launch() starts it, on a new database (the
generic lists only), and the clerk fills the 首次设置 page or puts it off (`filled` / `skipped`), registers
a matter, 交办 it, 催办 it on the 督办 board and looks at every tab; each window and dialog met on the way is
measured as screen_probe measures them (and saved as a screenshot with --shots). A skipped page is
finished later from 设置 → 首次设置…. Prints one JSON object: the windows, the messages shown, and facts.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
OFFICE = "青石县河口镇人民政府"


def main() -> int:  # noqa: PLR0915 - one walk, step by step, as the clerk goes
    parser = argparse.ArgumentParser()
    parser.add_argument("mode", choices=("filled", "skipped"))
    parser.add_argument("--shots", default="")
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("QT_QPA_FONTDIR", str(ROOT / "resources" / "fonts"))
    os.environ.setdefault("XINFANG_TODAY", "2026-12-02")  # the suite's day when run by hand, never the real one
    work = Path(tempfile.mkdtemp())
    os.environ["XDG_DATA_HOME"] = str(work / "xdg-data")  # nothing remembered: a first start
    os.environ["XDG_CONFIG_HOME"] = str(work / "xdg-config")

    from PySide6.QtWidgets import QApplication, QDialog, QMessageBox, QWidget

    from tests.helpers.qt import type_text
    from tests.ui.screen_probe import _measure
    from xinfang_desktop.domain.enums import Channel, Decision, TransferRole, UnitKind
    from xinfang_desktop.ui.action_dialogs import FormDialog, TransferDialog
    from xinfang_desktop.ui.fonts import apply_ui_font
    from xinfang_desktop.ui.main_window import MainWindow
    from xinfang_desktop.ui.open_database import open_database
    from xinfang_desktop.ui.screen import install_screen_fit
    from xinfang_desktop.ui.settings.first_start import FirstStartDialog
    from xinfang_desktop.ui.settings.units_dialog import UnitsDialog
    from xinfang_desktop.ui.startup import install_chinese_translations

    app = QApplication(["walk"])
    apply_ui_font(app)  # as launch() does
    install_chinese_translations(app)
    install_screen_fit(app)
    shots = Path(args.shots) if args.shots else None
    if shots is not None:
        shots.mkdir(parents=True, exist_ok=True)
    windows: list[dict[str, Any]] = []
    said: list[str] = []
    facts: dict[str, Any] = {}

    def settle(seconds: float = 0.3) -> None:
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            app.processEvents()
            time.sleep(0.02)

    def look(widget: QWidget, name: str, *, wait: float = 0.3) -> None:
        settle(wait)
        windows.append(_measure(name, widget))
        if shots is not None:
            widget.grab().save(str(shots / f"{args.mode}-{len(windows):02d}-{name}.png"))

    def record(kind: str) -> Any:
        def box(_parent: Any, _title: str, text: str, *_a: Any, **_k: Any) -> QMessageBox.StandardButton:
            said.append(text)
            return QMessageBox.StandardButton.Yes if kind == "question" else QMessageBox.StandardButton.Ok
        return box

    for kind in ("information", "warning", "critical", "question"):
        setattr(QMessageBox, kind, record(kind))

    def shown(kind: type) -> list[Any]:
        return [w for w in QApplication.topLevelWidgets() if isinstance(w, kind) and w.isVisible()]

    def documents() -> list[Any]:
        return [w for w in QApplication.topLevelWidgets() if w.isVisible() and type(w).__name__ == "DocumentDialog"]

    def fill_first_start(page: FirstStartDialog) -> None:
        type_text(page.name_edit, OFFICE)
        page.kind_combo.setCurrentIndex(page.kind_combo.findData("乡镇人民政府"))
        page.prefix_edit.setText("河信")
        type_text(page.review_edit, "青石县人民政府")
        type_text(page.regions_edit, "河口镇/李家湾村\n河口镇\t沙洲村\n河口镇：河口村、新河村、石桥村、竹园村")
        type_text(page.units_edit, "河口镇派出所\t县直部门\n河口镇司法所\n河口镇农业综合服务中心\n县民政局")

    def form_exec(dialog: FormDialog) -> int:
        """The clerk fills what the form asks beyond its defaults, looks, and presses 确定."""
        dialog.show()
        title = dialog.windowTitle().split("　")[0]
        if title == "新增承办单位":
            type_text(dialog.widgets["name"], "河口镇司法所")
            dialog.set_value("kind", UnitKind.TOWNSHIP.value)
        look(dialog, title)
        dialog.hide()
        return int(QDialog.DialogCode.Accepted.value)

    def transfer_exec(dialog: TransferDialog) -> int:
        dialog.show()
        facts["units_offered"] = [u.name for u in dialog.units]
        dialog.add_unit(dialog.units[0].id, TransferRole.LEAD, None)
        look(dialog, "交办")
        dialog.hide()
        return int(QDialog.DialogCode.Accepted.value)

    def units_exec(dialog: UnitsDialog) -> int:
        dialog.show()
        look(dialog, "承办单位（尚无）")
        dialog.add_button.click()  # 新增… through form_exec
        look(dialog, "承办单位（已添加）")
        dialog.hide()
        return int(QDialog.DialogCode.Accepted.value)

    FormDialog.exec = form_exec  # type: ignore[method-assign]
    TransferDialog.exec = transfer_exec  # type: ignore[method-assign]
    UnitsDialog.exec = units_exec  # type: ignore[method-assign]

    db = open_database(work / "信访台账.sqlite3")  # a new file: what launch() makes of a path not there yet
    window = MainWindow(db)
    window.register_tab.matter_list.apply_filter()
    window.show_at_start()
    settle()
    window.after_first_paint()
    settle(0.5)
    facts["maximized"] = window.isMaximized()
    pages = shown(FirstStartDialog)
    facts["first_start_asked"] = len(pages)
    page = pages[0]
    look(page, "首次设置")
    if args.mode == "filled":
        fill_first_start(page)
        look(page, "首次设置-已填")
        page.save_button.click()
    else:
        page.later_button.click()
    look(window, "主窗口-登记")

    ui = window.register_tab.ui
    ui.channel_combo.setCurrentIndex(ui.channel_combo.findData(Channel.VISIT))
    type_text(ui.name_edit, "李秀兰")
    type_text(ui.id_edit, "11010519491231002X")
    type_text(ui.phone_edit, "13812345678")
    type_text(ui.address_edit, "河口镇李家湾村三组")
    if ui.town_combo.findData("河口镇") >= 0:  # the places typed on the first-start page
        ui.town_combo.setCurrentIndex(ui.town_combo.findData("河口镇"))
        ui.village_combo.setCurrentIndex(max(ui.village_combo.findData("李家湾村"), 0))
    type_text(ui.category_combo, "农村农业/土地承包")
    type_text(ui.title_edit, "反映李家湾村承包地被调整未获补偿问题")
    type_text(ui.content_edit, "信访人称其承包地在2026年春被村组调整，至今未得到补偿。")
    type_text(ui.demand_edit, "请求恢复承包地或给予补偿")
    window.register_tab.update_history()
    look(window, "主窗口-登记-已填")
    ref = window.register_tab.save()
    assert ref is not None, said
    facts["number"] = ref.number
    look(window, "主窗口-登记-已保存")

    def offered(name: str) -> int:
        """The letters the step just taken offers, each looked at and closed: how many."""
        settle(1.0)
        letters = documents()
        for letter in letters:
            look(letter, name)
            letter.close()
        return len(letters)

    def tab(title: str) -> None:
        window.tabs.setCurrentIndex(next(i for i in range(window.tabs.count()) if window.tabs.tabText(i) == title))

    tab("交办")
    look(window, "主窗口-交办")
    window.decide_tab.select_matter(ref.id)
    before = len(said)
    window.decide_tab.decide(Decision.ASSIGN)
    facts["said_at_assign"] = said[before:]
    facts["letters_offered"] = offered("交办函")

    tab("督办")
    board = window.supervise_tab
    board.set_filter("全部在办")
    look(window, "主窗口-督办")
    facts["board_rows"] = board.select_rows(lambda r: r.matter_id == ref.id)
    before = len(said)
    board.remind()
    facts["said_at_remind"] = said[before:]
    facts["reminders_offered"] = offered("催办单")
    for title in ("接访", "排查"):
        tab(title)
        look(window, f"主窗口-{title}")
    tab("统计")
    look(window, "主窗口-统计", wait=3.0)
    window.stats_tab.pages.setCurrentIndex(1)  # type: ignore[attr-defined]
    look(window, "主窗口-每月汇总分析", wait=3.0)

    if args.mode == "skipped":  # finished later, from 设置
        window.menu_actions["首次设置…"].trigger()
        settle()
        later = shown(FirstStartDialog)
        fill_first_start(later[0])
        look(later[0], "首次设置-以后补填")
        later[0].save_button.click()
        settle()
    facts["title"] = window.windowTitle()
    print(json.dumps({"windows": windows, "said": said, "facts": facts}, ensure_ascii=False))
    window.close()
    db.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
