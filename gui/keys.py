"""Keys the window answers wherever the focus is: undo, redo and changing tabs.

Editors claim some of these for themselves (a text box's own undo, a spin box's page keys); the
window's one undo history and its tab keys must win, so the editors let them through.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent, QKeySequence
from PySide6.QtWidgets import QLineEdit

CTRL = Qt.KeyboardModifier.ControlModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier
# Ctrl+PageDown / Ctrl+PageUp as in Excel and WPS, Ctrl+Tab / Ctrl+Shift+Tab as in browsers
NEXT_TAB_KEYS = ("Ctrl+PgDown", "Ctrl+Tab")
PREVIOUS_TAB_KEYS = ("Ctrl+PgUp", "Ctrl+Shift+Tab", "Ctrl+Shift+Backtab")


def is_undo(event: QKeyEvent) -> bool:
    return event.matches(QKeySequence.StandardKey.Undo)


def is_redo(event: QKeyEvent) -> bool:
    return event.matches(QKeySequence.StandardKey.Redo) or _is(event, Qt.Key.Key_Y, CTRL)


def is_tab_switch(event: QKeyEvent) -> bool:
    modifiers = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
    if event.key() in (Qt.Key.Key_PageDown, Qt.Key.Key_PageUp, Qt.Key.Key_Tab):
        return modifiers == CTRL or (event.key() == Qt.Key.Key_Tab and modifiers == CTRL | SHIFT)
    return event.key() == Qt.Key.Key_Backtab and bool(modifiers & CTRL)


def _is(event: QKeyEvent, key: Qt.Key, modifiers: Qt.KeyboardModifier) -> bool:
    return event.key() == key and (event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier) == modifiers


def window_shortcut(event: QKeyEvent) -> bool:
    """A key the window's own shortcuts answer: undo, redo, next or previous tab."""
    return is_undo(event) or is_redo(event) or is_tab_switch(event)


class LineEditKeys(QObject):
    """On a one-line field: Ctrl+Z undoes the field's own typing while there is some, then the
    window's history takes over (as in a spreadsheet cell); the tab keys always go to the window."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ShortcutOverride and isinstance(watched, QLineEdit):
            key_event: QKeyEvent = event  # type: ignore[assignment]
            if (is_tab_switch(key_event) or (is_undo(key_event) and not watched.isUndoAvailable())
                    or (is_redo(key_event) and not watched.isRedoAvailable())):
                event.ignore()
                return True
        return False


_LINE_EDIT_KEYS: LineEditKeys | None = None


def pass_window_keys(line_edit: QLineEdit) -> None:
    """Let the window's undo, redo and tab keys through a line edit (see LineEditKeys)."""
    global _LINE_EDIT_KEYS
    if _LINE_EDIT_KEYS is None:
        _LINE_EDIT_KEYS = LineEditKeys()
    line_edit.installEventFilter(_LINE_EDIT_KEYS)
