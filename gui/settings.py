"""Settings (recent files, window geometry, autosave interval) and session state (autosaves).

Settings live in a JSON file in platformdirs' config folder; a ``nianbao.settings.json`` next to
the program wins, so the program can run portable on a locked-down office PC. Autosaves are
session state and live in the state folder. No Qt here: this is plain files.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

import platformdirs

from model import liveness
from model.liveness import ProcessIdentity

APP = "nianbao"
SETTINGS_NAME = "nianbao.settings.json"
MAX_RECENT = 10
DEFAULT_AUTOSAVE_SECONDS = 10  # the longest a change waits for its autosave while the clerk keeps typing


def program_folder() -> Path:
    """The folder the program runs from (the bundle's folder when frozen)."""
    if getattr(sys, "frozen", False):
        return Path(sys.executable).resolve().parent
    return Path(__file__).resolve().parent.parent


def settings_path() -> Path:
    portable = program_folder() / SETTINGS_NAME
    if portable.is_file():
        return portable
    return Path(platformdirs.user_config_dir(APP, appauthor=False)) / SETTINGS_NAME


def state_folder() -> Path:
    portable = program_folder() / SETTINGS_NAME
    if portable.is_file():
        return program_folder() / "nianbao-state"
    return Path(platformdirs.user_state_dir(APP, appauthor=False))


@dataclass
class Settings:
    recent_files: list[str] = field(default_factory=list)
    geometry: str | None = None  # the window's saved geometry, base64
    window_state: str | None = None  # the problems panel's size and place (QMainWindow.saveState), base64
    last_folder: str | None = None  # the folder of the file last opened, saved or exported
    panel_height: int | None = None  # the problems panel's height in pixels, as the clerk left it
    autosave_seconds: int = DEFAULT_AUTOSAVE_SECONDS
    path: Path | None = None

    @classmethod
    def load(cls, path: Path | None = None) -> Settings:
        path = path or settings_path()
        settings = cls(path=path)
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return settings  # missing or unreadable settings: start with the defaults
        if isinstance(data, dict):
            recent = data.get("recent_files", [])
            if isinstance(recent, list):
                settings.recent_files = [str(p) for p in recent if isinstance(p, str)][:MAX_RECENT]
            if isinstance(data.get("geometry"), str):
                settings.geometry = data["geometry"]
            if isinstance(data.get("window_state"), str):
                settings.window_state = data["window_state"]
            if isinstance(data.get("last_folder"), str):
                settings.last_folder = data["last_folder"]
            height = data.get("panel_height")
            if isinstance(height, int) and not isinstance(height, bool) and 40 <= height <= 4000:
                settings.panel_height = height
            seconds = data.get("autosave_seconds")
            if isinstance(seconds, int) and not isinstance(seconds, bool) and seconds >= 5:
                settings.autosave_seconds = seconds
        return settings

    def save(self) -> None:
        from model.store import StoreError, write_atomic

        path = self.path or settings_path()
        data = {"recent_files": self.recent_files, "geometry": self.geometry, "window_state": self.window_state,
                "autosave_seconds": self.autosave_seconds, "last_folder": self.last_folder,
                "panel_height": self.panel_height}
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            text = json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True)
            write_atomic(path, lambda handle: handle.write(text))
        except (OSError, StoreError):
            pass  # settings are a convenience; never let them stop the clerk's work

    def add_recent(self, file: Path | str) -> None:
        """``file`` first in the list, as the clerk chose it: made absolute, not resolved — Path.resolve() would
        show a mapped drive (Z:\\报告.nianbao) as its network path (\\\\server\\share\\报告.nianbao), a
        link as its target. The same path in another case is the same entry where case does not count (Windows)."""
        text = os.path.abspath(file)
        same = os.path.normcase(text)
        self.recent_files = [text] + [p for p in self.recent_files if os.path.normcase(p) != same]
        del self.recent_files[MAX_RECENT:]

    def existing_recent(self) -> list[str]:
        """Recent files that still exist; the missing ones are pruned."""
        self.recent_files = [p for p in self.recent_files if Path(p).is_file()]
        return list(self.recent_files)


# ---- autosave -------------------------------------------------------------------------------


class Autosave(NamedTuple):
    """One window's autosave: the report file and a small record of where it came from."""

    report_path: Path
    record_path: Path
    source: str | None  # the file the window had open, if any
    written: dt.datetime
    owner: ProcessIdentity  # the window's process: its PID, when it started, which boot
    folder: str | None = None  # where the window's Save As would have opened (a report never saved)

    def is_for(self, path: Path | None) -> bool:
        """Whether this autosave belongs to ``path`` (None: a report never saved)."""
        if path is None or self.source is None:
            return path is None and self.source is None
        return _same_file(Path(self.source), path)


def _same_file(a: Path, b: Path) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return os.path.normcase(os.path.abspath(a)) == os.path.normcase(os.path.abspath(b))


def autosave_folder() -> Path:
    return state_folder() / "autosave"


def new_autosave_id() -> str:
    return os.urandom(16).hex()


def autosave_paths(autosave_id: str) -> tuple[Path, Path]:
    folder = autosave_folder()
    return folder / f"{autosave_id}.nianbao", folder / f"{autosave_id}.json"


def write_record(autosave_id: str, source: Path | None, folder: Path | None = None) -> None:
    """The autosave's record: the file it belongs to, when, and which process (model/liveness.py);
    ``folder``: where a report never saved would be saved (beside last year's file, or the last used)."""
    from model.store import write_atomic

    _report, record = autosave_paths(autosave_id)
    owner = liveness.current()
    data = {"source": str(source) if source else None, "written": dt.datetime.now().isoformat(timespec="seconds"),
            "pid": owner.pid, "started": owner.started, "boot": owner.boot,
            "folder": str(folder) if folder else None}
    text = json.dumps(data, ensure_ascii=False)
    write_atomic(record, lambda handle: handle.write(text))


def remove_autosave(autosave_id: str) -> None:
    for path in autosave_paths(autosave_id):
        try:
            path.unlink()
        except FileNotFoundError:
            pass
        except OSError:
            pass


def _owner(data: dict) -> ProcessIdentity:
    started, boot = data.get("started"), data.get("boot")
    return ProcessIdentity(int(data.get("pid", 0)), started if isinstance(started, str) else None,
                           boot if isinstance(boot, str) else None)


def leftover_autosaves(*, exclude: str | None = None) -> list[Autosave]:
    """Autosaves whose window is gone (a crash): newest first.

    A window is gone unless its process provably still runs: the recorded PID alone proves nothing
    (after a reboot it may be any process), so the start time and boot id must match too. ``exclude``
    is the asking window's own autosave id.
    """
    folder = autosave_folder()
    found = []
    for record in folder.glob("*.json") if folder.is_dir() else []:
        if record.stem == exclude:
            continue
        report = record.with_suffix(".nianbao")
        try:
            data = json.loads(record.read_text(encoding="utf-8"))
            written = dt.datetime.fromisoformat(data["written"])
            owner = _owner(data)
            source = data.get("source")
            folder = data.get("folder")
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            continue
        if not report.is_file() or liveness.is_running(owner) or not isinstance(source, (str, type(None))):
            continue
        found.append(Autosave(report, record, source, written, owner, folder if isinstance(folder, str) else None))
    return sorted(found, key=lambda a: a.written, reverse=True)
