"""The standard streams, made safe before the program prints anything.

- **Missing**: the windowed nianbao.exe (and pythonw) has ``sys.stdout = sys.stderr = None``: print()
  writes nowhere, argparse's --help and usage errors vanish, a traceback has nowhere to go. They are
  replaced by a LogStream that writes each line to the log file and keeps the text; when a command
  (not the window) ends, the clerk is shown what it said in a message box (runtime.notice).
- **Piped or redirected** (``nianbao-cli check R.nianbao > out.txt``): Python writes in the ANSI code page
  (cp936 on Chinese Windows, cp1252 on English Windows), and a character outside it ("−" in cp936, every
  Chinese character in cp1252) raised UnicodeEncodeError. A stream whose encoding can write Chinese keeps it
  (what the program reading the pipe expects), with a few typographic characters written as their ASCII
  look-alikes ("−" as "-") and any other as "?"; one that cannot write Chinese is switched to UTF-8,
  since every line the program prints is Chinese. (A Windows console reports UTF-8: Python writes it as
  UTF-16 whatever the code page.)
"""

from __future__ import annotations

import codecs
import functools
import io
import logging
import signal
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, TextIO

from runtime import crash, logfile, notice

log = logging.getLogger("nianbao.output")
PROBE = "年报助手"
TITLE = "年报助手"


class LogStream(io.TextIOBase):
    """Stands in for a missing stdout or stderr: each line goes to the log; the text is also kept."""

    def __init__(self, name: str, kept: list[str]) -> None:
        super().__init__()
        self.name = name
        self._kept = kept
        self._partial = ""

    @property
    def encoding(self) -> str:  # type: ignore[override]
        return "utf-8"

    def writable(self) -> bool:
        return True

    def isatty(self) -> bool:
        return False

    def write(self, text: str) -> int:
        self._kept.append(text)
        lines = (self._partial + text).split("\n")
        self._partial = lines.pop()
        for line in lines:
            log.info("%s: %s", self.name, line)
        return len(text)

    def flush(self) -> None:
        if self._partial:
            log.info("%s: %s", self.name, self._partial)
            self._partial = ""


LOOK_ALIKES = {"\u2212": "-", "\u2013": "-", "\u2010": "-", "\u00a0": " ", "\u2009": " ", "\u202f": " ",
               "\u2002": " ", "\u2003": " ", "\u2026": "..."}
ERRORS = "nianbao.look-alike"


def _look_alike(error: UnicodeError) -> tuple[str, int]:
    if not isinstance(error, UnicodeEncodeError):
        raise error
    bad = error.object[error.start:error.end]
    return "".join(LOOK_ALIKES.get(char, "?") for char in bad), error.end


codecs.register_error(ERRORS, _look_alike)


def can_write_chinese(encoding: str | None) -> bool:
    try:
        PROBE.encode(encoding or "ascii")
    except (UnicodeEncodeError, LookupError):
        return False
    return True


def make_safe(stream: TextIO) -> None:
    """Reconfigure a real text stream so that no character can make it raise (see the module's text)."""
    if not isinstance(stream, io.TextIOWrapper):
        return  # a test's capture, an IDE's console: already Unicode
    try:
        if can_write_chinese(stream.encoding):
            stream.reconfigure(errors=ERRORS)
        else:
            stream.reconfigure(encoding="utf-8", errors="replace")
    except (ValueError, OSError):  # a closed stream, or one already written in another encoding
        pass


@dataclass
class Console:
    """What prepare() found: whether the program is windowed (no stdout/stderr) and what it printed."""

    windowed: bool
    kept: list[str] = field(default_factory=list)
    tell_at_exit: bool = True

    def text(self) -> str:
        return "".join(self.kept).strip()


_current: Console | None = None


def prepare() -> Console:
    """Make sys.stdout and sys.stderr safe (replace missing ones); called at the start of every run."""
    global _current
    console = Console(windowed=False)
    for name in ("stdout", "stderr"):
        stream = getattr(sys, name)
        if stream is None or isinstance(stream, LogStream):
            console.windowed = True
            setattr(sys, name, LogStream(name, console.kept))
        else:
            make_safe(stream)
    _current = console
    return console


def window_shown() -> None:
    """The window is up: from now on what is printed goes to the log only (the window speaks for itself)."""
    if _current is not None:
        _current.tell_at_exit = False


def exit_code(code: object) -> int:
    """SystemExit's code as a process exit status (None → 0, a message → 1)."""
    if code is None:
        return 0
    return code if isinstance(code, int) else 1


def finish(console: Console, code: int) -> bool:
    """At the end of a windowed run of a command: show the clerk what it printed. True when shown."""
    for name in ("stdout", "stderr"):
        stream = getattr(sys, name)
        if isinstance(stream, LogStream):
            stream.flush()
    if not (console.windowed and console.tell_at_exit):
        return False
    text = console.text()
    if not text:
        return False
    if sys.platform == "win32":
        text += "\n\n在命令提示符中运行 nianbao-cli.exe 可以直接看到这些输出。"
    kind = "information" if code == 0 else ("warning" if code == 2 else "error")
    return notice.show(TITLE, text, kind)


def interrupt_on_break(signals: Any = signal) -> bool:
    """Windows: Ctrl+Break (SIGBREAK) stops a command as Ctrl+C does — KeyboardInterrupt, so that `batch`
    writes what it has read — instead of ending the process on the spot. True when installed (Windows only)."""
    if not hasattr(signals, "SIGBREAK"):
        return False
    try:
        signals.signal(signals.SIGBREAK, signals.default_int_handler)
    except (ValueError, OSError):  # not the main thread
        return False
    return True


def program(main: Callable[[Sequence[str] | None], int]) -> Callable[[Sequence[str] | None], int]:
    """Wrap the program's main(): safe streams, the log file, the exception hook and Ctrl+Break before it runs; in
    the windowed program, what a command printed shown to the clerk after it ran. SystemExit (argparse's
    --help and usage errors) passes through, as from any main()."""

    @functools.wraps(main)
    def run(argv: Sequence[str] | None = None) -> int:
        console = prepare()
        logfile.start_logging()
        crash.install()
        interrupt_on_break()
        try:
            code = main(argv)
        except SystemExit as exit:
            finish(console, exit_code(exit.code))
            raise
        finish(console, code)
        return code

    return run
