"""设置 → 台账列对应: the mappings imports saved, seen with their headers, corrected in the mapping table, deleted."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QDialog, QMessageBox
from pytestqt.qtbot import QtBot

from tests.helpers.qt import SHOTS, record_boxes
from tests.services.test_ledger_profiles import HEADERS, export_of, fields_read
from xinfang_desktop.db.database import Database
from xinfang_desktop.services.ledger.files import import_ledger_file
from xinfang_desktop.ui.actions import ActionRunner
from xinfang_desktop.ui.ledger import profiles_dialog
from xinfang_desktop.ui.ledger.mapping_dialog import MappingDialog
from xinfang_desktop.ui.ledger.profiles_dialog import ProfilesDialog


def test_the_clerk_sees_corrects_and_deletes_a_saved_mapping(qtbot: QtBot, db: Database, tmp_path: Path,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    import_ledger_file(db, export_of(tmp_path / "2024导出.xlsx", 2024),
                       mapping={"来人": "信访人", "证件": "身份证号", "联系": ""})
    boxes = record_boxes(monkeypatch)
    dialog = ProfilesDialog(ActionRunner(db))
    qtbot.addWidget(dialog)
    dialog.resize(1000, 480)
    dialog.show()
    table = dialog.table
    assert table.rowCount() == 1 and not dialog.empty.isVisible()
    assert table.item(0, ProfilesDialog.COL_HEADERS).text() == "、".join(HEADERS)
    assert table.item(0, ProfilesDialog.COL_MAPPING).text() == "来人→信访人；证件→身份证号；联系→备注"
    assert table.item(0, ProfilesDialog.COL_SOURCE).text() == "2024导出.xlsx"
    assert table.item(0, ProfilesDialog.COL_SAVED).text()  # when: the import's time
    SHOTS.mkdir(parents=True, exist_ok=True)
    dialog.grab().save(str(SHOTS / "ledger-profiles.png"))

    # 修改: the mapping table over the profile's columns, the saved ones as chosen; 联系 now read as 联系电话
    shown: list[MappingDialog] = []

    def choose(mapping: MappingDialog) -> int:
        shown.append(mapping)
        assert mapping.box("来人").currentData() == "信访人"
        assert mapping.box("登记日期").currentData() == "登记日期"  # by its name
        mapping.box("联系").setCurrentIndex(mapping.box("联系").findData("联系电话"))
        return int(QDialog.DialogCode.Accepted.value)

    monkeypatch.setattr(MappingDialog, "exec", choose)
    assert dialog.edit_selected()
    assert shown and shown[0].table.isColumnHidden(1)  # no file, no examples
    assert table.item(0, ProfilesDialog.COL_MAPPING).text() == "来人→信访人；证件→身份证号；联系→联系电话"
    assert fields_read(db, export_of(tmp_path / "2025导出.xlsx", 2025))["联系"] == "联系电话"

    # 删除 asks first; 否 keeps it
    answers = [QMessageBox.StandardButton.No, QMessageBox.StandardButton.Yes]
    asked: list[str] = []

    def question(_parent: Any, _title: str, text: str, *_a: Any, **_k: Any) -> QMessageBox.StandardButton:
        asked.append(text)
        return answers.pop(0)

    monkeypatch.setattr(profiles_dialog.QMessageBox, "question", question)
    assert not dialog.delete_selected()
    assert table.rowCount() == 1 and "来人→信访人" in asked[0] and "2024导出.xlsx" in asked[0]
    assert dialog.delete_selected()
    assert table.rowCount() == 0 and dialog.empty.isVisible()
    assert not dialog.edit_button.isEnabled() and not dialog.delete_button.isEnabled()
    assert boxes == []
