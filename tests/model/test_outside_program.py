"""Another program started from ours (LibreOffice): the environment without what the frozen bundle set for
itself, the DLL search path cleared while it starts (Windows, simulated), started suspended into a Job object
and resumed (Windows, simulated through stand-ins), and ended with everything it started (for real, here
through its process group; on the Windows runner through its Job object)."""

from __future__ import annotations

import sys
import time

import pytest

from model import liveness, outside_program
from model.job_object import CREATE_SUSPENDED, JOB_OBJECT_LIMIT_PROCESS_MEMORY, Job
from model.outside_program import CREATE_NEW_PROCESS_GROUP, CREATE_NO_WINDOW, environment, system_dll_search
from tests.model.test_job_object import FakeKernel32

BUNDLE = "/opt/nianbao/_internal"
OURS = {"PATH": "/usr/bin:/bin", "LD_LIBRARY_PATH": f"{BUNDLE}:/usr/local/lib", "LD_LIBRARY_PATH_ORIG": "/usr/local/lib",
        "QT_PLUGIN_PATH": f"{BUNDLE}/PySide6/Qt/plugins", "QML2_IMPORT_PATH": f"{BUNDLE}/PySide6/Qt/qml",
        "HOME": "/home/张三"}


def test_the_frozen_bundles_library_path_is_not_passed_on_linux():
    """PyInstaller's bootloader put _internal first in LD_LIBRARY_PATH and kept the original in
    LD_LIBRARY_PATH_ORIG: LibreOffice gets the original (or none, when there was none)."""
    env = environment(OURS, frozen=True, bundle=BUNDLE, platform="linux")
    assert env == {"PATH": "/usr/bin:/bin", "LD_LIBRARY_PATH": "/usr/local/lib", "HOME": "/home/张三"}
    unset = {k: v for k, v in OURS.items() if k != "LD_LIBRARY_PATH_ORIG"} | {"LD_LIBRARY_PATH": BUNDLE}
    assert "LD_LIBRARY_PATH" not in environment(unset, frozen=True, bundle=BUNDLE, platform="linux")
    assert environment(OURS, frozen=False, platform="linux") == OURS  # from the source tree: nothing to undo


def test_the_frozen_bundle_is_taken_off_path_on_windows():
    ours = {"PATH": r"C:\Program Files\Nianbao\_internal;C:\Windows\system32;C:\Windows",
            "QT_PLUGIN_PATH": r"C:\Program Files\Nianbao\_internal\PySide6\plugins", "USERPROFILE": r"C:\Users\张三"}
    env = environment(ours, frozen=True, bundle=r"C:\PROGRAM FILES\Nianbao\_internal\\", platform="win32")
    assert env == {"PATH": r"C:\Windows\system32;C:\Windows", "USERPROFILE": r"C:\Users\张三"}


def test_the_conversion_environment_of_the_frozen_program(monkeypatch):
    from export.reading import doc_reader

    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "_MEIPASS", BUNDLE, raising=False)
    for name, value in OURS.items():
        if name not in ("PATH", "HOME"):
            monkeypatch.setenv(name, value)
    monkeypatch.setenv("https_proxy", "http://proxy.example:8080")
    env = doc_reader.conversion_environment()
    if sys.platform != "win32":
        assert env["LD_LIBRARY_PATH"] == "/usr/local/lib" and "LD_LIBRARY_PATH_ORIG" not in env
    assert "QT_PLUGIN_PATH" not in env and "https_proxy" not in env


class DllDirectory:
    """SetDllDirectoryW, recorded into a shared list of events."""

    def __init__(self, events: list[tuple]) -> None:
        self.events = events

    def SetDllDirectoryW(self, path):  # type: ignore[no-untyped-def]
        self.events.append(("SetDllDirectoryW", path))
        return 1


def test_the_dll_search_path_is_cleared_only_while_starting_from_the_windows_bundle():
    events: list[tuple] = []
    with system_dll_search(frozen=True, bundle=r"C:\nb\_internal", platform="win32", kernel32=DllDirectory(events)):
        events.append(("start",))
    assert events == [("SetDllDirectoryW", None), ("start",), ("SetDllDirectoryW", r"C:\nb\_internal")]
    events.clear()
    with pytest.raises(OSError):
        with system_dll_search(frozen=True, bundle=r"C:\nb\_internal", platform="win32", kernel32=DllDirectory(events)):
            raise OSError("could not start")
    assert events[-1] == ("SetDllDirectoryW", r"C:\nb\_internal")  # set back even so
    events.clear()
    for frozen, platform in ((False, "win32"), (True, "linux")):
        with system_dll_search(frozen=frozen, bundle=BUNDLE, platform=platform, kernel32=DllDirectory(events)):
            pass
    assert events == []


