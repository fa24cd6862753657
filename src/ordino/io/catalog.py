"""DataCatalog: datasets by name, built lazily, loaded and saved with context.

Kedro 1.x semantics. Explicit entries win, then dataset factories (ranked), then the
user's catch-all pattern; ``get(name, fallback_to_runtime_pattern=True)`` also builds
the runtime default (a MemoryDataset) for names the runner needs. Entries from
configuration are checked all at once when the catalog is created, but a dataset
object is built only on first access, so a catalog of 10,000 entries costs
microseconds per entry.

Around every load and save the catalog logs, runs the entry's ``validator`` and
turns a library failure into a :class:`DatasetError` naming the dataset and its
path, with the original error chained and secrets masked.
"""

from __future__ import annotations

import copy
import logging
import re
import threading
from collections.abc import Iterable, Iterator, Mapping
from typing import Any, ClassVar

from ordino.errors import (
    DatasetError,
    DatasetNotFoundError,
    OrdinoError,
    VersionAlreadyExistsError,
)
from ordino.io import catalog_inspect
from ordino.io.catalog_config import build_dataset
from ordino.io.dataset import AbstractDataset, AbstractVersionedDataset, Version
from ordino.io.factories import CatalogConfigResolver
from ordino.io.memory import MemoryDataset

__all__ = ["DataCatalog"]

logger = logging.getLogger(__name__)


