"""The window's figures: start-up and memory against a bare PySide6 program, keystroke to repaint.

Start-up and memory run each program in its own process (medians over several runs); the child
prints the seconds from its process start to the window shown, and its peak RSS.

"Shown" is the end of the window's first frame: an event filter on the window alone notes its first
Paint event and a zero timer then fires once that frame is painted. (A filter on the whole
application would perturb both programs: its first event makes PySide create every remaining
Python type, ~20 ms.) The program runs as `nianbao FILE` does (cli.main), with its settings in a
temporary folder, up to its event loop, where the child measures instead; both run from compiled
bytecode, as an installed program does.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.common import Figure

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "resources" / "examples" / "chengbu_commerce_2019.nianbao"

_CHILD = r"""
import sys, time
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
    window.resize(*map(int, sys.argv[6].split("x")))  # the size the program's window opened at
    window.show()
from PySide6.QtCore import QEvent, QObject, QTimer


class FirstFrame(QObject):
    painted = shown = None

    def eventFilter(self, watched, event):
        if FirstFrame.painted is None and event.type() == QEvent.Type.Paint:
            FirstFrame.painted = time.time()
            QTimer.singleShot(0, FirstFrame.done)
        return False

    @staticmethod
    def done():
        FirstFrame.shown = time.time()


def measure(*_args):
    # the event loop: the window is shown but not yet painted
    window = next(w for w in QApplication.topLevelWidgets() if w.isVisible())
    window.installEventFilter(FirstFrame(window))
    while FirstFrame.shown is None:
        QApplication.processEvents()
    QApplication.processEvents()  # and what the window does right after (the first check) before measuring memory
    with open("/proc/self/status") as status:  # VmHWM: the peak resident set of this process alone
        peak = next(int(line.split()[1]) for line in status if line.startswith("VmHWM:"))
    print(FirstFrame.shown - start, f"{window.width()}x{window.height()}", peak, flush=True)
    return 0


if sys.argv[1] == "bare":
    measure()
else:
    QApplication.exec = measure  # `nianbao FILE` up to its event loop
    import cli
    cli.main([sys.argv[4]])
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


def _run_child(kind: str, home: Path, size: str = "") -> tuple[float, str, int]:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env.update(QT_QPA_PLATFORM="offscreen", HOME=str(home), XDG_CONFIG_HOME=str(home / "config"),
               XDG_STATE_HOME=str(home / "state"), XDG_DATA_HOME=str(home / "data"), XDG_CACHE_HOME=str(home / "cache"))
    start = time.time()
    out = subprocess.run([sys.executable, "-c", _CHILD, kind, repr(start), str(ROOT), str(EXAMPLE), _table_texts(), size],
                         capture_output=True, text=True, env=env, timeout=120, check=True).stdout.split()
    return float(out[0]) * 1000, out[1], int(out[2])


def startup_and_memory(runs: int = 9) -> list[Figure]:
    app_times, bare_times, app_rss, bare_rss = [], [], [], []
    with tempfile.TemporaryDirectory() as folder:
        home = Path(folder)
        # one run each first: bytecode compiled and cached, as when installed; the bare window takes
        # the size the program's window opens at
        _, size, _ = _run_child("app", home)
        _run_child("bare", home, size)
        for _ in range(runs):  # interleaved, so machine noise hits both
            t, _, rss = _run_child("bare", home, size)
            bare_times.append(t)
            bare_rss.append(rss)
            t, _, rss = _run_child("app", home)
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
