"""The 督办 tab (placeholder until its issue lands)."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from xinfang_desktop.ui.actions import ActionRunner


class SuperviseTab(QWidget):
    def __init__(self, runner: ActionRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.runner = runner
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("督办（建设中）"))

    def refresh(self) -> None:
        """Reload from the database; called on every data_changed."""
