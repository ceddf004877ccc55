"""A profile (model/profile.py) in Word's units: the page in twips, the grid, the character spacing,
where the footer goes, and the font-table hints that let Word and WPS substitute a font the
machine lacks."""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cached_property
from typing import NamedTuple

from model.profile import GB_T_9704, PAGE_HEIGHT_MM, PAGE_WIDTH_MM, Profile

__all__ = ["GB_T_9704", "FontHint", "Geometry", "Profile", "font_hint", "mm"]

TWIPS_PER_MM = 1440 / 25.4
SINGLE_LINE = 1.3  # a single line of 宋体/仿宋 is 1.3 em high in Word (小四 12 pt → 15.6 pt) and in LibreOffice


def mm(value: float) -> int:
    return round(value * TWIPS_PER_MM)


@dataclass(frozen=True)
class Geometry:
    """The page of a profile in twips (1/20 pt)."""

    profile: Profile

    page_width = mm(PAGE_WIDTH_MM)  # 11906
    page_height = mm(PAGE_HEIGHT_MM)  # 16838
    header_distance = mm(15)  # no header is written; kept inside the top margin

    @cached_property
    def margins(self) -> tuple[int, int, int, int]:
        """Top, bottom, left, right."""
        p = self.profile
        return mm(p.margin_top), mm(p.margin_bottom), mm(p.margin_left), mm(p.margin_right)

    @cached_property
    def text_width(self) -> int:
        """The type area's width (156 mm: 8844): tables fill it exactly."""
        return mm(self.profile.text_width_mm)

    @cached_property
    def line_pitch(self) -> int:
        """Exact line spacing: the most that still gives ``lines_per_page`` lines (579 for 22 in 225 mm;
        580 fits only 21)."""
        return mm(self.profile.text_height_mm) // self.profile.lines_per_page

    @cached_property
    def char_spacing(self) -> int:
        """Character spacing of body text, in twentieths of a point (negative: condensed), that makes
        ``chars_per_line`` characters fit the line: −5 (−0.25 pt) for GB/T 9704."""
        return math.floor(self.text_width / self.profile.chars_per_line - self.profile.body_size * 20)

    @cached_property
    def char_twips(self) -> int:
        """One character of body text in twips: what an indent of one character is."""
        return round(self.text_width / self.profile.chars_per_line)

    @cached_property
    def char_advance(self) -> float:
        """How far one Chinese character of body text moves the pen, in points (15.75 for GB/T 9704)."""
        return self.profile.body_size + self.char_spacing / 20

    @cached_property
    def page_number_line(self) -> int:
        """The page number's line, exactly one single line of its font (so Word and LibreOffice agree)."""
        return round(SINGLE_LINE * self.profile.page_number_size * 20)

    @cached_property
    def footer_distance(self) -> int:
        """From the page's lower edge to the foot of the page-number line: its top (the top of the
        dashes) lies ``page_number_gap`` below the type area (GB/T 9704 7.5.2: 7 mm)."""
        p = self.profile
        return mm(p.margin_bottom - p.page_number_gap) - self.page_number_line


class FontHint(NamedTuple):
    """What Word's font table says of a font: a name to fall back on and the classification Word and
    WPS use to pick a substitute when the font is missing."""

    alt: str | None
    panose: str
    charset: str  # 86 = GB2312 (134), 00 = ANSI
    family: str
    pitch: str
    sig: tuple[str, str, str, str, str, str] | None  # usb0..usb3, csb0, csb1


_GB2312_SIG = ("00000001", "080E0000", "00000010", "00000000", "00040000", "00000000")
_SONG = FontHint("SimSun", "02010600030101010101", "86", "auto", "variable",
                 ("00000003", "288F0000", "00000016", "00000000", "00040001", "00000000"))
_FANGSONG = FontHint("FangSong", "02010609060101010101", "86", "modern", "fixed",
                     ("800002BF", "38CF7CFA", "00000016", "00000000", "00040001", "00000000"))
_KAITI = FontHint("KaiTi", "02010609060101010101", "86", "modern", "fixed",
                  ("800002BF", "38CF7CFA", "00000016", "00000000", "00040001", "00000000"))
_HEITI = FontHint("SimHei", "02010609060101010101", "86", "modern", "fixed",
                  ("800002BF", "38CF7CFA", "00000016", "00000000", "00040001", "00000000"))

FONT_HINTS: dict[str, FontHint] = {
    # stock Windows 10/11 has 仿宋, 楷体, 黑体 and 宋体 but not the _GB2312 fonts nor 方正小标宋简体:
    # each names the stock font it should fall back on, with that font's classification
    "仿宋_GB2312": _FANGSONG._replace(alt="仿宋", panose="02010609030101010101", sig=_GB2312_SIG),
    "楷体_GB2312": _KAITI._replace(alt="楷体", panose="02010609030101010101", sig=_GB2312_SIG),
    "方正小标宋简体": _SONG._replace(alt="宋体"),
    "仿宋": _FANGSONG,
    "楷体": _KAITI,
    "黑体": _HEITI,
    "宋体": _SONG,
    "Times New Roman": FontHint(None, "02020603050405020304", "00", "roman", "variable",
                                ("E0002EFF", "C000785B", "00000009", "00000000", "400001FF", "FFFF0000")),
}
# a font a local profile names (方正仿宋_GBK, 华文中宋 …): the stock font of its style
_STYLE_FALLBACKS = (("仿宋", "仿宋", _FANGSONG), ("楷", "楷体", _KAITI), ("黑", "黑体", _HEITI), ("宋", "宋体", _SONG))


def font_hint(name: str) -> FontHint:
    known = FONT_HINTS.get(name)
    if known is not None:
        return known
    for part, alt, hint in _STYLE_FALLBACKS:
        if part in name:
            return hint._replace(alt=alt)
    if name.isascii():
        return FontHint(None, "00000000000000000000", "00", "auto", "variable", None)
    return _SONG._replace(alt="宋体")  # another Chinese font: 宋体 is on every machine
