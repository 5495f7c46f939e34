"""The 接访 tab: the 领导接访日 roster with its printed notice, and the record of 领导约访 and 下访."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

from PySide6.QtWidgets import (
    QAbstractItemView,
    QDateEdit,
    QFileDialog,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from xinfang_desktop import wallclock
from xinfang_desktop.domain.enums import MeetingKind
from xinfang_desktop.domain.errors import XinfangError
from xinfang_desktop.domain.workflow.records import Meeting, ReceptionDay, weekday
from xinfang_desktop.exporters.letter_pdf import render_letter
from xinfang_desktop.services import leaders, lists
from xinfang_desktop.services.convert import matter_version
from xinfang_desktop.services.search import find_matter_by_number
from xinfang_desktop.ui import action_dialogs as dialogs
from xinfang_desktop.ui.action_dialogs import from_qdate, to_qdate
from xinfang_desktop.ui.actions import ActionRunner

ROSTER_HEADERS = ("接访日期", "星期", "接访时间", "接访领导", "职务", "接访地点")
MEETING_HEADERS = ("日期", "类别", "领导", "地点", "事项编号", "接谈对象", "批次", "人次", "谈话内容", "商定事项")


def _table(headers: tuple[str, ...]) -> QTableWidget:
    table = QTableWidget(0, len(headers))
    table.setHorizontalHeaderLabels(list(headers))
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.verticalHeader().setVisible(False)
    table.horizontalHeader().setStretchLastSection(True)
    return table


def _fill(table: QTableWidget, rows: list[tuple[str, ...]]) -> None:
    table.setRowCount(len(rows))
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            item = QTableWidgetItem(value)
            item.setToolTip(value)
            table.setItem(r, c, item)


def _date_edit(day: date) -> QDateEdit:
    edit = QDateEdit(to_qdate(day))
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("yyyy-MM-dd")
    return edit


def month_span(day: date) -> tuple[date, date]:
    first = day.replace(day=1)
    following = (first + timedelta(days=32)).replace(day=1)
    return first, following - timedelta(days=1)


def meeting_fields(kind: MeetingKind, *, on_matter: bool) -> list[dialogs.Field]:
    fields = [dialogs.today_field("held_on", f"{kind.value}日期"), dialogs.Field("leader", "领导"),
              dialogs.Field("post", "职务"), dialogs.Field("place", "地点")]
    if not on_matter:
        fields.append(dialogs.Field("number", "事项编号", hint="下访时接谈的已登记事项，没有可不填"))
    fields += [dialogs.Field("people", "接谈对象", hint="接谈的信访人或群众"),
               dialogs.Field("batches", "批次", "number", 1), dialogs.Field("persons", "人次", "number", 1),
               dialogs.Field("talk", "谈话内容", "text"), dialogs.Field("agreed", "商定事项", "text")]
    return fields


def record_meeting_from(parent: QWidget, runner: ActionRunner, kind: MeetingKind, *, matter_id: int | None = None,
                        note: str = "") -> Meeting | None:
    """Ask for a 约访 or 下访 and record it (on the given matter, or the one whose number the clerk types)."""
    # a matter in hand is saved against the version it had when the form opened
    version = runner.read(matter_version, matter_id) if matter_id is not None else None
    values = dialogs.ask(parent, f"领导{kind.value}", meeting_fields(kind, on_matter=matter_id is not None), note=note)
    if values is None:
        return None
    if matter_id is None and values.get("number", "").strip():
        matter_id = runner.read(find_matter_by_number, values["number"])
        if matter_id is None:
            QMessageBox.warning(parent, "无法完成", f"找不到编号为“{values['number'].strip()}”的信访事项，请核对“事项编号”")
            return None
    return runner.run(parent, leaders.record_meeting, kind=kind, held_on=values["held_on"], leader=values["leader"],
                      post=values["post"], place=values["place"], people=values["people"], talk=values["talk"],
                      agreed=values["agreed"], batches=values["batches"], persons=values["persons"],
                      matter_id=matter_id, version=version, what=f"领导{kind.value}")


class LeadersTab(QWidget):
    """接访: plan the reception days and print their notice; record each 约访 and 下访."""

    def __init__(self, runner: ActionRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.runner = runner
        self.days: list[ReceptionDay] = []
        self.meetings: list[Meeting] = []
        first, last = month_span(wallclock.today())
        layout = QVBoxLayout(self)

        period = QHBoxLayout()
        period.addWidget(QLabel("期间："))
        self.date_from, self.date_to = _date_edit(first), _date_edit(last)
        for edit in (self.date_from, self.date_to):
            edit.dateChanged.connect(lambda _d: self.refresh())
        period.addWidget(self.date_from)
        period.addWidget(QLabel("至"))
        period.addWidget(self.date_to)
        period.addStretch(1)
        layout.addLayout(period)

        roster_box = QGroupBox("领导接访日安排")
        roster_layout = QVBoxLayout(roster_box)
        buttons = QHBoxLayout()
        self.add_day_button = QPushButton("添加接访日…")
        self.add_day_button.clicked.connect(self.add_day)
        self.remove_day_button = QPushButton("删除所选")
        self.remove_day_button.clicked.connect(self.remove_day)
        self.notice_button = QPushButton("打印接访日公告…")
        self.notice_button.clicked.connect(self.print_notice)
        for button in (self.add_day_button, self.remove_day_button, self.notice_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        roster_layout.addLayout(buttons)
        self.roster_table = _table(ROSTER_HEADERS)
        roster_layout.addWidget(self.roster_table)
        layout.addWidget(roster_box, 1)

        meeting_box = QGroupBox("领导约访、下访")
        meeting_layout = QVBoxLayout(meeting_box)
        buttons = QHBoxLayout()
        self.visit_button = QPushButton("登记下访…")
        self.visit_button.clicked.connect(lambda: self.record(MeetingKind.VISITING))
        self.invite_button = QPushButton("登记约访…")
        self.invite_button.clicked.connect(lambda: self.record(MeetingKind.INVITED))
        buttons.addWidget(self.visit_button)
        buttons.addWidget(self.invite_button)
        buttons.addWidget(QLabel("约访针对已登记的信访事项；也可在督办页选中事项后登记"))
        buttons.addStretch(1)
        meeting_layout.addLayout(buttons)
        self.meeting_table = _table(MEETING_HEADERS)
        meeting_layout.addWidget(self.meeting_table)
        layout.addWidget(meeting_box, 1)
        self.refresh()

    def period(self) -> tuple[date, date]:
        return from_qdate(self.date_from.date()), from_qdate(self.date_to.date())

    def set_period(self, date_from: date, date_to: date) -> None:
        self.date_from.setDate(to_qdate(date_from))
        self.date_to.setDate(to_qdate(date_to))

    def refresh(self) -> None:
        """Reload from the database; called on every data_changed that touches meetings."""
        date_from, date_to = self.period()
        self.days = self.runner.read(lists.roster, date_from=date_from, date_to=date_to)
        self.meetings = self.runner.read(leaders.list_meetings, date_from=date_from, date_to=date_to)
        _fill(self.roster_table, [(d.day.isoformat(), weekday(d.day), d.hours, d.leader, d.post, d.place)
                                  for d in self.days])
        _fill(self.meeting_table, [
            (m.held_on.isoformat(), m.kind.value, m.post + m.leader, m.place, m.matter_number, m.people,
             str(m.batches), str(m.persons), m.talk, m.agreed) for m in self.meetings])
        self.roster_table.resizeColumnsToContents()

    def add_day(self) -> None:
        fields = [dialogs.today_field("day", "接访日期"), dialogs.Field("leader", "接访领导"),
                  dialogs.Field("post", "领导职务"), dialogs.Field("place", "接访地点", default="信访接待室"),
                  dialogs.Field("hours", "接访时间", default="上午8:30—12:00")]
        values = dialogs.ask(self, "添加接访日", fields)
        if values is None:
            return
        self.runner.run(self, leaders.add_reception_day, day=values["day"], leader=values["leader"],
                        post=values["post"], place=values["place"], hours=values["hours"], what="接访日安排")

    def remove_day(self) -> None:
        rows = sorted({i.row() for i in self.roster_table.selectionModel().selectedRows()})
        if not rows:
            QMessageBox.information(self, "删除接访日", "请先选择要删除的接访日安排")
            return
        for row in rows:
            day = self.days[row]
            if day.id is not None:
                self.runner.run(self, leaders.remove_reception_day, day_id=day.id, what="删除接访日安排")

    def print_notice(self) -> Path | None:
        """The period's roster as a one-page A4 notice, saved where the clerk says."""
        date_from, date_to = self.period()
        try:
            notice = self.runner.read(leaders.roster_notice, date_from=date_from, date_to=date_to)
        except XinfangError as exc:
            QMessageBox.warning(self, "无法出具", exc.message)
            return None
        name = f"领导接访日安排（{date_from.isoformat()}至{date_to.isoformat()}）.pdf"
        path, _ = QFileDialog.getSaveFileName(self, "保存接访日公告", str(Path.home() / name), "PDF 文件 (*.pdf)")
        if not path:
            return None
        target = Path(path if path.lower().endswith(".pdf") else path + ".pdf")
        target.write_bytes(render_letter(notice))
        return target

    def record(self, kind: MeetingKind) -> None:
        record_meeting_from(self, self.runner, kind)

    def meeting_rows(self) -> list[Meeting]:
        return list(self.meetings)
