"""Is the window that wrote an autosave still running? More than a PID is needed to tell.

A PID is reused: after a reboot (or a day of other programs) the number recorded by a crashed
window can belong to any process, and trusting it hides the crashed window's work from the clerk.
So a window records its PID *and* when that process started (Linux: the start time in
/proc/<pid>/stat, counted from boot, plus the boot id; Windows: the process creation time; other
POSIX systems: ``ps``'s start time). The owner is running only when a process with that PID exists
now and started at the same moment of the same boot. Anything that cannot be proven counts as not
running: offering an autosave twice is harmless, hiding it is not.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any, NamedTuple


class ProcessIdentity(NamedTuple):
    pid: int
    started: str | None  # when the process started, in the platform's own terms; None: unknown
    boot: str | None = None  # which boot of the machine (Linux), where ``started`` is relative to it


# ---- Linux ------------------------------------------------------------------------------------


def _linux_boot_id() -> str | None:
    try:
        return Path("/proc/sys/kernel/random/boot_id").read_text(encoding="ascii").strip() or None
    except OSError:
        return None


def _linux_identity(pid: int, proc: Path = Path("/proc")) -> ProcessIdentity | None:
    try:
        stat = (proc / str(pid) / "stat").read_text(encoding="utf-8", errors="replace")
    except FileNotFoundError:
        return None
    except OSError:
        return ProcessIdentity(pid, None)
    # "pid (comm) state ppid …": comm may hold spaces and parentheses, so split after the last ")"
    fields = stat[stat.rfind(")") + 2:].split()
    if len(fields) < 20 or fields[0] in ("Z", "X"):  # a zombie or a dead task is not running
        return None
    return ProcessIdentity(pid, fields[19], _linux_boot_id())  # field 22 of stat: starttime


# ---- other POSIX (BSD, macOS) -----------------------------------------------------------------


def _posix_identity(pid: int) -> ProcessIdentity | None:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return None
    except PermissionError:
        pass  # someone else's process: not ours, but it exists
    except OSError:
        return None
    import subprocess  # only where /proc is missing (BSD, macOS): not loaded on every start

    try:
        started = subprocess.run(["ps", "-o", "lstart=", "-p", str(pid)], capture_output=True, text=True,
                                 timeout=5).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        started = ""
    return ProcessIdentity(pid, started or None)  # an absolute date and time: no boot id needed


# ---- Windows ----------------------------------------------------------------------------------

PROCESS_QUERY_LIMITED_INFORMATION = 0x1000
STILL_ACTIVE = 259


class WindowsProcesses:
    """Process identity through kernel32 (OpenProcess, GetExitCodeProcess, GetProcessTimes).

    ``kernel32`` and ``get_last_error`` are the ctypes library and its last-error reader; tests pass
    stand-ins. The creation time is an absolute FILETIME, so no boot id is needed.
    """

    def __init__(self, kernel32: Any = None, get_last_error: Any = None) -> None:
        if kernel32 is None:
            kernel32, get_last_error = _load_kernel32()
        self.kernel32 = kernel32
        self.get_last_error = get_last_error

    def identity(self, pid: int) -> ProcessIdentity | None:
        import ctypes
        from ctypes import wintypes

        handle = self.kernel32.OpenProcess(PROCESS_QUERY_LIMITED_INFORMATION, False, pid)
        if not handle:
            # no such process (ERROR_INVALID_PARAMETER), or one we may not open (another user's,
            # ERROR_ACCESS_DENIED): either way not a window of ours
            return None
        try:
            code = wintypes.DWORD()
            if not self.kernel32.GetExitCodeProcess(handle, ctypes.byref(code)):
                return ProcessIdentity(pid, None)
            if code.value != STILL_ACTIVE:
                return None  # exited; the handle only keeps its record alive
            times = [wintypes.FILETIME() for _ in range(4)]  # creation, exit, kernel, user
            if not self.kernel32.GetProcessTimes(handle, *(ctypes.byref(t) for t in times)):
                return ProcessIdentity(pid, None)
            creation = times[0]
            return ProcessIdentity(pid, str((creation.dwHighDateTime << 32) | creation.dwLowDateTime))
        finally:
            self.kernel32.CloseHandle(handle)


def _load_kernel32() -> tuple[Any, Any]:
    import ctypes
    from ctypes import wintypes

    kernel32 = ctypes.WinDLL("kernel32", use_last_error=True)  # type: ignore[attr-defined]
    kernel32.OpenProcess.argtypes = [wintypes.DWORD, wintypes.BOOL, wintypes.DWORD]
    kernel32.OpenProcess.restype = wintypes.HANDLE
    kernel32.GetExitCodeProcess.argtypes = [wintypes.HANDLE, ctypes.POINTER(wintypes.DWORD)]
    kernel32.GetExitCodeProcess.restype = wintypes.BOOL
    kernel32.GetProcessTimes.argtypes = [wintypes.HANDLE] + [ctypes.POINTER(wintypes.FILETIME)] * 4
    kernel32.GetProcessTimes.restype = wintypes.BOOL
    kernel32.CloseHandle.argtypes = [wintypes.HANDLE]
    kernel32.CloseHandle.restype = wintypes.BOOL
    return kernel32, ctypes.get_last_error  # type: ignore[attr-defined]


# ---- the platform's answer --------------------------------------------------------------------

_windows: WindowsProcesses | None = None


def identity_of(pid: int) -> ProcessIdentity | None:
    """The process now running as ``pid`` (None when there is none)."""
    global _windows
    if pid <= 0:
        return None
    if sys.platform == "win32":
        if _windows is None:
            _windows = WindowsProcesses()
        return _windows.identity(pid)
    if sys.platform.startswith("linux"):
        return _linux_identity(pid)
    return _posix_identity(pid)


_current: ProcessIdentity | None = None


def current() -> ProcessIdentity:
    """This process, as it records itself."""
    global _current
    if _current is None or _current.pid != os.getpid():  # (a fork is another process)
        _current = identity_of(os.getpid()) or ProcessIdentity(os.getpid(), None)
    return _current


def is_running(recorded: ProcessIdentity) -> bool:
    """True only when the process that recorded ``recorded`` is provably still running."""
    if recorded.started is None:
        return False
    now = current() if recorded.pid == os.getpid() else identity_of(recorded.pid)
    return now is not None and now.started == recorded.started and now.boot == recorded.boot
