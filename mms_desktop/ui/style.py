"""Shared looks: headings and the colours the window uses, each named once.

``WARNING_COLOUR`` is the one colour of "needs attention" (a refused value,
a broken limit, a failed send): a dark red that reads on white on an old
screen. It is never the only signal: the text says what is wrong, often
with "⚠" and in bold, for people who do not see the colour.
"""

from __future__ import annotations

from PySide6.QtWidgets import QLabel

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
NOTE_STYLE = "background: #f3f6fb; border: 1px solid #c5d3e8; padding: 8px; color: #1b1b1b;"


def make_heading(label: QLabel) -> QLabel:
    """A page's title: larger and bold (kept so when the text size changes)."""
    label.setProperty("heading", True)
    font = label.font()
    font.setPointSizeF(font.pointSizeF() * HEADING_SCALE)
    font.setBold(True)
    label.setFont(font)
    return label
