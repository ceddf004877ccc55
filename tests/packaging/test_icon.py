"""The program's .ico carries every size Windows draws (small icons are not shrunk from 256 px by Windows)."""

from __future__ import annotations

import struct

from tests.conftest import ROOT

ICON = ROOT / "resources" / "icons" / "nianbao.ico"
SIZES = [16, 20, 24, 32, 40, 48, 64, 256]


def test_the_icon_has_every_size_and_each_image_is_that_size(qapp):
    from PySide6.QtGui import QImageReader

    data = ICON.read_bytes()
    reserved, kind, count = struct.unpack_from("<HHH", data)
    assert (reserved, kind) == (0, 1)
    entries = [struct.unpack_from("<BBBBHHII", data, 6 + 16 * index) for index in range(count)]
    assert sorted(width or 256 for width, *_ in entries) == SIZES
    for width, height, _, _, planes, bits, size, offset in entries:
        assert width == height and planes == 1 and bits == 32 and offset + size <= len(data)
    reader = QImageReader(str(ICON))
    assert reader.imageCount() == len(SIZES)
    found = []
    for index in range(reader.imageCount()):
        reader.jumpToImage(index)
        image = reader.read()
        assert image.hasAlphaChannel()
        assert image.pixelColor(0, 0).alpha() == 0  # the rounded corner is transparent
        assert image.pixelColor(image.width() // 2, image.height() // 5).red() > 150  # the red tile
        found.append(image.width())
    assert sorted(found) == SIZES


def test_the_icon_is_what_make_icon_makes(qapp):
    """Regenerated from nianbao.png, it is the committed file (so the two cannot drift apart)."""
    import sys

    from PySide6.QtGui import QImage

    sys.path.insert(0, str(ROOT / "packaging"))
    from make_icon import ico

    assert ico(QImage(str(ROOT / "resources" / "icons" / "nianbao.png"))) == ICON.read_bytes()
