"""Worker processes that read files from outside, each task within a memory cap and a time limit.

A folder from fifty offices may hold a damaged or hostile file. Each file is read in a worker
process (spawned, the same on Linux and Windows) whose address space is capped with
``resource.setrlimit`` where the platform has it, and whose task is stopped when it runs past its
time limit. A task that fails that way — memory, time, or a worker that died — comes back as a
:class:`TaskFailure` with the reason in the clerk's words; the worker is replaced and the run goes
on. The readers' own limits (model/limits.py) stop a hostile file earlier and with a better
message; this is the fence behind them. (Windows, which has no such limit, caps the memory each
process may commit through the Job object the worker runs in: model/job_object.py.)

The parent keeps two tasks per worker in flight (the next one waits in the pipe, so a worker never
idles waiting for the parent); a dead or stuck worker costs exactly the task it was reading — the
one queued behind it goes to another worker. Workers ignore Ctrl+C (and Ctrl+Break): the parent handles it
(closing the generator ends the workers). A worker is stopped with what it started (LibreOffice converting
a .doc): its own process group on POSIX, its Job object on Windows — which also ends it should the parent die.

Each worker has a temporary folder of its own (``nianbao-batch-XXXXXXXX`` in the system's temporary folder,
with an owner mark): the readers' temporary files and LibreOffice's throw-away profile go there, and it is
removed with the worker — also when the worker is killed (a time limit, the memory cap, Ctrl+C, 停止), after
everything the worker started is ended: its process group, the processes it started in sessions of their own
(LibreOffice) found by their parents, and any process whose command line names the worker's folder (one the
worker left orphaned when it died). A run that was itself killed leaves such folders behind: the next run removes
them — only folders of exactly that name, really folders (not links), holding our mark, whose owner is provably
no longer running; a user's file or folder that merely looks similar is never touched.

On Windows at most WINDOWS_MAX_JOBS workers run: the parent waits on two handles per worker (its pipe and
its process) with WaitForMultipleObjects, which takes at most 63.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import re
import shutil
import signal
import stat
import sys
import tempfile
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from pathlib import Path
from typing import Generic, TypeVar

from model import limits, liveness
from model.job_object import Job, job_for
from model.limits import MiB
from model.oserrors import describe, logged
from model.outside_program import kill_naming, kill_tree

T = TypeVar("T")
R = TypeVar("R")

DEFAULT_MEMORY_BYTES = limits.BATCH_WORKER_MEMORY_BYTES
START_SECONDS = 60  # a worker that cannot start (import) within this is given up
_POLL_SECONDS = 0.2  # how often a stop request is looked at while waiting
PREFETCH = 2  # tasks sent to a worker ahead: it starts the next file without waiting for the parent
WINDOWS_MAX_JOBS = 30  # 2 handles a worker, at most 63 in one WaitForMultipleObjects (see the module's text)
TEMP_PREFIX = "nianbao-batch-"  # + mkdtemp's 8 characters: a worker's temporary folder
TEMP_NAME = re.compile(r"nianbao-batch-[a-z0-9_]{8}")
OWNER_MARK = ".nianbao-batch-owner"  # in the folder: who made it (pid, start time, boot) — JSON


@dataclass(frozen=True)
class TaskFailure:
    """A task the worker could not finish: ``reason`` is for the clerk (Chinese)."""

    reason: str


def memory_reason(limit: int | None) -> str:
    cap = f"（{limit // MiB} MB）" if limit else ""
    return f"读取时所需内存超过上限{cap}，已停止：文件可能已损坏或被恶意构造"


def time_reason(seconds: float) -> str:
    return f"读取超过{seconds:g}秒仍未完成，已停止：文件可能已损坏、被恶意构造或过于复杂"


def crash_reason(exitcode: int | None) -> str:
    how = f"（退出码 {exitcode}）" if exitcode is not None else ""
    return f"读取时处理进程意外退出{how}：文件可能已损坏或被恶意构造"


def cap_memory(limit: int | None) -> bool:
    """Cap this process's address space (soft and hard: the code we run cannot lift it).
    False where the platform has no such limit (Windows: the parent caps the worker through its Job object)."""
    if not limit:
        return False
    try:
        import resource
    except ImportError:
        return False
    try:
        _soft, hard = resource.getrlimit(resource.RLIMIT_AS)
        if hard != resource.RLIM_INFINITY:
            limit = min(limit, hard)
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    except (ValueError, OSError):
        return False
    return True


def _use_temp(folder: str | None) -> None:
    """This process's temporary files, and those of the programs it starts (LibreOffice), in ``folder``."""
    if not folder:
        return
    tempfile.tempdir = folder
    for name in ("TMPDIR", "TEMP", "TMP"):
        os.environ[name] = folder


