"""The window's figures: start-up and memory against a bare PySide6 program, keystroke to repaint.

Start-up and memory run each program in its own process (medians over several runs); the child
prints the seconds from its process start to the window shown, and its peak RSS.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

from benchmarks.common import Figure

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "resources" / "examples" / "chengbu_commerce_2019.nianbao"

_CHILD = r"""
import resource, sys, time
start = float(sys.argv[2])
sys.path.insert(0, sys.argv[3])
from PySide6.QtWidgets import QApplication
if sys.argv[1] == "bare":
    import json
    from PySide6.QtWidgets import QMainWindow, QTableWidget, QTableWidgetItem
    app = QApplication([])
    window = QMainWindow()
    cells = json.loads(sys.argv[5])  # table 三's own texts: both programs draw the same Chinese labels
    table = QTableWidget(max(r for r, c, t in cells) + 1, max(c for r, c, t in cells) + 1)
    for r, c, text in cells:
        table.setItem(r, c, QTableWidgetItem(text))
    window.setCentralWidget(table)
else:
    from pathlib import Path
    from gui.app import application
    from gui.main_window import MainWindow
    from gui.settings import Settings
    from model import store
    app = application()
    path = Path(sys.argv[4])
    window = MainWindow(Settings(), store.load(path), path, defer_checks=True)
from PySide6.QtCore import QEvent, QObject


class FirstPaint(QObject):
    # the window is shown when it is first painted: both programs are timed to that moment

    at = None

    def eventFilter(self, watched, event):
        if event.type() == QEvent.Type.Paint and FirstPaint.at is None:
            FirstPaint.at = time.time()
        return False


painted = FirstPaint()
app.installEventFilter(painted)
window.resize(1366, 768)
window.show()
while FirstPaint.at is None:
    app.processEvents()
app.processEvents()  # and what the window does right after (the first check) before measuring memory
shown = FirstPaint.at - start
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
try:  # VmHWM is the peak resident set of this process alone (ru_maxrss can be inherited)
    with open("/proc/self/status") as status:
        peak = next(int(line.split()[1]) for line in status if line.startswith("VmHWM:"))
except (OSError, StopIteration):
    pass
print(shown, peak, flush=True)
"""


def _table_texts() -> str:
    """The example's table 三 as (row, column, text): labels and the numbers as shown."""
    import json

    from model import store
    from model.values import display_text

    report = store.load(EXAMPLE)
    layout = report.format.layouts["requests"]
    cells = [[c.row, c.col, display_text(report.value(c.address), blank="0") if c.address else c.text]
             for c in layout.cells]
    return json.dumps(cells, ensure_ascii=False)


def _run_child(kind: str) -> tuple[float, int]:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    start = time.time()
    out = subprocess.run([sys.executable, "-c", _CHILD, kind, repr(start), str(ROOT), str(EXAMPLE), _table_texts()],
                         capture_output=True, text=True, env=env, timeout=120, check=True).stdout.split()
    return float(out[0]) * 1000, int(out[1])


def startup_and_memory(runs: int = 7) -> list[Figure]:
    app_times, bare_times, app_rss, bare_rss = [], [], [], []
    for _ in range(runs):  # interleaved, so machine noise hits both
        t, rss = _run_child("bare")
        bare_times.append(t)
        bare_rss.append(rss)
        t, rss = _run_child("app")
        app_times.append(t)
        app_rss.append(rss)
    return [
        Figure("start-up to window shown vs bare QTableWidget", statistics.median(app_times), statistics.median(bare_times),
               budget_ratio=1.5),
        Figure("peak RSS in KiB (not ms) vs bare", statistics.median(app_rss), statistics.median(bare_rss),
               budget_ratio=1.3),
    ]


def keystroke_to_repaint(samples: int = 200) -> Figure:
    """One committed cell edit in table 三 until the marks, panel and totals are repainted."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication, QTableWidget, QTableWidgetItem

    from benchmarks.common import full_report
    from gui.app import application
    from gui.main_window import MainWindow
    from gui.settings import Settings

    app = application()
    window = MainWindow(Settings(), full_report(), Path("bench.nianbao"))
    window.resize(1366, 768)
    window.show()
    window.tabs.setCurrentIndex(3)
    app.processEvents()
    view = window.grids["requests"]
    index = view.grid.index_of(("requests", "received", "natural"))

    def one(i: int) -> float:
        start = time.perf_counter()
        view.grid.setData(index, str(100 + i % 7))  # what the delegate does when the clerk presses Enter
        QApplication.processEvents()  # the repaint of what changed (cells, marks, panel)
        return (time.perf_counter() - start) * 1000

    times = sorted(one(i) for i in range(samples))
    p95 = times[int(len(times) * 0.95) - 1]

    table = QTableWidget(28, 10)
    table.resize(1000, 600)
    table.show()

    def bare(i: int) -> float:
        start = time.perf_counter()
        table.setItem(3, 3, QTableWidgetItem(str(i)))
        QApplication.processEvents()
        return (time.perf_counter() - start) * 1000

    bare_times = sorted(bare(i) for i in range(samples))
    window.undo_stack.setClean()
    window.close()
    return Figure("keystroke→repaint p95, table 三 vs QTableWidget", p95, bare_times[int(len(bare_times) * 0.95) - 1],
                  budget_ms=16.0)


FIGURES = [keystroke_to_repaint, startup_and_memory]
