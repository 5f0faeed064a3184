"""Reports (sprawozdania) through the real main window, by keyboard and mouse.

The main test takes a volunteer through a final report for the demo's
accepted application: a new report from "Nowe sprawozdanie…", every action
marked, results (one under the call's threshold, which the findings say in
words), three invoices typed Polish-style, volunteers' hours, a photo, the
statement adding up to the grosz, then "Wyślij sprawozdanie" — and the store,
opened afresh, holds exactly what was typed, frozen and queued.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import replace
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from keyboard import answer_dialog, click, click_cell, focused, key, type_in_cell, type_text
from PySide6.QtCore import Qt, QThreadPool
from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import (
    QApplication,
    QFileDialog,
    QLineEdit,
    QListWidget,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QTableView,
    QWidget,
)
from pytestqt.qtbot import QtBot

from mms_desktop.domain.application import ApplicationStatus
from mms_desktop.domain.report import ActionOutcome
from mms_desktop.services.workspace import DemoIds, Workspace
from mms_desktop.ui.fields import DateField
from mms_desktop.ui.main_window import MainWindow
from mms_desktop.ui.report_editor import SECTIONS, ReportEditor


def child(parent: QWidget, kind: type, name: str) -> QWidget:
    found = parent.findChild(kind, name)
    assert found is not None, name
    return found


def settle(qtbot: QtBot, window: MainWindow) -> None:
    window.writer.flush()
    QThreadPool.globalInstance().waitForDone()
    qtbot.wait(50)


def choose_in_cell(view: QTableView, row: int, column: int, first_letters: str) -> None:
    """Select the cell, open its combo (F2) and pick by typing, as on a keyboard."""
    click_cell(view, row, column)
    key(view, Qt.Key.Key_F2)
    type_text(first_letters, focused())


def go_to_section(editor: ReportEditor, key_name: str) -> None:
    """Click the section in the list, as a person does."""
    click_cell(editor.sections, SECTIONS.index(key_name), 0)
    QApplication.processEvents()
    assert editor.pages.currentIndex() == SECTIONS.index(key_name)


def cell(view: QTableView, row: int, column: int) -> str:
    return str(view.model().index(row, column).data())


@pytest.fixture
def demo(data_dir: Path, clock: str) -> DemoIds:
    with Workspace.open(data_dir) as workspace:
        return workspace.create_demo()


@pytest.fixture
def open_window(qtbot: QtBot, data_dir: Path, clock: str) -> Iterator[Callable[[], MainWindow]]:
    windows: list[MainWindow] = []

    def open_() -> MainWindow:
        window = MainWindow(data_dir, ask_on_first_run=False)
        qtbot.addWidget(window)
        window.resize(1366, 768)
        window.show()
        qtbot.waitExposed(window)
        window.activateWindow()
        windows.append(window)
        return window

    yield open_
    for window in windows:
        if window.isVisible():
            window.close()


def go_to_reports(qtbot: QtBot, window: MainWindow) -> None:
    """Ctrl+4 as a person presses it: the window is active."""
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    key(window, Qt.Key.Key_4, Qt.KeyboardModifier.ControlModifier)
    assert window.pages.currentIndex() == window.REPORTS


def open_demo_report(qtbot: QtBot, window: MainWindow, demo: DemoIds) -> ReportEditor:
    go_to_reports(qtbot, window)
    view = window.reports.view
    assert view.isVisible()
    click_cell(view.table, 0, 0, double=True)
    qtbot.waitUntil(lambda: window.reports.editor is not None)
    editor = window.reports.editor
    assert editor is not None and editor.session.report.id == demo.report_id
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    return editor


# --- the whole evening ---------------------------------------------------------------


def test_a_volunteer_writes_and_sends_a_final_report(
    qtbot: QtBot,
    open_window: Callable[[], MainWindow],
    demo: DemoIds,
    data_dir: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    window = open_window()

    # --- a new final report for the accepted application --------------------------------
    go_to_reports(qtbot, window)
    assert window.reports.view.row_texts(0)[1] == "końcowe"  # the demo's report is listed
    answer_dialog(lambda dialog: click(child(dialog, QPushButton, "create_report")))
    click(window.reports.view.new_button)
    qtbot.waitUntil(
        lambda: (
            window.reports.editor is not None
            and window.reports.editor.session.report.id != demo.report_id
        )
    )
    editor = window.reports.editor
    assert editor is not None
    session = editor.session
    assert session.report.application_id == demo.settled_application_id
    assert session.editable
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)

    def section(number: int) -> None:
        click_cell(editor.sections, number, 0)
        assert editor.pages.currentIndex() == number

    # (a) what was done
    section(0)
    summary = child(editor, QPlainTextEdit, "report.summary")
    assert isinstance(summary, QPlainTextEdit)
    click(summary.viewport())
    type_text("Odbyło się dziesięć warsztatów, nagraliśmy płytę i zagraliśmy koncert dla wsi.")
    key(summary, Qt.Key.Key_Tab)
    # the report's heading: the contract's date and number, as the form asks
    contract_date = child(editor, DateField, "report.contract_date")
    assert isinstance(contract_date, DateField)
    click(contract_date.edit)
    type_text("20.05.2027")
    key(contract_date.edit, Qt.Key.Key_Tab)
    contract_number = child(editor, QLineEdit, "report.contract_number")
    click(contract_number)
    type_text("MMS/2027/0142")
    key(contract_number, Qt.Key.Key_Tab)

    # (b) every action marked by keyboard: typing picks the outcome in the combo
    section(1)
    actions = editor.row_editors["actions"].table
    outcome, start, end, happened, deviations = 4, 5, 6, 7, 8
    choose_in_cell(actions, 0, outcome, "z")
    choose_in_cell(actions, 1, outcome, "c")
    choose_in_cell(actions, 2, outcome, "z")
    assert [cell(actions, row, outcome) for row in range(3)] == [
        "zrealizowane",
        "częściowo",
        "zrealizowane",
    ]
    type_in_cell(actions, 0, start, "05.06.2027")
    type_in_cell(actions, 0, end, "31.07.2027")
    for row, text in enumerate(
        (
            "Dziesięć spotkań z instruktorką, średnio 22 osoby.",
            "Nagraliśmy dziewięć pieśni; płyta wydana w 200 egzemplarzach.",
            "Koncert w świetlicy, przyszło 130 osób.",
        )
    ):
        type_in_cell(actions, row, happened, text)
    type_in_cell(actions, 1, deviations, "Trzy pieśni nie weszły: zachorowała solistka.")

    # (c) results: the second under the call's 80 % threshold
    section(2)
    results = editor.row_editors["results"].table
    achieved, percent = 4, 5
    for row, value in enumerate(("25", "9", "130")):
        type_in_cell(results, row, achieved, value)
    assert [cell(results, row, percent) for row in range(3)] == ["100,0 %", "75,0 %", "108,3 %"]
    qtbot.waitUntil(lambda: "REPORT_RESULT_BELOW_THRESHOLD" in editor.findings.codes())
    words = [editor.findings.list.item(i).text() for i in range(editor.findings.list.count())]
    below = next(text for text in words if "75 %" in text)
    assert "Rezultat 2" in below and "80 %" in below
    assert results.model().index(1, percent).data(Qt.ItemDataRole.ForegroundRole) == QColor(
        "#8a5a00"
    )

    # (d) three invoices typed into the table (Insert adds a row)
    section(3)
    documents = editor.row_editors["documents"].table
    invoices = (
        ("FV 1/2027", "10.06.2027", "Pracownia Głosu", "Honorarium", "1 234,56", "1",
         "1 234,56", "0", "12.06.2027"),
        ("FV/2/2027", "01.07.2027", "Księgarnia „Nutka”", "Śpiewniki", "987,65", "2",
         "900", "0", "01.07.2027"),
        ("R-45/2027", "18.08.2027", "Studio Nagrań Łukasz Żak", "Nagranie", "2 400,01", "3",
         "2 100,00", "300,01", "20.08.2027"),
    )  # fmt: skip
    for row, (number, issued, issuer, what, amount, line, grant, own, paid) in enumerate(invoices):
        if row:
            click_cell(documents, row - 1, 1)  # Insert adds below the current row
        else:
            click(documents.viewport())
        key(documents, Qt.Key.Key_Insert)
        assert documents.model().rowCount() == row + 1
        for column, text in ((1, number), (2, issued), (3, issuer), (4, what), (5, amount)):
            type_in_cell(documents, row, column, text)
        choose_in_cell(documents, row, 6, line)
        for column, text in ((7, grant), (8, own), (10, paid)):
            type_in_cell(documents, row, column, text)
    assert cell(documents, 2, 6) == "3. Nagranie i tłoczenie płyty"
    assert cell(documents, 0, 5) == "1 234,56"
    assert "na kwotę 4 622,22 zł" in editor.documents_total.text()

    # (e) the choir's hours: the value is worked out
    section(4)
    volunteers = editor.row_editors["volunteer_work"]
    click(volunteers.add_button)
    table = volunteers.table
    for column, text in ((1, "Członkinie chóru"), (2, "8"), (3, "120"), (4, "20,00")):
        type_in_cell(table, 0, column, text)
    choose_in_cell(table, 0, 7, "6")
    assert cell(table, 0, 5) == "2 400,00"

    # (f) the statement adds up to the grosz, per line and per source
    section(5)
    rows = editor.statement_texts()
    first, total = rows[0], rows[-1]
    assert first[2:4] == ["3 000,00 zł", "1 234,56 zł"]
    assert total[1] == "Razem"
    assert total[3] == "6 934,57 zł"  # 4 234,56 grant + 300,01 own money + 2 400,00 work
    assert total[5].splitlines() == ["4 234,56", "plan 7 650,00"]
    assert total[6].splitlines() == ["300,01", "plan 300,00"]
    assert rows[-2][3] == "0,00 zł"  # nothing spent without a cost line
    assert editor.grant_left.text() == "Niewykorzystana dotacja do zwrotu: 3 415,44 zł"

    # (g) a photo from the disk, shown as a thumbnail
    photo = tmp_path / "próba chóru.png"
    image = QImage(64, 48, QImage.Format.Format_RGB32)
    image.fill(QColor("#3a7bd5"))
    assert image.save(str(photo))
    monkeypatch.setattr(QFileDialog, "getOpenFileNames", lambda *args, **kwargs: ([str(photo)], ""))
    section(6)
    click(editor.attachments.add_button)
    qtbot.waitUntil(lambda: len(session.report.attachments) == 1)
    sha256 = session.report.attachments[0].sha256
    qtbot.waitUntil(lambda: editor.attachments.has_thumbnail(sha256))

    # part II.4: the plan counted on the participants' payments, so they are described
    section(7)
    payments = child(editor, QPlainTextEdit, "report.recipient_payments")
    assert isinstance(payments, QPlainTextEdit)
    click(payments.viewport())
    type_text("Nie pobierano opłat od uczestników: koncert był bezpłatny.")
    key(payments, Qt.Key.Key_Tab)

    # nothing blocks now: F7 says so in words
    key(window, Qt.Key.Key_F7)
    assert editor.check_result.text() == "✓ Sprawozdanie jest gotowe do wysłania."
    assert session.report.contract_date == date(2027, 5, 20)
    assert session.report.contract_number == "MMS/2027/0142"

    # --- "Wyślij sprawozdanie", confirmed -------------------------------------------------
    answer_dialog(lambda dialog: click(child(dialog, QPushButton, "confirm_send")))
    click(editor.send_button)
    qtbot.waitUntil(
        lambda: (
            window.reports.editor is not editor
            and window.reports.editor is not None
            and not window.reports.editor.session.editable
        )
    )
    frozen = window.reports.editor
    assert frozen is not None
    assert "Suma kontrolna:" in frozen.status_label.text()
    assert "Suma kontrolna:" in window.statusBar().currentMessage()
    assert not frozen.send_button.isEnabled()
    assert not frozen.row_editors["documents"].add_button.isEnabled()
    window.show_sending()
    [row] = [n for n, item in enumerate(window.sending.view.items) if item.kind == "report"]
    title, version, state = window.sending.view.row_texts(row)[:3]
    assert title == f"Sprawozdanie końcowe: {session.report.title}"
    assert (version, state) == ("1", "czeka na wysłanie")
    settle(qtbot, window)
    report_id = session.report.id
    window.close()

    # --- the store, opened afresh, holds what was typed ---------------------------------
    with Workspace.open(data_dir) as workspace:
        store = workspace.store
        assert store.report_status(report_id) in (ApplicationStatus.QUEUED, ApplicationStatus.SENT)
        queued = [item for item in store.outbox() if item.report_id == report_id]
        assert len(queued) == 1 and queued[0].kind == "report"
        stored = store.load_report(report_id)
    assert [action.outcome for action in stored.actions] == [
        ActionOutcome.DONE,
        ActionOutcome.PARTLY,
        ActionOutcome.DONE,
    ]
    assert stored.actions[1].deviations == "Trzy pieśni nie weszły: zachorowała solistka."
    assert [result.achieved_value for result in stored.results] == [
        Decimal(25),
        Decimal(9),
        Decimal(130),
    ]
    assert [
        (d.number, d.issuer, d.amount, d.grant, d.own_financial, stored.line_number(d.line_id))
        for d in stored.documents
    ] == [
        ("FV 1/2027", "Pracownia Głosu", Decimal("1234.56"), Decimal("1234.56"), Decimal(0), 1),
        ("FV/2/2027", "Księgarnia „Nutka”", Decimal("987.65"), Decimal("900"), Decimal(0), 2),
        (
            "R-45/2027",
            "Studio Nagrań Łukasz Żak",
            Decimal("2400.01"),
            Decimal("2100.00"),
            Decimal("300.01"),
            3,
        ),
    ]
    assert stored.documents[2].payment_date is not None
    assert stored.documents[2].payment_date.isoformat() == "2027-08-20"
    assert stored.volunteer_work[0].value == Decimal("2400.00")
    assert [item.name for item in stored.attachments] == ["próba chóru.png"]


# --- smaller checks ---------------------------------------------------------------------


def test_the_reports_page_lists_the_demo_report(
    qtbot: QtBot, open_window: Callable[[], MainWindow], demo: DemoIds
) -> None:
    window = open_window()
    assert window.reports.built_view is None  # built on first use, not at start-up
    go_to_reports(qtbot, window)
    texts = window.reports.view.row_texts(0)
    assert texts[:3] == [
        "Śpiewaj z nami – warsztaty pieśni ludowych, płyta i koncert",
        "końcowe",
        "szkic",
    ]
    assert texts[3] == ""  # no control sum before it is sent


def test_a_blocked_report_is_refused_in_words_and_nothing_changes(
    qtbot: QtBot, open_window: Callable[[], MainWindow], demo: DemoIds, data_dir: Path
) -> None:
    window = open_window()
    editor = open_demo_report(qtbot, window, demo)
    click(editor.send_button)  # no confirmation is asked: something blocks
    assert QApplication.activeModalWidget() is None
    said = editor.check_result.text()
    assert said.startswith("Sprawozdania nie można jeszcze wysłać: do poprawienia 2.")
    assert "Działanie 3" in said
    assert editor.sections.currentRow() == 1  # taken to the first problem's section
    settle(qtbot, window)
    with Workspace.open(data_dir) as workspace:
        assert workspace.store.report_status(demo.report_id) is ApplicationStatus.DRAFT
        assert workspace.store.outbox() == []


def test_undo_takes_back_a_typed_amount(
    qtbot: QtBot, open_window: Callable[[], MainWindow], demo: DemoIds, data_dir: Path
) -> None:
    window = open_window()
    editor = open_demo_report(qtbot, window, demo)
    go_to_section(editor, "documents")
    documents = editor.row_editors["documents"].table
    type_in_cell(documents, 0, 5, "1 600,00")
    assert cell(documents, 0, 5) == "1 600,00"
    key(documents, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert cell(documents, 0, 5) == "1 500,00"
    settle(qtbot, window)
    with Workspace.open(data_dir) as workspace:
        assert workspace.store.load_report(demo.report_id).documents[0].amount == Decimal("1500")


def test_the_statement_follows_each_typed_amount_at_once(
    qtbot: QtBot, open_window: Callable[[], MainWindow], demo: DemoIds
) -> None:
    window = open_window()
    editor = open_demo_report(qtbot, window, demo)
    assert editor.statement_texts()[0][3] == "1 500,00 zł"
    go_to_section(editor, "documents")
    documents = editor.row_editors["documents"].table
    type_in_cell(documents, 0, 7, "1 499,99")  # from the grant
    rows = editor.statement_texts()
    assert rows[0][3] == "1 499,99 zł"
    assert rows[-1][3] == "6 869,99 zł"
    assert editor.grant_left.text() == "Niewykorzystana dotacja do zwrotu: 3 120,01 zł"
    type_in_cell(documents, 0, 7, "12,345")  # not whole grosze: refused, nothing changes
    problem = editor.row_editors["documents"].problem
    assert "dwa miejsca po przecinku" in problem.text()
    assert editor.statement_texts()[0][3] == "1 499,99 zł"


def test_a_photo_attachment_is_shown_as_a_thumbnail(
    qtbot: QtBot, open_window: Callable[[], MainWindow], demo: DemoIds
) -> None:
    window = open_window()
    editor = open_demo_report(qtbot, window, demo)
    go_to_section(editor, "attachments")
    by_name = {item.name: item.sha256 for item in editor.session.report.attachments}
    photo = by_name["koncert-zdjecie.png"]
    qtbot.waitUntil(lambda: editor.attachments.has_thumbnail(photo))
    picture = editor.attachments.cards[photo].findChild(QWidget, "thumbnail")
    assert picture is not None and picture.isVisible()


def test_without_a_submitted_application_a_new_report_is_refused_in_words(
    qtbot: QtBot, open_window: Callable[[], MainWindow], data_dir: Path, clock: str
) -> None:
    window = open_window()
    said: dict[str, str] = {}

    def read(dialog: QWidget) -> None:
        assert isinstance(dialog, QMessageBox)
        said["text"] = dialog.text()
        dialog.accept()

    answer_dialog(read)
    go_to_reports(qtbot, window)
    click(window.reports.view.new_button)
    assert "Żaden wniosek nie może jeszcze zostać rozliczony" in said["text"]
    assert window.reports.view.empty.isVisible()


def test_a_report_sent_back_shows_the_comment_and_reopens_as_a_new_version(
    qtbot: QtBot, data_dir: Path, demo: DemoIds, open_window: Callable[[], MainWindow]
) -> None:
    from demo_support import complete_demo_report

    from mms_desktop.services import reports
    from mms_desktop.storage.store import OperatorAnswer

    comment = "Proszę dołączyć listę obecności z koncertu."
    with Workspace.open(data_dir) as workspace:
        complete_demo_report(workspace, demo.report_id)
        version = reports.submit(workspace, demo.report_id)
        workspace.store.record_operator_status(
            OperatorAnswer(version.id, "needs_corrections", comment, "2027-09-20T10:00:00Z")
        )
    window = open_window()
    editor = open_demo_report(qtbot, window, demo)
    qtbot.waitUntil(editor.isVisible)
    assert comment in editor.status_label.text()
    assert editor.reopen_button.isVisible() and not editor.send_button.isEnabled()

    click(editor.reopen_button)
    qtbot.waitUntil(
        lambda: (
            window.reports.editor is not editor
            and window.reports.editor is not None
            and window.reports.editor.send_button.isEnabled()
        )
    )
    reopened = window.reports.editor
    assert reopened is not None and reopened.reopen_button.isHidden()
    assert "Sprawozdanie znów jest szkicem" in window.statusBar().currentMessage()
    settle(qtbot, window)
    with Workspace.open(data_dir) as workspace:
        assert workspace.store.report_status(demo.report_id) is ApplicationStatus.DRAFT
        [frozen] = workspace.store.report_versions(demo.report_id)
        assert frozen.document == version.document  # the sent version stays as it was


def test_a_report_moved_to_the_bin_comes_back_from_it(
    qtbot: QtBot, data_dir: Path, demo: DemoIds, open_window: Callable[[], MainWindow]
) -> None:
    window = open_window()
    go_to_reports(qtbot, window)
    view = window.reports.view
    click_cell(view.table, 0, 0)
    key(view.table, Qt.Key.Key_Delete)
    qtbot.waitUntil(lambda: view.items == [])
    assert "Sprawozdanie przeniesiono do kosza" in window.statusBar().currentMessage()
    with Workspace.open(data_dir) as workspace:
        [trashed] = workspace.store.trashed_reports()
        assert trashed.id == demo.report_id  # hidden, not erased

    shown: list[str] = []

    def restore(dialog: QWidget) -> None:
        listed = dialog.findChild(QListWidget, "bin_list")
        assert listed is not None
        shown.extend(listed.item(row).text() for row in range(listed.count()))
        click(child(dialog, QPushButton, "restore_button"))

    answer_dialog(restore)
    click(view.bin_button)
    qtbot.waitUntil(lambda: [item.id for item in view.items] == [demo.report_id])
    assert shown == [
        "Sprawozdanie końcowe: Śpiewaj z nami – warsztaty pieśni ludowych, płyta i koncert"
    ]


def test_a_description_typed_while_a_big_scan_is_stored_is_kept_with_the_new_file(
    qtbot: QtBot,
    data_dir: Path,
    demo: DemoIds,
    open_window: Callable[[], MainWindow],
    tmp_path: Path,
) -> None:
    import threading

    window = open_window()
    editor = open_demo_report(qtbot, window, demo)
    session = editor.session
    scan = tmp_path / "faktura-skan.pdf"
    scan.write_bytes(b"%PDF-1.4 skan faktury " + bytes(range(256)) * 100)
    # The writer is busy (a slow disk): the scan waits in its queue.
    release = threading.Event()
    window.writer.submit(lambda _workspace: release.wait(10))
    session.attach(scan)
    first = session.report.attachments[0]
    session.set_field(
        "attachments",
        (
            replace(first, description="Lista obecności – podpisana"),
            *session.report.attachments[1:],
        ),
    )
    release.set()
    qtbot.waitUntil(lambda: len(session.report.attachments) == 3)
    settle(qtbot, window)
    with Workspace.open(data_dir) as workspace:
        stored = workspace.store.load_report(demo.report_id).attachments
    assert [item.name for item in stored] == [
        "lista-obecnosci-warsztaty.pdf",
        "koncert-zdjecie.png",
        "faktura-skan.pdf",
    ]
    assert stored[0].description == "Lista obecności – podpisana"
