"""A published report as the matcher sees it: paragraphs and tables (with their spans), in order.

Every reader (.pdf, .docx, .html, .txt) produces these blocks, so one matching core serves them all.
"""

from __future__ import annotations

from dataclasses import dataclass, field


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
        for cell in self.grid[r]:
            if cell is not None and (not seen or seen[-1] is not cell) and cell not in seen:
                seen.append(cell)
        return seen


Block = str | TableBlock


class GridBuilder:
    """Builds a grid from rows of (text, colspan, rowspan) cells, honouring earlier rowspans."""

    def __init__(self) -> None:
        self.table = TableBlock()
        self._pending: dict[tuple[int, int], GridCell] = {}  # positions reserved by rowspans above

    def add_row(self, cells: list[tuple[str, int, int]]) -> None:
        r = len(self.table.grid)
        row: list[GridCell | None] = []
        c = 0

        def fill_reserved() -> None:
            nonlocal c
            while (r, c) in self._pending:
                row.append(self._pending.pop((r, c)))
                c += 1

        for text, colspan, rowspan in cells:
            fill_reserved()
            cell = GridCell(text, r, c, max(1, rowspan), max(1, colspan))
            for k in range(cell.colspan):
                row.append(cell)
                for down in range(1, cell.rowspan):
                    self._pending[(r + down, c + k)] = cell
            c += cell.colspan
        fill_reserved()
        self.table.grid.append(row)

    def continue_above(self, r: int, c: int, colspan: int) -> None:
        """A docx vMerge continuation at (r, c): the cell above grows one row."""
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
