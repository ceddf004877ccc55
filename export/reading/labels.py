"""Which row of the format a published label names: by its words, whatever its numbering and punctuation.

Published labels drop or change their ordinal ("本年新收政府信息公开申请数量" without 一、, "1、" for
"1."), print punctuation half-width or not at all, break words with spaces or lines, use an older
wording (规范性文件) or lose a word ("2.其他法律行政止公开"). A label is compared by its *core* —
the words without the ordinal and without any punctuation — and by its ordinal where the core
alone is ambiguous (3.其他 is also a column; （七）总计 is also a column). Aliases come from the
format definition. A near miss is taken only when one row of the same ordinal is clearly closest.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from difflib import SequenceMatcher
from functools import lru_cache
from typing import NamedTuple

from model.formats import Alias, ReportFormat, Table

_ORDINAL = re.compile(
    r"^(?:(?P<cn>[一二三四五六七八九十]{1,3})[、.,:]|[(](?P<paren>[一二三四五六七八九十]{1,3}|\d{1,2})[)]"
    r"|(?P<num>\d{1,2})(?:[、.,:](?!\d)|(?=[^\d.,]))|(?P<circled>[①-⑳]))"
)
_CN_DIGITS = {ch: i + 1 for i, ch in enumerate("一二三四五六七八九")}
_NOT_WORD = re.compile(r"[\W_]+")
_NEAR = 0.8  # similarity a near-miss label needs
_MARGIN = 0.08  # … and by how much it must beat the next row


def _number(text: str) -> int:
    if text.isdigit():
        return int(text)
    if text == "十":
        return 10
    if text.startswith("十"):
        return 10 + _CN_DIGITS.get(text[1:], 0)
    if "十" in text:
        tens, _, ones = text.partition("十")
        return _CN_DIGITS.get(tens, 0) * 10 + _CN_DIGITS.get(ones, 0)
    return _CN_DIGITS.get(text, 0)


class LabelParts(NamedTuple):
    ordinal: tuple[str, int] | None  # ("cn", 1) for 一、; ("paren", 1) for （一）; ("num", 1) for 1. 1、
    core: str  # the words: no ordinal, no punctuation, no white space


@lru_cache(maxsize=8192)
def label_parts(text: str) -> LabelParts:
    folded = "".join(unicodedata.normalize("NFKC", text).split())
    match = _ORDINAL.match(folded)
    ordinal = None
    if match:
        kind = next(k for k in ("cn", "paren", "num", "circled") if match.group(k))
        value = match.group(kind)
        number = ord(value) - ord("①") + 1 if kind == "circled" else _number(value)
        ordinal = ("num" if kind == "circled" else kind, number)
        folded = folded[match.end():]
    return LabelParts(ordinal, _NOT_WORD.sub("", folded))


class RowMatch(NamedTuple):
    table: Table
    key: str
    alias: Alias | None  # None: the official label
    near: bool = False  # taken as the closest label, not an exact one


_INDEXES: dict[str, LabelIndex] = {}


class LabelIndex:
    """The rows of a format's tables 二 and 三, findable by any label published reports print."""

    def __init__(self, fmt: ReportFormat) -> None:
        self.by_core: dict[str, list[tuple[tuple[str, int] | None, RowMatch]]] = {}
        other_words: set[str] = set()
        groups: set[str] = set()
        for table in fmt.tables:
            other_words.add(label_parts(table.title).core)
            other_words |= {label_parts(column.label).core for column in table.columns}
            for header in (table.column_header, table.corner, table.row_header):
                if header:
                    other_words.add(label_parts(header).core)
            if table.key == "appeals":
                other_words |= {label_parts(row.label).core for row in table.rows}
                continue
            for row in table.rows:
                groups |= {label_parts(group).core for group in row.groups}
                other_words |= {label_parts(group).core for group in row.groups}
                for label, alias in [(row.label, None), *((a.label, a) for a in row.aliases)]:
                    parts = label_parts(label)
                    self.by_core.setdefault(parts.core, []).append((parts.ordinal, RowMatch(table, row.key, alias)))
        other_words |= {"信息内容", "申请人情况", "法人或其他组织"}
        # a core that is also a header or a group needs its ordinal to name a row
        self.ambiguous = {core for core, entries in self.by_core.items()
                          if core in other_words or len(entries) > 1}
        self.other_words = other_words - set(self.by_core)
        self.group_cores = sorted(groups, key=len, reverse=True)  # the longest first: 本年度办理结果 before 其他

    @staticmethod
    def of(fmt: ReportFormat) -> LabelIndex:
        """The format's index, made once (it never changes)."""
        index = _INDEXES.get(fmt.id)
        if index is None:
            index = _INDEXES[fmt.id] = LabelIndex(fmt)
        return index

    def find(self, text: str, *, numbers_follow: bool = False) -> RowMatch | None:
        """The row ``text`` names. ``numbers_follow``: numbers stand to its right in the same row,
        so a word that is also a header ("其他", "总计") names the one row of that word. A label
        printed after its group's words in one cell ("（三）不予公开 1.属于国家秘密") names the row."""
        found = self._find(text, numbers_follow)
        if found is None:
            core = label_parts(text).core
            for group in self.group_cores:
                if core.startswith(group) and len(core) > len(group):
                    found = self._find(core[len(group):], numbers_follow)
                    if found is not None:
                        break
        return found

    def _find(self, text: str, numbers_follow: bool) -> RowMatch | None:
        parts = label_parts(text)
        if not parts.core:
            return None
        entries = self.by_core.get(parts.core)
        if not entries:
            return None
        if parts.core not in self.ambiguous:
            return entries[0][1]
        number = parts.ordinal[1] if parts.ordinal else None
        numbered = [match for ordinal, match in entries if number is not None and ordinal is not None and ordinal[1] == number]
        if len(numbered) == 1:
            return numbered[0]
        rows = [match for _ordinal, match in entries if match.alias is None]
        if parts.ordinal is None and numbers_follow and len(rows) == 1 and len(entries) == 1:
            return rows[0]
        # a group printed as one row is never a group cell beside its rows' labels: no ordinal needed
        groups = [(ordinal, match) for ordinal, match in entries if match.alias is not None and match.alias.whole_group]
        if len(groups) == 1 and (number is None or groups[0][0] is None or groups[0][0][1] == number):
            return groups[0][1]
        return None

    def near(self, text: str, taken: set[tuple[str, str]]) -> RowMatch | None:
        """The one row whose label is clearly closest to ``text`` (a word lost or added in print),
        among the rows not found yet and of the same ordinal."""
        parts = label_parts(text)
        if len(parts.core) < 4 or parts.core in self.other_words:
            return None
        scored = []
        chars = Counter(parts.core)
        for core, entries in self.by_core.items():
            for ordinal, match in entries:
                if (match.table.key, match.key) in taken or match.alias is not None:
                    continue
                if parts.ordinal is not None and ordinal is not None and parts.ordinal[1] != ordinal[1]:
                    continue
                shared = sum((chars & self._chars(core)).values())
                if 2 * shared < _NEAR * (len(parts.core) + len(core)):
                    continue  # not enough characters in common for the ratio to reach _NEAR
                scored.append((SequenceMatcher(None, parts.core, core, autojunk=False).ratio(), match))
        scored.sort(key=lambda item: -item[0])
        if not scored or scored[0][0] < _NEAR or (len(scored) > 1 and scored[0][0] - scored[1][0] < _MARGIN):
            return None
        return scored[0][1]._replace(near=True)

    @staticmethod
    @lru_cache(maxsize=512)
    def _chars(core: str) -> Counter[str]:
        return Counter(core)

    def is_known_text(self, text: str) -> bool:
        """A header, a group or a title of the format (not a row)."""
        return label_parts(text).core in self.other_words
