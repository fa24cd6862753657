"""CachedDataset: any dataset with an in-memory copy in front of it.

The first load reads the wrapped dataset and keeps the result; later loads come from
memory. A save writes through to the wrapped dataset and refreshes the cache. In a
catalog entry the wrapped dataset is a nested entry, and ``versioned: true`` belongs
on the CachedDataset (it versions the wrapped one)::

    model_input:
      type: CachedDataset
      versioned: true
      dataset:
        type: pandas.ParquetDataset
        filepath: data/05_model_input/model_input.parquet
"""

from __future__ import annotations

import logging
from typing import Any

from ordino.errors import DatasetError
from ordino.io.dataset import AbstractDataset, Version
from ordino.io.memory import MemoryDataset

__all__ = ["CachedDataset"]

logger = logging.getLogger(__name__)


class CachedDataset(AbstractDataset[Any, Any]):
    """Caches the data of another dataset in memory.

    Args:
        dataset: The dataset to wrap, or its catalog entry (a mapping with ``type``).
        version: Versions for the wrapped entry (set by ``versioned: true``).
        copy_mode: The cache's MemoryDataset copy mode.
        metadata: Free-form information for plugins.

    Example:
        >>> cached = CachedDataset(MemoryDataset([1, 2]))
        >>> cached.load()
        [1, 2]
    """

    def __init__(
        self,
        dataset: AbstractDataset[Any, Any] | dict[str, Any],
        version: Version | None = None,
        copy_mode: str | None = None,
        metadata: dict[str, Any] | None = None,
    ) -> None:
        if isinstance(dataset, dict):
            self._dataset = self._from_config(dataset, version)
        elif isinstance(dataset, AbstractDataset):
            self._dataset = dataset
        else:
            raise DatasetError(
                "CachedDataset needs a dataset or a catalog entry for 'dataset', "
                f"got {type(dataset).__name__}.",
                hint="Nest the wrapped entry under 'dataset:' with its own 'type'.",
            )
        self._cache = MemoryDataset(copy_mode=copy_mode)
        self.metadata = metadata

    @staticmethod
    def _from_config(
        config: dict[str, Any], version: Version | None
    ) -> AbstractDataset[Any, Any]:
        if "versioned" in config:
            raise DatasetError(
                "CachedDataset: 'versioned' is set on the wrapped entry.",
                hint="Put 'versioned: true' on the CachedDataset entry itself, not "
                "under 'dataset:'.",
            )
        if version is not None:
            config = {**config, "versioned": True}
            return AbstractDataset.from_config(
                "_cached", config, version.load, version.save
            )
        return AbstractDataset.from_config("_cached", config)

    def load(self) -> Any:
        if self._cache.exists():
            return self._cache.load()
        data = self._dataset.load()
        self._cache.save(data)
        return data

    def save(self, data: Any) -> None:
        self._dataset.save(data)
        self._cache.save(data)

    def _exists(self) -> bool:
        return self._cache.exists() or self._dataset.exists()

    def _release(self) -> None:
        self._cache.release()
        self._dataset.release()

    def _describe(self) -> dict[str, Any]:
        return {"dataset": self._dataset.describe(), "cache": self._cache.describe()}

    def __getstate__(self) -> dict[str, Any]:
        # The cache can be huge and is only an optimisation: never ship it.
        logger.debug("%s: clearing the cache to pickle.", type(self).__name__)
        state = self.__dict__.copy()
        state["_cache"] = MemoryDataset(copy_mode=self._cache._copy_mode)
        return state
