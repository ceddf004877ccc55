"""Where LibreOffice is installed, to convert an old .doc: PATH first, then where installers put it.

On Windows LibreOffice is rarely on PATH: its installer records the ``program`` folder in the
registry (``SOFTWARE\\LibreOffice\\UNO\\InstallPath``, under HKLM or HKCU, for a 32-bit build on 64-bit
Windows under ``WOW6432Node``), and otherwise it sits in ``Program Files\\LibreOffice\\program``. On
Linux the distribution's package puts it on PATH; The Document Foundation's own packages (common on
Kylin/UOS) install under /opt/libreofficeX.Y.
"""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path, PureWindowsPath
from typing import Any

REGISTRY_KEYS = (r"SOFTWARE\LibreOffice\UNO\InstallPath", r"SOFTWARE\WOW6432Node\LibreOffice\UNO\InstallPath")
_WINDOWS_FOLDERS = ("ProgramFiles", "ProgramW6432", "ProgramFiles(x86)")
_POSIX_GLOBS = ("/opt/libreoffice*/program/soffice", "/usr/lib/libreoffice/program/soffice",
                "/usr/lib64/libreoffice/program/soffice", "/snap/bin/libreoffice",
                "/Applications/LibreOffice.app/Contents/MacOS/soffice")


def registry_folders(winreg: Any) -> Iterator[PureWindowsPath]:
    """The ``program`` folders the registry names (HKLM before HKCU; 64-bit view, then WOW6432Node)."""
    for hive in (winreg.HKEY_LOCAL_MACHINE, winreg.HKEY_CURRENT_USER):
        for key_name in REGISTRY_KEYS:
            try:
                key = winreg.OpenKey(hive, key_name)
            except OSError:
                continue
            try:
                yield from _string_values(winreg, key)
            finally:
                winreg.CloseKey(key)


def _string_values(winreg: Any, key: Any) -> Iterator[PureWindowsPath]:
    """The key's default value, then any other string values (some versions name theirs)."""
    try:
        value, _kind = winreg.QueryValueEx(key, "")
        if isinstance(value, str) and value:
            yield PureWindowsPath(value)
    except OSError:
        pass
    index = 0
    while True:
        try:
            name, value, _kind = winreg.EnumValue(key, index)
        except OSError:
            return
        index += 1
        if name and isinstance(value, str) and value:
            yield PureWindowsPath(value)


def find_soffice(*, which: Callable[[str], str | None] = shutil.which, platform: str = sys.platform,
                 winreg: Any = None, environ: Mapping[str, str] = os.environ,
                 is_file: Callable[[Path], bool] = Path.is_file, glob: Callable[[str], list[str]] | None = None) -> Path | None:
    """The LibreOffice program to run, or None when there is none."""
    for name in ("soffice", "libreoffice"):
        found = which(name)
        if found:
            return Path(found)
    if platform == "win32":
        return _find_on_windows(winreg, environ, is_file)
    import glob as globbing

    for pattern in _POSIX_GLOBS:
        for candidate in sorted((glob or globbing.glob)(pattern), reverse=True):  # the newest version first
            if is_file(Path(candidate)):
                return Path(candidate)
    return None


def _find_on_windows(winreg: Any, environ: Mapping[str, str], is_file: Callable[[Path], bool]) -> Path | None:
    if winreg is None:
        try:
            import winreg  # type: ignore[no-redef]
        except ImportError:
            winreg = None
    folders: list[PureWindowsPath] = list(registry_folders(winreg)) if winreg is not None else []
    for variable in _WINDOWS_FOLDERS:
        base = environ.get(variable)
        if base:
            folders.append(PureWindowsPath(base) / "LibreOffice" / "program")
    local = environ.get("LOCALAPPDATA")
    if local:
        folders.append(PureWindowsPath(local) / "Programs" / "LibreOffice" / "program")
    for folder in folders:
        candidate = Path(str(folder / "soffice.exe"))
        if is_file(candidate):
            return candidate
    return None
