"""The Organisation page: choose a profile, create one, edit it.

The chosen profile's editor is built when the page is first shown after the
choice, not at start-up.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from mms_desktop import i18n
from mms_desktop.domain.ids import new_id
from mms_desktop.domain.legal_forms import new_organization
from mms_desktop.domain.organization import LegalForm
from mms_desktop.ui.shell import Shell

if TYPE_CHECKING:
    from mms_desktop.ui.organization_editor import OrganizationEditor
    from mms_desktop.ui.session import OrganizationSession


class OrganizationsPage(QObject):
    """The profiles: the chooser, "Nowa organizacja" and the chosen profile's editor."""

    changed = Signal(object)  # the Organization as edited (its name, or any field)

    def __init__(self, shell: Shell) -> None:
        super().__init__(shell)
        self.shell = shell
        self.session: OrganizationSession | None = None
        self.editor: OrganizationEditor | None = None
        self._stale = False
        self.page = QWidget()
        layout = QVBoxLayout(self.page)
        chooser = QHBoxLayout()
        chooser_label = QLabel(i18n.tr("ui.org_page.choose"))
        self.choice = QComboBox()
        self.choice.setObjectName("organization_choice")
        self.choice.setAccessibleName(i18n.tr("ui.org_page.choose").replace("&", ""))
        chooser_label.setBuddy(self.choice)
        self.choice.currentIndexChanged.connect(self._chosen)
        add = QPushButton(i18n.tr("ui.org_page.new"))
        add.setObjectName("new_organization")
        add.clicked.connect(
            lambda: self.create(i18n.tr("ui.org_page.new_name"), LegalForm.ASSOCIATION)
        )
        chooser.addWidget(chooser_label)
        chooser.addWidget(self.choice, 1)
        chooser.addWidget(add)
        layout.addLayout(chooser)
        self.holder = QVBoxLayout()
        layout.addLayout(self.holder, 1)

    def forget_session(self) -> None:
        """The store is being replaced (a restore): the session on it goes."""
        self.shell.retire_session(self.session)
        self.session = None
        self.editor = None

    # --- the profiles --------------------------------------------------------------

    def create(self, name: str, legal_form: LegalForm) -> None:
        organization = new_organization(new_id(), name, legal_form)
        self.shell.writer.submit(
            lambda workspace: workspace.add_organization(organization),
            on_done=lambda _result: self._created(organization.id),
        )

    def _created(self, organization_id: str) -> None:
        self.refresh(select=organization_id)
        self.shell.go_to(Shell.ORGANIZATION)
        if self.editor is not None:
            self.editor.focus_field("organization.name")

    def refresh(self, select: str | None = None) -> None:
        """The chooser read again; ``select`` (or the one chosen before) stays chosen."""
        organizations = self.shell.workspace.organizations()
        current = select or self.choice.currentData()
        self.choice.blockSignals(True)
        self.choice.clear()
        for item in organizations:
            self.choice.addItem(item.name or i18n.tr("ui.org_page.unnamed"), item.id)
        index = max(0, self.choice.findData(current))
        self.choice.setCurrentIndex(index)
        self.choice.blockSignals(False)
        self._chosen(index)

    def current_id(self) -> str | None:
        value = self.choice.currentData()
        return None if value is None else str(value)

    def _chosen(self, _index: int) -> None:
        """Another profile chosen: its editor is built when the page is first shown."""
        self._stale = True
        if self.shell.current_page() == Shell.ORGANIZATION:
            self._build_editor()

    def shown(self) -> None:
        if self._stale:
            self._build_editor()

    def _build_editor(self) -> None:
        self._stale = False
        organization_id = self.current_id()
        if self.editor is not None:
            self.editor.setParent(None)
            self.editor.deleteLater()
            self.editor = None
        if organization_id is None:
            return
        shell = self.shell
        shell.retire_session(self.session)
        from mms_desktop.ui.session import OrganizationSession  # first use

        self.session = OrganizationSession(
            shell.workspace, shell.writer, shell.undo, organization_id
        )
        self.session.changed.connect(self._edited)
        from mms_desktop.ui.organization_editor import OrganizationEditor  # first use

        self.editor = OrganizationEditor(self.session)
        self.holder.addWidget(self.editor)
        shell.fit_text_scale()

    def _edited(self, field: str) -> None:
        session = self.session
        if session is None:
            return
        if field in ("name", ""):
            self.choice.setItemText(self.choice.currentIndex(), session.organization.name)
        self.changed.emit(session.organization)

    def edit_field(self, organization_id: str | None, path: str) -> None:
        """Show the profile and put the cursor in one of its fields (from the application)."""
        if organization_id is not None:
            self.refresh(select=organization_id)
        self.shell.go_to(Shell.ORGANIZATION)
        if path and self.editor is not None:
            self.editor.focus_field(path)
