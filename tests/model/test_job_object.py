"""Windows Job objects through a stand-in for their kernel32 calls: the limits set (kill on close, no crash
dialog, the memory cap), a process added, a suspended one resumed, the job ended and closed — and every
refusal by Windows turned into an OSError or, for job_for, into no job at all. The real calls run on the
workflow's Windows runner (tests/export/test_batch_pool.py, tests/model/test_outside_program.py)."""

from __future__ import annotations

import ctypes

import pytest

from model import job_object
from model.job_object import (
    JOB_OBJECT_LIMIT_DIE_ON_UNHANDLED_EXCEPTION,
    JOB_OBJECT_LIMIT_KILL_ON_JOB_CLOSE,
    JOB_OBJECT_LIMIT_PROCESS_MEMORY,
    PROCESS_SET_QUOTA,
    PROCESS_TERMINATE,
    THREAD_SUSPEND_RESUME,
    THREADENTRY32,
    Job,
    job_for,
)

JOB, PROCESS, SNAPSHOT = 0x100, 0x200, 0x300
ACCESS_DENIED, INVALID_PARAMETER = 5, 87


class FakeKernel32:
    """The kernel32 calls of model/job_object.py over a table of processes and their threads; every call is
    recorded, with what was passed by reference read back."""

    def __init__(self, threads: dict[int, list[int]] | None = None, calls: list[tuple] | None = None) -> None:
        self.threads = threads or {}  # pid → thread ids
        self.calls: list[tuple] = [] if calls is None else calls  # (a list shared with other stand-ins)
        self.refuse: set[str] = set()
        self.error = 0
        self.open: set[int] = set()
        self.entries: list[tuple[int, int]] = []

    def get_last_error(self) -> int:
        return self.error

    def _failed(self, name: str, error: int = ACCESS_DENIED) -> bool:
        if name in self.refuse:
            self.error = error
            return True
        return False

    def CreateJobObjectW(self, attributes, name):  # type: ignore[no-untyped-def]
        self.calls.append(("CreateJobObjectW", attributes, name))
        if self._failed("CreateJobObjectW"):
            return None
        self.open.add(JOB)
        return JOB

    def SetInformationJobObject(self, job, kind, info, size):  # type: ignore[no-untyped-def]
        limits = info._obj  # what byref() points at
        self.calls.append(("SetInformationJobObject", job, kind, limits.BasicLimitInformation.LimitFlags,
                           limits.ProcessMemoryLimit, size))
        return 0 if self._failed("SetInformationJobObject") else 1

    def OpenProcess(self, access, inherit, pid):  # type: ignore[no-untyped-def]
        self.calls.append(("OpenProcess", access, inherit, pid))
        if pid not in self.threads or self._failed("OpenProcess"):
            self.error = INVALID_PARAMETER if pid not in self.threads else ACCESS_DENIED
            return None
        self.open.add(PROCESS + pid)
        return PROCESS + pid

    def AssignProcessToJobObject(self, job, process):  # type: ignore[no-untyped-def]
        self.calls.append(("AssignProcessToJobObject", job, process))
        return 0 if self._failed("AssignProcessToJobObject") else 1

    def CreateToolhelp32Snapshot(self, flags, pid):  # type: ignore[no-untyped-def]
        self.calls.append(("CreateToolhelp32Snapshot", flags, pid))
        self.entries = [(tid, owner) for owner, tids in self.threads.items() for tid in tids]
        self.open.add(SNAPSHOT)
        return SNAPSHOT

    def _fill(self, entry) -> int:  # type: ignore[no-untyped-def]
        target = entry._obj
        assert target.dwSize == ctypes.sizeof(THREADENTRY32)  # as Windows requires
        if not self.entries:
            return 0
        target.th32ThreadID, target.th32OwnerProcessID = self.entries.pop(0)
        return 1

    def Thread32First(self, snapshot, entry):  # type: ignore[no-untyped-def]
        return self._fill(entry)

    def Thread32Next(self, snapshot, entry):  # type: ignore[no-untyped-def]
        return self._fill(entry)

    def OpenThread(self, access, inherit, tid):  # type: ignore[no-untyped-def]
        self.calls.append(("OpenThread", access, inherit, tid))
        self.open.add(tid)
        return tid

    def ResumeThread(self, thread):  # type: ignore[no-untyped-def]
        self.calls.append(("ResumeThread", thread))
        return 0xFFFFFFFF if self._failed("ResumeThread") else 1  # the previous suspend count

    def TerminateJobObject(self, job, code):  # type: ignore[no-untyped-def]
        self.calls.append(("TerminateJobObject", job, code))
        return 1

    def CloseHandle(self, handle):  # type: ignore[no-untyped-def]
        self.calls.append(("CloseHandle", handle))
        self.open.remove(handle)
        return 1

    def named(self, name: str) -> list[tuple]:
        return [call for call in self.calls if call[0] == name]


def _job(kernel32: FakeKernel32, memory: int | None = None) -> Job:
    return Job(memory=memory, kernel32=kernel32, get_last_error=kernel32.get_last_error)


