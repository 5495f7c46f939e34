"""关于: the version, the open database (path and size), and the bundled fonts with their licences."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QListWidget,
    QPlainTextEdit,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from xinfang_desktop import __version__
from xinfang_desktop.paths import resources_dir

# the bundled fonts as the clerk knows them (resources/fonts/README.md has the detail)
FONTS = (
    ("wqy-microhei", "文泉驿微米黑", "Apache-2.0"),
    ("gbsn00lp", "文鼎PL简报宋", "Arphic Public License"),
    ("gkai00mp", "文鼎PL简中楷", "Arphic Public License"),
    ("HanaMinA", "花园明朝A", "花园字体许可或 SIL OFL 1.1"),
    ("HanaMinB", "花园明朝B", "花园字体许可或 SIL OFL 1.1"),
)


def size_text(size: int) -> str:
    """1.2 MB, 830 KB: as a file manager says it."""
    if size >= 1024 * 1024:
        return f"{size / 1024 / 1024:.1f} MB"
    return f"{max(1, round(size / 1024))} KB"


def database_size(path: Path) -> int:
    """The file and its write-ahead log (recent commits live in -wal until a checkpoint)."""
    return sum(p.stat().st_size for p in (path, path.with_name(path.name + "-wal")) if p.exists())


class AboutDialog(QDialog):
    def __init__(self, db_path: Path, parent: QWidget | None = None, *, server: str = "") -> None:
        """`server`: the label of the server database the program runs on (then `db_path` is no file)."""
        super().__init__(parent)
        self.setWindowTitle("关于信访台账")
        self.resize(760, 560)
        if server:
            where = ("数据保存在服务器数据库中，本程序只连接这台服务器，从不连互联网。",
                     f"数据库：{server}（服务器）")
        else:
            where = ("离线使用，数据只保存在本机，从不联网。",
                     f"数据库：{db_path}<br>大小：{size_text(database_size(db_path))}")
        self.info = info = QLabel(
            f"<p><b>信访台账</b>　版本 {__version__}</p>"
            f"<p>乡镇、县人大信访工作的登记、交办、督办和年度统计。{where[0]}</p><p>{where[1]}</p>")
        info.setWordWrap(True)
        info.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)  # the path can be copied
        self.fonts = QListWidget()
        # the names wrap to the list's width: a sideways scrollbar hid the licences' names
        self.fonts.setWordWrap(True)
        self.fonts.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.fonts.setResizeMode(QListWidget.ResizeMode.Adjust)
        for stem, name, licence in FONTS:
            self.fonts.addItem(f"{name}（{licence}）")
        self.licence = QPlainTextEdit()
        self.licence.setReadOnly(True)
        self.fonts.currentRowChanged.connect(self.show_licence)
        split = QSplitter()
        split.addWidget(self.fonts)
        split.addWidget(self.licence)
        split.setSizes([240, 500])
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText("关闭")
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(info)
        layout.addWidget(QLabel("内置字体及其许可证（点选查看全文）："))
        layout.addWidget(split, 1)
        layout.addWidget(buttons)
        self.fonts.setCurrentRow(0)

    def show_licence(self, row: int) -> None:
        stem = FONTS[row][0]
        path = resources_dir() / "fonts" / f"{stem}.LICENSE.txt"
        try:
            self.licence.setPlainText(path.read_text(encoding="utf-8"))
        except OSError:
            self.licence.setPlainText(f"找不到许可证文件 {path}，请重新安装本程序。")
