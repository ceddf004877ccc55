"""Make resources/icons/nianbao.ico from nianbao.png: every size Windows asks for, so small icons
(the title bar's 16 px, Explorer's 20–48 px at 100–200 % scaling) are drawn from an image of their
own size instead of being shrunk from 256 px by Windows.

Sizes below 256 are stored as 32-bit bitmaps with an alpha channel (what every Windows tool reads),
256 as PNG (Vista and later). Run: .venv/bin/python packaging/make_icon.py
"""

from __future__ import annotations

import struct
import sys
from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Qt
from PySide6.QtGui import QImage

ROOT = Path(__file__).resolve().parent.parent
SIZES = (16, 20, 24, 32, 40, 48, 64, 256)


def _scaled(source: QImage, size: int) -> QImage:
    image = source.scaled(size, size, Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.SmoothTransformation)
    return image.convertToFormat(QImage.Format.Format_ARGB32)  # BGRA in memory on little-endian machines


def _png(image: QImage) -> bytes:
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    return bytes(data.data())


def _bitmap(image: QImage) -> bytes:
    """A BITMAPINFOHEADER, the BGRA rows bottom-up, and an all-clear AND mask (the alpha channel rules)."""
    width, height = image.width(), image.height()
    rows = [bytes(image.constScanLine(y))[: width * 4] for y in range(height - 1, -1, -1)]
    mask_row = b"\0" * (((width + 31) // 32) * 4)
    header = struct.pack("<IiiHHIIiiII", 40, width, height * 2, 1, 32, 0, 0, 0, 0, 0, 0)
    return header + b"".join(rows) + mask_row * height


def ico(source: QImage, sizes: tuple[int, ...] = SIZES) -> bytes:
    images = []
    for size in sizes:
        image = _scaled(source, size)
        images.append((size, _png(image) if size >= 256 else _bitmap(image)))
    offset = 6 + 16 * len(images)
    directory, blobs = [], []
    for size, blob in images:
        side = 0 if size >= 256 else size  # 0 means 256
        directory.append(struct.pack("<BBBBHHII", side, side, 0, 0, 1, 32, len(blob), offset))
        blobs.append(blob)
        offset += len(blob)
    return struct.pack("<HHH", 0, 1, len(images)) + b"".join(directory) + b"".join(blobs)


def main() -> int:
    source = QImage(str(ROOT / "resources" / "icons" / "nianbao.png"))
    if source.isNull():
        print("cannot read resources/icons/nianbao.png", file=sys.stderr)
        return 1
    (ROOT / "resources" / "icons" / "nianbao.ico").write_bytes(ico(source))
    return 0


if __name__ == "__main__":
    sys.exit(main())
