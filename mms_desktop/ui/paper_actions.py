"""Paper: preview, print and save the PDF of what is on screen; the blank form.

The PDF is built off the GUI thread from what the store holds, so every edit
is saved first.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject

from mms_desktop import i18n
from mms_desktop.services.workspace import Workspace
from mms_desktop.ui.shell import Shell
from mms_desktop.ui.unsaved import commit_all_typing

if TYPE_CHECKING:
    from mms_desktop.ui.printing import PdfPreview

# What the paper buttons print on the page shown: a title for the file, and how
# to build its PDF; None when nothing is chosen there.
Paper = tuple[str, Callable[[Workspace], bytes]] | None


class PaperActions(QObject):
    def __init__(self, shell: Shell, paper: Callable[[], Paper]) -> None:
        super().__init__(shell)
        self.shell = shell
        self._paper = paper
        self.last_pdf: bytes | None = None
        self.preview: PdfPreview | None = None  # the one shown last
        self._job: object = None  # the background build, kept while it runs

    def _with_pdf(self, then: Callable[[str, bytes], object]) -> None:
        """Build the PDF of what is on screen off the GUI thread, then ``then(title, data)``."""
        paper = self._paper()
        if paper is None:
            return
        title, build = paper
        shell = self.shell
        commit_all_typing(shell)
        if not shell.writer.flush():  # the worker reads the store: every edit must be in it
            shell.show_problem(i18n.tr("ui.pdf.not_saved_yet"))
            return
        from mms_desktop.ui.printing import build_in_background

        shell.say(i18n.tr("ui.pdf.building"))
        self._job = build_in_background(
            shell.workspace.data_dir.root,
            build,
            lambda data: self._built(title, data, then),
            self._failed,
        )

    def _built(self, title: str, data: bytes, then: Callable[[str, bytes], object]) -> None:
        if not self.shell.isVisible():  # built after the window was closed
            return
        self.shell.statusBar().clearMessage()
        self.last_pdf = data
        then(title, data)

    def _failed(self, message: str) -> None:
        self.shell.statusBar().clearMessage()
        self.shell.show_problem(message)

    def preview_pdf(self) -> None:
        self._with_pdf(self._show_preview)

    def _show_preview(self, title: str, data: bytes) -> None:
        from mms_desktop.ui.printing import PdfPreview

        self.preview = PdfPreview(data, title, lambda: self._save(title, data), self.shell)
        self.preview.show()

    def print_pdf(self) -> None:
        from mms_desktop.ui.printing import print_pdf

        self._with_pdf(
            lambda title, data: print_pdf(self.shell, data, lambda: self._save(title, data))
        )

    def save_pdf(self) -> None:
        self._with_pdf(self._save)

    def _save(self, title: str, data: bytes) -> None:
        from mms_desktop.ui.printing import ask_pdf_path, file_name_for

        path = ask_pdf_path(self.shell, file_name_for(title))
        if path is not None:
            self.write_pdf(data, path)

    def write_pdf(self, data: bytes, path: Path) -> None:
        shell = self.shell
        shell.writer.submit(
            lambda workspace: workspace.export_pdf(data, path),
            on_done=lambda _result: shell.say(i18n.tr("cli.exported", path=str(path)), 8000),
            on_error=shell.show_problem,
        )

    def save_blank_form(self) -> None:
        from mms_desktop.ui.dialogs import NewApplicationDialog
        from mms_desktop.ui.printing import ask_pdf_path, build_in_background

        shell = self.shell
        dialog = NewApplicationDialog(shell.workspace.calls.all(), shell, blank_form=True)
        if not dialog.exec() or dialog.call_id() is None:
            return
        call_id = dialog.call_id() or ""
        path = ask_pdf_path(shell, f"formularz-{call_id}")
        if path is None:
            return
        self._job = build_in_background(
            shell.workspace.data_dir.root,
            lambda workspace: workspace.blank_form_pdf(call_id),
            lambda data: self.write_pdf(data, path),
            shell.show_problem,
        )
