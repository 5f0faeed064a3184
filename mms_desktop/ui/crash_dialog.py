"""An error nobody caught, told to the volunteer in words, with its details one click away.

The window has no console on Windows: an exception in a slot or a worker
thread would go nowhere. ``CrashReporter`` writes its traceback to the log
(``mms_desktop.logs``, redacted) and shows ``CrashDialog``: what happened in
plain Polish, that the typed work is kept, where the log file is, and a
"Kopiuj szczegóły" button that puts the traceback on the clipboard for an
e-mail to whoever helps. The dialog is not modal for the program's life: it
opens and returns, so the window goes on running and autosaving behind it.
Qt's own critical and fatal messages go to the log too.
"""

from __future__ import annotations

import logging
import sys
import threading
import traceback
from pathlib import Path
from types import TracebackType
from typing import Any

from PySide6.QtCore import QMessageLogContext, QObject, Qt, QtMsgType, QUrl, Signal, Slot
from PySide6.QtCore import qInstallMessageHandler as install_qt_messages
from PySide6.QtGui import QDesktopServices, QGuiApplication
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from mms_desktop import i18n, logs

log = logging.getLogger(__name__)
qt_log = logging.getLogger("mms_desktop.qt")


def details_of(kind: type[BaseException], value: BaseException, trace: TracebackType | None) -> str:
    """The traceback as the log keeps it: tokens and personal data cut out."""
    return logs.redact("".join(traceback.format_exception(kind, value, trace)))


class CrashDialog(QDialog):
    def __init__(self, details: str, log_file: Path | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("crash_dialog")
        self.details = details
        self.setWindowTitle(i18n.tr("ui.crash.title"))
        layout = QVBoxLayout(self)
        message = QLabel(i18n.tr("ui.crash.message"))
        message.setWordWrap(True)
        message.setObjectName("crash_message")
        layout.addWidget(message)
        where = (
            i18n.tr("ui.crash.log_at", path=str(log_file))
            if log_file is not None
            else i18n.tr("ui.crash.no_log")
        )
        self.where = QLabel(where)
        self.where.setObjectName("crash_log_path")
        self.where.setWordWrap(True)
        self.where.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.where)
        shown = QPlainTextEdit(details)
        shown.setObjectName("crash_details")
        shown.setReadOnly(True)
        shown.setMaximumHeight(160)
        layout.addWidget(shown)
        buttons = QDialogButtonBox()
        self.copy_button = QPushButton(i18n.tr("ui.crash.copy"))
        self.copy_button.setObjectName("crash_copy")
        self.copy_button.clicked.connect(self.copy_details)
        buttons.addButton(self.copy_button, QDialogButtonBox.ButtonRole.ActionRole)
        if log_file is not None:
            folder = QPushButton(i18n.tr("ui.crash.open_folder"))
            folder.setObjectName("crash_open_folder")
            folder.clicked.connect(
                lambda: QDesktopServices.openUrl(QUrl.fromLocalFile(str(log_file.parent)))
            )
            buttons.addButton(folder, QDialogButtonBox.ButtonRole.ActionRole)
        close = buttons.addButton(
            i18n.tr("ui.crash.back_to_work"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        close.setObjectName("crash_close")
        buttons.accepted.connect(self.accept)
        layout.addWidget(buttons)
        self.resize(560, 360)

    def copy_details(self) -> None:
        QGuiApplication.clipboard().setText(self.details)
        self.copy_button.setText(i18n.tr("ui.crash.copied"))


class CrashReporter(QObject):
    """Installs the hooks; shows one dialog at a time (later errors go to the log only)."""

    # The details, from any thread; Qt queues it to the GUI thread.
    caught = Signal(str)

    def __init__(self, log_file: Path | None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.log_file = log_file
        self.dialog: CrashDialog | None = None
        self._previous: tuple[Any, Any] | None = None
        self.caught.connect(self.show_dialog)

    def install(self) -> None:
        self._previous = (sys.excepthook, threading.excepthook)
        sys.excepthook = self._hook
        threading.excepthook = self._thread_hook

    def uninstall(self) -> None:
        if self._previous is not None:
            sys.excepthook, threading.excepthook = self._previous
            self._previous = None

    def _hook(
        self, kind: type[BaseException], value: BaseException, trace: TracebackType | None
    ) -> None:
        if issubclass(kind, KeyboardInterrupt):
            sys.__excepthook__(kind, value, trace)
            return
        logs.log_uncaught(kind, value, trace)
        self.caught.emit(details_of(kind, value, trace))

    def _thread_hook(self, args: threading.ExceptHookArgs) -> None:
        if args.exc_type is SystemExit:
            return
        logs.log_uncaught_in_thread(args)
        value = args.exc_value or args.exc_type()
        self.caught.emit(details_of(args.exc_type, value, args.exc_traceback))

    @Slot(str)
    def show_dialog(self, details: str) -> None:
        if self.dialog is not None and self.dialog.isVisible():
            return  # one dialog is enough; the log has every traceback
        parent = QApplication.activeWindow()
        self.dialog = CrashDialog(details, self.log_file, parent)
        self.dialog.open()


def log_qt_messages() -> None:
    """Qt's critical and fatal messages (and warnings) into the log, which the window lacks."""

    def handler(kind: QtMsgType, context: QMessageLogContext, message: str) -> None:
        if kind == QtMsgType.QtFatalMsg:
            qt_log.critical("Qt fatal: %s", message)
        elif kind == QtMsgType.QtCriticalMsg:
            qt_log.error("Qt: %s", message)
        elif kind == QtMsgType.QtWarningMsg:
            qt_log.warning("Qt: %s", message)

    install_qt_messages(handler)
