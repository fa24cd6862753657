"""The data catalog: datasets by name, loaded and saved safely.

Public names mirror ``kedro.io`` 1.x. They are resolved lazily, so importing
``ordino.io`` costs nothing until a name is used (and never imports fsspec or pandas
by itself).

Example:
    >>> from ordino.io import DataCatalog, MemoryDataset
    >>> catalog = DataCatalog({"numbers": MemoryDataset([1, 2, 3])})
    >>> catalog.load("numbers")
    [1, 2, 3]
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ordino._lazy import lazy_attributes

if TYPE_CHECKING:
    from ordino.errors import (
        DatasetAlreadyExistsError,
        DatasetError,
        DatasetNotFoundError,
    )
    from ordino.io.cached import CachedDataset
    from ordino.io.catalog import DataCatalog
    from ordino.io.dataset import AbstractDataset, AbstractVersionedDataset, Version
    from ordino.io.factories import CatalogConfigResolver
    from ordino.io.memory import MemoryDataset
    from ordino.io.shared_memory import SharedMemoryDataCatalog, SharedMemoryDataset

_LAZY_EXPORTS: dict[str, str] = {
    "AbstractDataset": "ordino.io.dataset",
    "AbstractVersionedDataset": "ordino.io.dataset",
    "Version": "ordino.io.dataset",
    "DataCatalog": "ordino.io.catalog",
    "CatalogConfigResolver": "ordino.io.factories",
    "MemoryDataset": "ordino.io.memory",
    "CachedDataset": "ordino.io.cached",
    "SharedMemoryDataset": "ordino.io.shared_memory",
    "SharedMemoryDataCatalog": "ordino.io.shared_memory",
    "DatasetError": "ordino.errors",
    "DatasetNotFoundError": "ordino.errors",
    "DatasetAlreadyExistsError": "ordino.errors",
}

__all__ = [
    "AbstractDataset",
    "AbstractVersionedDataset",
    "CachedDataset",
    "CatalogConfigResolver",
    "DataCatalog",
    "DatasetAlreadyExistsError",
    "DatasetError",
    "DatasetNotFoundError",
    "MemoryDataset",
    "SharedMemoryDataCatalog",
    "SharedMemoryDataset",
    "Version",
]


__getattr__, __dir__ = lazy_attributes(__name__, _LAZY_EXPORTS, globals(), __all__)
