"""Starting the window: Qt first, then the store; problems told in words."""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtWidgets import QApplication, QMessageBox

from mms_desktop import i18n
from mms_desktop.services.errors import UserError
from mms_desktop.storage.errors import StoreError
from mms_desktop.ui.writer import error_message

EXIT_STORE = 3


def run(data_dir: Path, language: str | None = None) -> int:
    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication(sys.argv[:1])
    app.setApplicationName("mms-desktop")
    app.setApplicationDisplayName(i18n.tr("ui.window_title"))
    from mms_desktop.ui.main_window import MainWindow

    try:
        window = MainWindow(data_dir, language=language)
    except (StoreError, UserError) as error:
        QMessageBox.critical(None, i18n.tr("ui.window_title"), error_message(error, data_dir))
        return EXIT_STORE
    window.show()
    return int(app.exec())
