"""One file imported for the window, read in a worker process of its own within a memory cap and a time limit.

The window holds the clerk's unsaved work: a file from outside (导入…, 从上年报告新建…, 载入上年报告用于核对…,
a file dropped on the window) is never read in the window's process. A worker process is spawned (the same
on Linux and Windows, and from the frozen bundle: packaging/launcher.py calls ``freeze_support``), caps its
own address space (``RLIMIT_AS``, soft and hard; on Windows the parent puts it in a Job object with the
same cap: model/job_object.py), says it is ready, and is then given the file. What it read comes back
pickled through the pipe: the :class:`~export.importing.ImportResult`, or the reader's own Chinese refusal.
A worker that runs out of memory, runs past its time, dies, or is cancelled is killed with everything it
started (LibreOffice converting a .doc) and comes back as an :class:`ImportStopped` naming the file and
the reason in the clerk's words.

:meth:`CappedImport.run` blocks: the window calls it from a thread of its own (gui/import_progress.py) and
cancels from the GUI thread with :meth:`CappedImport.cancel`, which only sets a flag; the waiting thread
kills the worker within ``POLL_SECONDS``.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from pathlib import Path

from export.batch_pool import START_SECONDS, cap_memory
from export.importing import ImportFailed, ImportResult
from model import limits
from model.job_object import Job, job_for
from model.limits import MiB
from model.outside_program import kill_tree

POLL_SECONDS = 0.1  # how often the waiting thread looks at a cancel request
MEMORY, TIME, CRASH, START, CANCELLED = "memory", "time", "crash", "start", "cancelled"


@dataclass(frozen=True)
class ImportStopped:
    """The worker did not bring a result back: ``kind`` (MEMORY, TIME, CRASH, START, CANCELLED) and, except
    for a cancel, the message for the clerk (Chinese, naming the file)."""

    kind: str
    message: str = ""


@dataclass(frozen=True)
class ImportRefused:
    """The reader refused the file (ImportFailed): its message, as the window showed it before."""

    message: str


Outcome = ImportResult | ImportRefused | ImportStopped


def memory_message(name: str, memory: int | None) -> str:
    cap = f"（{memory // MiB} MB）" if memory else ""
    return f"无法导入“{name}”：文件过大或已损坏，导入时占用内存超过上限{cap}，已停止。窗口中的报告没有改变。"


def time_message(name: str, seconds: float) -> str:
    return f"无法导入“{name}”：读取超过 {seconds:g} 秒仍未完成，已停止：文件可能已损坏或过于复杂。窗口中的报告没有改变。"


def crash_message(name: str) -> str:
    return f"无法导入“{name}”：读取文件的处理进程意外退出，已停止：文件可能已损坏或被恶意构造。窗口中的报告没有改变。"


def start_message(name: str) -> str:
    return f"无法导入“{name}”：读取文件的处理进程未能启动。窗口中的报告没有改变，请稍后再试。"


def seconds_for(path: Path) -> float:
    """The time limit of reading ``path``: a .doc goes through LibreOffice first."""
    extra = limits.CONVERSION_SECONDS if path.suffix.lower() == ".doc" else 0
    return float(limits.IMPORT_FILE_SECONDS + extra)


def read_file(path: str) -> ImportResult:
    """The worker's task: what the window imported in its own process before (export/reading)."""
    from export.reading import read_source

    return read_source(path)


def _worker(conn: Connection, reader: Callable[[str], ImportResult], memory: int | None) -> None:
    """The worker's life: cap memory, say ready, read the one file it is given, send the outcome back."""
    for name in ("SIGINT", "SIGBREAK"):  # Ctrl+C in the terminal that started the window is the window's
        try:
            signal.signal(getattr(signal, name), signal.SIG_IGN)
        except (AttributeError, ValueError, OSError):
            pass
    if hasattr(os, "setpgrp"):
        os.setpgrp()  # its own process group: killed as a whole
    cap_memory(memory)
    import export.reading  # noqa: F401  (the readers' imports before the clock starts)

    conn.send(("ready", os.getpid()))
    try:
        path = conn.recv()
    except (EOFError, OSError):
        return
    try:
        answer: tuple[str, object] = ("ok", reader(path))
    except ImportFailed as refused:
        answer = ("refused", refused.message)
    except MemoryError:
        answer = ("memory", None)
    try:
        conn.send(answer)
    except MemoryError:
        conn.send(("memory", None))


