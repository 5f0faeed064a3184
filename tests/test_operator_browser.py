"""The panel in a real browser (Debian's chromium through chromium-driver), against the
operator started as an operator starts it, and a real desktop window on the other side.

One flow, as a reviewer and a volunteer live it: the volunteer sends an application
from the window; the reviewer signs in (changing the one-time password), filters the
call's list, opens the application, sees its printout and control sum, asks for
corrections with a comment by keyboard, exports the list to XLSX (read back with
openpyxl); the volunteer presses "Wyślij teraz" and the window shows the comment.

``MMS_PANEL_SCREENSHOTS=DIR`` keeps the panel's screenshots there (the ones in
docs/screenshots/ were made so); otherwise they go to the test's temporary folder.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests
from keyboard import click, click_cell, key
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot
from test_ui_sending import (  # noqa: F401  (fixtures used by name)
    COMMENT,
    Operator,
    go_to,
    no_keyring,
    operator,
    outbox_row,
    send_from_editor,
    set_up_sending,
    window,
)

from mms_desktop.domain.canonical import control_sum
from mms_desktop.services.demo import DEMO_CALL_ID
from mms_desktop.services.workspace import Workspace
from mms_desktop.ui.main_window import MainWindow
from tests.pdf_readback import pdf_text
from tests.wine import skip_under_wine

CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
REVIEWER = "oceniajaca@operator.example.pl"
NEW_PASSWORD = "hasło oceniającej 2027"
# A person reads a page before acting on it; a browser test that clicks the instant
# an element exists tests a faster person than there is.
READ_PAUSE_S = 0.2


def chromium(downloads: Path) -> Any:
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    if not (Path(CHROMIUM).exists() and Path(CHROMEDRIVER).exists()):
        pytest.fail(
            "Debian's chromium and chromium-driver are needed: run scripts/ensure-test-tools"
        )
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for argument in (
        "--headless=new",
        "--window-size=1366,768",  # the laptop the panel is made for
        "--no-sandbox",  # CI runs as root, where Chromium's sandbox cannot start
        "--disable-dev-shm-usage",
        "--lang=pl-PL",
    ):
        options.add_argument(argument)
    options.add_experimental_option(
        "prefs",
        {"download.default_directory": str(downloads), "download.prompt_for_download": False},
    )
    # The driver given by path: Selenium Manager would try to download one.
    browser = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    browser.execute_cdp_cmd(
        "Page.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(downloads)}
    )
    browser.implicitly_wait(5)
    return browser


@pytest.fixture
def shots(tmp_path: Path) -> Path:
    chosen = os.environ.get("MMS_PANEL_SCREENSHOTS")
    folder = Path(chosen) if chosen else tmp_path / "zrzuty"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture
def browser(tmp_path: Path) -> Iterator[Any]:
    downloads = tmp_path / "pobrane"
    downloads.mkdir()
    opened = chromium(downloads)
    opened.downloads = downloads
    try:
        yield opened
    finally:
        opened.quit()


def typed(element: Any, text: str) -> None:
    """Keys one by one with a person's pauses between them."""
    for char in text:
        element.send_keys(char)
        time.sleep(0.01)


def navigate(browser: Any, act: Any) -> None:
    """Do what loads another page (a click, Enter in a form), and wait until it has:
    reading the page before that would read the old one."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions
    from selenium.webdriver.support.ui import WebDriverWait

    old = browser.find_element(By.TAG_NAME, "html")
    act()
    WebDriverWait(browser, 30).until(expected_conditions.staleness_of(old))


def screenshot(browser: Any, folder: Path, name: str) -> None:
    time.sleep(READ_PAUSE_S)
    path = folder / f"panel-{name}.png"
    assert browser.save_screenshot(str(path))
    assert path.stat().st_size > 10_000  # a page, not a blank


def send_the_demo_application(
    qtbot: QtBot,
    window: MainWindow,  # noqa: F811
    operator: Operator,  # noqa: F811
    data_dir: Path,
) -> str:
    """The volunteer's side, as test_ui_sending does it: the version id sent."""
    token = operator.cli("add-organization", "KGW w Żabnie").strip().splitlines()[-1]
    window.load_demo()
    qtbot.waitUntil(lambda: len(window.applications.home.model.rows) == 2)
    [draft] = [row for row in window.applications.home.model.rows if row.status == "draft"]
    go_to(qtbot, window, Qt.Key.Key_3)
    set_up_sending(qtbot, window, operator.url, token)
    go_to(qtbot, window, Qt.Key.Key_1)
    click_cell(window.applications.home.table, window.applications.home.model.rows.index(draft), 0)
    key(window.applications.home.table, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.applications.editor is not None)
    first_editor = window.applications.editor
    send_from_editor(qtbot, window)
    # After the freeze the editor opens again, read-only.
    qtbot.waitUntil(lambda: window.applications.editor is not first_editor, timeout=10_000)
    go_to(qtbot, window, Qt.Key.Key_3)
    qtbot.waitUntil(
        lambda: (
            window.sending.view.table.rowCount() == 1
            and outbox_row(window, 0)["state"] == "wysłane"
        ),
        timeout=20_000,
    )
    window.writer.flush()
    with Workspace.open(data_dir) as workspace:
        (version,) = workspace.store.versions(draft.id)
    return str(version.id)


