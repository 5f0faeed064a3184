"""The report's "Załączniki": photos, scans and PDFs, shown as thumbnails.

Each file is a card: a small picture (a photo scaled down, a PDF's first
page, else a document icon), its name and size, a description typed by the
volunteer, and "Usuń". The pictures are made on a worker thread from the
stored copy (QImage is safe off the GUI thread); the window never waits for
the disk.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from PySide6.QtCore import QObject, QRunnable, QSize, Qt, QThreadPool, Signal
from PySide6.QtGui import QImage, QImageReader, QPixmap
from PySide6.QtWidgets import (
    QFileDialog,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from mms_desktop import i18n
from mms_desktop.domain.report import ReportAttachment
from mms_desktop.services.attachments import attachment_path
from mms_desktop.ui.attachments_editor import format_size
from mms_desktop.ui.fields import Binding, TextBinding
from mms_desktop.ui.report_session import ReportSession

THUMBNAIL = QSize(128, 96)
FIELD = "report.attachments"


def ask_files(parent: QWidget) -> list[Path]:
    """The system's file dialog (several files at once); empty when cancelled."""
    names, _filter = QFileDialog.getOpenFileNames(
        parent, i18n.tr("ui.report.attachments.choose_title"), "", i18n.tr("ui.report.files")
    )
    return [Path(name) for name in names]


def thumbnail_image(path: Path, size: QSize) -> QImage:
    """A small picture of the file: an image scaled down, a PDF's first page, else null."""
    reader = QImageReader(str(path))
    if reader.canRead():
        reader.setAutoTransform(True)  # photos from a phone stand upright
        original = reader.size()
        if original.isValid():
            reader.setScaledSize(original.scaled(size, Qt.AspectRatioMode.KeepAspectRatio))
        return reader.read()
    with path.open("rb") as handle:
        is_pdf = handle.read(5) == b"%PDF-"
    if not is_pdf:
        return QImage()
    from PySide6.QtPdf import QPdfDocument  # first use

    document = QPdfDocument()
    try:
        if document.load(str(path)) != QPdfDocument.Error.None_ or document.pageCount() < 1:
            return QImage()
        page = document.pagePointSize(0).toSize().scaled(size, Qt.AspectRatioMode.KeepAspectRatio)
        image: QImage = document.render(0, page)
        return image
    finally:
        document.close()


class _Signals(QObject):
    ready = Signal(str, QImage)  # sha256, picture (null: none could be made)


class _MakeThumbnail(QRunnable):
    def __init__(self, sha256: str, path: Path) -> None:
        super().__init__()
        self.signals = _Signals()
        self._sha256 = sha256
        self._path = path

    def run(self) -> None:
        try:
            image = thumbnail_image(self._path, THUMBNAIL)
        except OSError:
            image = QImage()
        self.signals.ready.emit(self._sha256, image)


