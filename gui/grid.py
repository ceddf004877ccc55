"""The self-checking grids: a QAbstractTableModel over a layout, and a view with spreadsheet habits."""

from __future__ import annotations

from collections.abc import Callable, Mapping

from PySide6.QtCore import (
    QAbstractTableModel,
    QItemSelectionModel,
    QModelIndex,
    QPersistentModelIndex,
    QPoint,
    Qt,
    Signal,
)
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFont,
    QFontMetrics,
    QGuiApplication,
    QKeyEvent,
    QKeySequence,
    QResizeEvent,
)
from PySide6.QtWidgets import (
    QAbstractItemDelegate,
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QLineEdit,
    QStyledItemDelegate,
    QTableView,
    QWidget,
)

from gui.frozen_panes import FrozenPanes
from gui.keys import pass_window_keys
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
# an error the clerk has not got to yet (a balance whose results rows are still blank): hatched,
# not solid red, so a report started from last year's file is not a sea of red before any typing
PENDING_BRUSH = QBrush(QColor("#e89a9a"), Qt.BrushStyle.BDiagPattern)
PENDING_NOTE = "（本列的办理结果尚未填写：填好第三、四项后再看是否平衡）"
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
        self.pending: frozenset[str] = frozenset()  # ids of errors marked softly (see PENDING_BRUSH)
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
                live = [p for p in problems if p.id not in self.pending]
                if not live:
                    return PENDING_BRUSH
                return MARK_BRUSHES[ERROR if any(p.severity == ERROR for p in live) else WARNING]
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
            line = ("【错误】" if problem.severity == ERROR else "【警告】") + problem.message
            lines.append(line + (PENDING_NOTE if problem.id in self.pending else ""))
        return "\n".join(lines)

    def set_marks(self, marks: dict[Address, list[Problem]], pending: frozenset[str] = frozenset()) -> None:
        """Take the new marks (``pending``: the errors to mark softly); repaint only the cells whose
        marks changed."""
        positions = self.layout.positions
        old, old_pending = self.marks, self.pending
        mine = {a: problems for a, problems in marks.items() if a in positions}
        self.marks, self.pending = mine, pending

        def shown(problems: list[Problem], soft: frozenset[str]) -> list[tuple[str, bool]]:
            return [(p.id, p.id in soft) for p in problems]

        for address in old.keys() | mine.keys():
            if shown(old.get(address, []), old_pending) != shown(mine.get(address, []), pending):
                self._changed(address)

    def refresh_cells(self, addresses: tuple[Address, ...]) -> None:
        """Typed cells changed: repaint them and the totals that add them up (the other totals of
        their tables kept their values: left alone, the view repaints a few cells, not the table)."""
        positions = self.layout.positions
        changed: dict[str, set[tuple[str, str]]] = {}
        for address in addresses:
            if address in positions:
                self._changed(address)
                changed.setdefault(address[0], set()).add((address[1], address[2]))
        for key, cells in changed.items():
            table = self.report.format.table(key)
            for address in table.derived_cells:
                if not cells.isdisjoint(table.parts(address[1], address[2])):
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
        self.store(cell.address, parsed)
        return True

    def store(self, address: Address, value: Value) -> None:
        """One typed value: an undo step, unless the cell already holds it."""
        current = self.report.cells.get(address)
        if not (same_value(value, current) and type(value) is type(current)):
            self.commit({address: value}, "修改单元格")


class CellEditor(QLineEdit):
    """The editor of one cell. ``error`` holds why its text was refused, while the clerk fixes it."""

    def __init__(self, parent: QWidget, index: QModelIndex) -> None:
        super().__init__(parent)
        self.index = QPersistentModelIndex(index)
        self.error: str | None = None
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setFrame(False)
        pass_window_keys(self)

    def show_error(self, error: str | None) -> None:
        self.error = error
        self.setStyleSheet("background:#fff0f0; border:2px solid #c02020;" if error else "")


class CellDelegate(QStyledItemDelegate):
    """A plain line editor, centred like the numbers; Chinese input (full-width) is parsed later."""

    def createEditor(self, parent: QWidget, option, index: QModelIndex) -> QWidget:
        return CellEditor(parent, index)


