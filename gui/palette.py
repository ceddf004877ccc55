"""The window is light on purpose, whatever the system's colour scheme.

The grids imitate the printed official tables, and their colours carry meaning (white cells are typed
in, grey ones are computed, red and amber mark problems); gui/ paints those backgrounds with fixed light
colours and dark text. With Windows 11 in dark mode, Qt ≥ 6.7 (the windows11 style) and Linux desktops
with a dark theme hand the program a dark palette: white text on those light cells, and dark text on
dark editors, would be unreadable. So the program asks Qt for the light scheme (Qt ≥ 6.8: the title bar
and the native style follow), and if the palette is still dark — Qt 6.5–6.7, or a platform theme that
ignores the request — it switches to the Fusion style with the classic light palette below.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication

Role = QPalette.ColorRole
Group = QPalette.ColorGroup

LIGHT = {
    Role.Window: "#efefef", Role.WindowText: "#000000", Role.Base: "#ffffff", Role.AlternateBase: "#f7f7f7",
    Role.ToolTipBase: "#ffffdc", Role.ToolTipText: "#000000", Role.PlaceholderText: "#7f7f7f",
    Role.Text: "#000000", Role.Button: "#efefef", Role.ButtonText: "#000000", Role.BrightText: "#ffffff",
    Role.Light: "#ffffff", Role.Midlight: "#cacaca", Role.Mid: "#b8b8b8", Role.Dark: "#9f9f9f",
    Role.Shadow: "#767676", Role.Highlight: "#308cc6", Role.HighlightedText: "#ffffff",
    Role.Link: "#0000ff", Role.LinkVisited: "#ff00ff",
}
DISABLED = {Role.WindowText: "#8c8c8c", Role.Text: "#8c8c8c", Role.ButtonText: "#8c8c8c",
            Role.Base: "#efefef", Role.Highlight: "#919191"}


def light_palette() -> QPalette:
    palette = QPalette()
    for role, colour in LIGHT.items():
        palette.setColor(role, QColor(colour))
    for role, colour in DISABLED.items():
        palette.setColor(Group.Disabled, role, QColor(colour))
    return palette


def is_dark(palette: QPalette) -> bool:
    """Dark when the window background is darker than its text."""
    return palette.color(Role.Window).lightness() < palette.color(Role.WindowText).lightness()


def keep_light(app: QApplication) -> str:
    """Make the program light; says how ("scheme": Qt's own light scheme, "fusion": our palette)."""
    hints = app.styleHints()
    if hasattr(hints, "setColorScheme"):  # Qt 6.8 and later
        hints.setColorScheme(Qt.ColorScheme.Light)
    if not is_dark(app.palette()):
        return "scheme"
    app.setStyle("Fusion")
    app.setPalette(light_palette())
    return "fusion"
