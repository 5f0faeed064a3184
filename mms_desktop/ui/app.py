"""Starting the window: Qt first, then the store; problems told in words.

A damaged store is never opened: the recovery dialog offers the newest good
backup (or an empty start with the damaged file set aside), or closes the
program touching nothing. A store from a newer program, a read-only or full
disk are told in words and the program closes.
"""

from __future__ import annotations

import gc
import os
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication

from mms_desktop import collector, i18n
from mms_desktop.resources import resource_path
from mms_desktop.services.errors import UserError
from mms_desktop.services.records import FolderInUseError, StoreCorruptError, StoreError
from mms_desktop.ui.qt_language import use_qt_language
from mms_desktop.ui.writer import error_message

if TYPE_CHECKING:
    from mms_desktop.services.workspace import WorkspaceOpening
    from mms_desktop.ui.main_window import MainWindow

EXIT_STORE = 3

# The start-up benchmark's probe: the program starts as a volunteer's does, shows
# its window, paints it once, prints "ready rows=N cpu_ms=T collector=on|off" (whether
# Python's cycle collector is back on, see mms_desktop.collector) and closes (exit 0).
SHOW_ONCE = "MMS_DESKTOP_SHOW_ONCE"


def app_icon() -> QIcon:
    """The program's emblem in every size drawn (resources/icons/mms-desktop-SIZE.png)."""
    icon = QIcon()
    for path in sorted(resource_path("icons").glob("mms-desktop-*.png")):
        icon.addFile(str(path))
    return icon


def open_window(
    data_dir: Path, language: str | None = None, opening: WorkspaceOpening | None = None
) -> MainWindow | None:
    """The main window on ``data_dir``, after recovering a damaged store if the user
    chooses; None when the program should close (the reason was told in words).

    ``opening``: the store already being opened (the program's start); after a
    recovery the store is opened again here.
    """
    from mms_desktop.ui.main_window import MainWindow

    recovered: str | None = None
    while True:
        try:
            window = MainWindow(data_dir, language=language, opening=opening)
        except StoreCorruptError as error:
            if recovered is not None:  # still damaged after a restore: no loop
                _cannot_open(error, data_dir)
                return None
            from mms_desktop.ui.recovery_dialog import RecoveryDialog  # only when needed

            collector.let_go()  # no quick start to keep now: the person decides, unhurried
            dialog = RecoveryDialog(data_dir, error.detail)
            if not dialog.exec() or dialog.outcome is None:
                return None
            recovered = dialog.outcome
            opening = None
            continue
        except (StoreError, UserError) as error:
            _cannot_open(error, data_dir)
            return None
        break
    if recovered is not None:
        window.show_notice(recovered)
    return window


def _cannot_open(error: Exception, data_dir: Path) -> None:
    """Why the window cannot open, in words (the program then closes)."""
    from PySide6.QtWidgets import QMessageBox  # only here: a good start builds no message box

    QMessageBox.critical(None, i18n.tr("ui.window_title"), error_message(error, data_dir))


def _application() -> QApplication:
    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication(sys.argv[:1])
    app.setApplicationName("mms-desktop")
    app.setApplicationDisplayName(i18n.tr("ui.window_title"))
    app.setWindowIcon(app_icon())
    # Before any dialog (a damaged store's, a second copy's); the window sets it
    # again once it knows the language chosen in its menu.
    use_qt_language(i18n.language())
    return app


def refuse_second_copy(error: FolderInUseError, exit_code: int) -> int:
    """Another copy has this data folder: say so and close, having opened nothing."""
    from PySide6.QtWidgets import QMessageBox  # only here: a good start builds no message box

    _application()
    key = "ui.second_copy.window" if error.by_window else "ui.second_copy.command"
    box = QMessageBox(
        QMessageBox.Icon.Information,
        i18n.tr("ui.window_title"),
        i18n.tr(key, path=str(error.folder)),
    )
    box.setObjectName("second_copy")
    box.exec()
    return exit_code


def run(
    data_dir: Path,
    language: str | None = None,
    log_file: Path | None = None,
    opening: WorkspaceOpening | None = None,
) -> int:
    from mms_desktop.ui.crash_dialog import CrashReporter, log_qt_messages

    app = _application()
    log_qt_messages()
    reporter = CrashReporter(log_file, app)
    reporter.install()
    try:
        window = open_window(data_dir, language, opening)
        if window is None:
            return EXIT_STORE
        window.show()
        collector.let_go()  # held back since the start (mms_desktop.collector)
        if os.environ.get(SHOW_ONCE):
            return _shown_once(app, window)
        return int(app.exec())
    finally:
        reporter.uninstall()  # what escapes from here the command line logs, then Python says


def _shown_once(app: QApplication, window: MainWindow) -> int:
    app.processEvents()  # the first paint
    rows = window.applications.home.model.rowCount()
    # The processor time of all threads so far: what the start cost, on a loaded machine too.
    collecting = "on" if gc.isenabled() else "off"
    print(
        f"ready rows={rows} cpu_ms={time.process_time() * 1000:.1f} collector={collecting}",
        flush=True,
    )
    window.close()
    return 0
