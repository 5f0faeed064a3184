"""Preview, print and save from the window; the PDF is built off the GUI thread."""

from __future__ import annotations

from pathlib import Path

import pytest
from keyboard import click
from pdf_readback import pdf_text
from PySide6.QtCore import QTimer
from PySide6.QtPrintSupport import QPrinterInfo
from PySide6.QtWidgets import QApplication, QMessageBox, QPushButton
from pytestqt.qtbot import QtBot

from mms_desktop.services.workspace import Workspace
from mms_desktop.ui import printing
from mms_desktop.ui.main_window import MainWindow


@pytest.fixture
def window(qtbot: QtBot, data_dir: Path, clock: str):
    with Workspace.open(data_dir) as workspace:
        ids = workspace.create_demo()
    window = MainWindow(data_dir, ask_on_first_run=False)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    window.applications.open(ids.application_id)
    yield window
    window.close()


def test_preview_shows_the_printout_built_in_the_background(qtbot: QtBot, window: MainWindow):
    assert window.applications.editor is not None
    button = window.applications.editor.findChild(QPushButton, "preview_button")
    click(button)
    # The window answers at once; the PDF arrives from a worker thread.
    qtbot.waitUntil(lambda: window.paper.preview is not None, timeout=20_000)
    preview = window.paper.preview
    assert preview.isVisible()
    assert preview.document.pageCount() >= 3
    assert preview.pages.text() == f"Stron: {preview.document.pageCount()}"


def test_save_pdf_writes_what_the_store_holds(
    qtbot: QtBot, window: MainWindow, tmp_path: Path, monkeypatch
):
    target = tmp_path / "wniosek.pdf"
    # The system's file dialog is the one part we do not drive: it answers with a path.
    monkeypatch.setattr(printing, "ask_pdf_path", lambda parent, name: target)
    session = window.applications.session
    assert session is not None
    session.set_field("title", "Tytuł zmieniony tuż przed zapisem – żółć")
    window.paper.save_pdf()
    qtbot.waitUntil(target.exists, timeout=20_000)
    assert "Tytuł zmieniony tuż przed zapisem – żółć" in " ".join(pdf_text(target).split())


def test_print_without_a_printer_offers_to_save(
    qtbot: QtBot, window: MainWindow, tmp_path: Path, monkeypatch
):
    assert QPrinterInfo.availablePrinters() == []  # a machine with no printer, as here
    target = tmp_path / "do-druku.pdf"
    monkeypatch.setattr(printing, "ask_pdf_path", lambda parent, name: target)
    asked: list[str] = []

    def answer() -> None:
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):
            QTimer.singleShot(20, answer)
            return
        asked.append(box.text())
        box.button(QMessageBox.StandardButton.Save).click()

    QTimer.singleShot(0, answer)
    window.paper.print_pdf()
    qtbot.waitUntil(target.exists, timeout=20_000)
    assert "Nie znaleziono żadnej drukarki" in asked[0]
    assert target.read_bytes().startswith(b"%PDF")


def test_the_report_previews_and_saves_as_its_pdf(
    qtbot: QtBot, data_dir: Path, clock: str, tmp_path: Path, monkeypatch
):
    with Workspace.open(data_dir) as workspace:
        ids = workspace.create_demo()
    window = MainWindow(data_dir, ask_on_first_run=False)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    try:
        window.reports.open(ids.report_id)
        editor = window.reports.editor
        assert editor is not None
        click(editor.preview_button)
        qtbot.waitUntil(lambda: window.paper.preview is not None, timeout=20_000)
        assert window.paper.preview.document.pageCount() >= 3
        target = tmp_path / "sprawozdanie.pdf"
        monkeypatch.setattr(printing, "ask_pdf_path", lambda parent, name: target)
        assert window.reports.session is not None
        window.reports.session.set_field("summary", "Opis wpisany tuż przed zapisem – gęślą jaźń")
        window.paper.save_pdf()
        qtbot.waitUntil(target.exists, timeout=20_000)
        text = " ".join(pdf_text(target).split())
        assert "SPRAWOZDANIE Z REALIZACJI ZADANIA PUBLICZNEGO" in text  # the demo's art. 19a call
        assert "Opis wpisany tuż przed zapisem – gęślą jaźń" in text
        assert "2 350,00" in text  # the studio's invoice
    finally:
        window.close()


def test_the_preview_reads_as_text_for_a_screen_reader(qtbot: QtBot, window: MainWindow):
    assert window.applications.editor is not None
    click(window.applications.editor.findChild(QPushButton, "preview_button"))
    qtbot.waitUntil(lambda: window.paper.preview is not None, timeout=20_000)
    preview = window.paper.preview
    assert not preview.text.isVisible()
    click(preview.as_text)  # "Czytaj jako tekst"
    assert preview.text.isVisible() and not preview.view.isVisible()
    text = preview.text.toPlainText()
    title = window.applications.session.application.title
    assert text.startswith("— Strona 1 —")
    assert f"— Strona {preview.document.pageCount()} —" in text
    assert " ".join(title.split()[:4]) in " ".join(text.split())  # the title, as printed
    assert preview.text.hasFocus()  # the reader starts reading there
    click(preview.as_text)
    assert preview.view.isVisible() and not preview.text.isVisible()
    preview.close()
