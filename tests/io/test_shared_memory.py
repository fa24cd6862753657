"""SharedMemoryDataset: one store per manager, cheap handles, data freed with them."""

from __future__ import annotations

import gc
import pickle
from collections.abc import Iterator

import pytest

from ordino.errors import DatasetError
from ordino.io import SharedMemoryDataCatalog, SharedMemoryDataset
from ordino.io.shared_memory import MemoryDatasetManager


@pytest.fixture(scope="module")
def manager() -> Iterator[MemoryDatasetManager]:
    started = MemoryDatasetManager()
    started.start()
    yield started
    started.shutdown()


def test_datasets_of_one_manager_share_one_store(
    manager: MemoryDatasetManager,
) -> None:
    catalog = SharedMemoryDataCatalog()
    first = catalog.get("first", fallback_to_runtime_pattern=True)
    second = catalog.get("second", fallback_to_runtime_pattern=True)
    catalog.set_manager_datasets(manager)
    assert isinstance(first, SharedMemoryDataset)
    assert isinstance(second, SharedMemoryDataset)
    assert first.shared_memory_dataset is second.shared_memory_dataset
    catalog.save("first", [1])
    catalog.save("second", [2])
    assert (catalog.load("first"), catalog.load("second")) == ([1], [2])


def test_an_unpickled_copy_reuses_the_proxy_and_sees_the_data(
    manager: MemoryDatasetManager,
) -> None:
    shared = SharedMemoryDataset(manager)
    shared.save({"rows": 3})
    clone = pickle.loads(pickle.dumps(shared))
    assert clone.shared_memory_dataset is shared.shared_memory_dataset
    assert clone.load() == {"rows": 3}
    assert clone.take() == {"rows": 3}  # the last reader: load and release
    assert not shared.exists()
    with pytest.raises(DatasetError, match="has not been saved yet"):
        shared.load()


def test_data_is_freed_with_the_dataset_that_owns_it(
    manager: MemoryDatasetManager,
) -> None:
    shared = SharedMemoryDataset(manager)
    shared.save("payload")
    clone = pickle.loads(pickle.dumps(shared))
    del shared
    gc.collect()
    # The copy (as a worker has) does not own the data: the owner's end freed it.
    assert not clone.exists()
