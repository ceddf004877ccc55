"""The window reads a file from outside in a capped worker process (issue 12), behind a modal
正在导入 box with 取消: a good file gives the report it gave when read in the window's own process, a
file that makes the reader eat memory is a Chinese message naming the file and leaves the clerk's open
report as it was, and 取消 ends the worker."""

from __future__ import annotations

import multiprocessing
import os
from pathlib import Path

from PySide6.QtCore import QMimeData, QPointF, Qt, QTimer, QUrl
from PySide6.QtGui import QDropEvent
from PySide6.QtWidgets import QApplication

from export.reading import read_source
from gui import import_progress
from gui.file_actions import dropped_kind, with_import_problems
from gui.import_progress import ImportProgress
from model import limits, store
from tests.conftest import FIXTURES
from tests.export import import_readers
from tests.export.test_capped_import import wait_gone
from tests.gui.conftest import zero_report

TXT = FIXTURES / "chengbu_commerce_2019.txt"
MiB = 1024 * 1024


def watch_the_box(on_box=None):  # type: ignore[no-untyped-def]
    """What the 正在导入 box showed while it was up (its label), and ``on_box(box)`` called once the worker
    has been given the file."""
    seen: list[str] = []
    timer = QTimer()
    timer.setInterval(20)

    def look() -> None:
        box = QApplication.activeModalWidget()
        if isinstance(box, ImportProgress):
            if box.label.text() not in seen:
                seen.append(box.label.text())
            if on_box is not None and box.reading.reading.is_set():
                on_box(box)
                timer.stop()

    timer.timeout.connect(look)
    timer.start()
    return seen, timer


def dirty_window(make_window):  # type: ignore[no-untyped-def]
    """A window with the clerk's unsaved work in it."""
    window = make_window(zero_report(), Path("x.nianbao"))
    window.undo_stack.setClean()
    window.edit_cells({("appeals", "review", "upheld"): 9}, "修改单元格")
    assert window.isWindowModified()
    return window


def test_a_good_file_through_the_box_gives_the_report_as_before(make_window, recorded):
    window = make_window(zero_report(), Path("x.nianbao"))
    seen, timer = watch_the_box()
    assert window.import_file(TXT)
    timer.stop()
    assert seen[0] == "正在导入“chengbu_commerce_2019.txt”…"
    here = read_source(TXT)
    assert store.dumps(window.report) == store.dumps(with_import_problems(here.report, here.problems))
    assert window.report.meta.agency == "城步苗族自治县商务局"
    assert recorded.titles("confirm") == ["导入"] and recorded.titles("warn") == []
    assert QApplication.activeModalWidget() is None and window.isActiveWindow()


def test_a_file_that_eats_memory_is_a_message_and_the_open_report_stays(make_window, recorded, monkeypatch):
    monkeypatch.setattr(import_progress, "worker_reader", import_readers.hog)
    monkeypatch.setattr(limits, "IMPORT_WORKER_MEMORY_BYTES", 512 * MiB)
    window = dirty_window(make_window)
    before = store.dumps(window.report)
    assert not window.import_file(TXT)
    assert recorded.shown == [("warn", "无法导入", "无法导入“chengbu_commerce_2019.txt”：文件过大或已损坏，导入时占用内存超过上限"
                                                 "（512 MB），已停止。窗口中的报告没有改变。")]
    assert store.dumps(window.report) == before and window.isWindowModified() and window.undo_stack.count() == 1
    assert window.path == Path("x.nianbao")
    # … and last year's report, by either command, the same way
    assert not window.attach_last_year(TXT)
    assert window.report.last_year is None and store.dumps(window.report) == before
    assert not window.new_from_last_year(TXT)
    assert store.dumps(window.report) == before
    assert recorded.titles("warn") == ["无法导入"] * 3
    assert not [p for p in multiprocessing.active_children() if p.name == "nianbao-import"]


def test_cancel_kills_the_worker_and_leaves_the_report(make_window, recorded, qtbot, monkeypatch):
    monkeypatch.setattr(import_progress, "worker_reader", import_readers.hang)
    window = dirty_window(make_window)
    before = store.dumps(window.report)
    workers: list[int] = []

    def cancel(box: ImportProgress) -> None:
        workers.append(box.reading.pid)
        assert box.cancel_button.text() == "取消"
        qtbot.mouseClick(box.cancel_button, Qt.MouseButton.LeftButton)

    seen, timer = watch_the_box(cancel)
    assert not window.import_file(Path("/nonexistent/慢.pdf"))
    timer.stop()
    assert seen[0] == "正在导入“慢.pdf”…"
    assert recorded.shown == []  # a cancel is no failure: no box
    assert window.statusBar().currentMessage() == "已取消导入“慢.pdf”"
    assert store.dumps(window.report) == before and window.isWindowModified()
    assert len(workers) == 1 and wait_gone(workers[0])
    assert not [p for p in multiprocessing.active_children() if p.name == "nianbao-import"]


def test_a_box_closed_with_esc_is_a_cancel(make_window, recorded, qtbot, monkeypatch):
    monkeypatch.setattr(import_progress, "worker_reader", import_readers.hang)
    window = dirty_window(make_window)
    _seen, timer = watch_the_box(lambda box: qtbot.keyClick(box, Qt.Key.Key_Escape))
    assert not window.new_from_last_year(Path("/nonexistent/慢.docx"))
    timer.stop()
    assert window.statusBar().currentMessage() == "已取消导入“慢.docx”" and recorded.shown == []


def test_a_published_report_dropped_on_the_window_is_imported(make_window, recorded, qtbot):
    window = make_window(zero_report(), Path("x.nianbao"))
    window.undo_stack.setClean()
    data = QMimeData()
    data.setUrls([QUrl.fromLocalFile(os.fspath(TXT))])
    event = QDropEvent(QPointF(10, 10), Qt.DropAction.CopyAction, data, Qt.MouseButton.LeftButton,
                       Qt.KeyboardModifier.NoModifier)
    window.dropEvent(event)
    assert event.isAccepted()
    qtbot.waitUntil(lambda: window.report.meta.agency == "城步苗族自治县商务局", timeout=60_000)
    assert recorded.titles("confirm") == ["导入"]


def test_what_a_dropped_file_is_for():
    assert [dropped_kind(name) for name in ("/a/报告.NIANBAO", "/a/b.pdf", "/a/c.htm", "/a/d.DOC", "/a/e.xlsx",
                                            "/a/f.zip", "")] == ["open", "import", "import", "import", "import", None, None]