class FakeProcess:
    def __init__(self, events: list[tuple], command: list[str], **options) -> None:  # type: ignore[no-untyped-def]
        self.pid = 4242
        self.options = options
        self.events = events
        events.append(("Popen", options["creationflags"], options["start_new_session"]))

    def kill(self) -> None:
        self.events.append(("kill",))

    def wait(self, timeout: float | None = None) -> int:
        return 1


def _windows_start(events: list[tuple], *, refuse: frozenset[str] = frozenset()):  # type: ignore[no-untyped-def]
    """start() as on Windows: the kernel32 calls, Popen and SetDllDirectoryW all recorded into ``events``."""
    kernel32 = FakeKernel32({4242: [1]}, calls=events)
    kernel32.refuse = set(refuse)
    started = outside_program.start(
        ["soffice.exe", "--headless"], {"PATH": r"C:\Windows"}, platform="win32",
        popen=lambda command, **options: FakeProcess(events, command, **options),
        job=lambda: Job(kernel32=kernel32, get_last_error=kernel32.get_last_error),
        dll_search=lambda: system_dll_search(frozen=True, bundle=r"C:\nb\_internal", platform="win32",
                                             kernel32=DllDirectory(events)))
    return (*started, kernel32)


def _names(events: list[tuple]) -> list[str]:
    return [event[0] for event in events if event[0] not in ("CloseHandle", "CreateToolhelp32Snapshot", "OpenThread")]


def test_on_windows_it_starts_suspended_in_a_job_without_a_console_then_runs():
    events: list[tuple] = []
    process, job, _kernel32 = _windows_start(events)
    assert job is not None and process.options["env"] == {"PATH": r"C:\Windows"}
    assert _names(events) == ["CreateJobObjectW", "SetInformationJobObject", "SetDllDirectoryW", "Popen",
                              "SetDllDirectoryW", "OpenProcess", "AssignProcessToJobObject", "ResumeThread"]
    [popen] = [event for event in events if event[0] == "Popen"]
    assert popen[1:] == (CREATE_NEW_PROCESS_GROUP | CREATE_NO_WINDOW | CREATE_SUSPENDED, False)
    outside_program.end(process, job, platform="win32")  # the job ends soffice.exe and soffice.bin
    assert events[-2:] == [("TerminateJobObject", 0x100, 1), ("kill",)]


def test_on_windows_without_a_job_it_still_runs():
    events: list[tuple] = []
    _process, job, _kernel32 = _windows_start(events, refuse=frozenset({"CreateJobObjectW"}))
    assert job is None
    [popen] = [event for event in events if event[0] == "Popen"]
    assert popen[1] == CREATE_NEW_PROCESS_GROUP | CREATE_NO_WINDOW  # not suspended: nobody would resume it
    assert "ResumeThread" not in _names(events)

    events.clear()
    _process, job, kernel32 = _windows_start(events, refuse=frozenset({"AssignProcessToJobObject"}))
    assert job is None and _names(events)[-1] == "ResumeThread"  # resumed all the same
    assert kernel32.open == set()

    events.clear()
    with pytest.raises(OSError):
        _windows_start(events, refuse=frozenset({"ResumeThread"}))
    assert ("kill",) in events  # a process that cannot run is not left suspended


def test_without_a_job_the_tree_is_ended_by_taskkill_without_a_console_window(monkeypatch):
    ran: list[tuple] = []
    monkeypatch.setattr(outside_program.subprocess, "run", lambda command, **options: ran.append((command, options)))
    events: list[tuple] = []
    outside_program.end(FakeProcess(events, [], creationflags=0, start_new_session=False), None, platform="win32")
    [(command, options)] = ran
    assert command == ["taskkill", "/F", "/T", "/PID", "4242"] and options["creationflags"] == CREATE_NO_WINDOW


GRANDCHILD = """
import subprocess, sys, time
child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(120)"])
open(sys.argv[1], "w").write(str(child.pid))
time.sleep(120)
"""


def _started_with_a_child(tmp_path):  # type: ignore[no-untyped-def]
    """A program (as soffice.exe) that has started a child of its own (as soffice.bin): both running."""
    pid_file = tmp_path / "grandchild.pid"
    process, job = outside_program.start([sys.executable, "-c", GRANDCHILD, str(pid_file)])
    for _ in range(600):
        if pid_file.is_file() and pid_file.read_text():
            break
        time.sleep(0.05)
    grandchild = int(pid_file.read_text())
    assert liveness.identity_of(grandchild) is not None
    return process, job, grandchild


def _ends(pid: int) -> bool:
    for _ in range(100):
        if liveness.identity_of(pid) is None:
            return True
        time.sleep(0.05)
    return False


