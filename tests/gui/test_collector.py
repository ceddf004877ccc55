"""Python's cycle collector runs on the window's thread only (gui/collector.py): garbage holding a widget,
left while another thread allocates (as the batch's thread does), is destroyed by the window's thread."""

from __future__ import annotations

import gc
import threading

from PySide6.QtWidgets import QWidget

from gui import collector


class _Cycle:
    pass


def test_a_widget_in_a_cycle_is_destroyed_on_the_window_thread(qtbot):
    with collector.on_the_window_thread():
        assert not gc.isenabled()
        _while_a_reader_allocates(qtbot)
    assert gc.isenabled()  # as usual again once no thread of ours runs


def _while_a_reader_allocates(qtbot) -> None:
    destroyed_in: list[str] = []

    def leave_garbage() -> None:
        cycle = _Cycle()
        cycle.me = cycle
        cycle.widget = QWidget()
        cycle.widget.destroyed.connect(lambda *_: destroyed_in.append(threading.current_thread().name))

    gc.collect()  # from here on the reader's allocations pass the thresholds first
    leave_garbage()

    def allocate() -> None:  # far past every threshold: Python would collect here, in this thread
        junk = []
        for _ in range(200_000):
            pair = [None]
            pair[0] = pair
            junk.append(pair)
        del junk

    collected_in: list[str] = []

    def note(phase: str, _info: dict) -> None:
        if phase == "start":
            collected_in.append(threading.current_thread().name)

    gc.callbacks.append(note)
    try:
        reader = threading.Thread(target=allocate, name="reader")
        reader.start()
        reader.join()
        assert "reader" not in collected_in and destroyed_in == []  # nothing collected in the reader's thread
        qtbot.waitUntil(lambda: destroyed_in == [threading.main_thread().name], timeout=5000)
    finally:
        gc.callbacks.remove(note)
    assert set(collected_in) == {threading.main_thread().name}
    assert gc.get_count()[0] < 200_000  # and the reader's garbage collected with it
