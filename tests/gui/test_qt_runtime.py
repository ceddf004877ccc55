"""The window's runtime around Qt: no display, Qt's stray messages, unexpected errors in slots, the light
palette, and the self-test's check of the bundle's Qt parts — each with the other platforms' answers simulated."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from gui.display import NO_DISPLAY, fatal_text, missing_display
from tests.conftest import ROOT


@pytest.mark.parametrize(("env", "platform", "missing"), [
    ({}, "linux", True),
    ({"DISPLAY": ":0"}, "linux", False),
    ({"WAYLAND_DISPLAY": "wayland-0"}, "linux", False),
    ({"QT_QPA_PLATFORM": "offscreen"}, "linux", False),
    ({"QT_QPA_PLATFORM": "xcb"}, "linux", True),
    ({"QT_QPA_PLATFORM": "xcb", "WAYLAND_DISPLAY": "wayland-0"}, "linux", True),
    ({"QT_QPA_PLATFORM": "wayland;xcb", "DISPLAY": ":0"}, "linux", True),
    ({"QT_QPA_PLATFORM": "minimal:enable_fonts"}, "linux", False),
    ({}, "win32", False),  # Windows always has a desktop
    ({}, "darwin", False),
])
def test_missing_display(env, platform, missing):
    assert missing_display(env, platform) == (NO_DISPLAY if missing else None)


def test_fatal_text_names_the_display_or_the_plugin():
    unreachable = fatal_text("This application failed to start because no Qt platform plugin could be initialized.",
                             ["qt.qpa.xcb: could not connect to display :5"], {"DISPLAY": ":5"})
    assert unreachable.startswith("无法打开窗口：连接不上图形显示 :5。")
    plugin = fatal_text("This application failed to start because no Qt platform plugin could be initialized.",
                        ['qt.qpa.plugin: Could not load the Qt platform plugin "xcb" in "" even though it was found.'], {})
    assert plugin.startswith("无法打开窗口：Qt 的图形界面插件无法加载。") and "libxcb-cursor0" in plugin


def _environment(changes: dict[str, str | None]) -> dict[str, str]:
    """The test's environment (its temporary home: tests/conftest.py) with ``changes`` (None: removed)."""
    env = dict(os.environ)
    for name, value in changes.items():
        if value is None:
            env.pop(name, None)
        else:
            env[name] = value
    return env


def _program(env_changes: dict[str, str | None], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, str(ROOT / "cli.py"), *args], capture_output=True, text=True,
                          encoding="utf-8", env=_environment(env_changes), cwd=ROOT, timeout=300)


def _log_of(env: dict[str, str]) -> str:
    """The log a program started with ``env`` writes: the path runtime.logfile gives in such a program
    (XDG_STATE_HOME on Linux; on Windows platformdirs' own folder, which ignores XDG_*)."""
    asked = subprocess.run([sys.executable, "-c", f"import sys; sys.path.insert(0, {str(ROOT)!r}); "
                            "from runtime.logfile import log_path; print(log_path())"],
                           capture_output=True, text=True, encoding="utf-8", env=env, timeout=120)
    assert asked.returncode == 0, asked.stderr
    return Path(asked.stdout.strip()).read_text(encoding="utf-8")


# Windows always has a desktop: missing_display() is None there, and a real window would open
no_display_on_windows = pytest.mark.skipif(sys.platform == "win32", reason="Windows always has a display")


@no_display_on_windows
def test_no_display_is_told_in_chinese_before_qt_starts():
    result = _program({"DISPLAY": None, "WAYLAND_DISPLAY": None, "QT_QPA_PLATFORM": None})
    assert result.returncode == 2
    assert result.stderr.strip() == NO_DISPLAY


