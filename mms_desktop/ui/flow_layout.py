"""A row of buttons that continues on the next line when the window is narrow.

On a 1024×600 netbook, or at 150 % text, a row of seven buttons is wider than
the page: in a plain row it would push the page sideways (buttons at the right
out of sight). Here they wrap like words in a sentence, in their order, so Tab
still goes through them left to right, line by line.

A widget that places its own children rather than a QLayout subclass: a layout
written in Python holds layout items that Qt deletes behind its back when a
button goes (a crash later); the buttons themselves are QObjects whose end
PySide follows.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QPoint, QRect, QSize
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QSizePolicy, QWidget

GAP = 16  # what addStretch leaves between two groups of buttons


class ButtonRow(QWidget):
    def __init__(self, spacing: int = 6, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._entries: list[QWidget | int] = []  # a button, or a gap (pixels)
        self._spacing = spacing
        policy = QSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        policy.setHeightForWidth(True)
        self.setSizePolicy(policy)

    def addWidget(self, widget: QWidget) -> None:
        widget.setParent(self)
        widget.installEventFilter(self)  # shown or hidden: the lines change
        self._entries.append(widget)
        self._changed()

    def addStretch(self, _stretch: int = 0) -> None:
        """A gap between two groups (there is no "rest of the line" to stretch into)."""
        self._entries.append(GAP)

    # --- size ---------------------------------------------------------------------------

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        return self._place(width, move=False)

    def sizeHint(self) -> QSize:
        """All on one line, when there is room for that."""
        shown = self._shown()
        width = sum(
            entry if isinstance(entry, int) else entry.sizeHint().width() for entry in shown
        )
        width += self._spacing * max(0, len(shown) - 1)
        return QSize(width, self._line_height())

    def minimumSizeHint(self) -> QSize:
        """The widest button: everything else can go on the next line."""
        widest = max(
            (entry.sizeHint().width() for entry in self._shown() if not isinstance(entry, int)),
            default=0,
        )
        return QSize(widest, self.heightForWidth(max(self.width(), widest)))

    # --- following the buttons ----------------------------------------------------------

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._place(self.width(), move=True)

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.LayoutRequest:  # a button's text or size changed
            self._changed()
        return super().event(event)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in (QEvent.Type.ShowToParent, QEvent.Type.HideToParent):
            self._changed()
        return False

    def _changed(self) -> None:
        self.updateGeometry()
        self._place(self.width(), move=True)

    # --- placing -------------------------------------------------------------------------

    def _shown(self) -> list[QWidget | int]:
        return [entry for entry in self._entries if isinstance(entry, int) or not entry.isHidden()]

    def _line_height(self) -> int:
        return max(
            (entry.sizeHint().height() for entry in self._shown() if not isinstance(entry, int)),
            default=0,
        )

    def _place(self, width: int, move: bool) -> int:
        """Lay the buttons out in lines ``width`` wide; the height that takes."""
        x, y, line_height = 0, 0, 0
        for entry in self._shown():
            if isinstance(entry, int):
                if x > 0:
                    x += entry  # a gap, never at the start of a line
                continue
            size = entry.sizeHint()
            if x + size.width() > width and x > 0:
                x, y, line_height = 0, y + line_height + self._spacing, 0
            if move:
                entry.setGeometry(QRect(QPoint(x, y), size))
            x += size.width() + self._spacing
            line_height = max(line_height, size.height())
        return y + line_height
