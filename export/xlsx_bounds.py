"""A workbook's parts measured before openpyxl loads them.

openpyxl trusts a workbook: a merged range ``J1:XFD1048576`` becomes 17 billion cell objects, a
hyperlink over a range or a comment creates every cell it names, one cell at XFD1048576 makes every
"whole sheet" walk enormous, and every style record and defined name becomes an object. So every
part openpyxl reads is streamed once here (lxml, no entities, no network, elements dropped as soon
as read) and checked against model/limits.py: worksheets (cells, merged ranges, hyperlinks),
comments, shared strings, styles and the workbook part. A part is known by its root element (noted
by export/reading/bounded.py when it ran the part through libxml2), not by its name: openpyxl finds
parts through the package's relationships, and a worksheet may be called anything. The stated
``<dimension>`` is not trusted, only the cells.
"""

from __future__ import annotations

import re
import zipfile

from lxml import etree

from export.reading.blocks import SourceRefused
from export.reading.bounded import NotAPackage, Package
from model.limits import (
    MAX_MERGED_CELLS,
    MAX_SHEET_CELLS,
    MAX_SHEET_COLUMNS,
    MAX_SHEET_ROWS,
    MAX_SHEETS,
    MAX_STYLE_RECORDS,
    MAX_WORKBOOK_RECORDS,
)

_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_ROW, _CELL, _MERGE, _LINK = f"{_MAIN}row", f"{_MAIN}c", f"{_MAIN}mergeCell", f"{_MAIN}hyperlink"
_COMMENT, _STRING, _SHEET = f"{_MAIN}comment", f"{_MAIN}si", f"{_MAIN}sheet"
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


def _local(tag: str) -> str:
    return tag.rpartition("}")[2]


def _parts(package: Package, root: str) -> list[zipfile.ZipInfo]:
    """The XML parts whose root element has this local name, in any namespace."""
    return [package.getinfo(name) for name, tag in package.xml_roots.items() if _local(tag) == root]


class _Budget:
    """What all parts of one workbook have used so far."""

    def __init__(self) -> None:
        self.cells = 0
        self.merged = 0

    def add_cells(self, count: int) -> None:
        self.cells += count
        if self.cells > MAX_SHEET_CELLS:
            raise SourceRefused(f"工作簿中的单元格过多（超过 {MAX_SHEET_CELLS} 个）")

    def add_merged(self, count: int) -> None:
        self.merged += count
        if self.merged > MAX_MERGED_CELLS:
            raise SourceRefused(f"工作簿中合并的单元格过多（超过 {MAX_MERGED_CELLS} 个）")


def check_sheets(package: Package) -> None:
    """Refuse a workbook whose parts go beyond the limits; SourceRefused names the part and the limit.
    ``package`` comes from ``open_package(…, check_depth=True)``, which noted each part's root element."""
    sheets = _parts(package, "worksheet")
    if len(sheets) > MAX_SHEETS:
        raise SourceRefused(f"工作表过多（超过 {MAX_SHEETS} 个）")
    budget = _Budget()
    for info in sheets:
        _check_sheet(package, info, budget)
    for info in _parts(package, "comments"):
        _check_comments(package, info, budget)
    for info in _parts(package, "sst"):
        if _count(package, info, lambda depth, tag: depth == 2 and tag == _STRING, MAX_SHEET_CELLS):
            raise SourceRefused(f"工作簿中的共享文字过多（超过 {MAX_SHEET_CELLS} 条）")
    for info in _parts(package, "styleSheet"):
        if _count(package, info, lambda depth, _tag: depth == 3, MAX_STYLE_RECORDS):
            raise SourceRefused(f"工作簿中的样式过多（超过 {MAX_STYLE_RECORDS} 条）")
    for info in _parts(package, "workbook"):
        if _count(package, info, lambda depth, _tag: depth == 3, MAX_WORKBOOK_RECORDS):
            raise SourceRefused(f"工作簿中的名称、工作表等记录过多（超过 {MAX_WORKBOOK_RECORDS} 条）")
        if _count(package, info, lambda depth, tag: depth == 3 and tag == _SHEET, MAX_SHEETS):
            raise SourceRefused(f"工作表过多（超过 {MAX_SHEETS} 个）")


