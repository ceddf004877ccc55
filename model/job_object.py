"""Windows Job objects: a process and everything it starts end together, within a memory cap.

On Windows, ending a process (TerminateProcess: the batch's 停止, Ctrl+C, a time limit) does not end
the processes it started: a batch worker converting a .doc leaves LibreOffice (soffice.exe and the
soffice.bin it starts) running, holding the file, the profile and memory. A process placed in a Job
object created with ``JOB_OBJECT_LIMIT_KILL_ON_JOB_CLOSE`` takes every process it starts into the job,
and closing the job's last handle ends them all — when we stop them, and also when our own program ends
or crashes (Windows closes its handles). ``JOB_OBJECT_LIMIT_PROCESS_MEMORY`` gives each process in the
job the memory cap that POSIX gets from ``RLIMIT_AS``: an allocation beyond it fails (Python raises
MemoryError). ``JOB_OBJECT_LIMIT_DIE_ON_UNHANDLED_EXCEPTION``: a process that crashes ends at once,
without a Windows Error Reporting dialog waiting for a click.

Jobs nest since Windows 8, so this works when our program itself runs inside a job (a CI runner, some
terminals). Only kernel32 through ctypes; ``kernel32`` and ``get_last_error`` are passed in by tests.
"""

from __future__ import annotations

import ctypes
import sys
from typing import Any

JOB_OBJECT_EXTENDED_LIMIT_INFORMATION_CLASS = 9  # JobObjectExtendedLimitInformation
JOB_OBJECT_LIMIT_PROCESS_MEMORY = 0x00000100
JOB_OBJECT_LIMIT_DIE_ON_UNHANDLED_EXCEPTION = 0x00000400
JOB_OBJECT_LIMIT_KILL_ON_JOB_CLOSE = 0x00002000
PROCESS_TERMINATE = 0x0001
PROCESS_SET_QUOTA = 0x0100
THREAD_SUSPEND_RESUME = 0x0002
TH32CS_SNAPTHREAD = 0x00000004
INVALID_HANDLE_VALUE = ctypes.c_void_p(-1).value
CREATE_SUSPENDED = 0x00000004  # for subprocess.Popen: start suspended, assign to the job, then resume
KILLED_EXIT_CODE = 1


class JOBOBJECT_BASIC_LIMIT_INFORMATION(ctypes.Structure):  # (the Windows names)
    _fields_ = [("PerProcessUserTimeLimit", ctypes.c_int64), ("PerJobUserTimeLimit", ctypes.c_int64),
                ("LimitFlags", ctypes.c_uint32), ("MinimumWorkingSetSize", ctypes.c_size_t),
                ("MaximumWorkingSetSize", ctypes.c_size_t), ("ActiveProcessLimit", ctypes.c_uint32),
                ("Affinity", ctypes.c_size_t), ("PriorityClass", ctypes.c_uint32), ("SchedulingClass", ctypes.c_uint32)]


class IO_COUNTERS(ctypes.Structure):
    _fields_ = [(name, ctypes.c_uint64) for name in ("ReadOperationCount", "WriteOperationCount",
                                                     "OtherOperationCount", "ReadTransferCount",
                                                     "WriteTransferCount", "OtherTransferCount")]


class JOBOBJECT_EXTENDED_LIMIT_INFORMATION(ctypes.Structure):
    _fields_ = [("BasicLimitInformation", JOBOBJECT_BASIC_LIMIT_INFORMATION), ("IoInfo", IO_COUNTERS),
                ("ProcessMemoryLimit", ctypes.c_size_t), ("JobMemoryLimit", ctypes.c_size_t),
                ("PeakProcessMemoryUsed", ctypes.c_size_t), ("PeakJobMemoryUsed", ctypes.c_size_t)]


class THREADENTRY32(ctypes.Structure):
    _fields_ = [("dwSize", ctypes.c_uint32), ("cntUsage", ctypes.c_uint32), ("th32ThreadID", ctypes.c_uint32),
                ("th32OwnerProcessID", ctypes.c_uint32), ("tpBasePri", ctypes.c_int32),
                ("tpDeltaPri", ctypes.c_int32), ("dwFlags", ctypes.c_uint32)]


def limits(memory: int | None) -> JOBOBJECT_EXTENDED_LIMIT_INFORMATION:
    """What a job of ours sets: the processes end with the job, a crash ends its process, and the memory cap."""
    info = JOBOBJECT_EXTENDED_LIMIT_INFORMATION()
    flags = JOB_OBJECT_LIMIT_KILL_ON_JOB_CLOSE | JOB_OBJECT_LIMIT_DIE_ON_UNHANDLED_EXCEPTION
    if memory:
        flags |= JOB_OBJECT_LIMIT_PROCESS_MEMORY
        info.ProcessMemoryLimit = memory
    info.BasicLimitInformation.LimitFlags = flags
    return info