def test_ending_it_ends_what_it_started(tmp_path):
    """For real: a program that starts another (as soffice.exe starts soffice.bin) is ended with it — through
    its process group here, through its Job object on Windows."""
    process, job, grandchild = _started_with_a_child(tmp_path)
    assert (job is not None) == (sys.platform == "win32")
    outside_program.end(process, job)
    if job is not None:
        job.close()
    assert _ends(grandchild), "the program's own child was left running"


@pytest.mark.skipif(sys.platform != "win32", reason="a Job object (Windows)")
def test_closing_the_job_ends_everything_in_it(tmp_path):
    """What happens when our program dies: Windows closes its handles, and the job's processes end."""
    process, job, grandchild = _started_with_a_child(tmp_path)
    assert job is not None
    job.close()
    assert process.wait(timeout=30) is not None
    assert _ends(grandchild), "the job's processes outlived it"


@pytest.mark.skipif(sys.platform == "win32", reason="a shell script stands in for LibreOffice")
def test_the_converter_is_started_with_the_environment_it_would_have_on_its_own(tmp_path, monkeypatch):
    """The frozen Linux bundle's LD_LIBRARY_PATH reaches LibreOffice as it was before the bundle started."""
    import stat

    from export.importing import ImportFailed
    from export.reading import doc_reader

    seen = tmp_path / "environment.txt"
    fake = tmp_path / "soffice"
    fake.write_text(f"#!/bin/sh\nenv > {seen}\n", encoding="utf-8")
    fake.chmod(fake.stat().st_mode | stat.S_IXUSR)
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "_MEIPASS", BUNDLE, raising=False)
    monkeypatch.setenv("LD_LIBRARY_PATH", f"{BUNDLE}:/usr/local/lib")
    monkeypatch.setenv("LD_LIBRARY_PATH_ORIG", "/usr/local/lib")
    monkeypatch.setenv("QT_PLUGIN_PATH", f"{BUNDLE}/PySide6/Qt/plugins")
    folder = tmp_path / "work"
    folder.mkdir()
    with pytest.raises(ImportFailed):  # (the stand-in converts nothing)
        doc_reader.convert(doc_reader.OLE2, "word97", "旧.doc", folder, soffice=fake, timeout=30)
    lines = set(seen.read_text(encoding="utf-8").splitlines())
    assert "LD_LIBRARY_PATH=/usr/local/lib" in lines
    assert not any(line.startswith(("LD_LIBRARY_PATH_ORIG=", "QT_PLUGIN_PATH=")) for line in lines)


MiB = 1024 * 1024


def test_on_windows_the_memory_cap_is_the_jobs():
    events: list[tuple] = []
    kernel32 = FakeKernel32({4242: [1]}, calls=events)
    asked = []

    def job(**options):  # type: ignore[no-untyped-def]
        asked.append(options)
        return Job(kernel32=kernel32, get_last_error=kernel32.get_last_error, **options)

    process, held = outside_program.start(
        ["soffice.exe"], {}, memory=1024 * MiB, platform="win32",
        popen=lambda command, **options: FakeProcess(events, command, **options), job=job,
        dll_search=lambda: system_dll_search(frozen=False, platform="win32"))
    assert asked == [{"memory": 1024 * MiB}] and held is not None
    [(_, _, _, flags, memory, _)] = [event for event in events if event[0] == "SetInformationJobObject"]
    assert memory == 1024 * MiB and flags & JOB_OBJECT_LIMIT_PROCESS_MEMORY
    assert "preexec_fn" not in process.options


def test_on_posix_the_memory_cap_is_the_address_space():
    events: list[tuple] = []
    process, held = outside_program.start(["soffice"], {}, memory=1024 * MiB, platform="linux",
                                          popen=lambda command, **options: FakeProcess(events, command, **options))
    assert held is None and callable(process.options["preexec_fn"])
    process, _held = outside_program.start(["soffice"], {}, platform="linux",
                                           popen=lambda command, **options: FakeProcess(events, command, **options))
    assert "preexec_fn" not in process.options  # no cap asked: none set


@pytest.mark.skipif(sys.platform == "win32", reason="RLIMIT_AS")
def test_the_address_space_cap_reaches_the_program_and_what_it_starts():
    import subprocess

    show = "import resource, subprocess, sys; print(resource.getrlimit(resource.RLIMIT_AS)); sys.stdout.flush(); " \
           "subprocess.run([sys.executable, '-c', 'import resource; print(resource.getrlimit(resource.RLIMIT_AS))'])"
    shown = subprocess.run([sys.executable, "-c", show], preexec_fn=outside_program.address_space_cap(512 * MiB),
                           capture_output=True, text=True, timeout=60, check=True).stdout.split()
    assert shown == ["(536870912,", "536870912)"] * 2
