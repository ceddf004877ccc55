"""Undo commands: one QUndoCommand per model operation, calling the report's own methods."""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from typing import ClassVar

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


# A typing burst ends (the next keystroke starts a new undo step) at a pause, at the end of a
# sentence or paragraph, at a paste, and when the cursor moved elsewhere (as in Word and WPS).
BURST_PAUSE = 1.0  # seconds
SENTENCE_ENDS = frozenset("。！？；!?;\n")
clock: Callable[[], float] = time.monotonic  # tests replace it to make a pause without waiting


def changed_region(old: str, new: str) -> tuple[int, int, int]:
    """Where two texts differ: (start, end in ``old``, end in ``new``)."""
    start = 0
    limit = min(len(old), len(new))
    while start < limit and old[start] == new[start]:
        start += 1
    end_old, end_new = len(old), len(new)
    while end_old > start and end_new > start and old[end_old - 1] == new[end_new - 1]:
        end_old -= 1
        end_new -= 1
    return start, end_old, end_new


def edit_kind(old: str, new: str) -> tuple[str, str]:
    """("insert" | "delete" | "replace", the text typed): what one edit did to a text."""
    start, end_old, end_new = changed_region(old, new)
    removed, typed = old[start:end_old], new[start:end_new]
    if not removed:
        return "insert", typed
    return ("delete" if not typed else "replace"), typed


class SetText(QUndoCommand):
    """A text edit. Keystrokes merge into one step while they form a burst of typing."""

    TITLES: ClassVar[dict[str, str]] = {"insert": "输入文字", "delete": "删除文字", "replace": "修改文字", "paste": "粘贴文字"}

    def __init__(self, report: Report, key: str, text: str, cursor_before: int, cursor_after: int,
                 *, merge: bool = True) -> None:
        """``merge``: a keystroke that may join the burst before it (False for a paste or a
        one-click edit, which is a step of its own)."""
        self.report = report
        self.key = key
        self.old = report.text.get(key, "")
        self.old_carried = key in report.carried_sections
        self.new = text
        self.cursor_before = cursor_before
        self.cursor_after = cursor_after
        self.kind, typed = edit_kind(self.old, text)
        if not merge and self.kind == "insert":
            self.kind = "paste"
        super().__init__(self.TITLES[self.kind])
        self.merge = merge
        self.at = clock()
        # a paste or a sentence end closes the burst: the next key starts a new step
        self.closed = not merge or typed[-1:] in SENTENCE_ENDS
        self.on_applied: Callable[[str, int], None] | None = None  # tells the editor where the cursor goes

    def id(self) -> int:
        return TEXT_MERGE_ID if self.merge else -1

    def mergeWith(self, other: QUndoCommand) -> bool:
        if (not isinstance(other, SetText) or other.key != self.key or self.closed or not other.merge
                or (other.kind == "delete") != (self.kind == "delete") or other.cursor_before != self.cursor_after
                or other.at - self.at > BURST_PAUSE):
            return False
        self.new = other.new
        self.cursor_after = other.cursor_after
        self.at = other.at
        self.closed = other.closed
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
