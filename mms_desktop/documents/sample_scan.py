"""A one-page PDF standing in for a scanned document (the demo's attachments)."""

from __future__ import annotations

from io import BytesIO

from reportlab.lib.pagesizes import A4
from reportlab.pdfgen.canvas import Canvas

from mms_desktop.documents.fonts import BOLD, register_fonts


def sample_scan(title: str, lines: list[str]) -> bytes:
    """A heading and lines of text on an A4 page; the same bytes for the same words."""
    regular = register_fonts()
    buffer = BytesIO()
    canvas = Canvas(buffer, pagesize=A4, invariant=1)
    canvas.setFont(BOLD, 14)
    canvas.drawString(72, 770, title)
    canvas.setFont(regular, 11)
    for number, line in enumerate(lines):
        canvas.drawString(72, 740 - 18 * number, line)
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()
