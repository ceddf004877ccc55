"""How an official table sits on the Word page: column widths from what each column must hold, and
which rows keep with the next, so that neither a table nor a group of rows is cut badly at a page
foot. Pure arithmetic over the layout and the cell texts; the writer turns it into XML."""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Mapping
from typing import NamedTuple

from export.text import leading_ordinal
from model.formats import Layout, Role

SLACK_EM = 0.2  # a column holds its text with this to spare: renderers round glyph advances differently
WORD_CHARS = 4  # a header keeps words of four characters together: 商业企业, 社会公益|组织, 法律服务|机构
NARROW_WORD_CHARS = 2  # table 四's 15 columns of 10.4 mm: 结果|维持, in whole two-character lines
GROUP_LABEL_EMS = (2, 4)  # table 三's group-label columns: 三、本年度办理结果 two a line; （三）不予公开 four
MIN_LAST_LABEL_EMS = 5  # the label column that takes the rest never gets less
KEEP_FIRST_ROWS = 3  # a table starts on a page with its header and at least this many rows after it
MAX_KEPT_GROUP = 5  # a group of rows up to this many stays on one page with its merged label


class TablePlan(NamedTuple):
    widths: list[int]  # twips per grid column, adding up to the type area's width
    keep_next: frozenset[int]  # rows kept on the page of the row after them
    top_aligned: frozenset[tuple[int, int]]  # merged labels too tall to keep whole: set at their first row


def text_ems(text: str) -> float:
    """Width of ``text`` in ems of its font: Chinese and full-width characters (and “”—, which Word
    sets in the East Asian font) 1, digits and Latin ½, the narrow punctuation less."""
    width = 0.0
    for ch in text:
        if ch in ".,:;'|!":
            width += 0.25
        elif ch == "/":
            width += 0.28
        elif unicodedata.east_asian_width(ch) in ("W", "F", "A"):
            width += 1.0
        else:
            width += 0.5
    return width


def word_ems(text: str, word: int) -> float:
    """The widest run of ``word`` characters a header may not be broken inside."""
    return max((text_ems(text[i:i + word]) for i in range(0, len(text), word)), default=0.0)


def _twips(ems: float, size: float, cell_margin: int) -> int:
    return math.ceil((ems + SLACK_EM) * size * 20) + 2 * cell_margin


def _needs(layout: Layout, texts: Mapping[tuple[int, int], str], size: float, cell_margin: int, word: int) -> list[int]:
    """The least width of each column: its one-column headers unbroken inside a word, its numbers on one line."""
    ems = [2.0] * layout.n_cols  # at least two characters (其他, 总计)
    headers: dict[int, list[str]] = {}
    for cell in layout.cells:
        if cell.colspan != 1:
            continue
        text = texts.get((cell.row, cell.col), cell.text)
        if cell.is_value:
            need = text_ems(text)
        elif cell.role is Role.LABEL:
            need = text_ems(text) if layout.label_cols == 1 else 0  # one label column: labels on one line
        else:
            need = word_ems(text, word)
            headers.setdefault(cell.col, []).append(text)
        ems[cell.col] = max(ems[cell.col], need)
    for col, texts_of_col in headers.items():
        for header in texts_of_col:
            ems[col] = whole_words(ems[col], header, word)
    return [_twips(e, size, cell_margin) for e in ems]


def whole_words(ems: float, header: str, word: int) -> float:
    """A width at least ``ems`` whose lines break ``header`` only between its words: a column widened
    for a long number to three characters would give 结果维/持; it gets four (结果维持) instead."""
    chars = math.floor(ems + SLACK_EM)
    if chars >= len(header) or chars % word == 0:
        return ems
    return float(min(len(header), math.ceil(chars / word) * word))


def _share(widths: list[int], needs: list[int], columns: list[int], total: int) -> None:
    """Give ``columns`` equal shares of what ``total`` leaves, each at least its need."""
    fixed = set(columns)
    while fixed:
        rest = total - sum(w for i, w in enumerate(widths) if i not in fixed)
        base, extra = divmod(rest, len(fixed))
        shares = {c: base + (1 if i < extra else 0) for i, c in enumerate(sorted(fixed))}
        short = [c for c in fixed if needs[c] > shares[c]]
        if not short:
            for c, width in shares.items():
                widths[c] = width
            return
        for c in short:  # a column that needs more than its share takes its need
            widths[c] = needs[c]
            fixed.discard(c)


