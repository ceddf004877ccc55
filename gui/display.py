"""Whether Qt can open a window here, told in Chinese instead of Qt's English abort.

Without a display Qt's xcb platform ends the program with "could not connect to display … This
application failed to start because no Qt platform plugin could be initialized" and a core dump. The
common case — no DISPLAY and no WAYLAND_DISPLAY (a terminal over ssh, a service) — is found before Qt
starts; the rest (a display that does not answer, a platform plugin that cannot load for a missing
system library) arrives as Qt's fatal message, which gui/qt_messages.py turns into fatal_text().
No Qt here: plain decisions, tested with the other platforms' answers.
"""

from __future__ import annotations

from collections.abc import Mapping

NO_DISPLAY = ("无法打开窗口：没有可用的图形显示（未设置 DISPLAY 或 WAYLAND_DISPLAY）。\n"
              "请在图形桌面中启动年报助手；在终端中可以使用 nianbao check、nianbao export 等命令（nianbao --help）。")
# platforms that need no display server (QT_QPA_PLATFORM's name, before any ":options")
HEADLESS = ("offscreen", "minimal", "vnc", "eglfs", "linuxfb", "vkkhrdisplay")


def _platform_name(env: Mapping[str, str]) -> str:
    return env.get("QT_QPA_PLATFORM", "").split(";")[0].split(":")[0].strip().lower()


def missing_display(env: Mapping[str, str], platform: str) -> str | None:
    """The Chinese message when this Unix session has no display Qt could use, else None."""
    if platform.startswith(("win", "darwin")):
        return None
    name = _platform_name(env)
    if name in HEADLESS:
        return None
    x11, wayland = bool(env.get("DISPLAY")), bool(env.get("WAYLAND_DISPLAY"))
    if name == "xcb":
        return None if x11 else NO_DISPLAY
    if name.startswith("wayland"):
        return None if wayland else NO_DISPLAY
    return None if (x11 or wayland) else NO_DISPLAY


def fatal_text(message: str, earlier: list[str], env: Mapping[str, str]) -> str:
    """Qt's fatal message (with the warnings before it) in the clerk's words."""
    seen = "\n".join([*earlier, message])
    if "could not connect to display" in seen:
        display = env.get("DISPLAY", "")
        return (f"无法打开窗口：连接不上图形显示 {display}。\n"
                "请确认是在图形桌面中启动年报助手；在终端中可以使用 nianbao check 等命令（nianbao --help）。")
    if "platform plugin" in seen:
        return ("无法打开窗口：Qt 的图形界面插件无法加载。\n"
                "Windows 上请重新安装年报助手；Linux 上请安装 packaging/README.md 所列的系统库"
                "（如 libxcb-cursor0、libxkbcommon-x11-0），或运行 nianbao --self-test 查看缺少什么。")
    return f"年报助手的图形界面遇到无法继续的错误，程序已停止。\n技术信息：{message}"
