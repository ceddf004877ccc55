"""The worker pool: one file that hangs, eats memory, crashes or fails is that file's row, never the end."""

from __future__ import annotations

import sys
import threading

import pytest

from export.batch_pool import Stopped, TaskFailure, WorkerPool
from tests.export.batch_handlers import behave

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="the memory cap is POSIX setrlimit")


def test_failures_are_rows_and_the_run_goes_on():
    tasks = [("echo", 1), ("sleep", 30), ("eat", 2048), ("crash", 0), ("raise", 0), ("deep", 0), ("echo", 2), ("echo", 3)]
    pool = WorkerPool(behave, jobs=2, memory=512 * 1024 * 1024, seconds=lambda t: 1.5 if t[0] == "sleep" else 30)
    results = dict(pool.run(tasks))
    assert sorted(results) == list(range(len(tasks)))
    assert results[0] == 2 and results[6] == 4 and results[7] == 6
    assert results[1] == TaskFailure("读取超过1.5秒仍未完成，已停止：文件可能已损坏、被恶意构造或过于复杂")
    assert results[2] == TaskFailure("读取时所需内存超过上限（512 MB），已停止：文件可能已损坏或被恶意构造")
    assert isinstance(results[3], TaskFailure) and results[3].reason.startswith("读取时处理进程意外退出（退出码 -9）")
    assert results[4] == TaskFailure("读取时出错（ValueError：broken on purpose）")
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
