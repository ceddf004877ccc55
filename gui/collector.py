"""Python's cycle collector runs on the window's thread while a thread of ours runs Python.

The batch reads in a thread of its own (gui/batch_dialog.py) and an import waits for its worker in one
(gui/import_progress.py). Python collects reference cycles in whichever thread happens to allocate when a
threshold is passed: a cycle holding a widget (a closed dialog whose connected lambdas refer to it) is then
destroyed from that thread — and a Qt widget may only be destroyed in the thread that made it (seen: a
segfault inside the collector while the batch read). So, as pyqtgraph's GarbageCollector does, while such a
thread runs, automatic collection is off and the window's thread collects on a timer, each generation once
its threshold is passed, as Python itself would have; when the last such thread has ended, Python collects
as usual again.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

from PySide6.QtCore import QObject, QTimer
from PySide6.QtWidgets import QApplication

INTERVAL_MS = 250


class _Collector(QObject):
    def __init__(self, app: QApplication) -> None:
        super().__init__(app)
        self.thresholds = gc.get_threshold()
        self.holders = 0
        self.timer = QTimer(self)
        self.timer.timeout.connect(self.collect)

    def collect(self) -> None:
        young, middle, old = gc.get_count()
        if young > self.thresholds[0]:
            gc.collect(2 if old > self.thresholds[2] else 1 if middle > self.thresholds[1] else 0)

    def hold(self) -> None:
        self.holders += 1
        if self.holders == 1:
            gc.disable()
            self.timer.start(INTERVAL_MS)

    def release(self) -> None:
        self.holders -= 1
        if self.holders == 0:
            self.timer.stop()
            gc.enable()


_collector: _Collector | None = None


def _the_collector() -> _Collector:
    global _collector
    if _collector is None:
        app = QApplication.instance()
        assert isinstance(app, QApplication)
        _collector = _Collector(app)
    return _collector


def hold() -> None:
    """A thread of ours starts running Python: collect on the window's thread only (until ``release``)."""
    _the_collector().hold()


def release() -> None:
    _the_collector().release()


@contextmanager
def on_the_window_thread() -> Iterator[None]:
    hold()
    try:
        yield
    finally:
        release()
