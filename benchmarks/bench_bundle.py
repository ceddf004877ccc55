"""The packaged program: its size, and its start-up against the source run (both doing --self-test).

Needs a build: `PYTHON=.venv/bin/python packaging/build-linux.sh` (dist/nianbao) or NIANBAO_BUNDLE=<folder>.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

from benchmarks.common import Figure

ROOT = Path(__file__).resolve().parent.parent


def _folder() -> Path | None:
    folder = Path(os.environ.get("NIANBAO_BUNDLE", ROOT / "dist" / "nianbao"))
    return folder if (folder / "nianbao").exists() else None


def _run(command: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, check=True, capture_output=True, timeout=300, env=dict(os.environ, QT_QPA_PLATFORM="offscreen"))
    return (time.perf_counter() - start) * 1000


def bundle_figures(runs: int = 5) -> list[Figure]:
    folder = _folder()
    if folder is None:
        print("(no bundle in dist/nianbao: build it with packaging/build-linux.sh to measure it)")
        return []
    size = sum(p.stat().st_size for p in folder.rglob("*") if p.is_file() and not p.is_symlink()) / 1024 / 1024
    frozen, source = [], []
    for _ in range(runs):
        source.append(_run([sys.executable, str(ROOT / "cli.py"), "--self-test"]))
        frozen.append(_run([str(folder / "nianbao"), "--self-test"]))
    return [
        Figure("bundle --self-test vs source --self-test", statistics.median(frozen), statistics.median(source)),
        Figure(f"bundle size {size:.0f} MB (not ms)", size, size),
    ]


FIGURES = [bundle_figures]
