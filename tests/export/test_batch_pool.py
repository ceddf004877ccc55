"""The worker pool: one file that hangs, eats memory, crashes or fails is that file's row, never the end.
The same on Windows (the workflow's runner), where the memory cap is the worker's Job object."""

from __future__ import annotations

import sys
import threading

import pytest

from export.batch_pool import WINDOWS_MAX_JOBS, Stopped, TaskFailure, WorkerPool, capped_jobs
from tests.export.batch_handlers import behave

KILLED = 15 if sys.platform == "win32" else -9  # the "crash" task's exit code (batch_handlers.py)


def test_failures_are_rows_and_the_run_goes_on():
    tasks = [("echo", 1), ("sleep", 30), ("eat", 2048), ("crash", 0), ("raise", 0), ("deep", 0), ("echo", 2), ("echo", 3)]
    pool = WorkerPool(behave, jobs=2, memory=512 * 1024 * 1024, seconds=lambda t: 1.5 if t[0] == "sleep" else 30)
    results = dict(pool.run(tasks))
    assert sorted(results) == list(range(len(tasks)))
    assert results[0] == 2 and results[6] == 4 and results[7] == 6
    assert results[1] == TaskFailure("读取超过1.5秒仍未完成，已停止：文件可能已损坏、被恶意构造或过于复杂")
    assert results[2] == TaskFailure("读取时所需内存超过上限（512 MB），已停止：文件可能已损坏或被恶意构造")
    assert isinstance(results[3], TaskFailure) and results[3].reason.startswith(f"读取时处理进程意外退出（退出码 {KILLED}）")
    assert results[4] == TaskFailure("读取时出现意外错误：文件可能已损坏或被恶意构造")  # no class name, no English
    assert results[5] == TaskFailure("文件结构嵌套过深，无法读取：文件可能已损坏或被恶意构造")


def test_dispatch_order_and_a_stop_request():
    stop = threading.Event()
    pool = WorkerPool(behave, jobs=1, seconds=30, stop=stop)
    seen = []
    with pytest.raises(Stopped):
        for index, result in pool.run([("echo", 1), ("echo", 2), ("echo", 3)], order=[2, 0, 1]):
            seen.append((index, result))
            stop.set()
    assert seen == [(2, 6)]


def test_workers_end_with_the_run():
    import multiprocessing

    pool = WorkerPool(behave, jobs=2, seconds=30)
    runner = pool.run([("sleep", 0.1), ("echo", 1), ("sleep", 20)], order=[2, 0, 1])
    next(runner)
    runner.close()  # as Ctrl+C in the consumer does: the busy worker is killed, not waited for
    assert not [p for p in multiprocessing.active_children() if p.name == "nianbao-reader"]


def test_windows_runs_at_most_30_workers():
    """The parent waits on two handles per worker; Windows' WaitForMultipleObjects takes at most 63."""
    assert WINDOWS_MAX_JOBS == 30
    assert capped_jobs(40, platform="win32") == 30 and capped_jobs(None, platform="win32", cores=64) == 30
    assert capped_jobs(12, platform="win32") == 12 and capped_jobs(0, platform="win32", cores=4) == 4
    assert capped_jobs(40, platform="linux") == 40 and capped_jobs(None, platform="linux", cores=64) == 64
    assert WorkerPool(behave, jobs=40).jobs == (30 if sys.platform == "win32" else 40)


@pytest.mark.skipif(sys.platform != "win32", reason="the limit of WaitForMultipleObjects (Windows)")
def test_forty_workers_asked_for_on_windows_all_answer():
    """Without the cap, 40 workers (80 handles) make multiprocessing's wait() fail on Windows."""
    tasks = [("echo", n) for n in range(60)]
    results = dict(WorkerPool(behave, jobs=40, seconds=120).run(tasks))
    assert results == {n: 2 * n for n in range(60)}
