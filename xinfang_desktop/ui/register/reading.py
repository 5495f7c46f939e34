"""Reading the 登记 form into a MatterInput: the typed petitioners, the chosen category, every combo."""

from __future__ import annotations

from datetime import date
from enum import Enum
from typing import Any, TypeVar

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QTableWidget

from xinfang_desktop.domain.enums import (
    Channel,
    PetitionerRole,
    Purpose,
    Route,
    SkipLevel,
    Source,
    SourceLevel,
)
from xinfang_desktop.domain.idcard import check_id_number
from xinfang_desktop.domain.validation import COLLECTIVE_PERSONS
from xinfang_desktop.domain.values import MatterInput, PetitionerInput
from xinfang_desktop.ui.forms.ui_register_form import Ui_RegisterForm

E = TypeVar("E", bound=Enum)

OTHER_NAME, OTHER_ID, OTHER_PHONE, OTHER_REP = range(4)  # the columns of the further petitioners' table


def choice(combo: Any, enum: type[E]) -> E | None:
    """The enum member a combo holds: Qt hands a StrEnum back as a plain str."""
    data = combo.currentData()
    return enum(data) if data not in (None, "") else None


class FormError(Exception):
    """What only the form can check (a 问题分类 not in the list), with the field to focus."""

    def __init__(self, message: str, field: str) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


def others(table: QTableWidget) -> list[tuple[str, str, str, bool]]:
    """(姓名, 身份证号, 电话, 代表人) of each further petitioner typed in the table."""
    rows = []
    for row in range(table.rowCount()):
        def text(column: int) -> str:
            item = table.item(row, column)
            return item.text().strip() if item is not None else ""
        rep_item = table.item(row, OTHER_REP)
        rep = rep_item is not None and rep_item.checkState() == Qt.CheckState.Checked
        if text(OTHER_NAME) or text(OTHER_ID):
            rows.append((text(OTHER_NAME), text(OTHER_ID), text(OTHER_PHONE), rep))
    return rows


def category_id(ui: Ui_RegisterForm, categories: dict[str, int]) -> int | None:
    text = ui.category_combo.currentText().strip()
    if not text:
        return None
    found = categories.get(text)
    if found is None:
        # a second-level name typed alone ("拖欠工资") is unambiguous often enough to accept
        matches = [cid for label, cid in categories.items() if label.split("/")[-1] == text]
        if len(matches) == 1:
            return matches[0]
        raise FormError("“问题分类”不在分类表中，请从列表中选择（可输入关键字筛选）", "问题分类")
    return found


def matter_input(ui: Ui_RegisterForm, *, categories: dict[str, int], repeat_of_id: int | None) -> MatterInput:
    """The MatterInput the form describes; raises FormError for what only the form can check."""
    typed = others(ui.others_table)
    any_rep = any(rep for *_, rep in typed)
    persons = ui.persons_spin.value()
    channel = choice(ui.channel_combo, Channel) or Channel.LETTER
    # the person typed first speaks for the group when others are representatives or the visit is collective
    main_rep = any_rep or (channel is Channel.VISIT and persons >= COLLECTIVE_PERSONS and bool(typed))
    region = "/".join(p for p in (ui.town_combo.currentData() or "", ui.village_combo.currentData() or "") if p)
    people: list[PetitionerInput] = []
    name, id_number = ui.name_edit.text().strip(), ui.id_edit.text().strip()
    if name or id_number:
        checked = check_id_number(id_number) if id_number else None
        people.append(PetitionerInput(
            name=name, id_number=id_number, phone=ui.phone_edit.text().strip(),
            address=ui.address_edit.text().strip(), region=region,
            sex=checked.sex if checked is not None else None,
            role=PetitionerRole.REPRESENTATIVE if main_rep else PetitionerRole.PETITIONER,
        ))
    for other_name, other_id, other_phone, rep in typed:
        checked = check_id_number(other_id) if other_id else None
        people.append(PetitionerInput(
            name=other_name, id_number=other_id, phone=other_phone,
            sex=checked.sex if checked is not None else None,
            role=PetitionerRole.REPRESENTATIVE if rep else PetitionerRole.PETITIONER,
        ))
    place = ui.place_combo.currentText().strip()
    received = ui.received_date.date().toPython()
    assert isinstance(received, date)
    return MatterInput(
        received_on=received,
        channel=channel,
        title=ui.title_edit.text(),
        petitioners=tuple(people),
        source=choice(ui.source_combo, Source) or Source.DIRECT,
        source_level=choice(ui.source_level_combo, SourceLevel) if ui.source_level_combo.isEnabled() else None,
        purpose=choice(ui.purpose_combo, Purpose) or Purpose.CLAIM,
        route=choice(ui.route_combo, Route) if ui.route_combo.isEnabled() else None,
        category_id=category_id(ui, categories),
        place=place,
        content=ui.content_edit.toPlainText().strip(),
        demand=ui.demand_edit.toPlainText().strip(),
        persons=persons,
        joint=ui.joint_check.isChecked(),
        anonymous=ui.anonymous_check.isChecked(),
        skip_level=choice(ui.skip_level_combo, SkipLevel) if ui.skip_check.isChecked() else None,
        involves_deputy=ui.deputy_check.isChecked(),
        receiving_leader=ui.leader_edit.text().strip() if ui.leader_edit.isEnabled() else "",
        proposal=ui.proposal_edit.toPlainText().strip(),
        repeat_of_id=repeat_of_id,
    )
