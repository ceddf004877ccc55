"""The Windows version resource of nianbao.exe and nianbao-cli.exe (Explorer's 属性 → 详细信息).

Built as PyInstaller's own VSVersionInfo structure (handed to EXE(version=…) in nianbao.spec), so
the test can serialise it with PyInstaller's code and read it back on any platform.
"""

from __future__ import annotations

from PyInstaller.utils.win32.versioninfo import (
    FixedFileInfo,
    StringFileInfo,
    StringStruct,
    StringTable,
    VarFileInfo,
    VarStruct,
    VSVersionInfo,
)

LANGUAGE_CHINESE_PRC = 0x0804  # zh-CN
CODEPAGE_UNICODE = 1200  # the strings are UTF-16


def numeric(version: str) -> tuple[int, int, int, int]:
    """"0.1.0" → (0, 1, 0, 0): the four 16-bit numbers of a Windows file version."""
    parts = [int(part) for part in version.split(".")]
    if not 1 <= len(parts) <= 4 or not all(0 <= part <= 0xFFFF for part in parts):
        raise ValueError(f"not a Windows file version: {version!r}")
    return tuple([*parts, 0, 0, 0][:4])  # type: ignore[return-value]


def version_info(version: str, program: str, description: str) -> VSVersionInfo:
    numbers = numeric(version)
    table = f"{LANGUAGE_CHINESE_PRC:04x}{CODEPAGE_UNICODE:04x}"
    strings = [
        StringStruct("CompanyName", "年报助手"),
        StringStruct("FileDescription", description),
        StringStruct("FileVersion", version),
        StringStruct("InternalName", program),
        StringStruct("OriginalFilename", f"{program}.exe"),
        StringStruct("ProductName", "年报助手"),
        StringStruct("ProductVersion", version),
    ]
    return VSVersionInfo(
        ffi=FixedFileInfo(filevers=numbers, prodvers=numbers),
        kids=[StringFileInfo([StringTable(table, strings)]),
              VarFileInfo([VarStruct("Translation", [LANGUAGE_CHINESE_PRC, CODEPAGE_UNICODE])])],
    )
