"""The list of validation findings; clicking one takes you to its field."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QLabel, QListWidget, QListWidgetItem, QVBoxLayout, QWidget

from mms_desktop import i18n
from mms_desktop.domain.findings import Finding, Severity
from mms_desktop.ui import style

BLOCKING_COLOUR = QColor(style.WARNING_COLOUR)
REMARK_COLOUR = QColor(style.REMARK_COLOUR)


NARROWEST_SENTENCE = 240  # px: the panel is never narrower on a netbook's editor
NO_LIMIT = (1 << 24) - 1  # Qt's QWIDGETSIZE_MAX, which PySide6 does not export


class FindingsPanel(QWidget):
    go_to_field = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.summary = QLabel()
        self.summary.setObjectName("findings_summary")
        self.summary.setWordWrap(True)
        self.list = QListWidget()
        self.list.setObjectName("findings_list")
        self.list.setAccessibleName(i18n.tr("ui.findings.list"))
        self.list.setWordWrap(True)
        self.list.itemActivated.connect(self._activated)
        self.list.itemClicked.connect(self._activated)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.summary)
        layout.addWidget(self.list, 1)

    def show_findings(self, findings: list[Finding], next_part: str | None = None) -> None:
        """``next_part``: the parts not opened yet are still to fill, this one first."""
        self.list.clear()
        blocking = sum(1 for finding in findings if finding.blocks_submission)
        warnings = len(findings) - blocking
        if not findings and next_part is not None:
            self.summary.setText(i18n.tr("ui.findings.next_part", part=next_part))
        elif not findings:
            self.summary.setText(i18n.tr("ui.findings.none"))
        elif blocking:
            self.summary.setText(i18n.tr("ui.findings.blocking", count=blocking, warnings=warnings))
        else:
            self.summary.setText(i18n.tr("ui.findings.only_warnings", warnings=warnings))
        # What blocks sending first, then the remarks: the list reads in order of need.
        for finding in sorted(findings, key=lambda finding: not finding.blocks_submission):
            severity = i18n.tr(f"Severity.{finding.severity.value}")
            item = QListWidgetItem(f"{severity}: {i18n.finding_message(finding)}")
            item.setData(Qt.ItemDataRole.UserRole, finding.field)
            item.setData(Qt.ItemDataRole.UserRole + 1, finding.code)
            item.setForeground(
                BLOCKING_COLOUR if finding.severity is Severity.BLOCKING else REMARK_COLOUR
            )
            item.setToolTip(i18n.tr("ui.findings.go_to", field=i18n.field_label(finding.field)))
            self.list.addItem(item)
        # Nothing to list: the sentence alone, and the fields above get the room (on a
        # netbook the empty list took the height of three budget rows).
        # The bound is the sentence's height at a narrow width: never cut when wrapped.
        self.list.setVisible(bool(findings))
        sentence = self.summary.heightForWidth(NARROWEST_SENTENCE)
        self.setMaximumHeight(NO_LIMIT if findings else max(sentence, 1))

    def _activated(self, item: QListWidgetItem) -> None:
        self.go_to_field.emit(item.data(Qt.ItemDataRole.UserRole))

    def codes(self) -> list[str]:
        return [
            self.list.item(row).data(Qt.ItemDataRole.UserRole + 1)
            for row in range(self.list.count())
        ]
