"""Python's cycle collector runs on the window's thread only.

The batch reads in a thread of its own (gui/batch_dialog.py) and an import waits for its worker in one
(gui/import_progress.py). Python collects reference cycles in whichever thread happens to allocate when a
threshold is passed: a cycle holding a widget (a closed dialog whose connected lambdas refer to it) is then
destroyed from that thread — and a Qt widget may only be destroyed in the thread that made it (seen: a
segfault inside the collector while the batch read). So, as pyqtgraph's GarbageCollector does, automatic
collection is switched off and the window's thread collects on a timer, each generation once its
threshold is passed, as Python itself would have.
"""

from __future__ import annotations

import gc

from PySide6.QtCore import QObject, QTimer
from PySide6.QtWidgets import QApplication

INTERVAL_MS = 250


class _Collector(QObject):
    def __init__(self, app: QApplication) -> None:
        super().__init__(app)
        self.thresholds = gc.get_threshold()
        gc.disable()
        self.timer = QTimer(self)
        self.timer.timeout.connect(self.collect)
        self.timer.start(INTERVAL_MS)
        self.destroyed.connect(gc.enable)

    def collect(self) -> None:
        young, middle, old = gc.get_count()
        if young > self.thresholds[0]:
            gc.collect(2 if old > self.thresholds[2] else 1 if middle > self.thresholds[1] else 0)


_collector: _Collector | None = None


def collect_on_the_window_thread() -> None:
    """Switch Python's collector to the window's thread (once; the QApplication must exist)."""
    global _collector
    app = QApplication.instance()
    if _collector is None and isinstance(app, QApplication):
        _collector = _Collector(app)


def collecting_on_the_window_thread() -> bool:
    return _collector is not None and not gc.isenabled()
