"""Moving the data to another laptop from the window: save a .mms bundle, read one in.

Both run on the one writer thread (the GUI never waits for the disk); a busy
dialog shows meanwhile. Reading a bundle into a folder that has data always
merges: nothing is overwritten, a record that differs on both sides is kept
twice, and the window then says which ones, so the volunteer can choose.
Before a merge the store is backed up ("before-import").
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QFileDialog, QMessageBox, QProgressDialog

from mms_desktop import i18n
from mms_desktop.services.workspace import Workspace, now
from mms_desktop.ui.shell import Shell
from mms_desktop.ui.unsaved import commit_all_typing

if TYPE_CHECKING:
    from mms_desktop.services.bundles import BundleSummary, ImportSummary


def _export(workspace: Workspace, out: Path, organization_id: str | None) -> BundleSummary:
    from mms_desktop.services import bundles  # first use

    return bundles.export_bundle(workspace, out, organization_id)


def _import(workspace: Workspace, bundle: Path) -> ImportSummary:
    from mms_desktop.services import backups, bundles  # first use

    backups.create_for(workspace, "before-import", now())
    return bundles.import_bundle(workspace.data_dir.root, bundle, merge=True)


class BundleActions(QObject):
    """Plik → Zapisz pakiet… / Wczytaj pakiet…, for one main window."""

    imported = Signal()  # new organisations, applications and reports came in

    def __init__(self, window: Shell, current_organization: Callable[[], str | None]) -> None:
        super().__init__(window)
        self.window = window
        self._current_organization = current_organization
        self.busy: QProgressDialog | None = None
        self.last_message = ""  # what the volunteer was told last (for tests, too)

    def _start_busy(self, text: str) -> None:
        busy = QProgressDialog(text, "", 0, 0, self.window)
        busy.setCancelButton(None)
        busy.setWindowModality(Qt.WindowModality.WindowModal)
        busy.setMinimumDuration(300)  # a small bundle needs no dialog at all
        busy.setValue(0)
        self.busy = busy

    def _stop_busy(self) -> None:
        if self.busy is not None:
            self.busy.reset()
            self.busy.deleteLater()
            self.busy = None

    def _tell(self, title_key: str, lines: list[str], problem: bool = False) -> None:
        self.last_message = "\n".join(lines)
        box = QMessageBox.warning if problem else QMessageBox.information
        box(self.window, i18n.tr(title_key), self.last_message)

    # --- saving ---------------------------------------------------------------------

    def export(self) -> None:
        window = self.window
        organization_id: str | None = None
        organizations = window.workspace.organizations()
        if len(organizations) > 1:
            current = self._current_organization()
            name = next((o.name for o in organizations if o.id == current), "")
            asked = QMessageBox(window)
            asked.setWindowTitle(i18n.tr("ui.bundle.export_title"))
            asked.setText(i18n.tr("ui.bundle.export_which", organization=name))
            everything = asked.addButton(
                i18n.tr("ui.bundle.export_all"), QMessageBox.ButtonRole.AcceptRole
            )
            only_one = asked.addButton(
                i18n.tr("ui.bundle.export_one"), QMessageBox.ButtonRole.AcceptRole
            )
            asked.addButton(QMessageBox.StandardButton.Cancel)
            asked.exec()
            if asked.clickedButton() not in (everything, only_one):
                return
            organization_id = current if asked.clickedButton() is only_one else None
        path, _filter = QFileDialog.getSaveFileName(
            window,
            i18n.tr("ui.bundle.export_title"),
            "mms-desktop.mms",
            i18n.tr("ui.bundle.filter"),
        )
        if not path:
            return
        out = Path(path) if path.endswith(".mms") else Path(path + ".mms")
        commit_all_typing(window)
        self._start_busy(i18n.tr("ui.bundle.exporting"))
        window.writer.submit(
            lambda workspace: _export(workspace, out, organization_id),
            on_done=self._exported,
            on_error=self._export_failed,
        )

    def _exported(self, summary: BundleSummary) -> None:
        self._stop_busy()
        lines = summary.messages()
        self.window.statusBar().showMessage(lines[0], 15000)
        self._tell("ui.bundle.export_title", lines)

    def _export_failed(self, message: str) -> None:
        self._stop_busy()
        self._tell("ui.bundle.export_title", [message], problem=True)

    # --- reading in -----------------------------------------------------------------

    def import_(self) -> None:
        window = self.window
        path, _filter = QFileDialog.getOpenFileName(
            window, i18n.tr("ui.bundle.import_title"), "", i18n.tr("ui.bundle.filter")
        )
        if not path:
            return
        if window.workspace.organizations():
            answer = QMessageBox.question(
                window,
                i18n.tr("ui.bundle.import_title"),
                i18n.tr("ui.bundle.import_merge_question", name=Path(path).name),
            )
            if answer != QMessageBox.StandardButton.Yes:
                return
        commit_all_typing(window)
        self._start_busy(i18n.tr("ui.bundle.importing"))
        window.writer.submit(
            lambda workspace: _import(workspace, Path(path)),
            on_done=self._imported,
            on_error=self._import_failed,
        )

    def _imported(self, summary: ImportSummary) -> None:
        self._stop_busy()
        window = self.window
        self.imported.emit()
        lines = summary.messages()
        if summary.conflicts:
            lines += ["", i18n.tr("ui.bundle.conflicts_explained")]
        window.statusBar().showMessage(lines[0], 15000)
        self._tell("ui.bundle.import_title", lines)

    def _import_failed(self, message: str) -> None:
        self._stop_busy()
        self._tell("ui.bundle.import_title", [message], problem=True)
