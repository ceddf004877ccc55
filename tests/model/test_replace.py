"""The final replace of a save, retried briefly while Windows holds the target (Defender, the indexer,
OneDrive): simulated sharing and access errors."""

from __future__ import annotations

import errno

import pytest

from model import replace as replacing


class Held:
    """os.replace as Windows answers it while another program holds the file for a moment."""

    def __init__(self, *winerrors: int | None) -> None:
        self.winerrors = list(winerrors)
        self.calls = 0

    def __call__(self, source, target) -> None:  # type: ignore[no-untyped-def]
        self.calls += 1
        if self.winerrors:
            error = PermissionError(errno.EACCES, "Access is denied")
            winerror = self.winerrors.pop(0)
            if winerror is not None:
                error.winerror = winerror  # type: ignore[attr-defined]
            raise error


def test_a_sharing_violation_passes_after_a_retry():
    slept: list[float] = []
    move = Held(32, 32, 5)  # sharing violation twice, access denied once, then free
    replacing.replace("a", "b", move=move, sleep=slept.append)
    assert move.calls == 4
    assert slept == list(replacing.DELAYS[:3])


def test_the_retries_are_short_and_then_the_error_is_raised():
    slept: list[float] = []
    move = Held(*[33] * 20)  # a lock violation that does not go away
    with pytest.raises(PermissionError):
        replacing.replace("a", "b", move=move, sleep=slept.append)
    assert move.calls == len(replacing.DELAYS) + 1
    assert sum(slept) < 2.5


def test_a_real_permission_problem_is_not_retried():
    slept: list[float] = []
    move = Held(None)  # POSIX EACCES: no one will let go of it
    with pytest.raises(PermissionError):
        replacing.replace("a", "b", move=move, sleep=slept.append)
    assert move.calls == 1 and slept == []

    def missing(source, target):  # type: ignore[no-untyped-def]
        raise FileNotFoundError(errno.ENOENT, "gone")

    with pytest.raises(FileNotFoundError):
        replacing.replace("a", "b", move=missing, sleep=slept.append)
    assert slept == []


def test_it_replaces(tmp_path):
    source, target = tmp_path / "new", tmp_path / "old"
    source.write_text("新", encoding="utf-8")
    target.write_text("旧", encoding="utf-8")
    replacing.replace(source, target)
    assert target.read_text(encoding="utf-8") == "新" and not source.exists()
