"""Starting another program (LibreOffice, to convert an old .doc) from ours as if it had been started on
its own, and ending it with everything it started.

What the frozen bundle (PyInstaller) changed for itself must not reach the other program:
- **Linux**: the bootloader puts the bundle's ``_internal`` first in ``LD_LIBRARY_PATH`` (the original is
  kept in ``LD_LIBRARY_PATH_ORIG``, or that variable is absent when there was none): LibreOffice would load
  our copies of libraries (libstdc++, libxml2, Qt…) instead of its own or the system's. PyInstaller's
  convention is to restore the original, or remove the variable.
- **Windows**: the bootloader calls ``SetDllDirectoryW(<bundle>)``, which child processes inherit: soffice.bin
  would find the bundle's VCRUNTIME140.dll and the like before System32's. It is cleared
  (``SetDllDirectoryW(NULL)``) while the program is started and set back at once (our own later DLL loads
  need it). PySide6's run-time hook also puts the bundle on ``PATH``: taken out again.
- **Both**: ``QT_PLUGIN_PATH`` and ``QML2_IMPORT_PATH`` are set by that hook to our Qt's folders: removed.

On Windows the program is started suspended, put in a Job object (model/job_object.py), then resumed, so that
soffice.bin, which soffice.exe starts, is in the job too and ends with it; ``CREATE_NO_WINDOW``: a console
program started by the windowed nianbao.exe opens no console window. On POSIX it gets its own session
(process group), which is killed as a whole.

A memory cap (``start(memory=…)``): on POSIX the program's address space (``RLIMIT_AS``, soft and hard, set
in the child before it runs the program: inherited by everything it starts); on Windows the Job object's
limit on each process's committed memory. A file that makes LibreOffice allocate without bound ends the
conversion (LibreOffice fails or aborts; the caller finds no result) instead of exhausting the machine.
"""

from __future__ import annotations

import ntpath
import os
import signal
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from typing import Any

from model.job_object import CREATE_SUSPENDED, Job

CREATE_NEW_PROCESS_GROUP = 0x00000200
CREATE_NO_WINDOW = 0x08000000
_QT_VARIABLES = ("QT_PLUGIN_PATH", "QML2_IMPORT_PATH")
_dll_lock = threading.Lock()


def _frozen() -> bool:
    return bool(getattr(sys, "frozen", False))


def _bundle() -> str | None:
    return getattr(sys, "_MEIPASS", None)


def environment(environ: Mapping[str, str] | None = None, *, frozen: bool | None = None, bundle: str | None = None,
                platform: str = sys.platform) -> dict[str, str]:
    """The environment for another program: ours, less what the frozen bundle set for itself."""
    env = dict(os.environ if environ is None else environ)
    if not (_frozen() if frozen is None else frozen):
        return env
    bundle = _bundle() if bundle is None else bundle
    for name in _QT_VARIABLES:
        env.pop(name, None)
    if platform == "win32":
        if bundle and "PATH" in env:
            ours = ntpath.normcase(ntpath.normpath(bundle))
            env["PATH"] = ";".join(part for part in env["PATH"].split(";")
                                   if part and ntpath.normcase(ntpath.normpath(part)) != ours)
        return env
    for name in ("LD_LIBRARY_PATH", "DYLD_LIBRARY_PATH"):
        original = env.pop(f"{name}_ORIG", None)
        if original is not None:
            env[name] = original
        else:
            env.pop(name, None)
    return env


@contextmanager
def system_dll_search(*, frozen: bool | None = None, bundle: str | None = None, platform: str = sys.platform,
                      kernel32: Any = None) -> Iterator[None]:
    """While a program is started from the frozen bundle on Windows: the DLL search path without the bundle's
    folder (SetDllDirectoryW(NULL)), which the new process inherits; the bundle's folder set back after."""
    bundle = _bundle() if bundle is None else bundle
    if platform != "win32" or not (_frozen() if frozen is None else frozen) or not bundle:
        yield
        return
    if kernel32 is None:
        kernel32 = _load_kernel32()
    with _dll_lock:  # (another thread starting a program meanwhile must not set it back under us)
        kernel32.SetDllDirectoryW(None)
        try:
            yield
        finally:
            kernel32.SetDllDirectoryW(bundle)


def creation_flags(*, suspended: bool, platform: str = sys.platform) -> int:
    if platform != "win32":
        return 0
    return CREATE_NEW_PROCESS_GROUP | CREATE_NO_WINDOW | (CREATE_SUSPENDED if suspended else 0)


