"""The building blocks of a report format and the layout (the official drawing) it yields.

A format is data: sections, tables, rows, columns, which cells are typed and which are derived.
The layout turns a table definition into the grid of cells the official template draws — with
merged label and header cells — and the window, the Word table and the Excel sheet all draw
from that one layout.
"""

from __future__ import annotations

import enum
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cached_property
from typing import NamedTuple

from model.values import Kind

Address = tuple[str, str, str]
"""A cell's stable address: (table key, row key, column key)."""


def address_text(address: Address) -> str:
    return ".".join(address)


class Column(NamedTuple):
    key: str
    label: str
    kind: Kind = Kind.COUNT
    group: str | None = None  # a merged header above several columns (法人或其他组织)
    unit: str | None = None  # "万元" for a fixed unit; "procurement" means the report's own unit


class Alias(NamedTuple):
    """Another label published reports print for a row, kept beside the official one for importing.

    ``seen_in`` names the reports that print it. ``whole_group``: the label of the row's group
    printed as one row of numbers (the 2019 format's single （六）其他处理 row in a 2021 table): read
    into this row only when none of the group's own rows is printed, and the clerk is told.
    """

    label: str
    seen_in: str
    whole_group: bool = False


class Row(NamedTuple):
    key: str
    label: str
    groups: tuple[str, ...] = ()  # merged group labels to the left, outermost first
    aliases: tuple[Alias, ...] = ()  # what published reports print instead (importing only)


@dataclass(frozen=True, eq=False)  # one object per definition: equal when the same
class Table:
    key: str
    title: str
    rows: tuple[Row, ...]
    columns: tuple[Column, ...]
    row_sums: tuple[tuple[str, tuple[str, ...]], ...] = ()  # derived row ← the rows it adds up
    col_sums: tuple[tuple[str, tuple[str, ...]], ...] = ()  # derived column ← the columns it adds up
    corner: str | None = None  # the top-left header cell (table 三's 勾稽关系 note)
    column_header: str | None = None  # the header spanning all value columns (申请人情况)
    row_header: str = "信息内容"

    @cached_property
    def row_index(self) -> dict[str, Row]:
        return {row.key: row for row in self.rows}

    @cached_property
    def column_index(self) -> dict[str, Column]:
        return {column.key: column for column in self.columns}

    @cached_property
    def _row_sums(self) -> dict[str, tuple[str, ...]]:
        return dict(self.row_sums)

    @cached_property
    def _col_sums(self) -> dict[str, tuple[str, ...]]:
        return dict(self.col_sums)

    def is_derived(self, row: str, col: str) -> bool:
        return row in self._row_sums or col in self._col_sums

    def parts(self, row: str, col: str) -> tuple[tuple[str, str], ...]:
        """The typed cells a derived cell adds up (a typed cell: itself)."""
        key = (row, col)
        found = self._parts.get(key)
        if found is None:
            rows = self._row_sums.get(row, (row,))
            cols = self._col_sums.get(col, (col,))
            found = self._parts[key] = tuple((r, c) for r in rows for c in cols)
        return found

    @cached_property
    def _parts(self) -> dict[tuple[str, str], tuple[tuple[str, str], ...]]:
        return {}

    @cached_property
    def input_cells(self) -> tuple[Address, ...]:
        return tuple(
            (self.key, row.key, column.key)
            for row in self.rows
            for column in self.columns
            if not self.is_derived(row.key, column.key)
        )

    @cached_property
    def derived_cells(self) -> tuple[Address, ...]:
        return tuple(
            (self.key, row.key, column.key)
            for row in self.rows
            for column in self.columns
            if self.is_derived(row.key, column.key)
        )


class Section(NamedTuple):
    key: str
    heading: str
    text: bool  # a text section (else: tables drawn by the layout named ``key``)
    tables: tuple[str, ...] = ()


class Role(enum.Enum):
    HEADING = "heading"  # a block heading row in table 二 (第二十条第（一）项)
    HEADER = "header"  # a column header
    LABEL = "label"  # a row label (and the merged group labels)
    INPUT = "input"  # a typed cell
    DERIVED = "derived"  # a computed total


class LayoutCell(NamedTuple):
    row: int
    col: int
    rowspan: int
    colspan: int
    role: Role
    text: str = ""
    address: Address | None = None

    @property
    def is_value(self) -> bool:
        return self.role in (Role.INPUT, Role.DERIVED)


