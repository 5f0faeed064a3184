"""The data file is damaged: say so, offer the newest good backup, or close touching nothing.

Shown before the window when opening the store raised StoreCorruptError. The
damaged file was not opened for writing. Looking for a good backup opens each
file, so it runs on a worker thread; so does the restore. The damaged file is
never deleted: it is moved to ``damaged/`` and the dialog says where.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from mms_desktop import i18n
from mms_desktop.paths import DataDir
from mms_desktop.services import backups
from mms_desktop.services.backups import BackupInfo, RestoreReport
from mms_desktop.services.workspace import now
from mms_desktop.ui import style
from mms_desktop.ui.backup_tasks import (
    BackgroundTask,
    contents_words,
    in_background,
    in_folder,
    moment,
    reason_words,
    restored_words,
)
from mms_desktop.ui.style import HEADING_SCALE

DETAIL_LIMIT = 300


class RecoveryDialog(QDialog):
    """Restore the newest good backup (or start empty), or close the program."""

    def __init__(self, data_dir: Path, detail: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("recovery_dialog")
        self.setWindowTitle(i18n.tr("ui.backups.recovery.title"))
        self._data_dir = DataDir(data_dir)
        self._task: BackgroundTask | None = None
        self._busy = False
        self.found: BackupInfo | None = None
        self.outcome: str | None = None  # what was done, in words, for the window to show
        damaged_folder = str(self._data_dir.root / "damaged")
        self._damaged_folder = damaged_folder

        heading = QLabel(i18n.tr("ui.backups.recovery.heading"))
        heading.setProperty("heading", True)
        font = QFont(heading.font())
        font.setPointSizeF(font.pointSizeF() * HEADING_SCALE)
        font.setBold(True)
        heading.setFont(font)
        self.explanation = QLabel(
            i18n.tr("ui.backups.recovery.explain", path=str(self._data_dir.store))
        )
        self.explanation.setObjectName("recovery_explanation")
        self.offer = QLabel(i18n.tr("ui.backups.recovery.looking"))
        self.offer.setObjectName("recovery_offer")
        self.offer.setStyleSheet(style.NOTE_STYLE)
        self.status = QLabel()
        self.status.setObjectName("recovery_status")
        self.status.setStyleSheet(style.WARNING_STYLE)
        details = QLabel(
            i18n.tr("ui.backups.recovery.details", detail=_shorter(detail)) if detail else ""
        )
        details.setObjectName("recovery_details")
        details.setStyleSheet("color: #555;")
        details.setVisible(bool(detail))
        for label in (self.explanation, self.offer, self.status, details):
            label.setWordWrap(True)
            label.setTextFormat(Qt.TextFormat.PlainText)
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.restore_button = QPushButton(i18n.tr("ui.backups.recovery.restore"))
        self.restore_button.setObjectName("recovery_restore")
        self.restore_button.setEnabled(False)
        self.restore_button.clicked.connect(self.restore)
        self.fresh_button = QPushButton(i18n.tr("ui.backups.recovery.fresh"))
        self.fresh_button.setObjectName("recovery_fresh")
        self.fresh_button.hide()
        self.fresh_button.clicked.connect(self.start_fresh)
        self.close_button = QPushButton(i18n.tr("ui.backups.recovery.close"))
        self.close_button.setObjectName("recovery_close")
        self.close_button.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addWidget(self.restore_button)
        buttons.addWidget(self.fresh_button)
        buttons.addStretch(1)
        buttons.addWidget(self.close_button)

        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(self.explanation)
        layout.addSpacing(6)
        layout.addWidget(self.offer)
        layout.addWidget(self.status)
        layout.addWidget(details)
        layout.addSpacing(6)
        layout.addLayout(buttons)
        self.setMinimumWidth(620)
        self._fit()
        self._look_for_backup()

    def _look_for_backup(self) -> None:
        data_dir = self._data_dir
        self._task = in_background(
            lambda _task: backups.newest_good(data_dir),
            data_dir.root,
            self._looked,
            self._looking_failed,
        )

    def _looked(self, found: object) -> None:
        self._task = None
        if isinstance(found, BackupInfo):
            self.found = found
            when = moment(found.backup.created_at)
            self.offer.setText(
                i18n.tr(
                    "ui.backups.recovery.offer",
                    when=when,
                    kind=reason_words(found.backup),
                    contents=contents_words(found),
                    folder=self._damaged_folder,
                )
            )
            self.restore_button.setEnabled(True)
            self.restore_button.setDefault(True)
            self.restore_button.setFocus()
        else:
            self.offer.setText(
                i18n.tr("ui.backups.recovery.no_backup", folder=self._damaged_folder)
            )
            self.restore_button.hide()
            self.fresh_button.show()
            self.close_button.setDefault(True)
        self._fit()

    def _fit(self) -> None:
        """As tall as the words need, at a width that reads well on a small screen."""
        layout = self.layout()
        self.resize(680, layout.heightForWidth(680) if layout is not None else 360)

    def _looking_failed(self, message: str) -> None:
        self._task = None
        self.offer.setText(i18n.tr("ui.backups.recovery.no_backup", folder=self._damaged_folder))
        self.status.setText(message)
        self.restore_button.hide()
        self.fresh_button.show()
        self._fit()

    # --- acting ------------------------------------------------------------------

    def restore(self) -> None:
        found = self.found
        if found is None or self._busy:
            return
        data_dir = self._data_dir
        self._begin(i18n.tr("ui.backups.recovery.restoring"))
        self._task = in_background(
            lambda _task: backups.restore(data_dir, found.backup, now()),
            data_dir.root,
            self._restored,
            self._failed,
        )

    def _restored(self, report: object) -> None:
        assert isinstance(report, RestoreReport)
        self.outcome = restored_words(report, self._data_dir.root)
        self._end()
        self.accept()

    def start_fresh(self) -> None:
        if self._busy:
            return
        data_dir = self._data_dir
        self._begin(i18n.tr("ui.backups.recovery.setting_aside"))
        self._task = in_background(
            lambda _task: backups.start_fresh(data_dir, now()),
            data_dir.root,
            self._started_fresh,
            self._failed,
        )

    def _started_fresh(self, kept: object) -> None:
        self.outcome = i18n.tr(
            "ui.backups.recovery.fresh_done", path=in_folder(Path(str(kept)), self._data_dir.root)
        )
        self._end()
        self.accept()

    def _failed(self, message: str) -> None:
        self._end()
        self.status.setText(message)

    def _begin(self, doing: str) -> None:
        self._busy = True
        self.status.setStyleSheet("")
        self.status.setText(doing)
        for button in (self.restore_button, self.fresh_button, self.close_button):
            button.setEnabled(False)
        self.setCursor(Qt.CursorShape.BusyCursor)

    def _end(self) -> None:
        self._busy = False
        self._task = None
        self.status.setStyleSheet(style.WARNING_STYLE)
        for button in (self.restore_button, self.fresh_button, self.close_button):
            button.setEnabled(True)
        self.unsetCursor()

    def reject(self) -> None:
        if self._busy:  # the restore is under way: it finishes first
            return
        super().reject()


def _shorter(text: str) -> str:
    return text if len(text) <= DETAIL_LIMIT else text[: DETAIL_LIMIT - 1] + "…"
