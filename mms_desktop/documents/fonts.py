"""DejaVu Sans for every PDF: the built-in PDF fonts have no ą ć ę ł ń ś ź ż.

The four faces ship in ``resources/fonts`` (with their licence) and are
registered with reportlab once per process, as one family, so ``<b>`` and
``<i>`` in paragraphs pick the bold and oblique faces. Fonts are embedded
(subset) in every PDF, so a printout looks the same on any computer.
"""

from __future__ import annotations

import threading

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from mms_desktop.resources import resource_path

FAMILY = "DejaVuSans"
REGULAR = "DejaVuSans"
BOLD = "DejaVuSans-Bold"
ITALIC = "DejaVuSans-Oblique"
BOLD_ITALIC = "DejaVuSans-BoldOblique"

_FILES = {
    REGULAR: "DejaVuSans.ttf",
    BOLD: "DejaVuSans-Bold.ttf",
    ITALIC: "DejaVuSans-Oblique.ttf",
    BOLD_ITALIC: "DejaVuSans-BoldOblique.ttf",
}
_lock = threading.Lock()
_registered: list[bool] = []


def register_fonts() -> str:
    """Register the DejaVu Sans family (once); returns the regular face's name.

    Safe to call from any thread and as often as wanted: after the first call
    it costs a list lookup.
    """
    if _registered:
        return REGULAR
    with _lock:
        if not _registered:
            known = set(pdfmetrics.getRegisteredFontNames())
            for name, file_name in _FILES.items():
                if name not in known:
                    pdfmetrics.registerFont(TTFont(name, str(resource_path("fonts", file_name))))
            pdfmetrics.registerFontFamily(
                FAMILY, normal=REGULAR, bold=BOLD, italic=ITALIC, boldItalic=BOLD_ITALIC
            )
            _registered.append(True)
    return REGULAR