def failure_reason(error: BaseException) -> str:
    """A task's unexpected failure in the clerk's words: no exception class names, no English system text
    (an OSError is said through model.oserrors); the original goes to the log."""
    logged(error, "batch task")
    if isinstance(error, OSError):
        return f"读取时出错：{describe(error)}"
    return "读取时出现意外错误：文件可能已损坏或被恶意构造"


def _worker(conn: Connection, handler: Callable[[object], object], memory: int | None,
            temp: str | None = None) -> None:
    """A worker's life: cap memory, say ready, then answer tasks until told to stop."""
    for name in ("SIGINT", "SIGBREAK"):  # Ctrl+C (and Ctrl+Break on Windows) is the parent's to handle
        try:
            signal.signal(getattr(signal, name), signal.SIG_IGN)
        except (AttributeError, ValueError, OSError):
            pass
    if hasattr(os, "setpgrp"):
        os.setpgrp()  # its own process group: stopping it also stops what it started (LibreOffice)
    _use_temp(temp)
    cap_memory(memory)
    conn.send(("ready", os.getpid()))
    while True:
        try:
            message = conn.recv()
        except (EOFError, OSError):
            return
        if message is None:
            return
        index, task = message
        try:
            answer: tuple[str, object] = ("ok", handler(task))
        except MemoryError:
            answer = ("memory", None)
        except RecursionError:
            answer = ("failed", "文件结构嵌套过深，无法读取：文件可能已损坏或被恶意构造")
        except Exception as error:  # any other failure of one file is that file's row
            answer = ("failed", failure_reason(error))
        try:
            conn.send((index, *answer))
        except MemoryError:
            conn.send((index, "memory", None))
        if answer[0] == "memory":
            return  # a worker that ran out of memory is not trusted with another task


class _Worker:
    def __init__(self, context, handler: Callable, memory: int | None) -> None:  # type: ignore[no-untyped-def]
        self.conn, child = context.Pipe()
        self.temp = make_temp_folder()
        self.process = context.Process(target=_worker, args=(child, handler, memory, str(self.temp)), daemon=True,
                                       name="nianbao-reader")
        try:
            self.process.start()
        except BaseException:
            shutil.rmtree(self.temp, ignore_errors=True)
            raise
        # Windows: the worker and what it starts in a Job object, within the memory cap (None elsewhere)
        self.job: Job | None = job_for(self.process.pid, memory=memory)
        child.close()
        self.ready = False
        self.started = time.monotonic()
        self.queue: deque[int] = deque()  # tasks sent, in order; the first is the one being read
        self.deadline = 0.0  # for the first task
        self.seconds = 0.0

    @property
    def busy(self) -> bool:
        return bool(self.queue)

    def stop(self, *, kill: bool = False) -> None:
        try:
            self._stop(kill=kill)
        finally:
            remove_temp_folder(self.temp)

    def _stop(self, *, kill: bool) -> None:
        if kill and self.job is not None:
            self.job.terminate()
        elif kill:
            _kill_group(self.process, self.temp)
        else:
            try:
                self.conn.send(None)
            except (OSError, ValueError):
                pass
        self.process.join(timeout=5)
        if self.process.is_alive():
            _kill_group(self.process, self.temp)
            self.process.join(timeout=5)
        elif self.job is None:
            kill_naming(self.temp)  # (what a worker that died left running)
        if self.job is not None:
            self.job.close()  # (and whatever the worker left running ends with it)
        self.conn.close()


class Stopped(Exception):
    """The run was stopped on request (the window's 停止 button)."""


