"""Qt's own words in the program's language: the buttons of message boxes, file
dialogs, the print dialog, the context menu of every text field, the calendar.

Qt ships its Polish translation (qtbase_pl.qm) in the PySide6 wheel and in the
frozen build (installer/mms-desktop.spec keeps the "qt" and "qtbase" files of
the program's languages); without loading it a Polish window says "Cancel".
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

log = logging.getLogger(__name__)

NAME = "qt_translation"


def use_qt_language(language: str) -> None:
    """Qt's texts and its dates and numbers (the calendar's months) in ``language``."""
    app = QCoreApplication.instance()
    if app is None:
        return
    locale = QLocale(language)
    QLocale.setDefault(locale)
    for old in app.findChildren(QTranslator, NAME):
        app.removeTranslator(old)
        old.deleteLater()
    if language == "en":
        return  # Qt's texts are written in English
    translator = QTranslator(app)
    translator.setObjectName(NAME)
    folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    if translator.load(locale, "qtbase", "_", folder):
        app.installTranslator(translator)
    else:  # a damaged install: English buttons, not a failed start
        log.warning("Qt's %s translation is missing in %s", language, folder)
        translator.deleteLater()