class GridView(QTableView):
    """A spreadsheet-like view: arrows move, Tab/Enter move between the cells the clerk fills in,
    typing replaces, Delete clears, copy and paste blocks; header rows and label columns stay on
    screen (frozen panes); the columns share out the width the window gives."""

    refused = Signal(str, str)
    noted = Signal(str)
    unsaid = Signal(str)  # a remark noted before that is no longer true (the refusal of a value now fixed)
    frozen: FrozenPanes | None = None  # made right after the model is set

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
        self.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.setGridStyle(Qt.PenStyle.SolidLine)
        self.setTabKeyNavigation(True)
        self.setHorizontalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.frozen = FrozenPanes(self)
        self.message = QLabel(self)  # why a typed value was refused, shown beside its cell
        self.message.setWordWrap(True)
        self.message.setStyleSheet("background:#fff8e1; color:#7a1010; border:1px solid #c02020; padding:4px 6px;")
        self.message.hide()
        self._refusal: str | None = None  # the refusal said in the status bar, while it is true
        self._tab_stops: list[tuple[int, int]] = []
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
        spans = [(c.row, c.col, c.rowspan, c.colspan) for c in layout.cells if c.rowspan > 1 or c.colspan > 1]
        for span in spans:
            self.setSpan(*span)
        self._tab_stops = sorted((c.row, c.col) for c in layout.cells if c.role is Role.INPUT)
        self.fit_columns()
        if self.frozen is not None:
            self.frozen.freeze(*frozen_extent(layout), spans)
        first = next(layout.value_cells(), None)
        if first is not None:
            self.setCurrentIndex(self.grid.index(first.row, first.col))

    def available_width(self) -> int:
        """The width the columns may take: the view's inside, less room for a vertical scroll bar
        (kept whether or not it shows, so that the widths do not flip as rows wrap)."""
        return self.width() - 2 * self.frameWidth() - self.verticalScrollBar().sizeHint().width()

    def fit_columns(self) -> None:
        widths = column_widths(self.grid.layout, self.fontMetrics(), self.available_width())
        for col, width in enumerate(widths):
            if self.columnWidth(col) != width:
                self.setColumnWidth(col, width)
        self.resizeRowsToContents()
        for cell in self.grid.layout.cells:
            if cell.is_value and cell.rowspan == 1:
                self.setRowHeight(cell.row, max(self.rowHeight(cell.row), 30))

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if event.size().width() != event.oldSize().width():
            self.fit_columns()
        if self.frozen is not None:
            self.frozen.place()
        self._place_message()

    def scrollTo(self, index: QModelIndex | QPersistentModelIndex,
                 hint: QAbstractItemView.ScrollHint = QAbstractItemView.ScrollHint.EnsureVisible) -> None:
        super().scrollTo(index, hint)
        if index.isValid() and self.frozen is not None:
            self.frozen.uncover(self.visualRect(index))  # never under the frozen header rows or labels

    def updateGeometries(self) -> None:
        super().updateGeometries()
        if self.frozen is not None:
            self.frozen.place()


    # ---- moving ----------------------------------------------------------------------------
    def _origin(self, index: QModelIndex) -> tuple[int, int]:
        cell = self.grid.cell(index)
        return (cell.row, cell.col) if cell else (index.row(), index.column())

    def moveCursor(self, action: QAbstractItemView.CursorAction, modifiers: Qt.KeyboardModifier) -> QModelIndex:
        """Tab and Shift+Tab go from one cell the clerk fills in to the next, in reading order
        (the derived totals are skipped, as locked cells in a protected Excel sheet)."""
        forward = action == QAbstractItemView.CursorAction.MoveNext
        if not self._tab_stops or action not in (QAbstractItemView.CursorAction.MoveNext,
                                                 QAbstractItemView.CursorAction.MovePrevious):
            return super().moveCursor(action, modifiers)
        here = self._origin(self.currentIndex())
        if forward:
            stop = next((s for s in self._tab_stops if s > here), self._tab_stops[0])
        else:
            stop = next((s for s in reversed(self._tab_stops) if s < here), self._tab_stops[-1])
        return self.grid.index(*stop)

    def enter_move(self, down: bool = True) -> None:
        """Enter: to the next cell below (Shift+Enter: above) that the clerk fills in, in this column."""
        here = self._origin(self.currentIndex())
        col = self.currentIndex().column()
        at = self.grid.layout.at
        below = [(r, c) for r, c in self._tab_stops
                 if (r > here[0] if down else r < here[0]) and c <= col < c + at(r, c).colspan]  # type: ignore[union-attr]
        if below:
            target = min(below) if down else max(below)
            self.setCurrentIndex(self.grid.index(*target))

    def _move(self, action: QAbstractItemView.CursorAction) -> None:
        index = self.moveCursor(action, Qt.KeyboardModifier.NoModifier)
        if index.isValid():
            self.setCurrentIndex(index)

    # ---- editing ---------------------------------------------------------------------------
    def commitData(self, editor: QWidget) -> None:
        """Store what the editor holds, or keep it open with the reason beside it."""
        if not isinstance(editor, CellEditor):
            super().commitData(editor)
            return
        cell = self.grid.cell(editor.index)
        if cell is None or cell.address is None or cell.role is not Role.INPUT:
            return
        if editor.error is not None:
            self._end_refusal()  # whatever comes now: a new refusal says so again
        try:
            value = self.grid.parse_for(cell.address, editor.text())
        except BadValue as error:
            editor.show_error(error.message)
            return
        editor.show_error(None)
        self.grid.store(cell.address, value)

    def closeEditor(self, editor: QWidget, hint: QAbstractItemDelegate.EndEditHint) -> None:
        Hint = QAbstractItemDelegate.EndEditHint
        if isinstance(editor, CellEditor) and editor.error is not None and hint != Hint.RevertModelCache:
            if self.window().focusWidget() is editor:
                self._keep_open(editor)  # Excel: the clerk stays in the cell with the text to fix; Esc gives up
                return
            # the clerk went elsewhere with the mouse: the text cannot be kept in the cell, so say so
            self.noted.emit(f"未填入 {self._place_of(editor)}：{editor.error}")
            hint = Hint.NoHint
        self.message.hide()
        self._end_refusal()
        # Excel: Enter commits and moves down, Tab commits and moves right, without opening an editor.
        if hint == Hint.SubmitModelCache:
            super().closeEditor(editor, Hint.NoHint)
            self.enter_move()
            return
        if hint == Hint.EditNextItem:
            super().closeEditor(editor, Hint.NoHint)
            self._move(QAbstractItemView.CursorAction.MoveNext)
            return
        if hint == Hint.EditPreviousItem:
            super().closeEditor(editor, Hint.NoHint)
            self._move(QAbstractItemView.CursorAction.MovePrevious)
            return
        super().closeEditor(editor, hint)

    def open_editor(self) -> CellEditor | None:
        """The cell editor now open, if any."""
        if self.state() != QAbstractItemView.State.EditingState:
            return None
        widget = self.indexWidget(self.currentIndex())
        return widget if isinstance(widget, CellEditor) else None

    def finish_editing(self) -> bool:
        """Commit an open editor before the clerk leaves the grid by a shortcut; False when its
        text is refused (the editor stays open with the reason beside it)."""
        editor = self.open_editor()
        if editor is None:
            return True
        self.commitData(editor)
        if editor.error is not None:
            self._keep_open(editor)
            return False
        super().closeEditor(editor, QAbstractItemDelegate.EndEditHint.NoHint)
        self.message.hide()
        self._end_refusal()
        return True

    def _place_of(self, editor: CellEditor) -> str:
        cell = self.grid.cell(editor.index)
        return cell_name(self.grid.report, cell.address) if cell and cell.address else ""

    def _keep_open(self, editor: CellEditor) -> None:
        """A refused value: the editor keeps the keyboard with its text selected, the reason beside it."""
        editor.selectAll()
        editor.setFocus()
        place = self._place_of(editor)
        self.message.setText(f"{editor.error}\n按 Enter 确认修改后的数值，按 Esc 放弃。")
        self.message.setToolTip(place)
        self._refusal = f"输入的数值无效：{place}：{editor.error}"
        self.noted.emit(self._refusal)
        self.message.show()
        self._place_message()

    def _end_refusal(self) -> None:
        """The refused value is fixed, or given up (Esc): the status bar stops saying it was refused."""
        if self._refusal is not None:
            self.unsaid.emit(self._refusal)
            self._refusal = None

    def _place_message(self) -> None:
        """Just below the cell being edited (above it near the bottom), within the view."""
        if not self.message.isVisible():
            return
        editor = self.open_editor()
        if editor is None:
            self.message.hide()
            return
        width = min(420, self.viewport().width() - 8)
        self.message.setFixedWidth(width)
        self.message.adjustSize()
        cell = editor.geometry().translated(self.viewport().pos())
        x = max(0, min(cell.left(), self.width() - width - 4))
        y = cell.bottom() + 2
        if y + self.message.height() > self.viewport().geometry().bottom():
            y = cell.top() - self.message.height() - 2
        self.message.move(QPoint(x, y))
        self.message.raise_()

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
                self.enter_move(down=not event.modifiers() & Qt.KeyboardModifier.ShiftModifier)
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


