"""The self-checking grids: a QAbstractTableModel over a layout, and a view with spreadsheet habits."""

from __future__ import annotations

from collections.abc import Callable, Mapping

from PySide6.QtCore import (
    QAbstractTableModel,
    QItemSelectionModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QBrush, QColor, QFont, QGuiApplication, QKeyEvent, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemDelegate,
    QAbstractItemView,
    QHeaderView,
    QLineEdit,
    QStyledItemDelegate,
    QTableView,
    QWidget,
)

from model.formats import Address, Layout, LayoutCell, Role
from model.problems import ERROR, WARNING, Problem, cell_name
from model.report import Report
from model.values import NA, BadValue, Value, display_text, expectation, parse, same_value

COLOURS = {
    Role.HEADING: QColor("#dde6f0"),
    Role.HEADER: QColor("#e8eef5"),
    Role.LABEL: QColor("#f6f7f9"),
    Role.INPUT: QColor("#ffffff"),
    Role.DERIVED: QColor("#e4e4e4"),
}
MARK_COLOURS = {ERROR: QColor("#f6c6c6"), WARNING: QColor("#fbe3b0")}
TEXT_COLOUR = QColor("#1a1a1a")
DERIVED_TEXT = QColor("#444444")

BRUSHES = {role: QBrush(colour) for role, colour in COLOURS.items()}
MARK_BRUSHES = {severity: QBrush(colour) for severity, colour in MARK_COLOURS.items()}
TEXT_BRUSH, DERIVED_BRUSH = QBrush(TEXT_COLOUR), QBrush(DERIVED_TEXT)
LEFT = int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
CENTRE = int(Qt.AlignmentFlag.AlignCenter)


def _origins(layout: Layout) -> dict[tuple[int, int], LayoutCell]:
    """Each cell at its top-left grid position (positions inside a merged cell hold nothing)."""
    return {(cell.row, cell.col): cell for cell in layout.cells}


CellEdit = Callable[[Mapping[Address, Value], str], None]


