"""The "Załączniki" section: the files the call asks for, and any others.

First the call's required attachments that apply to this organisation's legal
form, each with what is attached for it (✓ name and size) or that nothing is
yet (it may still be handed in on paper); then any other files. Adding a file
goes through ``add_file`` (the window stores it on the writer thread and
reloads the application); removing one through ``remove_file``.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from functools import partial
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QFileDialog,
    QGridLayout,
    QGroupBox,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from mms_desktop import i18n
from mms_desktop.domain.application import AttachmentRef
from mms_desktop.domain.call import RequiredAttachment
from mms_desktop.ui import style
from mms_desktop.ui.session import ApplicationSession

FIELD = "application.attachments"


def ask_file(parent: QWidget) -> Path | None:
    """The system's file dialog; ``None`` when the volunteer cancels."""
    name, _filter = QFileDialog.getOpenFileName(
        parent, i18n.tr("ui.attachments.choose_title"), "", i18n.tr("ui.attachments.filter")
    )
    return Path(name) if name else None


def format_size(size: int) -> str:
    """``532`` → ``532 B``, ``12 600`` → ``12,3 kB``, ``2 500 000`` → ``2,4 MB``."""
    if size < 1024:
        return i18n.tr("ui.attachments.size_bytes", size=size)
    if size < 1024 * 1024:
        return i18n.tr("ui.attachments.size_kb", size=i18n.format_number(Decimal(size) / 1024, 1))
    return i18n.tr("ui.attachments.size_mb", size=i18n.format_number(Decimal(size) / 1024**2, 1))


def applicable_requirements(session: ApplicationSession) -> list[RequiredAttachment]:
    """The call's required attachments that apply to this organisation's legal form."""
    legal_form = session.organization.legal_form
    return [
        required
        for required in session.call.required_attachments
        if not required.legal_forms or legal_form in required.legal_forms
    ]


