"""The last step of every atomic save: move the finished temporary file over the target.

On Windows the target is often held for a moment by someone else — Defender or the search indexer
scanning the file we just wrote, OneDrive uploading the previous version — and ``os.replace`` then
fails with a sharing or access error that is gone a fraction of a second later. Word retries; so do
we, briefly, before telling the clerk.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable

# winerror codes of a file held open for a moment: access denied, sharing violation, lock violation
TRANSIENT_WINERRORS = frozenset({5, 32, 33})
DELAYS = (0.05, 0.1, 0.2, 0.3, 0.5, 0.8)  # about two seconds in all


def is_transient(error: OSError) -> bool:
    """A failure worth retrying: a Windows file briefly held open by another program."""
    return isinstance(error, PermissionError) and getattr(error, "winerror", None) in TRANSIENT_WINERRORS


def replace(source: str | os.PathLike, target: str | os.PathLike, *,
            delays: tuple[float, ...] | None = None, sleep: Callable[[float], None] = time.sleep,
            move: Callable[[str | os.PathLike, str | os.PathLike], None] | None = None) -> None:
    """``os.replace(source, target)``, retried after each of ``delays`` (default DELAYS) while the
    failure is transient; the last failure is raised."""
    for delay in (*(DELAYS if delays is None else delays), None):
        try:
            (move or os.replace)(source, target)
            return
        except OSError as error:
            if delay is None or not is_transient(error):
                raise
        sleep(delay)
