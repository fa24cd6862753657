"""Finding the project a command runs in, with errors that say how to get there.

A project is a folder whose ``pyproject.toml`` has a ``[tool.ordino]`` section; the
commands look for it in the current folder and its parents, like git does.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ordino.errors import ProjectNotFoundError


def find_project_root(start: Path | None = None) -> Path | None:
    """The nearest folder, from ``start`` upwards, that holds an ordino project."""
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        pyproject = folder / "pyproject.toml"
        try:
            text = pyproject.read_text(encoding="utf-8")
        except OSError:
            continue
        if "[tool.ordino" in text:
            return folder
    return None


def require_project(start: Path | None = None) -> Path:
    """The project root, or an error that says where we looked and what to do."""
    here = (start or Path.cwd()).resolve()
    root = find_project_root(here)
    if root is None:
        raise ProjectNotFoundError(
            f"No ordino project found in {here} or any folder above it.",
            hint="Run this command inside a project (a folder whose pyproject.toml "
            "has a [tool.ordino] section), or create one with: ordino new",
            path=str(here),
        )
    return root


def bootstrap(start: Path | None = None) -> Any:
    """Find the project and bootstrap it; ``bootstrap_project`` checks pyproject."""
    root = require_project(start)
    from ordino.framework.startup import bootstrap_project

    return bootstrap_project(root)


def source_package_dir(metadata: Any) -> Path:
    """``src/<package>`` of a bootstrapped project."""
    source_dir = Path(getattr(metadata, "source_dir", None) or "src")
    if not source_dir.is_absolute():
        source_dir = Path(metadata.project_path) / source_dir
    return source_dir / str(metadata.package_name)
