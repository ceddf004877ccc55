"""A worker process (tests/hostile/worker.py) under a memory cap, and what every answer must show."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
MEMORY_CAP = 1024 * 1024 * 1024  # RLIMIT_AS of the worker: 1 GiB
SECONDS = 30.0  # per command
PEAK_MB = 400  # what one command may reach (resident); a normal import stays far below

_CJK = re.compile(r"[\u4e00-\u9fff]")
# English the program must never show the clerk: exception classes, Python's and the OS's own words
_ENGLISH = re.compile(r"Traceback|[A-Z][A-Za-z]*(Error|Exception|Warning)\b|\bErrno\b|No such file|Permission denied|"
                      r"Is a directory|No space left|Read-only file system|Not a directory|Invalid argument|"
                      r"object has no attribute|not supported|invalid literal|exceeds the limit")


@dataclass
class Answer:
    code: int | None
    stdout: str
    stderr: str
    escaped: str | None
    logged: list[str]
    seconds: float
    peak_mb: float


class Worker:
    """One capped process that runs many commands (starting Python per case would cost more than the cases)."""

    def __init__(self, memory: int = MEMORY_CAP) -> None:
        self.memory = memory
        self.process: subprocess.Popen | None = None

    def _start(self) -> subprocess.Popen:
        return subprocess.Popen([sys.executable, "-m", "tests.hostile.worker", str(self.memory)], cwd=ROOT,
                                stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, encoding="utf-8")

    def run(self, *argv: str, seconds: float = SECONDS) -> Answer:
        if self.process is None or self.process.poll() is not None:
            self.process = self._start()
        assert self.process.stdin is not None and self.process.stdout is not None
        self.process.stdin.write(json.dumps({"argv": list(argv), "seconds": seconds}) + "\n")
        self.process.stdin.flush()
        line = self.process.stdout.readline()
        if not line:  # the worker died: killed by the kernel, or a crash in C
            code = self.process.wait()
            self.close()
            raise AssertionError(f"the capped worker died (exit {code}) on {argv}")
        return Answer(**json.loads(line))

    def close(self) -> None:
        if self.process is None:
            return
        process, self.process = self.process, None
        for stream in (process.stdin, process.stdout):
            if stream is not None:
                try:
                    stream.close()
                except OSError:
                    pass
        process.wait(timeout=10)


def assert_refused_cleanly(answer: Answer, *, allow_success: bool = False) -> None:
    """Exit 2 (or success with import problems, when allowed), a Chinese message, nothing escaped,
    no memory exhaustion, within the caps."""
    assert answer.escaped is None, answer.escaped
    assert not {"MemoryError", "RecursionError"} & set(answer.logged), answer.logged
    if allow_success and answer.code == 0:
        assert _CJK.search(answer.stdout), answer.stdout
    else:
        assert answer.code == 2, (answer.code, answer.stderr)
        assert _CJK.search(answer.stderr), answer.stderr
    shown = answer.stdout + answer.stderr
    assert not _ENGLISH.search(shown), shown
    assert answer.peak_mb < PEAK_MB, answer.peak_mb
    assert answer.seconds < SECONDS