class AttachmentsEditor(QWidget):
    def __init__(
        self,
        session: ApplicationSession,
        add_file: Callable[[Path, str], None],
        remove_file: Callable[[str], None],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.session = session
        self._add_file = add_file
        self._remove_file = remove_file
        # Filled on each refresh: buttons and state labels by requirement id ("" = other).
        self.attach_buttons: dict[str, QPushButton] = {}
        self.state_labels: dict[str, QLabel] = {}
        self.remove_buttons: dict[str, QPushButton] = {}

        intro = QLabel(i18n.tr("ui.attachments.intro"))
        intro.setWordWrap(True)
        self.read_only_note = QLabel(i18n.tr("ui.attachments.read_only"))
        self.read_only_note.setWordWrap(True)
        self.read_only_note.setVisible(not session.editable)
        self.required_box = QGroupBox(i18n.tr("ui.attachments.required"))
        self.required_box.setObjectName("attachments_required")
        self.other_box = QGroupBox(i18n.tr("ui.attachments.other"))
        self.other_box.setObjectName("attachments_other")
        self._required_grid = QGridLayout(self.required_box)
        self._required_grid.setColumnStretch(1, 1)
        self._other_grid = QGridLayout(self.other_box)
        self._other_grid.setColumnStretch(1, 1)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.read_only_note)
        layout.addWidget(self.required_box)
        layout.addWidget(self.other_box)
        layout.addStretch(1)

        session.changed.connect(self._changed)
        self.refresh()

    # --- building the rows ------------------------------------------------------

    def _changed(self, what: str) -> None:
        if what in ("attachments", "", "organization"):
            self.refresh()

    @staticmethod
    def _clear(grid: QGridLayout) -> None:
        while grid.count():
            item = grid.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.hide()
                widget.setParent(None)
                widget.deleteLater()

    def _button(self, key: str, name: str, slot: Callable[[], None]) -> QPushButton:
        button = QPushButton(i18n.tr(key))
        button.setObjectName(name)
        button.setEnabled(self.session.editable)
        button.clicked.connect(lambda _checked=False: slot())
        return button

    def _file_rows(
        self, grid: QGridLayout, row: int, files: list[AttachmentRef], label: str
    ) -> tuple[int, QLabel]:
        """One line per attached file (✓ name, size, „Usuń”), or the missing state.

        Returns the next free row and the first line's label.
        """
        if not files:
            state = QLabel(i18n.tr(label))
            state.setWordWrap(True)
            state.setStyleSheet(f"color: {style.REMARK_COLOUR};")
            grid.addWidget(state, row, 1)
            return row + 1, state
        first: QLabel | None = None
        for ref in files:
            state = QLabel(
                i18n.tr("ui.attachments.attached", name=ref.name, size=format_size(ref.size))
            )
            state.setWordWrap(True)
            state.setToolTip(i18n.tr("ui.attachments.hash_tip", sha256=ref.sha256))
            state.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            remove = self._button(
                "ui.attachments.remove",
                f"detach_{ref.sha256}",
                partial(self._remove_file, ref.sha256),
            )
            remove.setAccessibleName(i18n.tr("ui.attachments.remove_named", name=ref.name))
            grid.addWidget(state, row, 1)
            grid.addWidget(remove, row, 2, Qt.AlignmentFlag.AlignTop)
            self.remove_buttons[ref.sha256] = remove
            first = first or state
            row += 1
        assert first is not None
        return row, first

    def refresh(self) -> None:
        self._clear(self._required_grid)
        self._clear(self._other_grid)
        self.attach_buttons.clear()
        self.state_labels.clear()
        self.remove_buttons.clear()
        attachments = self.session.application.attachments
        requirements = applicable_requirements(self.session)
        known = {required.id for required in requirements}

        row = 0
        for number, required in enumerate(requirements, start=1):
            name = QLabel(f"<b>{number}.</b> {_escape(required.name)}")
            name.setTextFormat(Qt.TextFormat.RichText)
            name.setWordWrap(True)
            self._required_grid.addWidget(name, row, 0, 1, 2)
            attach = self._button(
                "ui.attachments.attach",
                f"attach_{required.id}",
                partial(self._ask, required.id),
            )
            attach.setAccessibleName(i18n.tr("ui.attachments.attach_for", name=required.name))
            self._required_grid.addWidget(attach, row, 2, Qt.AlignmentFlag.AlignTop)
            self.attach_buttons[required.id] = attach
            files = [ref for ref in attachments if ref.requirement_id == required.id]
            row, state = self._file_rows(
                self._required_grid, row + 1, files, "ui.attachments.missing"
            )
            state.setObjectName(f"attachment_state_{required.id}")
            self.state_labels[required.id] = state
        if not requirements:
            none = QLabel(i18n.tr("ui.attachments.none_required"))
            none.setWordWrap(True)
            self._required_grid.addWidget(none, 0, 0, 1, 3)

        others = [ref for ref in attachments if ref.requirement_id not in known]
        row, _state = self._file_rows(self._other_grid, 0, others, "ui.attachments.no_other")
        attach_other = self._button(
            "ui.attachments.attach_other", "attach_other", lambda: self._ask("")
        )
        self._other_grid.addWidget(attach_other, row, 2)
        self.attach_buttons[""] = attach_other

    # --- acting -----------------------------------------------------------------

    def _ask(self, requirement_id: str) -> None:
        if not self.session.editable:
            return
        path = ask_file(self)
        if path is not None:
            self._add_file(path, requirement_id)

    def missing(self) -> list[str]:
        """The ids of the applicable requirements with no file attached (for tests and focus)."""
        attached = {ref.requirement_id for ref in self.session.application.attachments}
        return [
            required.id
            for required in applicable_requirements(self.session)
            if required.id not in attached
        ]

    def focus_field(self, path: str) -> bool:
        """Go to the first required attachment still missing (or the first button)."""
        if path != FIELD and not path.startswith((FIELD + ".", FIELD + "[")):
            return False
        missing = self.missing()
        target = self.attach_buttons.get(missing[0] if missing else "")
        if target is not None:
            target.setFocus(Qt.FocusReason.OtherFocusReason)
        return True


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