class PoolFailed(Exception):
    """No worker process could be started; the message is for the clerk."""

    def __init__(self, message: str = "无法启动读取文件的处理进程，批量核对未能进行") -> None:
        super().__init__(message)
        self.message = message


class WorkerPool(Generic[T, R]):
    """Runs ``handler`` over tasks in ``jobs`` worker processes; results come in completion order."""

    def __init__(self, handler: Callable[[T], R], *, jobs: int | None = None,
                 memory: int | None = DEFAULT_MEMORY_BYTES,
                 seconds: Callable[[T], float] | float = 60.0,
                 stop: threading.Event | None = None) -> None:
        self.handler = handler
        self.jobs = capped_jobs(jobs)
        self.memory = memory
        self.seconds = seconds
        self.stop = stop
        self.context = multiprocessing.get_context("spawn")

    def _limit(self, task: T) -> float:
        return self.seconds(task) if callable(self.seconds) else self.seconds

    def run(self, tasks: Sequence[T], order: Sequence[int] | None = None) -> Iterator[tuple[int, R | TaskFailure]]:
        """Yield ``(index, result or TaskFailure)`` for every task; ``order`` is the dispatch order.

        Raises :class:`Stopped` when the stop event is set. Closing the generator (or an exception
        in the consumer, Ctrl+C included) ends every worker.
        """
        self.tasks = tasks
        remove_stale_temp_folders()
        pending = deque(order if order is not None else range(len(tasks)))
        workers: list[_Worker] = []
        try:
            while pending or any(w.busy for w in workers):
                if self.stop is not None and self.stop.is_set():
                    raise Stopped
                while len(workers) < min(self.jobs, len(pending) + sum(w.busy for w in workers)):
                    workers.append(_Worker(self.context, self.handler, self.memory))
                for worker in workers:
                    while worker.ready and len(worker.queue) < PREFETCH and pending:
                        self._send(worker, pending.popleft())
                yield from self._collect(workers, pending)
        finally:
            for worker in workers:
                worker.stop(kill=worker.busy)

    def _send(self, worker: _Worker, index: int) -> None:
        worker.queue.append(index)
        if len(worker.queue) == 1:
            self._begin(worker)
        try:
            worker.conn.send((index, self.tasks[index]))
        except (OSError, ValueError):
            pass  # the worker died meanwhile: its sentinel reports it

    def _begin(self, worker: _Worker) -> None:
        """The worker starts on the first task of its queue: its time limit runs from now."""
        worker.seconds = self._limit(self.tasks[worker.queue[0]])
        worker.deadline = time.monotonic() + worker.seconds

    def _collect(self, workers: list[_Worker], pending: deque[int]) -> Iterator[tuple[int, R | TaskFailure]]:
        now = time.monotonic()
        deadlines = [w.deadline for w in workers if w.busy]
        deadlines += [w.started + START_SECONDS for w in workers if not w.ready]
        timeout = max(0.0, min(deadlines, default=now + _POLL_SECONDS) - now)
        if self.stop is not None:
            timeout = min(timeout, _POLL_SECONDS)
        waitables: list[object] = [w.conn for w in workers] + [w.process.sentinel for w in workers]
        ready = set(wait(waitables, timeout))  # type: ignore[arg-type]
        now = time.monotonic()
        for worker in list(workers):
            failure: TaskFailure | None = None
            if worker.conn in ready or worker.conn.poll():
                try:
                    message = worker.conn.recv()
                except (EOFError, OSError):
                    message = None
                if message is None:
                    failure = TaskFailure(crash_reason(_exitcode(worker)))
                elif message[0] == "ready":
                    worker.ready = True
                    continue
                else:
                    index, status, payload = message
                    worker.queue.popleft()
                    if worker.queue:
                        self._begin(worker)
                    if status == "ok":
                        yield index, payload
                        continue
                    if status != "memory":
                        yield index, TaskFailure(str(payload))
                        continue
                    yield index, TaskFailure(memory_reason(self.memory))  # and the worker has ended
            elif worker.process.sentinel in ready:
                failure = TaskFailure(crash_reason(_exitcode(worker)))
            elif worker.busy and now >= worker.deadline:
                failure = TaskFailure(time_reason(worker.seconds))
            elif not worker.ready and now >= worker.started + START_SECONDS:
                raise PoolFailed
            else:
                continue
            # the worker is replaced: the task it was reading failed; the ones queued behind go back
            workers.remove(worker)
            worker.stop(kill=True)
            if not worker.ready:
                raise PoolFailed
            if failure is not None and worker.queue:
                yield worker.queue.popleft(), failure
            pending.extendleft(reversed(worker.queue))
            worker.queue.clear()


