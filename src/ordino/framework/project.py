"""The configured project: ``settings``, ``pipelines``, ``configure_project``, logging.

These module-level names exist for Kedro compatibility (``from
kedro.framework.project import pipelines`` ports to ordino unchanged). They are thin
views: ``settings`` reads the project's ``settings.py`` and ``pipelines`` calls its
``register_pipelines()``, each on first use, so importing this module is cheap.
"""

from __future__ import annotations

import importlib
import logging
import os
from collections.abc import Iterator, MutableMapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ordino.errors import PipelineNotFoundError, ProjectError
from ordino.framework.registry import LazyPipelines, _sum_pipelines, find_pipelines
from ordino.framework.settings import Settings

if TYPE_CHECKING:
    from ordino.pipeline import Pipeline

__all__ = [
    "LOGGING",
    "PACKAGE_NAME",
    "ProjectLogging",
    "ProjectPipelines",
    "configure_logging",
    "configure_project",
    "find_pipelines",
    "pipelines",
    "settings",
    "validate_settings",
]

LOGGING_ENV_VAR = "ORDINO_LOGGING_CONFIG"

PACKAGE_NAME: str | None = None
PROJECT_PATH: Path | None = None


class ProjectPipelines(MutableMapping[str, "Pipeline"]):
    """The project's registered pipelines, from ``register_pipelines()`` on first use.

    Asking for an unknown name raises ``PipelineNotFoundError`` with the closest
    names. A project that registers no ``"__default__"`` gets one that runs every
    registered pipeline (Kedro would fail the run instead).
    """

    def __init__(self) -> None:
        self._module_name: str | None = None
        self._data: LazyPipelines | None = None

    def configure(self, module_name: str | None) -> None:
        """Point at a ``pipeline_registry`` module; nothing is imported yet."""
        self._module_name = module_name
        self._data = None

    def _load(self) -> LazyPipelines:
        if self._data is None:
            self._data = self._register()
            if "__default__" not in self._data and len(self._data):
                _add_lazy_default(self._data)
        return self._data

    def _register(self) -> LazyPipelines:
        if not self._module_name:
            return LazyPipelines()
        try:
            module = importlib.import_module(self._module_name)
        except ModuleNotFoundError as exc:
            if exc.name != self._module_name:
                raise _registry_import_error(self._module_name, exc) from exc
            package = self._module_name.rpartition(".")[0]
            return find_pipelines(package_name=package) if package else LazyPipelines()
        except (ImportError, SyntaxError) as exc:
            raise _registry_import_error(self._module_name, exc) from exc
        register = getattr(module, "register_pipelines", None)
        if register is None:
            raise ProjectError(
                f"{getattr(module, '__file__', self._module_name)} has no "
                "register_pipelines() function.",
                hint="Define register_pipelines() returning a dict of pipelines, "
                "for example 'return find_pipelines()'.",
            )
        registered = register()
        if isinstance(registered, LazyPipelines):
            return registered
        if not isinstance(registered, MutableMapping | dict):
            raise ProjectError(
                f"register_pipelines() in {self._module_name} returned "
                f"{type(registered).__name__}, not a dict of pipelines.",
            )
        lazy = LazyPipelines()
        for name, pipeline in registered.items():
            lazy[name] = pipeline
        return lazy

    def __getitem__(self, name: str) -> Pipeline:
        data = self._load()
        if name not in data:
            from ordino.suggest import closest_matches

            known = sorted(data)
            raise PipelineNotFoundError(
                f"Unknown pipeline {name!r}.",
                pipeline=name,
                suggestions=closest_matches(name, known),
                hint="Registered pipelines: "
                + (", ".join(known) if known else "none")
                + ". Pipelines come from register_pipelines() in "
                "pipeline_registry.py.",
            )
        pipeline = data.get(name)
        if pipeline is None:  # found on disk, but its module did not build
            raise PipelineNotFoundError(
                f"Pipeline {name!r} could not be built: its module failed to import "
                "or its create_pipeline() returned no Pipeline.",
                pipeline=name,
                hint="See the warning above for the cause, or call "
                "find_pipelines(raise_errors=True) to raise it.",
            )
        return pipeline

    def __setitem__(self, name: str, pipeline: Pipeline) -> None:
        self._load()[name] = pipeline

    def __delitem__(self, name: str) -> None:
        del self._load()[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._load())

    def __len__(self) -> int:
        return len(self._load())

    def __contains__(self, name: object) -> bool:
        return name in self._load()

    def __repr__(self) -> str:
        return f"ProjectPipelines({sorted(self)!r})"


def _registry_import_error(module_name: str, exc: Exception) -> ProjectError:
    from ordino.framework.registry import pipeline_import_error

    return pipeline_import_error(
        module_name, exc, what=f"The project's pipelines ({module_name})"
    )


