"""Fixtures for the runner tests.

Node functions live in ``runner_testlib.py``, a plain module on ``sys.path``, so that
``ParallelRunner``'s spawned workers import them by name like a project's nodes.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

HERE = str(Path(__file__).parent)
if HERE not in sys.path:
    sys.path.insert(0, HERE)

from ordino.runner import ParallelRunner  # noqa: E402 - after the path is set


@pytest.fixture(scope="session")
def parallel_runner() -> Iterator[ParallelRunner]:
    """One pool of two workers for the whole session: spawning is the slow part."""
    with ParallelRunner(max_workers=2) as runner:
        yield runner
