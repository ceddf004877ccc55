"""Every dialog the window shows goes through here (tests replace these functions).

Qt's dialog classes are imported when a dialog is first shown, not at start-up. Our buttons carry
mnemonic keys (保存(S)); after a message box the keyboard goes back where it was, as a window
manager may hand the focus to another widget of the window (the tab bar) when the box closes.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

if TYPE_CHECKING:
    from PySide6.QtWidgets import QWidget

SAVE, DISCARD, CANCEL = "save", "discard", "cancel"
FRAME_WIDTH, FRAME_HEIGHT = 16, 48  # what a window manager adds around a window: borders, the title bar
T = TypeVar("T")


def _keeping_focus(show: Callable[[], T]) -> T:
    """Show a modal box, then give the keyboard back to the widget that had it."""
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QApplication
    from shiboken6 import isValid

    widget = QApplication.focusWidget()
    try:
        return show()
    finally:
        if widget is not None and isValid(widget) and widget.isVisible():
            widget.window().activateWindow()
            widget.setFocus(Qt.FocusReason.ActiveWindowFocusReason)


def warn(parent: QWidget | None, title: str, text: str) -> None:
    from PySide6.QtWidgets import QMessageBox

    _keeping_focus(lambda: QMessageBox.warning(parent, title, text))


def info(parent: QWidget | None, title: str, text: str) -> None:
    from PySide6.QtWidgets import QMessageBox

    _keeping_focus(lambda: QMessageBox.information(parent, title, text))


def question_box(parent: QWidget | None, title: str, text: str):  # type: ignore[no-untyped-def]
    """The 是(Y) / 否(N) box of ``confirm``, 否 the default (built apart so that its size can be tested)."""
    from PySide6.QtWidgets import QMessageBox

    box = QMessageBox(QMessageBox.Icon.Question, title, text,
                      QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, parent)
    box.setDefaultButton(QMessageBox.StandardButton.No)
    return box


def confirm(parent: QWidget | None, title: str, text: str) -> bool:
    from PySide6.QtWidgets import QMessageBox

    return _keeping_focus(question_box(parent, title, text).exec) == QMessageBox.StandardButton.Yes


def fit_size(widget: QWidget, width: int, height: int) -> None:
    """Resize a window to ``width`` × ``height``, or less on a small screen: it and its title bar stay
    within the screen's work area (a 1366 × 768 laptop less its taskbar)."""
    from PySide6.QtGui import QGuiApplication

    screen = widget.screen() or QGuiApplication.primaryScreen()
    area = screen.availableGeometry()
    widget.resize(min(width, area.width() - FRAME_WIDTH), min(height, area.height() - FRAME_HEIGHT))


