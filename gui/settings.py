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

APP = "nianbao"
SETTINGS_NAME = "nianbao.settings.json"
MAX_RECENT = 10
DEFAULT_AUTOSAVE_SECONDS = 60


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
            seconds = data.get("autosave_seconds")
            if isinstance(seconds, int) and not isinstance(seconds, bool) and seconds >= 5:
                settings.autosave_seconds = seconds
        return settings

    def save(self) -> None:
        from model.store import StoreError, write_atomic

        path = self.path or settings_path()
        data = {"recent_files": self.recent_files, "geometry": self.geometry, "window_state": self.window_state,
                "autosave_seconds": self.autosave_seconds}
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            text = json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True)
            write_atomic(path, lambda handle: handle.write(text))
        except (OSError, StoreError):
            pass  # settings are a convenience; never let them stop the clerk's work

    def add_recent(self, file: Path) -> None:
        text = str(Path(file).resolve())
        self.recent_files = [text] + [p for p in self.recent_files if p != text]
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
    pid: int


def autosave_folder() -> Path:
    return state_folder() / "autosave"


def new_autosave_id() -> str:
    return os.urandom(16).hex()


def autosave_paths(autosave_id: str) -> tuple[Path, Path]:
    folder = autosave_folder()
    return folder / f"{autosave_id}.nianbao", folder / f"{autosave_id}.json"


def write_record(autosave_id: str, source: Path | None) -> None:
    from model.store import write_atomic

    _report, record = autosave_paths(autosave_id)
    data = {"source": str(source) if source else None, "written": dt.datetime.now().isoformat(timespec="seconds"),
            "pid": os.getpid()}
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


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    if os.name != "posix":
        return False  # on Windows a leftover autosave is offered; the owner closed or crashed
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    except OSError:
        return False
    return True


def leftover_autosaves() -> list[Autosave]:
    """Autosaves whose window is gone (a crash): newest first."""
    folder = autosave_folder()
    found = []
    for record in folder.glob("*.json") if folder.is_dir() else []:
        report = record.with_suffix(".nianbao")
        try:
            data = json.loads(record.read_text(encoding="utf-8"))
            written = dt.datetime.fromisoformat(data["written"])
            pid = int(data.get("pid", 0))
        except (OSError, ValueError, KeyError, TypeError):
            continue
        if not report.is_file() or _alive(pid):
            continue
        found.append(Autosave(report, record, data.get("source"), written, pid))
    return sorted(found, key=lambda a: a.written, reverse=True)
