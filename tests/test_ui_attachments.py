"""The "Załączniki" section, driven with the mouse: attach, see, print, remove.

Only the system's file dialog is replaced (``ask_file``): it answers with a
real file in the test's folder. The file goes through the real writer thread
into the real data folder, and the printout is read back with pdftotext.
"""

from __future__ import annotations

import hashlib
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from keyboard import click
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QLabel, QPushButton
from pytestqt.qtbot import QtBot

from mms_desktop import i18n
from mms_desktop.domain.application import Application, AttachmentRef
from mms_desktop.services import workspace as workspace_module
from mms_desktop.services.workspace import Workspace
from mms_desktop.ui import attachments_editor
from mms_desktop.ui.attachments_editor import AttachmentsEditor
from mms_desktop.ui.session import ApplicationSession
from mms_desktop.ui.writer import StoreWriter
from tests.wine import stop_under_wine

pytestmark = pytest.mark.qt_log_ignore(r"This plugin does not support propagateSizeHints\(\)")

STATUTE_NAME = "Aktualny statut organizacji (kopia potwierdzona za zgodność z oryginałem)"


@dataclass
class Opened:
    editor: AttachmentsEditor
    session: ApplicationSession
    writer: StoreWriter
    workspace: Workspace
    folder: Path
    application_id: str
    errors: list[str]

    def saved(self) -> Application:
        """What a fresh start of the program would load from the folder."""
        assert self.writer.flush()
        with Workspace.open(self.folder) as fresh:
            return fresh.application(self.application_id)

    def missing_names(self) -> list[str]:
        return [
            str(finding.params["name"])
            for finding in self.session.findings()
            if finding.code == "ATTACHMENT_MISSING"
        ]

    def button(self, name: str) -> QPushButton:
        found = self.editor.findChild(QPushButton, name)
        assert isinstance(found, QPushButton), name
        return found

    def state(self, requirement_id: str) -> str:
        label = self.editor.findChild(QLabel, f"attachment_state_{requirement_id}")
        assert isinstance(label, QLabel), requirement_id
        return label.text()


@pytest.fixture
def opened(tmp_path: Path, qtbot: QtBot, clock: str) -> Iterator[Opened]:
    folder = tmp_path / "dane"
    workspace = Workspace.open(folder)
    ids = workspace.create_demo()
    for ref in workspace.application(ids.application_id).attachments:  # start with none
        workspace.detach(ids.application_id, ref.sha256)
    writer = StoreWriter(folder)
    session = ApplicationSession(workspace, writer, QUndoStack(), ids.application_id)
    errors: list[str] = []

    # As the main window wires the editor's requests: a writer job, then a reload.
    def reloaded(_result: object) -> None:
        writer.flush()
        session.reload()

    def add_file(path: Path, requirement_id: str) -> None:
        writer.submit(
            lambda ws: ws.attach(ids.application_id, path, requirement_id),
            on_done=reloaded,
            on_error=errors.append,
        )

    def remove_file(sha256: str) -> None:
        writer.submit(
            lambda ws: ws.detach(ids.application_id, sha256),
            on_done=reloaded,
            on_error=errors.append,
        )

    editor = AttachmentsEditor(session, add_file, remove_file)
    qtbot.addWidget(editor)
    editor.resize(900, 600)
    editor.show()
    qtbot.waitExposed(editor)
    try:
        yield Opened(editor, session, writer, workspace, folder, ids.application_id, errors)
    finally:
        writer.close()
        workspace.close()


def pdf_text(data: bytes, folder: Path) -> str:
    path = folder / "wniosek.pdf"
    path.write_bytes(data)
    stop_under_wine("poppler's pdftotext")
    result = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", "-raw", str(path), "-"],
        capture_output=True,
        check=True,
        text=True,
    )
    return result.stdout


