"""Preview, print and save the application's PDF; the PDF is built off the GUI thread.

The PDF is built from the store by a worker (its own read connection), so a
200-line budget never freezes the window; then it is shown in Qt's PDF viewer,
sent to a printer page by page, or saved whole (never half-written).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import (
    QBuffer,
    QByteArray,
    QIODevice,
    QObject,
    QRunnable,
    QSize,
    Qt,
    QThreadPool,
    Signal,
)
from PySide6.QtGui import QPainter
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtPrintSupport import QPrintDialog, QPrinter, QPrinterInfo
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPlainTextEdit,
    QProgressDialog,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from mms_desktop import i18n
from mms_desktop.services.workspace import Workspace
from mms_desktop.ui.style import fit_to_screen
from mms_desktop.ui.writer import error_message

log = logging.getLogger(__name__)


class _Signals(QObject):
    built = Signal(bytes)
    failed = Signal(str)


class PdfBuild(QRunnable):
    """Builds one PDF on a worker thread with its own read connection."""

    def __init__(self, data_dir: Path, build: Callable[[Workspace], bytes]) -> None:
        super().__init__()
        self.signals = _Signals()
        self._data_dir = data_dir
        self._build = build

    def run(self) -> None:
        try:
            with Workspace.open(self._data_dir) as workspace:
                data = self._build(workspace)
        except Exception as error:
            self.signals.failed.emit(error_message(error, self._data_dir))
            return
        self.signals.built.emit(data)


def build_in_background(
    data_dir: Path,
    build: Callable[[Workspace], bytes],
    on_built: Callable[[bytes], None],
    on_failed: Callable[[str], None],
) -> PdfBuild:
    job = PdfBuild(data_dir, build)
    job.signals.built.connect(on_built)
    job.signals.failed.connect(on_failed)
    QThreadPool.globalInstance().start(job)
    return job


def load_document(data: bytes, parent: QObject) -> QPdfDocument:
    """A QPdfDocument over the bytes (the buffer lives as long as the document)."""
    document = QPdfDocument(parent)
    buffer = QBuffer(document)
    buffer.setData(QByteArray(data))
    buffer.open(QIODevice.OpenModeFlag.ReadOnly)
    document.load(buffer)
    return document


def print_pdf(parent: QWidget, data: bytes, save: Callable[[], None]) -> bool:
    """The system print dialog; with no printer, say so and offer to save the PDF."""
    if not QPrinterInfo.availablePrinters():
        answer = QMessageBox.question(
            parent,
            i18n.tr("ui.print.title"),
            i18n.tr("ui.print.no_printer"),
            QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Cancel,
        )
        if answer == QMessageBox.StandardButton.Save:
            save()
        return False
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    dialog = QPrintDialog(printer, parent)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return False
    document = load_document(data, parent)
    pages = document.pageCount()
    progress = QProgressDialog(i18n.tr("ui.print.progress"), i18n.tr("ui.cancel"), 0, pages, parent)
    progress.setWindowModality(Qt.WindowModality.WindowModal)
    painter = QPainter()
    if not painter.begin(printer):
        QMessageBox.warning(parent, i18n.tr("ui.print.title"), i18n.tr("ui.print.failed"))
        return False
    try:
        for page in range(pages):
            if progress.wasCanceled():
                return False
            if page:
                printer.newPage()
            target = painter.viewport()
            image = document.render(page, QSize(target.width(), target.height()))
            painter.drawImage(target, image)
            progress.setValue(page + 1)
            QApplication.processEvents()
    finally:
        painter.end()
    return True


def ask_pdf_path(parent: QWidget, suggested_name: str) -> Path | None:
    path, _filter = QFileDialog.getSaveFileName(
        parent, i18n.tr("ui.pdf.save_title"), f"{suggested_name}.pdf", i18n.tr("ui.pdf.filter")
    )
    return Path(path) if path else None


def file_name_for(title: str) -> str:
    cleaned = "".join(ch if ch.isalnum() or ch in " -_" else "_" for ch in title).strip()
    return cleaned[:60] or "wniosek"


class PdfPreview(QDialog):
    """The PDF as it will print, with Print and Save next to it."""

    def __init__(
        self, data: bytes, title: str, save: Callable[[], None], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(i18n.tr("ui.pdf.preview_title", title=title))
        self.data = data
        self.document = load_document(data, self)
        self.view = QPdfView(self)
        self.view.setObjectName("pdf_view")
        self.view.setAccessibleName(i18n.tr("ui.pdf.preview_name"))
        self.view.setDocument(self.document)
        self.view.setPageMode(QPdfView.PageMode.MultiPage)
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        self.pages = QLabel(i18n.tr("ui.pdf.pages", count=self.document.pageCount()))
        self.pages.setObjectName("pdf_pages")
        print_button = QPushButton(i18n.tr("ui.pdf.print"))
        print_button.setObjectName("pdf_print")
        print_button.clicked.connect(lambda: print_pdf(self, self.data, save))
        save_button = QPushButton(i18n.tr("ui.pdf.save"))
        save_button.setObjectName("pdf_save")
        save_button.clicked.connect(save)
        close_button = QPushButton(i18n.tr("ui.close"))
        close_button.clicked.connect(self.accept)
        # The pages are pictures to a screen reader: the same document as text.
        self.text = QPlainTextEdit(self)
        self.text.setObjectName("pdf_text")
        self.text.setReadOnly(True)
        self.text.setAccessibleName(i18n.tr("ui.pdf.text_name"))
        self.text.hide()
        self.as_text = QPushButton(i18n.tr("ui.pdf.as_text"))
        self.as_text.setObjectName("pdf_as_text")
        self.as_text.setCheckable(True)
        self.as_text.toggled.connect(self._show_text)
        buttons = QHBoxLayout()
        buttons.addWidget(self.pages)
        buttons.addStretch(1)
        for button in (self.as_text, print_button, save_button, close_button):
            buttons.addWidget(button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.text, 1)
        layout.addLayout(buttons)
        fit_to_screen(self, 900, 700)

    def document_text(self) -> str:
        """Every page's text, page by page, as the PDF holds it."""
        pages = []
        for page in range(self.document.pageCount()):
            heading = i18n.tr("ui.pdf.page_heading", number=page + 1)
            pages.append(f"{heading}\n\n{self.document.getAllText(page).text()}")
        return "\n\n".join(pages)

    def _show_text(self, on: bool) -> None:
        if on and not self.text.toPlainText():
            self.text.setPlainText(self.document_text())
        self.text.setVisible(on)
        self.view.setVisible(not on)
        (self.text if on else self.view).setFocus()
