"""`kill -9` at random moments of saving: the report and its .bak are each, always, a whole version.

A child process saves the same report over and over (600 KB of text, alternating between two
versions, with a .bak), and is killed at a random moment; the next child goes on with what the last
one left. After every kill the report loads and is one of the versions written, and so is the .bak;
the temporary files a kill leaves are ours, and the next start removes them. Once with hard links
(the .bak is the old file itself), once without (the .bak is a copy, as on FAT or a network share).
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from model import store
from model.atomic import remove_stale_temporaries
from tests.conftest import FIXTURES, ROOT

pytestmark = [pytest.mark.slow, pytest.mark.skipif(os.name != "posix", reason="SIGKILL")]

CHARS = 200_000
VERSIONS = {"初", "甲", "乙"}

CHILD = f"""
import os, sys
sys.path.insert(0, {str(ROOT)!r})
from model import store
if sys.argv[2] == "copy":
    def no_links(*args):
        raise OSError(1, "no hard links here")
    os.link = no_links
report = store.load({str(FIXTURES / "distinct_2026.nianbao")!r})
print("ready", flush=True)
i = 0
while True:
    report.text["overview"] = ("甲" if i % 2 else "乙") * {CHARS}
    store.save(report, sys.argv[1])
    i += 1
    print("saved", flush=True)
"""


def _version(path: Path) -> str:
    """Which version a file holds; fails (the test fails) if it is not a whole, loadable report."""
    text = store.load(path).text["overview"]
    assert len(text) == CHARS and len(set(text)) == 1, f"{path.name}: a mixed or cut report"
    return text[0]


@pytest.mark.parametrize(("backup", "chains", "rounds"), [("link", 3, 10), ("copy", 3, 5)])
def test_kill_9_during_saves(tmp_path, backup, chains, rounds):
    """``chains`` files, each saved by ``rounds`` children in turn, the children of a round killed at
    their own random moments (in parallel: the test costs a round's time, not a kill's)."""
    paths = [tmp_path / f"链{i}" / "报告.nianbao" for i in range(chains)]
    report = store.load(FIXTURES / "distinct_2026.nianbao")
    report.text["overview"] = "初" * CHARS
    for path in paths:
        path.parent.mkdir()
        store.save(report, path)
    chance = random.Random(f"{backup}-{chains}-{rounds}")
    seen: set[tuple[str, str | None]] = set()
    for _ in range(rounds):
        children = [subprocess.Popen([sys.executable, "-S", "-c", CHILD, str(path), backup], stdout=subprocess.PIPE,
                                     text=True) for path in paths]
        for child in children:
            assert child.stdout is not None and child.stdout.readline() == "ready\n"
        for child in children:
            # after 0–2 whole saves (counted by the child, so a loaded machine cannot make every kill land in
            # the first save), at a random moment of what follows; the other children save on meanwhile
            for _ in range(chance.randrange(3)):
                assert child.stdout.readline() == "saved\n"  # type: ignore[union-attr]
            time.sleep(chance.uniform(0.0, 0.04))
            os.kill(child.pid, signal.SIGKILL)
        for child, path in zip(children, paths, strict=True):
            child.wait()
            child.stdout.close()  # type: ignore[union-attr]
            seen.add(_check(path))
    # the kills landed at different moments: more than one combination of report and .bak was left
    assert len(seen) >= 2, seen
    for path in paths:  # the next start tidies what the kills left behind; the report is untouched by that
        remove_stale_temporaries(path.parent, older_than=0)
        assert sorted(p.name for p in path.parent.iterdir()) == sorted([path.name, f"{path.name}.bak"])
        _version(path)


def _check(path: Path) -> tuple[str, str | None]:
    bak = Path(f"{path}.bak")
    state = (_version(path), _version(bak) if bak.exists() else None)
    assert state[0] in VERSIONS and state[1] in VERSIONS | {None}
    leftovers = [p.name for p in path.parent.iterdir() if p.name not in (path.name, bak.name)]
    assert all(name.startswith(".~nb") and len(name) == 8 for name in leftovers), leftovers
    return state
