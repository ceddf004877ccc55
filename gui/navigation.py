"""Going to places in the report: problems, undo and redo, tabs.

A mixin of ``MainWindow`` (gui/main_window.py). Every way of reaching a place — a click in the
problems panel, F8, an undo or redo — ends in the same few moves: switch to the tab, scroll to the
cells and select them, or select the phrase in the text, and put the keyboard there. Undo and redo
also say in the status bar what they did, and where.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QItemSelectionModel, Qt

from gui.commands import SetText, changed_region
from model.formats import TEXT_HEADINGS, Address
from model.problems import Problem, cell_name

if TYPE_CHECKING:
    from PySide6.QtGui import QUndoCommand
    from PySide6.QtWidgets import QWidget

    from gui.grid import GridView
    from gui.main_window import MainWindow
    from model.report import Change

    _Base = MainWindow
else:
    _Base = object

# tab order: key → title
TABS = (
    ("meta", "基本信息"),
    ("overview", "一、总体情况"),
    ("proactive", "二、主动公开"),
    ("requests", "三、依申请公开"),
    ("appeals", "四、复议诉讼"),
    ("problems", "五、问题及改进"),
    ("other_matters", "六、其他事项"),
    ("preview", "预览"),
)
FIELD_NAMES = {"agency": "机关名称", "year": "报告年度", "date": "成文日期", "title": "报告标题",
               "procurement_unit": "采购总金额单位", "format": "报告格式"}
TABLE_NAMES = {"requests": "表三", "appeals": "表四", "proactive": "表二"}


class Navigation(_Base):
    """Jumps, undo/redo that show what they changed, and the tab keys."""

    # ---- tabs ------------------------------------------------------------------------------
    def tab_index(self, key: str) -> int:
        return [k for k, _ in TABS].index(key)

    def show_tab(self, key: str) -> None:
        self.tabs.setCurrentIndex(self.tab_index("meta" if key == "preamble" else key))

    def switch_tab(self, step: int) -> None:
        """The next (+1) or previous (−1) tab, wherever the keyboard is (Ctrl+PageDown / Ctrl+PageUp)."""
        if not self.finish_editing():
            return
        index = (self.tabs.currentIndex() + step) % self.tabs.count()
        self.tabs.setCurrentIndex(index)
        self.focus_page(TABS[index][0], force=True)

    def current_grid(self) -> GridView | None:
        key = TABS[self.tabs.currentIndex()][0]
        return self.grids[key] if key in self.report.format.layouts else None

    def finish_editing(self) -> bool:
        """Commit a cell editor left open before going elsewhere; False when its text is refused."""
        view = self.current_grid()
        return view is None or view.finish_editing()

    def focus_page(self, key: str, *, force: bool = False) -> None:
        """Put the keyboard into a page just shown (not when the clerk is moving along the tab bar,
        unless ``force``)."""
        target: QWidget | None = None  # made (and put in its tab) here on first show
        if key in self.report.format.layouts:
            target = self.grids[key]
        elif key in TEXT_HEADINGS:
            target = self.text_pages[key].editor
        elif key == "meta":
            target = self.meta_tab.agency
        elif key == "preview":
            target = self.preview
        if target is not None and (force or not self.tabs.tabBar().hasFocus()):
            target.setFocus(Qt.FocusReason.OtherFocusReason)

    # ---- places ----------------------------------------------------------------------------
    def table_of(self, address: Address) -> str | None:
        """The tab (table 二, 三 or 四) that shows a cell."""
        return next((key for key, layout in self.report.format.layouts.items() if address in layout.positions), None)

    def show_cells(self, addresses: tuple[Address, ...] | list[Address], *, focus: bool = True) -> bool:
        """Switch to the table of the first cell, select the cells of that table and scroll to them."""
        key = next((k for k in map(self.table_of, addresses) if k), None)
        if key is None:
            return False
        self.show_tab(key)
        view = self.grids[key]
        if not view.finish_editing():
            return True
        indexes = [view.grid.index_of(a) for a in addresses if self.table_of(a) == key]
        selection = view.selectionModel()
        selection.setCurrentIndex(indexes[0], QItemSelectionModel.SelectionFlag.ClearAndSelect)
        for index in indexes[1:]:
            selection.select(index, QItemSelectionModel.SelectionFlag.Select)
        view.scrollTo(indexes[0])
        if focus:
            view.setFocus(Qt.FocusReason.OtherFocusReason)
        return True

    def show_text(self, key: str, start: int, end: int, message: str = "", *, focus: bool = True) -> None:
        """Switch to a text section and select characters ``start``–``end``."""
        self.show_tab(key)
        self.text_pages[key].editor.select_span(start, end, message, focus=focus)

    def show_fields(self, fields: tuple[str, ...] | list[str], *, focus: bool = True) -> None:
        self.show_tab("meta")
        widgets = {"agency": self.meta_tab.agency, "year": self.meta_tab.year, "date": self.meta_tab.date,
                   "format": self.meta_tab.year, "title": self.meta_tab.title,
                   "procurement_unit": self.meta_tab.unit}
        widget = next((widgets[f] for f in fields if f in widgets), None)
        if widget is not None and focus:
            widget.setFocus(Qt.FocusReason.OtherFocusReason)

    def jump_to(self, problem: Problem, *, focus: bool = True) -> None:
        """Show where a problem is: the phrase in the text (with the message beside it), else its
        cells, else its section or field. ``focus``: put the keyboard there too (else it stays
        where it is, as in the problem list while the clerk moves along it)."""
        if not focus:
            from PySide6.QtWidgets import QApplication

            keep = QApplication.focusWidget()
            self._go_to(problem, focus=False)
            if keep is not None:
                keep.setFocus(Qt.FocusReason.OtherFocusReason)
            return
        self._go_to(problem, focus=True)

    def _go_to(self, problem: Problem, *, focus: bool) -> None:
        if problem.spans:
            key, start, end = problem.spans[0]
            self.show_text(key, start, end, problem.message, focus=focus)
            return
        if problem.cells and self.show_cells(problem.cells, focus=focus):
            return
        if problem.sections:
            key = problem.sections[0]
            self.show_tab(key)
            if focus:
                self.text_pages[key].editor.setFocus(Qt.FocusReason.OtherFocusReason)
            return
        if problem.fields:
            self.show_fields(problem.fields, focus=focus)

    def next_problem(self, step: int = 1) -> None:
        """F8 / Shift+F8: the next or previous problem in the list, shown and gone to."""
        problem = self.panel.step(step)
        if problem is not None:
            self.jump_to(problem)

    # ---- undo and redo ---------------------------------------------------------------------
    def undo(self) -> None:
        self._undo_redo(undo=True)

    def redo(self) -> None:
        self._undo_redo(undo=False)

    def _undo_redo(self, *, undo: bool) -> None:
        stack = self.undo_stack
        if not (stack.canUndo() if undo else stack.canRedo()) or not self.finish_editing():
            return
        command = stack.command(stack.index() - 1 if undo else stack.index())
        changes: list[Change] = []
        self.report.subscribe(changes.append)
        try:
            stack.undo() if undo else stack.redo()
        finally:
            self.report.unsubscribe(changes.append)
        place = self.reveal(changes, command, undo=undo)
        verb = "已撤销" if undo else "已重做"
        self.statusBar().showMessage(f"{verb}：{command.text()}" + (f"（{place}）" if place else ""), 15000)

    def reveal(self, changes: list[Change], command: QUndoCommand, *, undo: bool) -> str:
        """Bring what an undo or redo changed into view; returns the place in the clerk's words."""
        if not changes:
            return ""
        change = changes[0]  # each command makes one change
        if change.kind == "cells" and change.keys:
            cells = [a for a in change.keys if self.table_of(a)]
            if not cells:
                return ""
            self.show_cells(cells)
            if len(cells) == 1:
                return cell_name(self.report, cells[0])
            return f"{TABLE_NAMES.get(self.table_of(cells[0]) or '', '表格')} {len(cells)} 个单元格"
        if change.kind == "text" and change.keys:
            key = change.keys[0]
            self.show_tab(key)
            editor = self.text_pages[key].editor
            editor.flash(*self._text_place(command, undo=undo))
            editor.setFocus(Qt.FocusReason.OtherFocusReason)
            return TEXT_HEADINGS.get(key, key)
        if change.kind == "meta":
            self.show_fields(change.keys)
            return "、".join(FIELD_NAMES.get(k, k) for k in change.keys)
        if change.kind == "dismissed":
            self.panel.setVisible(True)
            self.panel.select(change.keys[0] if change.keys else "")
            return "核对结果"
        if change.kind == "baseline":
            self.show_tab("meta")
            return "上年报告"
        self.show_fields(["year"])  # a whole-report change: a format conversion
        return "报告年度和格式"

    def _text_place(self, command: QUndoCommand, *, undo: bool) -> tuple[int, int]:
        """Where a text undo or redo changed the text: the characters that came back (a restored
        deletion, a redone insertion), or an empty place where characters went."""
        if not isinstance(command, SetText):
            return 0, 0
        before, after = (command.new, command.old) if undo else (command.old, command.new)
        start, _end_before, end_after = changed_region(before, after)
        return start, end_after
