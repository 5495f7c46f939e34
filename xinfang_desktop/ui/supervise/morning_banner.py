"""The morning banner: one non-blocking line "今日到期 3 件，临期 5 件，超期 2 件" that opens the board filtered."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QTabWidget,
    QToolButton,
    QWidget,
)

from xinfang_desktop.domain.clock import DUE_SOON, OVERDUE
from xinfang_desktop.services.supervision import board_counts
from xinfang_desktop.ui.actions import ActionRunner
from xinfang_desktop.ui.palette import OVERDUE_TEXT

TODAY = "今日到期"


class MorningBanner(QFrame):
    """A thin bar above the tabs; each count is a link emitting `filter_requested(name)`.

    Nothing waits on it: the clerk may read it, click a count, or close it.
    """

    filter_requested = Signal(str)

    def __init__(self, runner: ActionRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.runner = runner
        self.counts: dict[str, int] = {}
        self.setObjectName("morning_banner")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setStyleSheet("#morning_banner { background: #fff6d6; border: 1px solid #e0c060; }")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 2, 4, 2)
        self.label = QLabel()
        self.label.setTextFormat(Qt.TextFormat.RichText)
        self.label.linkActivated.connect(self.filter_requested.emit)
        layout.addWidget(self.label, 1)
        self.close_button = QToolButton()
        self.close_button.setText("×")
        self.close_button.setToolTip("关闭提示")
        self.close_button.setAutoRaise(True)
        self.close_button.clicked.connect(self.hide)
        layout.addWidget(self.close_button)
        self.refresh()

    def text(self) -> str:
        """The line as plain text, e.g. 今日到期 3 件，临期 5 件，超期 2 件."""
        c = self.counts
        return f"{TODAY} {c.get(TODAY, 0)} 件，临期 {c.get(DUE_SOON, 0)} 件，超期 {c.get(OVERDUE, 0)} 件"

    def refresh(self) -> None:
        """Recount from the database (start-up, and on data_changed while visible)."""
        self.counts = self.runner.read(board_counts)
        c = self.counts
        parts = [
            f"<a href='{TODAY}'>{TODAY} {c[TODAY]} 件</a>",
            f"<a href='{DUE_SOON}'>临期 {c[DUE_SOON]} 件</a>",
            f"<a href='{OVERDUE}'><span style='color:{OVERDUE_TEXT.name()}'>超期 {c[OVERDUE]} 件</span></a>",
        ]
        self.label.setText("督办提醒：" + "，".join(parts) + "　（点击查看）")


def install_morning_banner(runner: ActionRunner, tabs: QTabWidget, supervise_tab: QWidget) -> MorningBanner:
    """Make the banner and wire its links to the 督办 tab; the caller places it (e.g. above the tabs).

    `supervise_tab` is the SuperviseTab inside `tabs`; a click switches to it and filters it.
    """
    banner = MorningBanner(runner)

    def open_board(name: str) -> None:
        tabs.setCurrentWidget(supervise_tab)
        set_filter = getattr(supervise_tab, "set_filter", None)
        if set_filter is not None:
            set_filter(name)

    banner.filter_requested.connect(open_board)
    runner.data_changed.connect(
        lambda changes: banner.refresh() if banner.isVisible() and changes.touches("matters", "transfers") else None)
    return banner
