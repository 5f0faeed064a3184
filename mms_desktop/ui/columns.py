"""Table columns that take the room left but never less than their titles need.

Kept apart from the editable tables (row_table) so the list of applications,
built at start-up, loads only this.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import QAbstractButton, QHeaderView, QTableView

from mms_desktop import i18n

CORNER_BUTTON = "qt_tableview_cornerbutton"  # Qt's own object name for it


def name_corner_button(view: QTableView) -> None:
    """The button where a table's headers meet selects the whole table: a screen
    reader names it instead of saying an unnamed button."""
    button = view.findChild(QAbstractButton, CORNER_BUTTON)
    if button is not None:
        button.setAccessibleName(i18n.tr("ui.table.corner"))


def title_width(view: QTableView, column: int) -> int:
    """What a column's title needs (its longest line) to be read whole."""
    title = str(view.model().headerData(column, Qt.Orientation.Horizontal) or "")
    metrics = view.horizontalHeader().fontMetrics()
    return max(metrics.horizontalAdvance(part) for part in title.split("\n")) + 14


class StretchWithFloor(QObject):
    """Columns that share the room left, but never narrower than their titles.

    Qt's Stretch mode squeezes a column to a sliver on a narrow screen ("Co się
    wydarzyło" in 27 px); here the column stops at its floor and the table
    scrolls sideways instead. Where there is room, Qt's own Stretch does the work
    (no width set from Python: a list of 1,000 applications would measure its rows
    again for each).
    """

    def __init__(self, view: QTableView, columns: list[int], least: int = 0) -> None:
        super().__init__(view)
        self.view = view
        self.columns = columns
        self.least = least  # pixels, when the column's content needs more than its title
        self._stretching = True
        self._busy = False
        header = view.horizontalHeader()
        for column in columns:
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Stretch)
        view.viewport().installEventFilter(self)
        header.sectionResized.connect(self._resized)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Resize:
            self.fit()
        return False

    def _resized(self, column: int, _old: int, _new: int) -> None:
        if column not in self.columns:  # another column moved: the room left changed
            self.fit()

    def fit(self) -> None:
        if self._busy:
            return
        header = self.view.horizontalHeader()
        others = sum(
            header.sectionSize(column)
            for column in range(header.count())
            if column not in self.columns and not header.isSectionHidden(column)
        )
        share = (self.view.viewport().width() - others) // len(self.columns)
        floors = {
            column: max(title_width(self.view, column), self.least) for column in self.columns
        }
        squeezed = any(share < floor for floor in floors.values())
        if squeezed != self._stretching:
            return  # as it is: stretching with room, or held at the floors without
        self._busy = True
        for column in self.columns:
            if squeezed:
                header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
                self.view.setColumnWidth(column, max(share, floors[column]))
            else:
                header.setSectionResizeMode(column, QHeaderView.ResizeMode.Stretch)
        self._stretching = not squeezed
        self._busy = False
