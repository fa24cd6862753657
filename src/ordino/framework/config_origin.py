"""Which configuration file each top-level key came from, for error messages.

A bad catalog entry should be reported as "conf/base/catalog.yml, dataset 'cars':
...", so the user knows which file to open. The loader has already read and parsed
every file by the time the catalog is built and remembers which file defined each
entry (the run environment winning over base, as in the merge); nothing is read
again.

``OmegaConfigLoader.source_files`` knows; a custom loader without that method,
or any surprise, simply gives no sources.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import Any

__all__ = ["catalog_sources"]

_logger = logging.getLogger(__name__)


def catalog_sources(loader: Any, key: str, project_path: Path) -> dict[str, str]:
    """Entry name -> file (relative to the project when inside it) for kind ``key``.

    Call it after ``loader[key]`` was read. Returns ``{}`` when the loader cannot
    tell (it has no ``source_files``).
    """
    try:
        return _sources(loader, key, project_path)
    except Exception as exc:  # messages lose a file name; the run must not fail
        _logger.debug("Could not tell which file each %s entry is in: %r", key, exc)
        return {}


def _sources(loader: Any, key: str, project_path: Path) -> dict[str, str]:
    files = getattr(loader, "source_files", None)
    if not callable(files):  # a custom loader that does not know its files
        return {}
    return {name: _shown(display, project_path) for name, display in files(key).items()}


def _shown(display: str, project_path: Path) -> str:
    """``display`` relative to the project when it is a file inside it."""
    if "://" in display or not os.path.isabs(display):
        return display
    try:
        return Path(display).resolve().relative_to(project_path).as_posix()
    except ValueError:
        return Path(display).as_posix()
