"""Writing a file so that no failure costs the previous good copy.

The new content goes to a temporary file in the target's folder, is flushed and fsynced, and only
then replaces the target. The previous version becomes ``<name>.bak`` in a way that is itself
atomic (a hard link, or a complete copy, renamed over the old .bak), so a kill or a full disk at any
moment leaves the target and its .bak each either the old or the new content, never half of one.

Around that core: a write through a symbolic link replaces the file it points to (not the link); a
new file gets the user's normal permissions (the umask), a replaced one keeps its own; a read-only
file or a folder is never replaced; the temporary name is short (a few characters), so a path that
Word can save is one we can save; temporary files a killed save left behind are removed later.
"""

from __future__ import annotations

import errno
import os
import re
import stat
import time
from collections.abc import Callable
from pathlib import Path

from model import replace as replacing
from model.oserrors import describe, is_disk_full, logged

REPORT_SUFFIX = ".nianbao"
TEMP_PREFIX = ".~nb"  # + 4 characters: ".~nb3k9x" — hidden on Linux, never longer than 8 characters
_TOKEN_ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789"
_TEMP_NAME = re.compile(r"\.~nb[a-z0-9]{4}")
_OLD_TEMP_NAME = re.compile(r"\..+\.(nianbao|docx|xlsx|json)\.[a-z0-9_]{8}\.tmp")  # mkstemp names of before
STALE_SECONDS = 5.0  # a temporary file this old and not locked belongs to no running save


class StoreError(Exception):
    """A file that cannot be read or written; the message is for the clerk (Chinese)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class ReadOnlyFile(StoreError):
    """The target is read-only: the window offers 另存为."""


def _temp_name(folder: Path) -> Path:
    # os.urandom, not secrets: secrets brings hashlib and OpenSSL (4 MB) into every start of the window
    return folder / f"{TEMP_PREFIX}{''.join(_TOKEN_ALPHABET[b % len(_TOKEN_ALPHABET)] for b in os.urandom(4))}"


def _new_temp(folder: Path, mode: int) -> tuple[int, Path]:
    """A new temporary file in ``folder``, open for writing and locked."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0) | getattr(os, "O_NOFOLLOW", 0)
    for _attempt in range(100):
        temp = _temp_name(folder)
        try:
            fd = os.open(temp, flags, mode)
        except FileExistsError:
            continue
        _lock(fd)
        return fd, temp
    raise FileExistsError(f"no free temporary name in {folder}")


def _lock(fd: int) -> None:
    """Mark the temporary file as in use (POSIX; on Windows an open file cannot be deleted anyway)."""
    try:
        import fcntl

        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except (ImportError, OSError):
        pass


def _in_use(path: Path) -> bool:
    try:
        import fcntl
    except ImportError:
        return False  # Windows: deleting a file another process holds open fails, which tells
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
    except OSError:
        return True
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        return False
    except OSError:
        return True
    finally:
        os.close(fd)


def remove_stale_temporaries(folder: Path, *, older_than: float = STALE_SECONDS) -> list[Path]:
    """Remove the temporary files a killed save of ours left in ``folder``; the ones removed."""
    removed: list[Path] = []
    now = time.time()
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return removed
    for entry in entries:
        if not (_TEMP_NAME.fullmatch(entry.name) or _OLD_TEMP_NAME.fullmatch(entry.name)):
            continue
        try:
            status = entry.stat(follow_symlinks=False)
            if not stat.S_ISREG(status.st_mode) or now - status.st_mtime < older_than:
                continue
            path = Path(entry.path)
            if _in_use(path):
                continue
            os.unlink(path)
            removed.append(path)
        except OSError:
            continue  # in use (Windows), or gone meanwhile
    return removed


def real_target(path: Path) -> Path:
    """Where a write to ``path`` lands: through symbolic links, to the file they point to."""
    return Path(os.path.realpath(path)) if os.path.islink(path) else path


def check_writable(path: Path, target: Path) -> os.stat_result | None:
    """The existing target's status (None if there is none); refuse a folder, a device, a read-only file."""
    try:
        status = os.stat(target)
    except FileNotFoundError:
        return None
    except OSError as error:
        logged(error, f"stat {target}")
        raise StoreError(f"无法写入“{path}”：{describe(error)}") from None
    if stat.S_ISDIR(status.st_mode):
        raise StoreError(f"无法写入“{path}”：这是一个文件夹，不是文件。请换一个文件名。")
    if not stat.S_ISREG(status.st_mode):
        raise StoreError(f"无法写入“{path}”：这不是普通文件（而是设备、管道等）")
    if not status.st_mode & 0o222 or not os.access(target, os.W_OK):
        raise ReadOnlyFile(f"“{path.name}”是只读文件，未覆盖。请另存为其他文件，或先取消该文件的只读属性。")
    return status


