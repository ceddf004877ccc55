"""Blocks from text copied from a page or extracted from Word (like fixtures/chengbu_commerce_2019.txt).

Tables in such text come in three shapes, all read here:
- one cell per line, each starting with a tab, a blank line between rows (Word's text export; a
  line without the tab continues the cell above: "本年新" / "制作数量");
- one row per line with cells separated by tabs (copied from a page or a spreadsheet);
- one row per line with cells separated by "|".
Text has no merged cells; the matcher reads such rows by their labels and the order of their numbers.
"""

from __future__ import annotations

import re
from pathlib import Path

from export.reading.blocks import Block, Budget, GridBuilder, check_blocks, check_paragraph_count
from export.reading.bounded import read_text_source, refusals_named
from export.reading.html_reader import decode_page

# Word's text export marks bookmarks as "[bookmark: _Toc123]": a name is short and on one line (a bounded
# reach, so that a text of "[bookmark: " never closed is scanned once, not from every opening to its end)
_BOOKMARK = re.compile(r"\[bookmark: [^\]\n]{0,100}\]")


_RULE_ROW = re.compile(r"^[\s|:：\-—=+]+$")  # "|---|:--:|" under a header: no cells


def _split_row(line: str) -> list[str] | None:
    if "|" in line and line.count("|") >= 2:
        # the cells between the bars: one border bar at each end, empty cells kept in their places
        cells = line.strip().split("|")
        if not cells[0].strip():
            cells = cells[1:]
        if cells and not cells[-1].strip():
            cells = cells[:-1]
        return [cell.strip() for cell in cells]
    stripped = line.strip("\n")
    if not stripped.startswith("\t") and stripped.count("\t") >= 1:
        return [cell for cell in stripped.split("\t")]
    return None


def read_text_blocks(path: Path) -> list[Block]:
    with refusals_named(path):
        return text_blocks(decode_page(read_text_source(path)))


def text_blocks(text: str) -> list[Block]:
    text = _BOOKMARK.sub("", text.replace("\r\n", "\n").replace("\r", "\n").replace("\ufeff", ""))
    check_paragraph_count(text.count("\n"))  # before splitting: every line becomes a block
    budget = Budget()
    blocks: list[Block] = []
    rows: list[list[str]] = []
    row: list[list[str]] | None = None  # one cell per line: each cell's lines, joined when the row ends
    in_cell_table = False

    def end_table() -> None:
        nonlocal rows, row, in_cell_table
        if row:
            rows.append(_joined(row))
        if rows:
            builder = GridBuilder(budget)
            for cells in rows:
                builder.add_row([(cell, 1, 1) for cell in cells])
            blocks.append(builder.build())
        rows, row, in_cell_table = [], None, False

    for line in text.split("\n"):
        if (line.startswith("\t") and line.count("\t") == 1) or (in_cell_table and line.startswith("\t")):
            # one cell per line (Word's text export)
            if not in_cell_table:
                end_table()
                in_cell_table = True
            if row is None:
                row = []
            row.extend([cell] for cell in line[1:].split("\t"))
            continue
        if in_cell_table:
            if not line.strip():
                if row is not None:
                    rows.append(_joined(row))
                    row = None
                continue
            if row is not None and row and not _looks_like_heading(line):
                row[-1].append(line)  # a cell's text running on: "本年新" / "制作数量"
                continue
            end_table()
        if "|" in line and _RULE_ROW.match(line):
            continue
        cells = _split_row(line)
        if cells is not None and len(cells) >= 2:
            rows.append(cells)
            continue
        if rows:
            end_table()
        blocks.append(line)
    end_table()
    return check_blocks(blocks)


def _joined(row: list[list[str]]) -> list[str]:
    return ["\n".join(lines) for lines in row]


def _looks_like_heading(line: str) -> bool:
    return bool(re.match(r"\s*[一二三四五六七八九十]+、", line))
