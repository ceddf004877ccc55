"""Readers that misbehave, for the capped window import (export/capped_import.py): light (no pytest),
imported by the spawned worker. Each takes the path the worker was given."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path


def hog(path: str) -> object:
    """Allocates without bound, as a reader tricked by a file would: only the cap stops it."""
    held = []
    while True:
        held.append(bytearray(32 * 1024 * 1024))


def crash(path: str) -> object:
    """Dies the way a crash in C does (killed: no answer, no clean-up)."""
    os.kill(os.getpid(), getattr(signal, "SIGKILL", signal.SIGTERM))
    return None


def hang(path: str) -> object:
    """Never finishes."""
    time.sleep(3600)
    return None


def hang_with_a_helper(path: str) -> object:
    """Starts a program in a session of its own (as LibreOffice is started), writes its pid to
    ``path``.pid, and never finishes."""
    helper = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(3600)"], start_new_session=True)
    Path(path + ".pid").write_text(str(helper.pid), encoding="ascii")
    time.sleep(3600)
    return None
