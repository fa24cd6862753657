"""Find a project on disk and make it importable: ``bootstrap_project``.

A project is a directory whose ``pyproject.toml`` has a ``[tool.ordino]`` table. This
module reads that table into a ``ProjectMetadata`` value, puts the project's source
directory on ``sys.path`` and points ``settings`` and ``pipelines`` at the package. It
imports nothing heavy: bootstrapping is on the start-up path of every CLI command.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any, NamedTuple

from ordino.errors import ProjectNotFoundError

__all__ = ["ProjectMetadata", "bootstrap_project", "find_project_root"]

_CONFIG_FILE = "pyproject.toml"
_REQUIRED_KEYS = ("package_name", "project_name", "ordino_init_version")
_KNOWN_KEYS = frozenset(
    {*_REQUIRED_KEYS, "source_dir", "tools", "example_pipeline", "example_code"}
)


class ProjectMetadata(NamedTuple):
    """What ``[tool.ordino]`` in a project's ``pyproject.toml`` says about it.

    A named tuple, as Kedro's is (and cheaper to import than a dataclass).

    Example:
        >>> meta = ProjectMetadata(
        ...     config_file=Path("/p/pyproject.toml"), package_name="demo",
        ...     project_name="Demo", project_path=Path("/p"),
        ...     source_dir=Path("/p/src"), ordino_init_version="0.1.0")
        >>> meta.package_name
        'demo'
    """

    config_file: Path
    package_name: str
    project_name: str
    project_path: Path
    source_dir: Path
    ordino_init_version: str
    tools: tuple[str, ...] = ()
    example_pipeline: str | None = None


def find_project_root(start: Path | str | None = None) -> Path | None:
    """Return the nearest directory at or above ``start`` that is an ordino project.

    A directory counts when its ``pyproject.toml`` has a ``[tool.ordino]`` table; the
    check is textual so that walking up never parses unrelated TOML files.
    """
    current = Path(start if start is not None else Path.cwd()).resolve()
    for directory in (current, *current.parents):
        candidate = directory / _CONFIG_FILE
        if candidate.is_file() and _declares_ordino(candidate):
            return directory
    return None


def _declares_ordino(config_file: Path) -> bool:
    try:
        text = config_file.read_text(encoding="utf-8")
    except OSError:
        return False
    return any(
        line.strip().replace(" ", "").startswith("[tool.ordino")
        for line in text.splitlines()
    )


def _read_toml(config_file: Path) -> dict[str, Any]:
    import importlib

    # tomllib is in the standard library from 3.11; tomli is the same parser before.
    toml = importlib.import_module(
        "tomllib" if sys.version_info >= (3, 11) else "tomli"
    )
    try:
        with config_file.open("rb") as stream:
            data: dict[str, Any] = toml.load(stream)
            return data
    except toml.TOMLDecodeError as exc:
        raise ProjectNotFoundError(
            f"{config_file}: not valid TOML ({exc}).",
            path=str(config_file),
            hint="Fix the syntax of pyproject.toml; the error gives line and column.",
        ) from exc


def _project_metadata(project_path: Path) -> ProjectMetadata:
    config_file = project_path / _CONFIG_FILE
    if not config_file.is_file():
        raise ProjectNotFoundError(
            f"No ordino project at {project_path}: there is no {_CONFIG_FILE}.",
            path=str(project_path),
            hint="Run the command from a project directory, or create one with "
            "'ordino new'.",
        )
    table = _read_toml(config_file).get("tool", {}).get("ordino")
    if not isinstance(table, dict):
        raise ProjectNotFoundError(
            f"{config_file} has no [tool.ordino] table, so {project_path} is not an "
            "ordino project.",
            path=str(config_file),
            hint="Add a [tool.ordino] table with package_name, project_name and "
            "ordino_init_version, or run the command from a project directory.",
        )
    return _metadata_from_table(table, config_file)


def _metadata_from_table(table: dict[str, Any], config_file: Path) -> ProjectMetadata:
    project_path = config_file.parent
    missing = [key for key in _REQUIRED_KEYS if key not in table]
    if missing:
        raise ProjectNotFoundError(
            f"{config_file}, [tool.ordino]: missing required key(s) "
            f"{', '.join(repr(k) for k in missing)}.",
            path=str(config_file),
            key=missing[0],
            hint='For example: package_name = "my_project"',
        )
    from ordino.suggest import closest_matches

    for key in table:
        # Keys of plugins are allowed; a near miss of a known key is a typo.
        near = () if key in _KNOWN_KEYS else closest_matches(key, sorted(_KNOWN_KEYS))
        if near:
            raise ProjectNotFoundError(
                f"{config_file}, [tool.ordino]: unknown key {key!r}.",
                path=str(config_file),
                key=key,
                suggestions=near,
            )
    for key in (*_REQUIRED_KEYS, "source_dir"):
        if key in table and not isinstance(table[key], str):
            raise ProjectNotFoundError(
                f"{config_file}, [tool.ordino]: {key!r} must be a string, got "
                f"{type(table[key]).__name__} {table[key]!r}.",
                path=str(config_file),
                key=key,
            )
    package_name = table["package_name"]
    if not package_name.isidentifier():
        raise ProjectNotFoundError(
            f"{config_file}, [tool.ordino]: package_name {package_name!r} is not a "
            "valid Python package name.",
            path=str(config_file),
            key="package_name",
            hint="Use letters, digits and underscores, not starting with a digit.",
        )
    source_dir = (project_path / table.get("source_dir", "src")).resolve()
    tools = table.get("tools", ())
    return ProjectMetadata(
        config_file=config_file,
        package_name=package_name,
        project_name=table["project_name"],
        project_path=project_path,
        source_dir=source_dir,
        ordino_init_version=table["ordino_init_version"],
        tools=tuple(tools) if isinstance(tools, list | tuple) else (str(tools),),
        example_pipeline=table.get("example_pipeline"),
    )


def _check_version(metadata: ProjectMetadata) -> None:
    from ordino import __version__

    def major_minor(version: str) -> tuple[str, ...]:
        return tuple(version.split(".")[:2])

    project, installed = metadata.ordino_init_version, __version__
    if project.split(".")[0] != installed.split(".")[0] or (
        installed.startswith("0.") and major_minor(project) > major_minor(installed)
    ):
        raise ProjectNotFoundError(
            f"{metadata.config_file}: the project was made with ordino {project}, "
            f"which is not compatible with the installed ordino {installed}.",
            path=str(metadata.config_file),
            key="ordino_init_version",
            hint=f"Install ordino {project}, or update the project and set "
            f'ordino_init_version = "{installed}".',
        )


def _add_source_to_path(metadata: ProjectMetadata) -> None:
    source = metadata.source_dir
    if not source.is_dir():
        raise ProjectNotFoundError(
            f"{metadata.config_file}: source directory {source} does not exist.",
            path=str(metadata.config_file),
            key="source_dir",
            hint="Set source_dir in [tool.ordino] to the directory that holds "
            f"the package '{metadata.package_name}' (default 'src').",
        )
    text = str(source)
    if text not in sys.path:
        sys.path.insert(0, text)
    # Worker processes of ParallelRunner start fresh interpreters: they find the
    # project's package through PYTHONPATH.
    pythonpath = os.environ.get("PYTHONPATH", "")
    if text not in pythonpath.split(os.pathsep):
        os.environ["PYTHONPATH"] = os.pathsep.join(p for p in (text, pythonpath) if p)


def bootstrap_project(project_path: Path | str) -> ProjectMetadata:
    """Read a project's metadata, make its package importable and configure it.

    After this call ``ordino.framework.project.settings`` reads the project's
    ``settings.py`` and ``pipelines`` its ``pipeline_registry.py`` (both lazily),
    and logging follows the project's ``conf/logging.yml`` if it has one.

    Args:
        project_path: The project's root directory (where ``pyproject.toml`` is).

    Returns:
        The project's metadata.

    Raises:
        ProjectNotFoundError: The directory is not an ordino project, its
            ``[tool.ordino]`` table is malformed, or its source directory is missing.

    Example:
        >>> metadata = bootstrap_project(Path.cwd())  # doctest: +SKIP
        >>> metadata.package_name  # doctest: +SKIP
        'spaceflights'
    """
    path = Path(project_path).expanduser().resolve()
    metadata = _project_metadata(path)
    _check_version(metadata)
    _add_source_to_path(metadata)

    from ordino.framework.project import configure_logging, configure_project

    configure_project(metadata.package_name, project_path=path)
    configure_logging(project_path=path, package_name=metadata.package_name)
    return metadata
