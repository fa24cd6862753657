"""``Context``: a project's configuration, parameters and catalog for one environment.

The catalog is built from ``catalog`` and ``credentials`` configuration with relative
file paths made absolute against the project, so a notebook or a test started from
another directory reads and writes the same files as ``ordino run``. Parameters are
added to it as ``parameters`` (the whole dictionary) and ``params:<key>`` for every
key at every depth.
"""

from __future__ import annotations

import copy
import logging
from collections.abc import Iterator, Mapping
from pathlib import Path, PurePosixPath, PureWindowsPath
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ordino.config import AbstractConfigLoader
    from ordino.io import DataCatalog

__all__ = ["Context", "absolute_paths", "flatten_parameters", "merge_parameters"]

_logger = logging.getLogger(__name__)
_PATH_KEYS = frozenset({"filepath", "path", "filename"})


def _is_relative(path: str) -> bool:
    if PureWindowsPath(path).drive or "://" in path:
        return False
    if ":" in path.split("/", 1)[0] and not path.startswith("."):
        return False  # "memory:..." and other fsspec protocol shorthands
    return not PurePosixPath(path).is_absolute()


def absolute_paths(project_path: Path, config: Mapping[str, Any]) -> dict[str, Any]:
    """Return a copy of ``config`` with relative local paths under ``project_path``.

    Only the keys ``filepath``, ``path`` and ``filename`` are touched, at any depth
    (so a ``CachedDataset``'s inner ``dataset`` is covered); URLs such as
    ``s3://bucket/x`` and absolute paths are left alone.

    Example:
        >>> absolute_paths(Path("/p"), {"cars": {"filepath": "data/cars.csv"}})
        {'cars': {'filepath': '/p/data/cars.csv'}}
    """
    result: dict[str, Any] = {}
    for key, value in config.items():
        if isinstance(value, Mapping):
            result[key] = absolute_paths(project_path, value)
        elif key in _PATH_KEYS and isinstance(value, str) and _is_relative(value):
            result[key] = (project_path / value).as_posix()
        elif (
            key in _PATH_KEYS
            and isinstance(value, str)
            and PureWindowsPath(value).drive
        ):
            result[key] = PureWindowsPath(value).as_posix()
        else:
            result[key] = value
    return result


def _nest(key: str, value: Any) -> dict[str, Any]:
    head, dot, rest = key.partition(".")
    return {head: _nest(rest, value) if dot else value}


def merge_parameters(
    base: Mapping[str, Any], override: Mapping[str, Any]
) -> dict[str, Any]:
    """Deep-merge ``override`` into a copy of ``base``; dotted keys nest.

    Example:
        >>> merge_parameters({"model": {"lr": 0.1, "k": 3}}, {"model.lr": 0.5})
        {'model': {'lr': 0.5, 'k': 3}}
    """
    merged: dict[str, Any] = copy.deepcopy(dict(base))
    for key, value in override.items():
        if isinstance(key, str) and "." in key and key not in merged:
            head, _, rest = key.partition(".")
            value, key = _nest(rest, value), head
        current = merged.get(key)
        if isinstance(current, Mapping) and isinstance(value, Mapping):
            merged[key] = merge_parameters(current, value)
        else:
            merged[key] = copy.deepcopy(value)
    return merged


def flatten_parameters(params: Mapping[str, Any]) -> Iterator[tuple[str, Any]]:
    """Yield ``("params:<key>", value)`` for every key at every depth.

    Example:
        >>> dict(flatten_parameters({"a": {"b": 1}}))
        {'params:a': {'b': 1}, 'params:a.b': 1}
    """
    for key, value in params.items():
        yield f"params:{key}", value
        if isinstance(value, Mapping):
            for nested, inner in flatten_parameters(value):
                yield f"params:{key}.{nested[len('params:') :]}", inner


def _plain(config: Any) -> Any:
    """Turn an OmegaConf container into plain dicts and lists (no-op otherwise)."""
    if type(config).__module__.startswith("omegaconf"):
        from omegaconf import OmegaConf

        return OmegaConf.to_container(config, resolve=True)
    return config


def _is_no_files_error(exc: Exception, key: str) -> bool:
    """Whether ``exc`` only says that no file of configuration kind ``key`` exists.

    The loader raises that one with ``key=<kind>``; a missing environment carries
    ``environments=`` and an unreadable file carries no key.
    """
    return getattr(exc, "key", None) == key and not hasattr(exc, "environments")


def _accepts_sources(catalog_class: type[Any]) -> bool:
    import inspect

    try:
        parameters = inspect.signature(catalog_class.from_config).parameters
    except (TypeError, ValueError):
        return False
    return "sources" in parameters or any(
        p.kind is inspect.Parameter.VAR_KEYWORD for p in parameters.values()
    )


