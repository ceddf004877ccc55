"""How much of a text is unchanged from last year's: the passages both share, and their share.

A passage counts as unchanged when it is a run of at least ``PASSAGE`` characters that also occurs
in last year's text, comparing without white space and with every number taken as equal (a
sentence copied with this year's figures typed over last year's is still the same sentence). The
share is the part of this year's characters that lie in such passages — what a supervisor's
similarity score measures, and what the side-by-side view marks.

It runs in time linear in the two texts (a set of last year's 10-character pieces) and is memoised
per text, so a keystroke in a grid costs nothing and a keystroke in a text rescans that text only.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import NamedTuple

PASSAGE = 10  # characters: about a clause; shorter runs are set phrases every report shares
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
_SPACE = re.compile(r"\s+")


class Folded(NamedTuple):
    """A text folded for comparison, with where each folded character came from."""

    text: str
    starts: tuple[int, ...]  # original offset of each folded character
    ends: tuple[int, ...]  # original end offset of each folded character


@lru_cache(maxsize=32)
def fold(text: str) -> Folded:
    chars: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    position = 0
    for match in _NUMBER.finditer(text):
        _fold_plain(text, position, match.start(), chars, starts, ends)
        chars.append("#")
        starts.append(match.start())
        ends.append(match.end())
        position = match.end()
    _fold_plain(text, position, len(text), chars, starts, ends)
    return Folded("".join(chars), tuple(starts), tuple(ends))


def _fold_plain(text: str, start: int, end: int, chars: list[str], starts: list[int], ends: list[int]) -> None:
    for i in range(start, end):
        ch = text[i]
        if not ch.isspace():
            chars.append(ch)
            starts.append(i)
            ends.append(i + 1)


@lru_cache(maxsize=32)
def _pieces(folded: str) -> frozenset[str]:
    return frozenset(folded[i:i + PASSAGE] for i in range(len(folded) - PASSAGE + 1))


class Overlap(NamedTuple):
    """This year's text against last year's."""

    shared: int  # folded characters inside unchanged passages
    total: int  # folded characters of this year's text
    passages: tuple[tuple[int, int], ...]  # unchanged passages, as offsets into this year's text

    @property
    def percent(self) -> int:
        return percent(self.shared, self.total)


def percent(part: int, whole: int) -> int:
    """``part`` of ``whole`` in whole per cent, rounded half up (0 of nothing is 0)."""
    return (part * 200 + whole) // (whole * 2) if whole else 0


@lru_cache(maxsize=64)
def overlap(text: str, last: str) -> Overlap:
    """The passages of ``text`` that also occur in ``last``, and their share of ``text``."""
    this = fold(text)
    folded = this.text
    pieces = _pieces(fold(last).text)
    runs: list[list[int]] = []
    for i in range(len(folded) - PASSAGE + 1):
        if folded[i:i + PASSAGE] in pieces:
            if runs and i <= runs[-1][1]:
                runs[-1][1] = i + PASSAGE
            else:
                runs.append([i, i + PASSAGE])
    shared = sum(end - start for start, end in runs)
    passages = tuple((this.starts[start], this.ends[end - 1]) for start, end in runs)
    return Overlap(shared, len(folded), passages)


def longest(passages: tuple[tuple[int, int], ...]) -> tuple[int, int] | None:
    return max(passages, key=lambda p: p[1] - p[0], default=None)
