"""Whether an autosave's window still runs: PID, start time and boot id (Linux), creation time (Windows,
through a stand-in for its kernel32 calls)."""

from __future__ import annotations

import ctypes
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from model import liveness
from model.liveness import ProcessIdentity, WindowsProcesses

linux_only = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="/proc")


@linux_only
def test_this_process_is_running_as_it_records_itself():
    me = liveness.current()
    assert me.pid == os.getpid()
    assert me.started and me.started.isdigit()
    assert me.boot == Path("/proc/sys/kernel/random/boot_id").read_text().strip()
    assert liveness.is_running(me)


def test_a_process_that_has_ended_is_not_running():
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    recorded = ProcessIdentity(child.pid, "12345", liveness.current().boot)
    assert liveness.identity_of(child.pid) is None
    assert not liveness.is_running(recorded)


@linux_only
def test_a_live_pid_with_another_start_time_is_not_the_owner():
    """The PID was reused (a reboot, or a day of other programs): a live process, but not our window."""
    child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    try:
        now = liveness.identity_of(child.pid)
        assert now is not None and liveness.is_running(now)
        assert not liveness.is_running(now._replace(started=str(int(now.started) - 1)))
        assert not liveness.is_running(now._replace(boot="another-boot"))  # same number, an earlier boot
        assert not liveness.is_running(now._replace(started=None))  # a PID alone proves nothing
        mine = liveness.current()
        assert not liveness.is_running(mine._replace(started="1"))  # even our own PID, from another life
    finally:
        child.kill()
        child.wait()


def test_the_proc_stat_line_is_read_after_the_command_name(tmp_path):
    """The command name may hold spaces and parentheses: "(a) b)" must not shift the fields."""
    fields = ["S", "1", "1", "1", "0", "-1", "4194560", "0", "0", "0", "0", "0", "0", "0", "0", "20", "0", "1", "0",
              "987654", "1000", "10"]
    (tmp_path / "4242").mkdir()
    (tmp_path / "4242" / "stat").write_text("4242 (evil) (name) x) " + " ".join(fields))
    identity = liveness._linux_identity(4242, proc=tmp_path)
    assert identity is not None and identity.started == "987654"
    (tmp_path / "4242" / "stat").write_text("4242 (zombie) " + " ".join(["Z", *fields[1:]]))
    assert liveness._linux_identity(4242, proc=tmp_path) is None
    assert liveness._linux_identity(4243, proc=tmp_path) is None


@pytest.mark.skipif(os.name != "posix" or shutil.which("ps") is None, reason="ps")
def test_other_posix_systems_use_ps_start_time():
    me = liveness._posix_identity(os.getpid())
    assert me is not None and me.started  # "Tue Dec  2 12:57:01 2026": absolute, no boot id needed
    assert liveness._posix_identity(2**22 + 12345) is None


# ---- Windows, through a stand-in for kernel32 ------------------------------------------------------


class FakeKernel32:
    """OpenProcess / GetExitCodeProcess / GetProcessTimes / CloseHandle over a table of processes."""

    ERROR_ACCESS_DENIED, ERROR_INVALID_PARAMETER = 5, 87

    def __init__(self, processes: dict[int, tuple[int, int]], denied: frozenset[int] = frozenset()) -> None:
        self.processes = processes  # pid → (exit code, creation time as a FILETIME integer)
        self.denied = denied
        self.handles: dict[int, int] = {}
        self.closed: list[int] = []
        self.last_error = 0
        self.calls: list[tuple] = []

    def OpenProcess(self, access: int, inherit: bool, pid: int) -> int:
        self.calls.append(("OpenProcess", access, inherit, pid))
        assert access == liveness.PROCESS_QUERY_LIMITED_INFORMATION
        if pid in self.denied:
            self.last_error = self.ERROR_ACCESS_DENIED
            return 0
        if pid not in self.processes:
            self.last_error = self.ERROR_INVALID_PARAMETER
            return 0
        handle = 1000 + len(self.handles)
        self.handles[handle] = pid
        return handle

    def GetExitCodeProcess(self, handle: int, code) -> int:  # type: ignore[no-untyped-def]
        code._obj.value = self.processes[self.handles[handle]][0]
        return 1

    def GetProcessTimes(self, handle: int, creation, exit_, kernel, user) -> int:  # type: ignore[no-untyped-def]
        value = self.processes[self.handles[handle]][1]
        creation._obj.dwLowDateTime = value & 0xFFFFFFFF
        creation._obj.dwHighDateTime = value >> 32
        for other in (exit_, kernel, user):
            assert isinstance(other, type(ctypes.byref(ctypes.c_int())))
        return 1

    def CloseHandle(self, handle: int) -> int:
        self.closed.append(handle)
        return 1


CREATED = 133_700_000_000_000_000  # a FILETIME: 100 ns since 1601


def test_windows_a_running_process_is_named_by_its_creation_time():
    kernel = FakeKernel32({4321: (liveness.STILL_ACTIVE, CREATED)})
    windows = WindowsProcesses(kernel, lambda: kernel.last_error)
    assert windows.identity(4321) == ProcessIdentity(4321, str(CREATED), None)
    assert kernel.closed == [1000]  # every handle opened is closed


def test_windows_a_dead_pid_a_finished_process_and_someone_elses():
    kernel = FakeKernel32({7: (0, CREATED)}, denied=frozenset({8}))
    windows = WindowsProcesses(kernel, lambda: kernel.last_error)
    assert windows.identity(6) is None  # no such process: its autosave is offered
    assert windows.identity(7) is None  # exited (a handle keeps its record alive)
    assert windows.identity(8) is None  # another user's process: never a window of ours
    assert kernel.closed == [1000]


def test_windows_a_reused_pid_is_not_the_owner(monkeypatch):
    kernel = FakeKernel32({4321: (liveness.STILL_ACTIVE, CREATED + 10_000_000)})  # started a second later
    monkeypatch.setattr(liveness, "sys", type("S", (), {"platform": "win32"}))
    monkeypatch.setattr(liveness, "_windows", WindowsProcesses(kernel, lambda: kernel.last_error))
    recorded = ProcessIdentity(4321, str(CREATED))
    assert liveness.identity_of(4321) == ProcessIdentity(4321, str(CREATED + 10_000_000))
    assert not liveness.is_running(recorded)
    assert liveness.is_running(ProcessIdentity(4321, str(CREATED + 10_000_000)))
