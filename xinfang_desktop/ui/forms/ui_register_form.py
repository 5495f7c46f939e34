# -*- coding: utf-8 -*-

################################################################################
## Form generated from reading UI file 'register_form.ui'
##
## Created by: Qt User Interface Compiler version 6.12.0
##
## WARNING! All changes made in this file will be lost when recompiling UI file!
################################################################################

from PySide6.QtCore import (QCoreApplication, QDate, QDateTime, QLocale,
    QMetaObject, QObject, QPoint, QRect,
    QSize, QTime, QUrl, Qt)
from PySide6.QtGui import (QBrush, QColor, QConicalGradient, QCursor,
    QFont, QFontDatabase, QGradient, QIcon,
    QImage, QKeySequence, QLinearGradient, QPainter,
    QPalette, QPixmap, QRadialGradient, QTransform)
from PySide6.QtWidgets import (QApplication, QCheckBox, QComboBox, QGridLayout,
    QGroupBox, QHBoxLayout, QHeaderView, QLabel,
    QLineEdit, QListWidget, QListWidgetItem, QPlainTextEdit,
    QPushButton, QSizePolicy, QSpacerItem, QSpinBox,
    QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget)

from xinfang_desktop.ui.date_edit import DateEdit

class Ui_RegisterForm(object):
    def setupUi(self, RegisterForm):
        if not RegisterForm.objectName():
            RegisterForm.setObjectName(u"RegisterForm")
        RegisterForm.resize(640, 900)
        self.main_layout = QVBoxLayout(RegisterForm)
        self.main_layout.setObjectName(u"main_layout")
        self.basic_group = QGroupBox(RegisterForm)
        self.basic_group.setObjectName(u"basic_group")
        self.basic_layout = QGridLayout(self.basic_group)
        self.basic_layout.setObjectName(u"basic_layout")
        self.channel_label = QLabel(self.basic_group)
        self.channel_label.setObjectName(u"channel_label")

        self.basic_layout.addWidget(self.channel_label, 0, 0, 1, 1)

        self.channel_combo = QComboBox(self.basic_group)
        self.channel_combo.setObjectName(u"channel_combo")

        self.basic_layout.addWidget(self.channel_combo, 0, 1, 1, 1)

        self.received_label = QLabel(self.basic_group)
        self.received_label.setObjectName(u"received_label")

        self.basic_layout.addWidget(self.received_label, 0, 2, 1, 1)

        self.received_date = DateEdit(self.basic_group)
        self.received_date.setObjectName(u"received_date")
        self.received_date.setCalendarPopup(True)

        self.basic_layout.addWidget(self.received_date, 0, 3, 1, 1)

        self.source_label = QLabel(self.basic_group)
        self.source_label.setObjectName(u"source_label")

        self.basic_layout.addWidget(self.source_label, 1, 0, 1, 1)

        self.source_combo = QComboBox(self.basic_group)
        self.source_combo.setObjectName(u"source_combo")

        self.basic_layout.addWidget(self.source_combo, 1, 1, 1, 1)

        self.source_level_label = QLabel(self.basic_group)
        self.source_level_label.setObjectName(u"source_level_label")

        self.basic_layout.addWidget(self.source_level_label, 1, 2, 1, 1)

        self.source_level_combo = QComboBox(self.basic_group)
        self.source_level_combo.setObjectName(u"source_level_combo")

        self.basic_layout.addWidget(self.source_level_combo, 1, 3, 1, 1)

        self.purpose_label = QLabel(self.basic_group)
        self.purpose_label.setObjectName(u"purpose_label")

        self.basic_layout.addWidget(self.purpose_label, 2, 0, 1, 1)

        self.purpose_combo = QComboBox(self.basic_group)
        self.purpose_combo.setObjectName(u"purpose_combo")

        self.basic_layout.addWidget(self.purpose_combo, 2, 1, 1, 1)

        self.route_label = QLabel(self.basic_group)
        self.route_label.setObjectName(u"route_label")

        self.basic_layout.addWidget(self.route_label, 2, 2, 1, 1)

        self.route_combo = QComboBox(self.basic_group)
        self.route_combo.setObjectName(u"route_combo")

        self.basic_layout.addWidget(self.route_combo, 2, 3, 1, 1)

        self.leader_label = QLabel(self.basic_group)
        self.leader_label.setObjectName(u"leader_label")

        self.basic_layout.addWidget(self.leader_label, 3, 0, 1, 1)

        self.leader_edit = QLineEdit(self.basic_group)
        self.leader_edit.setObjectName(u"leader_edit")

        self.basic_layout.addWidget(self.leader_edit, 3, 1, 1, 3)


        self.main_layout.addWidget(self.basic_group)

        self.person_group = QGroupBox(RegisterForm)
        self.person_group.setObjectName(u"person_group")
        self.person_layout = QGridLayout(self.person_group)
        self.person_layout.setObjectName(u"person_layout")
        self.name_label = QLabel(self.person_group)
        self.name_label.setObjectName(u"name_label")

        self.person_layout.addWidget(self.name_label, 0, 0, 1, 1)

        self.name_edit = QLineEdit(self.person_group)
        self.name_edit.setObjectName(u"name_edit")
        self.name_edit.setMaxLength(64)

        self.person_layout.addWidget(self.name_edit, 0, 1, 1, 1)

        self.id_label = QLabel(self.person_group)
        self.id_label.setObjectName(u"id_label")

        self.person_layout.addWidget(self.id_label, 0, 2, 1, 1)

        self.id_edit = QLineEdit(self.person_group)
        self.id_edit.setObjectName(u"id_edit")
        self.id_edit.setMaxLength(20)

        self.person_layout.addWidget(self.id_edit, 0, 3, 1, 1)

        self.id_info_label = QLabel(self.person_group)
        self.id_info_label.setObjectName(u"id_info_label")
        self.id_info_label.setWordWrap(True)

        self.person_layout.addWidget(self.id_info_label, 1, 1, 1, 3)

        self.phone_label = QLabel(self.person_group)
        self.phone_label.setObjectName(u"phone_label")

        self.person_layout.addWidget(self.phone_label, 2, 0, 1, 1)

        self.phone_edit = QLineEdit(self.person_group)
        self.phone_edit.setObjectName(u"phone_edit")
        self.phone_edit.setMaxLength(32)

        self.person_layout.addWidget(self.phone_edit, 2, 1, 1, 1)

        self.region_label = QLabel(self.person_group)
        self.region_label.setObjectName(u"region_label")

        self.person_layout.addWidget(self.region_label, 2, 2, 1, 1)

        self.region_layout = QHBoxLayout()
        self.region_layout.setObjectName(u"region_layout")
        self.town_combo = QComboBox(self.person_group)
        self.town_combo.setObjectName(u"town_combo")

        self.region_layout.addWidget(self.town_combo)

        self.village_combo = QComboBox(self.person_group)
        self.village_combo.setObjectName(u"village_combo")

        self.region_layout.addWidget(self.village_combo)


        self.person_layout.addLayout(self.region_layout, 2, 3, 1, 1)

        self.address_label = QLabel(self.person_group)
        self.address_label.setObjectName(u"address_label")

        self.person_layout.addWidget(self.address_label, 3, 0, 1, 1)

        self.address_edit = QLineEdit(self.person_group)
        self.address_edit.setObjectName(u"address_edit")

        self.person_layout.addWidget(self.address_edit, 3, 1, 1, 3)

        self.others_label = QLabel(self.person_group)
        self.others_label.setObjectName(u"others_label")
        self.others_label.setAlignment(Qt.AlignLeading|Qt.AlignLeft|Qt.AlignTop)

        self.person_layout.addWidget(self.others_label, 4, 0, 1, 1)

        self.others_table = QTableWidget(self.person_group)
        if (self.others_table.columnCount() < 4):
            self.others_table.setColumnCount(4)
        __qtablewidgetitem = QTableWidgetItem()
        self.others_table.setHorizontalHeaderItem(0, __qtablewidgetitem)
        __qtablewidgetitem1 = QTableWidgetItem()
        self.others_table.setHorizontalHeaderItem(1, __qtablewidgetitem1)
        __qtablewidgetitem2 = QTableWidgetItem()
        self.others_table.setHorizontalHeaderItem(2, __qtablewidgetitem2)
        __qtablewidgetitem3 = QTableWidgetItem()
        self.others_table.setHorizontalHeaderItem(3, __qtablewidgetitem3)
        self.others_table.setObjectName(u"others_table")
        self.others_table.setMinimumSize(QSize(0, 90))
        self.others_table.setMaximumSize(QSize(16777215, 130))
        self.others_table.setTabKeyNavigation(False)

        self.person_layout.addWidget(self.others_table, 4, 1, 1, 3)

        self.others_buttons = QHBoxLayout()
        self.others_buttons.setObjectName(u"others_buttons")
        self.add_person_button = QPushButton(self.person_group)
        self.add_person_button.setObjectName(u"add_person_button")

        self.others_buttons.addWidget(self.add_person_button)

        self.remove_person_button = QPushButton(self.person_group)
        self.remove_person_button.setObjectName(u"remove_person_button")

        self.others_buttons.addWidget(self.remove_person_button)

        self.others_spacer = QSpacerItem(0, 0, QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum)

        self.others_buttons.addItem(self.others_spacer)


        self.person_layout.addLayout(self.others_buttons, 5, 1, 1, 3)

        self.persons_label = QLabel(self.person_group)
        self.persons_label.setObjectName(u"persons_label")

        self.person_layout.addWidget(self.persons_label, 6, 0, 1, 1)

        self.persons_layout = QHBoxLayout()
        self.persons_layout.setObjectName(u"persons_layout")
        self.persons_spin = QSpinBox(self.person_group)
        self.persons_spin.setObjectName(u"persons_spin")
        self.persons_spin.setMinimum(1)
        self.persons_spin.setMaximum(99999)

        self.persons_layout.addWidget(self.persons_spin)

        self.collective_label = QLabel(self.person_group)
        self.collective_label.setObjectName(u"collective_label")
        self.collective_label.setStyleSheet(u"color: #b00000; font-weight: bold;")

        self.persons_layout.addWidget(self.collective_label)

        self.persons_spacer = QSpacerItem(0, 0, QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum)

        self.persons_layout.addItem(self.persons_spacer)


        self.person_layout.addLayout(self.persons_layout, 6, 1, 1, 1)

        self.joint_check = QCheckBox(self.person_group)
        self.joint_check.setObjectName(u"joint_check")

        self.person_layout.addWidget(self.joint_check, 6, 3, 1, 1)


        self.main_layout.addWidget(self.person_group)

        self.matter_group = QGroupBox(RegisterForm)
        self.matter_group.setObjectName(u"matter_group")
        self.matter_layout = QGridLayout(self.matter_group)
        self.matter_layout.setObjectName(u"matter_layout")
        self.category_label = QLabel(self.matter_group)
        self.category_label.setObjectName(u"category_label")

        self.matter_layout.addWidget(self.category_label, 0, 0, 1, 1)

        self.category_combo = QComboBox(self.matter_group)
        self.category_combo.setObjectName(u"category_combo")
        self.category_combo.setEditable(True)
        self.category_combo.setInsertPolicy(QComboBox.NoInsert)

        self.matter_layout.addWidget(self.category_combo, 0, 1, 1, 1)

        self.place_label = QLabel(self.matter_group)
        self.place_label.setObjectName(u"place_label")

        self.matter_layout.addWidget(self.place_label, 0, 2, 1, 1)

        self.place_combo = QComboBox(self.matter_group)
        self.place_combo.setObjectName(u"place_combo")
        self.place_combo.setEditable(True)
        self.place_combo.setInsertPolicy(QComboBox.NoInsert)

        self.matter_layout.addWidget(self.place_combo, 0, 3, 1, 1)

        self.title_label = QLabel(self.matter_group)
        self.title_label.setObjectName(u"title_label")

        self.matter_layout.addWidget(self.title_label, 1, 0, 1, 1)

        self.title_layout = QVBoxLayout()
        self.title_layout.setSpacing(2)
        self.title_layout.setObjectName(u"title_layout")
        self.title_edit = QLineEdit(self.matter_group)
        self.title_edit.setObjectName(u"title_edit")

        self.title_layout.addWidget(self.title_edit)

        self.title_warning_label = QLabel(self.matter_group)
        self.title_warning_label.setObjectName(u"title_warning_label")
        self.title_warning_label.setVisible(False)
        self.title_warning_label.setWordWrap(True)

        self.title_layout.addWidget(self.title_warning_label)


        self.matter_layout.addLayout(self.title_layout, 1, 1, 1, 3)

        self.content_label = QLabel(self.matter_group)
        self.content_label.setObjectName(u"content_label")
        self.content_label.setAlignment(Qt.AlignLeading|Qt.AlignLeft|Qt.AlignTop)

        self.matter_layout.addWidget(self.content_label, 2, 0, 1, 1)

        self.content_edit = QPlainTextEdit(self.matter_group)
        self.content_edit.setObjectName(u"content_edit")
        self.content_edit.setTabChangesFocus(True)
        self.content_edit.setMinimumSize(QSize(0, 70))

        self.matter_layout.addWidget(self.content_edit, 2, 1, 1, 3)

        self.demand_label = QLabel(self.matter_group)
        self.demand_label.setObjectName(u"demand_label")
        self.demand_label.setAlignment(Qt.AlignLeading|Qt.AlignLeft|Qt.AlignTop)

        self.matter_layout.addWidget(self.demand_label, 3, 0, 1, 1)

        self.demand_edit = QPlainTextEdit(self.matter_group)
        self.demand_edit.setObjectName(u"demand_edit")
        self.demand_edit.setTabChangesFocus(True)
        self.demand_edit.setMaximumSize(QSize(16777215, 60))

        self.matter_layout.addWidget(self.demand_edit, 3, 1, 1, 3)

        self.flags_layout = QHBoxLayout()
        self.flags_layout.setObjectName(u"flags_layout")
        self.anonymous_check = QCheckBox(self.matter_group)
        self.anonymous_check.setObjectName(u"anonymous_check")

        self.flags_layout.addWidget(self.anonymous_check)

        self.skip_check = QCheckBox(self.matter_group)
        self.skip_check.setObjectName(u"skip_check")

        self.flags_layout.addWidget(self.skip_check)

        self.skip_level_combo = QComboBox(self.matter_group)
        self.skip_level_combo.setObjectName(u"skip_level_combo")

        self.flags_layout.addWidget(self.skip_level_combo)

        self.deputy_check = QCheckBox(self.matter_group)
        self.deputy_check.setObjectName(u"deputy_check")

        self.flags_layout.addWidget(self.deputy_check)

        self.flags_spacer = QSpacerItem(0, 0, QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum)

        self.flags_layout.addItem(self.flags_spacer)


        self.matter_layout.addLayout(self.flags_layout, 4, 1, 1, 3)


        self.main_layout.addWidget(self.matter_group)

        self.handling_group = QGroupBox(RegisterForm)
        self.handling_group.setObjectName(u"handling_group")
        self.handling_layout = QGridLayout(self.handling_group)
        self.handling_layout.setObjectName(u"handling_layout")
        self.proposal_label = QLabel(self.handling_group)
        self.proposal_label.setObjectName(u"proposal_label")
        self.proposal_label.setAlignment(Qt.AlignLeading|Qt.AlignLeft|Qt.AlignTop)

        self.handling_layout.addWidget(self.proposal_label, 0, 0, 1, 1)

        self.proposal_edit = QPlainTextEdit(self.handling_group)
        self.proposal_edit.setObjectName(u"proposal_edit")
        self.proposal_edit.setTabChangesFocus(True)
        self.proposal_edit.setMaximumSize(QSize(16777215, 60))

        self.handling_layout.addWidget(self.proposal_edit, 0, 1, 1, 2)

        self.attachments_label = QLabel(self.handling_group)
        self.attachments_label.setObjectName(u"attachments_label")
        self.attachments_label.setAlignment(Qt.AlignLeading|Qt.AlignLeft|Qt.AlignTop)

        self.handling_layout.addWidget(self.attachments_label, 1, 0, 1, 1)

        self.attachments_list = QListWidget(self.handling_group)
        self.attachments_list.setObjectName(u"attachments_list")
        self.attachments_list.setMaximumSize(QSize(16777215, 60))

        self.handling_layout.addWidget(self.attachments_list, 1, 1, 1, 1)

        self.attachment_buttons = QVBoxLayout()
        self.attachment_buttons.setObjectName(u"attachment_buttons")
        self.add_attachment_button = QPushButton(self.handling_group)
        self.add_attachment_button.setObjectName(u"add_attachment_button")

        self.attachment_buttons.addWidget(self.add_attachment_button)

        self.remove_attachment_button = QPushButton(self.handling_group)
        self.remove_attachment_button.setObjectName(u"remove_attachment_button")

        self.attachment_buttons.addWidget(self.remove_attachment_button)


        self.handling_layout.addLayout(self.attachment_buttons, 1, 2, 1, 1)


        self.main_layout.addWidget(self.handling_group)

        self.save_layout = QHBoxLayout()
        self.save_layout.setObjectName(u"save_layout")
        self.saved_label = QLabel(RegisterForm)
        self.saved_label.setObjectName(u"saved_label")
        self.saved_label.setTextInteractionFlags(Qt.TextSelectableByMouse)

        self.save_layout.addWidget(self.saved_label)

        self.save_spacer = QSpacerItem(0, 0, QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum)

        self.save_layout.addItem(self.save_spacer)

        self.new_button = QPushButton(RegisterForm)
        self.new_button.setObjectName(u"new_button")

        self.save_layout.addWidget(self.new_button)

        self.save_button = QPushButton(RegisterForm)
        self.save_button.setObjectName(u"save_button")

        self.save_layout.addWidget(self.save_button)


        self.main_layout.addLayout(self.save_layout)

