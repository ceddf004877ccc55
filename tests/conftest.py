"""Shared fixtures: the project's fixture files, and user folders pointed at a temporary home."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
FIXTURES = ROOT.parent / "shared" / "fixtures"
if not FIXTURES.is_dir():  # CI lays shared/ beside the clone
    FIXTURES = Path(os.environ.get("NIANBAO_FIXTURES", ROOT / "tests" / "fixtures"))
EXAMPLE = ROOT / "resources" / "examples" / "chengbu_commerce_2019.nianbao"


# Where each platform's user folders are looked up, as folders under the temporary home. Linux: the XDG
# variables (macOS: HOME). Windows: platformdirs asks the shell (SHGetKnownFolderPath) and ignores APPDATA and
# LOCALAPPDATA, but honours WIN_PD_OVERRIDE_<CSIDL name> first (platformdirs 4.8 and later, required in
# pyproject.toml); Path.home() reads USERPROFILE. The variables are inherited by the programs a test starts.
USER_FOLDERS = {
    "HOME": ".", "USERPROFILE": ".",
    "XDG_CONFIG_HOME": ".config", "XDG_STATE_HOME": ".local/state", "XDG_DATA_HOME": ".local/share",
    "XDG_CACHE_HOME": ".cache",
    "APPDATA": "AppData/Roaming", "LOCALAPPDATA": "AppData/Local",
    "WIN_PD_OVERRIDE_APPDATA": "AppData/Roaming", "WIN_PD_OVERRIDE_LOCAL_APPDATA": "AppData/Local",
    "WIN_PD_OVERRIDE_COMMON_APPDATA": "ProgramData", "WIN_PD_OVERRIDE_PERSONAL": "Documents",
    "WIN_PD_OVERRIDE_DESKTOPDIRECTORY": "Desktop", "WIN_PD_OVERRIDE_DOWNLOADS": "Downloads",
}


@pytest.fixture(autouse=True)
def _temporary_home(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Tests never touch the real user folders, on any platform: platformdirs looks under a temporary home
    (tests/test_isolation.py proves it, in the test's process and in a program it starts)."""
    home = tmp_path_factory.mktemp("home")
    for name, sub in USER_FOLDERS.items():
        monkeypatch.setenv(name, str(home / sub))
    monkeypatch.setenv("NIANBAO_NO_DIALOGS", "1")  # no test waits for a click on a Windows message box
    return home


@pytest.fixture
def fixtures_dir() -> Path:
    return FIXTURES


@pytest.fixture
def distinct_path() -> Path:
    return FIXTURES / "distinct_2026.nianbao"


@pytest.fixture
def distinct(distinct_path: Path):
    from model import store

    return store.load(distinct_path)


@pytest.fixture
def example():
    from model import store

    return store.load(EXAMPLE)


def run_cli(*args: str, timeout: int = 180):
    """`nianbao …` in a subprocess, from the source tree, as a user would run it."""
    import subprocess

    return subprocess.run([sys.executable, str(ROOT / "cli.py"), *args], capture_output=True, timeout=timeout, cwd=ROOT)
