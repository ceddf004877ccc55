"""A PDF's pages (glyphs and ruling lines) → the blocks every reader gives the matcher.

Tables are rebuilt from their ruling lines: the lines that touch each other form a table; their
positions cut it into a fine grid, and a missing line between two grid cells merges them (a
merged label or header cell). Each glyph goes to the cell that holds its centre, so a number sits
in its cell whether it is printed on the first or the last line of a tall cell. A table that runs
over a page break is joined again (header rows repeated on the next page are dropped). Text that
no ruled table holds is set in lines; lines whose pieces stand apart like columns and carry
numbers are rows of a table drawn without lines (their columns found from where the pieces
stand, so an empty cell keeps its place); the rest becomes paragraphs again: a new paragraph where
a line is indented, follows a short line, stands alone centred, or starts a numbered heading.
Page numbers and running headers are dropped.
"""

from __future__ import annotations

import bisect
import itertools
import operator
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from export.reading.blocks import Block, GridCell, TableBlock
from export.reading.pdf_page import Glyph, PageContent, Rule

_SNAP = 2.0  # points: lines closer than this are the same line
_NUMBER = re.compile(r"^[-+－]?[\d,，.．]+(%|万元|元|万)?$|^[/／—–-]+$")
_HEADING = re.compile(r"^(第[一二三四五六七八九十]+[章节部分]|[一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+[）)])")
_PAGE_NUMBER = re.compile(r"^[-－—–~\s]*(第\s*)?\d{1,4}(\s*页)?(\s*[/／共]\s*\d{1,4}\s*页?)?[-－—–~\s]*$")
_NUMERAL = re.compile(r"[\d,.%/／—–-]")
_CJK = re.compile(r"[\u3000-\u9fff\uff00-\uffef]")
_TOP_LEFT = operator.attrgetter("y0", "x0")  # a cell box or a line: top to bottom, then left to right
_LEFT = operator.attrgetter("x0")


# ---- lines of text --------------------------------------------------------------------------


@dataclass(slots=True)
class Line:
    glyphs: list[Glyph]
    x0: float
    y0: float
    x1: float
    y1: float
    page: int = 0
    _pieces: list[Line] | None = field(default=None, repr=False, compare=False)
    _numbers: list[Line] | None = field(default=None, repr=False, compare=False)
    _text: str | None = field(default=None, repr=False, compare=False)

    @property
    def height(self) -> float:
        return self.y1 - self.y0

    @property
    def cx(self) -> float:
        return (self.x0 + self.x1) / 2

    @property
    def cy_line(self) -> float:
        return (self.y0 + self.y1) / 2

    @property
    def text(self) -> str:
        if self._text is None:
            self._text = _joined(self.glyphs, self.height)
        return self._text

    def pieces(self) -> list[Line]:
        """The line cut where a gap is as wide as two characters: the pieces stand apart like cells."""
        if self._pieces is None:
            wide, narrow = 2.0 * max(self.height, 1.0), 0.3 * max(self.height, 1.0)
            piece = [self.glyphs[0]]
            pieces = [piece]
            for last, glyph in itertools.pairwise(self.glyphs):
                gap = glyph.x0 - last.x1
                # two numbers stand apart at a smaller gap than words do (narrow number columns)
                if gap > wide or (gap > narrow and _NUMERAL.match(glyph.text) and _NUMERAL.match(last.text)):
                    piece = []
                    pieces.append(piece)
                piece.append(glyph)
            if len(pieces) == 1:  # the whole line (its bounds and text as they are; no cycle back to self)
                self._pieces = [Line(self.glyphs, self.x0, self.y0, self.x1, self.y1, self.page, _text=self.text)]
            else:
                self._pieces = [_line(p, self.page) for p in pieces]
        return self._pieces

    def numbers(self) -> list[Line]:
        """The pieces that are numbers (they stand in a table's value columns)."""
        if self._numbers is None:
            self._numbers = [p for p in self.pieces() if _is_number(p.text)]
        return self._numbers


