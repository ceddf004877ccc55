"""What the PyInstaller bundle keeps of PySide6 (used by nianbao.spec; tested against the real wheels).

Only QtCore, QtGui and QtWidgets are used. Of Qt's plugins only what a desktop window needs: the
platforms, the input methods, the platform themes, the styles (Windows 11's look is a style plugin)
and a few image formats; of Qt's translations only qtbase_zh_CN.qm (gui/app.py loads it). A plugin
is kept only if the Qt libraries it links against are kept too: the Windows wheel's virtual keyboard
plugin needs Qt6VirtualKeyboard.dll, which the Essentials wheel does not carry.
"""

from __future__ import annotations

import re
from pathlib import Path

QT_MODULES_NOT_USED = (
    "Qt3DAnimation", "Qt3DCore", "Qt3DExtras", "Qt3DInput", "Qt3DLogic", "Qt3DRender", "QtAxContainer", "QtBluetooth",
    "QtCharts", "QtConcurrent", "QtDataVisualization", "QtDBus", "QtDesigner", "QtGraphs", "QtHelp", "QtHttpServer",
    "QtLocation", "QtMultimedia", "QtMultimediaWidgets", "QtNetwork", "QtNetworkAuth", "QtNfc", "QtOpenGL",
    "QtOpenGLWidgets", "QtPdf", "QtPdfWidgets", "QtPositioning", "QtPrintSupport", "QtQml", "QtQuick", "QtQuick3D",
    "QtQuickControls2", "QtQuickWidgets", "QtRemoteObjects", "QtScxml", "QtSensors", "QtSerialBus", "QtSerialPort",
    "QtSpatialAudio", "QtSql", "QtStateMachine", "QtSvg", "QtSvgWidgets", "QtTest", "QtTextToSpeech", "QtUiTools",
    "QtWebChannel", "QtWebEngineCore", "QtWebEngineQuick", "QtWebEngineWidgets", "QtWebSockets", "QtXml",
)
EXCLUDES = [f"PySide6.{name}" for name in QT_MODULES_NOT_USED] + ["tkinter", "pytest", "hypothesis", "pytestqt", "ruff"]

# plugin folders (under PySide6/Qt/plugins on Linux, PySide6/plugins on Windows) and the files kept in each
# (a file is kept when its name contains one of the parts); everything else under plugins/ is dropped
PLUGINS_KEPT: dict[str, tuple[str, ...]] = {
    "platforms": ("qxcb", "qoffscreen", "qwayland", "qminimal", "qwindows"),
    "platforminputcontexts": ("",),
    "platformthemes": ("",),
    "imageformats": ("qico", "qjpeg", "qgif"),
    "xcbglintegrations": ("",),
    "wayland-shell-integration": ("",),
    "wayland-decoration-client": ("",),
    "wayland-graphics-integration-client": ("",),
    "styles": ("",),
}
PLUGINS_DROPPED = ("virtualkeyboard",)
TRANSLATIONS_KEPT = ("qtbase_zh_CN.qm",)
QT_LIBRARIES_DROPPED = re.compile(r"Qt6(Network|Qml|Quick|Pdf|Svg|OpenGL|Sql|Test|Xml|DBus|VirtualKeyboard)")


def keep(destination: str, windows: bool) -> bool:
    """Whether a file PyInstaller collected (its path inside the bundle) goes into the bundle."""
    dest = destination.replace("\\", "/")
    if "/Qt/plugins/" in dest or dest.startswith("PySide6/plugins/"):
        tail = dest.split("/plugins/", 1)[1]
        folder, _, name = tail.partition("/")
        if any(part in name.lower() for part in PLUGINS_DROPPED):
            return False
        return folder in PLUGINS_KEPT and any(part in name for part in PLUGINS_KEPT[folder])
    if "/translations/" in dest and dest.endswith(".qm"):
        return Path(dest).name in TRANSLATIONS_KEPT
    if QT_LIBRARIES_DROPPED.search(dest):
        return "Qt6DBus" in dest and not windows  # libQt6DBus is needed by the xcb platform on Linux
    return True


def version(root: Path) -> str:
    """The program's version, from model/version.py (the one place it is written)."""
    text = (root / "model" / "version.py").read_text(encoding="utf-8")
    match = re.search(r'^__version__ = "([^"]+)"', text, re.MULTILINE)
    if match is None:
        raise ValueError("model/version.py has no __version__")
    return match.group(1)
