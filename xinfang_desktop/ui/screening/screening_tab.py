"""The 排查 tab: a month's 矛盾纠纷排查 (each 村's disputes or 零报告), who has not reported, the 排查台账."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from xinfang_desktop import wallclock
from xinfang_desktop.domain.clock import OVERDUE
from xinfang_desktop.domain.enums import DisputeState, RiskLevel
from xinfang_desktop.domain.errors import XinfangError
from xinfang_desktop.domain.workflow.records import Dispute, month_of, parse_month
from xinfang_desktop.exporters.screening_xlsx import screening_title, write_screening
from xinfang_desktop.services import screening
from xinfang_desktop.services.lists import category_tree
from xinfang_desktop.services.settings import get_setting
from xinfang_desktop.ui import action_dialogs as dialogs
from xinfang_desktop.ui.actions import ActionRunner
from xinfang_desktop.ui.matter.steps import ask_and_run
from xinfang_desktop.ui.palette import BACKGROUNDS
from xinfang_desktop.ui.tables import fit_columns

HEADERS = ("排查日期", "村（社区）", "当事人", "纠纷类型", "简要情况", "风险等级", "责任人", "化解期限", "化解情况",
           "是否引发信访", "信访事项")
COL_SUMMARY = HEADERS.index("简要情况")


class ScreeningTab(QWidget):
    """排查: pick the month, record what each 村 reported, see who is missing, export the month's 台账."""

    def __init__(self, runner: ActionRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.runner = runner
        self.disputes: list[Dispute] = []
        layout = QVBoxLayout(self)
        bar = QHBoxLayout()
        bar.addWidget(QLabel("月份："))
        self.month_edit = QLineEdit(month_of(wallclock.today()))
        self.month_edit.setMaximumWidth(90)
        self.month_edit.editingFinished.connect(self.refresh)
        bar.addWidget(self.month_edit)
        self.buttons: dict[str, QPushButton] = {}
        for text, slot in (("登记矛盾纠纷…", self.add_dispute), ("零报告…", self.add_zero), ("化解情况…", self.set_state),
                           ("转为信访事项", self.to_matter), ("导入…", self.import_rows),
                           ("导出排查台账…", self.export)):
            button = QPushButton(text)
            button.clicked.connect(slot)
            bar.addWidget(button)
            self.buttons[text] = button
        bar.addStretch(1)
        layout.addLayout(bar)
        self.summary_label = QLabel()
        self.summary_label.setWordWrap(True)
        layout.addWidget(self.summary_label)
        self.table = QTableWidget(0, len(HEADERS))
        self.table.setHorizontalHeaderLabels(list(HEADERS))
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().setVisible(False)
        layout.addWidget(self.table, 1)
        self.missing_label = QLabel()
        self.missing_label.setWordWrap(True)
        layout.addWidget(self.missing_label)
        self.refresh()

    def month(self) -> str:
        return self.month_edit.text().strip()

    def set_month(self, month: str) -> None:
        self.month_edit.setText(month)
        self.refresh()

    def refresh(self) -> None:
        """Reload the month; called on every data_changed that touches disputes."""
        try:
            parse_month(self.month())
        except XinfangError as exc:
            self.summary_label.setText(exc.message)
            return
        month = self.month()
        today = wallclock.today()
        self.disputes = self.runner.read(screening.list_disputes, month=month)
        summary = self.runner.read(screening.month_summary, month=month)
        self.table.setRowCount(len(self.disputes))
        for r, d in enumerate(self.disputes):
            values = (d.found_on.isoformat(), d.village, d.parties, d.category, d.summary, d.risk.value, d.responsible,
                      d.resolve_by.isoformat(), d.state.value, "是" if d.petitioned else "否", d.matter_number)
            for c, value in enumerate(values):
                item = QTableWidgetItem(value)
                item.setToolTip(value)
                if d.past_due(today):
                    item.setBackground(BACKGROUNDS[OVERDUE])
                self.table.setItem(r, c, item)
        fit_columns(self.table, reading=(COL_SUMMARY,))
        self.summary_label.setText(
            f"{summary.villages}个村（社区）中已上报{summary.reported}个（零报告{summary.zero}个）；排查出矛盾纠纷"
            f"{summary.disputes}件，已化解{summary.resolved}件，重大风险{summary.major}件，引发信访{summary.petitioned}件，"
            f"超过化解期限{summary.past_due}件。")
        self.missing_label.setText("未上报：" + ("、".join(summary.unreported) if summary.unreported else "无"))

    def _current(self) -> Dispute | None:
        row = self.table.currentRow()
        if not 0 <= row < len(self.disputes):
            QMessageBox.information(self, "请选择", "请先选择一件矛盾纠纷")
            return None
        return self.disputes[row]

    def add_dispute(self) -> None:
        villages = self.runner.read(screening.villages)
        categories = {f"{c.name}/{s.name}": s.id for c in self.runner.read(category_tree) for s in c.children}
        fields = [dialogs.today_field("found_on", "排查日期"),
                  dialogs.Field("village", "村（社区）", "choice", choices=tuple(villages)),
                  dialogs.Field("parties", "当事人", hint="多人用“、”分隔"),
                  dialogs.Field("category", "纠纷类型", "choice", choices=("", *categories)),
                  dialogs.Field("summary", "简要情况", "text"),
                  dialogs.Field("risk", "风险等级", "choice", RiskLevel.ORDINARY.value, tuple(r.value for r in RiskLevel)),
                  dialogs.Field("responsible", "责任人"),
                  dialogs.today_field("resolve_by", "化解期限"),
                  dialogs.Field("state", "化解情况", "choice", DisputeState.RESOLVING.value,
                                tuple(s.value for s in DisputeState)),
                  dialogs.Field("petitioned", "是否引发信访", "check")]
        # refused (a 化解期限 before the 排查日期, a 村 that sent its 零报告), the form comes back over what was typed
        ask_and_run(self, self.runner, "登记矛盾纠纷", fields, lambda v: self.runner.run(
            self, screening.add_dispute, found_on=v["found_on"], village=v["village"], parties=v["parties"],
            category_id=categories.get(v["category"]), summary=v["summary"], risk=RiskLevel(v["risk"]),
            responsible=v["responsible"], resolve_by=v["resolve_by"], state=DisputeState(v["state"]),
            petitioned=v["petitioned"], what="矛盾纠纷排查"))

    def add_zero(self) -> None:
        # not yet reported first; every 村 is offered, and one that reported a dispute is refused by the rule
        missing = self.runner.read(screening.unreported, month=self.month())
        others = [v for v in self.runner.read(screening.villages) if v not in missing]
        fields = [dialogs.Field("village", "村（社区）", "choice", choices=(*missing, *others)),
                  dialogs.today_field("reported_on", "报告日期")]
        ask_and_run(self, self.runner, "零报告", fields, lambda v: self.runner.run(
            self, screening.add_zero_report, month=self.month(), village=v["village"], reported_on=v["reported_on"],
            what="零报告"), note=f"{self.month()}：本月未排查出矛盾纠纷")

    def set_state(self) -> None:
        d = self._current()
        if d is None or d.id is None:
            return
        values = dialogs.ask(self, "化解情况", [dialogs.Field("state", "化解情况", "choice", d.state.value,
                                                         tuple(s.value for s in DisputeState))],
                             note=f"{d.village}　{d.summary}")
        if values is None:
            return
        self.runner.run(self, screening.set_dispute_state, dispute_id=d.id, state=DisputeState(values["state"]),
                        what="化解情况")

    def to_matter(self) -> None:
        d = self._current()
        if d is None or d.id is None:
            return
        dispute_id = d.id
        ref = ask_and_run(self, self.runner, "转为信访事项", [dialogs.today_field("on", "登记日期")],
                          lambda v: self.runner.run(self, screening.to_matter, dispute_id=dispute_id, on=v["on"], what="登记"),
                          note=f"{d.village}　{d.parties}　{d.summary}\n将以来访登记为一件信访事项，并与本纠纷互相关联。")
        if ref is not None:
            QMessageBox.information(self, "已登记", f"已登记为信访事项{ref.number}")

    def import_rows(self) -> int:
        """Disputes pasted from Excel or read from a workbook (each 村's sheet); the month of the first one shown."""
        from xinfang_desktop.ui.screening.import_dialog import DisputeImportDialog

        dialog = DisputeImportDialog(self.runner, self)
        if dialog.exec() != DisputeImportDialog.DialogCode.Accepted or dialog.preview is None:
            return 0
        first = dialog.preview.lines[0].found_on
        if first is not None and month_of(first) != self.month():
            self.set_month(month_of(first))
        QMessageBox.information(self, "已导入", f"已导入{dialog.imported}件矛盾纠纷")
        return dialog.imported

    def export(self) -> Path | None:
        try:
            year, number = parse_month(self.month())
        except XinfangError as exc:
            QMessageBox.warning(self, "无法导出", exc.message)
            return None
        office = str(self.runner.read(get_setting, "office_name"))
        title = screening_title(office, year, number)
        path, _ = QFileDialog.getSaveFileName(self, "导出排查台账", str(Path.home() / f"{title}.xlsx"),
                                              "Excel 工作簿 (*.xlsx)")
        if not path:
            return None
        target = Path(path if path.lower().endswith(".xlsx") else path + ".xlsx")
        month = self.month()
        try:
            write_screening(target, self.runner.read(screening.list_disputes, month=month), title=title,
                            zero=self.runner.read(screening.zero_reports, month=month),
                            unreported=self.runner.read(screening.unreported, month=month), as_of=wallclock.today())
        except XinfangError as exc:
            QMessageBox.warning(self, "无法导出", exc.message)
            return None
        return target
