"""A published report as the matcher sees it: paragraphs and tables (with their spans), in order.

Every reader (.pdf, .docx, .html, .txt) produces these blocks, so one matching core serves them all.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from model.limits import (
    MAX_GRID_CELLS,
    MAX_PARAGRAPHS,
    MAX_SPAN,
    MAX_TABLE_COLUMNS,
    MAX_TABLE_ROWS,
    MAX_TABLES,
    MAX_TEXT_CHARS,
)


@dataclass(eq=False)
class GridCell:
    text: str
    row: int
    col: int
    rowspan: int = 1
    colspan: int = 1


@dataclass
class TableBlock:
    """A table as a grid: every position holds the cell covering it (merged cells: the same object)."""

    grid: list[list[GridCell | None]] = field(default_factory=list)

    def row_cells(self, r: int) -> list[GridCell]:
        """The distinct cells of grid row ``r``, left to right (a merged cell once)."""
        seen: list[GridCell] = []
        ids: set[int] = set()
        for cell in self.grid[r]:
            if cell is not None and id(cell) not in ids:
                ids.add(id(cell))
                seen.append(cell)
        return seen


Block = str | TableBlock


class SourceRefused(Exception):
    """A source beyond a stated limit (model/limits.py), or unsafe to read; ``reason`` says which, in Chinese."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def clamp_span(raw: object) -> int:
    """A row or column span as a file states it ("3", "abc", "1000000000") → 1 … MAX_SPAN."""
    try:
        span = int(str(raw).strip())
    except (TypeError, ValueError):
        return 1
    return min(max(1, span), MAX_SPAN)


class Budget:
    """What one source may cost, counted while it is read: a reader stops at the first limit."""

    def __init__(self) -> None:
        self.grid_cells = 0
        self.tables = 0

    def cells(self, count: int) -> None:
        self.grid_cells += count
        if self.grid_cells > MAX_GRID_CELLS:
            raise SourceRefused(f"表格过大（所有表格合计超过 {MAX_GRID_CELLS} 个单元格）")

    def table(self) -> None:
        self.tables += 1
        if self.tables > MAX_TABLES:
            raise SourceRefused(f"表格过多（超过 {MAX_TABLES} 个）")


def check_column(c: int) -> None:
    """A table cell may start at column ``c`` (0-based) only within MAX_TABLE_COLUMNS."""
    if c >= MAX_TABLE_COLUMNS:
        raise SourceRefused(f"表格过宽（超过 {MAX_TABLE_COLUMNS} 列）")


def check_paragraph_count(count: int) -> None:
    if count > MAX_PARAGRAPHS:
        raise SourceRefused(f"段落过多（超过 {MAX_PARAGRAPHS} 段）")


def check_blocks(blocks: list[Block]) -> list[Block]:
    """The whole of a source within the paragraph and text limits (tables were counted as read)."""
    paragraphs = [b for b in blocks if isinstance(b, str)]
    check_paragraph_count(len(paragraphs))
    cells = {id(c): len(c.text) for b in blocks if isinstance(b, TableBlock) for row in b.grid for c in row if c}
    if sum(map(len, paragraphs)) + sum(cells.values()) > MAX_TEXT_CHARS:
        raise SourceRefused(f"文字过多（超过 {MAX_TEXT_CHARS} 字）")
    return blocks


class GridBuilder:
    """Builds a grid from rows of (text, colspan, rowspan) cells, honouring earlier rowspans.

    Spans are clamped to MAX_SPAN and to the table's limits; every grid position is charged to the
    source's :class:`Budget` before it is allocated.
    """

    def __init__(self, budget: Budget | None = None) -> None:
        self.table = TableBlock()
        self._pending: dict[tuple[int, int], GridCell] = {}  # positions reserved by rowspans above
        self.budget = budget or Budget()
        self.budget.table()

    def add_row(self, cells: list[tuple[str, int, int]]) -> None:
        r = len(self.table.grid)
        if r >= MAX_TABLE_ROWS:
            raise SourceRefused(f"表格过大（超过 {MAX_TABLE_ROWS} 行）")
        row: list[GridCell | None] = []
        c = 0

        def fill_reserved() -> None:
            nonlocal c
            while (r, c) in self._pending:
                row.append(self._pending.pop((r, c)))
                c += 1

        for text, colspan, rowspan in cells:
            fill_reserved()
            check_column(c)
            colspan = min(clamp_span(colspan), MAX_TABLE_COLUMNS - c)
            rowspan = min(clamp_span(rowspan), MAX_TABLE_ROWS - r)
            self.budget.cells(colspan * rowspan)
            cell = GridCell(text, r, c, rowspan, colspan)
            for k in range(cell.colspan):
                row.append(cell)
                for down in range(1, cell.rowspan):
                    self._pending[(r + down, c + k)] = cell
            c += cell.colspan
        fill_reserved()
        self.table.grid.append(row)

    def continue_above(self, r: int, c: int, colspan: int) -> None:
        """A docx vMerge continuation at (r, c): the cell above grows one row."""
        self.budget.cells(colspan)
        above = self.table.grid[r - 1][c] if r > 0 and c < len(self.table.grid[r - 1]) else None
        row = self.table.grid[r]
        if above is None:
            above = GridCell("", r, c, 1, colspan)
        else:
            above.rowspan += 1
        while len(row) < c:
            row.append(None)
        row[c:c + colspan] = [above] * colspan

    def build(self) -> TableBlock:
        for (r, c), cell in sorted(self._pending.items()):  # rowspans past the last row
            while len(self.table.grid) <= r:
                self.table.grid.append([])
            row = self.table.grid[r]
            while len(row) <= c:
                row.append(None)
            row[c] = cell
        width = max((len(row) for row in self.table.grid), default=0)
        for row in self.table.grid:
            row.extend([None] * (width - len(row)))
        return self.table