def _where(info: zipfile.ZipInfo) -> str:
    return info.filename.rsplit("/", 1)[-1][:40]


def _refuse_position(where: str, position: tuple[int, int] | None, part: str = "工作表") -> None:
    if position is None:
        raise SourceRefused(f"{part}“{where}”中有无效的单元格位置")
    row, column = position
    if row > MAX_SHEET_ROWS or column > MAX_SHEET_COLUMNS:
        raise SourceRefused(f"{part}“{where}”的内容超出范围（超过 {MAX_SHEET_ROWS} 行或 {MAX_SHEET_COLUMNS} 列）")


def _events(package: zipfile.ZipFile, info: zipfile.ZipInfo):  # type: ignore[no-untyped-def]
    """(event, element) of one part, streamed; the caller drops what it has read."""
    return etree.iterparse(package.open(info), events=("start", "end"), resolve_entities=False, no_network=True,
                           load_dtd=False, huge_tree=False)


def _drop(element) -> None:  # type: ignore[no-untyped-def]
    """A read element removed, so the tree never grows."""
    parent = element.getparent()
    element.clear(keep_tail=False)
    if parent is not None:
        parent.remove(element)


def _check_sheet(package: zipfile.ZipFile, info: zipfile.ZipInfo, budget: _Budget) -> None:
    where = _where(info)
    row = 0
    column = 0
    try:
        for event, element in _events(package, info):
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
                budget.add_cells(1)
            elif tag == _MERGE:
                budget.add_merged(_area(where, element.get("ref") or ""))
            elif tag == _LINK:  # openpyxl gives every cell of the range a copy of the link
                budget.add_cells(_area(where, element.get("ref") or ""))
            if tag in (_ROW, _MERGE, _LINK):
                _drop(element)
    except (etree.LxmlError, zipfile.BadZipFile, OSError, EOFError, ValueError, RuntimeError) as error:
        raise NotAPackage from error


def _check_comments(package: zipfile.ZipFile, info: zipfile.ZipInfo, budget: _Budget) -> None:
    """Each comment makes the cell it is on (a range would make all of them): one cell each, within the
    sheet's limits."""
    where = _where(info)
    try:
        for event, element in _events(package, info):
            if event == "end" and element.tag == _COMMENT:
                ref = element.get("ref") or ""
                _refuse_position(where, _position(ref) if ":" not in ref else None, "批注")
                budget.add_cells(1)
                _drop(element)
    except (etree.LxmlError, zipfile.BadZipFile, OSError, EOFError, ValueError, RuntimeError) as error:
        raise NotAPackage from error


def _count(package: zipfile.ZipFile, info: zipfile.ZipInfo, counted, limit: int) -> bool:  # type: ignore[no-untyped-def]
    """Whether more than ``limit`` elements are accepted by ``counted(depth, tag)`` (the root is at depth 1);
    read elements dropped, the reading stopped at the first one too many."""
    depth = 0
    count = 0
    try:
        for event, element in _events(package, info):
            if event == "start":
                depth += 1
                if counted(depth, element.tag):
                    count += 1
                    if count > limit:
                        return True
            else:
                if depth >= 2:
                    _drop(element)
                depth -= 1
    except (etree.LxmlError, zipfile.BadZipFile, OSError, EOFError, ValueError, RuntimeError) as error:
        raise NotAPackage from error
    return False


def _area(where: str, ref: str) -> int:
    first, _, last = ref.partition(":")
    top_left, bottom_right = _position(first), _position(last or first)
    _refuse_position(where, top_left)
    _refuse_position(where, bottom_right)
    (r1, c1), (r2, c2) = top_left, bottom_right  # type: ignore[misc]
    return (abs(r2 - r1) + 1) * (abs(c2 - c1) + 1)