class GridModel(QAbstractTableModel):
    """One official table (二, 三 or 四) as drawn by its layout, over the live report."""

    refused = Signal(str, str)  # title, message: a value the cell cannot take
    noted = Signal(str)  # a remark for the status bar (a converted unit, a skipped total)

    def __init__(self, report: Report, layout: Layout, commit: CellEdit) -> None:
        super().__init__()
        self.report = report
        self.layout = layout
        self.commit = commit
        self.marks: dict[Address, list[Problem]] = {}
        self._origins = _origins(layout)

    # ---- structure -------------------------------------------------------------------------
    def set_layout(self, layout: Layout) -> None:
        self.beginResetModel()
        self.layout = layout
        self._origins = _origins(layout)
        self.marks = {}
        self.endResetModel()

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else self.layout.n_rows

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else self.layout.n_cols

    def cell(self, index: QModelIndex | QPersistentModelIndex) -> LayoutCell | None:
        return self._origins.get((index.row(), index.column()))

    def index_of(self, address: Address) -> QModelIndex:
        position = self.layout.positions.get(address)
        return self.index(*position) if position else QModelIndex()

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        cell = self.cell(index)
        if cell is None or not cell.is_value:
            return Qt.ItemFlag.NoItemFlags  # labels are not cursor stops
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if cell.role is Role.INPUT:
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    # ---- reading ---------------------------------------------------------------------------
    def _value_text(self, address: Address, *, for_edit: bool = False) -> str:
        value = self.report.value(address)
        text = display_text(value)
        if not for_edit and value not in (None, NA, 0) and self.report.format.column(address).unit == "procurement":
            text += self.report.meta.procurement_unit
        return text

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        cell = self.cell(index)
        if cell is None:
            return None
        address = cell.address
        if role == Qt.ItemDataRole.DisplayRole:
            return self._value_text(address) if address else cell.text
        if role == Qt.ItemDataRole.EditRole:
            return self._value_text(address, for_edit=True) if address else cell.text
        if role == Qt.ItemDataRole.BackgroundRole:
            problems = self.marks.get(address) if address else None
            if problems:
                return MARK_BRUSHES[ERROR if any(p.severity == ERROR for p in problems) else WARNING]
            return BRUSHES[cell.role]
        if role == Qt.ItemDataRole.ForegroundRole:
            return DERIVED_BRUSH if cell.role is Role.DERIVED else TEXT_BRUSH
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return LEFT if cell.role is Role.LABEL else CENTRE
        if role == Qt.ItemDataRole.FontRole and cell.role is Role.HEADING:
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(cell)
        return None

    def _tooltip(self, cell: LayoutCell) -> str | None:
        if cell.address is None:
            return cell.text if len(cell.text) > 8 else None
        address = cell.address
        lines = [cell_name(self.report, address)]
        if cell.role is Role.DERIVED:
            lines.append("自动计算的合计，不能直接填写")
        else:
            kind = self.report.format.column(address).kind
            lines.append(f"填写{expectation(kind, self.report.unit_of(address))}；不适用填“/”")
        for problem in self.marks.get(address, ()):
            lines.append(("【错误】" if problem.severity == ERROR else "【警告】") + problem.message)
        return "\n".join(lines)

    def set_marks(self, marks: dict[Address, list[Problem]]) -> None:
        """Take the new marks; repaint only the cells whose marks changed."""
        positions = self.layout.positions
        old = self.marks
        mine = {a: problems for a, problems in marks.items() if a in positions}
        self.marks = mine
        for address in old.keys() | mine.keys():
            if [p.id for p in old.get(address, ())] != [p.id for p in mine.get(address, ())]:
                self._changed(address)

    def refresh_cells(self, addresses: tuple[Address, ...]) -> None:
        """Typed cells changed: repaint them and the totals of their tables."""
        positions = self.layout.positions
        tables = {a[0] for a in addresses if a in positions}
        for address in addresses:
            if address in positions:
                self._changed(address)
        for table in tables:
            for address in self.report.format.table(table).derived_cells:
                self._changed(address)

    def _changed(self, address: Address) -> None:
        position = self.layout.positions.get(address)
        if position is not None:
            index = self.index(*position)
            self.dataChanged.emit(index, index)

    def refresh(self) -> None:
        if self.layout.n_rows and self.layout.n_cols:
            self.dataChanged.emit(self.index(0, 0), self.index(self.layout.n_rows - 1, self.layout.n_cols - 1))

    # ---- writing ---------------------------------------------------------------------------
    def parse_for(self, address: Address, text: str) -> Value:
        kind = self.report.format.column(address).kind
        parsed = parse(text, kind, self.report.unit_of(address))
        if parsed.note:
            self.noted.emit(parsed.note)
        return parsed.value

    def setData(self, index: QModelIndex | QPersistentModelIndex, value: object, role: int = Qt.ItemDataRole.EditRole) -> bool:
        cell = self.cell(index)
        if role != Qt.ItemDataRole.EditRole or cell is None or cell.role is not Role.INPUT:
            return False
        assert cell.address is not None
        try:
            parsed = self.parse_for(cell.address, str(value))
        except BadValue as error:
            self.refused.emit("输入的数值无效", f"{cell_name(self.report, cell.address)}\n\n{error.message}")
            return False
        if same_value(parsed, self.report.cells.get(cell.address)) and type(parsed) is type(self.report.cells.get(cell.address)):
            return True
        self.commit({cell.address: parsed}, "修改单元格")
        return True


class CellDelegate(QStyledItemDelegate):
    """A plain line editor, centred like the numbers; Chinese input (full-width) is parsed later."""

    def createEditor(self, parent: QWidget, option, index: QModelIndex) -> QWidget:
        editor = QLineEdit(parent)
        editor.setAlignment(Qt.AlignmentFlag.AlignCenter)
        editor.setFrame(False)
        return editor


