"""model/, export/ and runtime/ never import Qt: import them with PySide6 blocked, in a fresh interpreter."""

from __future__ import annotations

import pkgutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

BLOCKER = """
import importlib.abc, sys
class Block(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name.split('.')[0] in ('PySide6', 'shiboken6'):
            raise ImportError('Qt is blocked: ' + name)
sys.meta_path.insert(0, Block())
"""


def _modules(package: str) -> list[str]:
    folder = ROOT / package
    return [package] + [f"{package}.{m.name}" for m in pkgutil.walk_packages([str(folder)]) if not m.name.startswith("_")]


def test_core_imports_without_qt():
    modules = _modules("model") + _modules("export") + _modules("runtime") + ["cli"]
    code = BLOCKER + "".join(f"import {m}\n" for m in modules) + "assert 'PySide6' not in sys.modules\nprint('ok')"
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "ok"


def test_headless_command_does_not_load_qt():
    example = ROOT / "resources" / "examples" / "chengbu_commerce_2019.nianbao"
    code = BLOCKER + f"import cli\nrc = cli.main(['check', {str(example)!r}])\nassert 'PySide6' not in sys.modules\nsys.exit(rc)"
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
