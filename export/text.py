"""How the clerk's text becomes paragraphs in the documents (spec/document.md, "Text sections").

One line = one paragraph; leading spaces, full-width spaces and tabs dropped; empty lines dropped.
A paragraph opening with a heading ordinal is a run-in heading: "一、…" up to and including its
first "。" (or the whole line) is the level-1 heading, "（一）…" likewise level 2; "1." and "（1）"
stay in the body font.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

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


def split_heading(line: str) -> Paragraph:
    for level, pattern in ((1, _LEVEL1), (2, _LEVEL2)):
        if pattern.match(line):
            end = line.find("。")
            cut = len(line) if end == -1 else end + 1
            return Paragraph(level, line[:cut], line[cut:])
    return Paragraph(0, "", line)
