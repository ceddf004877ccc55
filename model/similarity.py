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
from bisect import bisect_right
from functools import lru_cache
from typing import NamedTuple

PASSAGE = 10  # characters: about a clause; shorter runs are set phrases every report shares
_GAP = re.compile(r"\s+|\d+(?:[.,]\d+)*")  # what folding drops (white space) or shortens (a number)


class Folded(NamedTuple):
    """A text folded for comparison, and where each folded character came from.

    The folded text is made of plain stretches (copied as they are) and numbers (one "#" each);
    ``folded_starts`` and ``original_starts`` say where each begins in the two texts.
    """

    text: str
    folded_starts: tuple[int, ...]
    original_starts: tuple[int, ...]
    number_ends: dict[int, int]  # folded index of a number → the original end of its digits

    def start(self, index: int) -> int:
        """The original offset of the folded character at ``index``."""
        k = bisect_right(self.folded_starts, index) - 1
        return self.original_starts[k] + index - self.folded_starts[k]

    def end(self, index: int) -> int:
        """The original offset just after the folded character at ``index``."""
        return self.number_ends.get(index) or self.start(index) + 1


@lru_cache(maxsize=32)
def fold(text: str) -> Folded:
    pieces: list[str] = []
    folded_starts: list[int] = []
    original_starts: list[int] = []
    number_ends: dict[int, int] = {}
    position = folded = 0
    for gap in _GAP.finditer(text):  # white space and numbers: a few hundred in a long section
        if gap.start() > position:
            folded_starts.append(folded)
            original_starts.append(position)
            pieces.append(text[position:gap.start()])
            folded += gap.start() - position
        if not gap.group().isspace():
            folded_starts.append(folded)
            original_starts.append(gap.start())
            number_ends[folded] = gap.end()
            pieces.append("#")
            folded += 1
        position = gap.end()
    if position < len(text):
        folded_starts.append(folded)
        original_starts.append(position)
        pieces.append(text[position:])
    return Folded("".join(pieces), tuple(folded_starts), tuple(original_starts), number_ends)


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
    passages = tuple((this.start(start), this.end(end - 1)) for start, end in runs)
    return Overlap(shared, len(folded), passages)


def longest(passages: tuple[tuple[int, int], ...]) -> tuple[int, int] | None:
    return max(passages, key=lambda p: p[1] - p[0], default=None)
