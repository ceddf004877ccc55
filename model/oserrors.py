"""Operating-system errors in the clerk's words; the original text goes to the log only.

An ``OSError``'s own text is English ("No space left on device") or, on a Chinese Windows, whatever
the system language says, with an error number; neither belongs in a message to the clerk. The
common causes get a Chinese sentence here; anything else is named by its number, so support can
still look it up in the log.
"""

from __future__ import annotations

import errno
import logging

log = logging.getLogger("nianbao")
log.addHandler(logging.NullHandler())  # no handler configured: nothing leaks to stderr

# Windows system error codes (winerror) for the same causes
_WINDOWS: dict[int, str] = {
    2: "找不到该文件",
    3: "找不到该路径（文件夹不存在）",
    5: "没有权限",
    19: "磁盘有写保护（只读）",
    21: "设备未就绪（如 U 盘已拔出）",
    23: "读写磁盘出错",
    32: "文件正被其他程序（如 Word、WPS）打开",
    33: "文件的一部分被其他程序锁定",
    39: "磁盘空间不足",
    53: "找不到网络路径",
    64: "网络连接已断开",
    67: "找不到网络名称",
    112: "磁盘空间不足",
    123: "文件名、文件夹名或卷标语法不正确",
    206: "文件名或路径太长",
    1117: "读写设备出错",
    1224: "文件正被其他程序映射打开",
}

_POSIX: dict[int, str] = {
    errno.EACCES: "没有权限",
    errno.EPERM: "没有权限",
    errno.ENOENT: "找不到该文件或文件夹",
    errno.EISDIR: "这是一个文件夹，不是文件",
    errno.ENOTDIR: "路径中有一部分不是文件夹",
    errno.ENOSPC: "磁盘空间不足",
    errno.EROFS: "磁盘或文件夹是只读的",
    errno.ENAMETOOLONG: "文件名或路径太长",
    errno.EEXIST: "文件已存在",
    errno.EIO: "读写磁盘出错",
    errno.EBUSY: "文件正被其他程序占用",
    errno.ETXTBSY: "文件正被其他程序占用",
    errno.ELOOP: "符号链接层次过多（可能是循环链接）",
    errno.EMFILE: "同时打开的文件过多",
    errno.ENFILE: "同时打开的文件过多",
    errno.ENXIO: "设备不可用",
    errno.ENODEV: "设备不可用",
    errno.EINVAL: "文件名或操作无效",
    errno.EFBIG: "文件过大",
    errno.EXDEV: "不能跨磁盘移动文件",
    errno.ETIMEDOUT: "网络连接超时",
    errno.ENETUNREACH: "网络不可达",
    errno.EHOSTDOWN: "网络上的计算机不可用",
    errno.ESTALE: "网络文件已失效，请重新打开文件夹",
}
if hasattr(errno, "EDQUOT"):
    _POSIX[errno.EDQUOT] = "磁盘配额已用完"


def describe(error: OSError) -> str:
    """Why ``error`` happened, in Chinese (no English system text, no class names)."""
    winerror = getattr(error, "winerror", None)
    if isinstance(winerror, int) and winerror in _WINDOWS:
        return _WINDOWS[winerror]
    if isinstance(error, PermissionError) and error.errno is None:
        return "没有权限"
    if error.errno in _POSIX:
        return _POSIX[error.errno]  # type: ignore[index]
    number = winerror if isinstance(winerror, int) else error.errno
    return f"系统错误（错误码 {number}）" if number is not None else "系统错误"


def is_disk_full(error: OSError) -> bool:
    return error.errno in (errno.ENOSPC, getattr(errno, "EDQUOT", -1)) or getattr(error, "winerror", None) in (39, 112)


def logged(error: BaseException, context: str) -> None:
    """Keep the original error (English text, class, traceback) in the log for support."""
    log.warning("%s: %s", context, error, exc_info=(type(error), error, error.__traceback__))