PADDING = 14  # a cell's margins and grid line around its text
LABEL_MIN_CHARS = 10  # a label column is at least this many characters wide (longer labels wrap)


def frozen_extent(layout: Layout) -> tuple[int, int]:
    """How many top rows and left columns stay on screen: the header rows and the label columns,
    unless a cell reaches across the edge (table 二's headings span the whole width)."""
    cols = layout.label_cols
    if any(cell.col < cols < cell.col + cell.colspan for cell in layout.cells):
        cols = 0
    rows = layout.header_rows
    if any(cell.row < rows < cell.row + cell.rowspan for cell in layout.cells):
        rows = 0
    return rows, cols


def column_widths(layout: Layout, metrics: QFontMetrics, available: int) -> list[int]:
    """Pixel widths that share out ``available`` pixels.

    Each column first gets what keeps every header in it on one line (so "社会公益组织" never
    breaks inside the word), numbers room for seven digits, label columns room for ten characters.
    What is left goes to the label columns, up to their longest label on one line (fewer wrapped
    lines: more rows on screen), then to the number columns, up to half as wide again.
    """
    char = metrics.horizontalAdvance("中")
    bold = QFont()
    bold.setBold(True)
    bold_metrics = QFontMetrics(bold)

    def one_line(cell: LayoutCell) -> int:
        fm = bold_metrics if cell.role is Role.HEADING else metrics
        return max(fm.horizontalAdvance(line) for line in cell.text.split("\n")) + PADDING

    value_cols = {c for cell in layout.cells if cell.is_value for c in range(cell.col, cell.col + cell.colspan)}
    need = [max(metrics.horizontalAdvance("9999999") + PADDING, 3 * char) if c in value_cols
            else LABEL_MIN_CHARS * char + PADDING for c in range(layout.n_cols)]
    want = list(need)
    for cell in layout.cells:
        if cell.is_value or not cell.text:
            continue
        if cell.colspan == 1 and cell.role in (Role.HEADER, Role.HEADING):
            need[cell.col] = max(need[cell.col], one_line(cell))
        elif cell.colspan == 1:
            want[cell.col] = max(want[cell.col], one_line(cell))
    for cell in layout.cells:  # a header over several columns fits on one line too
        if cell.colspan > 1 and cell.role in (Role.HEADER, Role.HEADING) and cell.rowspan == 1:
            span = range(cell.col, cell.col + cell.colspan)
            short = one_line(cell) - sum(need[c] for c in span)
            for c in span if short > 0 else ():
                need[c] += -(-short // cell.colspan)
    want = [max(w, n) for w, n in zip(want, need, strict=True)]
    widths = list(need)
    spare = available - sum(widths)
    for columns, limit in (([c for c in range(layout.n_cols) if c not in value_cols], want),
                           (sorted(value_cols), [n * 3 // 2 for n in need])):
        while spare > 0:
            growing = [c for c in columns if widths[c] < limit[c]]
            if not growing:
                break
            share = max(1, spare // len(growing))
            for c in growing:
                step = min(share, limit[c] - widths[c], spare)
                widths[c] += step
                spare -= step
    return widths