class GridView(QTableView):
    """A spreadsheet-like view: arrows/Tab/Enter move, typing replaces, Delete clears, copy and paste blocks."""

    refused = Signal(str, str)
    noted = Signal(str)

    def __init__(self, model: GridModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setModel(model)
        self.setItemDelegate(CellDelegate(self))
        self.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.AnyKeyPressed
        )
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.setWordWrap(True)
        self.setTextElideMode(Qt.TextElideMode.ElideNone)
        self.horizontalHeader().hide()
        self.verticalHeader().hide()
        self.setGridStyle(Qt.PenStyle.SolidLine)
        self.setTabKeyNavigation(True)
        self.setHorizontalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        model.modelReset.connect(self.apply_layout)
        model.refused.connect(self.refused)
        model.noted.connect(self.noted)
        self.apply_layout()

    @property
    def grid(self) -> GridModel:
        model = self.model()
        assert isinstance(model, GridModel)
        return model

    # ---- layout ----------------------------------------------------------------------------
    def apply_layout(self) -> None:
        layout = self.grid.layout
        self.clearSpans()
        for cell in layout.cells:
            if cell.rowspan > 1 or cell.colspan > 1:
                self.setSpan(cell.row, cell.col, cell.rowspan, cell.colspan)
        widths = column_widths(layout)
        header = self.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        for col, width in enumerate(widths):
            self.setColumnWidth(col, width)
        self.resizeRowsToContents()
        for cell in layout.cells:
            if cell.is_value and cell.rowspan == 1:
                self.setRowHeight(cell.row, max(self.rowHeight(cell.row), 30))
        first = next(layout.value_cells(), None)
        if first is not None:
            self.setCurrentIndex(self.grid.index(first.row, first.col))

    # ---- moving ----------------------------------------------------------------------------
    def _move(self, action: QAbstractItemView.CursorAction) -> None:
        index = self.moveCursor(action, Qt.KeyboardModifier.NoModifier)
        if index.isValid():
            self.setCurrentIndex(index)

    def closeEditor(self, editor: QWidget, hint: QAbstractItemDelegate.EndEditHint) -> None:
        # Excel: Enter commits and moves down, Tab commits and moves right, without opening an editor.
        if hint == QAbstractItemDelegate.EndEditHint.SubmitModelCache:
            super().closeEditor(editor, QAbstractItemDelegate.EndEditHint.NoHint)
            self._move(QAbstractItemView.CursorAction.MoveDown)
            return
        if hint == QAbstractItemDelegate.EndEditHint.EditNextItem:
            super().closeEditor(editor, QAbstractItemDelegate.EndEditHint.NoHint)
            self._move(QAbstractItemView.CursorAction.MoveNext)
            return
        if hint == QAbstractItemDelegate.EndEditHint.EditPreviousItem:
            super().closeEditor(editor, QAbstractItemDelegate.EndEditHint.NoHint)
            self._move(QAbstractItemView.CursorAction.MovePrevious)
            return
        super().closeEditor(editor, hint)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        editing = self.state() == QAbstractItemView.State.EditingState
        if not editing:
            if event.matches(QKeySequence.StandardKey.Copy):
                self.copy_selection()
                return
            if event.matches(QKeySequence.StandardKey.Paste):
                self.paste()
                return
            if event.key() in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace):
                self.clear_selection()
                return
            if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                self._move(QAbstractItemView.CursorAction.MoveDown)
                return
        super().keyPressEvent(event)

    # ---- block operations ------------------------------------------------------------------
    def selected_cells(self) -> list[LayoutCell]:
        cells = {}
        for index in self.selectionModel().selectedIndexes():
            cell = self.grid.cell(index)
            if cell is not None and cell.is_value:
                cells[(cell.row, cell.col)] = cell
        return [cells[key] for key in sorted(cells)]

    def clear_selection(self) -> None:
        inputs = [c.address for c in self.selected_cells() if c.role is Role.INPUT and c.address]
        values = {a: None for a in inputs if self.grid.report.cells.get(a) is not None}
        if values:
            self.grid.commit(values, "清除单元格")

    def copy_selection(self) -> None:
        cells = self.selected_cells()
        if not cells:
            return
        rows = sorted({c.row for c in cells})
        cols = sorted({c.col for c in cells})
        by_position = {(c.row, c.col): c for c in cells}
        lines = []
        for r in rows:
            line = []
            for c in cols:
                cell = by_position.get((r, c))
                line.append(self.grid._value_text(cell.address, for_edit=True) if cell and cell.address else "")
            lines.append("\t".join(line))
        QGuiApplication.clipboard().setText("\n".join(lines) + "\n")

    def paste(self) -> None:
        text = QGuiApplication.clipboard().text()
        if not text.strip("\r\n"):
            return
        paste_block(self, text)


