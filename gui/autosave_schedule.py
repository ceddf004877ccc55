"""When to autosave: soon after the clerk stops changing the report, and not much later while they go on.

A crash (or kill -9) then loses at most the last few seconds of typing, and an unchanged report is
never written again. Plain Python with the clock passed in, so that the timing is testable.
"""

from __future__ import annotations

import time
from collections.abc import Callable

PAUSE_SECONDS = 2.0  # an autosave this long after the last change: a pause in typing


class AutosaveSchedule:
    """The due time of the next autosave: ``pause`` after the last change, but no later than
    ``longest`` after the first change not yet autosaved (the clerk who never pauses)."""

    def __init__(self, pause: float = PAUSE_SECONDS, longest: float = 10.0,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.pause = pause
        self.longest = max(longest, pause)
        self.clock = clock
        self._first: float | None = None  # the first change since the last autosave
        self._due: float | None = None

    @property
    def pending(self) -> bool:
        """Whether a change waits for its autosave."""
        return self._due is not None

    def changed(self) -> float:
        """A change: the seconds from now until the autosave is due."""
        now = self.clock()
        if self._first is None:
            self._first = now
        self._due = min(now + self.pause, self._first + self.longest)
        return max(0.0, self._due - now)

    def saved(self) -> None:
        """The report was autosaved (or needs no autosave): nothing is pending."""
        self._first = self._due = None
