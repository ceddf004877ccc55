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


# ---- what a killed worker started, and its temporary folder (issue 12) --------------------------

from pathlib import Path  # noqa: E402

from tests.export.test_capped_import import gone, make_real_doc, wait_gone  # noqa: E402


@pytest.fixture(scope="module")
def real_doc(tmp_path_factory) -> Path:
    return make_real_doc(tmp_path_factory.mktemp("doc"))


def _ours(marker: str, also: bytes = b"") -> list[int]:
    """Processes whose command line names ``marker`` (and ``also``): read once, as a process may end meanwhile."""
    import os

    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                line = Path(f"/proc/{entry}/cmdline").read_bytes()
            except OSError:
                continue
            if marker.encode() in line and also in line and not gone(int(entry)):
                found.append(int(entry))
    return found


@pytest.fixture
def private_temp(tmp_path, monkeypatch) -> Path:
    """The system's temporary folder, for this test: the workers' folders are made in it."""
    import tempfile

    temp = tmp_path / "temp"
    temp.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(temp))
    return temp


def test_each_worker_has_its_own_temporary_folder_removed_with_it(private_temp):
    (answer,) = [r for _i, r in WorkerPool(behave, jobs=1, seconds=30).run([("tempdir", 0)])]
    inside, variable = answer
    assert Path(inside).parent == private_temp and Path(inside).name.startswith("nianbao-batch-")
    assert variable == inside  # LibreOffice, started by the worker, writes there too
    assert list(private_temp.iterdir()) == []


@pytest.mark.skipif(sys.platform == "win32", reason="sessions and /proc (Windows: the Job object ends the tree)")
@pytest.mark.parametrize("what", ["helper", "orphan"])
def test_a_killed_worker_ends_what_it_started_in_a_session_of_its_own(private_temp, tmp_path, what):
    """A worker past its time limit is killed with the program it started in its own session (as LibreOffice
    is); one that died leaves it orphaned — it is found by the worker's folder on its command line."""
    pid_file = tmp_path / "helper.pid"
    pool = WorkerPool(behave, jobs=1, seconds=3)
    results = dict(pool.run([(what, str(pid_file))]))
    assert isinstance(results[0], TaskFailure)
    helper = int(pid_file.read_text())
    assert wait_gone(helper)
    assert list(private_temp.iterdir()) == []


@pytest.mark.skipif(sys.platform == "win32", reason="sessions and /proc (Windows: the Job object ends the tree)")
def test_a_real_doc_conversion_stopped_leaves_no_libreoffice_and_no_files(real_doc, private_temp):
    """停止 (or Ctrl+C) while LibreOffice converts a real .doc for a worker: soffice.bin with our profile is
    killed with the worker, and the worker's folder (the profile, the copy of the file) is removed."""
    from export.batch_read import ReadTask, read_one

    stop = threading.Event()
    seen: list[int] = []

    def watch() -> None:
        for _ in range(1200):
            running = _ours(str(private_temp), b"soffice.bin")
            if running:
                seen.extend(running)
                stop.set()
                return
            time.sleep(0.05)
        stop.set()

    import time

    watcher = threading.Thread(target=watch)
    watcher.start()
    pool = WorkerPool(read_one, jobs=1, seconds=600, stop=stop)
    with pytest.raises(Stopped):
        for _ in pool.run([ReadTask(str(real_doc))]):
            pass
    watcher.join()
    assert seen, "LibreOffice was not seen converting"
    assert all(wait_gone(pid) for pid in seen)
    assert _ours(str(private_temp)) == []
    assert list(private_temp.iterdir()) == []


def test_stale_worker_folders_removed_at_start_are_only_ours(private_temp):
    """A run that was itself killed leaves its workers' folders: the next run removes those — and only those.
    Never a folder without our mark, a file, a link, a name that merely looks like ours, nor the folder of a
    run still going."""
    import json
    import os

    from export.batch_pool import OWNER_MARK, make_temp_folder, remove_stale_temp_folders

    dead = {"program": "nianbao-batch", "pid": 2**22 + 17, "started": "1", "boot": None}  # no such process

    def folder(name: str, mark: dict | None) -> Path:
        path = private_temp / name
        path.mkdir()
        (path / "报告.docx").write_bytes(b"the clerk's")
        if mark is not None:
            (path / OWNER_MARK).write_text(json.dumps(mark), encoding="utf-8")
        return path

    stale = folder("nianbao-batch-abcd1234", dead)
    unmarked = folder("nianbao-batch-abcd1235", None)  # a user's folder that merely looks like ours
    foreign = folder("nianbao-batch-abcd1236", {**dead, "program": "something else"})
    longer = folder("nianbao-batch-abcd12345", dead)  # not mkdtemp's 8 characters
    other = folder("nianbao-doc-abcd1234", dead)
    unknown_start = folder("nianbao-batch-abcd1237", {**dead, "started": None})  # cannot be proven gone
    running = make_temp_folder()  # this process's: alive
    (private_temp / "nianbao-batch-abcd1238").write_bytes(b"a file, not a folder")
    target = folder("elsewhere", dead)
    (private_temp / "nianbao-batch-abcd1239").symlink_to(target)  # a link to a folder with our mark
    assert remove_stale_temp_folders() == [stale]
    assert not stale.exists()
    for kept in (unmarked, foreign, longer, other, unknown_start, running, target):
        assert kept.is_dir() and os.listdir(kept), kept
    assert (private_temp / "nianbao-batch-abcd1238").read_bytes() == b"a file, not a folder"
    assert (private_temp / "nianbao-batch-abcd1239").is_symlink() and (target / "报告.docx").exists()
    # and a batch does it when it starts
    again = folder("nianbao-batch-efgh5678", dead)
    dict(WorkerPool(behave, jobs=1, seconds=30).run([("echo", 1)]))
    assert not again.exists() and running.is_dir()


def test_a_tasks_unexpected_failure_is_said_without_english():
    import errno

    from export.batch_pool import failure_reason

    assert failure_reason(PermissionError(errno.EACCES, "Permission denied", "/x/报告.docx")) == "读取时出错：没有权限"
    assert failure_reason(IsADirectoryError(errno.EISDIR, "Is a directory")) == "读取时出错：这是一个文件夹，不是文件"
    assert failure_reason(KeyError("word/document.xml")) == "读取时出现意外错误：文件可能已损坏或被恶意构造"