def _line(glyphs: list[Glyph], page: int = 0) -> Line:
    first = glyphs[0]
    x0, y0, x1, y1 = first.x0, first.y0, first.x1, first.y1
    for g in glyphs:
        if g.x0 < x0:
            x0 = g.x0
        if g.y0 < y0:
            y0 = g.y0
        if g.x1 > x1:
            x1 = g.x1
        if g.y1 > y1:
            y1 = g.y1
    return Line(glyphs, x0, y0, x1, y1, page)


def _joined(glyphs: Sequence[Glyph], height: float) -> str:
    """Glyphs left to right; a space where two numbers or words stand clearly apart."""
    if not glyphs:
        return ""
    apart = 0.3 * height
    out = [glyphs[0].text]
    for last, glyph in itertools.pairwise(glyphs):
        if glyph.x0 - last.x1 > apart and glyph.text.isascii() and last.text.isascii():
            out.append(" ")  # two numbers or words standing apart; Chinese text never takes a space
        out.append(glyph.text)
    return "".join(out)


def _by_middle(glyph: Glyph) -> tuple[float, float]:
    return (glyph.y0 + glyph.y1, glyph.x0)


def lines_of(glyphs: Iterable[Glyph], page: int = 0) -> list[Line]:
    """Glyphs grouped into lines, top to bottom, each left to right: taken by their middles, a
    glyph joins the latest of the last three lines that it overlaps by half its height (or by
    half the line's), else it starts a line."""
    lines: list[list[Glyph]] = []
    bands: list[list[float]] = []  # each line's top and bottom so far
    latest: list[Glyph] = []
    top = bottom = 0.0  # the latest line's band, at hand: most glyphs join that line
    for glyph in sorted(glyphs, key=_by_middle):
        y0, y1 = glyph.y0, glyph.y1
        half = 0.5 * (y1 - y0)
        if latest:
            line_half = 0.5 * (bottom - top)
            if (bottom if bottom < y1 else y1) - (top if top > y0 else y0) >= (line_half if line_half < half else half):
                latest.append(glyph)
                if y0 < top:
                    top = bands[-1][0] = y0
                if y1 > bottom:
                    bottom = bands[-1][1] = y1
                continue
        for k in range(len(lines) - 2, max(-1, len(lines) - 4), -1):  # the two lines before it
            band = bands[k]
            above, below = band
            if (below if below < y1 else y1) - (above if above > y0 else y0) >= min(half, 0.5 * (below - above)):
                lines[k].append(glyph)
                if y0 < above:
                    band[0] = y0
                if y1 > below:
                    band[1] = y1
                break
        else:
            latest = [glyph]
            top, bottom = y0, y1
            lines.append(latest)
            bands.append([y0, y1])
    result = []
    for members in lines:
        members.sort(key=_LEFT)
        result.append(_line(members, page))
    result.sort(key=_TOP_LEFT)
    return result


def cell_text(glyphs: list[Glyph]) -> str:
    if len(glyphs) == 1:
        return glyphs[0].text
    tops, bottoms = [g.y0 for g in glyphs], [g.y1 for g in glyphs]
    if max(tops) < min(bottoms):  # one line (most cells): no grouping needed
        return _joined(sorted(glyphs, key=_LEFT), max(bottoms) - min(tops))
    return "\n".join(line.text for line in lines_of(glyphs))


# ---- ruled tables ---------------------------------------------------------------------------


@dataclass(slots=True)
class CellBox:
    x0: float
    y0: float
    x1: float
    y1: float
    text: str


@dataclass
class TableBox:
    """A table as cell rectangles (in a page's frame, or pages stacked for a table over a break)."""

    cells: list[CellBox]
    page: int

    @property
    def top(self) -> float:
        return min(c.y0 for c in self.cells)

    @property
    def bottom(self) -> float:
        return max(c.y1 for c in self.cells)

    @property
    def columns(self) -> list[float]:
        return _cluster([x for c in self.cells for x in (c.x0, c.x1)])

    def block(self) -> TableBlock:
        return grid_of(self.cells)


def _cluster(values: Iterable[float], tolerance: float = _SNAP) -> list[float]:
    """Positions within ``tolerance`` of each other as one (their mean), ascending."""
    groups: list[list[float]] = []
    group: list[float] = []
    for v in sorted(values):
        if group and v - group[-1] <= tolerance:
            group.append(v)
        else:
            group = [v]
            groups.append(group)
    return [sum(g) / len(g) for g in groups]


