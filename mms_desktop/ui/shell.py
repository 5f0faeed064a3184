"""What every page controller may ask of the window: the data, the writer, the pages.

The main window is a ``Shell``; the controllers (applications, organisations,
reports, sending, printing, backups, bundles, settings) know it only as one,
never as the main window, so none of them imports the module that wires them.
"""

from __future__ import annotations

from pathlib import Path
from typing import Protocol

from PySide6.QtCore import QByteArray, QObject, Qt
from PySide6.QtGui import QFont, QGuiApplication, QUndoStack
from PySide6.QtWidgets import (
    QApplication,
    QFrame,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QMainWindow,
    QScrollArea,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from mms_desktop import i18n
from mms_desktop.services.workspace import Workspace, WorkspaceOpening
from mms_desktop.ui.qt_language import use_qt_language
from mms_desktop.ui.style import FRAME_ALLOWANCE, HEADING_SCALE, WARNING_BANNER_STYLE, ScrollHost
from mms_desktop.ui.unsaved import notifier, waiting
from mms_desktop.ui.writer import StoreWriter

TEXT_SCALES = (1.0, 1.25, 1.5)
# The size the pages are laid out for; a smaller screen gets the window maximised.
PREFERRED_SIZE = (1280, 740)


class FrozenVersion(Protocol):
    """What the window says of a version just frozen (an application's or a report's)."""

    @property
    def number(self) -> int: ...

    @property
    def sha256(self) -> str: ...


class Shell(QMainWindow):
    """The window's frame: navigation, pages, the banner, the status bar, the text size."""

    APPLICATIONS, ORGANIZATION, SENDING, REPORTS = range(4)

    def __init__(
        self,
        data_dir: Path,
        language: str | None = None,
        opening: WorkspaceOpening | None = None,
    ) -> None:
        super().__init__()
        # The store opened while Qt loaded (the program's start), or opened now.
        self.workspace = opening.result() if opening is not None else Workspace.open(data_dir)
        # The language chosen in the menu last time, unless --language says otherwise.
        chosen = language or self.workspace.setting("language")
        if chosen in i18n.LANGUAGES:
            i18n.set_language(chosen)
        use_qt_language(i18n.language())
        self.data_open = True
        self.writer = self.start_writer()
        self.undo = QUndoStack(self)
        self._base_font_size = self._base_font()
        self.text_scale = 1.0
        self.setWindowTitle(i18n.tr("ui.window_title"))
        self.place_on_screen()

    # --- the data and its one writer ----------------------------------------------

    def start_writer(self) -> StoreWriter:
        writer = StoreWriter(self.workspace.data_dir.root)
        writer.queued.connect(self.show_save_state)
        writer.saved.connect(lambda _remaining: self.show_save_state())
        writer.failed.connect(self._failed)
        return writer

    def retire_session(self, session: QObject | None) -> None:
        """Another profile or application takes the editor: its undo steps go with it.

        Undo steps hold the session they were made in; kept on the stack, Ctrl+Z
        would change a record no longer on screen.
        """
        self.undo.clear()
        if session is not None:
            session.deleteLater()  # also ends its connection to the writer

    # --- the frame ----------------------------------------------------------------

    def build_frame(self) -> None:
        """The navigation, the stack of pages and the banner above them."""
        self.navigation = QListWidget()
        self.navigation.setObjectName("navigation")
        self.navigation.setAccessibleName(i18n.tr("ui.nav.name"))
        self.navigation.setMaximumWidth(140)
        self.pages = QStackedWidget()
        self.banner = QLabel()
        self.banner.setObjectName("banner")
        self.banner.setWordWrap(True)
        self.banner.setStyleSheet(WARNING_BANNER_STYLE)
        self.banner.hide()
        central = QWidget()
        right = QVBoxLayout()
        right.addWidget(self.banner)
        # A page wider or taller than a small screen scrolls instead of pushing the
        # window (and its buttons) past the screen's edge.
        self.page_area = QScrollArea()
        self.page_area.setObjectName("page_area")
        self.page_area.setWidgetResizable(True)
        self.page_area.setFrameShape(QFrame.Shape.NoFrame)
        self.page_area.setWidget(ScrollHost(self.pages))
        right.addWidget(self.page_area, 1)
        layout = QHBoxLayout(central)
        layout.addWidget(self.navigation)
        layout.addLayout(right, 1)
        self.setCentralWidget(central)

    def add_page(self, name_key: str, page: QWidget) -> None:
        """A page and its entry in the navigation, in the order of the page numbers."""
        self.navigation.addItem(i18n.tr(name_key))
        self.pages.addWidget(page)

    def go_to(self, page: int) -> None:
        self.navigation.setCurrentRow(page)

    def current_page(self) -> int:
        return self.pages.currentIndex()

    def build_status(self) -> None:
        self.save_status = QLabel(i18n.tr("ui.status.saved"))
        self.save_status.setObjectName("save_status")
        self.statusBar().addPermanentWidget(self.save_status)
        notifier().changed.connect(self.show_save_state)  # typing starts or stops waiting
        self.outbox_status = QLabel()  # what waits to be sent (the Sending page fills it in)
        self.outbox_status.setObjectName("outbox_status")
        self.statusBar().addPermanentWidget(self.outbox_status)

    # --- telling the volunteer ------------------------------------------------------

    def say(self, text: str, milliseconds: int = 0) -> None:
        """A line in the status bar (kept until replaced when no time is given)."""
        self.statusBar().showMessage(text, milliseconds)

    def say_frozen(self, key: str, version: FrozenVersion) -> None:
        """A version just frozen and queued: its number and control sum, for 15 s."""
        from mms_desktop.domain.canonical import control_sum

        self.banner.hide()
        text = i18n.tr(key, number=version.number, control_sum=control_sum(version.sha256))
        self.say(text, 15000)

    def show_problem(self, message: str) -> None:
        self.banner.setText(message)
        self.banner.show()

    def show_notice(self, text: str) -> None:
        """What the program did on its own (a restore), kept in the status bar."""
        self.say(text)

    def show_save_state(self) -> None:
        """ "Saved" only when the store has it all: nothing typed waits, nothing is queued."""
        if not self.data_open:
            return
        typed = waiting(self)
        if any(edit.refused for edit in typed):
            text = i18n.tr("ui.status.unsaved_input")
        elif typed or self.writer.pending:  # the live count: later saves may be queued
            text = i18n.tr("ui.status.saving")
        else:
            text = i18n.tr("ui.status.saved")
        self.save_status.setText(text)

    def _failed(self, message: str) -> None:
        self.save_status.setText(i18n.tr("ui.status.not_saved"))
        self.show_problem(i18n.tr("ui.status.failed", message=message))

    # --- the window's place on the screen ------------------------------------------

    def _geometry_key(self) -> str:
        """One remembered place per screen size: a laptop on a projector gets its own."""
        size = (self.screen() or QGuiApplication.primaryScreen()).size()
        return f"window_geometry.{size.width()}x{size.height()}"

    def place_on_screen(self) -> None:
        """Where the window was last time on this screen, else the preferred size
        centred, else (a netbook) maximised: never larger than the screen."""
        saved = self.workspace.setting(self._geometry_key())
        # restoreGeometry moves a window that would be off screen back onto it.
        if saved and self.restoreGeometry(QByteArray.fromBase64(saved.encode("ascii"))):
            return
        screen = (self.screen() or QGuiApplication.primaryScreen()).availableGeometry()
        width, height = PREFERRED_SIZE
        if (
            width + FRAME_ALLOWANCE[0] > screen.width()
            or height + FRAME_ALLOWANCE[1] > screen.height()
        ):
            self.resize(
                min(width, screen.width() - FRAME_ALLOWANCE[0]),
                min(height, screen.height() - FRAME_ALLOWANCE[1]),
            )
            self.setWindowState(Qt.WindowState.WindowMaximized)
            return
        self.resize(width, height)
        self.move(screen.center() - self.rect().center())

    def remember_place(self) -> None:
        """The size, place and maximised state, kept for this screen size."""
        key = self._geometry_key()
        value = bytes(self.saveGeometry().toBase64().data()).decode("ascii")
        self.writer.submit(lambda workspace: workspace.set_setting(key, value))

    # --- the text size --------------------------------------------------------------

    @staticmethod
    def _base_font() -> float:
        """The system's text size, kept once per program: a window opened again in the
        same program (a test, a restart of the shell) starts from it, not from the
        size the last one scaled the fonts to."""
        app = QApplication.instance()
        base = app.property("base_font_size") if app is not None else None
        if base is None:
            base = QApplication.font().pointSizeF()
            if app is not None:
                app.setProperty("base_font_size", base)
        elif QApplication.font().pointSizeF() != base:
            font = QApplication.font()
            font.setPointSizeF(float(base))
            QApplication.setFont(font)
        return float(base)

    def apply_text_scale(self, scale: float) -> None:
        scale = min(TEXT_SCALES, key=lambda known: abs(known - scale))
        self.text_scale = scale
        font = QApplication.font()
        font.setPointSizeF(self._base_font_size * scale)
        QApplication.setFont(font)
        heading = QFont(font)
        heading.setPointSizeF(font.pointSizeF() * HEADING_SCALE)
        heading.setBold(True)
        for widget in QApplication.allWidgets():
            widget.setFont(heading if widget.property("heading") else font)

    def fit_text_scale(self) -> None:
        """Widgets just built (an editor) take the chosen text size too."""
        if self.text_scale != 1.0:
            self.apply_text_scale(self.text_scale)
