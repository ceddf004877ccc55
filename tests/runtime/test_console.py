"""Safe standard streams: legacy code pages, missing streams, the log file."""

from __future__ import annotations

import io
import os

from runtime import console, logfile


def _stream(encoding: str) -> tuple[io.BytesIO, io.TextIOWrapper]:
    raw = io.BytesIO()
    return raw, io.TextIOWrapper(raw, encoding=encoding, errors="strict")


def test_a_code_page_that_writes_chinese_is_kept_with_look_alikes():
    raw, stream = _stream("cp936")
    console.make_safe(stream)
    stream.write("上年现行有效3件−本年废止1件\u00a0😀\n")
    stream.flush()
    assert raw.getvalue().decode("cp936") == "上年现行有效3件-本年废止1件 ?\n"


def test_a_code_page_without_chinese_becomes_utf8():
    raw, stream = _stream("cp1252")
    console.make_safe(stream)
    stream.write("共 0 个错误\n")
    stream.flush()
    assert raw.getvalue().decode("utf-8") == "共 0 个错误\n"


def test_missing_streams_become_log_streams(monkeypatch):
    monkeypatch.setattr("sys.stdout", None)
    monkeypatch.setattr("sys.stderr", None)
    found = console.prepare()
    logfile.start_logging()
    import sys

    assert found.windowed and isinstance(sys.stdout, console.LogStream)
    print("第一行\n第二", end="")
    print("行", file=sys.stdout)
    print("错误", file=sys.stderr)
    logfile.flush()
    log = logfile.log_path().read_text(encoding="utf-8")
    assert "stdout: 第一行" in log and "stdout: 第二行" in log and "stderr: 错误" in log
    assert found.text() == "第一行\n第二行\n错误"


def test_the_log_starts_afresh_past_a_megabyte_and_keeps_the_old_one():
    path = logfile.log_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"x" * (logfile.ROTATE_AT + 1))
    for handler in list(logfile.log.handlers):  # a fresh start, as in a new process
        if isinstance(handler, logfile._LogFile):
            logfile.log.removeHandler(handler)
            handler.close()
    assert logfile.start_logging() == path
    assert not path.exists() and path.with_name("nianbao.log.1").stat().st_size == logfile.ROTATE_AT + 1


def test_an_unwritable_log_folder_is_no_failure(monkeypatch, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("")
    monkeypatch.setenv("XDG_STATE_HOME", str(blocker))  # the log folder would be inside a file
    monkeypatch.setenv("LOCALAPPDATA", str(blocker))
    assert logfile.start_logging() is None
    assert os.path.isfile(blocker)


# --- Ctrl+Break ----------------------------------------------------------------------------------------------

class WindowsSignals:
    """The parts of the signal module interrupt_on_break uses, as on Windows (which has SIGBREAK)."""

    SIGBREAK = 21

    def __init__(self) -> None:
        self.installed: dict[int, object] = {}

    @staticmethod
    def default_int_handler(*_args: object) -> None:
        raise KeyboardInterrupt

    def signal(self, number: int, handler: object) -> None:
        self.installed[number] = handler


def test_ctrl_break_interrupts_a_command_as_ctrl_c_does():
    """Windows: Ctrl+Break (the only console event one process can send another) raises KeyboardInterrupt, so
    that `batch` writes what it has read; by default it would end the process on the spot."""
    import signal

    signals = WindowsSignals()
    assert console.interrupt_on_break(signals)
    assert signals.installed == {WindowsSignals.SIGBREAK: WindowsSignals.default_int_handler}
    assert console.interrupt_on_break(signal) == hasattr(signal, "SIGBREAK")  # POSIX has none: nothing to do
