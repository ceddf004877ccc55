"""The Windows bundle's contents, proven on Linux from the real win_amd64 wheels (pip download --platform
win_amd64): what nianbao.spec keeps of PySide6 carries the Windows platform plugin, the Windows 11 style and
Qt's Chinese translation, and every Qt library a kept plugin imports (read from its PE import table with
pefile, the parser PyInstaller uses on Windows) is kept too. The version resource goes through PyInstaller's
own serialiser and parser."""

from __future__ import annotations

import os
import struct
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from tests.conftest import ROOT

sys.path.insert(0, str(ROOT / "packaging"))
from bundle_contents import keep, version

WHEELS = Path(os.environ.get("NIANBAO_WHEEL_CACHE", ROOT / "build" / "win-wheels"))


def _pyside_version() -> str:
    from importlib.metadata import version as installed

    return installed("PySide6-Essentials")


@pytest.fixture(scope="module")
def wheel() -> zipfile.ZipFile:
    """The PySide6-Essentials win_amd64 wheel of the version installed here (downloaded once, kept in build/)."""
    wanted = _pyside_version()
    found = sorted(WHEELS.glob(f"pyside6_essentials-{wanted}-*win_amd64.whl"))
    if not found:
        WHEELS.mkdir(parents=True, exist_ok=True)
        result = subprocess.run([sys.executable, "-m", "pip", "download", "--no-deps", "--only-binary=:all:",
                                 "--platform", "win_amd64", "--python-version", "3.11", "-d", str(WHEELS),
                                 f"PySide6-Essentials=={wanted}"], capture_output=True, text=True, timeout=900)
        found = sorted(WHEELS.glob(f"pyside6_essentials-{wanted}-*win_amd64.whl"))
        if not found:
            pytest.skip(f"the win_amd64 wheel could not be downloaded: {result.stderr[-500:]}")
    return zipfile.ZipFile(found[-1])


def _kept(wheel: zipfile.ZipFile) -> set[str]:
    return {name for name in wheel.namelist() if name.startswith("PySide6/") and keep(name, windows=True)}


def test_the_windows_bundle_keeps_the_platform_plugin_style_and_translation(wheel):
    kept = _kept(wheel)
    assert "PySide6/plugins/platforms/qwindows.dll" in kept
    assert "PySide6/plugins/platforms/qoffscreen.dll" in kept  # the self-test runs offscreen
    assert "PySide6/plugins/styles/qmodernwindowsstyle.dll" in kept  # Windows 11's look
    assert "PySide6/plugins/imageformats/qico.dll" in kept
    assert {name for name in kept if name.endswith(".qm")} == {"PySide6/translations/qtbase_zh_CN.qm"}
    assert {"PySide6/Qt6Core.dll", "PySide6/Qt6Gui.dll", "PySide6/Qt6Widgets.dll"} <= kept
    for dropped in ("Qt6Network.dll", "Qt6Qml.dll", "Qt6Quick.dll", "Qt6DBus.dll", "Qt6OpenGL.dll"):
        assert f"PySide6/{dropped}" not in kept


def test_every_qt_library_a_kept_plugin_imports_is_kept(wheel, tmp_path):
    import pefile

    kept = _kept(wheel)
    kept_libraries = {Path(name).name.lower() for name in kept}
    in_wheel = {Path(name).name.lower() for name in wheel.namelist()}
    checked = 0
    for name in sorted(kept):
        if not name.endswith(".dll") or "/plugins/" not in name:
            continue
        path = tmp_path / Path(name).name
        path.write_bytes(wheel.read(name))
        image = pefile.PE(str(path), fast_load=True)
        image.parse_data_directories(directories=[pefile.DIRECTORY_ENTRY["IMAGE_DIRECTORY_ENTRY_IMPORT"],
                                                  pefile.DIRECTORY_ENTRY["IMAGE_DIRECTORY_ENTRY_DELAY_IMPORT"]])
        imports = {entry.dll.decode().lower() for entry in getattr(image, "DIRECTORY_ENTRY_IMPORT", [])}
        imports |= {entry.dll.decode().lower() for entry in getattr(image, "DIRECTORY_ENTRY_DELAY_IMPORT", [])}
        image.close()
        # Qt's own libraries and the MSVC runtime come with the wheel; the rest is Windows itself
        ours = {dll for dll in imports if dll.startswith("qt6") or dll in in_wheel}
        assert ours <= kept_libraries, f"{name} needs {sorted(ours - kept_libraries)}, which the bundle drops"
        checked += 1
    assert checked >= 6


def test_the_virtual_keyboard_plugin_is_dropped(wheel):
    """It imports Qt6VirtualKeyboard.dll, which the Essentials wheel does not carry: it could never load."""
    plugin = "PySide6/plugins/platforminputcontexts/qtvirtualkeyboardplugin.dll"
    assert plugin in wheel.namelist() and plugin not in _kept(wheel)
    assert not any(name.endswith("Qt6VirtualKeyboard.dll") for name in wheel.namelist())


class _WindowsStruct:
    """struct with Windows x64's sizes: PyInstaller packs the resource with native "L", 4 bytes on Windows
    (LLP64) but 8 on Linux — the simulated platform answer that lets its serialiser run here."""

    @staticmethod
    def pack(fmt: str, *values: object) -> bytes:
        return struct.pack("<" + fmt, *values)

    @staticmethod
    def unpack(fmt: str, data: bytes) -> tuple:
        return struct.unpack("<" + fmt, data)


def test_the_version_resource_through_pyinstallers_parser(monkeypatch, tmp_path):
    compat = pytest.importorskip("PyInstaller.compat", reason="the build extra is not installed: pip install .[build]")
    if not hasattr(compat, "win32api"):  # only needed to write the resource into an .exe, on Windows
        monkeypatch.setattr(compat, "win32api", None, raising=False)
    from PyInstaller.utils.win32 import versioninfo
    from version_resource import numeric, version_info

    program_version = version(ROOT)
    info = version_info(program_version, "nianbao-cli", "年报助手（命令行）")
    # PyInstaller's text form (what a version file holds) read back by its own parser
    text_file = tmp_path / "version.txt"
    text_file.write_text(str(info), encoding="utf-8")
    assert versioninfo.load_version_info_from_text_file(str(text_file)) == info
    # the binary resource, as written into the .exe on Windows, parsed back
    if sys.platform != "win32":
        monkeypatch.setattr(versioninfo, "struct", _WindowsStruct)
    raw = info.toRaw()
    assert raw[6:38].decode("utf-16-le") == "VS_VERSION_INFO\0"
    assert len(raw) == struct.unpack("<H", raw[:2])[0]
    parsed = versioninfo.VSVersionInfo()
    parsed.fromRaw(raw)
    assert parsed == info
    strings = {kid.name: kid.val for kid in parsed.kids[0].kids[0].kids}
    assert strings["ProductName"] == "年报助手" and strings["FileVersion"] == program_version
    assert strings["OriginalFilename"] == "nianbao-cli.exe" and strings["FileDescription"] == "年报助手（命令行）"
    assert parsed.kids[0].kids[0].name == "080404b0"  # zh-CN, UTF-16
    major, minor, patch, build = numeric(program_version)
    assert parsed.ffi.fileVersionMS == (major << 16) | minor and parsed.ffi.fileVersionLS == (patch << 16) | build
    with pytest.raises(ValueError):
        numeric("0.2.0rc1")


def test_the_version_comes_from_model_version():
    from model.version import __version__

    assert version(ROOT) == __version__
