""" "Kopie zapasowe": the backups with their time and contents; make one, restore one.

The list is read on a worker thread (describing a backup opens its file) and
fills in as each backup is described. A restore is confirmed in words, then
handed to the window, which closes every connection to the store first.
"""

from __future__ import annotations

import html
from pathlib import Path

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QSize, Qt, QUrl, Signal
from PySide6.QtGui import QBrush, QColor, QDesktopServices, QFont
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from mms_desktop import i18n
from mms_desktop.paths import DataDir
from mms_desktop.services.backups import AUTO_INTERVAL_HOURS, Backup, BackupInfo
from mms_desktop.ui import style
from mms_desktop.ui.backup_tasks import (
    BackgroundTask,
    contents_words,
    describe_all,
    in_background,
    manual_backup,
    moment,
    reason_words,
    size_words,
)
from mms_desktop.ui.writer import StoreWriter

WHEN, REASON, CONTENTS, SIZE = range(4)
DAMAGED_COLOR = style.WARNING_COLOUR


class _Roomy(QStyledItemDelegate):
    """Rows and columns with room to read: the columns fit their words plus a gap."""

    def sizeHint(
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> QSize:
        size = super().sizeHint(option, index)
        return QSize(size.width() + 16, size.height() + 6)


class BackupsDialog(QDialog):
    restore_requested = Signal(object)  # the BackupInfo confirmed for a restore

    def __init__(
        self, data_dir: DataDir, writer: StoreWriter, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("backups_dialog")
        self.setWindowTitle(i18n.tr("ui.backups.title"))
        self._data_dir = data_dir
        self._writer = writer
        self._task: BackgroundTask | None = None
        self._rows: dict[Path, QTreeWidgetItem] = {}
        self._infos: dict[Path, BackupInfo] = {}
        self._note = ""  # what the last button did, kept above the count

        intro = QLabel(
            i18n.tr("ui.backups.intro", hours=AUTO_INTERVAL_HOURS, path=str(data_dir.backups))
        )
        intro.setWordWrap(True)
        intro.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.list = QTreeWidget()
        self.list.setObjectName("backups_list")
        self.list.setAccessibleName(i18n.tr("ui.backups.list_name"))
        self.list.setRootIsDecorated(False)
        self.list.setAlternatingRowColors(True)
        self.list.setUniformRowHeights(True)
        self.list.setItemDelegate(_Roomy(self.list))
        self.list.setHeaderLabels(
            [
                i18n.tr("ui.backups.column.when"),
                i18n.tr("ui.backups.column.reason"),
                i18n.tr("ui.backups.column.contents"),
                i18n.tr("ui.backups.column.size"),
            ]
        )
        header = self.list.header()
        header.setStretchLastSection(False)
        for column in (WHEN, REASON, SIZE):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(CONTENTS, QHeaderView.ResizeMode.Stretch)
        self.list.currentItemChanged.connect(lambda *_: self._update_buttons())
        self.status = QLabel()
        self.status.setObjectName("backups_status")
        self.status.setWordWrap(True)

        self.backup_button = QPushButton(i18n.tr("ui.backups.make_now"))
        self.backup_button.setObjectName("backup_now")
        self.backup_button.clicked.connect(self.make_backup)
        self.restore_button = QPushButton(i18n.tr("ui.backups.restore"))
        self.restore_button.setObjectName("backup_restore")
        self.restore_button.clicked.connect(self.ask_restore)
        self.folder_button = QPushButton(i18n.tr("ui.backups.open_folder"))
        self.folder_button.setObjectName("backup_folder")
        self.folder_button.clicked.connect(self.open_folder)
        close_button = QPushButton(i18n.tr("ui.close"))
        close_button.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        for button in (self.backup_button, self.restore_button, self.folder_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(close_button)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.status)
        layout.addLayout(buttons)
        self.resize(860, 460)
        self.reload()

    # --- the list ---------------------------------------------------------------

    def reload(self) -> None:
        """Read the backups again, off the GUI thread; rows fill in as they are described."""
        if self._task is not None:
            self._task.cancelled = True
        self.list.clear()
        self._rows.clear()
        self._infos.clear()
        self.status.setText(i18n.tr("ui.backups.reading"))
        self._update_buttons()
        self._task = in_background(
            describe_all(self._data_dir),
            self._data_dir.root,
            self._finished,
            self._list_failed,
            self._step,
        )

    def _step(self, value: object) -> None:
        if self.sender() is not getattr(self._task, "signals", None):
            return  # a list read before the latest reload
        if isinstance(value, list):
            self._listed(value)
        elif isinstance(value, BackupInfo):
            self._described(value)
        elif isinstance(value, Backup) and value.path in self._rows:
            item = self._rows.pop(value.path)
            self.list.takeTopLevelItem(self.list.indexOfTopLevelItem(item))

    def _listed(self, found: list[Backup]) -> None:
        for backup in found:
            item = QTreeWidgetItem(
                [
                    moment(backup.created_at),
                    reason_words(backup),
                    i18n.tr("ui.backups.checking"),
                    "",
                ]
            )
            item.setData(WHEN, Qt.ItemDataRole.UserRole, str(backup.path))
            item.setToolTip(WHEN, backup.name)
            self.list.addTopLevelItem(item)
            self._rows[backup.path] = item
        if found:
            self.list.setCurrentItem(self._rows[found[0].path])
        else:
            self.status.setText(i18n.tr("ui.backups.none"))

    def _described(self, info: BackupInfo) -> None:
        item = self._rows.get(info.backup.path)
        if item is None:
            return
        self._infos[info.backup.path] = info
        item.setText(CONTENTS, contents_words(info))
        item.setText(SIZE, size_words(info.size))
        item.setTextAlignment(SIZE, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if not info.ok:
            bold = QFont(item.font(CONTENTS))
            bold.setBold(True)
            item.setFont(CONTENTS, bold)
            for column in range(self.list.columnCount()):
                item.setForeground(column, QBrush(QColor(DAMAGED_COLOR)))
        self._update_buttons()

    def _finished(self, _result: object) -> None:
        if self.sender() is not getattr(self._task, "signals", None):
            return
        self._task = None
        if self._rows:
            count = i18n.tr("ui.backups.count", count=len(self._rows))
            self.status.setText(f"{self._note} {count}".strip())

    def rows(self) -> list[list[str]]:
        """The list as it reads: one row of words per backup, newest first."""
        return [
            [item.text(column) for column in range(self.list.columnCount())]
            for item in self._rows.values()
        ]

    def selected(self) -> BackupInfo | None:
        item = self.list.currentItem()
        if item is None:
            return None
        return self._infos.get(Path(str(item.data(WHEN, Qt.ItemDataRole.UserRole))))

    def select(self, path: Path) -> None:
        item = self._rows.get(path)
        if item is not None:
            self.list.setCurrentItem(item)

    def _update_buttons(self) -> None:
        chosen = self.selected()
        self.restore_button.setEnabled(chosen is not None and chosen.ok)

    # --- buttons ----------------------------------------------------------------

    def make_backup(self) -> None:
        """ "Zrób kopię teraz": made by the writer (after every edit queued before it)."""
        self.backup_button.setEnabled(False)
        self.status.setText(i18n.tr("ui.backups.making"))
        self._writer.submit(manual_backup, on_done=self._backup_made, on_error=self._backup_failed)

    def _backup_made(self, path: object) -> None:
        self.backup_button.setEnabled(True)
        self._note = i18n.tr("ui.backups.made", name=Path(str(path)).name)
        self.reload()

    def _backup_failed(self, message: str) -> None:
        self.backup_button.setEnabled(True)
        self._show_problem(message)

    def _list_failed(self, message: str) -> None:
        if self.sender() is getattr(self._task, "signals", None):
            self._task = None
            self._show_problem(message)

    def _show_problem(self, message: str) -> None:
        self.status.setText(f'<span style="color: {DAMAGED_COLOR}">{html.escape(message)}</span>')

    def ask_restore(self) -> None:
        chosen = self.selected()
        if chosen is None or not chosen.ok:
            return
        when = moment(chosen.backup.created_at)
        box = QMessageBox(
            QMessageBox.Icon.Question,
            i18n.tr("ui.backups.confirm_title"),
            i18n.tr(
                "ui.backups.confirm",
                when=when,
                kind=reason_words(chosen.backup),
                contents=contents_words(chosen),
            ),
            QMessageBox.StandardButton.NoButton,
            self,
        )
        box.setTextFormat(Qt.TextFormat.PlainText)
        confirm = box.addButton(
            i18n.tr("ui.backups.confirm_yes"), QMessageBox.ButtonRole.AcceptRole
        )
        cancel = box.addButton(i18n.tr("ui.cancel"), QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(cancel)
        box.exec()
        if box.clickedButton() is not confirm:
            return
        self.accept()
        self.restore_requested.emit(chosen)

    def open_folder(self) -> None:
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(self._data_dir.backups)))

    def done(self, result: int) -> None:
        if self._task is not None:
            self._task.cancelled = True
        super().done(result)
