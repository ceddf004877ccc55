"""The capped worker (tests/hostile/capped.py) the hostile tests share, one per test module."""

from __future__ import annotations

import pytest

from tests.hostile.capped import Worker


@pytest.fixture(scope="module")
def worker():
    capped = Worker()
    yield capped
    capped.close()
