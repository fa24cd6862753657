"""Looking at a catalog rather than using it: serialising and describing it.

These back ``DataCatalog.to_config``, ``describe_datasets`` and
``resolve_patterns`` (and so the ``ordino catalog`` commands). None of them builds a
dataset that was not built yet, except to describe one, and none shows credentials:
entries come back with ``<name>_credentials`` references in their place.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from ordino.io.dataset import redact

if TYPE_CHECKING:
    from ordino.io.catalog import DataCatalog
    from ordino.io.dataset import AbstractDataset

__all__ = ["describe_datasets", "resolve_patterns", "to_config"]

_MEMORY_CLASSES = frozenset({"MemoryDataset", "SharedMemoryDataset"})
_MEMORY_TYPES = frozenset(
    f"{prefix}{name}"
    for prefix in ("", "ordino.io.", "kedro.io.")
    for name in _MEMORY_CLASSES
)


def to_config(
    catalog: DataCatalog,
) -> tuple[
    dict[str, dict[str, Any]], dict[str, Any], dict[str, str | None], str | None
]:
    """See :meth:`DataCatalog.to_config`."""
    entries: dict[str, dict[str, Any]] = {}
    credentials: dict[str, Any] = {}
    load_versions: dict[str, str | None] = {}
    resolver = catalog.config_resolver
    for name in catalog:
        config = catalog._entry_config(name)
        if config is None:
            dataset = catalog._datasets[name]
            if type(dataset).__name__ in _MEMORY_CLASSES:
                continue
            config = config_of(dataset)
        elif str(config.get("type")) in _MEMORY_TYPES:
            continue
        entry, secrets = resolver.unresolve_credentials(name, config)
        entries[name] = entry
        credentials.update(secrets)
        load_versions[name] = catalog._load_versions.get(name)
    return entries, credentials, load_versions, catalog._save_version


def describe_datasets(
    catalog: DataCatalog, pipelines: Mapping[str, Any] | Iterable[Any] | None
) -> dict[str, dict[str, Any]]:
    """See :meth:`DataCatalog.describe_datasets`."""
    if pipelines is None:
        return {name: _description(catalog, name) for name in catalog}
    explicit_names = set(catalog.keys())
    result = {}
    for key, pipe in named_pipelines(pipelines):
        names = {n for n in pipe.datasets() if not is_parameter(n)}
        explicit = names & explicit_names
        factories = {n for n in names - explicit if catalog.config_resolver.matches(n)}
        defaults = names - explicit - factories
        result[key] = {
            "datasets": _group_by_type(catalog, explicit),
            "factories": _group_by_type(catalog, factories),
            "defaults": _group_by_type(catalog, defaults),
        }
    return result


def resolve_patterns(
    catalog: DataCatalog, pipelines: Mapping[str, Any] | Iterable[Any] | None
) -> dict[str, dict[str, Any]]:
    """See :meth:`DataCatalog.resolve_patterns`."""
    resolver = catalog.config_resolver
    result: dict[str, dict[str, Any]] = {}
    for name in catalog:
        if is_parameter(name):
            continue
        config = catalog._entry_config(name)
        if config is None:
            config = config_of(catalog._datasets[name])
        result[name] = resolver.unresolve_credentials(name, config)[0]
    for _, pipe in named_pipelines(pipelines or {}):
        for name in sorted(pipe.datasets()):
            if name in result or is_parameter(name):
                continue
            config = resolver.resolve_pattern(name)
            result[name] = resolver.unresolve_credentials(name, config)[0]
    return result


def _description(catalog: DataCatalog, name: str) -> dict[str, Any]:
    dataset = catalog._datasets.get(name)
    if dataset is not None:
        return {"type": catalog.get_type(name), **dataset.describe()}
    config = catalog._entry_config(name) or {}
    described = redact({k: v for k, v in config.items() if k != "type"})
    return {"type": catalog.get_type(name), **described}


def _group_by_type(catalog: DataCatalog, names: Iterable[str]) -> dict[str, list[str]]:
    grouped: dict[str, list[str]] = {}
    for name in sorted(names):
        if name in catalog:
            full_type = catalog.get_type(name) or ""
        else:
            full_type = catalog.config_resolver.resolve_pattern(name).get("type", "")
        grouped.setdefault(full_type, []).append(name)
    return grouped


def config_of(dataset: AbstractDataset[Any, Any]) -> dict[str, Any]:
    """A catalog entry for a dataset built in code (``versioned`` for a version)."""
    config = dataset._init_config()
    version = config.pop("version", None)
    if version is not None:
        config["versioned"] = True
    return config


def is_parameter(name: str) -> bool:
    """``parameters`` and ``params:...`` are parameters, not datasets."""
    return name == "parameters" or name.startswith("params:")


def named_pipelines(
    pipelines: Mapping[str, Any] | Iterable[Any],
) -> list[tuple[str, Any]]:
    """``(name, pipeline)`` pairs; unnamed pipelines are ``pipeline_<i>`` (Kedro)."""
    if isinstance(pipelines, Mapping):
        return list(pipelines.items())
    return [(f"pipeline_{i}", pipe) for i, pipe in enumerate(pipelines)]