@skip_under_wine("Debian's chromium and chromium-driver are Linux programs")
@pytest.mark.slow
def test_a_reviewer_in_chromium_asks_for_corrections_and_the_volunteer_sees_them(
    qtbot: QtBot,
    window: MainWindow,  # noqa: F811
    operator: Operator,  # noqa: F811
    browser: Any,
    shots: Path,
    tmp_path: Path,
) -> None:
    from openpyxl import load_workbook
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support.ui import Select

    version_id = send_the_demo_application(qtbot, window, operator, tmp_path / "data")
    (received,) = operator.store.submissions()
    once = operator.cli("add-staff", REVIEWER, "--role", "reviewer").strip().splitlines()[-1]

    # --- signing in, by keyboard: the one-time password, then her own -------------------
    browser.get(f"{operator.url}/panel/")
    assert "/panel/login" in browser.current_url
    screenshot(browser, shots, "login")
    typed(browser.switch_to.active_element, REVIEWER)  # the address field has the focus
    browser.switch_to.active_element.send_keys(Keys.TAB)
    typed(browser.switch_to.active_element, once)
    navigate(browser, lambda: browser.switch_to.active_element.send_keys(Keys.ENTER))
    assert browser.current_url.endswith("/panel/password")
    typed(browser.find_element(By.ID, "current"), once)
    typed(browser.find_element(By.ID, "new"), NEW_PASSWORD)
    typed(browser.find_element(By.ID, "repeat"), NEW_PASSWORD)
    navigate(browser, lambda: browser.find_element(By.ID, "repeat").send_keys(Keys.ENTER))
    assert browser.current_url.endswith("/panel/")
    screenshot(browser, shots, "calls")

    # --- the call's list, filtered --------------------------------------------------------
    browser.get(f"{operator.url}/panel/calls/{DEMO_CALL_ID}")
    screenshot(browser, shots, "dashboard")
    navigate(browser, lambda: browser.find_element(By.LINK_TEXT, "Lista zgłoszeń").click())
    Select(browser.find_element(By.ID, "status")).select_by_visible_text("do poprawy")
    navigate(browser, lambda: browser.find_element(By.XPATH, "//button[text()='Filtruj']").click())
    assert "Znaleziono: 0" in browser.find_element(By.TAG_NAME, "main").text
    Select(browser.find_element(By.ID, "status")).select_by_visible_text("wpłynęło")
    navigate(browser, lambda: browser.find_element(By.XPATH, "//button[text()='Filtruj']").click())
    assert "Znaleziono: 1" in browser.find_element(By.TAG_NAME, "main").text
    screenshot(browser, shots, "submissions")

    # --- one application: its sum and its printout ----------------------------------------
    navigate(browser, lambda: browser.find_element(By.LINK_TEXT, received.server_id).click())
    assert browser.find_element(By.ID, "control-sum").text == control_sum(received.content_sha256)
    frame = browser.find_element(By.CSS_SELECTOR, "iframe.pdf")
    # What the frame shows, fetched with the browser's own session cookie.
    cookies = {item["name"]: item["value"] for item in browser.get_cookies()}
    pdf = requests.get(frame.get_attribute("src"), cookies=cookies, timeout=60)
    assert pdf.headers["Content-Type"] == "application/pdf"
    (tmp_path / "wydruk.pdf").write_bytes(pdf.content)
    assert control_sum(received.content_sha256) in pdf_text(tmp_path / "wydruk.pdf")
    time.sleep(1)  # the PDF viewer draws the first page
    screenshot(browser, shots, "submission")

    # --- "do poprawy" with a comment, by keyboard -----------------------------------------
    status = browser.find_element(By.ID, "new-status")
    Select(status).select_by_visible_text("do poprawy")
    comment = browser.find_element(By.ID, "comment")
    comment.send_keys(Keys.CONTROL, "a")
    typed(comment, COMMENT)
    comment.send_keys(Keys.TAB)  # to "Zapisz status"
    navigate(browser, lambda: browser.switch_to.active_element.send_keys(Keys.ENTER))
    assert "Status zapisany" in browser.find_element(By.TAG_NAME, "main").text
    assert browser.find_element(By.ID, "current-comment").text == COMMENT

    # --- the committee's spreadsheet ------------------------------------------------------
    browser.get(f"{operator.url}/panel/calls/{DEMO_CALL_ID}/submissions")
    browser.find_element(By.LINK_TEXT, "Eksport XLSX").click()
    deadline = time.monotonic() + 30
    while not list(browser.downloads.glob("*.xlsx")) and time.monotonic() < deadline:
        time.sleep(0.1)
    (saved,) = browser.downloads.glob("*.xlsx")
    time.sleep(0.3)  # the download's rename from .crdownload is its last step
    rows = list(load_workbook(saved).active.iter_rows(values_only=True))
    assert rows[1][0] == received.server_id and rows[1][3] == received.title
    assert rows[1][6] == "do poprawy"
    assert rows[1][4] > 0 and rows[1][5] is not None

    # --- the volunteer's next sync brings the comment home --------------------------------
    qtbot.waitUntil(window.sending.view.send_button.isEnabled, timeout=20_000)
    click(window.sending.view.send_button)
    qtbot.waitUntil(lambda: outbox_row(window, 0)["operator"] == "do poprawy", timeout=20_000)
    assert outbox_row(window, 0)["comment"] == COMMENT
    assert received.submission_id == version_id
    # The round ends before the window closes: a worker still talking to the server
    # while the window and the server go away is not what a person does.
    qtbot.waitUntil(window.sending.view.send_button.isEnabled, timeout=20_000)
