"""CachedDataset and the shared-memory pieces ParallelRunner uses."""

from __future__ import annotations

import pickle
import threading
from typing import Any

import pytest

from ordino.errors import DatasetError
from ordino.io import (
    AbstractDataset,
    CachedDataset,
    MemoryDataset,
    SharedMemoryDataCatalog,
    SharedMemoryDataset,
)
from ordino.io.shared_memory import MemoryDatasetManager


class Counting(AbstractDataset[Any, Any]):
    def __init__(self) -> None:
        self.loads = 0
        self.saved: Any = "initial"

    def load(self) -> Any:
        self.loads += 1
        return self.saved

    def save(self, data: Any) -> None:
        self.saved = data

    def _exists(self) -> bool:
        return True

    def _describe(self) -> dict[str, Any]:
        return {"loads": self.loads}


def test_cached_dataset_loads_once_and_writes_through() -> None:
    inner = Counting()
    cached = CachedDataset(inner)
    assert cached.load() == "initial"
    assert cached.load() == "initial"
    assert inner.loads == 1
    cached.save("new")
    assert inner.saved == "new"
    assert cached.load() == "new"
    assert inner.loads == 1
    cached.release()
    assert cached.load() == "new"
    assert inner.loads == 2
    assert cached.exists()


def test_cached_dataset_rejects_versioned_inside_and_bad_values() -> None:
    with pytest.raises(
        DatasetError, match="Put 'versioned: true' on the CachedDataset"
    ):
        CachedDataset({"type": "MemoryDataset", "versioned": True})
    with pytest.raises(DatasetError, match="needs a dataset or a catalog entry"):
        CachedDataset(42)  # type: ignore[arg-type]


def test_cached_dataset_pickles_without_its_cache() -> None:
    cached = CachedDataset(MemoryDataset([1, 2]))
    cached.load()
    clone = pickle.loads(pickle.dumps(cached))
    assert not clone._cache.exists()
    assert clone.load() == [1, 2]


def test_shared_memory_dataset_through_a_real_manager_process() -> None:
    manager = MemoryDatasetManager()
    manager.start()
    try:
        catalog = SharedMemoryDataCatalog()
        shared = catalog.get("intermediate", fallback_to_runtime_pattern=True)
        assert isinstance(shared, SharedMemoryDataset)
        catalog.set_manager_datasets(manager)
        data = {"rows": 3}
        catalog.save("intermediate", data)
        data["rows"] = 4  # copy semantics hold across the process boundary
        loaded = catalog.load("intermediate")
        loaded["rows"] = 5
        assert catalog.load("intermediate") == {"rows": 3}
        # the proxy survives pickling into another process's view
        clone = pickle.loads(pickle.dumps(shared))
        assert clone.load() == {"rows": 3}
        with pytest.raises(DatasetError, match="cannot be pickled"):
            catalog.save("intermediate", threading.Lock())
        assert "shared_memory_dataset" in repr(shared)
    finally:
        manager.shutdown()


def test_shared_memory_dataset_without_manager_says_so() -> None:
    with pytest.raises(DatasetError, match="has no manager"):
        SharedMemoryDataset().load()


def test_validate_catalog_names_unpicklable_datasets() -> None:
    class Local(MemoryDataset):  # a local class cannot be pickled
        pass

    catalog = SharedMemoryDataCatalog({"fine": MemoryDataset(1), "local": Local(2)})
    assert catalog.unpicklable_datasets() == ["local"]
    with pytest.raises(DatasetError, match="cannot be pickled: local") as info:
        catalog.validate_catalog()
    assert info.value.datasets == ("local",)
