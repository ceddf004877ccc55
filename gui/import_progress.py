"""The window reads a file from outside in a worker process, behind a modal 正在导入 box with 取消.

The file is read by export/capped_import.py in a process of its own, within a memory cap and a time
limit: a file that makes a reader blow up or hang costs that process, never the clerk's open report.
A thread of ours waits for the worker; the box runs the window's event loop meanwhile (the window
repaints, the autosave runs), and closes when the thread hands the outcome over (a queued signal).
取消 (or Esc, or the box's close button) asks the thread to kill the worker; the box stays, saying
正在停止…, until the worker and what it started have ended.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QApplication, QDialog, QLabel, QProgressBar, QPushButton, QVBoxLayout, QWidget

from export.capped_import import CRASH, CappedImport, ImportStopped, Outcome, crash_message
from export.importing import ImportResult
from gui import collector, dialogs
from model import limits

# what the worker runs on the file (tests put a reader that misbehaves here); None: export.capped_import.read_file
worker_reader: Callable[[str], ImportResult] | None = None


class _Relay(QObject):
    finished = Signal(object)


class ImportProgress(QDialog):
    """正在导入“X”… with a busy bar and 取消; ``run()`` shows it until the worker's outcome is in."""

    def __init__(self, parent: QWidget | None, reading: CappedImport) -> None:
        super().__init__(parent)
        self.reading = reading
        self.outcome: Outcome | None = None
        name = reading.path.name
        self.setWindowTitle("导入")
        self.setModal(True)
        self.setWindowFlag(Qt.WindowType.WindowContextHelpButtonHint, False)
        self.label = QLabel(f"正在导入“{name}”…")
        self.label.setWordWrap(True)
        bar = QProgressBar()
        bar.setRange(0, 0)  # busy: how far a reader is cannot be told
        bar.setTextVisible(False)
        self.cancel_button = QPushButton("取消")
        self.cancel_button.setAutoDefault(False)
        self.cancel_button.clicked.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.label)
        layout.addWidget(bar)
        layout.addWidget(self.cancel_button, 0, Qt.AlignmentFlag.AlignRight)
        self.setMinimumWidth(360)
        self._relay = _Relay()
        self._relay.finished.connect(self._finished, Qt.ConnectionType.QueuedConnection)

    def run(self) -> Outcome:
        with collector.on_the_window_thread():
            thread = threading.Thread(target=self._read, name="nianbao-import-wait", daemon=True)
            thread.start()
            self.exec()
            thread.join()  # (it has handed the outcome over: only its return is left)
        assert self.outcome is not None
        return self.outcome

    def _read(self) -> None:
        try:
            outcome: Outcome = self.reading.run()
        except Exception:  # (starting a process failed in a way of its own: never a traceback for the clerk)
            outcome = ImportStopped(CRASH, crash_message(self.reading.path.name))
        self._relay.finished.emit(outcome)

    def _finished(self, outcome: Outcome) -> None:
        self.outcome = outcome
        self.done(QDialog.DialogCode.Accepted)

    def reject(self) -> None:
        """取消, Esc or the close button: the worker is killed; the box closes when it has ended."""
        if self.outcome is not None:
            return
        self.reading.cancel()
        self.cancel_button.setEnabled(False)
        self.label.setText(f"正在停止导入“{self.reading.path.name}”…")


def read_in_worker(parent: QWidget | None, path: Path) -> Outcome:
    """Read ``path`` in a capped worker process behind the progress box (modal to ``parent``)."""
    reading = CappedImport(path, memory=limits.IMPORT_WORKER_MEMORY_BYTES,
                           **({"reader": worker_reader} if worker_reader is not None else {}))
    dialog = ImportProgress(parent, reading)
    try:
        return dialogs._keeping_focus(dialog.run)  # (the keyboard goes back where it was, as after any box)
    finally:
        dialog.deleteLater()
        if parent is not None and parent.isVisible():  # the window the box was over takes the keyboard back
            parent.window().activateWindow()  # before what comes next (the 导入 question, the clerk's keys)
            QApplication.processEvents()
