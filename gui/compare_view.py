"""对照上年文字: last year's text beside this year's, the passages both share marked.

A window of its own beside the main window, not a dialog over it: 到正文中修改 brings the main window
forward with the cursor in the passage to rewrite, and this window goes behind it (a dialog would stay
on top, with the clerk's typing going unseen into the editor under it). The marks follow as the clerk
types (the measure is model.similarity's, memoised per text, the same the copied-text warnings use).
Opened from 查看 → 对照上年文字, and by the copied-text warnings in the problems panel.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

from PySide6.QtCore import Qt
from PySide6.QtGui import QCloseEvent, QColor, QKeySequence, QShortcut, QTextCharFormat, QTextCursor
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTextEdit,
    QVBoxLayout,
    QWidget,
)
from shiboken6 import isValid

from gui import dialogs
from model.formats import TEXT_HEADINGS, TEXT_SECTIONS
from model.similarity import overlap

if TYPE_CHECKING:
    from model.problems import Problem
    from model.report import Change, Report

SHARED_COLOUR = QColor("#fde7a6")  # the passages this year's text shares with last year's
# the warnings that open the view on the section they name
OPENS_COMPARE = ("text.similar_to_last_year", "text.similar_report", "text.same_as_last_year")
NO_BASELINE = ("尚未载入上年报告。请先用“文件 → 载入上年报告用于核对”或“文件 → 从上年报告新建”，"
               "再对照上年文字。")


class Window(Protocol):
    """What the view needs of the main window: its report, and a way to show a place in a section."""

    report: Report

    def show_text(self, key: str, start: int, end: int, message: str = "", *, focus: bool = True) -> None: ...

    def raise_(self) -> None: ...

    def activateWindow(self) -> None: ...


def section_name(key: str) -> str:
    return TEXT_HEADINGS[key]


class CompareView(QWidget):
    def __init__(self, window: Window, key: str = "overview") -> None:
        super().__init__(None, Qt.WindowType.Window)  # no parent: a parent's window would keep it on top
        self.setObjectName("compare")
        self.window_ = window
        self.report: Report | None = None
        self.setWindowTitle("对照上年文字")
        dialogs.fit_size(self, 1100, 640)
        QShortcut(QKeySequence(Qt.Key.Key_Escape), self, self.close)
        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        top.addWidget(QLabel("部分："))
        self.sections = QComboBox()
        for section in TEXT_SECTIONS:
            self.sections.addItem(section_name(section), section)
        self.sections.currentIndexChanged.connect(lambda _i: self.refresh())
        top.addWidget(self.sections)
        self.summary = QLabel()
        top.addWidget(self.summary, 1)
        self.edit_button = QPushButton("到正文中修改(&E)")
        self.edit_button.setToolTip("回到主窗口，光标在本部分要改写的地方（本窗口留在后面，随修改更新标记）")
        self.edit_button.clicked.connect(self.edit_section)
        top.addWidget(self.edit_button)
        layout.addLayout(top)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        self.last_title, self.last_text = self._pane(splitter)
        self.this_title, self.this_text = self._pane(splitter)
        layout.addWidget(splitter, 1)
        note = QLabel("标黄的是与上年相同的文字（连续10个字以上相同，不计空白，数字不同也算相同）：多为需要改写的地方。")
        note.setStyleSheet("color:#555;")
        note.setWordWrap(True)
        layout.addWidget(note)
        self.show_section(key)

    @staticmethod
    def _pane(splitter: QSplitter) -> tuple[QLabel, QPlainTextEdit]:
        pane = QWidget()
        column = QVBoxLayout(pane)
        column.setContentsMargins(0, 0, 0, 0)
        title = QLabel()
        text = QPlainTextEdit()
        text.setReadOnly(True)
        column.addWidget(title)
        column.addWidget(text, 1)
        splitter.addWidget(pane)
        return title, text

    # ---- following the report --------------------------------------------------------------
    def _bind(self) -> Report:
        """Listen to the window's report (it changes when the clerk opens another file)."""
        report = self.window_.report
        if report is not self.report:
            if self.report is not None:
                self.report.unsubscribe(self._changed)
            report.subscribe(self._changed)
            self.report = report
        return report

    def _changed(self, change: Change) -> None:
        if not isValid(self):  # the window (and this view with it) is gone: stop listening
            if self.report is not None:
                self.report.unsubscribe(self._changed)
            return
        if change.kind in ("text", "baseline", "meta", "all"):
            self.refresh()

    def closeEvent(self, event: QCloseEvent) -> None:  # closing, by Esc or the title bar
        if self.report is not None:
            self.report.unsubscribe(self._changed)
            self.report = None
        super().closeEvent(event)

    def changeEvent(self, event) -> None:  # type: ignore[no-untyped-def]
        super().changeEvent(event)
        if event.type() == event.Type.ActivationChange and self.isActiveWindow():
            self.refresh()  # back from the editor, perhaps with another report open

    # ---- showing -------------------------------------------------------------------------------
    @property
    def key(self) -> str:
        return self.sections.currentData()

    def show_section(self, key: str) -> None:
        index = self.sections.findData(key)
        if index != self.sections.currentIndex():
            self.sections.setCurrentIndex(index)  # refreshes
        else:
            self.refresh()

    def refresh(self) -> None:
        report = self._bind()
        key = self.key
        baseline = report.last_year
        this = report.text.get(key, "")
        last = baseline.text.get(key, "") if baseline else ""
        self.this_title.setText(f"本年（{report.meta.year}年）")
        self._show(self.this_text, this, overlap(this, last).passages if last else ())
        if baseline is None:
            self.last_title.setText("上年报告（未载入）")
            self._show(self.last_text, "", ())
            self.summary.setText("未载入上年报告")
            return
        self.last_title.setText(f"上年（{baseline.year}年报告）")
        self._show(self.last_text, last, overlap(last, this).passages if this else ())
        shared = overlap(this, last)
        if not this.strip() or not last.strip():
            self.summary.setText(f"{'本年' if not this.strip() else '上年'}这一部分是空的")
        else:
            self.summary.setText(f"本年文字中有{shared.percent}%与上年相同（{shared.shared}/{shared.total}字）")
        for i in range(self.sections.count()):
            section = self.sections.itemData(i)
            part = overlap(report.text.get(section, ""), baseline.text.get(section, ""))
            label = section_name(section) + (f"（相同{part.percent}%）" if part.total else "")
            if self.sections.itemText(i) != label:
                self.sections.setItemText(i, label)

    @staticmethod
    def _show(editor: QPlainTextEdit, text: str, passages: tuple[tuple[int, int], ...]) -> None:
        if editor.toPlainText() != text:
            editor.setPlainText(text)
        fmt = QTextCharFormat()
        fmt.setBackground(SHARED_COLOUR)
        selections = []
        for start, end in passages:
            selection = QTextEdit.ExtraSelection()
            selection.format = fmt
            cursor = QTextCursor(editor.document())
            cursor.setPosition(start)
            cursor.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
            selection.cursor = cursor
            selections.append(selection)
        editor.setExtraSelections(selections)

    def marked(self, editor: QPlainTextEdit) -> list[str]:
        """The marked passages of a pane, as text (what the clerk sees highlighted)."""
        return [selection.cursor.selectedText() for selection in editor.extraSelections()]

    def edit_section(self) -> None:
        """The main window forward, on the section's tab, the cursor in its editor where the clerk
        clicked in 本年, else at the first passage shared with last year; this window goes behind."""
        self.window_.show_text(self.key, *(self.edit_place(),) * 2)
        self.window_.raise_()
        self.window_.activateWindow()

    def edit_place(self) -> int:
        cursor = self.this_text.textCursor()
        if cursor.position() or cursor.hasSelection():
            return cursor.selectionStart()
        passages = self.this_text.extraSelections()
        return passages[0].cursor.selectionStart() if passages else len(self.this_text.toPlainText())


