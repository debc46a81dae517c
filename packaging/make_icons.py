"""Render the SVG application icon to the PNG sizes desktops ask for.

    QT_QPA_PLATFORM=offscreen python packaging/make_icons.py [OUT_DIR]   (default build/icons)
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication, QImage, QPainter
from PySide6.QtSvg import QSvgRenderer

ROOT = Path(__file__).resolve().parent.parent
SVG = ROOT / "resources" / "icons" / "transcript-reader.svg"
SIZES = (16, 24, 32, 48, 64, 128, 256, 512)


def main() -> None:
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "build" / "icons"
    out.mkdir(parents=True, exist_ok=True)
    _app = QGuiApplication([])
    renderer = QSvgRenderer(str(SVG))
    for size in SIZES:
        image = QImage(size, size, QImage.Format.Format_ARGB32)
        image.fill(Qt.GlobalColor.transparent)
        painter = QPainter(image)
        renderer.render(painter)
        painter.end()
        image.save(str(out / f"transcript-reader-{size}.png"))
    (out / "transcript-reader.png").write_bytes((out / "transcript-reader-256.png").read_bytes())
    print(f"icons in {out}")


if __name__ == "__main__":
    main()
