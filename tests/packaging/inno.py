"""Where an Inno Setup is on this machine (a Windows runner's, or one given in NIANBAO_INNO_SETUP: a folder
with ISCC.exe and Default.isl, e.g. the npm package `innosetup` that .ci/run unpacks), which version it is and
which version the project pins, and wine to run it."""

from __future__ import annotations

import os
import re
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def inno_setup_folder() -> Path | None:
    candidates = [os.environ.get("NIANBAO_INNO_SETUP", "")]
    if sys.platform == "win32":
        roots = [os.environ.get("PROGRAMFILES(X86)"), os.environ.get("PROGRAMFILES")]
        if os.environ.get("LOCALAPPDATA"):
            roots.append(str(Path(os.environ["LOCALAPPDATA"]) / "Programs"))
        candidates += [str(Path(root) / name) for name in ("Inno Setup 6", "Inno Setup 7") for root in roots if root]
    for candidate in candidates:
        if candidate and (Path(candidate) / "ISCC.exe").is_file():
            return Path(candidate)
    return None


def runner() -> list[str] | None:
    """How to start a Windows program here: directly on Windows, through wine (under Xvfb) elsewhere."""
    if sys.platform == "win32":
        return []
    if shutil.which("wine") and shutil.which("xvfb-run"):
        return ["xvfb-run", "-a", "wine"]
    return None


def pinned_version() -> str:
    """The one Inno Setup version both CIs use (.ci/run's INNO_SETUP_VERSION; the workflow must agree)."""
    found = re.search(r"^INNO_SETUP_VERSION=(\d+\.\d+\.\d+)$", (ROOT / ".ci" / "run").read_text(encoding="utf-8"),
                      re.MULTILINE)
    assert found is not None, ".ci/run pins no Inno Setup version"
    return found.group(1)


def installed_version(folder: Path) -> str | None:
    """The version of the Inno Setup in ``folder``: the newest entry of its revision history (whatsnew.htm,
    installed beside ISCC.exe by Inno Setup's installer and carried by the npm package)."""
    try:
        text = (folder / "whatsnew.htm").read_text(encoding="utf-8", errors="replace")
    except OSError:
        return None
    found = re.search(r'<span class="ver">\s*(\d+\.\d+\.\d+)', text)
    return found.group(1) if found else None
