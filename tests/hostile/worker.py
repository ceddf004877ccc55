"""Runs `nianbao …` commands one after another in a process with a memory and a time cap.

Started by tests/hostile/capped.py (and the memory benchmark) as
``python -m tests.hostile.worker MEMORY_BYTES``: the address space is capped with
``resource.setrlimit(RLIMIT_AS)`` before anything is imported, then each line on stdin is a JSON
request ``{"argv": [...], "seconds": N}`` and each answer a JSON line on stdout with the exit code,
what the command printed, any exception that escaped ``cli.main`` (a traceback), whether a
MemoryError or RecursionError happened anywhere (the CLI's last net catches them, so the log is
watched), the time and the peak memory of that command alone (Linux: VmHWM, reset before each).
"""

from __future__ import annotations

import contextlib
import io
import json
import logging
import resource
import signal
import sys
import time
import traceback
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


class CaseTimeout(BaseException):
    """Raised by the alarm: a BaseException, so no ``except Exception`` in the program swallows it."""


def _alarm(_signum, _frame):  # type: ignore[no-untyped-def]
    raise CaseTimeout


class _Watch(logging.Handler):
    """Sees every exception the program logs (the original errors it turned into messages)."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.kinds: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        if record.exc_info and record.exc_info[0] is not None:
            self.kinds.append(record.exc_info[0].__name__)


def _reset_peak() -> None:
    try:
        Path("/proc/self/clear_refs").write_text("5")  # Linux: VmHWM := current RSS
    except OSError:
        pass


def _peak_mb() -> float:
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run(argv: list[str], seconds: float, watch: _Watch) -> dict:
    import cli

    out, err = io.StringIO(), io.StringIO()
    escaped = None
    code: int | None = None
    watch.kinds.clear()
    _reset_peak()
    start = time.perf_counter()
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = cli.main(argv)
    except CaseTimeout:
        escaped = "timeout"
    except SystemExit as exit_:
        code = exit_.code if isinstance(exit_.code, int) else 2
    except BaseException:  # what the program let escape: exactly what the test looks for
        escaped = traceback.format_exc()
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
    return {"code": code, "stdout": out.getvalue(), "stderr": err.getvalue(), "escaped": escaped,
            "logged": list(watch.kinds), "seconds": time.perf_counter() - start, "peak_mb": _peak_mb()}


def main() -> None:
    limit = int(sys.argv[1])
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    sys.path.insert(0, str(ROOT))
    sys.setrecursionlimit(1000)
    signal.signal(signal.SIGALRM, _alarm)
    watch = _Watch()
    logging.getLogger("nianbao").addHandler(watch)
    import cli  # noqa: F401 — and what the commands load, once, before the first measurement
    import export.reading  # noqa: F401
    import model.store  # noqa: F401

    for line in sys.stdin:
        request = json.loads(line)
        answer = run(request["argv"], request.get("seconds", 30), watch)
        sys.stdout.write(json.dumps(answer, ensure_ascii=False) + "\n")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