def test_the_structures_have_windows_sizes():
    if ctypes.sizeof(ctypes.c_void_p) != 8:
        pytest.skip("sizes of 64-bit Windows")
    assert ctypes.sizeof(job_object.JOBOBJECT_BASIC_LIMIT_INFORMATION) == 64
    assert ctypes.sizeof(job_object.JOBOBJECT_EXTENDED_LIMIT_INFORMATION) == 144
    assert ctypes.sizeof(THREADENTRY32) == 28


def test_a_job_ends_its_processes_when_closed_and_caps_their_memory():
    kernel32 = FakeKernel32({4242: [1]})
    job = _job(kernel32, memory=1024 * 1024 * 1024)
    [(_, job_handle, kind, flags, memory, size)] = kernel32.named("SetInformationJobObject")
    assert (job_handle, kind, memory, size) == (JOB, 9, 1024 * 1024 * 1024, ctypes.sizeof(
        job_object.JOBOBJECT_EXTENDED_LIMIT_INFORMATION))
    assert flags == (JOB_OBJECT_LIMIT_KILL_ON_JOB_CLOSE | JOB_OBJECT_LIMIT_DIE_ON_UNHANDLED_EXCEPTION
                     | JOB_OBJECT_LIMIT_PROCESS_MEMORY)
    job.add(4242)
    assert kernel32.named("OpenProcess") == [("OpenProcess", PROCESS_SET_QUOTA | PROCESS_TERMINATE, False, 4242)]
    assert kernel32.named("AssignProcessToJobObject") == [("AssignProcessToJobObject", JOB, PROCESS + 4242)]
    assert kernel32.open == {JOB}  # the process handle was only needed to assign it
    job.terminate()
    assert kernel32.named("TerminateJobObject") == [("TerminateJobObject", JOB, 1)]
    job.close()
    job.close()  # closing twice closes once
    assert kernel32.named("CloseHandle")[-1] == ("CloseHandle", JOB) and kernel32.open == set()
    job.terminate()  # after close: nothing
    assert len(kernel32.named("TerminateJobObject")) == 1


def test_without_a_memory_cap_only_kill_on_close_and_no_crash_dialog():
    kernel32 = FakeKernel32()
    with _job(kernel32):
        pass
    [(_, _, _, flags, memory, _)] = kernel32.named("SetInformationJobObject")
    assert flags == JOB_OBJECT_LIMIT_KILL_ON_JOB_CLOSE | JOB_OBJECT_LIMIT_DIE_ON_UNHANDLED_EXCEPTION and memory == 0
    assert kernel32.open == set()  # the with block closed it


def test_windows_refusals_are_os_errors_and_leak_no_handle():
    kernel32 = FakeKernel32({7: [70]})
    kernel32.refuse = {"CreateJobObjectW"}
    with pytest.raises(OSError, match=r"CreateJobObjectW failed \(Windows error 5\)"):
        _job(kernel32)
    kernel32.refuse = {"SetInformationJobObject"}
    with pytest.raises(OSError):
        _job(kernel32)
    assert kernel32.open == set()
    kernel32.refuse = {"AssignProcessToJobObject"}
    job = _job(kernel32)
    with pytest.raises(OSError):
        job.add(7)
    assert kernel32.open == {JOB}  # the process handle closed even so
    with pytest.raises(OSError, match=r"OpenProcess failed \(Windows error 87\)"):
        job.add(8)  # no such process
    job.close()


def test_job_for_holds_the_process_on_windows_and_does_without_elsewhere():
    kernel32 = FakeKernel32({4242: [1]})
    calls = {"kernel32": kernel32, "get_last_error": kernel32.get_last_error}
    job = job_for(4242, memory=512, platform="win32", **calls)
    assert job is not None and kernel32.named("AssignProcessToJobObject")
    job.close()
    assert job_for(4242, platform="linux", **calls) is None and len(kernel32.named("CreateJobObjectW")) == 1
    kernel32.refuse = {"AssignProcessToJobObject"}  # e.g. Windows 7, where jobs do not nest
    assert job_for(4242, platform="win32", **calls) is None
    assert kernel32.open == set()  # the refused job was closed
    kernel32.refuse = {"CreateJobObjectW"}
    assert job_for(4242, platform="win32", **calls) is None


def test_a_suspended_process_is_resumed_thread_by_thread():
    kernel32 = FakeKernel32({4242: [11, 12], 99: [990]})
    job = _job(kernel32)
    assert job.resume(4242) == 2
    assert [call[1] for call in kernel32.named("ResumeThread")] == [11, 12]  # not another process's thread
    assert {call[1] for call in kernel32.named("OpenThread")} == {THREAD_SUSPEND_RESUME}
    assert kernel32.open == {JOB}  # the snapshot and the threads closed
    job.close()
    assert job.resume(99) == 1  # needs no job handle
    kernel32.refuse = {"ResumeThread"}
    with pytest.raises(OSError):
        job.resume(99)  # nothing could be resumed
    with pytest.raises(OSError):
        job.resume(12345)  # no thread of that process
    assert kernel32.open == set()
