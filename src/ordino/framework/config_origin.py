"""Which configuration file each top-level key came from, for error messages.

A bad catalog entry should be reported as "conf/base/catalog.yml, dataset 'cars':
...", so the user knows which file to open. ``OmegaConfigLoader`` has already read
and parsed every file by the time the catalog is built; this module looks at what
it read (no file is opened or parsed again) and maps each entry to the file that
defines it, the run environment winning over base as in the merge.

The config loader has no public API for this yet, so its internals are read
defensively: any other loader, or any surprise, simply gives no sources.
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

    Call it after ``loader[key]`` was read. Returns ``{}`` when the loader is not
    an ``OmegaConfigLoader`` or did not keep what it read.
    """
    try:
        return _sources(loader, key, project_path)
    except Exception as exc:  # messages lose a file name; the run must not fail
        _logger.debug("Could not tell which file each %s entry is in: %r", key, exc)
        return {}


def _sources(loader: Any, key: str, project_path: Path) -> dict[str, str]:
    from ordino.config import OmegaConfigLoader
    from ordino.config.sources import match_files

    if not isinstance(loader, OmegaConfigLoader) or key in loader.data:
        return {}
    source = getattr(loader, "_source", None)
    documents = getattr(loader, "_documents", None)
    if source is None or not isinstance(documents, dict):
        return {}
    patterns = loader.config_patterns.get(key, [])
    run_env = loader.env or loader.default_run_env
    envs = [loader.base_env]
    if run_env and run_env != loader.base_env and source.is_dir(run_env):
        envs.append(run_env)
    result: dict[str, str] = {}
    for env in envs:
        for rel in match_files(
            source, env, patterns, ignore_hidden=loader.ignore_hidden
        ):
            document = documents.get(rel)
            if not isinstance(document, dict):
                continue
            shown = _shown(source.display(rel), project_path)
            for name in document:
                if isinstance(name, str):
                    result[name] = shown
    return result


def _shown(display: str, project_path: Path) -> str:
    """``display`` relative to the project when it is a file inside it."""
    if "://" in display or not os.path.isabs(display):
        return display
    try:
        return Path(display).resolve().relative_to(project_path).as_posix()
    except ValueError:
        return Path(display).as_posix()
