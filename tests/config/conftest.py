"""Small factories for configuration trees on disk."""

from __future__ import annotations

import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest


@pytest.fixture
def write(tmp_path: Path) -> Callable[[str, str], Path]:
    """Write a dedented file under tmp_path/conf and return its path."""

    def _write(relative: str, text: str) -> Path:
        path = tmp_path / "conf" / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
        return path

    (tmp_path / "conf" / "base").mkdir(parents=True)
    (tmp_path / "conf" / "local").mkdir(parents=True)
    return _write


@pytest.fixture
def conf(tmp_path: Path) -> str:
    """The conf directory that `write` fills (base and local exist)."""
    return str(tmp_path / "conf")
