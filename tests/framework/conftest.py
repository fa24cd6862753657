"""Fixtures for the framework tests: tiny projects in tmp_path, forgotten afterwards."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from ordino.testing import make_project, reset_project


@pytest.fixture(autouse=True)
def _clean_project(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Every test starts with no configured project and ordino's env vars unset."""
    for name in (
        "ORDINO_ENV",
        "ORDINO_LOGGING_CONFIG",
        "ORDINO_PROJECT_PATH",
        "NO_COLOR",
    ):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("PYTHONPATH", "")
    root_handlers = list(logging.getLogger().handlers)
    reset_project()
    yield
    reset_project()
    logging.getLogger().handlers[:] = root_handlers


@pytest.fixture
def project(tmp_path: Path) -> Callable[..., Path]:
    """A factory: ``project(**make_project_kwargs)`` -> the project root."""
    counter = iter(range(1000))

    def factory(**kwargs: Any) -> Path:
        root = tmp_path / f"project{next(counter)}"
        return make_project(root, **kwargs)

    return factory