def _index(positions: list[float], value: float) -> int:
    """The index of the position nearest ``value`` (positions ascending)."""
    i = bisect.bisect_left(positions, value)
    if i == 0:
        return 0
    if i == len(positions) or value - positions[i - 1] <= positions[i] - value:
        return i - 1
    return i


def grid_of(cells: list[CellBox]) -> TableBlock:
    """Cell rectangles → the grid the matcher reads (merged cells: one object over its positions)."""
    x_edges = [x for c in cells for x in (c.x0, c.x1)]
    y_edges = [y for c in cells for y in (c.y0, c.y1)]
    xs, ys = _cluster(x_edges), _cluster(y_edges)
    # cells share their edges: each distinct edge is looked up once
    column = {x: _index(xs, x) for x in set(x_edges)}
    row = {y: _index(ys, y) for y in set(y_edges)}
    grid: list[list[GridCell | None]] = [[None] * max(0, len(xs) - 1) for _ in range(max(0, len(ys) - 1))]
    for box in sorted(cells, key=_TOP_LEFT):
        c0, c1 = column[box.x0], column[box.x1]
        r0, r1 = row[box.y0], row[box.y1]
        if c1 <= c0 or r1 <= r0:
            continue
        cell = GridCell(box.text, r0, c0, r1 - r0, c1 - c0)
        for r in range(r0, r1):
            for c in range(c0, c1):
                grid[r][c] = cell
    return TableBlock(grid)


def _merge_rules(rules: list[Rule], horizontal: bool) -> list[Rule]:
    """Collinear pieces of one line (a border drawn cell by cell) joined into one rule."""
    chosen = [r for r in rules if r.horizontal == horizontal and (r.x1 - r.x0 if horizontal else r.y1 - r.y0) > 0]
    by_position: dict[float, list[Rule]] = {}
    positions = _cluster([r.y0 if horizontal else r.x0 for r in chosen])
    for rule in chosen:
        at = positions[_index(positions, rule.y0 if horizontal else rule.x0)]
        by_position.setdefault(at, []).append(rule)
    merged = []
    for at, group in by_position.items():
        spans = sorted((r.x0, r.x1) if horizontal else (r.y0, r.y1) for r in group)
        start, end = spans[0]
        for a, b in spans[1:]:
            if a <= end + _SNAP:
                end = max(end, b)
            else:
                merged.append(Rule(start, at, end, at) if horizontal else Rule(at, start, at, end))
                start, end = a, b
        merged.append(Rule(start, at, end, at) if horizontal else Rule(at, start, at, end))
    return merged


