"""Helpers for the CLI tests: run ``ordino`` as a user would, check its errors."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest


def plain_env(**extra: str) -> dict[str, str]:
    """The environment of a subprocess: no colours, wide lines, no ORDINO_* leaks."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("ORDINO_")}
    env.update({"NO_COLOR": "1", "COLUMNS": "200", "PYTHONDONTWRITEBYTECODE": "1"})
    env.update(extra)
    return env


def ordino(
    *args: str, cwd: Path, env: dict[str, str] | None = None, timeout: float = 120
) -> subprocess.CompletedProcess[str]:
    """Run ``python -m ordino ARGS`` in ``cwd``; ``env`` adds to a plain environment."""
    return subprocess.run(
        [sys.executable, "-m", "ordino", *args],
        cwd=cwd,
        env=plain_env(**(env or {})),
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def assert_clean_error(
    result: subprocess.CompletedProcess[str], *fragments: str, code: int | None = None
) -> str:
    """A failure as ordino promises it: non-zero, one Error line, no traceback."""
    output = result.stdout + result.stderr
    assert result.returncode != 0, output
    if code is not None:
        assert result.returncode == code, output
    assert "Traceback" not in output, output
    error_lines = [
        line for line in result.stderr.splitlines() if line.startswith("Error:")
    ]
    assert len(error_lines) == 1, output
    for fragment in fragments:
        assert fragment in output, f"{fragment!r} not in:\n{output}"
    return output


@pytest.fixture
def fresh_project_state() -> Iterator[None]:
    """Forget the configured project after an in-process test."""
    yield
    from ordino.testing import reset_project

    reset_project()


@pytest.fixture
def run_ordino():
    """``run_ordino(*args, cwd=..., env=...)``: the ordino command in a subprocess."""
    return ordino


@pytest.fixture
def clean_error():
    """``clean_error(result, *fragments, code=None)``: check a failure's shape."""
    return assert_clean_error


@pytest.fixture
def subprocess_env():
    """``subprocess_env(**extra)``: the plain environment ``run_ordino`` uses."""
    return plain_env