@no_display_on_windows
def test_a_display_that_does_not_answer_is_told_in_chinese_not_qt_abort():
    changes: dict[str, str | None] = {"DISPLAY": ":987", "WAYLAND_DISPLAY": None, "QT_QPA_PLATFORM": None}
    result = _program(changes)
    assert result.returncode == 2  # not Qt's abort (-6) with a core dump
    assert result.stderr.strip().startswith("无法打开窗口：连接不上图形显示 :987。")
    assert "Qt platform plugin" not in result.stderr and "could not connect" not in result.stderr
    log = _log_of(_environment(changes))
    assert "could not connect to display :987" in log and "no Qt platform plugin could be initialized" in log


def test_qt_messages_go_to_the_log_not_the_terminal():
    """The offscreen platform's "This plugin does not support propagateSizeHints()" during --self-test."""
    changes: dict[str, str | None] = {"QT_QPA_PLATFORM": "offscreen"}
    result = _program(changes, "--self-test")
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stderr == ""
    assert "propagateSizeHints" not in result.stdout
    assert "WARNING nianbao.qt: This plugin does not support propagateSizeHints()" in _log_of(_environment(changes))


SLOT_ERROR = textwrap.dedent("""
    import json
    import sys
    sys.path.insert(0, {root!r})
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QMessageBox
    from runtime import crash, logfile
    from gui.app import application

    logfile.start_logging()
    crash.install()
    app = application()
    seen = []

    def fail():
        raise ZeroDivisionError("在槽函数中")

    def answer():
        box = QApplication.activeModalWidget()
        seen.append((box.windowTitle(), box.text()) if isinstance(box, QMessageBox) else None)
        box.accept()

    QTimer.singleShot(0, fail)
    QTimer.singleShot(200, answer)
    QTimer.singleShot(400, app.quit)
    app.exec()
    print(json.dumps({{"seen": seen, "log": str(logfile.log_path())}}, ensure_ascii=False))
""")


def test_an_exception_in_a_qt_slot_is_logged_and_told_in_a_dialog():
    # the child prints Chinese into a pipe: UTF-8 (on Windows a pipe would be in the ANSI code page, cp1252)
    env = _environment({"QT_QPA_PLATFORM": "offscreen", "NIANBAO_NO_DIALOGS": None, "PYTHONIOENCODING": "utf-8"})
    result = subprocess.run([sys.executable, "-c", SLOT_ERROR.format(root=str(ROOT))], capture_output=True, text=True,
                            encoding="utf-8", env=env, timeout=120)
    assert result.returncode == 0, result.stderr
    answer = json.loads(result.stdout.strip())
    [(title, text)] = answer["seen"]
    assert title == "年报助手 — 意外错误"
    assert text.startswith("年报助手遇到意外错误") and "ZeroDivisionError: 在槽函数中" in text
    log = Path(answer["log"]).read_text(encoding="utf-8")
    assert "Traceback" in log and "in fail" in log and "ZeroDivisionError: 在槽函数中" in log
    assert "Traceback" not in result.stderr


# --- the palette ------------------------------------------------------------------------------------------

def _luminance(hex_colour: str) -> float:
    from PySide6.QtGui import QColor

    colour = QColor(hex_colour)

    def channel(value: float) -> float:
        return value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4

    return 0.2126 * channel(colour.redF()) + 0.7152 * channel(colour.greenF()) + 0.0722 * channel(colour.blueF())


def _contrast(first: str, second: str) -> float:
    a, b = sorted((_luminance(first), _luminance(second)), reverse=True)
    return (a + 0.05) / (b + 0.05)


def _hard_coded_backgrounds() -> set[str]:
    """Every light background colour written into gui/ (QColor("#…") and style sheets' background:#…)."""
    found = set()
    for path in (ROOT / "gui").glob("*.py"):
        text = path.read_text(encoding="utf-8")
        found |= set(re.findall(r"background:\s*(#[0-9a-fA-F]{3,6})", text))
        found |= {c for c in re.findall(r'QColor\("(#[0-9a-fA-F]{6})"\)', text) if _luminance(c) > 0.5}
    return found