def _kill_group(process, temp: Path | None = None) -> None:  # type: ignore[no-untyped-def]
    """Kill a worker and everything it started: its own process group, and on POSIX also LibreOffice, which
    runs in a session of its own (kill_tree finds it by its parent), and whatever
    names the worker's temporary folder on its command line (a LibreOffice the worker left orphaned)."""
    if hasattr(os, "killpg") and process.pid is not None and process.exitcode is None:
        kill_tree(process.pid)
    elif process.is_alive():
        process.kill()
    if temp is not None:
        kill_naming(temp)


# ---- the workers' temporary folders ---------------------------------------------------------------


def make_temp_folder(parent: str | None = None) -> Path:
    """A new worker folder with our owner mark (this process: it removes the folder)."""
    folder = Path(tempfile.mkdtemp(prefix=TEMP_PREFIX, dir=parent))
    me = liveness.current()
    try:
        (folder / OWNER_MARK).write_text(json.dumps({"program": "nianbao-batch", "pid": me.pid, "started": me.started,
                                                     "boot": me.boot}), encoding="utf-8")
    except OSError:
        pass  # (no mark: it is still ours to remove now, but never taken for a stale one later)
    return folder


def remove_temp_folder(folder: Path) -> None:
    for _attempt in range(3):
        shutil.rmtree(folder, ignore_errors=True)
        if not os.path.lexists(folder):
            return
        time.sleep(0.05)  # (a killed program's last file handles are being closed)


def _owner(folder: Path):  # type: ignore[no-untyped-def]
    """The process that made ``folder`` as its mark says, or None when the mark is not ours."""
    try:
        text = (folder / OWNER_MARK).read_text(encoding="utf-8")[:1000]
        data = json.loads(text)
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or data.get("program") != "nianbao-batch" or not isinstance(data.get("pid"), int):
        return None
    started, boot = data.get("started"), data.get("boot")
    if not isinstance(started, str | None) or not isinstance(boot, str | None):
        return None
    return liveness.ProcessIdentity(data["pid"], started, boot)


def remove_stale_temp_folders(parent: str | None = None) -> list[Path]:
    """Remove the worker folders a killed run left behind (see the module's text); the ones removed."""
    base = Path(parent or tempfile.gettempdir())
    removed = []
    try:
        entries = list(os.scandir(base))
    except OSError:
        return removed
    for entry in entries:
        if not TEMP_NAME.fullmatch(entry.name):
            continue
        try:
            info = entry.stat(follow_symlinks=False)
        except OSError:
            continue
        if not stat.S_ISDIR(info.st_mode) or (hasattr(os, "getuid") and info.st_uid != os.getuid()):
            continue
        owner = _owner(Path(entry.path))
        if owner is None or liveness.is_running(owner) or owner.started is None:
            continue
        kill_naming(Path(entry.path))
        remove_temp_folder(Path(entry.path))
        removed.append(Path(entry.path))
    return removed


def _exitcode(worker: _Worker) -> int | None:
    worker.process.join(timeout=1)
    return worker.process.exitcode


def capped_jobs(requested: int | None, *, platform: str = sys.platform, cores: int | None = None) -> int:
    """How many workers run: ``requested`` (default: the cores), at least one, on Windows at most WINDOWS_MAX_JOBS."""
    jobs = max(1, requested or cores or default_jobs())
    return min(jobs, WINDOWS_MAX_JOBS) if platform == "win32" else jobs


def default_jobs() -> int:
    """The machine's cores (those this process may use)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))  # type: ignore[attr-defined]
    except AttributeError:
        return max(1, os.cpu_count() or 1)
