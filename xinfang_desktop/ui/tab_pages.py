"""The tabs other than 登记, each built the first time it is shown (its modules imported then too)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import (
    QVBoxLayout,
    QWidget,
)

from xinfang_desktop.ui.actions import ActionRunner


def decide_tab(runner: ActionRunner) -> QWidget:
    from xinfang_desktop.ui.decide.decide_tab import DecideTab

    return DecideTab(runner)


def supervise_tab(runner: ActionRunner) -> QWidget:
    from xinfang_desktop.ui.supervise.supervise_tab import SuperviseTab

    return SuperviseTab(runner)


def leaders_tab(runner: ActionRunner) -> QWidget:
    from xinfang_desktop.ui.leaders.leaders_tab import LeadersTab

    return LeadersTab(runner)


def screening_tab(runner: ActionRunner) -> QWidget:
    from xinfang_desktop.ui.screening.screening_tab import ScreeningTab

    return ScreeningTab(runner)


def stats_tab(runner: ActionRunner) -> QWidget:
    from xinfang_desktop.ui.stats.stats_tab import StatsTab

    return StatsTab(runner)


class LazyPage(QWidget):
    """A tab page that builds its real widget the first time it is needed.

    `set_filter` passes through, so the morning banner can filter the 督办 board through it.
    """

    def __init__(self, factory: Callable[[], QWidget]) -> None:
        super().__init__()
        self.factory = factory
        self.widget: QWidget | None = None
        self.layout_ = QVBoxLayout(self)
        self.layout_.setContentsMargins(0, 0, 0, 0)

    def ensure(self) -> QWidget:
        if self.widget is None:
            self.widget = self.factory()
            self.layout_.addWidget(self.widget)
        return self.widget

    def refresh(self) -> None:
        refresh = getattr(self.widget, "refresh", None)
        if refresh is not None:
            refresh()

    def set_filter(self, name: str) -> None:
        set_filter = getattr(self.ensure(), "set_filter", None)
        if set_filter is not None:
            set_filter(name)
