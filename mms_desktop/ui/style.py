"""Shared looks: headings and the colours the window uses, each named once.

``WARNING_COLOUR`` is the one colour of "needs attention" (a refused value,
a broken limit, a failed send): a dark red that reads on white on an old
screen. It is never the only signal: the text says what is wrong, often
with "⚠" and in bold, for people who do not see the colour.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QSize
from PySide6.QtGui import QGuiApplication, QResizeEvent
from PySide6.QtWidgets import QLabel, QSizePolicy, QStackedWidget, QWidget

HEADING_SCALE = 1.3

WARNING_COLOUR = "#a4262c"
WARNING_STYLE = f"color: {WARNING_COLOUR};"
WARNING_BORDER = f"border: 1px solid {WARNING_COLOUR};"
WARNING_BACKGROUND = "#fde7e9"  # behind a figure that does not add up
# A remark that does not block sending: amber, told apart from the red.
REMARK_COLOUR = "#8a5a00"
# The operator asks for something / the operator accepted.
REQUEST_BACKGROUND = "#fff4ce"
ACCEPTED_BACKGROUND = "#e6f2e6"
REQUEST_STYLE = f"background: {REQUEST_BACKGROUND}; padding: 6px;"
WARNING_BANNER_STYLE = (
    f"background: {WARNING_BACKGROUND}; color: {WARNING_COLOUR}; padding: 6px; {WARNING_BORDER}"
)
READ_ONLY_BACKGROUND = "#f3f3f3"
FADED_COLOUR = "#8c8c8c"  # zeros in a table, so the amounts that are there stand out
# A list that has the keyboard says so: a dark blue frame, not only the faint dotted cell.
FOCUS_STYLE = "QAbstractItemView:focus { border: 2px solid #0b5cad; }"
NOTE_STYLE = "background: #f3f6fb; border: 1px solid #c5d3e8; padding: 8px; color: #1b1b1b;"


def make_heading(label: QLabel) -> QLabel:
    """A page's title: larger and bold (kept so when the text size changes)."""
    label.setProperty("heading", True)
    font = label.font()
    font.setPointSizeF(font.pointSizeF() * HEADING_SCALE)
    font.setBold(True)
    label.setFont(font)
    return label


class ScrollHost(QWidget):
    """What a scroll area holds: as large as the view, never smaller than the content needs.

    Without a layout of its own it tells the scroll area no height-for-width.
    Told one, Qt's scroll area lays a page out as tall as its longest wrapped
    label wants (pushing a table's buttons below a netbook's screen), and lays a
    row of wrapped labels out narrower than the labels beside them need.
    ``wrapped``: the content's height follows its width (a row of wrapped
    sentences), so the host asks for the height the content needs at its width;
    ``widest``: the content is never laid out wider (its boxes have a maximum
    width), so its height is measured at that width at most.
    """

    def __init__(self, content: QWidget, wrapped: bool = False, widest: int | None = None) -> None:
        super().__init__()
        self.content = content
        self.wrapped = wrapped
        self.widest = widest
        content.setParent(self)

    def minimumSizeHint(self) -> QSize:
        needed = self.content.minimumSizeHint()
        if self.wrapped and self.content.hasHeightForWidth():
            width = max(self.width(), needed.width())
            if self.widest is not None:
                width = min(width, self.widest)
            needed.setHeight(max(needed.height(), self.content.heightForWidth(width)))
        return needed

    def sizeHint(self) -> QSize:
        return self.minimumSizeHint()

    def resizeEvent(self, event: QResizeEvent) -> None:
        self.content.setGeometry(self.rect())
        super().resizeEvent(event)
        if self.wrapped and self.minimumSizeHint().height() != self.height():
            self.updateGeometry()  # narrower: the sentences take more lines

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.LayoutRequest:  # the content's needs changed
            self.updateGeometry()
        return super().event(event)


# Room for the window manager's frame and title bar around a window.
FRAME_ALLOWANCE = (16, 48)


def fit_to_screen(window: QWidget, width: int, height: int | None = None) -> None:
    """A window (a dialog) at the size it wants, but never past the available screen.

    ``height`` None: as tall as its layout needs at that width (wrapped text included).
    """
    screen = (window.screen() or QGuiApplication.primaryScreen()).availableGeometry()
    width = min(width, screen.width() - FRAME_ALLOWANCE[0])
    if height is None:
        layout = window.layout()
        if layout is not None and layout.hasHeightForWidth():
            height = layout.heightForWidth(width)
        else:
            height = window.sizeHint().height()
        height = max(height, window.minimumSizeHint().height())
    window.resize(width, min(height, screen.height() - FRAME_ALLOWANCE[1]))


class KeepOnScreen(QObject):
    """A dialog whose text grows (a message shown, a warning added) grows with it,
    within the screen, instead of squashing its fields to a few pixels."""

    def __init__(self, dialog: QWidget, width: int) -> None:
        super().__init__(dialog)
        self.dialog = dialog
        fit_to_screen(dialog, width)  # before it is shown: Qt centres it at this size
        dialog.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.LayoutRequest and self.dialog.isVisible():
            layout = self.dialog.layout()
            if (
                layout is not None
                and layout.hasHeightForWidth()
                and layout.heightForWidth(self.dialog.width()) > self.dialog.height()
            ):
                fit_to_screen(self.dialog, self.dialog.width())
        return False


def sized_by_current_page(stack: QStackedWidget) -> QStackedWidget:
    """The stack needs only what the page on show needs.

    Qt sizes a stack by its largest page: the budget's row of buttons would make
    the list of applications scroll sideways on a netbook. Pages not on show are
    left out of the sum (Ignored), and the shown one counts again when shown.
    """

    pages = [page for n in range(stack.count()) if (page := stack.widget(n)) is not None]
    own = {id(page): page.sizePolicy() for page in pages}
    ignored = QSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Ignored)

    def follow(index: int) -> None:
        for number, page in enumerate(pages):
            policy = own.get(id(page), page.sizePolicy())
            page.setSizePolicy(policy if number == index else ignored)
        stack.updateGeometry()

    stack.currentChanged.connect(follow)
    follow(stack.currentIndex())
    return stack
