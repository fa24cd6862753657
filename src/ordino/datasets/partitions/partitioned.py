"""``partitions.PartitionedDataset``: a folder of files, one dataset per file.

Loading lists the folder once (cached until ``release()``) and returns a dict
partition id -> zero-argument callable that loads that partition: nothing is read
until a node calls it. Saving takes a dict partition id -> data (or callable that
returns the data, called at save time with ``save_lazily``).

Each partition is saved atomically by its own dataset; the set of partitions is not
one transaction (a failure half-way leaves the partitions saved so far). With
``overwrite: true`` the partitions of a previous save that the new one does not
write are removed *after* the new ones are in place, never before. Temporaries of
crashed saves are never listed as partitions.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from pathlib import PurePosixPath
from typing import Any

from ordino.datasets._file import sweep_stale_temporaries
from ordino.errors import DatasetError
from ordino.io.dataset import AbstractDataset
from ordino.io.files import (
    build_filesystem,
    is_local,
    is_temporary_path,
    parse_protocol_path,
)

__all__ = ["PartitionedDataset", "dataset_spec"]

DatasetSpec = str | type[AbstractDataset[Any, Any]] | Mapping[str, Any]


def dataset_spec(
    owner: str, spec: DatasetSpec, *, what: str = "dataset"
) -> tuple[type[AbstractDataset[Any, Any]], dict[str, Any]]:
    """``pandas.CSVDataset`` / a class / ``{type: ..., **args}`` -> (class, args)."""
    from ordino.io.types import resolve_dataset_type

    if isinstance(spec, str):
        config: dict[str, Any] = {"type": spec}
    elif isinstance(spec, type):
        config = {"type": spec}
    elif isinstance(spec, Mapping) and "type" in spec:
        config = dict(spec)
    else:
        raise DatasetError(
            f"{owner}: '{what}' must be a dataset type or a mapping with 'type', "
            f"got {spec!r}.",
            hint=f"Write e.g. '{what}: pandas.CSVDataset' or "
            f"'{what}: {{type: pandas.CSVDataset, load_args: {{...}}}}'.",
        )
    kind = config.pop("type")
    cls = resolve_dataset_type(kind) if isinstance(kind, str) else kind
    if not (isinstance(cls, type) and issubclass(cls, AbstractDataset)):
        raise DatasetError(
            f"{owner}: '{what}' type {kind!r} is not a dataset class.",
            hint="A dataset class subclasses ordino.io.AbstractDataset.",
        )
    if config.pop("versioned", False) or config.get("version"):
        raise DatasetError(
            f"{owner}: the {what} cannot be versioned.",
            hint=f"Remove 'versioned: true' from the '{what}' definition.",
        )
    config.pop("version", None)
    return cls, config


class PartitionedDataset(AbstractDataset[dict[str, Any], dict[str, Callable[[], Any]]]):
    """A folder of partitions, each loaded and saved by an underlying dataset.

    Args:
        path: The folder, with protocol for remote storage (``s3://bucket/raw``).
        dataset: The partitions' dataset: a type name, a class, or a mapping with
            ``type`` and its arguments (all but the filepath).
        filepath_arg: The name of the dataset's path argument.
        filename_suffix: Only files ending with it are partitions; stripped from
            partition ids and added when saving.
        credentials: For the filesystem and, unless the dataset definition has its
            own, for each partition's dataset.
        load_args: Passed to ``fs.find`` when listing (``maxdepth``, ``withdirs``).
        fs_args: Passed to the filesystem.
        overwrite: Remove partitions the new save does not write (after saving).
        save_lazily: Call callables found among the saved values.
        metadata: Free-form, ignored by ordino.

    Example:
        >>> import pandas as pd, tempfile
        >>> folder = tempfile.mkdtemp()
        >>> parts = PartitionedDataset(
        ...     path=folder, dataset="pandas.CSVDataset", filename_suffix=".csv"
        ... )
        >>> frames = {"jan": pd.DataFrame({"a": [1]}), "feb": pd.DataFrame({"a": [2]})}
        >>> parts.save(frames)
        >>> loaders = parts.load()
        >>> sorted(loaders), loaders["feb"]()["a"].tolist()
        (['feb', 'jan'], [2])
    """

    def __init__(
        self,
        *,
        path: str | os.PathLike[str],
        dataset: DatasetSpec,
        filepath_arg: str = "filepath",
        filename_suffix: str = "",
        credentials: Mapping[str, Any] | None = None,
        load_args: Mapping[str, Any] | None = None,
        fs_args: Mapping[str, Any] | None = None,
        overwrite: bool = False,
        save_lazily: bool = True,
        metadata: Mapping[str, Any] | None = None,
    ) -> None:
        self._path = os.fspath(path)
        kind = type(self).__name__
        self._dataset_type, self._dataset_config = dataset_spec(
            f"partitions.{kind} '{self._path}'", dataset
        )
        if filepath_arg in self._dataset_config:
            raise DatasetError(
                f"partitions.{kind} '{self._path}': the dataset definition sets "
                f"'{filepath_arg}', which each partition's path replaces.",
                hint=f"Remove '{filepath_arg}' from the dataset definition.",
            )
        self._filepath_arg = filepath_arg
        self._filename_suffix = filename_suffix
        self._credentials = dict(credentials or {})
        if self._credentials and "credentials" not in self._dataset_config:
            self._dataset_config["credentials"] = self._credentials
        self._load_args = dict(load_args or {})
        self._fs_args = dict(fs_args or {})
        self._overwrite = overwrite
        self._save_lazily = save_lazily
        self.metadata = dict(metadata) if metadata is not None else None
        self._protocol, _ = parse_protocol_path(self._path)
        self._fs = build_filesystem(self._protocol, self._fs_args, self._credentials)
        self._normalized_path = str(self._fs._strip_protocol(self._path)).rstrip("/")
        self._partition_cache: list[str] | None = None

    # -- paths and partition ids --------------------------------------------------

    def _join_protocol(self, path: str) -> str:
        if self._protocol == "file":
            return path
        return f"{self._protocol}://{path}"

    def _path_to_partition(self, path: str) -> str:
        relative = str(PurePosixPath(path).relative_to(self._normalized_path))
        suffix = self._filename_suffix
        if suffix and relative.endswith(suffix):
            relative = relative[: -len(suffix)]
        return relative

    def _partition_to_path(self, partition_id: str) -> str:
        return f"{self._normalized_path}/{partition_id}{self._filename_suffix}"

    def _is_partition(self, path: str) -> bool:
        if not path.endswith(self._filename_suffix):
            return False
        relative = PurePosixPath(path).relative_to(self._normalized_path)
        return not any(is_temporary_path(part) for part in relative.parts)

    def _list_partitions(self) -> list[str]:
        if self._partition_cache is None:
            found = self._fs.find(self._normalized_path, **self._load_args)
            self._partition_cache = sorted(p for p in found if self._is_partition(p))
        return self._partition_cache

    def _partition_dataset(self, partition_id: str) -> AbstractDataset[Any, Any]:
        kwargs = dict(self._dataset_config)
        kwargs[self._filepath_arg] = self._join_protocol(
            self._partition_to_path(partition_id)
        )
        partition = self._dataset_type(**kwargs)
        if hasattr(partition, "sweep_temporaries"):
            partition.sweep_temporaries = False  # this folder is swept once per save
        return partition

    # -- load / save ---------------------------------------------------------------

    def load(self) -> dict[str, Callable[[], Any]]:
        """A loader per partition; each reads its file only when called."""
        partitions = self._list_partitions()
        if not partitions:
            raise DatasetError(
                f"No partitions found in '{self._path}'"
                + (
                    f" (files ending with '{self._filename_suffix}')."
                    if self._filename_suffix
                    else "."
                ),
                path=self._path,
                hint="Check the path and filename_suffix, or run the node that "
                "writes the partitions first.",
            )
        loaders: dict[str, Callable[[], Any]] = {}
        for path in partitions:
            partition_id = self._path_to_partition(path)
            loaders[partition_id] = self._partition_dataset(partition_id).load
        return loaders

    def save(self, data: dict[str, Any]) -> None:
        """Save each partition; callables are called first (``save_lazily``)."""
        if not isinstance(data, Mapping):
            raise DatasetError(
                f"partitions.{type(self).__name__} '{self._path}' saves a dict "
                f"partition id -> data, got {type(data).__name__}.",
                path=self._path,
                hint="Return a dict from the node, e.g. {'2024-01': frame}.",
            )
        previous = set(self._list_partitions()) if self._overwrite else set()
        self._invalidate_caches()
        written: set[str] = set()
        try:
            for partition_id, value in sorted(data.items()):
                partition_data = (
                    value() if self._save_lazily and callable(value) else value
                )
                self._partition_dataset(partition_id).save(partition_data)
                written.add(self._partition_to_path(partition_id))
        finally:
            self._invalidate_caches()
            self._sweep(written)
        for stale in sorted(previous - written):
            self._fs.rm(stale)
        self._invalidate_caches()

    def _sweep(self, written: set[str]) -> None:
        if is_local(self._fs):
            for folder in {os.path.dirname(p) for p in written}:
                sweep_stale_temporaries(folder)

    # -- the rest of the contract -------------------------------------------------

    def _exists(self) -> bool:
        return bool(self._list_partitions())

    def _invalidate_caches(self) -> None:
        self._partition_cache = None
        self._fs.invalidate_cache(self._normalized_path)

    def _release(self) -> None:
        super()._release()
        self._invalidate_caches()

    def _describe(self) -> dict[str, Any]:
        config = {k: v for k, v in self._dataset_config.items() if k != "credentials"}
        return {
            "path": self._path,
            "dataset_type": self._dataset_type.__name__,
            "dataset_config": config or None,
            "filename_suffix": self._filename_suffix or None,
        }
