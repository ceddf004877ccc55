"""Reading a file from outside within a size limit, and only if it is a regular file.

``/dev/zero`` never ends, a FIFO blocks its reader until someone writes, a folder named x.docx is not
a document: all are refused before a byte is read. The size is checked before reading and again
while reading (a file can grow between the two), so no file costs more memory than its limit.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from model.oserrors import describe, logged

_CHUNK = 1024 * 1024


class Refused(Exception):
    """A file that was not read; ``reason`` says why, in Chinese (without the file's name)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def size_text(size: int) -> str:
    """A size as the clerk reads it: "25 MB", "300 KB"."""
    if size >= 1024 * 1024:
        return f"{size / (1024 * 1024):.0f} MB"
    return f"{max(1, round(size / 1024))} KB"


def too_large(size: int | None, limit: int) -> Refused:
    shown = f"{size_text(size)}，" if size is not None else ""
    return Refused(f"文件过大（{shown}超过 {size_text(limit)} 的上限）")


def check_regular(path: Path) -> os.stat_result:
    """The file's status if it is a regular file (following links); Refused otherwise."""
    try:
        status = os.stat(path)
    except OSError as error:
        logged(error, f"stat {path}")
        if isinstance(error, (FileNotFoundError, NotADirectoryError)):
            raise Refused("找不到该文件") from None
        raise Refused(describe(error)) from None
    _refuse_special(status)
    return status


def _refuse_special(status: os.stat_result) -> None:
    if stat.S_ISDIR(status.st_mode):
        raise Refused("这是一个文件夹，不是文件")
    if not stat.S_ISREG(status.st_mode):
        raise Refused("这不是普通文件（而是设备、管道等），未读取")


def read_limited(path: Path, limit: int) -> bytes:
    """The whole content of the regular file ``path``, at most ``limit`` bytes; Refused otherwise."""
    status = check_regular(path)
    if status.st_size > limit:
        raise too_large(status.st_size, limit)
    flags = os.O_RDONLY | getattr(os, "O_BINARY", 0) | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
    try:
        fd = os.open(path, flags)
    except OSError as error:
        logged(error, f"open {path}")
        raise Refused(describe(error)) from None
    try:
        _refuse_special(os.fstat(fd))  # it may have been swapped for a FIFO since the first look
        chunks: list[bytes] = []
        total = 0
        while True:
            chunk = os.read(fd, min(_CHUNK, limit + 1 - total))
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
            if total > limit:
                raise too_large(None, limit)
        return b"".join(chunks)
    except OSError as error:
        logged(error, f"read {path}")
        raise Refused(describe(error)) from None
    finally:
        os.close(fd)
