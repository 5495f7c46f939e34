"""首次设置: what only the office knows, asked when a new database is first opened; skipped, finished later in 设置."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from xinfang_desktop.domain.enums import OfficeKind, UnitKind
from xinfang_desktop.domain.errors import XinfangError
from xinfang_desktop.services.office import (
    OfficeSetup,
    SetupAdded,
    finish_first_start,
    office_facts,
    skip_first_start,
)
from xinfang_desktop.ui.actions import ActionRunner

REGIONS_HINT = "每行一个：乡镇/村，如\n河口镇/李家湾村\n河口镇/沙洲村\n或“河口镇：河口村、沙洲村”；\n也可从Excel复制“乡镇”“村”两列粘贴"
UNITS_HINT = ("每行一个单位，如\n县民政局\n河口镇派出所\t县直部门\n类别可不写（按名称判断）：" + "、".join(k.value for k in UnitKind))


class FirstStartDialog(QDialog):
    """One page: 机关名称, 机关类别, 编号前缀, 复查机关 and 复核机关, 乡镇和村, 承办单位; 保存 or 以后再说."""

    def __init__(self, runner: ActionRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.runner = runner
        self.added: SetupAdded | None = None
        facts = runner.read(office_facts)
        self.setWindowTitle("首次设置：本机关的信息")
        self.resize(900, 640)

        opening = "这是本数据库第一次打开。请填写" if not facts.first_start else "请填写或补充"
        intro = QLabel(
            f"{opening}本机关的信息：告知书、交办函等文书以“机关名称”落款，"
            "未填写机关名称前不能出具文书。现在不方便可以点“以后再说”，以后在“设置”菜单中填写。")
        intro.setWordWrap(True)
        self.name_edit = QLineEdit(facts.office_name)
        self.name_edit.setPlaceholderText("如：青石县河口镇人民政府")
        self.kind_combo = QComboBox()
        self.kind_combo.addItem("（请选择）", "")
        for kind in OfficeKind:
            self.kind_combo.addItem(kind.value, kind.value)
        self.kind_combo.setCurrentIndex(max(self.kind_combo.findData(facts.office_kind), 0))
        self.prefix_edit = QLineEdit(facts.number_prefix)
        self.prefix_edit.setToolTip("信访事项编号的前缀，如“信”得到 信〔2026〕0001号")
        self.review_edit = QLineEdit(facts.review_body)
        self.review_edit.setPlaceholderText("如：青石县人民政府")
        self.review_edit.setToolTip("信访处理意见书中告知信访人可以申请复查的机关（上一级），复查文书以其名义出具")
        self.recheck_edit = QLineEdit(facts.recheck_body)
        self.recheck_edit.setPlaceholderText("如：青山市人民政府")
        self.recheck_edit.setToolTip("复查意见书中告知信访人可以申请复核的机关（复查机关的上一级），复核文书以其名义出具")
        # side by side: one row more would push the lists below the fold on a 1366×728 screen
        bodies = QHBoxLayout()
        bodies.addWidget(self.review_edit, 1)
        bodies.addWidget(QLabel("复核机关："))
        bodies.addWidget(self.recheck_edit, 1)
        form = QFormLayout()
        form.addRow("机关名称：", self.name_edit)
        form.addRow("机关类别：", self.kind_combo)
        form.addRow("编号前缀：", self.prefix_edit)
        form.addRow("复查机关：", bodies)

        self.regions_edit = QPlainTextEdit()
        self.regions_edit.setPlaceholderText(REGIONS_HINT)
        self.units_edit = QPlainTextEdit()
        self.units_edit.setPlaceholderText(UNITS_HINT)
        for edit in (self.regions_edit, self.units_edit):
            edit.setTabChangesFocus(True)
            edit.setMinimumHeight(140)
        have = f"（已有乡镇{facts.towns}个、村{facts.villages}个）" if facts.towns else ""
        have_units = f"（已有{facts.units}个）" if facts.units else ""
        self.regions_button = QPushButton("从Excel读取…")
        self.regions_button.clicked.connect(lambda: self.read_excel(self.regions_edit))
        self.units_button = QPushButton("从Excel读取…")
        self.units_button.clicked.connect(lambda: self.read_excel(self.units_edit))
        lists = QGridLayout()
        lists.addWidget(QLabel(f"乡镇和村{have}："), 0, 0)
        lists.addWidget(self.regions_button, 0, 1, Qt.AlignmentFlag.AlignRight)
        lists.addWidget(QLabel(f"承办单位{have_units}："), 0, 2)
        lists.addWidget(self.units_button, 0, 3, Qt.AlignmentFlag.AlignRight)
        lists.addWidget(self.regions_edit, 1, 0, 1, 2)
        lists.addWidget(self.units_edit, 1, 2, 1, 2)
        lists.setRowStretch(1, 1)

        content = QWidget()
        content_layout = QVBoxLayout(content)
        content_layout.addWidget(intro)
        content_layout.addLayout(form)
        content_layout.addLayout(lists, 1)
        content_layout.addWidget(QLabel("已有的乡镇、村和单位不会重复添加；以后可在“设置”菜单中修改、停用。"))
        scroll = QScrollArea()  # the page scrolls on a small screen; the buttons below stay in sight
        scroll.setWidgetResizable(True)
        scroll.setWidget(content)

        self.buttons = QDialogButtonBox()
        self.save_button = self.buttons.addButton("保存", QDialogButtonBox.ButtonRole.AcceptRole)
        self.later_button = self.buttons.addButton("以后再说", QDialogButtonBox.ButtonRole.RejectRole)
        self.save_button.setDefault(True)
        self.buttons.accepted.connect(self.accept)
        self.later_button.clicked.connect(self.later)
        layout = QVBoxLayout(self)
        layout.addWidget(scroll, 1)
        layout.addWidget(self.buttons)
        self.fields = {"机关名称": self.name_edit, "机关类别": self.kind_combo, "编号前缀": self.prefix_edit,
                       "复查机关": self.review_edit, "复核机关": self.recheck_edit, "乡镇和村": self.regions_edit, "乡镇": self.regions_edit,
                       "村（社区）": self.regions_edit, "承办单位": self.units_edit, "单位名称": self.units_edit}
        # the order of the page, each list's box before its 从Excel读取… (typing or pasting is the usual way)
        chain = (self.name_edit, self.kind_combo, self.prefix_edit, self.review_edit, self.recheck_edit,
                 self.regions_edit, self.regions_button, self.units_edit, self.units_button, self.save_button,
                 self.later_button)
        for before, after in zip(chain, chain[1:], strict=False):
            QWidget.setTabOrder(before, after)
        self.runner.error_shown.connect(self._focus)
        self.finished.connect(lambda _result: self.runner.error_shown.disconnect(self._focus))
        self.name_edit.setFocus()

    def setup(self) -> OfficeSetup:
        return OfficeSetup(
            office_name=self.name_edit.text(),
            office_kind=str(self.kind_combo.currentData() or ""),
            number_prefix=self.prefix_edit.text(),
            review_body=self.review_edit.text(),
            recheck_body=self.recheck_edit.text(),
            regions=self.regions_edit.toPlainText(),
            units=self.units_edit.toPlainText(),
        )

    def accept(self) -> None:
        """Qt override: save in one action; refused, stay open with the field named focused."""
        added = self.runner.run(self, finish_first_start, setup=self.setup(), what="首次设置")
        if added is None:
            return
        self.added = added
        super().accept()

    def later(self) -> None:
        """以后再说: not asked again at start; 设置 → 首次设置 opens this page again."""
        self.runner.run(self, skip_first_start, what="以后再填写机关信息")
        self.reject()

    def read_excel(self, target: QPlainTextEdit) -> None:
        """A column (or two: 乡镇, 村) of an Excel sheet, added to the box to look over before saving."""
        from xinfang_desktop.exporters.ledger_import import read_list_text

        name, _ = QFileDialog.getOpenFileName(self, "从Excel读取", "", "Excel 工作簿 (*.xlsx *.xls *.xlsm *.ods)")
        if not name:
            return
        try:
            text = read_list_text(Path(name))
        except XinfangError as exc:
            QMessageBox.warning(self, "无法读取", exc.message)
            return
        before = target.toPlainText().rstrip()
        target.setPlainText(f"{before}\n{text}" if before else text)
        target.setFocus()

    def _focus(self, exc: XinfangError) -> None:
        widget = self.fields.get(exc.field or "")
        if widget is not None and self.isVisible():
            widget.setFocus(Qt.FocusReason.OtherFocusReason)
