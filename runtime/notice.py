"""A message to the clerk when there is no console to print it on: the windowed Windows program
(nianbao.exe has no stdout or stderr) tells `--help`, a usage error or an unexpected error in a
message box. Windows' own MessageBoxW (through ctypes), not Qt's: it needs no QApplication and works
even when Qt cannot start (a missing platform plugin is exactly when the clerk must be told).

NIANBAO_NO_DIALOGS=1 turns the boxes off (scripts, the build's smoke test): the text is then only in the log.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from typing import Any

# MessageBoxW flags (winuser.h)
MB_OK = 0x0
MB_ICONERROR = 0x10
MB_ICONWARNING = 0x30
MB_ICONINFORMATION = 0x40
MB_SETFOREGROUND = 0x10000

ICONS = {"information": MB_ICONINFORMATION, "warning": MB_ICONWARNING, "error": MB_ICONERROR}


def dialogs_allowed(env: dict[str, str] | os._Environ[str] | None = None) -> bool:
    env = os.environ if env is None else env
    return env.get("NIANBAO_NO_DIALOGS", "") in ("", "0")


def _user32() -> Any:
    import ctypes
    from ctypes import wintypes

    user32 = ctypes.WinDLL("user32", use_last_error=True)  # type: ignore[attr-defined]
    user32.MessageBoxW.argtypes = [wintypes.HWND, wintypes.LPCWSTR, wintypes.LPCWSTR, wintypes.UINT]
    user32.MessageBoxW.restype = ctypes.c_int
    return user32


def show(title: str, text: str, kind: str = "information", *, platform: str | None = None,
         user32: Callable[[], Any] = _user32) -> bool:
    """Show a message box and wait for the clerk to close it; True when one was shown.
    Only on Windows (elsewhere the program has a terminal or a window of its own to speak through)."""
    platform = platform or sys.platform
    if platform != "win32" or not dialogs_allowed():
        return False
    try:
        box = user32().MessageBoxW
        return box(None, text, title, MB_OK | ICONS[kind] | MB_SETFOREGROUND) != 0
    except (OSError, AttributeError):
        return False
