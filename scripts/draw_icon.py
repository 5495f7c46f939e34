"""Draw the program's icon with QPainter: a ledger sheet with a red seal on a dark red tile.

Writes resources/icons/xinfang.png (256 px, the window and the Linux desktop entry) and xinfang.ico
(Windows: the .exe, the Start-menu entry and the shortcut). Run it again after changing the drawing:
    QT_QPA_PLATFORM=offscreen python scripts/draw_icon.py
"""

from __future__ import annotations

import sys
from math import cos, pi, sin
from pathlib import Path

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QGuiApplication, QImage, QPainter, QPainterPath, QPen

OUT = Path(__file__).resolve().parent.parent / "resources" / "icons"


def draw(size: int) -> QImage:
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    p = QPainter(image)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    p.scale(size / 256, size / 256)
    # the tile
    p.setPen(Qt.PenStyle.NoPen)
    p.setBrush(QColor("#9e1b1b"))
    p.drawRoundedRect(QRectF(8, 8, 240, 240), 44, 44)
    # the sheet, its header band and the ledger's rows
    p.setBrush(QColor("#fbf8f1"))
    p.drawRoundedRect(QRectF(52, 36, 152, 184), 10, 10)
    p.setBrush(QColor("#d9cfbd"))
    p.drawRect(QRectF(68, 58, 120, 14))
    p.setPen(QPen(QColor("#8c8272"), 6, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap))
    for y in (96, 120, 144, 168):
        p.drawLine(QPointF(72, y), QPointF(184 if y < 160 else 130, y))
    # the seal: a red ring with a star, overlapping the sheet's lower right corner
    centre = QPointF(176, 182)
    p.setPen(QPen(QColor("#d42a2a"), 8))
    p.setBrush(QColor(255, 255, 255, 235))
    p.drawEllipse(centre, 36, 36)
    star = QPainterPath()
    for i in range(10):
        r = 20 if i % 2 == 0 else 8
        angle = -pi / 2 + i * pi / 5
        point = QPointF(centre.x() + r * cos(angle), centre.y() + r * sin(angle))
        if i == 0:
            star.moveTo(point)
        else:
            star.lineTo(point)
    star.closeSubpath()
    p.setPen(Qt.PenStyle.NoPen)
    p.setBrush(QBrush(QColor("#d42a2a")))
    p.drawPath(star)
    p.end()
    return image


def main() -> int:
    _app = QGuiApplication(sys.argv[:1])
    OUT.mkdir(parents=True, exist_ok=True)
    if not draw(256).save(str(OUT / "xinfang.png")):
        raise SystemExit("could not write xinfang.png")
    # Qt's ICO writer stores one image; Windows scales 256 px down for small icons well enough
    if not draw(256).save(str(OUT / "xinfang.ico"), "ICO"):
        raise SystemExit("could not write xinfang.ico (is Qt's ico image plugin installed?)")
    print(f"icons written to {OUT}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