def confirm_export(parent: QWidget | None, title: str, text: str, *, default_cancel: bool) -> bool:
    """导出 / 取消 before exporting a report that has problems; 取消 is the default when ``default_cancel``."""
    from PySide6.QtWidgets import QMessageBox

    icon = QMessageBox.Icon.Warning if default_cancel else QMessageBox.Icon.Question
    box = QMessageBox(icon, title, text, QMessageBox.StandardButton.NoButton, parent)
    export = box.addButton("仍然导出(&E)", QMessageBox.ButtonRole.AcceptRole)
    cancel = box.addButton("取消(&C)", QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(cancel if default_cancel else export)
    box.setEscapeButton(cancel)
    _keeping_focus(box.exec)
    return box.clickedButton() is export


def ask_save(parent: QWidget | None, name: str) -> str:
    """保存(S) / 不保存(N) / 取消(C) before the report is closed."""
    from PySide6.QtWidgets import QMessageBox

    box = QMessageBox(QMessageBox.Icon.Question, "年报助手", f"“{name}”有尚未保存的修改。\n关闭前要保存吗？",
                      QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel,
                      parent)
    box.button(QMessageBox.StandardButton.Save).setText("保存(&S)")
    box.button(QMessageBox.StandardButton.Discard).setText("不保存(&N)")
    box.button(QMessageBox.StandardButton.Cancel).setText("取消(&C)")
    box.setDefaultButton(QMessageBox.StandardButton.Save)
    answer = _keeping_focus(box.exec)
    if answer == QMessageBox.StandardButton.Save:
        return SAVE
    if answer == QMessageBox.StandardButton.Discard:
        return DISCARD
    return CANCEL


def ask_reason(parent: QWidget | None, message: str) -> str | None:
    """The written reason for dismissing a warning; None when the clerk cancels."""
    from PySide6.QtWidgets import QInputDialog

    reason, ok = QInputDialog.getText(parent, "忽略此提醒", f"{message}\n\n请写明忽略的理由（将保存在报告文件中）：")
    reason = reason.strip()
    return reason if ok and reason else None


def ask_restore(parent: QWidget | None, text: str) -> bool:
    from PySide6.QtWidgets import QMessageBox

    box = QMessageBox(QMessageBox.Icon.Question, "恢复未保存的报告", text,
                      QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, parent)
    box.button(QMessageBox.StandardButton.Yes).setText("恢复(&R)")
    box.button(QMessageBox.StandardButton.No).setText("不恢复(&N)")
    return _keeping_focus(box.exec) == QMessageBox.StandardButton.Yes


def file_dialog(parent: QWidget | None, title: str, folder: Path, file_filter: str, *, save: bool = False):  # type: ignore[no-untyped-def]
    """Qt's file dialog (the system's own where there is one), large enough that long report names,
    the file types and the dates are not cut, and within the screen."""
    from PySide6.QtWidgets import QFileDialog, QSplitter, QTreeView

    dialog = QFileDialog(parent, title, str(folder), file_filter)
    dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave if save else QFileDialog.AcceptMode.AcceptOpen)
    dialog.setFileMode(QFileDialog.FileMode.AnyFile if save else QFileDialog.FileMode.ExistingFile)
    fit_size(dialog, 1040, 560)
    view = dialog.findChild(QTreeView, "treeView")  # the details view of Qt's own dialog (none when native)
    if view is not None:
        metrics = view.fontMetrics()
        header = view.header()
        for column, sample in enumerate(FILE_COLUMN_SAMPLES):
            header.resizeSection(column, metrics.horizontalAdvance(sample) + 24)
        splitter = dialog.findChild(QSplitter, "splitter")  # the places on the left, the files on the right
        if splitter is not None:
            places = metrics.horizontalAdvance("桌面文件夹名称") + 48
            splitter.setSizes([places, max(splitter.width() - places, 600)])
    return dialog


# the widest each column of the file dialog's details shows: a report's name, a size, a type, a date
FILE_COLUMN_SAMPLES = ("示例县交通运输局2026年政府信息公开工作年度报告.docx", "999.99 KiB", "Excel 2007 工作表",
                       "2026/12/31 23:59")


def ask_open_path(parent: QWidget | None, title: str, folder: str, file_filter: str) -> Path | None:
    """A file to open; None when the clerk cancels."""
    dialog = file_dialog(parent, title, Path(folder), file_filter)
    if not _keeping_focus(dialog.exec) or not dialog.selectedFiles():
        return None
    return Path(dialog.selectedFiles()[0])


def ask_save_path(parent: QWidget | None, title: str, suggested: Path, file_filter: str, suffix: str) -> Path | None:
    """Where to write a file, ending in ``suffix`` (added when the clerk left it off); None when cancelled."""
    dialog = file_dialog(parent, title, suggested.parent, file_filter, save=True)
    dialog.selectFile(suggested.name)
    if not _keeping_focus(dialog.exec) or not dialog.selectedFiles():
        return None
    path = Path(dialog.selectedFiles()[0])
    return path if path.suffix.lower() == suffix else path.with_name(path.name + suffix)