class ReportAttachments(QWidget):
    def __init__(self, session: ReportSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self._data_dir = session.data_dir
        self.thumbnails: dict[str, QPixmap | None] = {}  # None: being made
        self.cards: dict[str, QFrame] = {}
        self.bindings: list[Binding] = []
        self._jobs: list[_MakeThumbnail] = []

        intro = QLabel(i18n.tr("ui.report.attachments.intro"))
        intro.setWordWrap(True)
        self.add_button = QPushButton(i18n.tr("ui.report.attachments.add"))
        self.add_button.setObjectName("report_attach")
        self.add_button.setAccessibleName(i18n.tr("ui.report.attachments.add").replace("&", ""))
        self.add_button.clicked.connect(self.ask)
        self.empty = QLabel(i18n.tr("ui.report.attachments.none"))
        self.empty.setObjectName("report_attachments_empty")
        self.empty.setWordWrap(True)
        self._grid = QGridLayout()
        self._grid.setColumnStretch(1, 1)
        top = QHBoxLayout()
        top.addWidget(self.add_button)
        top.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(top)
        layout.addWidget(self.empty)
        layout.addLayout(self._grid)
        layout.addStretch(1)
        session.changed.connect(self._changed)
        self.refresh()

    def _changed(self, what: str) -> None:
        if what in ("attachments", ""):
            self.refresh()

    # --- the cards --------------------------------------------------------------

    def refresh(self) -> None:
        attachments = self.session.report.attachments
        self.add_button.setEnabled(self.session.editable)
        if [item.sha256 for item in attachments] == list(self.cards):
            for binding in self.bindings:
                binding.refresh()
            return
        for card in self.cards.values():
            card.hide()
            card.setParent(None)
            card.deleteLater()
        self.cards.clear()
        self.bindings.clear()
        for row, item in enumerate(attachments):
            card = self._card(item)
            self._grid.addWidget(card, row, 0, 1, 2)
            self.cards[item.sha256] = card
        self.empty.setVisible(not attachments)

    def _card(self, item: ReportAttachment) -> QFrame:
        card = QFrame()
        card.setObjectName(f"report_attachment_{item.sha256}")
        card.setFrameShape(QFrame.Shape.StyledPanel)
        picture = QLabel()
        picture.setObjectName("thumbnail")
        picture.setFixedSize(THUMBNAIL)
        picture.setAlignment(Qt.AlignmentFlag.AlignCenter)
        picture.setAccessibleName(i18n.tr("ui.report.attachments.thumbnail", name=item.name))
        self._show_thumbnail(picture, item.sha256)
        name = QLabel(
            i18n.tr("ui.report.attachments.file", name=item.name, size=format_size(item.size))
        )
        name.setWordWrap(True)
        name.setToolTip(i18n.tr("ui.attachments.hash_tip", sha256=item.sha256))
        name.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        description = QLineEdit()
        description.setObjectName(f"description_{item.sha256}")
        description.setPlaceholderText(i18n.tr("ui.report.attachments.description_hint"))
        description.setReadOnly(not self.session.editable)
        label = QLabel(i18n.tr("ui.report.attachments.description"))
        label.setBuddy(description)
        description.setAccessibleName(
            i18n.tr("ui.report.attachments.description_of", name=item.name)
        )
        sha256 = item.sha256
        self.bindings.append(
            TextBinding(
                description,
                lambda: self._attachment_description(sha256),
                lambda text: self._describe(sha256, text),
            )
        )
        remove = QPushButton(i18n.tr("ui.attachments.remove"))
        remove.setObjectName(f"detach_{item.sha256}")
        remove.setAccessibleName(i18n.tr("ui.attachments.remove_named", name=item.name))
        remove.setEnabled(self.session.editable)
        remove.clicked.connect(lambda _checked=False: self.session.detach(sha256))
        text = QVBoxLayout()
        text.addWidget(name)
        text.addWidget(label)
        text.addWidget(description)
        text.addStretch(1)
        layout = QHBoxLayout(card)
        layout.addWidget(picture)
        layout.addLayout(text, 1)
        layout.addWidget(remove, 0, Qt.AlignmentFlag.AlignTop)
        return card

    def _attachment_description(self, sha256: str) -> str:
        return next(
            (i.description for i in self.session.report.attachments if i.sha256 == sha256), ""
        )

    def _describe(self, sha256: str, text: str) -> None:
        updated = tuple(
            replace(item, description=text) if item.sha256 == sha256 else item
            for item in self.session.report.attachments
        )
        self.session.set_field("attachments", updated)

    # --- thumbnails, made off the GUI thread --------------------------------------

    def _show_thumbnail(self, picture: QLabel, sha256: str) -> None:
        made = self.thumbnails.get(sha256, False)
        if made is False:
            self.thumbnails[sha256] = None
            job = _MakeThumbnail(sha256, attachment_path(self._data_dir, sha256))
            job.signals.ready.connect(self._thumbnail_ready)
            self._jobs.append(job)
            QThreadPool.globalInstance().start(job)
        if isinstance(made, QPixmap):
            picture.setPixmap(made)
        else:
            icon = self.style().standardIcon(QStyle.StandardPixmap.SP_FileIcon)
            picture.setPixmap(icon.pixmap(48, 48))

    def _thumbnail_ready(self, sha256: str, image: QImage) -> None:
        self._jobs = [job for job in self._jobs if job.signals is not self.sender()]
        if image.isNull():
            self.thumbnails[sha256] = None
            return
        pixmap = QPixmap.fromImage(image)
        self.thumbnails[sha256] = pixmap
        card = self.cards.get(sha256)
        picture = card.findChild(QLabel, "thumbnail") if card is not None else None
        if picture is not None:
            picture.setPixmap(pixmap)

    def has_thumbnail(self, sha256: str) -> bool:
        """Whether a real picture of the file (not the icon) is shown."""
        return isinstance(self.thumbnails.get(sha256), QPixmap)

    # --- acting -----------------------------------------------------------------

    def ask(self) -> None:
        if not self.session.editable:
            return
        for path in ask_files(self):
            self.session.attach(path)

    def focus_field(self, path: str) -> bool:
        if path != FIELD and not path.startswith((FIELD + ".", FIELD + "[")):
            return False
        self.add_button.setFocus(Qt.FocusReason.OtherFocusReason)
        return True
