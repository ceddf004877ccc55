"""Unexpected errors: logged with their traceback and told to the clerk in Chinese, never lost.

sys.excepthook covers the main thread and, in the window, every exception raised inside a Qt slot or
event handler (PySide6 hands those to sys.excepthook and carries on); threading.excepthook the
worker threads. The window registers a teller that shows a dialog (gui/error_dialog.py); without
one, the message goes to the terminal, or — the windowed program has none — to a message box.
The same error repeating (a paint handler fails on every repaint) is told once and logged a few times.
"""

from __future__ import annotations

import logging
import os
import sys
import threading
import traceback
from collections import Counter
from collections.abc import Callable
from types import TracebackType

from runtime import logfile, notice

log = logging.getLogger("nianbao.crash")
TITLE = "年报助手 — 意外错误"
LOGGED_AT_MOST = 3

Teller = Callable[[str], bool]  # shows the clerk a text; True when it did
_tellers: list[Teller] = []
_seen: Counter[tuple[str, str, str]] = Counter()


def clerk_message(error: BaseException, log_path: object) -> str:
    detail = f"{type(error).__name__}: {error}" if str(error) else type(error).__name__
    return ("年报助手遇到意外错误，刚才的操作没有完成。\n\n"
            "请先保存报告（如果还能保存）；如果程序不能继续使用，请重新打开年报助手，自动保存的内容会提示恢复。\n\n"
            f"详细记录已写入：{log_path}\n如果问题再次出现，请把这个文件发给技术支持。\n\n"
            f"技术信息：{detail}")


def add_teller(teller: Teller) -> None:
    if teller not in _tellers:
        _tellers.append(teller)


def remove_teller(teller: Teller) -> None:
    if teller in _tellers:
        _tellers.remove(teller)


def _signature(error: BaseException, tb: TracebackType | None) -> tuple[str, str, str]:
    frames = traceback.extract_tb(tb) if tb is not None else []
    place = f"{frames[-1].filename}:{frames[-1].lineno}" if frames else ""
    return type(error).__name__, str(error), place


def handle(exc_type: type[BaseException], error: BaseException, tb: TracebackType | None) -> None:
    """The exception hook."""
    if issubclass(exc_type, KeyboardInterrupt):
        sys.__excepthook__(exc_type, error, tb)
        return
    signature = _signature(error, tb)
    _seen[signature] += 1
    count = _seen[signature]
    if count <= LOGGED_AT_MOST:
        log.critical("未处理的异常%s", "（此后同样的错误不再记录）" if count == LOGGED_AT_MOST else "",
                     exc_info=(exc_type, error, tb))
    logfile.flush()
    if count > 1:
        return
    text = clerk_message(error, logfile.log_path())
    if os.environ.get("NIANBAO_DEBUG") and sys.stderr is not None:
        traceback.print_exception(exc_type, error, tb, file=sys.stderr)
    for teller in reversed(_tellers):
        if teller(text):
            return
    from runtime.console import LogStream

    if sys.stderr is not None and not isinstance(sys.stderr, LogStream):
        print(text, file=sys.stderr, flush=True)
    else:
        notice.show(TITLE, text, "error")


def _thread_hook(args: threading.ExceptHookArgs) -> None:
    if args.exc_value is not None and not issubclass(args.exc_type, SystemExit):
        handle(args.exc_type, args.exc_value, args.exc_traceback)


def install() -> None:
    sys.excepthook = handle
    threading.excepthook = _thread_hook
