"""Draw the program's icon into resources/icons/: PNGs of every size and a Windows .ico.

    QT_QPA_PLATFORM=offscreen .venv/bin/python installer/make_icons.py

The emblem: a sheet of paper (the application) with a tick, on a meadow-green
disc with a golden rim — a small grant, written and checked at home. Drawn
with QPainter at each size (not scaled down from one picture), so 16 px stays
sharp. The files are committed; run this only to change the icon.
"""

from __future__ import annotations

import os
import struct
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QGuiApplication, QImage, QPainter, QPainterPath, QPen

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "resources" / "icons"
SIZES = (16, 24, 32, 48, 64, 128, 256)
ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)

GREEN = QColor("#2f7d32")
GREEN_DARK = QColor("#1b5e20")
GOLD = QColor("#f2b705")
PAPER = QColor("#fffdf5")
FOLD = QColor("#e3dcc4")
INK = QColor("#c62828")
LINES = QColor("#9e9e9e")


def draw(size: int) -> QImage:
    image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.scale(size / 256, size / 256)  # drawn on a 256 x 256 grid
    small = size <= 24

    # The disc with its golden rim.
    rim = 10 if not small else 16
    painter.setPen(QPen(GOLD, rim))
    painter.setBrush(QBrush(GREEN))
    painter.drawEllipse(QRectF(8 + rim / 2, 8 + rim / 2, 240 - rim, 240 - rim))

    # The sheet with a folded corner.
    left, top, width, height, fold = 70.0, 46.0, 116.0, 152.0, 34.0
    if small:  # a bigger, plainer sheet where pixels are few
        left, top, width, height, fold = 60.0, 38.0, 136.0, 172.0, 40.0
    sheet = QPainterPath()
    sheet.moveTo(left, top)
    sheet.lineTo(left + width - fold, top)
    sheet.lineTo(left + width, top + fold)
    sheet.lineTo(left + width, top + height)
    sheet.lineTo(left, top + height)
    sheet.closeSubpath()
    painter.setPen(QPen(GREEN_DARK, 4 if not small else 8))
    painter.setBrush(QBrush(PAPER))
    painter.drawPath(sheet)
    corner = QPainterPath()
    corner.moveTo(left + width - fold, top)
    corner.lineTo(left + width - fold, top + fold)
    corner.lineTo(left + width, top + fold)
    corner.closeSubpath()
    painter.setBrush(QBrush(FOLD))
    painter.drawPath(corner)

    # Lines of text, left out at the smallest sizes.
    if not small:
        painter.setPen(QPen(LINES, 8, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap))
        for number, y in enumerate((82.0, 104.0, 126.0)):
            right = left + width - (46 if number == 0 else 20)
            painter.drawLine(QPointF(left + 18, y), QPointF(right, y))

    # The tick.
    tick = QPainterPath()
    base_y = top + height - 44
    tick.moveTo(left + 26, base_y - 8)
    tick.lineTo(left + 52, base_y + 18)
    tick.lineTo(left + width - 18, base_y - 42)
    painter.setPen(
        QPen(
            INK,
            22 if small else 16,
            Qt.PenStyle.SolidLine,
            Qt.PenCapStyle.RoundCap,
            Qt.PenJoinStyle.RoundJoin,
        )
    )
    painter.setBrush(Qt.BrushStyle.NoBrush)
    painter.drawPath(tick)
    painter.end()
    return image


def png_bytes(image: QImage) -> bytes:
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    buffer.close()
    return bytes(data.data())


def ico(images: dict[int, bytes]) -> bytes:
    """A Windows .ico holding each size as PNG (Windows Vista and later read these)."""
    header = struct.pack("<HHH", 0, 1, len(images))
    offset = 6 + 16 * len(images)
    entries, blobs = b"", b""
    for size, blob in sorted(images.items()):
        side = 0 if size >= 256 else size  # 0 means 256
        entries += struct.pack("<BBBBHHII", side, side, 0, 0, 1, 32, len(blob), offset)
        blobs += blob
        offset += len(blob)
    return header + entries + blobs


def main() -> None:
    app = QGuiApplication(sys.argv[:1])
    OUT.mkdir(parents=True, exist_ok=True)
    rendered = {size: png_bytes(draw(size)) for size in SIZES}
    for size, blob in rendered.items():
        (OUT / f"mms-desktop-{size}.png").write_bytes(blob)
    (OUT / "mms-desktop.ico").write_bytes(ico({size: rendered[size] for size in ICO_SIZES}))
    print(f"wrote {len(rendered)} PNGs and mms-desktop.ico to {OUT.relative_to(ROOT)}")
    del app


if __name__ == "__main__":
    main()