def test_attach_the_statute_print_it_and_remove_it(
    opened: Opened, qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    scan = tmp_path / "skany" / "statut KGW – Łękawka.pdf"
    scan.parent.mkdir()
    content = b"%PDF-1.4\n% statut\n" + "Zażółć gęślą jaźń".encode() * 200
    scan.write_bytes(content)
    sha256 = hashlib.sha256(content).hexdigest()
    asked: list[object] = []

    def choose(parent: object) -> Path:
        asked.append(parent)
        return scan

    monkeypatch.setattr(attachments_editor, "ask_file", choose)

    # Before: the statute and the revenue declaration are missing (a KGW needs both).
    assert opened.state("statut") == "brak – dołącz plik albo złóż na papierze"
    assert STATUTE_NAME in opened.missing_names()
    assert set(opened.editor.missing()) == {"statut", "oswiadczenie_przychody"}
    assert "regulamin" not in opened.editor.attach_buttons  # not for a KGW

    click(opened.button("attach_statut"))
    assert asked == [opened.editor]
    qtbot.waitUntil(lambda: bool(opened.session.application.attachments))
    assert opened.errors == []

    # The row shows the file; the warning is gone.
    assert opened.state("statut").startswith("✓ statut KGW – Łękawka.pdf (")
    assert "kB)" in opened.state("statut")
    assert STATUTE_NAME not in opened.missing_names()
    assert opened.editor.missing() == ["oswiadczenie_przychody"]

    # What a fresh start would find: the reference, and the file by its hash.
    expected = AttachmentRef(sha256, scan.name, len(content), "statut")
    assert opened.saved().attachments == (expected,)
    stored = opened.folder / "attachments" / sha256[:2] / sha256
    assert stored.read_bytes() == content

    # On paper: the file, what it stands for, and its hash grouped like the control sum.
    text = pdf_text(opened.workspace.application_pdf(opened.application_id), tmp_path)
    tail = text[text.index("Załączniki") :]
    assert scan.name in tail
    # The hash's first 64 bits, grouped like the control sum but in lower case
    # (as sha256sum prints it), so it is never taken for a control sum on a draft.
    assert "-".join(sha256[i : i + 4] for i in range(0, 16, 4)) in tail
    assert "Aktualny statut organizacji" in tail
    assert "brak załączników" not in text

    # Remove it: the missing state and the warning are back.
    click(opened.button(f"detach_{sha256}"))
    qtbot.waitUntil(lambda: not opened.session.application.attachments)
    assert opened.errors == []
    assert opened.state("statut") == "brak – dołącz plik albo złóż na papierze"
    assert STATUTE_NAME in opened.missing_names()
    assert opened.saved().attachments == ()
    text = pdf_text(opened.workspace.application_pdf(opened.application_id), tmp_path)
    assert "brak załączników" in text
    assert scan.name not in text


def test_another_file_and_a_cancelled_dialog(
    opened: Opened, qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    photo = tmp_path / "zdjęcie świetlicy.jpg"
    photo.write_bytes(b"\xff\xd8\xff" + bytes(range(256)) * 10)
    monkeypatch.setattr(attachments_editor, "ask_file", lambda parent: None)
    click(opened.button("attach_other"))
    qtbot.wait(50)
    assert opened.writer.flush()
    assert opened.session.application.attachments == ()

    monkeypatch.setattr(attachments_editor, "ask_file", lambda parent: photo)
    click(opened.button("attach_other"))
    qtbot.waitUntil(lambda: bool(opened.session.application.attachments))
    (ref,) = opened.saved().attachments
    assert (ref.name, ref.requirement_id) == (photo.name, "")
    labels = [label.text() for label in opened.editor.other_box.findChildren(QLabel)]
    assert any(text.startswith(f"✓ {photo.name}") for text in labels)
    # Both required ones are still missing.
    assert len(opened.missing_names()) == 2
    text = pdf_text(opened.workspace.application_pdf(opened.application_id), tmp_path)
    assert photo.name in text and "inny załącznik" in text


def test_a_file_too_large_or_gone_is_said_in_words(
    opened: Opened, qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    gone = tmp_path / "nie ma mnie.pdf"
    monkeypatch.setattr(attachments_editor, "ask_file", lambda parent: gone)
    click(opened.button("attach_statut"))
    qtbot.waitUntil(lambda: bool(opened.errors))
    assert opened.errors == [i18n.tr("file.not_found", path=str(gone))]

    big = tmp_path / "statut.pdf"
    big.write_bytes(b"x" * 3 * 2**20)
    monkeypatch.setattr(workspace_module, "MAX_ATTACHMENT_BYTES", 2 * 2**20)
    monkeypatch.setattr(attachments_editor, "ask_file", lambda parent: big)
    click(opened.button("attach_statut"))
    qtbot.waitUntil(lambda: len(opened.errors) == 2)
    assert opened.errors[1] == i18n.tr("attach.too_large", path=str(big), limit_mb=2)
    assert "za duży" in opened.errors[1]
    assert opened.saved().attachments == ()
    assert opened.state("statut") == "brak – dołącz plik albo złóż na papierze"


def test_read_only_once_submitted(opened: Opened, qtbot: QtBot) -> None:
    opened.session.editable = False  # as for a submitted version
    editor = AttachmentsEditor(opened.session, lambda *_: None, lambda *_: None)
    qtbot.addWidget(editor)
    buttons = editor.findChildren(QPushButton)
    assert buttons and not any(button.isEnabled() for button in buttons)
    assert not editor.read_only_note.isHidden()


def test_pdf_without_attachments_says_so(opened: Opened, tmp_path: Path) -> None:
    text = pdf_text(opened.workspace.application_pdf(opened.application_id), tmp_path)
    assert "Załączniki" in text
    assert "brak załączników" in text
