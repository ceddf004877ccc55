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
    if what in ("helper", "orphan"):  # a program in a session of its own (as LibreOffice is started); its pid to a file
        import subprocess
        import sys
        import tempfile
        from pathlib import Path

        # its command line names this worker's temporary folder, as LibreOffice's names the profile in it
        helper = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(3600)", tempfile.gettempdir()],
                                  start_new_session=True)
        Path(str(amount)).write_text(str(helper.pid), encoding="ascii")
        if what == "orphan":  # the worker dies, leaving the helper to nobody
            os.kill(os.getpid(), signal.SIGKILL)
        time.sleep(3600)
    if what == "tempdir":
        import tempfile

        return tempfile.gettempdir(), os.environ.get("TMPDIR")
    if what == "deep":
        def down(n: int) -> int:
            return down(n + 1)
        return down(0)
    return None
