"""No test touches the real user folders: every folder the program writes to (settings, autosaves, the log,
the first Save As folder) is under the test's temporary home — in the test's own process and in a program it
starts, on whatever system the tests run (on Windows this is the proof that WIN_PD_OVERRIDE_* is honoured)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tests.conftest import ROOT

FOLDERS = """
import json, sys
from pathlib import Path
sys.path.insert(0, {root!r})
from gui import settings
from runtime import logfile
print(json.dumps([str(settings.settings_path()), str(settings.state_folder()), str(logfile.log_folder()),
                  str(Path.home())]))
"""


def _folders() -> list[Path]:
    from gui import settings
    from runtime import logfile

    return [settings.settings_path(), settings.state_folder(), logfile.log_folder(), Path.home()]


def _inside(folder: Path, home: Path) -> bool:
    folder, home = folder.absolute(), home.absolute()
    return folder == home or home in folder.parents


def test_the_programs_folders_are_under_the_temporary_home(_temporary_home):
    for folder in _folders():
        assert _inside(folder, _temporary_home), folder


def test_a_started_program_uses_the_temporary_home_too(_temporary_home):
    result = subprocess.run([sys.executable, "-c", FOLDERS.format(root=str(ROOT))], capture_output=True,
                            timeout=120, cwd=ROOT)
    assert result.returncode == 0, result.stderr.decode("utf-8", "replace")
    for folder in json.loads(result.stdout):
        assert _inside(Path(folder), _temporary_home), folder


def test_every_test_has_its_own_home(_temporary_home, tmp_path_factory):
    assert _temporary_home.parent == tmp_path_factory.getbasetemp()
    assert not any(_temporary_home.iterdir())  # nothing left by another test
