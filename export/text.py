"""How the clerk's text becomes paragraphs in the documents (spec/document.md, "Text sections").

One line = one paragraph; leading spaces, full-width spaces and tabs dropped; empty lines dropped.
A paragraph opening with a heading ordinal is a run-in heading: "一、…" up to and including its
first "。" (or the whole line) is the level-1 heading, "（一）…" likewise level 2; "1." and "（1）"
stay in the body font. The 成文日期 is written as the profile says (2027年1月20日 or 二〇二七年一月二十日).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from model.problems import format_date
from model.profile import Profile

_HANZI_DIGITS = "〇一二三四五六七八九"
_LEVEL1 = re.compile(r"[一二三四五六七八九十]{1,3}、")
_LEVEL2 = re.compile(r"[（(][一二三四五六七八九十]{1,3}[）)]")


@dataclass(frozen=True)
class Paragraph:
    level: int  # 0 body, 1 "一、" heading, 2 "（一）" heading
    head: str  # the run-in heading ("" for body)
    rest: str  # the rest of the paragraph, in the body font

    @property
    def text(self) -> str:
        return self.head + self.rest


def paragraphs(text: str) -> list[Paragraph]:
    result = []
    for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        line = line.lstrip(" \t\u3000\u00a0").rstrip()
        if line:
            result.append(split_heading(line))
    return result


def leading_ordinal(text: str) -> str:
    """The "三、" or "（三）" a label or heading opens with ("" when none)."""
    for pattern in (_LEVEL1, _LEVEL2):
        found = pattern.match(text)
        if found:
            return found.group()
    return ""


def split_heading(line: str) -> Paragraph:
    for level, pattern in ((1, _LEVEL1), (2, _LEVEL2)):
        if pattern.match(line):
            end = line.find("。")
            cut = len(line) if end == -1 else end + 1
            return Paragraph(level, line[:cut], line[cut:])
    return Paragraph(0, "", line)


def hanzi_date(date: dt.date) -> str:
    """成文日期 in 汉字, as offices that follow the older rule write it: 二〇二七年一月二十日."""

    def number(n: int) -> str:
        tens, units = divmod(n, 10)
        return ("" if tens == 0 else ("十" if tens == 1 else _HANZI_DIGITS[tens] + "十")) + (
            _HANZI_DIGITS[units] if units or not tens else "")

    year = "".join(_HANZI_DIGITS[int(d)] for d in str(date.year))
    return f"{year}年{number(date.month)}月{number(date.day)}日"


def signature_date(date: dt.date | None, profile: Profile) -> str:
    """成文日期 as the profile writes it: 2027年1月20日, or 二〇二七年一月二十日."""
    if date is None:
        return ""
    return hanzi_date(date) if profile.date_style == "chinese" else format_date(date)