def parse_block(text: str) -> list[list[str]]:
    """Tab-separated text as Excel and WPS put it on the clipboard (one trailing newline)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if text.endswith("\n"):
        text = text[:-1]
    return [line.split("\t") for line in text.split("\n")]


def paste_block(view: GridView, text: str) -> None:
    """Paste a block at the current cell (or one value into every selected cell).

    Derived positions are skipped; a pasted total that disagrees with what its parts now add up to
    is mentioned in the status bar. If any value is bad, nothing is pasted and the bad ones are listed.
    """
    grid = view.grid
    layout = grid.layout
    block = parse_block(text)
    current = view.currentIndex()
    if not current.isValid():
        return
    targets: dict[Address, str] = {}
    totals: dict[Address, str] = {}
    selected = view.selected_cells()
    if len(block) == 1 and len(block[0]) == 1 and len(selected) > 1:
        for cell in selected:
            if cell.role is Role.INPUT and cell.address:
                targets[cell.address] = block[0][0]
    else:
        top, left = current.row(), current.column()
        anchor = grid.cell(current)
        if anchor is not None:
            top, left = anchor.row, anchor.col
        for i, line in enumerate(block):
            for j, item in enumerate(line):
                cell = layout.at(top + i, left + j)
                # one pasted item per grid column; positions covered by a merged cell are skipped
                if cell is None or not cell.address or (cell.row, cell.col) != (top + i, left + j):
                    continue
                if cell.role is Role.INPUT:
                    targets[cell.address] = item
                elif item.strip():
                    totals[cell.address] = item
    values: dict[Address, Value] = {}
    bad: list[str] = []
    for address, item in targets.items():
        try:
            values[address] = grid.parse_for(address, item)
        except BadValue as error:
            bad.append(f"{cell_name(grid.report, address)}：{error.message}")
    if bad:
        grid.refused.emit("粘贴未完成", "以下数值无效，本次粘贴没有改动任何单元格：\n\n" + "\n".join(bad))
        return
    if values:
        grid.commit(values, "粘贴")
    disagreements = []
    for address, item in totals.items():
        try:
            pasted = grid.parse_for(address, item)
        except BadValue:
            pasted = None
        actual = grid.report.value(address)
        if pasted is not None and not same_value(pasted, actual):
            disagreements.append(f"{cell_name(grid.report, address)} 粘贴的是{item.strip()}，各项相加为{display_text(actual, blank='0')}")
    if disagreements:
        grid.noted.emit("合计栏自动计算，未粘贴：" + "；".join(disagreements))
    if values:
        positions = [layout.positions[a] for a in values]
        selection = view.selectionModel()
        selection.clearSelection()
        for r, c in positions:
            selection.select(grid.index(r, c), QItemSelectionModel.SelectionFlag.Select)


def column_widths(layout: Layout) -> list[int]:
    """Pixel widths that keep table 三 within a 1366-pixel screen with labels wrapping."""
    if layout.key == "requests":
        return [96, 104, 250] + [74] * (layout.n_cols - 3)
    if layout.key == "appeals":
        return [70] * layout.n_cols
    return [250] + [190] * (layout.n_cols - 1)
