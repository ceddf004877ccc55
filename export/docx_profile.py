"""The page and the fonts of the Word output. GB/T 9704 is the default; a local 公开办's own
house style (other fonts, margins, line pitch) is another Profile, a change of data only."""

from __future__ import annotations

import math
from dataclasses import dataclass

TWIPS_PER_MM = 1440 / 25.4


def mm(value: float) -> int:
    return round(value * TWIPS_PER_MM)


@dataclass(frozen=True)
class Profile:
    name: str = "GB/T 9704"
    page_width: int = 11906  # twips (A4 portrait)
    page_height: int = 16838
    margin_top: int = 2098  # 37 mm
    margin_bottom: int = 1984  # 35 mm
    margin_left: int = 1587  # 28 mm
    margin_right: int = 1474  # 26 mm
    header_distance: int = 851  # 15 mm
    footer_distance: int = 992  # 17.5 mm: the page number sits 7 mm below the type area
    text_width: int = 8844  # twips: the 156 mm type area (tables fill it exactly)
    chars_per_line: int = 28
    line_pitch: int = 579  # twips: 22 lines in the 225 mm type area (580 fits only 21)
    latin_font: str = "Times New Roman"
    title_font: str = "方正小标宋简体"
    title_size: float = 22  # 二号
    body_font: str = "仿宋_GB2312"
    body_size: float = 16  # 三号
    heading1_font: str = "黑体"
    heading2_font: str = "楷体_GB2312"
    page_number_font: str = "宋体"
    page_number_size: float = 14  # 四号
    table_font: str = "仿宋_GB2312"
    table_size: float = 10.5  # 五号
    narrow_table_size: float = 9  # 小五, table 四's 15 columns
    table_cell_margin: int = 34  # 0.6 mm left and right: six digits fit a number column

    @property
    def char_spacing(self) -> int:
        """Character spacing of body text, in twentieths of a point (negative: condensed), that makes
        ``chars_per_line`` characters of ``body_size`` fit the line: −5 (−0.25 pt) for GB/T 9704."""
        pitch_twentieths = self.text_width / self.chars_per_line  # twips = twentieths of a point
        return math.floor(pitch_twentieths - self.body_size * 20)

    @property
    def char_twips(self) -> int:
        """One character of body text in twips, on the grid."""
        return round(self.text_width / self.chars_per_line)


GB_T_9704 = Profile()