@dataclass(frozen=True, eq=False)  # one object per definition: equal when the same
class Layout:
    """One official table as drawn: a grid of cells with their spans."""

    key: str
    title: str
    n_rows: int
    n_cols: int
    cells: tuple[LayoutCell, ...]
    header_rows: int  # rows that repeat at the top of each page
    label_cols: int  # columns that hold labels (the rest hold numbers)

    @cached_property
    def _grid(self) -> dict[tuple[int, int], LayoutCell]:
        grid: dict[tuple[int, int], LayoutCell] = {}
        for cell in self.cells:
            for r in range(cell.row, cell.row + cell.rowspan):
                for c in range(cell.col, cell.col + cell.colspan):
                    grid[(r, c)] = cell
        return grid

    @cached_property
    def positions(self) -> dict[Address, tuple[int, int]]:
        return {cell.address: (cell.row, cell.col) for cell in self.cells if cell.address}

    def at(self, row: int, col: int) -> LayoutCell | None:
        """The cell covering grid position (row, col), merged cells included."""
        return self._grid.get((row, col))

    def value_cells(self) -> Iterator[LayoutCell]:
        return (cell for cell in self.cells if cell.is_value)


@dataclass(frozen=True, eq=False)  # one object per definition: equal when the same
class ReportFormat:
    id: str
    name: str  # the official document's title
    issued_by: str
    first_year: int
    last_year: int | None
    sections: tuple[Section, ...]
    tables: tuple[Table, ...]

    def fits_year(self, year: int) -> bool:
        return year >= self.first_year and (self.last_year is None or year <= self.last_year)

    @cached_property
    def table_index(self) -> dict[str, Table]:
        return {table.key: table for table in self.tables}

    def table(self, key: str) -> Table:
        return self.table_index[key]

    @cached_property
    def text_sections(self) -> tuple[str, ...]:
        return ("preamble", *(section.key for section in self.sections if section.text))

    @cached_property
    def input_cells(self) -> tuple[Address, ...]:
        return tuple(address for table in self.tables for address in table.input_cells)

    @cached_property
    def input_set(self) -> frozenset[Address]:
        return frozenset(self.input_cells)

    @cached_property
    def cell_kinds(self) -> dict[Address, Kind]:
        """The kind of every typed cell."""
        return {address: self.column(address).kind for address in self.input_cells}

    def column(self, address: Address) -> Column:
        return self.table(address[0]).column_index[address[2]]

    def has_cell(self, address: Address) -> bool:
        table = self.table_index.get(address[0])
        return (
            table is not None and address[1] in table.row_index and address[2] in table.column_index
        )

    @cached_property
    def layouts(self) -> dict[str, Layout]:
        """The three official tables: 二 (proactive), 三 (requests), 四 (appeals)."""
        result: dict[str, Layout] = {}
        for section in self.sections:
            if section.text:
                continue
            tables = [self.table(key) for key in section.tables]
            if section.key == "proactive":
                result[section.key] = blocks_layout(section, tables)
            elif section.key == "requests":
                result[section.key] = matrix_layout(section, tables[0])
            else:
                result[section.key] = strip_layout(section, tables[0])
        return result


def _value_role(table: Table, row: str, col: str) -> Role:
    return Role.DERIVED if table.is_derived(row, col) else Role.INPUT


_BLOCK_SLOTS = {1: (3,), 2: (1, 2), 3: (1, 1, 1)}


def blocks_layout(section: Section, tables: list[Table]) -> Layout:
    """Table 二: one 4-column table; each block is a heading row, a header row, its data rows.

    A block with fewer than three value columns widens its last column to fill the row, as the
    official template draws it (one column spans columns 2–4; of two, the second spans 3–4).
    """
    cells: list[LayoutCell] = []
    r = 0
    for table in tables:
        cells.append(LayoutCell(r, 0, 1, 4, Role.HEADING, table.title))
        r += 1
        spans = _BLOCK_SLOTS[len(table.columns)]
        cells.append(LayoutCell(r, 0, 1, 1, Role.HEADER, table.row_header))
        c = 1
        for column, span in zip(table.columns, spans, strict=True):
            cells.append(LayoutCell(r, c, 1, span, Role.HEADER, column.label))
            c += span
        r += 1
        for row in table.rows:
            cells.append(LayoutCell(r, 0, 1, 1, Role.LABEL, row.label))
            c = 1
            for column, span in zip(table.columns, spans, strict=True):
                role = _value_role(table, row.key, column.key)
                cells.append(LayoutCell(r, c, 1, span, role, "", (table.key, row.key, column.key)))
                c += span
            r += 1
    return Layout(section.key, section.heading, r, 4, tuple(cells), header_rows=0, label_cols=1)


