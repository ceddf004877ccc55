"""Text sections: a plain-text editor whose edits go through the window's undo stack."""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple, Protocol

from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import QLabel, QPlainTextEdit, QVBoxLayout, QWidget

from gui.keys import window_shortcut
from model.formats import TEXT_HEADINGS
from model.problems import OVERVIEW_LIMIT, text_length

if TYPE_CHECKING:
    from PySide6.QtCore import QTimer
    from PySide6.QtGui import QHelpEvent, QTextCursor


class TextEdit(Protocol):
    def __call__(self, key: str, text: str, before: int, after: int, *, merge: bool = True) -> None:
        """An edit of section ``key``: its new text and the cursor before and after it; ``merge``
        False for a paste, which is an undo step of its own."""


class Mark(NamedTuple):
    """A phrase a text problem names: underlined, with the problem's message as its tooltip."""

    start: int
    end: int
    is_error: bool
    message: str


def marks_of(key: str, spans: tuple[tuple[str, int, int], ...], is_error: bool, message: str) -> list[Mark]:
    """The marks of one problem in section ``key``: one a phrase; past MARKED_SPANS phrases (a sentence
    of thousands of stale years) one mark from the first to the last — Qt lays out each visual line
    against every marked range, so thousands of marks in a long paragraph took seconds to show."""
    places = [(start, end) for span_key, start, end in spans if span_key == key]
    if len(places) > MARKED_SPANS:
        places = [(min(start for start, _ in places), max(end for _, end in places))]
    return [Mark(start, end, is_error, message) for start, end in places]


MARKED_SPANS = 20  # phrases of one problem marked one by one
MAX_MARKS = 500  # marks shown in one section (at most 50 problems of a rule are listed: model.checks.listed)
FLASH_MS = 1500  # how long what an undo or redo brought back stays lit up
CARRIED_NOTE = "沿用上年，待修改：这段文字是从上年报告带过来的，修改后此提示消失。"


def section_hint(key: str, format_id: str) -> str:
    """What the format asks of a text section (spec/formats.md), as said above its editor."""
    is_2021 = format_id == "gov-2021"
    if key == "overview":
        return ("总体情况：主动公开、依申请公开、政府信息管理、政府信息公开平台建设、监督保障等方面。"
                + ("2021年版格式要求简明扼要，原则上不超过一千字。" if is_2021 else ""))
    if key == "problems":
        return "存在的主要问题及改进情况：要具体，不得年年雷同；写明上年问题的整改情况和本年的改进措施。"
    if key == "other_matters":
        return ("其他需要报告的事项：" + ("说明信息处理费的收取情况（未收取也应写明）；" if is_2021 else "")
                + "上级要求报告的其他事项（如人大代表建议和政协委员提案办理、政务公开工作要点落实情况）。")
    return ""