def address_space_cap(memory: int) -> Callable[[], None]:
    """For ``preexec_fn`` (POSIX): cap the child's address space at ``memory`` (or the hard limit it has,
    when lower), soft and hard, so that the program cannot lift it. ``resource`` is imported here, in the
    parent: the child, between fork and exec, only calls."""
    import resource

    def cap() -> None:
        _soft, hard = resource.getrlimit(resource.RLIMIT_AS)
        limit = memory if hard == resource.RLIM_INFINITY else min(memory, hard)
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))

    return cap


def start(command: list[str], env: Mapping[str, str] | None = None, *, memory: int | None = None,
          platform: str = sys.platform, popen: Callable[..., subprocess.Popen] = subprocess.Popen,
          job: Callable[..., Job] = Job,
          dll_search: Callable[[], Any] = system_dll_search) -> tuple[subprocess.Popen, Job | None]:
    """Start ``command`` (no console window, no standard streams) with ``env`` (default: environment()); on
    Windows inside a Job object (None when Windows refuses one: the program then runs without). ``memory``:
    the cap on each process of it (see the module's text); None: none."""
    windows = platform == "win32"
    held: Job | None = None
    if windows:
        try:
            held = job(memory=memory) if memory else job()
        except OSError:
            held = None
    extra: dict[str, Any] = {}
    if memory and not windows:
        extra["preexec_fn"] = address_space_cap(memory)
    with dll_search():
        try:
            process = popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            env=dict(environment() if env is None else env), start_new_session=not windows,
                            creationflags=creation_flags(suspended=held is not None, platform=platform), **extra)
        except BaseException:
            if held is not None:
                held.close()
            raise
    if held is None:
        return process, None
    suspended_by = held
    try:
        held.add(process.pid)
    except OSError:  # (jobs that do not nest: Windows 7)
        held.close()
        held = None
    try:
        suspended_by.resume(process.pid)
    except OSError:
        process.kill()  # it never ran
        process.wait()
        raise
    return process, held


def end(process: subprocess.Popen, job: Job | None, *, platform: str = sys.platform) -> None:
    """End the program and every process it started, then reap it."""
    if job is not None:
        job.terminate()
    elif platform != "win32":
        try:
            os.killpg(process.pid, signal.SIGKILL)  # its own session: the whole group
        except OSError:
            pass
    else:  # no job: end the tree by its parent-child links (a console program: no window)
        subprocess.run(["taskkill", "/F", "/T", "/PID", str(process.pid)], capture_output=True, check=False,
                       creationflags=CREATE_NO_WINDOW)
    process.kill()
    process.wait()


def _load_kernel32() -> Any:
    import ctypes
    from ctypes import wintypes

    kernel32 = ctypes.WinDLL("kernel32", use_last_error=True)  # type: ignore[attr-defined]
    kernel32.SetDllDirectoryW.argtypes = [wintypes.LPCWSTR]
    kernel32.SetDllDirectoryW.restype = wintypes.BOOL
    return kernel32


# ---- ending what a worker of ours started (POSIX) ------------------------------------------------------------


def kill_naming(temp: str | os.PathLike) -> None:
    """POSIX (Linux: /proc): kill every process of ours whose command line names ``temp`` (LibreOffice's
    profile lies in it), with what each started."""
    if not hasattr(os, "killpg"):
        return
    mark = os.path.basename(os.fspath(temp)).encode()
    try:
        entries = os.listdir("/proc")
    except OSError:
        return
    for entry in entries:
        if not entry.isdigit() or int(entry) == os.getpid():
            continue
        try:
            with open(f"/proc/{entry}/cmdline", "rb") as handle:
                line = handle.read(1 << 16)
        except OSError:
            continue
        if mark in line:
            kill_tree(int(entry))


def kill_tree(pid: int) -> None:
    """POSIX: kill ``pid``'s process group, and every process it started with the groups they lead.
    LibreOffice runs in a session of its own (``start``): killing a worker's group alone
    would leave it converting; its processes are found by their parents in /proc (Linux) before the kill."""
    for target in (pid, *descendants(pid)):
        for kill in (os.killpg, os.kill):
            try:
                kill(target, signal.SIGKILL)
            except (OSError, AttributeError):
                pass


def descendants(pid: int) -> list[int]:
    """Every process ``pid`` started, and they started, found by their parents in /proc (Linux; elsewhere none)."""
    parents: dict[int, list[int]] = {}
    try:
        entries = os.listdir("/proc")
    except OSError:
        return []
    for entry in entries:
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", "rb") as stat:
                fields = stat.read().rsplit(b")", 1)[1].split()
        except (OSError, IndexError):
            continue
        parents.setdefault(int(fields[1]), []).append(int(entry))
    found: list[int] = []
    queue = [pid]
    while queue:
        children = parents.get(queue.pop(), [])
        found += children
        queue += children
    return found