class Job:
    """One Job object. ``add(pid)`` puts a process in it; ``terminate()`` ends every process in it;
    ``close()`` lets it go (which also ends them: KILL_ON_JOB_CLOSE). Raises OSError when Windows refuses."""

    def __init__(self, *, memory: int | None = None, kernel32: Any = None, get_last_error: Any = None) -> None:
        if kernel32 is None:
            kernel32, get_last_error = _load_kernel32()
        self.kernel32 = kernel32
        self.get_last_error = get_last_error
        self.handle = kernel32.CreateJobObjectW(None, None)
        if not self.handle:
            raise self._error("CreateJobObjectW")
        info = limits(memory)
        if not kernel32.SetInformationJobObject(self.handle, JOB_OBJECT_EXTENDED_LIMIT_INFORMATION_CLASS,
                                                ctypes.byref(info), ctypes.sizeof(info)):
            error = self._error("SetInformationJobObject")
            self.close()
            raise error

    def _error(self, call: str) -> OSError:
        code = self.get_last_error() if self.get_last_error else 0
        return OSError(0, f"{call} failed (Windows error {code})", None, code)

    def add(self, pid: int) -> None:
        process = self.kernel32.OpenProcess(PROCESS_SET_QUOTA | PROCESS_TERMINATE, False, pid)
        if not process:
            raise self._error("OpenProcess")
        try:
            if not self.kernel32.AssignProcessToJobObject(self.handle, process):
                raise self._error("AssignProcessToJobObject")
        finally:
            self.kernel32.CloseHandle(process)

    def resume(self, pid: int) -> int:
        """Resume the threads of a process started suspended (CREATE_SUSPENDED); how many were resumed.
        (subprocess.Popen keeps no handle to the first thread: the threads are found by a snapshot.) Uses no
        job handle: works after close() too, for a process the job could not take."""
        snapshot = self.kernel32.CreateToolhelp32Snapshot(TH32CS_SNAPTHREAD, 0)
        if snapshot in (None, INVALID_HANDLE_VALUE):
            raise self._error("CreateToolhelp32Snapshot")
        resumed = 0
        try:
            entry = THREADENTRY32()
            entry.dwSize = ctypes.sizeof(THREADENTRY32)
            more = self.kernel32.Thread32First(snapshot, ctypes.byref(entry))
            while more:
                if entry.th32OwnerProcessID == pid:
                    thread = self.kernel32.OpenThread(THREAD_SUSPEND_RESUME, False, entry.th32ThreadID)
                    if thread:
                        try:
                            if self.kernel32.ResumeThread(thread) != 0xFFFFFFFF:
                                resumed += 1
                        finally:
                            self.kernel32.CloseHandle(thread)
                more = self.kernel32.Thread32Next(snapshot, ctypes.byref(entry))
        finally:
            self.kernel32.CloseHandle(snapshot)
        if not resumed:
            raise self._error("ResumeThread")
        return resumed

    def terminate(self) -> None:
        if self.handle:
            self.kernel32.TerminateJobObject(self.handle, KILLED_EXIT_CODE)

    def close(self) -> None:
        if self.handle:
            handle, self.handle = self.handle, None
            self.kernel32.CloseHandle(handle)

    def __enter__(self) -> Job:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()


def job_for(pid: int, *, memory: int | None = None, platform: str = sys.platform, **calls: Any) -> Job | None:
    """A job holding the (just started) process ``pid``, on Windows; None elsewhere, or when Windows refuses
    (the caller then does without: ending the process alone, no memory cap)."""
    if platform != "win32":
        return None
    try:
        job = Job(memory=memory, **calls)
    except OSError:
        return None
    try:
        job.add(pid)
    except OSError:
        job.close()
        return None
    return job


def _load_kernel32() -> tuple[Any, Any]:
    from ctypes import wintypes

    kernel32 = ctypes.WinDLL("kernel32", use_last_error=True)  # type: ignore[attr-defined]
    handle = wintypes.HANDLE
    signatures: dict[str, tuple[list[Any], Any]] = {
        "CreateJobObjectW": ([ctypes.c_void_p, wintypes.LPCWSTR], handle),
        "SetInformationJobObject": ([handle, ctypes.c_int, ctypes.c_void_p, wintypes.DWORD], wintypes.BOOL),
        "AssignProcessToJobObject": ([handle, handle], wintypes.BOOL),
        "TerminateJobObject": ([handle, wintypes.UINT], wintypes.BOOL),
        "OpenProcess": ([wintypes.DWORD, wintypes.BOOL, wintypes.DWORD], handle),
        "CreateToolhelp32Snapshot": ([wintypes.DWORD, wintypes.DWORD], handle),
        "Thread32First": ([handle, ctypes.POINTER(THREADENTRY32)], wintypes.BOOL),
        "Thread32Next": ([handle, ctypes.POINTER(THREADENTRY32)], wintypes.BOOL),
        "OpenThread": ([wintypes.DWORD, wintypes.BOOL, wintypes.DWORD], handle),
        "ResumeThread": ([handle], wintypes.DWORD),
        "CloseHandle": ([handle], wintypes.BOOL),
    }
    for name, (argtypes, restype) in signatures.items():
        function = getattr(kernel32, name)
        function.argtypes = argtypes
        function.restype = restype
    return kernel32, ctypes.get_last_error  # type: ignore[attr-defined]
