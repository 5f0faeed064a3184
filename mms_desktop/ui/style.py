"""Shared looks: headings and the colours that mean "needs attention"."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel

HEADING_SCALE = 1.3
PROBLEM_COLOUR = "#a4262c"


def make_heading(label: QLabel) -> QLabel:
    """A page's title: larger and bold (kept so when the text size changes)."""
    label.setProperty("heading", True)
    font = label.font()
    font.setPointSizeF(font.pointSizeF() * HEADING_SCALE)
    font.setBold(True)
    label.setFont(font)
    return label
