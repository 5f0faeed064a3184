"""Small dialogs: the first-run welcome, picking a call, the bin."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from mms_desktop import i18n
from mms_desktop.domain.organization import LegalForm
from mms_desktop.services.calls import KnownCall
from mms_desktop.ui import style


class WelcomeDialog(QDialog):
    """First run: create the organisation's profile, or look around with the demo."""

    CREATE = 1
    DEMO = 2
    IMPORT = 3

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(i18n.tr("ui.welcome.title"))
        self.choice = 0
        intro = QLabel(i18n.tr("ui.welcome.intro"))
        intro.setWordWrap(True)
        self.name = QLineEdit()
        self.name.setObjectName("welcome_name")
        self.name.setAccessibleName(i18n.tr("ui.welcome.name").replace("&", ""))
        self.legal_form = QComboBox()
        self.legal_form.setObjectName("welcome_legal_form")
        self.legal_form.setAccessibleName(i18n.tr("ui.welcome.legal_form").replace("&", ""))
        for form in LegalForm:
            self.legal_form.addItem(i18n.tr(f"LegalForm.{form.value}"), form)
        # Nothing chosen for her: an OSP must not become a KGW by pressing Enter.
        self.legal_form.setPlaceholderText(i18n.tr("ui.welcome.legal_form_choose"))
        self.legal_form.setCurrentIndex(-1)
        form_layout = QFormLayout()
        name_label = QLabel(i18n.tr("ui.welcome.name"))
        name_label.setBuddy(self.name)
        form_label = QLabel(i18n.tr("ui.welcome.legal_form"))
        form_label.setBuddy(self.legal_form)
        form_layout.addRow(name_label, self.name)
        form_layout.addRow(form_label, self.legal_form)
        self.create_button = QPushButton(i18n.tr("ui.welcome.create"))
        self.create_button.setObjectName("welcome_create")
        self.create_button.setDefault(True)
        self.create_button.clicked.connect(self._create)
        self.demo_button = QPushButton(i18n.tr("ui.welcome.demo"))
        self.demo_button.setObjectName("welcome_demo")
        self.demo_button.clicked.connect(lambda: self._finish(self.DEMO))
        self.import_button = QPushButton(i18n.tr("ui.welcome.import"))
        self.import_button.setObjectName("welcome_import")
        self.import_button.clicked.connect(lambda: self._finish(self.IMPORT))
        self.problem = QLabel()
        self.problem.setObjectName("welcome_problem")
        self.problem.setWordWrap(True)
        self.problem.setStyleSheet(style.WARNING_STYLE)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form_layout)
        layout.addWidget(self.problem)
        layout.addWidget(self.create_button)
        layout.addWidget(QLabel(i18n.tr("ui.welcome.or")))
        layout.addWidget(self.demo_button)
        layout.addWidget(self.import_button)
        self.resize(520, 360)

    def _create(self) -> None:
        if not self.name.text().strip():
            self.problem.setText(i18n.tr("ui.welcome.name_needed"))
            self.name.setFocus()
            return
        if self.legal_form.currentIndex() < 0:
            self.problem.setText(i18n.tr("ui.welcome.legal_form_needed"))
            self.legal_form.setFocus()
            return
        self._finish(self.CREATE)

    def _finish(self, choice: int) -> None:
        self.choice = choice
        self.accept()


class NewApplicationDialog(QDialog):
    """Pick the call a new application is for."""

    def __init__(
        self, calls: list[KnownCall], parent: QWidget | None = None, blank_form: bool = False
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(i18n.tr("ui.blank.title" if blank_form else "ui.new.title"))
        intro = QLabel(i18n.tr("ui.blank.intro" if blank_form else "ui.new.intro"))
        intro.setWordWrap(True)
        self.list = QListWidget()
        self.list.setObjectName("calls_list")
        self.list.setAccessibleName(i18n.tr("ui.new.calls"))
        self.list.setWordWrap(True)
        for known in calls:
            call = known.definition
            item = QListWidgetItem(
                i18n.tr(
                    "ui.new.call_line",
                    name=call.name,
                    operator=call.operator,
                    deadline=i18n.format_datetime(call.deadline),
                    grant_min=i18n.format_money(call.grant_min),
                    grant_max=i18n.format_money(call.grant_max),
                )
            )
            item.setData(Qt.ItemDataRole.UserRole, call.id)
            self.list.addItem(item)
        self.list.setCurrentRow(0)
        self.list.itemActivated.connect(lambda _item: self.accept())
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(
            i18n.tr("ui.blank.create" if blank_form else "ui.new.create")
        )
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(i18n.tr("ui.cancel"))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.list, 1)
        layout.addWidget(buttons)
        self.resize(640, 420)

    def call_id(self) -> str | None:
        item = self.list.currentItem()
        return None if item is None else str(item.data(Qt.ItemDataRole.UserRole))


class BinDialog(QDialog):
    """Applications and reports moved to the bin; any can be restored.

    ``deleted`` holds (id, what the list shows) pairs.
    """

    def __init__(self, deleted: list[tuple[str, str]], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(i18n.tr("ui.bin.title"))
        self.list = QListWidget()
        self.list.setObjectName("bin_list")
        self.list.setAccessibleName(i18n.tr("ui.bin.title"))
        for record_id, text in deleted:
            item = QListWidgetItem(text)
            item.setData(Qt.ItemDataRole.UserRole, record_id)
            self.list.addItem(item)
        self.list.setCurrentRow(0)
        empty = QLabel(i18n.tr("ui.bin.empty"))
        empty.setVisible(not deleted)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Close
        )
        restore = buttons.button(QDialogButtonBox.StandardButton.Ok)
        restore.setText(i18n.tr("ui.bin.restore"))
        restore.setObjectName("restore_button")
        restore.setEnabled(bool(deleted))
        buttons.button(QDialogButtonBox.StandardButton.Close).setText(i18n.tr("ui.close"))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(empty)
        layout.addWidget(self.list, 1)
        layout.addWidget(buttons)
        self.resize(480, 320)

    def selected_id(self) -> str | None:
        item = self.list.currentItem()
        return None if item is None else str(item.data(Qt.ItemDataRole.UserRole))