def test_dark_system_palette_is_replaced_by_the_light_one(qapp):
    """Windows 11 in dark mode with Qt ≥ 6.7 hands the program a dark palette (simulated here)."""
    from PySide6.QtGui import QColor, QPalette

    from gui.palette import is_dark, keep_light, light_palette

    style, palette = qapp.style().name(), qapp.palette()
    dark = QPalette(QColor("#202020"))  # what the windows11 style gives in dark mode: dark window, light text
    dark.setColor(QPalette.ColorRole.WindowText, QColor("#ffffff"))
    dark.setColor(QPalette.ColorRole.Text, QColor("#ffffff"))
    dark.setColor(QPalette.ColorRole.Base, QColor("#2b2b2b"))
    try:
        qapp.setPalette(dark)
        assert is_dark(qapp.palette())
        assert keep_light(qapp) == "fusion"
        assert not is_dark(qapp.palette())
        assert qapp.palette().color(QPalette.ColorRole.Text) == light_palette().color(QPalette.ColorRole.Text)
        assert qapp.style().name().lower() == "fusion"
        assert keep_light(qapp) == "scheme"  # already light: nothing more to do
    finally:
        qapp.setStyle(style)
        qapp.setPalette(palette)


def test_hard_coded_light_colours_in_gui_are_readable_on_the_light_palette_only():
    """The colours gui/ paints behind text assume dark text: readable with the light palette's text colour
    (contrast ≥ 4.5, WCAG AA), unreadable with a dark scheme's white text — hence the fixed light palette."""
    from PySide6.QtGui import QPalette

    from gui.palette import light_palette

    text = light_palette().color(QPalette.ColorRole.Text).name()
    backgrounds = _hard_coded_backgrounds()
    assert {"#ffffff", "#e4e4e4", "#f6c6c6", "#fff3d6"} <= backgrounds  # found where they are written
    assert all(_contrast(text, colour) >= 4.5 for colour in backgrounds), backgrounds
    assert any(_contrast("#ffffff", colour) < 1.5 for colour in backgrounds)  # white text on them: unreadable


# --- the self-test's check of the Qt parts -----------------------------------------------------------------

def test_qt_parts_of_this_platform_are_found_and_load():
    from gui.qt_bundle import check_qt_parts

    if not sys.platform.startswith(("linux", "win32")):
        pytest.skip("the bundle is built for Windows and Linux")
    expected = "qwindows.dll" if sys.platform == "win32" else "libqxcb.so"
    assert check_qt_parts() == f"{expected}、qtbase_zh_CN.qm"


@pytest.mark.parametrize(("platform", "plugin"), [("win32", "qwindows.dll"), ("linux", "libqxcb.so")])
def test_a_bundle_without_its_platform_plugin_fails_the_self_test(tmp_path, platform, plugin):
    from gui.qt_bundle import MissingPart, check_qt_parts

    (tmp_path / "platforms").mkdir()
    with pytest.raises(MissingPart, match=f"缺少 Qt 平台插件 .*{re.escape(plugin)}"):
        check_qt_parts(platform, plugins=tmp_path, translations=tmp_path)
    (tmp_path / "platforms" / plugin).write_bytes(b"MZ not a real library")
    with pytest.raises(MissingPart, match=f"Qt 平台插件 {re.escape(plugin)} 无法加载"):
        check_qt_parts(platform, plugins=tmp_path, translations=tmp_path)


def test_a_bundle_without_the_chinese_translation_fails_the_self_test(tmp_path):
    from PySide6.QtCore import QLibraryInfo

    from gui.qt_bundle import MissingPart, check_qt_parts

    plugins = Path(QLibraryInfo.path(QLibraryInfo.LibraryPath.PluginsPath))
    if not (plugins / "platforms" / "libqxcb.so").is_file():
        pytest.skip("needs the Linux wheel's xcb plugin")
    with pytest.raises(MissingPart, match="缺少 Qt 的中文翻译"):
        check_qt_parts("linux", plugins=plugins, translations=tmp_path)
