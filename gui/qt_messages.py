"""Qt's own messages go to the log, not to the clerk's terminal.

Qt writes its warnings to stderr ("This plugin does not support propagateSizeHints()" from the
offscreen platform during --self-test, font and theme notes on Linux desktops). A message handler
sends them to the log file instead ("nianbao.qt"). A fatal message is Qt's last word before it
aborts: the clerk gets it in Chinese (gui/display.py), the log gets Qt's text, and the program ends
with exit code 2 instead of Qt's abort and core dump.
"""

from __future__ import annotations

import logging
import os
import sys

from PySide6.QtCore import QMessageLogContext, QtMsgType, qInstallMessageHandler

from gui.display import fatal_text
from runtime import logfile, notice

log = logging.getLogger("nianbao.qt")
LEVELS = {
    QtMsgType.QtDebugMsg: logging.DEBUG,
    QtMsgType.QtInfoMsg: logging.INFO,
    QtMsgType.QtWarningMsg: logging.WARNING,
    QtMsgType.QtCriticalMsg: logging.ERROR,
    QtMsgType.QtFatalMsg: logging.CRITICAL,
}
EXIT_NO_WINDOW = 2
_recent: list[str] = []  # the last warnings, to explain a fatal message that follows them
_installed = False


def handle(kind: QtMsgType, context: QMessageLogContext, message: str) -> None:
    category = context.category if context is not None and context.category not in (None, "default") else ""
    text = f"{category}: {message}" if category else message
    log.log(LEVELS.get(kind, logging.WARNING), "%s", text)
    if kind != QtMsgType.QtFatalMsg:
        _recent[:] = [*_recent[-4:], text]
        return
    clerk = fatal_text(message, _recent, os.environ)
    logfile.flush()
    from runtime.console import LogStream

    if sys.stderr is not None and not isinstance(sys.stderr, LogStream):
        print(clerk, file=sys.stderr, flush=True)
    else:
        notice.show("年报助手", clerk, "error")
    os._exit(EXIT_NO_WINDOW)  # Qt aborts when the handler returns: end first, with our exit code


def install_message_handler() -> None:
    """Once per process, before the QApplication is made (its start-up messages are the ones that matter)."""
    global _installed
    if not _installed:
        qInstallMessageHandler(handle)
        _installed = True