class Context:
    """A project's configuration, parameters and catalog for one environment.

    Sessions create contexts (``session.load_context()``); subclass it and set
    ``CONTEXT_CLASS`` in ``settings.py`` to customise how the catalog is built.

    Args:
        package_name: The project's Python package.
        project_path: The project's root directory.
        config_loader: Reads the configuration (``OmegaConfigLoader`` by default).
        hook_manager: The session's plugin manager; its ``after_catalog_created``
            hooks see every catalog built here.
        env: The configuration environment; None means the loader's default.
        runtime_params: Parameters given at run time; they override the files.

    Example:
        >>> with Session.create() as session:  # doctest: +SKIP
        ...     context = session.load_context()
        ...     context.params["model"]["test_size"]
        0.2
    """

    def __init__(
        self,
        package_name: str | None,
        project_path: Path | str,
        config_loader: AbstractConfigLoader,
        hook_manager: Any,
        env: str | None = None,
        runtime_params: Mapping[str, Any] | None = None,
    ) -> None:
        self._package_name = package_name
        self.project_path = Path(project_path).expanduser().resolve()
        self.config_loader = config_loader
        self._hook_manager = hook_manager
        self.env = env
        self._runtime_params: dict[str, Any] = copy.deepcopy(dict(runtime_params or {}))

    @property
    def package_name(self) -> str | None:
        """The project's Python package."""
        return self._package_name

    @property
    def runtime_params(self) -> dict[str, Any]:
        """A copy of the parameters given at run time."""
        return copy.deepcopy(self._runtime_params)

    @property
    def params(self) -> dict[str, Any]:
        """The parameters from configuration, overridden by the runtime ones."""
        return merge_parameters(
            self._config_or_empty("parameters"), self._runtime_params
        )

    @property
    def catalog(self) -> DataCatalog:
        """A new catalog built from the configuration, with the parameters in it."""
        return self._get_catalog()

    def _config_or_empty(self, key: str) -> dict[str, Any]:
        """``config_loader[key]``, or ``{}`` when no file of that kind exists.

        Only "no ``catalog*`` / ``parameters*`` / ``credentials*`` file anywhere" means
        empty: a missing environment or an unreadable file is raised, so base
        configuration is never silently replaced by nothing.
        """
        from ordino.errors import MissingConfigException

        try:
            value = _plain(self.config_loader[key])
        except MissingConfigException as exc:
            if not _is_no_files_error(exc, key):
                raise
            _logger.debug("No %s in the configuration: %s", key, exc.message)
            return {}
        return dict(value or {})

    def _get_catalog(
        self,
        catalog_class: type[Any] | None = None,
        save_version: str | None = None,
        load_versions: dict[str, str] | None = None,
    ) -> DataCatalog:
        """Build the catalog; subclasses override this to change how."""
        if catalog_class is None:
            from ordino.framework.project import settings

            catalog_class = settings.DATA_CATALOG_CLASS
        conf_catalog = absolute_paths(
            self.project_path, self._config_or_empty("catalog")
        )
        conf_creds = self._config_or_empty("credentials")
        from ordino.framework.secrets import remember_credentials

        remember_credentials(conf_creds)
        catalog: DataCatalog = catalog_class.from_config(
            catalog=conf_catalog,
            credentials=conf_creds,
            load_versions=load_versions,
            save_version=save_version,
            **self._catalog_sources(catalog_class),
        )
        parameters = self.params
        feed_dict = {"parameters": parameters, **dict(flatten_parameters(parameters))}
        for name, value in feed_dict.items():
            catalog[name] = value
        if self._hook_manager is not None:
            from ordino.framework.hook_calls import call_hook

            call_hook(
                self._hook_manager,
                "after_catalog_created",
                catalog=catalog,
                conf_catalog=conf_catalog,
                conf_creds=conf_creds,
                parameters=parameters,
                feed_dict=feed_dict,
                save_version=save_version,
                load_versions=load_versions,
            )
        return catalog

    def _catalog_sources(self, catalog_class: type[Any]) -> dict[str, Any]:
        """``sources=`` for ``from_config``: which file each catalog entry came from.

        Passed only to a catalog class whose ``from_config`` takes it (a custom
        ``DATA_CATALOG_CLASS`` may not), so its errors name the file to fix.
        """
        from ordino.framework.config_origin import catalog_sources

        if not _accepts_sources(catalog_class):
            return {}
        sources = catalog_sources(self.config_loader, "catalog", self.project_path)
        return {"sources": sources} if sources else {}

    def __repr__(self) -> str:
        return (
            f"Context(package_name={self._package_name!r}, "
            f"project_path={str(self.project_path)!r}, env={self.env!r})"
        )
