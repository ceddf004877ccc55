"""The self-test's check of the Qt parts a bundle must carry for the platform it runs on.

A bundle missing its platform plugin (qwindows.dll, libqxcb.so) cannot open a window at all, and one
missing Qt's Chinese translation shows English buttons in every dialog; neither shows in an offscreen
self-test otherwise. The plugin is loaded, not just found: on Linux that also proves the system
libraries it needs (libxcb-cursor0 …) are installed, and names the missing one when they are not.
"""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import QLibraryInfo, QPluginLoader, QTranslator

PLATFORM_PLUGINS = {"win32": "qwindows.dll", "linux": "libqxcb.so", "darwin": "libqcocoa.dylib"}
TRANSLATION = "qtbase_zh_CN"


class MissingPart(Exception):
    pass


def platform_plugin(platform: str, plugins: Path) -> Path:
    name = next((file for prefix, file in PLATFORM_PLUGINS.items() if platform.startswith(prefix)), None)
    if name is None:
        raise MissingPart(f"不支持的平台：{platform}")
    return plugins / "platforms" / name


def check_qt_parts(platform: str | None = None, plugins: Path | None = None,
                   translations: Path | None = None) -> str:
    """Raise MissingPart (a Chinese message) unless the platform plugin loads and Qt's buttons are Chinese."""
    platform = platform or sys.platform
    plugins = plugins or Path(QLibraryInfo.path(QLibraryInfo.LibraryPath.PluginsPath))
    translations = translations or Path(QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath))
    plugin = platform_plugin(platform, plugins)
    if not plugin.is_file():
        raise MissingPart(f"缺少 Qt 平台插件 {plugin}（没有它无法打开窗口）")
    loader = QPluginLoader(str(plugin))
    if not loader.load():
        raise MissingPart(f"Qt 平台插件 {plugin.name} 无法加载：{loader.errorString()}")
    translator = QTranslator()
    if not translator.load(TRANSLATION, str(translations)):
        raise MissingPart(f"缺少 Qt 的中文翻译 {translations / (TRANSLATION + '.qm')}（对话框按钮会显示英文）")
    cancel = translator.translate("QPlatformTheme", "Cancel")
    if cancel != "取消":
        raise MissingPart(f"Qt 的中文翻译不完整：“Cancel”译作“{cancel}”")
    return f"{plugin.name}、{TRANSLATION}.qm"
