"""``partitions.IncrementalDataset``: only the partitions added since the checkpoint.

The checkpoint is a small dataset (by default the text file ``CHECKPOINT`` inside
the folder, saved atomically) holding the last processed partition id. ``load()``
returns the partitions whose id compares past it (``operator.gt`` by default),
loaded eagerly; ``confirm()`` moves the checkpoint to the last of them, typically
called by the runner after the consuming node succeeded (``node(..., confirms=)``).
"""

from __future__ import annotations

import operator
import os
from collections.abc import Callable, Mapping
from typing import Any

from ordino.datasets.partitions.partitioned import (
    DatasetSpec,
    PartitionedDataset,
    dataset_spec,
)
from ordino.errors import DatasetError

__all__ = ["IncrementalDataset"]

Comparison = Callable[[str, str], bool]


def _comparison(owner: str, value: object) -> Comparison:
    if value is None:
        return operator.gt
    if callable(value):
        return value
    if isinstance(value, str):
        import importlib

        module_name, _, attr = value.rpartition(".")
        try:
            found = getattr(importlib.import_module(module_name), attr)
        except (ImportError, AttributeError, ValueError) as exc:
            raise DatasetError(
                f"{owner}: cannot import the checkpoint comparison_func '{value}'.",
                hint="Give a full import path such as 'operator.ge' or "
                "'my_project.checkpoints.newer'.",
            ) from exc
        if callable(found):
            return found  # type: ignore[no-any-return]  # checked callable
    raise DatasetError(
        f"{owner}: checkpoint comparison_func must be callable or an import path, "
        f"got {value!r}.",
        hint="Use e.g. 'comparison_func: operator.ge'.",
    )


class IncrementalDataset(PartitionedDataset):
    """A :class:`PartitionedDataset` that loads only new partitions.

    Args:
        checkpoint: The checkpoint's definition: a mapping (``type``, ``filepath``,
            ``comparison_func``, ``force_checkpoint`` and dataset arguments) or a
            string, short for ``{force_checkpoint: <string>}``.
        Other arguments: as :class:`PartitionedDataset`.

    Example:
        >>> import pandas as pd, tempfile
        >>> folder = tempfile.mkdtemp()
        >>> inc = IncrementalDataset(path=folder, dataset="pandas.CSVDataset")
        >>> inc.save({"001": pd.DataFrame({"a": [1]})})
        >>> sorted(inc.load())
        ['001']
        >>> inc.confirm(); inc.release()
        >>> inc.load()
        {}
    """

    DEFAULT_CHECKPOINT_TYPE = "text.TextDataset"
    DEFAULT_CHECKPOINT_FILENAME = "CHECKPOINT"

    def __init__(
        self,
        *,
        path: str | os.PathLike[str],
        dataset: DatasetSpec,
        checkpoint: Mapping[str, Any] | str | None = None,
        filepath_arg: str = "filepath",
        filename_suffix: str = "",
        credentials: Mapping[str, Any] | None = None,
        load_args: Mapping[str, Any] | None = None,
        fs_args: Mapping[str, Any] | None = None,
        metadata: Mapping[str, Any] | None = None,
    ) -> None:
        super().__init__(
            path=path,
            dataset=dataset,
            filepath_arg=filepath_arg,
            filename_suffix=filename_suffix,
            credentials=credentials,
            load_args=load_args,
            fs_args=fs_args,
            metadata=metadata,
        )
        owner = f"partitions.IncrementalDataset '{self._path}'"
        if isinstance(checkpoint, str):
            config: dict[str, Any] = {"force_checkpoint": checkpoint}
        else:
            config = dict(checkpoint or {})
        self._force_checkpoint: str | None = config.pop("force_checkpoint", None)
        self._comparison_func = _comparison(owner, config.pop("comparison_func", None))
        config.setdefault("type", self.DEFAULT_CHECKPOINT_TYPE)
        config.setdefault(
            "filepath",
            self._join_protocol(
                f"{self._normalized_path}/{self.DEFAULT_CHECKPOINT_FILENAME}"
            ),
        )
        if self._credentials and "credentials" not in config:
            config["credentials"] = self._credentials
        checkpoint_type, checkpoint_args = dataset_spec(
            owner, config, what="checkpoint"
        )
        self._checkpoint_config = {"type": checkpoint_type, **checkpoint_args}
        self._checkpoint = checkpoint_type(**checkpoint_args)
        self._checkpoint_path = str(
            self._fs._strip_protocol(str(checkpoint_args["filepath"]))
        )
        self._loaded_ids: list[str] | None = None

    def _read_checkpoint(self) -> str | None:
        if self._force_checkpoint is not None:
            return self._force_checkpoint
        if not self._checkpoint.exists():
            return None
        value = self._checkpoint.load()
        return None if value is None else str(value)

    def _list_partitions(self) -> list[str]:
        if self._partition_cache is None:
            checkpoint = self._read_checkpoint()
            found = self._fs.find(self._normalized_path, **self._load_args)
            self._partition_cache = sorted(
                p
                for p in found
                if self._is_partition(p)
                and p != self._checkpoint_path
                and (
                    checkpoint is None
                    or self._comparison_func(self._path_to_partition(p), checkpoint)
                )
            )
        return self._partition_cache

    def load(self) -> dict[str, Any]:
        """The new partitions' data (loaded now), by partition id; ``{}`` if none."""
        loaded: dict[str, Any] = {}
        for path in self._list_partitions():
            partition_id = self._path_to_partition(path)
            loaded[partition_id] = self._partition_dataset(partition_id).load()
        return loaded

    def confirm(self) -> None:
        """Move the checkpoint to the last partition the latest ``load`` listed."""
        partition_ids = [self._path_to_partition(p) for p in self._list_partitions()]
        if partition_ids:
            self._checkpoint.save(partition_ids[-1])

    def _describe(self) -> dict[str, Any]:
        checkpoint = {
            k: (v.__name__ if isinstance(v, type) else v)
            for k, v in self._checkpoint_config.items()
            if k != "credentials"
        }
        return {**super()._describe(), "checkpoint": checkpoint}