def check_export_target(target: Path, report_path: Path | None = None) -> None:
    """An export never replaces a report: not the one being exported, not any .nianbao, nor its .bak."""
    same = report_path is not None and _same_file(target, report_path)
    name = target.name.lower().rstrip(". ")  # (Windows drops a name's trailing dots and spaces: "R.nianbao." is R.nianbao)
    if same or name.endswith(REPORT_SUFFIX) or name.endswith(REPORT_SUFFIX + ".bak"):
        raise StoreError(f"不能导出到“{target.name}”：这是年报助手的报告文件，导出会覆盖报告本身。请换一个文件名"
                         "（Word 用 .docx，Excel 用 .xlsx）。")


def _same_file(a: Path, b: Path) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return os.path.abspath(a) == os.path.abspath(b)


def _make_backup(target: Path) -> None:
    """``<name>.bak`` := the current target, atomically: staged beside it, then renamed over the old .bak."""
    try:
        staged = _link_beside(target)  # a hard link: nothing to copy, nothing to run out of space for
    except OSError:
        staged = _copy_beside(target)  # no hard links here (FAT, some network shares)
    try:
        replacing.replace(staged, target.with_name(target.name + ".bak"))
    except BaseException:
        staged.unlink(missing_ok=True)
        raise


def _link_beside(target: Path) -> Path:
    for _attempt in range(100):
        staged = _temp_name(target.parent)
        try:
            os.link(target, staged)
            return staged
        except FileExistsError:
            continue
    raise FileExistsError(f"no free temporary name in {target.parent}")


def _copy_beside(target: Path) -> Path:
    fd, staged = _new_temp(target.parent, stat.S_IMODE(os.stat(target).st_mode))
    try:
        with open(target, "rb") as source, os.fdopen(fd, "wb") as copy:
            while chunk := source.read(1024 * 1024):
                copy.write(chunk)
            copy.flush()
            os.fsync(copy.fileno())
    except BaseException:
        staged.unlink(missing_ok=True)
        raise
    return staged


def write_atomic(path: str | os.PathLike, write: Callable[[object], None], *, binary: bool = False,
                 backup: bool = False) -> None:
    """Write through a temporary file in the same folder, fsync, then replace.

    ``write`` receives the open temporary file. When ``backup`` is set and the target exists, it
    first becomes ``<name>.bak`` (atomically). Any failure leaves the target and its .bak untouched
    and raises :class:`StoreError` (Chinese); an exception ``write`` raises itself passes through.
    """
    path = Path(path)
    target = real_target(path)
    folder = target.parent if str(target.parent) else Path(".")
    if binary and target.suffix.lower() == REPORT_SUFFIX:
        check_export_target(target)  # binary content is an export: it never replaces a report
    if not folder.is_dir():
        raise StoreError(f"无法保存：文件夹“{folder}”不存在")
    existing = check_writable(path, target)
    remove_stale_temporaries(folder)
    mode = stat.S_IMODE(existing.st_mode) if existing else 0o666  # new files: the umask decides
    try:
        fd, temp = _new_temp(folder, mode)
    except OSError as error:
        logged(error, f"create a temporary file in {folder}")
        raise StoreError(f"无法保存到文件夹“{folder}”：{describe(error)}") from None
    try:
        if existing and hasattr(os, "fchmod"):
            os.fchmod(fd, mode)  # a replaced file keeps its permissions exactly (the umask would trim them)
        kwargs = {} if binary else {"encoding": "utf-8", "newline": "\n"}
        with os.fdopen(fd, "wb" if binary else "w", **kwargs) as handle:
            write(handle)
            handle.flush()
            os.fsync(handle.fileno())
        if backup and existing:
            try:
                _make_backup(target)
            except OSError as error:
                if not _name_too_long(error):
                    raise
                logged(error, f"no room for the name of {target}.bak")  # as with Word: no backup, but a save
        replacing.replace(temp, target)
    except BaseException as error:
        try:
            os.unlink(temp)
        except OSError:
            pass
        if isinstance(error, OSError):
            raise StoreError(write_failure(path, error)) from None
        raise
    _fsync_folder(folder)


def _name_too_long(error: OSError) -> bool:
    return error.errno == errno.ENAMETOOLONG or getattr(error, "winerror", None) == 206


def write_failure(path: Path, error: OSError) -> str:
    """The clerk's message for a failed write; the original goes to the log."""
    logged(error, f"write {path}")
    if is_disk_full(error):
        return f"无法保存“{path}”：磁盘空间不足。原来的文件没有改动；请清理磁盘空间，或另存到其他磁盘。"
    if isinstance(error, PermissionError):
        return f"无法写入“{path}”：没有权限，或文件正被其他程序（如 Word、WPS）打开。原来的文件没有改动。"
    return f"无法写入“{path}”：{describe(error)}。原来的文件没有改动。"


def _fsync_folder(folder: Path) -> None:
    if os.name != "posix":
        return
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
