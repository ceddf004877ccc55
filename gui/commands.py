"""Undo commands: one QUndoCommand per model operation, calling the report's own methods."""

from __future__ import annotations

from collections.abc import Callable, Mapping

from PySide6.QtGui import QUndoCommand

from model.formats import Address
from model.report import Baseline, Report
from model.values import Value

TEXT_MERGE_ID = 1001


class SetCells(QUndoCommand):
    """Typed cells (one cell, a cleared selection or a pasted block): one step."""

    def __init__(self, report: Report, values: Mapping[Address, Value], text: str = "修改单元格") -> None:
        super().__init__(text)
        self.report = report
        self.new = dict(values)
        self.old = {address: report.cells.get(address) for address in values}

    def redo(self) -> None:
        self.report.set_cells(self.new)

    def undo(self) -> None:
        self.report.set_cells(self.old)


class SetText(QUndoCommand):
    """A text edit; a burst of typing in one section merges into one step."""

    def __init__(self, report: Report, key: str, text: str, cursor_before: int, cursor_after: int,
                 *, merge: bool = True) -> None:
        """``merge``: part of a typing burst (False for a one-click edit, which is a step of its own)."""
        super().__init__("修改文字")
        self.merge = merge
        self.report = report
        self.key = key
        self.old = report.text.get(key, "")
        self.old_carried = key in report.carried_sections
        self.new = text
        self.cursor_before = cursor_before
        self.cursor_after = cursor_after
        self.on_applied: Callable[[str, int], None] | None = None  # tells the editor where the cursor goes

    def id(self) -> int:
        return TEXT_MERGE_ID if self.merge else -1

    def mergeWith(self, other: QUndoCommand) -> bool:
        if not isinstance(other, SetText) or other.key != self.key:
            return False
        self.new = other.new
        self.cursor_after = other.cursor_after
        return True

    def redo(self) -> None:
        if self.on_applied:
            self.on_applied(self.key, self.cursor_after)
        self.report.set_text(self.key, self.new)

    def undo(self) -> None:
        if self.on_applied:
            self.on_applied(self.key, self.cursor_before)
        self.report.set_text(self.key, self.old, carried=self.old_carried)


class SetMeta(QUndoCommand):
    def __init__(self, report: Report, text: str = "修改基本信息", **changes: object) -> None:
        super().__init__(text)
        self.report = report
        self.new = changes
        self.old = {name: getattr(report.meta, name) for name in changes}

    def redo(self) -> None:
        self.report.set_meta(**self.new)

    def undo(self) -> None:
        self.report.set_meta(**self.old)


class Dismiss(QUndoCommand):
    def __init__(self, report: Report, problem_id: str, reason: str | None) -> None:
        """Dismiss with ``reason``, or restore when ``reason`` is None."""
        super().__init__("忽略提醒" if reason is not None else "恢复提醒")
        self.report = report
        self.problem_id = problem_id
        self.new = reason
        self.old = report.dismissed.get(problem_id)

    def _apply(self, reason: str | None) -> None:
        if reason is None:
            self.report.restore(self.problem_id)
        else:
            self.report.dismiss(self.problem_id, reason)

    def redo(self) -> None:
        self._apply(self.new)

    def undo(self) -> None:
        self._apply(self.old)


class SetBaseline(QUndoCommand):
    def __init__(self, report: Report, baseline: Baseline | None) -> None:
        super().__init__("载入上年报告" if baseline else "移除上年报告")
        self.report = report
        self.new = baseline
        self.old = report.last_year

    def redo(self) -> None:
        self.report.set_baseline(self.new)

    def undo(self) -> None:
        self.report.set_baseline(self.old)


class ReplaceContent(QUndoCommand):
    """A whole-report change (a format conversion): the before and after are kept whole."""

    def __init__(self, report: Report, after: Report, text: str) -> None:
        super().__init__(text)
        self.report = report
        self.before = report.copy()
        self.after = after.copy()

    def redo(self) -> None:
        self.report.replace_content(self.after)

    def undo(self) -> None:
        self.report.replace_content(self.before)