class _Sets:
    def __init__(self, n: int) -> None:
        self.parent = list(range(n))

    def find(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def join(self, a: int, b: int) -> None:
        self.parent[self.find(a)] = self.find(b)


def ruled_tables(page: PageContent) -> tuple[list[TableBox], list[Glyph]]:
    """The page's ruled tables, and the glyphs no table holds."""
    hs = _merge_rules(page.rules, horizontal=True)
    vs = _merge_rules(page.rules, horizontal=False)
    rules = hs + vs
    sets = _Sets(len(rules))
    # a horizontal and a vertical rule touch when each reaches the other (within _SNAP)
    reaches = [(v.x0, v.y0 - _SNAP, v.y1 + _SNAP) for v in vs]
    for i, h in enumerate(hs):
        left, right, y = h.x0 - _SNAP, h.x1 + _SNAP, h.y0
        for j, (x, top, bottom) in enumerate(reaches):
            if left <= x <= right and top <= y <= bottom:
                sets.join(i, len(hs) + j)
    groups: dict[int, list[Rule]] = {}
    for i, rule in enumerate(rules):
        groups.setdefault(sets.find(i), []).append(rule)
    tables: list[TableBox] = []
    free = list(page.glyphs)
    for group in groups.values():
        group_h = [r for r in group if r.horizontal]
        group_v = [r for r in group if not r.horizontal]
        if len(group_h) < 2 or len(group_v) < 2:
            continue
        inside, free = _split_glyphs(free, group)
        table = _cells_of(group_h, group_v, inside, page.number)
        if table is None:
            free.extend(inside)
        else:
            tables.append(table)
    return tables, free


def _split_glyphs(glyphs: list[Glyph], group: list[Rule]) -> tuple[list[Glyph], list[Glyph]]:
    x0 = min(r.x0 for r in group) - 1
    x1 = max(r.x1 for r in group) + 1
    y0 = min(r.y0 for r in group) - 1
    y1 = max(r.y1 for r in group) + 1
    inside, outside = [], []
    x0, x1, y0, y1 = 2 * x0, 2 * x1, 2 * y0, 2 * y1  # compared with twice the centre: no division
    for glyph in glyphs:  # most glyphs outside a table stand above or below it
        if y0 <= glyph.y0 + glyph.y1 <= y1 and x0 <= glyph.x0 + glyph.x1 <= x1:
            inside.append(glyph)
        else:
            outside.append(glyph)
    return inside, outside


class _Spans:
    """The rules of one direction by position (y of a horizontal one, x of a vertical one)."""

    def __init__(self, rules: list[Rule], horizontal: bool) -> None:
        found: dict[float, list[tuple[float, float]]] = {}
        for rule in rules:
            if horizontal:
                found.setdefault(rule.y0, []).append((rule.x0, rule.x1))
            else:
                found.setdefault(rule.x0, []).append((rule.y0, rule.y1))
        self.positions = sorted(found)
        self.pieces = [found[p] for p in self.positions]

    def near(self, at: float) -> list[tuple[float, float]]:
        """The pieces of the rules at ``at`` (within _SNAP), each reaching _SNAP further at both ends."""
        found = []
        i = bisect.bisect_left(self.positions, at - _SNAP)
        while i < len(self.positions) and self.positions[i] <= at + _SNAP:
            found += [(start - _SNAP, end + _SNAP) for start, end in self.pieces[i]]
            i += 1
        return found


def _middle(lo: float, hi: float) -> tuple[float, float]:
    """The middle of the span lo…hi that a border between two grid cells must cover."""
    mid = (lo + hi) / 2
    reach = max((hi - lo) * 0.25, 0.5)
    return mid - reach, mid + reach


def _covers(pieces: list[tuple[float, float]], low: float, high: float) -> bool:
    """One of the pieces (``_Spans.near``) covers low…high (``_middle``)."""
    for start, end in pieces:
        if start <= low and end >= high:
            return True
    return False


def _cells_of(hs: list[Rule], vs: list[Rule], glyphs: list[Glyph], page: int) -> TableBox | None:
    ys = _cluster([r.y0 for r in hs] + [min(r.y0 for r in vs), max(r.y1 for r in vs)])
    xs = _cluster([r.x0 for r in vs] + [min(r.x0 for r in hs), max(r.x1 for r in hs)])
    rows, cols = len(ys) - 1, len(xs) - 1
    if rows < 1 or cols < 1:
        return None
    sets = _Sets(rows * cols)
    verticals, horizontals = _Spans(vs, horizontal=False), _Spans(hs, horizontal=True)
    between_columns = [verticals.near(x) for x in xs[1:-1]]  # [c]: the rules between columns c and c + 1
    between_rows = [horizontals.near(y) for y in ys[1:-1]]
    row_middles = [_middle(ys[r], ys[r + 1]) for r in range(rows)]
    column_middles = [_middle(xs[c], xs[c + 1]) for c in range(cols)]
    for r, (low, high) in enumerate(row_middles):
        for c in range(cols - 1):
            if not _covers(between_columns[c], low, high):
                sets.join(r * cols + c, r * cols + c + 1)
    for r in range(rows - 1):
        for c, (low, high) in enumerate(column_middles):
            if not _covers(between_rows[r], low, high):
                sets.join(r * cols + c, (r + 1) * cols + c)
    roots = [sets.find(i) for i in range(rows * cols)]
    bounds: dict[int, list[int]] = {}  # root → [first row, last row, first column, last column]
    i = 0
    for r in range(rows):  # row by row: a root's first row is where it is met first, its last row the latest
        for c in range(cols):
            root = roots[i]
            i += 1
            box = bounds.get(root)
            if box is None:
                bounds[root] = [r, r, c, c]
            else:
                box[1] = r
                if c < box[2]:
                    box[2] = c
                elif c > box[3]:
                    box[3] = c
    if len(bounds) < 2:
        return None  # a frame around text, not a table
    # each glyph goes to the grid cell holding its centre: its row is the number of inner edges
    # above the centre (so a centre beyond the outer edges falls in the edge row), its column alike
    inner_ys, inner_xs = ys[1:-1], xs[1:-1]
    holding: dict[int, list[Glyph]] = {}
    for glyph in glyphs:
        r = bisect.bisect_right(inner_ys, (glyph.y0 + glyph.y1) / 2)
        c = bisect.bisect_right(inner_xs, (glyph.x0 + glyph.x1) / 2)
        holding.setdefault(roots[r * cols + c], []).append(glyph)
    cells = []
    for root, (r0, r1, c0, c1) in bounds.items():
        held = holding.get(root)
        cells.append(CellBox(xs[c0], ys[r0], xs[c1 + 1], ys[r1 + 1], cell_text(held) if held else ""))
    return TableBox(cells, page)


# ---- tables drawn without lines -------------------------------------------------------------


def _is_number(text: str) -> bool:
    return bool(_NUMBER.match(text.replace(" ", "")))


def _tabular(line: Line) -> bool:
    pieces = line.pieces()
    if len(pieces) < 2:
        return False
    return bool(line.numbers()) or len(pieces) >= 3


def unruled_table(lines: list[Line]) -> TableBlock:
    """Lines of a table drawn without lines → a grid. Its columns are where the numbers stand;
    its rows are the lines with numbers, each with the label lines that belong to it (a label
    wrapped over lines, its numbers on the first, the middle or the last of them)."""
    bands = _number_columns(lines)
    left = min(line.x0 for line in lines)
    first_band = bands[0][0] if bands else max(line.x1 for line in lines) + 1
    edges = [left, *(b[0] - 1 for b in bands), max(line.x1 for line in lines) + 1]
    rows = _rows_of(lines, first_band)
    cells: list[CellBox] = []
    for i, members in enumerate(rows):
        top, bottom = i * 10.0, (i + 1) * 10.0  # one grid row per table row
        pieces = [p for line in members for p in line.pieces()]
        label = [p for p in pieces if p.x1 <= first_band - 1]
        rest = [p for p in pieces if p.x1 > first_band - 1]
        cells.append(CellBox(edges[0], top, edges[1], bottom, "".join(p.text for p in label)))
        for k in range(1, len(edges) - 1):
            inside = [p for p in rest if edges[k] <= p.cx < edges[k + 1]]
            cells.append(CellBox(edges[k], top, edges[k + 1], bottom, " ".join(p.text for p in inside)))
    return grid_of(cells)


def _number_columns(lines: list[Line]) -> list[list[float]]:
    """Where the numbers stand: the spans of number pieces that overlap, then neighbouring spans
    that no line fills both of (a "/" set left in a column whose numbers are centred)."""
    spans = sorted((p.x0, p.x1) for line in lines for p in line.numbers())
    bands: list[list[float]] = []
    for x0, x1 in spans:
        if bands and x0 <= bands[-1][1]:
            bands[-1][1] = max(bands[-1][1], x1)
        else:
            bands.append([x0, x1])
    rows = [[(p.x0 + p.x1) / 2 for p in line.numbers()] for line in lines]
    k = 0
    while k + 1 < len(bands):
        a, b = bands[k], bands[k + 1]
        both = any(any(a[0] <= x <= a[1] for x in xs) and any(b[0] <= x <= b[1] for x in xs) for xs in rows)
        if both:
            k += 1
        else:
            bands[k] = [a[0], b[1]]
            del bands[k + 1]
    return bands


def _rows_of(lines: list[Line], first_band: float) -> list[list[Line]]:
    """Each line with numbers starts a row; a line of label words joins the nearest such line
    (within a line and a half), else it is a row of its own (a header, a group)."""
    numbered = [i for i, line in enumerate(lines) if line.numbers()]
    owner: dict[int, int] = {i: i for i in numbered}
    for i, line in enumerate(lines):
        if i in owner:
            continue
        words_only = all(p.x1 <= first_band - 1 for p in line.pieces())
        near = [k for k in numbered if lines[k].page == line.page
                and abs(lines[k].cy_line - line.cy_line) <= 1.5 * max(line.height, lines[k].height)]
        if words_only and near:
            owner[i] = min(near, key=lambda k: abs(lines[k].cy_line - line.cy_line))
        else:
            owner[i] = i
    rows: dict[int, list[Line]] = {}
    for i in sorted(owner, key=lambda i: (owner[i], i)):
        rows.setdefault(owner[i], []).append(lines[i])
    return [sorted(members, key=lambda line: line.y0) for _key, members in sorted(rows.items())]


# ---- paragraphs -----------------------------------------------------------------------------


@dataclass
class _Column:
    left: float
    right: float
    size: float


def _column_of(lines: list[Line]) -> _Column:
    if not lines:
        return _Column(0, 0, 10)
    sizes = sorted(line.height for line in lines)
    size = sizes[len(sizes) // 2]
    # the text's left edge: the leftmost place where several lines start (first lines are indented)
    lefts = sorted(line.x0 for line in lines)
    left = next((x for i, x in enumerate(lefts[:-1]) if lefts[i + 1] - x <= 2), lefts[0])
    rights = sorted(line.x1 for line in lines)
    right = rights[int(len(rights) * 0.9)] if len(rights) > 1 else rights[0]
    return _Column(left, right, max(size, 1.0))


def _glue(a: str, b: str) -> str:
    """Two lines of one paragraph: Chinese runs on without a space; two Latin words or numbers take one."""
    if a and b and a[-1].isascii() and a[-1].isalnum() and b[0].isascii() and b[0].isalnum():
        return a + " " + b
    return a + b


@dataclass
class _Paragraphs:
    column: _Column
    blocks: list[Block] = field(default_factory=list)
    current: list[Line] = field(default_factory=list)
    centred: bool = False  # the paragraph is a centred title: its lines stay lines
    apart: bool = False  # a line set apart to the right: a paragraph by itself

    def flush(self) -> None:
        if self.current:
            texts = [line.text for line in self.current]
            if self.centred:  # a title over several lines keeps them
                self.blocks.append("\n".join(texts))
            else:
                text = texts[0]
                for more in texts[1:]:
                    text = _glue(text, more)
                self.blocks.append(text)
        self.current = []

    def add(self, line: Line) -> None:
        col = self.column
        text = line.text
        before, after = line.x0 - col.left, col.right - line.x1
        centred = before > 2 * col.size and after > 2 * col.size and abs(before - after) < 2 * col.size
        apart = not centred and before > 3.5 * col.size  # set to the right: a signature, a date
        if self.current:
            last = self.current[-1]
            new = (
                centred != self.centred
                or apart
                or self.apart
                or (not centred and before > 0.8 * col.size)  # an indented first line
                or (not self.centred and last.x1 < col.right - 1.5 * col.size)  # after a short last line
                or (line.page == last.page and line.y0 - last.y1 > (1.5 if centred else 1.2) * max(line.height, last.height))
                or bool(_HEADING.match(text))
            )
            if new:
                self.flush()
        if not self.current:
            self.centred, self.apart = centred, apart
        self.current.append(line)


# ---- pages → blocks -------------------------------------------------------------------------


def _furniture(pages: list[list[Line]], sizes: list[tuple[float, float]]) -> set[int]:
    """ids of page numbers and running heads/feet: in the top or bottom margin, a number or the
    same text on several pages."""
    margins = []
    for lines, (_w, height) in zip(pages, sizes, strict=True):
        for line in lines:
            if line.y1 < height * 0.1 or line.y0 > height * 0.9:
                margins.append(line)
    seen: dict[str, int] = {}
    for line in margins:
        seen[line.text] = seen.get(line.text, 0) + 1
    return {id(line) for line in margins
            if _PAGE_NUMBER.match(line.text) or (seen[line.text] >= 2 and len(pages) >= 2)}


def _same_table(a: TableBox, b: TableBox) -> bool:
    """``b`` at the top of the next page continues ``a``: the same column lines."""
    xa, xb = a.columns, b.columns
    if abs(xa[0] - xb[0]) > 3 * _SNAP or abs(xa[-1] - xb[-1]) > 3 * _SNAP:
        return False
    shared = sum(1 for x in xb if any(abs(x - y) <= _SNAP for y in xa))
    return shared >= 0.6 * min(len(xa), len(xb))


def _row_texts(block: TableBlock, r: int) -> list[str]:
    return ["".join(cell.text.split()) for cell in block.row_cells(r)]


def _join(a: TableBox, b: TableBox) -> TableBox:
    """``b`` under ``a``, without the header rows ``b`` repeats from the top of ``a``."""
    first, second = a.block(), b.block()
    repeated = 0
    while (repeated < len(second.grid) and repeated < len(first.grid)
           and any(_row_texts(second, repeated))
           and _row_texts(second, repeated) == _row_texts(first, repeated)):
        repeated += 1
    ys = _cluster([y for c in b.cells for y in (c.y0, c.y1)])
    cut = ys[repeated] if repeated < len(ys) else b.bottom
    shift = a.bottom - cut
    kept = [CellBox(c.x0, c.y0 + shift, c.x1, c.y1 + shift, c.text) for c in b.cells if c.y0 >= cut - _SNAP]
    return TableBox(a.cells + kept, a.page)


def layout(pages: list[PageContent]) -> list[Block]:
    """All pages → paragraphs and tables in reading order."""
    items: list[tuple[int, float, object]] = []  # (page, top, Line | TableBox)
    page_lines: list[list[Line]] = []
    for page in pages:
        tables, free = ruled_tables(page)
        lines = lines_of(free, page.number)
        page_lines.append(lines)
        for table in tables:
            items.append((page.number, table.top, table))
    dropped = _furniture(page_lines, [(p.width, p.height) for p in pages])
    for lines in page_lines:
        for line in lines:
            if id(line) not in dropped:
                items.append((line.page, line.y0, line))
    items.sort(key=lambda item: (item[0], item[1]))
    # tables over a page break: the last thing on a page and the first on the next
    merged: list[object] = []
    for _page, _top, item in items:
        previous = merged[-1] if merged else None
        if (isinstance(item, TableBox) and isinstance(previous, TableBox) and item.page == previous.page + 1
                and _same_table(previous, item)):
            joined = _join(previous, item)
            joined.page = item.page
            merged[-1] = joined
        else:
            merged.append(item)
    column = _column_of([item for item in merged if isinstance(item, Line)])
    paragraphs = _Paragraphs(column)
    blocks: list[Block] = []
    run: list[Line] = []

    def end_run() -> None:
        nonlocal run
        if run:
            paragraphs.flush()
            blocks.extend(paragraphs.blocks)
            paragraphs.blocks = []
            blocks.append(unruled_table(run))
            run = []

    for k, item in enumerate(merged):
        if isinstance(item, TableBox):
            end_run()
            paragraphs.flush()
            blocks.extend(paragraphs.blocks)
            paragraphs.blocks = []
            blocks.append(item.block())
            continue
        assert isinstance(item, Line)
        following = merged[k + 1] if k + 1 < len(merged) else None
        before = merged[k - 1] if k > 0 else None
        lone_number = (len(item.pieces()) == 1 and bool(item.numbers())
                       and any(isinstance(o, Line) and _wrapped_label(o, item) for o in (before, following)))
        if (_tabular(item) or lone_number or (run and _wrapped_label(item, run[-1]))
                or (isinstance(following, Line) and (_tabular(following) or len(following.pieces()) == 1)
                    and _wrapped_label(item, following))):
            run.append(item)
            continue
        end_run()
        paragraphs.add(item)
    end_run()
    paragraphs.flush()
    blocks.extend(paragraphs.blocks)
    return blocks


def _wrapped_label(line: Line, beside: Line) -> bool:
    """A short line of words right above or below a row of a table drawn without lines, left of
    its numbers: the row's label running over lines."""
    numbers = beside.numbers()
    return (line.page == beside.page and bool(numbers) and line.x1 < numbers[0].x0
            and abs(line.cy_line - beside.cy_line) <= 1.5 * max(line.height, beside.height)
            and not _is_number(line.text) and bool(_CJK.search(line.text)))
