"""A workbook's sheets measured before openpyxl loads them.

openpyxl trusts a sheet: a merged range ``J1:XFD1048576`` becomes 17 billion cell objects, and one
cell at XFD1048576 makes every "whole sheet" walk enormous. So every worksheet part is streamed
once here (lxml, no entities, no network, elements dropped as soon as read) and its cells and merged
ranges checked against model/limits.py; the stated ``<dimension>`` is not trusted, only the cells.
"""

from __future__ import annotations

import re
import zipfile

from lxml import etree

from export.reading.blocks import SourceRefused
from export.reading.bounded import NotAPackage
from model.limits import MAX_MERGED_CELLS, MAX_SHEET_CELLS, MAX_SHEET_COLUMNS, MAX_SHEET_ROWS, MAX_SHEETS

_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_ROW, _CELL, _MERGE = f"{_MAIN}row", f"{_MAIN}c", f"{_MAIN}mergeCell"
_REF = re.compile(r"\$?([A-Za-z]{1,3})\$?(\d{1,7})")


def _position(ref: str) -> tuple[int, int] | None:
    """(row, column), 1-based, of "B7"; None when the text is no cell reference we can hold."""
    match = _REF.fullmatch(ref.strip())
    if not match:
        return None
    column = 0
    for letter in match.group(1).upper():
        column = column * 26 + ord(letter) - 64
    return int(match.group(2)), column


def _is_sheet(name: str) -> bool:
    return name.lower().startswith("xl/worksheets/") and name.lower().endswith(".xml")


def check_sheets(package: zipfile.ZipFile) -> None:
    """Refuse a workbook whose sheets go beyond the limits; SourceRefused names the sheet and the limit."""
    sheets = [info for info in package.infolist() if _is_sheet(info.filename)]
    if len(sheets) > MAX_SHEETS:
        raise SourceRefused(f"工作表过多（超过 {MAX_SHEETS} 个）")
    cells = merged = 0
    for info in sheets:
        cells, merged = _check_sheet(package, info, cells, merged)


def _refuse_position(where: str, position: tuple[int, int] | None) -> None:
    if position is None:
        raise SourceRefused(f"工作表“{where}”中有无效的单元格位置")
    row, column = position
    if row > MAX_SHEET_ROWS or column > MAX_SHEET_COLUMNS:
        raise SourceRefused(f"工作表“{where}”的内容超出范围（超过 {MAX_SHEET_ROWS} 行或 {MAX_SHEET_COLUMNS} 列）")


def _check_sheet(package: zipfile.ZipFile, info: zipfile.ZipInfo, cells: int, merged: int) -> tuple[int, int]:
    where = info.filename.rsplit("/", 1)[-1][:40]
    row = 0
    column = 0
    try:
        with package.open(info) as stream:
            for event, element in etree.iterparse(stream, events=("start", "end"), resolve_entities=False,
                                                  no_network=True, load_dtd=False, huge_tree=False):
                tag = element.tag
                if event == "start":
                    if tag == _ROW:
                        stated = element.get("r")
                        row = int(stated) if stated and stated.isdigit() and len(stated) <= 7 else row + 1
                        _refuse_position(where, (row, 1))
                        column = 0
                    continue
                if tag == _CELL:
                    ref = element.get("r")
                    position = _position(ref) if ref is not None else (row, column + 1)
                    _refuse_position(where, position)
                    column = position[1]  # type: ignore[index]
                    cells += 1
                    if cells > MAX_SHEET_CELLS:
                        raise SourceRefused(f"工作簿中的单元格过多（超过 {MAX_SHEET_CELLS} 个）")
                elif tag == _MERGE:
                    merged += _merged_area(where, element.get("ref") or "")
                    if merged > MAX_MERGED_CELLS:
                        raise SourceRefused(f"工作簿中合并的单元格过多（超过 {MAX_MERGED_CELLS} 个）")
                if tag in (_ROW, _MERGE):  # read: drop it, so the tree never grows
                    parent = element.getparent()
                    element.clear(keep_tail=False)
                    if parent is not None:
                        parent.remove(element)
    except (etree.LxmlError, zipfile.BadZipFile, OSError, EOFError, ValueError, RuntimeError) as error:
        raise NotAPackage from error
    return cells, merged


def _merged_area(where: str, ref: str) -> int:
    first, _, last = ref.partition(":")
    top_left, bottom_right = _position(first), _position(last or first)
    _refuse_position(where, top_left)
    _refuse_position(where, bottom_right)
    (r1, c1), (r2, c2) = top_left, bottom_right  # type: ignore[misc]
    return (abs(r2 - r1) + 1) * (abs(c2 - c1) + 1)
