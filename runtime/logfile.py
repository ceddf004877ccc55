"""The program's log file, in platformdirs' log folder (Windows: %LOCALAPPDATA%\\nianbao\\Logs,
Linux: ~/.local/state/nianbao/log): everything the clerk need not see — Qt's own messages, the
windowed program's output, tracebacks — goes there, for support staff to ask for.

The file is opened only when something is written; it is started afresh (the old one kept as
nianbao.log.1) once it passes a megabyte, at start-up only, so two windows never rotate it under
each other.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

import platformdirs

APP = "nianbao"
LOG_NAME = "nianbao.log"
ROTATE_AT = 1024 * 1024
FORMAT = "%(asctime)s %(process)d %(levelname)s %(name)s: %(message)s"

log = logging.getLogger(APP)


def log_folder() -> Path:
    return Path(platformdirs.user_log_dir(APP, appauthor=False))


def log_path() -> Path:
    return log_folder() / LOG_NAME


class _LogFile(logging.FileHandler):
    """The handler start_logging() adds (told apart from others by its class)."""


def start_logging() -> Path | None:
    """Send the program's loggers ("nianbao", "nianbao.*") to the log file; the file's path, or None
    when the log folder cannot be made (the program then runs without a log, never fails for it).
    Called again (another user folder, as in the tests), it moves to the new file."""
    path = log_path()
    for handler in list(log.handlers):
        if isinstance(handler, _LogFile):
            if Path(handler.baseFilename) == path.absolute():
                return path
            log.removeHandler(handler)
            handler.close()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        if path.is_file() and path.stat().st_size > ROTATE_AT:
            os.replace(path, path.with_name(LOG_NAME + ".1"))
    except OSError:
        return None
    # (a file name from a GBK zip or stick holds surrogate escapes: written as \udcxx, never a logging error)
    handler = _LogFile(path, encoding="utf-8", errors="backslashreplace", delay=True)
    handler.setFormatter(logging.Formatter(FORMAT))
    log.addHandler(handler)
    if log.level == logging.NOTSET or log.level > logging.INFO:
        log.setLevel(logging.INFO)
    return path


def flush() -> None:
    for handler in log.handlers:
        handler.flush()