class DataCatalog:
    """Named datasets for a project: what nodes load from and save to.

    Args:
        datasets: Dataset objects by name.
        raw_data: Plain values by name; each becomes a MemoryDataset.
        config_resolver: Entries and patterns from configuration (see
            :meth:`from_config`); its explicit entries are built on first access.
        load_versions: Dataset name -> version to load (versioned datasets).
        save_version: The version every versioned dataset saves under.

    Example:
        >>> catalog = DataCatalog(raw_data={"params:rate": 0.1})
        >>> catalog["cars"] = [1, 2]
        >>> catalog.load("cars"), "params:rate" in catalog, "boats" in catalog
        ([1, 2], True, False)
    """

    default_runtime_patterns: ClassVar[dict[str, dict[str, Any]]] = {
        "{default}": {"type": "ordino.io.MemoryDataset"}
    }

    def __init__(
        self,
        datasets: Mapping[str, AbstractDataset[Any, Any]] | None = None,
        raw_data: Mapping[str, Any] | None = None,
        config_resolver: CatalogConfigResolver | None = None,
        load_versions: Mapping[str, str] | None = None,
        save_version: str | None = None,
    ) -> None:
        self._config_resolver = config_resolver or CatalogConfigResolver(
            default_runtime_patterns=self.default_runtime_patterns
        )
        self._datasets: dict[str, AbstractDataset[Any, Any]] = dict(datasets or {})
        self._lazy: dict[str, dict[str, Any]] = {}
        self._configs: dict[
            str, dict[str, Any]
        ] = {}  # built from config: for to_config
        self._validators: dict[str, Any] = {}
        self._load_versions = dict(load_versions or {})
        self._save_version = save_version
        self._lock = threading.RLock()
        self._check_versions(self._datasets)
        for name, config in self._config_resolver.config.items():
            if name in self._datasets:
                logger.warning(
                    "Dataset '%s' is given both as an object and in the catalog "
                    "configuration; the object is used.",
                    name,
                )
            else:
                self._lazy[name] = config
        for name, value in (raw_data or {}).items():
            self[name] = value

    @classmethod
    def from_config(
        cls,
        catalog: Mapping[str, Any] | None,
        credentials: Mapping[str, Any] | None = None,
        load_versions: Mapping[str, str] | None = None,
        save_version: str | None = None,
        *,
        sources: Mapping[str, str] | None = None,
        source: str | None = None,
    ) -> DataCatalog:
        """Create a catalog from ``catalog.yml``-shaped configuration.

        Every entry is checked now (shape, type, arguments, credentials, patterns)
        and all problems are raised together; datasets are built on first use.

        Args:
            catalog: Dataset name or pattern -> entry.
            credentials: Credentials entries reference by name.
            load_versions: Dataset name -> version to load.
            save_version: Version to save under; defaults to the current time.
            sources: Entry name -> the file it was read from (for messages).
            source: The file every entry was read from (for messages).

        Raises:
            CatalogConfigError: every problem of the configuration, in one error.
            DatasetNotFoundError: a ``load_versions`` name is not in the catalog.
        """
        from ordino.io.dataset import generate_timestamp

        resolver = CatalogConfigResolver(
            catalog or {},
            credentials,
            cls.default_runtime_patterns,
            sources=sources,
            source=source,
        )
        load_versions = dict(load_versions or {})
        missing = sorted(n for n in load_versions if not resolver.matches(n))
        if missing:
            raise DatasetNotFoundError(
                f"'load_versions' names datasets that are not in the catalog: "
                f"{', '.join(missing)}.",
                hint="Check the names given to --load-versions.",
            )
        return cls(
            config_resolver=resolver,
            load_versions=load_versions,
            save_version=save_version or generate_timestamp(),
        )

    # -- mapping protocol -----------------------------------------------------------

    @property
    def config_resolver(self) -> CatalogConfigResolver:
        """The entries and patterns behind this catalog."""
        return self._config_resolver

    def __contains__(self, name: object) -> bool:
        """An explicit entry, or a name a user pattern (or catch-all) matches."""
        if not isinstance(name, str):
            return False
        return (
            name in self._datasets
            or name in self._lazy
            or self._config_resolver.matches(name)
        )

    def keys(self) -> list[str]:
        """Names of the explicit entries (built or not), not pattern matches."""
        return [*self._lazy, *self._datasets]

    def __iter__(self) -> Iterator[str]:
        return iter(self.keys())

    def __len__(self) -> int:
        return len(self._lazy) + len(self._datasets)

    def values(self) -> list[AbstractDataset[Any, Any]]:
        """Every explicit dataset (building the ones not built yet)."""
        return [self[name] for name in self.keys()]

    def items(self) -> list[tuple[str, AbstractDataset[Any, Any]]]:
        """``(name, dataset)`` for every explicit entry."""
        return [(name, self[name]) for name in self.keys()]

    def __getitem__(self, name: str) -> AbstractDataset[Any, Any]:
        dataset = self.get(name)
        if dataset is None:
            raise self._not_found(name)
        return dataset

    def __setitem__(self, name: str, value: Any) -> None:
        """Register a dataset, or a raw value (wrapped in a MemoryDataset)."""
        if name in self._datasets or name in self._lazy:
            logger.debug("Replacing dataset '%s'.", name)
            self._datasets.pop(name, None)
            self._lazy.pop(name, None)
            self._configs.pop(name, None)
            self._validators.pop(name, None)
            self._config_resolver.config.pop(name, None)
        if isinstance(value, AbstractDataset):
            self._check_versions({name: value})
            self._datasets[name] = value
        else:
            self._datasets[name] = MemoryDataset(data=value)

    def get(
        self,
        name: str,
        fallback_to_runtime_pattern: bool = False,
        version: Version | None = None,
    ) -> AbstractDataset[Any, Any] | None:
        """The dataset called ``name``, built if needed; None if there is none.

        With ``fallback_to_runtime_pattern`` a name nothing matches gets the
        runtime default (a MemoryDataset), registered under that name.
        """
        dataset = self._datasets.get(name)
        if dataset is None:
            with self._lock:  # two threads must not build (and split) one dataset
                dataset = self._datasets.get(name)
                if dataset is None:
                    config = self._lazy.get(name)
                    if config is None:
                        resolver = self._config_resolver
                        config = resolver.user_config(name)
                        if config is None:
                            if not fallback_to_runtime_pattern:
                                return None
                            config = resolver.resolve_pattern(name)
                    dataset = self._build(name, config)
                    self._lazy.pop(name, None)
        if version is not None and isinstance(dataset, AbstractVersionedDataset):
            dataset = _with_version(dataset, version)
        return dataset

    def _build(self, name: str, config: dict[str, Any]) -> AbstractDataset[Any, Any]:
        try:
            dataset = build_dataset(
                name,
                config,
                load_version=self._load_versions.get(name),
                save_version=self._save_version,
            )
        except OrdinoError as exc:
            raise self._with_source(name, exc) from exc.__cause__
        self._datasets[name] = dataset
        self._configs[name] = config
        return dataset

    def _with_source(self, name: str, exc: OrdinoError) -> OrdinoError:
        file = self._config_resolver.source_of(name)
        if file and not exc.message.startswith(file):
            exc.message = f"{file}, {exc.message}"
            exc.args = (exc.message,)
        if isinstance(exc, DatasetError) and exc.dataset is None:
            exc.dataset = name
        return exc

    def _not_found(self, name: str) -> DatasetNotFoundError:
        from ordino.suggest import closest_matches

        return DatasetNotFoundError(
            f"Dataset '{name}' not found in the catalog.",
            suggestions=closest_matches(name, self.keys()),
            hint="Add it to conf/base/catalog.yml or check the spelling.",
            dataset=name,
        )

    # -- operations -----------------------------------------------------------------

    def load(
        self, name: str, version: str | None = None, *, release: bool = False
    ) -> Any:
        """Load a dataset's data.

        Args:
            name: The dataset.
            version: A version to load (versioned datasets only).
            release: Move the data out of a MemoryDataset without copying it when
                nothing else holds it, and release the dataset: for a last consumer.

        Raises:
            DatasetNotFoundError: no such dataset.
            DatasetError: the load failed (the library's error is chained).
            ValidationError: the entry's validator rejected the data.
        """
        dataset = self.get(name, version=Version(version, None) if version else None)
        if dataset is None:
            raise self._not_found(name)
        logger.info("Loading data from '%s' (%s)...", name, type(dataset).__name__)
        try:
            if release and isinstance(dataset, MemoryDataset):
                data = dataset.load(release=True)
            else:
                data = dataset.load()
                if release:
                    dataset.release()
        except Exception as exc:
            raise self._operation_error("load", name, dataset, exc) from exc
        validator = self._validator(name)
        if validator is not None:
            validator(name, data, "load")
        return data

    def save(self, name: str, data: Any) -> None:
        """Save ``data`` to a dataset (validated first, written atomically).

        Raises:
            DatasetNotFoundError: no such dataset and no pattern for it.
            DatasetError: the save failed (the library's error is chained).
            ValidationError: the entry's validator rejected the data.
        """
        dataset = self[name]
        validator = self._validator(name)
        if validator is not None:
            validator(name, data, "save")
        logger.info("Saving data to '%s' (%s)...", name, type(dataset).__name__)
        box = [data]
        del data  # only ``box`` holds it now: MemoryDataset may take ownership
        try:
            dataset.save(box.pop())
        except Exception as exc:
            raise self._operation_error("save", name, dataset, exc) from exc

    def exists(self, name: str) -> bool:
        """Whether the dataset's data exists (False for unknown names)."""
        dataset = self.get(name)
        return dataset.exists() if dataset is not None else False

    def release(self, name: str) -> None:
        """Release cached data (the runner calls it after the last consumer)."""
        self[name].release()

    def confirm(self, name: str) -> None:
        """Call the dataset's ``confirm()`` (IncrementalDataset checkpoints)."""
        logger.info("Confirming dataset '%s'", name)
        dataset = self[name]
        confirm = getattr(dataset, "confirm", None)
        if not callable(confirm):
            raise DatasetError(
                f"Dataset '{name}' does not have a 'confirm' method.",
                hint="Only datasets with checkpoints (IncrementalDataset) confirm.",
                dataset=name,
            )
        confirm()

    def _operation_error(
        self,
        operation: str,
        name: str,
        dataset: AbstractDataset[Any, Any],
        exc: Exception,
    ) -> Exception:
        from ordino.io.failures import describe_failure

        return describe_failure(operation, name, dataset, exc, self._secrets(name))

    def _secrets(self, name: str) -> list[str]:
        from ordino.io.failures import secret_strings

        sources: list[Any] = [self._configs.get(name), self._lazy.get(name)]
        dataset = self._datasets.get(name)
        if dataset is not None:
            sources.append(dataset._init_args)
        return secret_strings(sources)

    def _validator(self, name: str) -> Any:
        if name in self._validators:
            return self._validators[name]
        config = self._configs.get(name) or self._lazy.get(name) or {}
        spec = config.get("validator")
        validator = None
        if spec is not None:
            from ordino.io.validators import build_validator

            validator = build_validator(
                name, spec, source=self._config_resolver.source_of(name)
            )
        self._validators[name] = validator
        return validator

    # -- inspection -----------------------------------------------------------------

    def filter(
        self,
        name_regex: re.Pattern[str] | str | None = None,
        type_regex: re.Pattern[str] | str | None = None,
        by_type: type | list[type] | None = None,
    ) -> list[str]:
        """Names of explicit entries whose name and type match (Kedro's rules)."""
        names = self.keys()
        if name_regex:
            names = [n for n in names if re.search(name_regex, n)]
        wanted: set[str] = set()
        if by_type:
            for cls in by_type if isinstance(by_type, list) else [by_type]:
                wanted.add(f"{cls.__module__}.{cls.__qualname__}")
        if not (wanted or type_regex):
            return names
        result = []
        for name in names:
            full_type = self.get_type(name) or ""
            if (not type_regex or re.search(type_regex, full_type)) and (
                not wanted or full_type in wanted
            ):
                result.append(name)
        return result

    def get_type(self, name: str) -> str | None:
        """The full class path of a dataset, without building it; None if unknown."""
        dataset = self._datasets.get(name)
        if dataset is not None:
            return f"{type(dataset).__module__}.{type(dataset).__qualname__}"
        if name not in self:
            return None
        config = self._lazy.get(name) or self._config_resolver.resolve_pattern(name)
        from ordino.io.types import resolve_dataset_type

        cls = resolve_dataset_type(config["type"])
        return f"{cls.__module__}.{cls.__qualname__}"

    def to_config(
        self,
    ) -> tuple[
        dict[str, dict[str, Any]], dict[str, Any], dict[str, str | None], str | None
    ]:
        """``(catalog, credentials, load_versions, save_version)`` for from_config.

        MemoryDatasets are left out (as in Kedro); credentials are moved out of each
        entry into ``<name>_credentials`` references.
        """
        return catalog_inspect.to_config(self)

    def describe_datasets(
        self, pipelines: Mapping[str, Any] | Iterable[Any] | None = None
    ) -> dict[str, dict[str, Any]]:
        """Describe datasets, never showing credentials.

        Without ``pipelines``: ``{name: {"type": ..., **description}}`` for every
        explicit entry. With pipelines (name -> pipeline, or a list): per pipeline,
        its datasets grouped as Kedro's ``catalog describe-datasets`` does:
        ``{"datasets": {type: [names]}, "factories": {...}, "defaults": {...}}``.
        """
        return catalog_inspect.describe_datasets(self, pipelines)

    def list_patterns(self) -> list[str]:
        """Every pattern in the order names are matched against them."""
        return self._config_resolver.list_patterns()

    def resolve_patterns(
        self, pipelines: Mapping[str, Any] | Iterable[Any] | None = None
    ) -> dict[str, dict[str, Any]]:
        """Entries for the explicit datasets and every pipeline dataset a pattern
        builds, with credentials replaced by references (safe to print)."""
        return catalog_inspect.resolve_patterns(self, pipelines)

    def _entry_config(self, name: str) -> dict[str, Any] | None:
        """The configuration an explicit entry was (or will be) built from."""
        return self._lazy.get(name) or self._configs.get(name)

    # -- misc -----------------------------------------------------------------------

    def _check_versions(
        self, datasets: Mapping[str, AbstractDataset[Any, Any]]
    ) -> None:
        from ordino.io.cached import CachedDataset

        for name, dataset in datasets.items():
            inner = dataset._dataset if isinstance(dataset, CachedDataset) else dataset
            version = getattr(inner, "_version", None)
            if not isinstance(inner, AbstractVersionedDataset) or not version:
                continue
            if version.load:
                self._load_versions[name] = version.load
            if version.save:
                self._save_version = self._save_version or version.save
                if self._save_version != version.save:
                    raise VersionAlreadyExistsError(
                        f"Cannot add dataset '{name}' with save version "
                        f"'{version.save}': the catalog saves under "
                        f"'{self._save_version}'.",
                        hint="All datasets of a catalog save under one version.",
                        dataset=name,
                    )

    def __repr__(self) -> str:
        lines = [f"'{name}': <{self._lazy[name].get('type')}>" for name in self._lazy]
        lines.extend(f"'{name}': {ds!r}" for name, ds in self._datasets.items())
        return "\n".join(lines)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, DataCatalog):
            return NotImplemented
        return (self._datasets, self._lazy, self.list_patterns()) == (
            other._datasets,
            other._lazy,
            other.list_patterns(),
        )

    __hash__ = None  # type: ignore[assignment]  # mutable container

    def __getstate__(self) -> dict[str, Any]:
        state = self.__dict__.copy()
        del state["_lock"]  # locks cannot be pickled; a copy gets its own
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)
        self._lock = threading.RLock()

    def _ipython_key_completions_(self) -> list[str]:
        return self.keys()


def _with_version(
    dataset: AbstractVersionedDataset[Any, Any], version: Version
) -> AbstractVersionedDataset[Any, Any]:
    """A copy of ``dataset`` that loads ``version.load`` (the original is untouched)."""
    clone = copy.copy(dataset)
    current = dataset._version
    clone._version = Version(version.load, current.save if current else None)
    clone._latest_load_version = None
    return clone
