"""Keys the window answers wherever the focus is: its menu shortcuts, undo, redo and changing tabs.

Editors claim some of these for themselves (a text box's own undo, a spin box's page keys, a one-line
field's Ctrl+E "end of line" on X11); the window's menu keys, its one undo history and its tab keys
must win, so the editors let them through — all but the editing keys a clerk expects an editor to
keep (copy, cut, paste, select all; undo and redo are decided per editor below).
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QAction, QKeyEvent, QKeySequence
from PySide6.QtWidgets import QLineEdit, QMenu, QMenuBar

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


# an editor keeps these whatever the menus say (undo and redo: see LineEditKeys and the text editor)
EDITING_KEYS = (QKeySequence.StandardKey.Copy, QKeySequence.StandardKey.Cut, QKeySequence.StandardKey.Paste,
                QKeySequence.StandardKey.SelectAll, QKeySequence.StandardKey.Undo, QKeySequence.StandardKey.Redo)


def is_editing_key(event: QKeyEvent) -> bool:
    return any(event.matches(key) for key in EDITING_KEYS) or is_redo(event)


class MenuKeys(QObject):
    """The window's menu shortcuts win over an editor's own use of the same keys (Ctrl+E in a
    one-line field is 导出 Word, not "end of line"), the editing keys excepted.

    Installed on the window's own QWindow, which gets the ShortcutOverride before the focus widget:
    refusing the override there lets the shortcut run, and the widget never sees the key."""

    def __init__(self, menu_bar: QMenuBar) -> None:
        super().__init__(menu_bar)
        self.menu_bar = menu_bar
        self._actions: dict[QKeySequence, list[QAction]] | None = None

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ShortcutOverride and self.is_menu_key(event):  # type: ignore[arg-type]
            event.ignore()
            return True
        return False

    def is_menu_key(self, event: QKeyEvent) -> bool:
        if self._actions is None:  # the menus are complete by the first key
            self._actions = {}
            for menu in self.menu_bar.findChildren(QMenu):
                for action in menu.actions():
                    for key in action.shortcuts():
                        self._actions.setdefault(key, []).append(action)
        actions = self._actions.get(QKeySequence(event.keyCombination()))
        return bool(actions) and not is_editing_key(event) and any(action.isEnabled() for action in actions)
