"""The recent-files list shows each report where the clerk opened it: absolute, never resolved — a mapped drive
(Z:) stays Z: rather than becoming \\\\server\\share, a link stays the link."""

from __future__ import annotations

import ntpath
import os
import sys
import types

import pytest

from gui import settings as settings_module
from gui.settings import Settings


@pytest.mark.skipif(sys.platform == "win32", reason="symbolic links need a privilege on Windows")
def test_a_report_opened_through_a_link_is_listed_as_opened(tmp_path):
    """A link to a folder stands in for a mapped drive: the list keeps the path the clerk chose."""
    share = tmp_path / "server" / "share"
    share.mkdir(parents=True)
    (share / "报告.nianbao").write_text("{}", encoding="utf-8")
    drive = tmp_path / "Z"
    drive.symlink_to(share, target_is_directory=True)
    settings = Settings(path=tmp_path / "settings.json")
    settings.add_recent(drive / "报告.nianbao")
    assert settings.recent_files == [str(drive / "报告.nianbao")]
    assert settings.existing_recent() == [str(drive / "报告.nianbao")]


def test_a_relative_path_is_made_absolute(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    settings = Settings(path=tmp_path / "settings.json")
    settings.add_recent("报告.nianbao")  # (as given on the command line)
    assert settings.recent_files == [os.path.join(os.getcwd(), "报告.nianbao")]


def test_on_windows_a_mapped_drive_stays_and_case_does_not_make_two_entries(monkeypatch):
    """Windows' path rules (ntpath), simulated: Z:\\ is kept, and z:\\报告.NIANBAO is the same entry."""
    monkeypatch.setattr(settings_module, "os", types.SimpleNamespace(path=ntpath))
    settings = Settings(path=None)
    settings.recent_files = [r"\\server\share\旧.nianbao"]
    settings.add_recent(r"Z:\年报\报告.nianbao")
    settings.add_recent(r"z:\年报\.\报告.NIANBAO")
    assert settings.recent_files == [r"z:\年报\报告.NIANBAO", r"\\server\share\旧.nianbao"]
