"""Tasks for the worker-pool tests: light (no pytest), imported by the spawned workers."""

from __future__ import annotations

import os
import signal
import time


def behave(task: tuple[str, float]) -> object:
    """("echo", n) → 2n; ("sleep", s) sleeps; ("eat", mib) allocates; ("crash", 0) dies; ("raise", 0) fails."""
    what, amount = task
    if what == "echo":
        return amount * 2
    if what == "sleep":
        time.sleep(amount)
        return "woke"
    if what == "eat":
        return len(bytearray(int(amount) * 1024 * 1024))
    if what == "crash":  # killed from outside: SIGKILL on POSIX; TerminateProcess (exit code 15) on Windows
        os.kill(os.getpid(), getattr(signal, "SIGKILL", signal.SIGTERM))
    if what == "raise":
        raise ValueError("broken on purpose")
    if what == "deep":
        def down(n: int) -> int:
            return down(n + 1)
        return down(0)
    return None