def column_widths(layout: Layout, texts: Mapping[tuple[int, int], str], total: int, *, size: float,
                  cell_margin: int, narrow: bool = False) -> list[int]:
    """Twips per grid column, adding up to exactly ``total`` (the 156 mm type area).

    A narrow table (四: 15 columns) shares the width equally, a column whose number needs more
    taking it from the others. A table with one label column (二) gives it its longest label and
    shares the rest among the numbers. Otherwise (三) the number columns are as narrow as their
    headers and numbers allow, the group-label columns hold a few characters, and the last label
    column takes the rest.
    """
    word = NARROW_WORD_CHARS if narrow else WORD_CHARS
    needs = _needs(layout, texts, size, cell_margin, word)
    numbers = list(range(layout.label_cols, layout.n_cols))
    widths = [0] * layout.n_cols
    if narrow or layout.label_cols == 0:
        _share(widths, needs, list(range(layout.n_cols)), total)
    elif layout.label_cols == 1:
        widths[0] = needs[0]
        _share(widths, needs, numbers, total)
    else:
        last = layout.label_cols - 1
        for col in range(last):
            widths[col] = _twips(GROUP_LABEL_EMS[min(col, len(GROUP_LABEL_EMS) - 1)], size, cell_margin)
        for col in numbers:
            widths[col] = needs[col]
        widths[last] = total - sum(widths)
        least = _twips(MIN_LAST_LABEL_EMS, size, cell_margin)
        if widths[last] < least:  # numbers too long for the page: they wrap, the labels stay readable
            scale = (total - least - sum(widths[:last])) / sum(widths[c] for c in numbers)
            for col in numbers:
                widths[col] = math.floor(widths[col] * scale)
            widths[last] = total - sum(widths[:last]) - sum(widths[c] for c in numbers)
    return widths


def label_width_ems(widths: list[int], size: float, cell_margin: int) -> float:
    """How many characters of the table font a line of a (merged) cell holds."""
    return (sum(widths) - 2 * cell_margin) / (size * 20) - SLACK_EM


def lines(text: str, width_ems: float) -> int:
    """How many lines ``text`` takes in a cell holding ``width_ems`` characters a line (an estimate:
    renderers break Chinese text anywhere)."""
    return max(1, math.ceil(text_ems(text) / max(width_ems, 1.0)))


def plan_table(layout: Layout, texts: Mapping[tuple[int, int], str], total: int, *, size: float,
               cell_margin: int, narrow: bool = False) -> TablePlan:
    """Widths, and the rows that keep with the next: the header with the first rows (no table starts
    at a page foot with its header alone); a small group of rows whole, with its merged label; a
    taller group's label set at its top and kept with as many of its first rows as its lines need
    (never cut in two by a page break, as a label centred over the whole group would be)."""
    widths = column_widths(layout, texts, total, size=size, cell_margin=cell_margin, narrow=narrow)

    def width_ems(col: int, span: int) -> float:
        return label_width_ems(widths[col:col + span], size, cell_margin)

    row_lines = [1] * layout.n_rows
    for cell in layout.cells:
        if cell.rowspan == 1:
            text = texts.get((cell.row, cell.col), cell.text)
            row_lines[cell.row] = max(row_lines[cell.row], lines(text, width_ems(cell.col, cell.colspan)))

    first = layout.header_rows
    keep: set[int] = set(range(first + KEEP_FIRST_ROWS - 1))
    top: set[tuple[int, int]] = set()
    for cell in layout.cells:
        if cell.role in (Role.HEADING, Role.HEADER) and cell.row >= first:
            keep.add(cell.row)  # a sub-heading inside the table (第二十条第（一）项, 信息内容 …) stays with its rows
        if cell.role is not Role.LABEL or cell.rowspan == 1:
            continue
        rows = cell.rowspan
        if rows > MAX_KEPT_GROUP:
            top.add((cell.row, cell.col))
            needed, rows = label_lines(cell.text, width_ems(cell.col, cell.colspan)), 0
            while rows < cell.rowspan and needed > 0:
                needed -= row_lines[cell.row + rows]
                rows += 1
        keep.update(range(cell.row, cell.row + rows - 1))
    keep.discard(layout.n_rows - 1)
    return TablePlan(widths, frozenset(keep), frozenset(top))


def label_lines(text: str, width_ems: float) -> int:
    """Lines of a merged group label, broken after its ordinal when that costs no extra line."""
    split = split_label(text, width_ems)
    return sum(lines(part, width_ems) for part in split)


def split_label(text: str, width_ems: float) -> list[str]:
    """A group label as its lines begin: "（三）" over "不予公开" when the ordinal on a line of its own
    costs no extra line, else the label whole."""
    ordinal = leading_ordinal(text)
    if ordinal and ordinal != text:
        rest = text[len(ordinal):]
        if 1 + lines(rest, width_ems) <= lines(text, width_ems):
            return [ordinal, rest]
    return [text]
