"""Autosave soon after the clerk stops typing (a crash loses seconds, not a minute), and never when
nothing changed: the schedule on a fake clock, the window with short intervals."""

from __future__ import annotations

from gui.autosave_schedule import AutosaveSchedule
from gui.settings import autosave_paths
from model import store
from tests.gui.conftest import zero_report


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_the_schedule_waits_for_a_pause_but_not_forever():
    clock = Clock()
    schedule = AutosaveSchedule(pause=2.0, longest=10.0, clock=clock)
    assert not schedule.pending
    assert schedule.changed() == 2.0  # a change: due two seconds later …
    clock.now += 1.5
    assert schedule.changed() == 2.0  # … each further keystroke moves it on …
    for _ in range(12):
        clock.now += 0.5
        schedule.changed()
    clock.now += 1.0  # 8.5 s after the first change not saved: due at 10 s, not at 10.5 …
    assert schedule.changed() == 1.5
    clock.now += 1.5
    assert schedule.changed() == 0.0  # … and at 10 s it is due now, however the clerk goes on
    assert schedule.pending
    schedule.saved()
    assert not schedule.pending
    clock.now += 60
    assert schedule.changed() == 2.0  # the next change starts afresh
    assert AutosaveSchedule(pause=3.0, longest=1.0, clock=clock).changed() == 3.0  # never sooner than the pause


def test_the_window_autosaves_a_moment_after_the_last_change_and_not_again(make_window, qtbot, monkeypatch):
    window = make_window(zero_report())
    window.autosave_schedule = AutosaveSchedule(pause=0.05, longest=0.5)
    report_path, _record = autosave_paths(window.autosave_id)
    writes: list[int] = []
    real_save = store.save

    def counted(report, path, **kwargs):
        writes.append(report.cells[("requests", "received", "natural")])
        real_save(report, path, **kwargs)

    monkeypatch.setattr(store, "save", counted)
    assert not window.autosave_timer.isActive()  # nothing changed: nothing to write, no timer running
    window.edit_cells({("requests", "received", "natural"): 3}, "3")
    assert window.autosave_timer.isActive() and window.autosave_timer.isSingleShot()
    assert window.autosave_timer.interval() <= 50
    qtbot.waitUntil(report_path.exists, timeout=5000)
    assert store.load(report_path).cells[("requests", "received", "natural")] == 3
    assert writes == [3]
    qtbot.wait(300)
    assert writes == [3] and not window.autosave_timer.isActive()  # unchanged: not written again

    # the clerk who never pauses: still autosaved within the longest wait
    for value in range(4, 30):
        window.edit_cells({("requests", "received", "natural"): value}, str(value))
        qtbot.wait(30)
    assert len(writes) >= 2 and writes[1] < 29
    qtbot.waitUntil(lambda: writes[-1] == 29, timeout=5000)

    # undone back to the saved state: the autosave goes, there is nothing to recover
    window.undo_stack.setIndex(0)
    assert not window.is_dirty()
    qtbot.waitUntil(lambda: not report_path.exists(), timeout=5000)
