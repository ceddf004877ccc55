"""Frozen panes for a table view: its header rows and label columns stay put while the rest scrolls.

Qt's views have no frozen panes, and the official tables' headers are merged cells that a
QHeaderView cannot draw. So, as in Qt's "Frozen Column" example, up to three more views of the same
model lie over the main one: one over its top rows (scrolled along sideways with it), one over its
left columns (scrolled along up and down) and one over the corner where they meet. They share the
main view's model, selection, spans and section sizes; the main view keeps every cell it moves to
out from under them.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QModelIndex, QObject, QRect, Qt
from PySide6.QtGui import QPainter
from PySide6.QtWidgets import QAbstractItemView, QFrame, QStyledItemDelegate, QStyleOptionViewItem, QTableView


class _Pane(QTableView):
    """One frozen pane: draws, never takes the focus or the keyboard; the wheel scrolls the main view."""

    def __init__(self, main: QTableView) -> None:
        super().__init__(main)
        self.main = main
        self.setModel(main.model())
        self.setSelectionModel(main.selectionModel())
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.horizontalHeader().hide()
        self.verticalHeader().hide()
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setHorizontalScrollMode(main.horizontalScrollMode())
        self.setVerticalScrollMode(main.verticalScrollMode())
        self.setWordWrap(main.wordWrap())
        self.setTextElideMode(main.textElideMode())
        self.setGridStyle(main.gridStyle())
        self.setStyleSheet(main.styleSheet())
        self.setAutoScroll(False)
        self.viewport().installEventFilter(self)
        self.hide()

    def scrollTo(self, index, hint=QAbstractItemView.ScrollHint.EnsureVisible) -> None:  # type: ignore[no-untyped-def]
        """A pane scrolls only with the main view, never to the current cell (which lies under the main view)."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Wheel:
            self.main.wheelEvent(event)  # type: ignore[arg-type]
            return True
        return False


class _LabelInView(QStyledItemDelegate):
    """The left pane's cells: a tall merged label (三、本年度办理结果 spans 20 rows) whose top has scrolled
    under the header rows is drawn from the header's lower edge, so its words stay readable as long as
    any of its rows is on screen — not a sliver under the header, as a plain view would leave it."""

    def __init__(self, frozen: FrozenPanes) -> None:
        super().__init__(frozen.left)
        self.frozen = frozen

    def visible_rect(self, rect: QRect) -> QRect:
        """Where a cell's content is drawn: ``rect`` (in the left pane's viewport), less what the header covers."""
        top = self.frozen.height if self.frozen.rows else 0
        if rect.top() < top <= rect.bottom():
            return QRect(rect.left(), top, rect.width(), rect.bottom() - top + 1)
        return rect

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: QModelIndex) -> None:
        shown = self.visible_rect(option.rect)
        if shown != option.rect:
            option = QStyleOptionViewItem(option)
            option.rect = shown
        super().paint(painter, option, index)


class FrozenPanes(QObject):
    """Keeps ``rows`` top rows and ``cols`` left columns of ``view`` on screen."""

    def __init__(self, view: QTableView) -> None:
        super().__init__(view)
        self.view = view
        self.rows = 0
        self.cols = 0
        self.top = _Pane(view)
        self.left = _Pane(view)
        self.corner = _Pane(view)
        self.left.setItemDelegate(_LabelInView(self))
        main_h, main_v = view.horizontalScrollBar(), view.verticalScrollBar()
        main_h.valueChanged.connect(self.top.horizontalScrollBar().setValue)
        main_v.valueChanged.connect(self.left.verticalScrollBar().setValue)
        # a pane's range follows its own size a moment later: take the main view's place again then
        self.top.horizontalScrollBar().rangeChanged.connect(lambda *_: self.top.horizontalScrollBar().setValue(main_h.value()))
        self.left.verticalScrollBar().rangeChanged.connect(lambda *_: self.left.verticalScrollBar().setValue(main_v.value()))
        view.horizontalHeader().sectionResized.connect(self._column_resized)
        view.verticalHeader().sectionResized.connect(self._row_resized)

    @property
    def panes(self) -> tuple[_Pane, _Pane, _Pane]:
        return self.top, self.left, self.corner

    def freeze(self, rows: int, cols: int, spans: list[tuple[int, int, int, int]]) -> None:
        """Keep ``rows`` and ``cols`` on screen; ``spans`` (row, col, rows, cols) are the main view's
        merged cells (after a new layout, with the main view's sizes already set)."""
        self.rows, self.cols = rows, cols
        view = self.view
        model = view.model()
        for pane in self.panes:
            pane.clearSpans()
            for row, col, rowspan, colspan in spans:
                pane.setSpan(row, col, rowspan, colspan)
            for col in range(model.columnCount()):
                pane.setColumnWidth(col, view.columnWidth(col))
            for row in range(model.rowCount()):
                pane.setRowHeight(row, view.rowHeight(row))
        self.place()

    def _column_resized(self, col: int, _old: int, new: int) -> None:
        for pane in self.panes:
            pane.setColumnWidth(col, new)
        self.place()

    def _row_resized(self, row: int, _old: int, new: int) -> None:
        for pane in self.panes:
            pane.setRowHeight(row, new)
        self.place()

    @property
    def height(self) -> int:
        """The frozen rows' height in pixels (0 when none)."""
        return sum(self.view.rowHeight(r) for r in range(self.rows))

    @property
    def width(self) -> int:
        return sum(self.view.columnWidth(c) for c in range(self.cols))

    def place(self) -> None:
        """Lay the panes over the main view's viewport (after a resize or a change of sizes)."""
        area: QRect = self.view.viewport().geometry()
        height, width = min(self.height, area.height()), min(self.width, area.width())
        geometries = (
            (self.top, QRect(area.x(), area.y(), area.width(), height), self.rows > 0),
            (self.left, QRect(area.x(), area.y(), width, area.height()), self.cols > 0),
            (self.corner, QRect(area.x(), area.y(), width, height), self.rows > 0 and self.cols > 0),
        )
        for pane, rect, shown in geometries:
            pane.setVisible(shown)
            if shown:
                pane.setGeometry(rect)
                pane.raise_()
        self.top.horizontalScrollBar().setValue(self.view.horizontalScrollBar().value())
        self.left.verticalScrollBar().setValue(self.view.verticalScrollBar().value())

    def uncover(self, rect: QRect) -> None:
        """Scroll the main view so that ``rect`` (a cell, in viewport coordinates) is not under a pane."""
        if self.rows and rect.top() < self.height:
            bar = self.view.verticalScrollBar()
            bar.setValue(bar.value() - (self.height - rect.top()))
        if self.cols and rect.left() < self.width:
            bar = self.view.horizontalScrollBar()
            bar.setValue(bar.value() - (self.width - rect.left()))
