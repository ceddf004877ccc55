"""In the window, an unexpected error is told in a dialog (runtime/crash.py logs it and asks us).

One dialog at a time, on the GUI thread only; an error raised while the dialog is up, or from another
thread, is left to the log and the terminal. With NIANBAO_NO_DIALOGS set, nothing is shown.
"""

from __future__ import annotations

from PySide6.QtCore import QThread
from PySide6.QtWidgets import QApplication

from runtime import crash, notice

_showing = False


def tell(text: str) -> bool:
    global _showing
    app = QApplication.instance()
    if app is None or _showing or QThread.currentThread() is not app.thread() or not notice.dialogs_allowed():
        return False
    _showing = True
    try:
        from PySide6.QtWidgets import QMessageBox  # (its type made when first needed, not at every start)

        box = QMessageBox(QMessageBox.Icon.Critical, crash.TITLE, text, QMessageBox.StandardButton.Ok,
                          QApplication.activeWindow())
        box.exec()
    finally:
        _showing = False
    return True


def install() -> None:
    crash.add_teller(tell)
