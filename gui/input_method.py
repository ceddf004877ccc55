"""Chinese input on 国产 Linux: use fcitx5 through its ibus frontend when no fcitx plugin is bundled.

The PySide6 wheel carries only the ibus and compose input-method plugins, while Kylin and UOS run
fcitx/fcitx5, whose Qt plugin is built against the system's Qt and will not load into ours. fcitx5
also serves ibus clients, so when QT_IM_MODULE names fcitx and no fcitx plugin is at hand, switch to
ibus — before the QApplication exists, or Qt has already picked its plugin. No Qt here: the decision
is plain data, so it is tested on its own.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterable, MutableMapping
from pathlib import Path

log = logging.getLogger("nianbao.input")


def choose_input_module(env: MutableMapping[str, str], plugins: Iterable[str], platform: str) -> str | None:
    """The QT_IM_MODULE to use instead of the current one, or None to leave it alone.

    ``plugins``: file names in Qt's platforminputcontexts folder (…fcitx5platforminputcontextplugin.so, …).
    """
    if not platform.startswith("linux"):
        return None
    wanted = env.get("QT_IM_MODULE", "").strip().lower()
    if not wanted.startswith("fcitx"):
        return None
    names = [name.lower() for name in plugins]
    if any("fcitx" in name for name in names):
        return None  # a fcitx plugin is bundled (a build on the target system): let Qt use it
    if not any("ibus" in name for name in names):
        return None
    return "ibus"


def apply_input_module(plugins_folder: Path | None, env: MutableMapping[str, str] | None = None,
                       platform: str | None = None) -> str | None:
    """Switch QT_IM_MODULE when needed; says so in the log. Call before creating the QApplication."""
    import sys

    env = os.environ if env is None else env
    platform = platform or sys.platform
    names = []
    if plugins_folder is not None:
        folder = plugins_folder / "platforminputcontexts"
        names = [p.name for p in folder.iterdir()] if folder.is_dir() else []
    choice = choose_input_module(env, names, platform)
    if choice is not None:
        log.warning("QT_IM_MODULE=%s 无可用的 Qt 插件（本程序只带 %s），改用 %s：fcitx5 通过其 ibus 前端提供中文输入",
                    env.get("QT_IM_MODULE"), ", ".join(names) or "无", choice)
        env["QT_IM_MODULE"] = choice
    return choice
