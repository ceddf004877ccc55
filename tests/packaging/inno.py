"""Where an Inno Setup 6 is on this machine (a Windows runner's, or one given in NIANBAO_INNO_SETUP: a folder
with ISCC.exe and Default.isl, e.g. the npm package `innosetup` that .ci/run unpacks), and wine to run it."""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path


def inno_setup_folder() -> Path | None:
    candidates = [os.environ.get("NIANBAO_INNO_SETUP", "")]
    if sys.platform == "win32":
        for variable in ("ProgramFiles(x86)", "ProgramFiles"):
            if os.environ.get(variable):
                candidates.append(str(Path(os.environ[variable]) / "Inno Setup 6"))
        if os.environ.get("LOCALAPPDATA"):
            candidates.append(str(Path(os.environ["LOCALAPPDATA"]) / "Programs" / "Inno Setup 6"))
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
