"""Every message box the window shows goes through here (tests replace these functions)."""

from __future__ import annotations

from PySide6.QtWidgets import QInputDialog, QMessageBox, QWidget

SAVE, DISCARD, CANCEL = "save", "discard", "cancel"


def warn(parent: QWidget | None, title: str, text: str) -> None:
    QMessageBox.warning(parent, title, text)


def info(parent: QWidget | None, title: str, text: str) -> None:
    QMessageBox.information(parent, title, text)


def confirm(parent: QWidget | None, title: str, text: str) -> bool:
    answer = QMessageBox.question(parent, title, text, QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                                  QMessageBox.StandardButton.No)
    return answer == QMessageBox.StandardButton.Yes


def ask_save(parent: QWidget | None, name: str) -> str:
    """保存 / 不保存 / 取消 before the report is closed."""
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
    reason, ok = QInputDialog.getText(parent, "忽略此提醒", f"{message}\n\n请写明忽略的理由（将保存在报告文件中）：")
    reason = reason.strip()
    return reason if ok and reason else None


def ask_restore(parent: QWidget | None, text: str) -> bool:
    box = QMessageBox(QMessageBox.Icon.Question, "恢复未保存的报告", text,
                      QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, parent)
    box.button(QMessageBox.StandardButton.Yes).setText("恢复")
    box.button(QMessageBox.StandardButton.No).setText("不恢复")
    return box.exec() == QMessageBox.StandardButton.Yes