#if QT_CONFIG(shortcut)
        self.channel_label.setBuddy(self.channel_combo)
        self.received_label.setBuddy(self.received_date)
        self.source_label.setBuddy(self.source_combo)
        self.source_level_label.setBuddy(self.source_level_combo)
        self.purpose_label.setBuddy(self.purpose_combo)
        self.route_label.setBuddy(self.route_combo)
        self.leader_label.setBuddy(self.leader_edit)
        self.name_label.setBuddy(self.name_edit)
        self.id_label.setBuddy(self.id_edit)
        self.phone_label.setBuddy(self.phone_edit)
        self.region_label.setBuddy(self.town_combo)
        self.address_label.setBuddy(self.address_edit)
        self.persons_label.setBuddy(self.persons_spin)
        self.category_label.setBuddy(self.category_combo)
        self.place_label.setBuddy(self.place_combo)
        self.title_label.setBuddy(self.title_edit)
        self.content_label.setBuddy(self.content_edit)
        self.demand_label.setBuddy(self.demand_edit)
        self.proposal_label.setBuddy(self.proposal_edit)
#endif // QT_CONFIG(shortcut)
        QWidget.setTabOrder(self.channel_combo, self.received_date)
        QWidget.setTabOrder(self.received_date, self.source_combo)
        QWidget.setTabOrder(self.source_combo, self.source_level_combo)
        QWidget.setTabOrder(self.source_level_combo, self.purpose_combo)
        QWidget.setTabOrder(self.purpose_combo, self.route_combo)
        QWidget.setTabOrder(self.route_combo, self.leader_edit)
        QWidget.setTabOrder(self.leader_edit, self.name_edit)
        QWidget.setTabOrder(self.name_edit, self.id_edit)
        QWidget.setTabOrder(self.id_edit, self.phone_edit)
        QWidget.setTabOrder(self.phone_edit, self.town_combo)
        QWidget.setTabOrder(self.town_combo, self.village_combo)
        QWidget.setTabOrder(self.village_combo, self.address_edit)
        QWidget.setTabOrder(self.address_edit, self.others_table)
        QWidget.setTabOrder(self.others_table, self.add_person_button)
        QWidget.setTabOrder(self.add_person_button, self.remove_person_button)
        QWidget.setTabOrder(self.remove_person_button, self.persons_spin)
        QWidget.setTabOrder(self.persons_spin, self.joint_check)
        QWidget.setTabOrder(self.joint_check, self.category_combo)
        QWidget.setTabOrder(self.category_combo, self.place_combo)
        QWidget.setTabOrder(self.place_combo, self.title_edit)
        QWidget.setTabOrder(self.title_edit, self.content_edit)
        QWidget.setTabOrder(self.content_edit, self.demand_edit)
        QWidget.setTabOrder(self.demand_edit, self.anonymous_check)
        QWidget.setTabOrder(self.anonymous_check, self.skip_check)
        QWidget.setTabOrder(self.skip_check, self.skip_level_combo)
        QWidget.setTabOrder(self.skip_level_combo, self.deputy_check)
        QWidget.setTabOrder(self.deputy_check, self.proposal_edit)
        QWidget.setTabOrder(self.proposal_edit, self.attachments_list)
        QWidget.setTabOrder(self.attachments_list, self.add_attachment_button)
        QWidget.setTabOrder(self.add_attachment_button, self.remove_attachment_button)
        QWidget.setTabOrder(self.remove_attachment_button, self.save_button)
        QWidget.setTabOrder(self.save_button, self.new_button)

        self.retranslateUi(RegisterForm)

        self.save_button.setDefault(True)


        QMetaObject.connectSlotsByName(RegisterForm)
    # setupUi

    def retranslateUi(self, RegisterForm):
        RegisterForm.setWindowTitle(QCoreApplication.translate("RegisterForm", u"\u767b\u8bb0", None))
        self.basic_group.setTitle(QCoreApplication.translate("RegisterForm", u"\u6765\u4fe1\u6765\u8bbf", None))
        self.channel_label.setText(QCoreApplication.translate("RegisterForm", u"\u4fe1\u8bbf\u5f62\u5f0f(&F)", None))
        self.received_label.setText(QCoreApplication.translate("RegisterForm", u"\u767b\u8bb0\u65e5\u671f", None))
        self.received_date.setDisplayFormat(QCoreApplication.translate("RegisterForm", u"yyyy-MM-dd", None))
        self.source_label.setText(QCoreApplication.translate("RegisterForm", u"\u6765\u6e90", None))
        self.source_level_label.setText(QCoreApplication.translate("RegisterForm", u"\u4ea4\u529e\u5c42\u7ea7", None))
        self.purpose_label.setText(QCoreApplication.translate("RegisterForm", u"\u4fe1\u8bbf\u76ee\u7684", None))
        self.route_label.setText(QCoreApplication.translate("RegisterForm", u"\u529e\u7406\u9014\u5f84", None))
        self.leader_label.setText(QCoreApplication.translate("RegisterForm", u"\u63a5\u8bbf\u9886\u5bfc", None))
        self.leader_edit.setPlaceholderText(QCoreApplication.translate("RegisterForm", u"\u9886\u5bfc\u63a5\u8bbf\u65e5\u63a5\u5f85\u7684\u9886\u5bfc\uff08\u53ef\u4e0d\u586b\uff09", None))
        self.person_group.setTitle(QCoreApplication.translate("RegisterForm", u"\u4fe1\u8bbf\u4eba", None))
        self.name_label.setText(QCoreApplication.translate("RegisterForm", u"\u59d3\u540d(&M)", None))
        self.id_label.setText(QCoreApplication.translate("RegisterForm", u"\u8eab\u4efd\u8bc1\u53f7", None))
        self.id_info_label.setText("")
        self.phone_label.setText(QCoreApplication.translate("RegisterForm", u"\u8054\u7cfb\u7535\u8bdd", None))
        self.region_label.setText(QCoreApplication.translate("RegisterForm", u"\u4e61\u9547/\u6751", None))
        self.address_label.setText(QCoreApplication.translate("RegisterForm", u"\u4f4f\u5740", None))
        self.others_label.setText(QCoreApplication.translate("RegisterForm", u"\u5176\u4ed6\u4fe1\u8bbf\u4eba", None))
        ___qtablewidgetitem = self.others_table.horizontalHeaderItem(0)
        ___qtablewidgetitem.setText(QCoreApplication.translate("RegisterForm", u"\u59d3\u540d", None))
        ___qtablewidgetitem1 = self.others_table.horizontalHeaderItem(1)
        ___qtablewidgetitem1.setText(QCoreApplication.translate("RegisterForm", u"\u8eab\u4efd\u8bc1\u53f7", None))
        ___qtablewidgetitem2 = self.others_table.horizontalHeaderItem(2)
        ___qtablewidgetitem2.setText(QCoreApplication.translate("RegisterForm", u"\u8054\u7cfb\u7535\u8bdd", None))
        ___qtablewidgetitem3 = self.others_table.horizontalHeaderItem(3)
        ___qtablewidgetitem3.setText(QCoreApplication.translate("RegisterForm", u"\u4ee3\u8868\u4eba", None))
        self.add_person_button.setText(QCoreApplication.translate("RegisterForm", u"\u6dfb\u52a0\u4fe1\u8bbf\u4eba", None))
        self.remove_person_button.setText(QCoreApplication.translate("RegisterForm", u"\u5220\u9664\u6240\u9009", None))
        self.persons_label.setText(QCoreApplication.translate("RegisterForm", u"\u4eba\u6570", None))
        self.collective_label.setText(QCoreApplication.translate("RegisterForm", u"\u96c6\u4f53\u8bbf", None))
        self.joint_check.setText(QCoreApplication.translate("RegisterForm", u"\u8054\u540d\u4fe1", None))
        self.matter_group.setTitle(QCoreApplication.translate("RegisterForm", u"\u53cd\u6620\u95ee\u9898", None))
        self.category_label.setText(QCoreApplication.translate("RegisterForm", u"\u95ee\u9898\u5206\u7c7b", None))
        self.place_label.setText(QCoreApplication.translate("RegisterForm", u"\u95ee\u9898\u53d1\u751f\u5730", None))
        self.title_label.setText(QCoreApplication.translate("RegisterForm", u"\u6807\u9898(&T)", None))
        self.title_edit.setPlaceholderText(QCoreApplication.translate("RegisterForm", u"\u4e00\u53e5\u8bdd\u6982\u62ec\u53cd\u6620\u7684\u95ee\u9898", None))
        self.title_warning_label.setStyleSheet(QCoreApplication.translate("RegisterForm", u"color: #b00000;", None))
        self.content_label.setText(QCoreApplication.translate("RegisterForm", u"\u53cd\u6620\u5185\u5bb9", None))
        self.demand_label.setText(QCoreApplication.translate("RegisterForm", u"\u8bc9\u6c42", None))
        self.anonymous_check.setText(QCoreApplication.translate("RegisterForm", u"\u533f\u540d", None))
        self.skip_check.setText(QCoreApplication.translate("RegisterForm", u"\u8d8a\u7ea7", None))
        self.deputy_check.setText(QCoreApplication.translate("RegisterForm", u"\u6d89\u53ca\u4eba\u5927\u4ee3\u8868", None))
        self.handling_group.setTitle(QCoreApplication.translate("RegisterForm", u"\u62df\u529e\u4e0e\u9644\u4ef6", None))
        self.proposal_label.setText(QCoreApplication.translate("RegisterForm", u"\u62df\u529e\u610f\u89c1", None))
        self.attachments_label.setText(QCoreApplication.translate("RegisterForm", u"\u9644\u4ef6", None))
        self.add_attachment_button.setText(QCoreApplication.translate("RegisterForm", u"\u6dfb\u52a0\u626b\u63cf\u4ef6\u2026", None))
        self.remove_attachment_button.setText(QCoreApplication.translate("RegisterForm", u"\u79fb\u9664", None))
        self.saved_label.setText("")
        self.new_button.setText(QCoreApplication.translate("RegisterForm", u"\u65b0\u767b\u8bb0 (Ctrl+N)", None))
        self.save_button.setText(QCoreApplication.translate("RegisterForm", u"\u4fdd\u5b58 (Ctrl+S)", None))
    # retranslateUi