def matrix_layout(section: Section, table: Table) -> Layout:
    """Table 三: label columns with merged group labels; a header of grouped columns."""
    label_cols = 1 + max(len(row.groups) for row in table.rows)
    has_groups = any(column.group for column in table.columns)
    header_rows = 1 + (1 if has_groups else 0) + (1 if table.column_header else 0)
    cells: list[LayoutCell] = [
        LayoutCell(0, 0, header_rows, label_cols, Role.HEADER, table.corner or ""),
    ]
    top = 0
    if table.column_header:
        cells.append(LayoutCell(0, label_cols, 1, len(table.columns), Role.HEADER, table.column_header))
        top = 1
    i = 0
    while i < len(table.columns):
        column = table.columns[i]
        c = label_cols + i
        if column.group is None:
            cells.append(LayoutCell(top, c, header_rows - top, 1, Role.HEADER, column.label))
            i += 1
            continue
        j = i
        while j < len(table.columns) and table.columns[j].group == column.group:
            cells.append(LayoutCell(header_rows - 1, label_cols + j, 1, 1, Role.HEADER, table.columns[j].label))
            j += 1
        cells.append(LayoutCell(top, c, header_rows - 1 - top, j - i, Role.HEADER, column.group))
        i = j

    rows = table.rows
    for i, row in enumerate(rows):
        r = header_rows + i
        for depth, group in enumerate(row.groups):
            prefix = row.groups[: depth + 1]
            if i > 0 and rows[i - 1].groups[: depth + 1] == prefix:
                continue  # covered by the group cell above
            span = 1
            while i + span < len(rows) and rows[i + span].groups[: depth + 1] == prefix:
                span += 1
            cells.append(LayoutCell(r, depth, span, 1, Role.LABEL, group))
        depth = len(row.groups)
        cells.append(LayoutCell(r, depth, 1, label_cols - depth, Role.LABEL, row.label))
        for j, column in enumerate(table.columns):
            role = _value_role(table, row.key, column.key)
            cells.append(LayoutCell(r, label_cols + j, 1, 1, role, "", (table.key, row.key, column.key)))
    n_rows = header_rows + len(rows)
    return Layout(
        section.key, section.heading, n_rows, label_cols + len(table.columns), tuple(cells),
        header_rows=header_rows, label_cols=label_cols,
    )


def strip_layout(section: Section, table: Table) -> Layout:
    """Table 四: all rows side by side as one strip of numbers under three header rows.

    Row 1 names each row (rows sharing an outer group sit under one merged group label); a row
    without a group has its column labels span rows 2–3; a grouped row names itself on row 2 and
    its column labels on row 3.
    """
    width = len(table.columns)
    cells: list[LayoutCell] = []
    c = 0
    i = 0
    rows = table.rows
    while i < len(rows):
        row = rows[i]
        if not row.groups:
            cells.append(LayoutCell(0, c, 1, width, Role.HEADER, row.label))
            for j, column in enumerate(table.columns):
                cells.append(LayoutCell(1, c + j, 2, 1, Role.HEADER, column.label))
            c += width
            i += 1
            continue
        j = i
        while j < len(rows) and rows[j].groups == row.groups:
            j += 1
        cells.append(LayoutCell(0, c, 1, width * (j - i), Role.HEADER, row.groups[0]))
        for member in rows[i:j]:
            cells.append(LayoutCell(1, c, 1, width, Role.HEADER, member.label))
            for k, column in enumerate(table.columns):
                cells.append(LayoutCell(2, c + k, 1, 1, Role.HEADER, column.label))
            c += width
        i = j
    c = 0
    for row in rows:
        for column in table.columns:
            role = _value_role(table, row.key, column.key)
            cells.append(LayoutCell(3, c, 1, 1, role, "", (table.key, row.key, column.key)))
            c += 1
    return Layout(section.key, section.heading, 4, c, tuple(cells), header_rows=3, label_cols=0)