class SectionEditor(QPlainTextEdit):
    """The editor's own undo is off: its edits are steps of the window's one undo history (a burst
    of typing is one step), and Ctrl+Z / Ctrl+Y here drive that history."""

    def __init__(self, key: str, on_edit: TextEdit, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.key = key
        self.on_edit = on_edit
        self.setUndoRedoEnabled(False)
        self.setTabChangesFocus(True)
        self._shown = ""
        self._cursor = 0  # where the cursor is (after an edit: where the edit left it)
        self._before = 0  # where it was when the edit being reported began
        self._pasting = False
        self._updating = False
        self._spans: list[Mark] = []
        self._flash: tuple[int, int] | None = None  # characters lit up after an undo or redo
        self._flash_timer: QTimer | None = None
        self.document().contentsChange.connect(self._contents_change)
        self.textChanged.connect(self._text_changed)
        self.cursorPositionChanged.connect(self._remember_cursor)

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ShortcutOverride and window_shortcut(event):  # type: ignore[arg-type]
            event.ignore()  # not ours: the window's undo, redo and tab keys take it
            return True
        return super().event(event)

    def _remember_cursor(self) -> None:
        if not self._updating:
            self._cursor = self.textCursor().position()

    def _contents_change(self, _position: int, _removed: int, _added: int) -> None:
        # the document tells of an edit before the cursor moves on: note where the cursor was
        if not self._updating:
            self._before = self._cursor

    def insertFromMimeData(self, source) -> None:  # type: ignore[no-untyped-def]
        """A paste (or a drop) is an undo step of its own."""
        self._pasting = True
        try:
            super().insertFromMimeData(source)
        finally:
            self._pasting = False

    def _text_changed(self) -> None:
        if self._updating:
            return
        text = self.toPlainText()
        if text == self._shown:
            return
        after = self.textCursor().position()
        self._shown = text
        self._cursor = after
        self.on_edit(self.key, text, self._before, after, merge=not self._pasting)

    def show_text(self, text: str, cursor: int | None = None) -> None:
        """Show the model's text (after undo/redo or a new report) without making an edit."""
        if text != self.toPlainText():
            self._updating = True
            try:
                self.setPlainText(text)
            finally:
                self._updating = False
            self._spans = []
        self._shown = text
        if cursor is not None:
            moved = self.textCursor()
            moved.setPosition(min(cursor, len(text)))
            self.setTextCursor(moved)
            self._cursor = moved.position()

    def select_span(self, start: int, end: int, message: str = "", *, focus: bool = True) -> None:
        """Select a phrase and bring it into view; ``focus``: put the keyboard there, with
        ``message`` beside the phrase."""
        from PySide6.QtGui import QTextCursor

        length = len(self.toPlainText())
        cursor = self.textCursor()
        cursor.setPosition(min(start, length))
        cursor.setPosition(min(end, length), QTextCursor.MoveMode.KeepAnchor)
        self.setTextCursor(cursor)
        self.ensureCursorVisible()
        if focus:
            self.setFocus(Qt.FocusReason.OtherFocusReason)
            if message:
                self.show_message_at(cursor, message)

    def show_message_at(self, cursor: QTextCursor, message: str) -> None:
        """A tooltip just below the phrase (it goes when the mouse moves or a key is pressed) — once
        the page just switched to is laid out, so that it lands under the phrase."""
        from PySide6.QtCore import QPoint, QTimer
        from PySide6.QtGui import QTextCursor
        from PySide6.QtWidgets import QToolTip

        def show() -> None:
            start = QTextCursor(cursor)
            start.setPosition(cursor.selectionStart())
            rect = self.cursorRect(start)
            # Qt puts a tip 16 px below the point it is given (room for a mouse pointer)
            below = self.viewport().mapToGlobal(rect.bottomLeft() + QPoint(0, 4 - 16))
            QToolTip.showText(below, message, self.viewport())

        QTimer.singleShot(0, show)

    def messages_at(self, position: int) -> list[str]:
        """What the marked phrase at a character position is about."""
        return [mark.message for mark in self._spans if mark.start <= position < mark.end]

    def viewportEvent(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip:
            from PySide6.QtWidgets import QToolTip

            help_event: QHelpEvent = event  # type: ignore[assignment]
            messages = self.messages_at(self.cursorForPosition(help_event.pos()).position())
            if messages:
                QToolTip.showText(help_event.globalPos(), "\n".join(messages), self.viewport())
            else:
                QToolTip.hideText()
                event.ignore()
            return True
        return super().viewportEvent(event)

    def mark_spans(self, spans: list[Mark]) -> None:
        """Underline the phrases text problems name (red for errors, amber for warnings)."""
        places = [(m.start, m.end, m.is_error) for m in spans]
        redraw = places != [(m.start, m.end, m.is_error) for m in self._spans]
        self._spans = spans  # the messages (tooltips) may change while the marks stay where they are
        if redraw:
            self._show_marks()

    def flash(self, start: int, end: int) -> None:
        """Put the cursor after characters ``start``–``end`` (what an undo or redo brought back) and
        light them up for a moment: shown, but not selected, so the next key cannot replace them."""
        from PySide6.QtCore import QTimer

        self.show_text(self._shown, end)
        self.ensureCursorVisible()
        self._flash = (start, end) if end > start else None
        self._show_marks()
        if self._flash_timer is None:
            self._flash_timer = QTimer(self)
            self._flash_timer.setSingleShot(True)
            self._flash_timer.timeout.connect(self._end_flash)
        self._flash_timer.start(FLASH_MS)

    def _end_flash(self) -> None:
        if self._flash is not None:
            self._flash = None
            self._show_marks()

    def _show_marks(self) -> None:
        # loaded with the first marked phrase, not at start-up
        from PySide6.QtGui import QColor, QTextCharFormat, QTextCursor
        from PySide6.QtWidgets import QTextEdit

        length = len(self.toPlainText())
        selections = []

        def add(start: int, end: int, fmt: QTextCharFormat) -> None:
            selection = QTextEdit.ExtraSelection()
            selection.format = fmt
            cursor = QTextCursor(self.document())
            cursor.setPosition(min(start, length))
            cursor.setPosition(min(end, length), QTextCursor.MoveMode.KeepAnchor)
            selection.cursor = cursor
            selections.append(selection)

        formats = {}  # one for errors, one for warnings, however many phrases are marked
        for is_error in (True, False):
            fmt = formats[is_error] = QTextCharFormat()
            fmt.setUnderlineStyle(QTextCharFormat.UnderlineStyle.WaveUnderline)
            fmt.setUnderlineColor(QColor("#d03030" if is_error else "#d08a00"))
            fmt.setBackground(QColor("#fff3d6"))
        for mark in self._spans[:MAX_MARKS]:
            add(mark.start, mark.end, formats[mark.is_error])
        if self._flash is not None:
            fmt = QTextCharFormat()
            fmt.setBackground(QColor("#cfe3ff"))
            add(*self._flash, fmt)
        self.setExtraSelections(selections)


class SectionPage(QWidget):
    """A text tab: the carried-over note, the editor and a live character count."""

    def __init__(self, key: str, on_edit: TextEdit, hint: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.key = key
        layout = QVBoxLayout(self)
        self.carried = QLabel(CARRIED_NOTE)
        self.carried.setStyleSheet("background:#fff3d6; color:#7a4f00; padding:6px; border:1px solid #e8c46a;")
        self.carried.setWordWrap(True)
        self.carried.hide()
        layout.addWidget(self.carried)
        self.hint = QLabel(hint)  # the preamble's is fixed; a section's follows the report's format
        self.hint.setWordWrap(True)
        self.hint.setStyleSheet("color:#555;")
        layout.addWidget(self.hint)
        self.editor = SectionEditor(key, on_edit, self)
        self.editor.setPlaceholderText("每行一段。段首不必空格，导出Word时自动缩进两字。")
        layout.addWidget(self.editor, 1)
        self.count = QLabel()
        self.count.setAlignment(Qt.AlignmentFlag.AlignRight)
        layout.addWidget(self.count)
        self.limit: int | None = None

    def show_state(self, text: str, carried: bool, format_id: str, cursor: int | None = None) -> None:
        self.editor.show_text(text, cursor)
        hint = section_hint(self.key, format_id)
        if hint and hint != self.hint.text():
            self.hint.setText(hint)
        self.carried.setVisible(carried)
        self.limit = OVERVIEW_LIMIT if (self.key == "overview" and format_id == "gov-2021") else None
        self.update_count(text)

    def update_count(self, text: str) -> None:
        name = TEXT_HEADINGS[self.key].split("、")[-1]
        length = text_length(text)
        if self.limit:
            self.count.setText(f"{name} {length} / {self.limit} 字")
            self.count.setStyleSheet("color:#c02020;" if length > self.limit else "")
        else:
            self.count.setText(f"{name} {length} 字")
