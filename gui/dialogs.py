"""Every dialog the window shows goes through here (tests replace these functions).

Qt's dialog classes are imported when a dialog is first shown, not at start-up.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from PySide6.QtWidgets import QWidget

SAVE, DISCARD, CANCEL = "save", "discard", "cancel"


def warn(parent: QWidget | None, title: str, text: str) -> None:
    from PySide6.QtWidgets import QMessageBox

    QMessageBox.warning(parent, title, text)


def info(parent: QWidget | None, title: str, text: str) -> None:
    from PySide6.QtWidgets import QMessageBox

    QMessageBox.information(parent, title, text)


def confirm(parent: QWidget | None, title: str, text: str) -> bool:
    from PySide6.QtWidgets import QMessageBox

    answer = QMessageBox.question(parent, title, text, QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                                  QMessageBox.StandardButton.No)
    return answer == QMessageBox.StandardButton.Yes


def ask_save(parent: QWidget | None, name: str) -> str:
    """保存 / 不保存 / 取消 before the report is closed."""
    from PySide6.QtWidgets import QMessageBox

    box = QMessageBox(QMessageBox.Icon.Question, "年报助手", f"“{name}”有尚未保存的修改。\n关闭前要保存吗？",
                      QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel,
                      parent)
    box.button(QMessageBox.StandardButton.Save).setText("保存")
    box.button(QMessageBox.StandardButton.Discard).setText("不保存")
    box.button(QMessageBox.StandardButton.Cancel).setText("取消")
    box.setDefaultButton(QMessageBox.StandardButton.Save)
    answer = box.exec()
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
    box.button(QMessageBox.StandardButton.Yes).setText("恢复")
    box.button(QMessageBox.StandardButton.No).setText("不恢复")
    return box.exec() == QMessageBox.StandardButton.Yes


def ask_open_path(parent: QWidget | None, title: str, folder: str, file_filter: str) -> Path | None:
    """A file to open; None when the clerk cancels."""
    from PySide6.QtWidgets import QFileDialog

    name, _ = QFileDialog.getOpenFileName(parent, title, folder, file_filter)
    return Path(name) if name else None


def ask_save_path(parent: QWidget | None, title: str, suggested: Path, file_filter: str, suffix: str) -> Path | None:
    """Where to write a file, ending in ``suffix`` (added when the clerk left it off); None when cancelled."""
    from PySide6.QtWidgets import QFileDialog

    name, _ = QFileDialog.getSaveFileName(parent, title, str(suggested), file_filter)
    if not name:
        return None
    path = Path(name)
    return path if path.suffix.lower() == suffix else path.with_name(path.name + suffix)