def _add_lazy_default(data: LazyPipelines) -> None:
    """Add a ``__default__`` that sums every registered pipeline when first asked."""
    names = list(data)

    def default() -> Pipeline:
        found = (data.get(name) for name in names)
        return _sum_pipelines(p for p in found if p is not None)

    data.set_loader("__default__", default)


class ProjectLogging:
    """The logging configuration in force (``LOGGING.data``), applied by dictConfig."""

    def __init__(self) -> None:
        self.data: dict[str, Any] = {}

    def configure(self, config: dict[str, Any]) -> None:
        """Apply ``config`` (a ``logging.config.dictConfig`` dictionary)."""
        from ordino.framework.logs import apply_default_config, is_default_config

        if is_default_config(config):
            apply_default_config(config)  # without importing logging.config
            self.data = config
            return
        import logging.config

        try:
            logging.config.dictConfig(config)
        except (ValueError, TypeError, AttributeError, ImportError) as exc:
            hint = (
                "Check the handlers, formatters and levels in your logging YAML "
                "file; see the logging.config dictionary schema."
            )
            if "kedro" in f"{exc} {exc.__cause__}":
                hint = (
                    "A Kedro logging file: replace kedro.logging.RichHandler with "
                    "ordino.framework.logs.ConsoleHandler."
                )
            raise ProjectError(
                f"The logging configuration is invalid: {exc}", hint=hint
            ) from exc
        self.data = config

    def set_project_logging(self, package_name: str) -> None:
        """Let the project's own package log at INFO, like ordino's loggers."""
        logging.getLogger(package_name).setLevel(logging.INFO)


settings = Settings()
pipelines = ProjectPipelines()
LOGGING = ProjectLogging()


def configure_project(package_name: str, *, project_path: Path | None = None) -> None:
    """Point ``settings`` and ``pipelines`` at a package (no import happens yet).

    Args:
        package_name: The project's Python package, as in ``[tool.ordino]``.
        project_path: The project's root directory, when known.
    """
    global PACKAGE_NAME, PROJECT_PATH
    settings.configure(f"{package_name}.settings")
    pipelines.configure(f"{package_name}.pipeline_registry")
    PACKAGE_NAME = package_name
    PROJECT_PATH = project_path


def validate_settings() -> None:
    """Import the project's ``settings.py`` now and check it (errors surface early).

    Raises:
        SettingsError: A setting has the wrong type or a misspelt name.
    """
    settings.validate()


def _read_logging_file(path: Path, source: str) -> dict[str, Any]:
    import yaml

    if not path.is_file():
        raise ProjectError(
            f"{source} points to {path}, which does not exist.",
            path=str(path),
            hint=f"Fix the path, or unset {LOGGING_ENV_VAR} to use the default "
            "logging.",
        )
    try:
        config = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise ProjectError(f"{path}: not valid YAML ({exc}).", path=str(path)) from exc
    if not isinstance(config, dict):
        raise ProjectError(
            f"{path}: a logging configuration must be a mapping, got "
            f"{type(config).__name__}.",
            path=str(path),
        )
    config.setdefault("version", 1)
    return config


def logging_config_path(project_path: Path | None = None) -> tuple[Path, str] | None:
    """Which logging file applies: ``$ORDINO_LOGGING_CONFIG``, then the project's.

    Returns the path and a description of where it came from, or None for the
    built-in default.
    """
    from_env = os.environ.get(LOGGING_ENV_VAR)
    if from_env:
        return Path(from_env).expanduser(), f"${LOGGING_ENV_VAR}"
    if project_path is not None:
        candidate = Path(project_path) / "conf" / "logging.yml"
        if candidate.is_file():
            return candidate, str(candidate)
    return None


def configure_logging(
    config: dict[str, Any] | None = None,
    *,
    project_path: Path | None = None,
    package_name: str | None = None,
) -> None:
    """Configure logging for a project.

    The first of these applies: ``config`` if given, the YAML file named by
    ``$ORDINO_LOGGING_CONFIG``, the project's ``conf/logging.yml``, then the default
    (a console handler: rich on a terminal, plain lines otherwise).

    Args:
        config: A ``logging.config.dictConfig`` dictionary.
        project_path: The project root, to find ``conf/logging.yml``.
        package_name: The project's package, whose loggers are set to INFO.
    """
    from ordino.framework.logs import default_logging_config

    if config is None:
        found = logging_config_path(project_path)
        if found is not None:
            config = _read_logging_file(*found)
        else:
            config = default_logging_config(package_name)
    LOGGING.configure(config)
    if package_name:
        LOGGING.set_project_logging(package_name)
