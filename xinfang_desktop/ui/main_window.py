"""The main window: tabs 登记 交办 督办 接访 排查 统计, menus 文件 设置 帮助, the status bar, and `launch()`."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

from PySide6.QtCore import QSettings, Qt, QTimer
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QLabel,
    QMainWindow,
    QMessageBox,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from xinfang_desktop.db.database import Database
from xinfang_desktop.domain.changes import EVERYTHING, Changes
from xinfang_desktop.domain.clock import OVERDUE
from xinfang_desktop.domain.errors import DamagedDatabaseError, XinfangError
from xinfang_desktop.services.settings import get_setting
from xinfang_desktop.ui import tab_pages
from xinfang_desktop.ui.actions import ActionRunner
from xinfang_desktop.ui.open_database import open_database
from xinfang_desktop.ui.register.register_tab import RegisterTab
from xinfang_desktop.ui.screen import GUESSED_FRAME, available_area
from xinfang_desktop.ui.tab_pages import LazyPage

log = logging.getLogger(__name__)

SETTINGS_ORG, SETTINGS_APP = "xinfang-desktop", "xinfang"
# what each tab shows: a change to anything else leaves it as it is
SHOWS: dict[str, tuple[str, ...]] = {
    "登记": ("matters", "categories", "places"),
    "交办": ("matters", "units"),
    "督办": ("matters", "transfers", "units", "documents"),
    "接访": ("meetings", "matters"),
    "排查": ("disputes", "matters", "places", "categories"),
    "统计": ("matters", "transfers", "units", "categories", "places", "settings", "meetings", "disputes"),
}
# the main window's size at a first start where the screen has room for it (1920×1080 and most others)
FIRST_SIZE = (1280, 800)
DB_FILTER = "信访台账数据库 (*.sqlite3 *.db);;所有文件 (*)"

_HELP = """<h3>使用说明</h3>
<p><b>登记</b>：先选信访形式，再按纸质登记表的顺序用 Tab 键逐项填写；
<b>Ctrl+S</b> 保存，保存后显示新编号，表单清空可登记下一件；<b>Ctrl+N</b> 新登记；<b>Esc</b> 放弃（会先询问）。</p>
<p>输入姓名或身份证号时，右侧列出此人以往的信访事项；提示“可能重复”时，点“关联重复”即可把本件登记为重复信访。
身份证号校验位不符时会提示原因，确认无误仍可保存，并记入办理过程。</p>
<p><b>事项列表</b>：可按标题、内容、姓名、身份证号、电话、原编号（导入台账时原系统的编号）搜索，按年度、状态、形式、分类筛选；
超期的行显示为红色，临期的行显示为黄色；双击打开事项查看全部内容、信访人、办理过程、文书和附件。</p>
<p><b>交办</b>、<b>督办</b>、<b>统计</b>：在对应的标签页中办理。</p>
<p><b>F5</b>（文件→刷新）：重新读取各标签页；几位同事共用服务器数据库时，可看到别人刚保存的内容。</p>
<p><b>文件</b>菜单可新建、打开、备份数据库，导入和导出Excel台账；导入时确认的列对应在<b>设置</b>→台账列对应中查看、修改或删除。{where}</p>
"""


def help_text(server: str = "") -> str:
    """使用说明; `server`: the label of the server database the program runs on, where the data then is."""
    where = (f"数据保存在服务器数据库“{server}”中，本程序只连接这台服务器，不连互联网。" if server
             else "数据只保存在本机，不联网。")
    return _HELP.format(where=where)


class MainWindow(QMainWindow):
    """One open database: its runner, the four tabs, and the menus around them."""

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.runner = ActionRunner(db, self)
        self.resize(*FIRST_SIZE)  # on a smaller screen the screen fit makes it smaller (ui.screen)
        self._build_menus()
        self.open_label = QLabel()
        self.statusBar().addPermanentWidget(self.open_label)
        self._build_tabs()
        self.runner.data_changed.connect(self.on_data_changed)
        self._update_menus()
        self._update_title()
        self.restored = self.restore_geometry()

    def show_at_start(self) -> None:
        """As the clerk left it; at a first start, maximised on a screen that has no room for FIRST_SIZE.

        A 1366×768 laptop less its taskbar would give a 1280-wide window beside a strip of desktop;
        its size when un-maximised is then fitted to the screen too, not the 800 pixels of FIRST_SIZE."""
        if self.restored:
            self.show()
            return
        area, frame = available_area(self), GUESSED_FRAME  # not shown yet, so not framed yet
        room_w = area.width() - frame.left() - frame.right()
        room_h = area.height() - frame.top() - frame.bottom()
        if FIRST_SIZE[0] <= room_w and FIRST_SIZE[1] <= room_h:
            self.show()
            return
        self.setGeometry(area.left() + frame.left(), area.top() + frame.top(),
                         min(FIRST_SIZE[0], room_w), min(FIRST_SIZE[1], room_h))
        self.showMaximized()

    # building -------------------------------------------------------------------------------
    def _build_tabs(self) -> None:
        self.tabs = QTabWidget()
        self.register_tab = RegisterTab(self.runner)
        self.tabs.addTab(self.register_tab, "登记")
        # the other tabs are built when first shown (or just after the first paint): at a
        # million matters the 督办 board alone takes most of a second to load
        self.pages: dict[str, LazyPage] = {}
        for title, factory in (("交办", tab_pages.decide_tab), ("督办", tab_pages.supervise_tab),
                               ("接访", tab_pages.leaders_tab), ("排查", tab_pages.screening_tab),
                               ("统计", tab_pages.stats_tab)):
            self.pages[title] = LazyPage(lambda f=factory: f(self.runner))
            self.tabs.addTab(self.pages[title], title)
        self._stale: set[str] = set()
        self.tabs.currentChanged.connect(self._tab_shown)
        self.register_tab.open_matter.connect(self.open_matter)
        self.central = QWidget()
        self.central_layout = QVBoxLayout(self.central)
        self.central_layout.setContentsMargins(0, 0, 0, 0)
        self.central_layout.addWidget(self.tabs)
        self.setCentralWidget(self.central)
        self.banner: QWidget | None = None

    def _action(self, menu: Any, text: str, slot: Callable[[], object], keys: Any = None) -> QAction:
        action = QAction(text, self)
        if keys is not None:
            action.setShortcut(QKeySequence(keys))
        action.triggered.connect(lambda _=False: slot())
        menu.addAction(action)
        self.menu_actions[text] = action
        return action

    def _build_menus(self) -> None:
        self.menu_actions: dict[str, QAction] = {}
        bar = self.menuBar()
        file_menu = bar.addMenu("文件(&F)")
        file_menu.setToolTipsVisible(True)  # why an item is not offered (从备份恢复… to a viewer)
        self._action(file_menu, "新建数据库…", self.new_database)
        self._action(file_menu, "打开数据库…", self.choose_database, QKeySequence.StandardKey.Open)
        self._action(file_menu, "连接服务器数据库…", self.connect_server)
        self._action(file_menu, "刷新", self.refresh_all, QKeySequence.StandardKey.Refresh)
        self._action(file_menu, "备份", self.backup)
        self._action(file_menu, "从备份恢复…", self.restore_backup)
        file_menu.addSeparator()
        self._action(file_menu, "导入台账…", self.import_ledger)
        self._action(file_menu, "导出台账…", self.export_ledger)
        file_menu.addSeparator()
        self._action(file_menu, "退出", self.close, QKeySequence.StandardKey.Quit)
        settings_menu = bar.addMenu("设置(&S)")
        self._action(settings_menu, "首次设置…", self.first_start)
        self._action(settings_menu, "机关信息…", lambda: self._settings_dialog("OfficeDialog"))
        self._action(settings_menu, "承办单位…", self.edit_units)
        self._action(settings_menu, "问题分类…", lambda: self._settings_dialog("CategoriesDialog"))
        self._action(settings_menu, "乡镇和村…", lambda: self._settings_dialog("RegionsDialog"))
        self._action(settings_menu, "办理期限…", lambda: self._settings_dialog("PeriodsDialog"))
        self._action(settings_menu, "文书模板…", self.edit_templates)
        self._action(settings_menu, "台账列对应…", self.edit_ledger_profiles)
        self._action(settings_menu, "备份…", self.edit_backups)
        help_menu = bar.addMenu("帮助(&H)")
        self._action(help_menu, "使用说明", self.show_help, QKeySequence.StandardKey.HelpContents)
        self._action(help_menu, "关于", self.show_about)

    @property
    def decide_tab(self) -> QWidget:
        return self.pages["交办"].ensure()

    @property
    def supervise_tab(self) -> QWidget:
        return self.pages["督办"].ensure()

    @property
    def leaders_tab(self) -> QWidget:
        return self.pages["接访"].ensure()

    @property
    def screening_tab(self) -> QWidget:
        return self.pages["排查"].ensure()

    @property
    def stats_tab(self) -> QWidget:
        return self.pages["统计"].ensure()

    # status and refresh ---------------------------------------------------------------------
    def on_data_changed(self, changes: Changes) -> None:
        """The one refresh path: a tab that shows what changed reloads now if in sight, else when next shown."""
        if changes.touches("categories", "places"):
            # the lists feed the register form's choices
            self.register_tab.reload_lists()
        if changes.touches("settings"):
            self._update_title()  # it names the office
        if changes.touches(*SHOWS["登记"]):
            self.register_tab.refresh()
        current = self.tabs.currentWidget()
        for title, page in self.pages.items():
            if not changes.touches(*SHOWS[title]):
                continue
            if page is current:
                page.refresh()
            elif page.widget is not None:
                self._stale.add(title)
        if changes.touches("matters", "transfers"):
            # after every other listener (the banner recounts first, and its counts are reused)
            QTimer.singleShot(0, self.update_status)
        if changes.label:
            self.statusBar().showMessage(f"已完成：{changes.label}", 5000)

    def refresh_all(self) -> None:
        """刷新 (F5): what other clerks of a server database (or another program on the same file) have
        saved since, in every tab, the banner and the status bar; by the one refresh path."""
        try:
            self._update_title()  # one read first: a server gone away is said once, not by every tab
        except XinfangError as exc:
            QMessageBox.warning(self, "无法刷新", exc.message)
            return
        self.runner.announce(Changes(everything=True, label="刷新"))

    def _tab_shown(self, index: int) -> None:
        page = self.tabs.widget(index)
        for title, candidate in self.pages.items():
            if candidate is page:
                built = candidate.widget is not None
                candidate.ensure()
                if built and title in self._stale:
                    candidate.refresh()
                self._stale.discard(title)

    def update_status(self) -> None:
        from xinfang_desktop.services.supervision import board_counts  # after the first paint: the ORM's

        # the banner recounts on every change while it is shown; a closed banner's counts are stale
        counts = getattr(self.banner, "counts", None) if self.banner is not None and self.banner.isVisible() else None
        counts = counts or self.runner.read(board_counts)
        # 在办 as the 督办 board's header counts it: the matters on the board, each once
        overdue = counts[OVERDUE]
        self.open_label.setText(f"在办 {counts['在办']} 件　超期 {overdue} 件")
        self.open_label.setStyleSheet("color: #b00000;" if overdue else "")

    def after_first_paint(self) -> None:
        """What can wait until the window is up: the mapped classes, the status counts, the morning banner,
        the tally's cache."""
        from xinfang_desktop.services.backups import check_cache
        from xinfang_desktop.services.office import needs_first_start
        from xinfang_desktop.ui.backups.backup_ui import start_storage_guard
        from xinfang_desktop.ui.stats.tally_warmup import start_tally_warmup
        from xinfang_desktop.ui.supervise.morning_banner import install_morning_banner

        # the ORM and the mapped classes, imported and configured in one go before the banner's counts
        # (the first statements to name a mapped class)
        self.db.configure_models()
        if self.banner is None:
            self.banner = install_morning_banner(self.runner, self.tabs, self.pages["督办"])
            self.central_layout.insertWidget(0, self.banner)
        self.update_status()
        check_cache(self.db)
        # this year's and last year's days counted in a pool thread, so the first 统计 is fast
        start_tally_warmup(self.db)
        # the full check (damage is offered a restore) and the day's first backup, in a pool thread
        start_storage_guard(self)
        # a leader's or viewer's login could not save it: the office is named by a clerk
        if not self.db.read_only and self.runner.read(needs_first_start):
            QTimer.singleShot(0, self.first_start)

    def _update_menus(self) -> None:
        # a login that may not write (a leader, a viewer, a read-only file) is not offered to replace it
        restore = self.menu_actions["从备份恢复…"]
        restore.setEnabled(not self.db.read_only)
        restore.setToolTip("只读或查阅账号不能恢复数据库" if self.db.read_only else "")

    def _update_title(self) -> None:
        office = self.runner.rows(get_setting, "office_name") or "尚未填写机关名称"
        where = self.db.label if self.db.is_server else self.db.path.name
        self.setWindowTitle(f"信访台账 — {where}（{office}）")

    # the file menu --------------------------------------------------------------------------
    def switch_database(self, db: Database) -> None:
        """Close this database and show another; every tab is rebuilt over it."""
        self.save_geometry()
        old = self.db
        self.db = db
        self.runner.db = db
        old_central = self.centralWidget()
        self._build_tabs()
        if old_central is not None:
            old_central.deleteLater()
        self._update_menus()
        self._update_title()
        self.after_first_paint()
        old.close()
        self.restore_geometry()

    def open_database_path(self, path: Path, *, create: bool) -> bool:
        if create and path.exists():
            QMessageBox.warning(self, "新建数据库", f"文件“{path.name}”已存在。要使用它，请用“打开数据库”。")
            return False
        if not create and not path.exists():
            QMessageBox.warning(self, "打开数据库", f"文件“{path}”不存在。")
            return False
        try:
            db = open_database(path, self)
        except DamagedDatabaseError as exc:
            from xinfang_desktop.ui.backups.backup_ui import restore_at_open

            if not restore_at_open(path, exc.message, self):
                return False
            return self.open_database_path(path, create=False)
        except XinfangError as exc:
            QMessageBox.warning(self, "无法打开数据库", exc.message)
            return False
        self.switch_database(db)
        from xinfang_desktop.ui.server_connect import forget_server_at_start

        forget_server_at_start()  # the file chosen over the server: the next start is on the file
        self.statusBar().showMessage(f"已打开 {path}", 5000)
        return True

    def new_database(self) -> None:
        name, _ = QFileDialog.getSaveFileName(self, "新建数据库", str(self.db.path.parent / "新台账.sqlite3"), DB_FILTER)
        if name:
            path = Path(name)
            if not path.suffix:
                path = path.with_suffix(".sqlite3")
            self.open_database_path(path, create=True)

    def choose_database(self) -> None:
        name, _ = QFileDialog.getOpenFileName(self, "打开数据库", str(self.db.path.parent), DB_FILTER)
        if name:
            self.open_database_path(Path(name), create=False)

    def connect_server(self) -> bool:
        from xinfang_desktop.ui.server_connect import connect_server

        return connect_server(self)

    def backup(self) -> Path | None:
        try:
            target = self.db.backup(reason="手动")
        except XinfangError as exc:
            QMessageBox.warning(self, "备份失败", exc.message)
            return None
        QMessageBox.information(self, "备份", f"已备份到：\n{target}")
        return target

    def restore_backup(self) -> bool:
        from xinfang_desktop.ui.backups.backup_ui import choose_and_restore

        if self.db.is_server:
            from xinfang_desktop.services.backups import SERVER_RESTORE

            QMessageBox.information(self, "从备份恢复", SERVER_RESTORE)
            return False
        return choose_and_restore(self)

    def edit_backups(self) -> None:
        from xinfang_desktop.ui.backups.backup_ui import BackupSettingsDialog

        BackupSettingsDialog(self.runner, self).exec()

    def import_ledger(self) -> None:
        from xinfang_desktop.ui.ledger.ledger_dialogs import open_import_dialog

        if open_import_dialog(self, self.db) is not None:
            # the import ran in a worker's own session: it reports through the same path
            self.runner.announce(replace(EVERYTHING, label="导入台账"))

    def export_ledger(self) -> None:
        """Exports what the list shows: its search text and filters."""
        from xinfang_desktop.ui.ledger.ledger_dialogs import open_export_dialog

        open_export_dialog(self, self.db, flt=self.register_tab.matter_list.current_filter())

    # the settings menu ----------------------------------------------------------------------
    def edit_ledger_profiles(self) -> None:
        from xinfang_desktop.ui.ledger.profiles_dialog import ProfilesDialog

        ProfilesDialog(self.runner, self).exec()

    def edit_units(self) -> None:
        from xinfang_desktop.ui.settings.units_dialog import UnitsDialog

        UnitsDialog(self.runner, self).exec()

    def edit_templates(self) -> None:
        from xinfang_desktop.ui.documents.template_dialog import open_template_dialog

        open_template_dialog(self, self.runner)

    def _settings_dialog(self, name: str) -> None:
        # imported when first used: dialogs are not needed for the first paint
        from xinfang_desktop.ui.settings import settings_dialogs

        getattr(settings_dialogs, name)(self.runner, self).exec()

    def first_start(self) -> QDialog:
        """首次设置: opened (not run modally) at the first start of a new database, and from 设置."""
        from xinfang_desktop.ui.settings.first_start import FirstStartDialog

        dialog = FirstStartDialog(self.runner, self)
        dialog.finished.connect(self._back_to_register)
        dialog.open()
        return dialog

    def _back_to_register(self, _result: int = 0) -> None:
        """After 首次设置 the clerk registers: the 登记 tab, the cursor in 信访形式 (not on the tab bar)."""
        self.tabs.setCurrentWidget(self.register_tab)
        self.register_tab.ui.channel_combo.setFocus(Qt.FocusReason.OtherFocusReason)

    # help -----------------------------------------------------------------------------------
    def _server(self) -> str:
        return self.db.label if self.db.is_server else ""

    def show_help(self) -> None:
        QMessageBox.information(self, "使用说明", help_text(self._server()))

    def show_about(self) -> QDialog:
        from xinfang_desktop.ui.about import AboutDialog

        dialog = AboutDialog(self.db.path, self, server=self._server())
        dialog.open()
        return dialog

    # opened matter --------------------------------------------------------------------------
    def open_matter(self, matter_id: int) -> QDialog | None:
        from xinfang_desktop.ui.matter.matter_dialog import MatterDialog

        try:
            dialog = MatterDialog(self.runner, matter_id, self)
        except XinfangError as exc:
            QMessageBox.warning(self, "无法打开", exc.message)
            return None
        dialog.show()
        return dialog

    # geometry -------------------------------------------------------------------------------
    def save_geometry(self) -> None:
        settings = QSettings(SETTINGS_ORG, SETTINGS_APP)
        settings.setValue("main/geometry", self.saveGeometry())
        settings.setValue("main/register_splitter", self.register_tab.splitter.saveState())

    def restore_geometry(self) -> bool:
        """Where the window was and how big (maximised or not) when last closed on this PC; False the first time."""
        settings = QSettings(SETTINGS_ORG, SETTINGS_APP)
        geometry = settings.value("main/geometry")
        if geometry is not None:
            self.restoreGeometry(geometry)
        splitter = settings.value("main/register_splitter")
        if splitter is not None:
            self.register_tab.splitter.restoreState(splitter)
        return geometry is not None

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt override
        """Qt override: remember where the window was; back up if this session changed something."""
        from xinfang_desktop.ui.backups.backup_ui import backup_before_close

        self.save_geometry()
        backup_before_close(self)
        super().closeEvent(event)