def open_compare(window: Window, key: str | None = None) -> CompareView | None:
    """Show the view (one per window) on ``key``, or on the section whose tab is current."""
    if window.report.last_year is None:
        dialogs.info(window, "对照上年文字", NO_BASELINE)  # type: ignore[arg-type]
        return None
    view: CompareView | None = getattr(window, "compare_view", None)
    if view is None or not isValid(view):
        view = CompareView(window, key or current_section(window))
        window.compare_view = view  # type: ignore[attr-defined]  # closed with the main window
    else:
        view.show_section(key or current_section(window))
    view.show()
    view.raise_()
    view.activateWindow()
    return view


def current_section(window: Window) -> str:
    """The text section of the current tab (前言 lives on 基本信息), else 一、总体情况."""
    tabs = getattr(window, "tabs", None)
    if tabs is not None:
        from gui.main_window import TABS

        key = TABS[tabs.currentIndex()][0]
        if key == "meta":
            return "preamble"
        if key in TEXT_SECTIONS:
            return key
    return "overview"


def open_for_problem(window: Window, problem: Problem) -> None:
    """A copied-text warning opens the view on the section it names."""
    if problem.rule in OPENS_COMPARE and window.report.last_year is not None:
        open_compare(window, problem.sections[0] if problem.sections else None)