class CappedImport:
    """Reads one file in a worker process; ``run()`` (blocking) gives the :data:`Outcome`."""

    def __init__(self, path: str | os.PathLike, *, memory: int | None = limits.IMPORT_WORKER_MEMORY_BYTES,
                 seconds: float | None = None, reader: Callable[[str], ImportResult] = read_file,
                 start_seconds: float = START_SECONDS) -> None:
        self.path = Path(path)
        self.memory = memory
        self.seconds = seconds_for(self.path) if seconds is None else seconds
        self.reader = reader
        self.start_seconds = start_seconds
        self.cancelled = threading.Event()
        self.pid: int | None = None  # the worker's, once started
        self.reading = threading.Event()  # set once the worker has been given the file

    def cancel(self) -> None:
        """Stop the import (from any thread): the waiting thread kills the worker and returns CANCELLED."""
        self.cancelled.set()

    def run(self) -> Outcome:
        name = self.path.name
        context = multiprocessing.get_context("spawn")
        conn, child = context.Pipe()
        process = context.Process(target=_worker, args=(child, self.reader, self.memory), daemon=True,
                                  name="nianbao-import")
        job: Job | None = None
        try:
            try:
                process.start()
            except OSError:
                return ImportStopped(START, start_message(name))
            finally:
                child.close()
            self.pid = process.pid
            job = job_for(process.pid, memory=self.memory)  # Windows: the cap, and what it starts ends with it
            return self._wait(conn, process, name)
        finally:
            _end(process, job)
            conn.close()

    def _wait(self, conn: Connection, process, name: str) -> Outcome:  # type: ignore[no-untyped-def]
        deadline = time.monotonic() + self.start_seconds
        ready = False
        while True:
            if self.cancelled.is_set():
                return ImportStopped(CANCELLED)
            now = time.monotonic()
            if now >= deadline:
                return ImportStopped(TIME, time_message(name, self.seconds)) if ready \
                    else ImportStopped(START, start_message(name))
            found = wait([conn, process.sentinel], min(POLL_SECONDS, deadline - now))
            if not found:
                continue
            try:
                message = conn.recv() if conn.poll() else None
            except (EOFError, OSError):
                message = None
            except MemoryError:  # (the window's process: the answer was too large to take in)
                return ImportStopped(MEMORY, memory_message(name, self.memory))
            if message is None:
                if process.is_alive() and conn not in found:
                    continue  # (the sentinel of a process about to end: its exit code is read below)
                process.join(timeout=1)
                return ImportStopped(CRASH, crash_message(name)) if ready \
                    else ImportStopped(START, start_message(name))
            status, payload = message
            if status == "ready":
                ready = True
                try:
                    conn.send(str(self.path))
                except (OSError, ValueError):
                    pass  # it died meanwhile: its sentinel says so
                deadline = time.monotonic() + self.seconds
                self.reading.set()
            elif status == "ok":
                return payload  # type: ignore[return-value]
            elif status == "refused":
                return ImportRefused(str(payload))
            else:
                return ImportStopped(MEMORY, memory_message(name, self.memory))


def _end(process, job: Job | None) -> None:  # type: ignore[no-untyped-def]
    """Kill the worker, if it still runs, and everything it started; reap it."""
    if job is not None:
        job.terminate()
        job.close()
    elif process.pid is not None and process.exitcode is None:
        kill_tree(process.pid)
    if process.pid is not None:
        process.join(timeout=5)
        if process.is_alive():
            process.kill()
            process.join(timeout=5)
